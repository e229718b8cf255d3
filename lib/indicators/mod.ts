/**
 * Quality indicators for approximation sets of minimisation problems: exact hypervolume and
 * hypervolume contributions, PlatEMO's normalised hypervolume, IGD, IGD+, GD (PlatEMO and mean
 * variants), GD+ and spread.
 *
 * @module
 */

export { hypervolume, hypervolumeContributions } from "./hypervolume.ts";
export { normalize, platemoHV, platemoNormalize, type PlatemoNormalized } from "./normalize.ts";
export { gd, gdMean, gdPlus, igd, igdPlus } from "./igd.ts";
export { debSpread, generalizedSpread, spread } from "./spread.ts";
