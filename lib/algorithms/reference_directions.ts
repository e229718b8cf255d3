/**
 * Reference directions on the unit simplex for reference-direction algorithms (NSGA-III, MOEA/D, …).
 *
 * - {@link dasDennis}`(M, H)`: the Das & Dennis (1998) simplex lattice {w ≥ 0 : Σw = 1, H·w ∈ ℕ^M},
 *   C(H + M − 1, M − 1) points (e.g. M = 3, H = 12 gives 91).
 * - {@link twoLayerDirections}`(M, H1, H2)`: Deb & Jain's (2014, Section V) two-layer set for many
 *   objectives: the H1 lattice (boundary) plus the H2 lattice shrunk by ½ towards the centre
 *   (w/2 + 1/(2M)), e.g. M = 8, H1 = 3, H2 = 2 gives 120 + 36 = 156.
 * - {@link referenceDirections}`(N, M)`: about N directions by PlatEMO's `UniformPoint(N, M)` rule (the
 *   largest H1 whose lattice fits in N; when H1 < M, so that the lattice has no interior point, an inner
 *   layer with the largest H2 that still fits). This is the two-layer version for many objectives.
 *
 * All three wrap `uniformPoint` of ../problems/uniform_point.ts, so the rows come in PlatEMO's order.
 */
import type { Points } from "../core/points.ts";
import { nChooseK, uniformPoint } from "../problems/uniform_point.ts";

function checkM(where: string, M: number): void {
  if (!Number.isInteger(M) || M < 2) {
    throw new RangeError(`${where}: the number of objectives M must be an integer ≥ 2, got ${M}`);
  }
}

function checkH(where: string, name: string, H: number): void {
  if (!Number.isInteger(H) || H < 1) {
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${H}`);
  }
}

/** The Das–Dennis simplex lattice with H divisions per objective: C(H + M − 1, M − 1) points. */
export function dasDennis(M: number, H: number): Points {
  checkM("dasDennis", M);
  checkH("dasDennis", "the number of divisions H", H);
  const n = nChooseK(H + M - 1, M - 1);
  if (n > 1e7) throw new RangeError(`dasDennis: M = ${M}, H = ${H} would give ${n} directions`);
  // uniformPoint(n, M) chooses exactly H1 = H, and adds no inner layer (the lattice already fills n).
  return uniformPoint(n, M);
}

/** Deb & Jain's two layers: the H1 lattice, then the H2 lattice halved towards the centroid. */
export function twoLayerDirections(M: number, H1: number, H2: number): Points {
  checkM("twoLayerDirections", M);
  checkH("twoLayerDirections", "the outer divisions H1", H1);
  checkH("twoLayerDirections", "the inner divisions H2", H2);
  const outer = dasDennis(M, H1), inner = dasDennis(M, H2);
  const data = new Float64Array((outer.n + inner.n) * M);
  data.set(outer.data);
  const o = outer.data.length, shift = 1 / (2 * M);
  for (let k = 0; k < inner.data.length; k++) data[o + k] = inner.data[k] * 0.5 + shift;
  return { data, n: outer.n + inner.n, m: M };
}

/**
 * About `N` reference directions (never more unless N < M) by PlatEMO's `UniformPoint` rule: one layer
 * when it has interior points, else two layers (Deb & Jain 2014). E.g. (100, 2) → 100, (91, 3) → 91,
 * (100, 3) → 91, (210, 5) → 210, (156, 8) → 156, (275, 10) → 275.
 */
export function referenceDirections(N: number, M: number): Points {
  checkM("referenceDirections", M);
  if (!Number.isInteger(N) || N < 1) {
    throw new RangeError(`referenceDirections: N must be a positive integer, got ${N}`);
  }
  return uniformPoint(N, M);
}
