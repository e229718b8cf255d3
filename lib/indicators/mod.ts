/**
 * Quality indicators for approximation sets of minimisation problems: exact hypervolume and
 * hypervolume contributions (with a cost guard) and a Monte-Carlo estimate with a stated error, PlatEMO's normalised hypervolume, IGD, IGD+, GD (PlatEMO and mean
 * variants), GD+ and spread.
 *
 * @module
 */

export { hypervolume, hypervolumeContributions } from "./hypervolume.ts";
export { DEFAULT_MAX_HV_COST, estimatedHypervolumeCost, HypervolumeCostError } from "./hv_cost.ts";
export { hypervolumeMonteCarlo, type MonteCarloHV, type MonteCarloOptions } from "./hv_montecarlo.ts";
export { normalize, platemoHV, platemoNormalize, type PlatemoNormalized } from "./normalize.ts";
export { gd, gdMean, gdPlus, igd, igdPlus } from "./igd.ts";
export { debSpread, generalizedSpread, spread } from "./spread.ts";
