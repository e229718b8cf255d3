/**
 * The simplex lattice: uniformly spread points on the unit simplex {w ≥ 0 : Σw = 1} (Das & Dennis 1998
 * simplex-lattice design), one layer or two (Deb & Jain 2014). One function, {@link simplexLattice},
 * serves as reference directions (NSGA-III), weight vectors (the MOEA/D family) and samples of the
 * Pareto fronts of DTLZ and UF problems; the rows always come in PlatEMO's `UniformPoint` order.
 *
 * @module
 */
import type { Points } from "../core/points.ts";

/**
 * The binomial coefficient C(n, k) (0 when k < 0 or k > n). Exact for results below 2^53.
 * @throws RangeError when n or k is not an integer.
 */
export function nChooseK(n: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(k)) {
    throw new RangeError(`nChooseK: n and k must be integers, got n=${n}, k=${k}`);
  }
  if (k < 0 || n < 0 || k > n) return 0;
  if (k > n - k) k = n - k;
  let r = 1;
  // r stays an integer at every step: r = C(n - k + i, i).
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Options of {@link simplexLattice}: give exactly one of `points` and `divisions`. */
export interface SimplexLatticeOptions {
  /**
   * About this many points, by PlatEMO's `UniformPoint(N, M)` rule (never more, unless N < M): the
   * largest H1 whose lattice fits, and, only when H1 < M (no interior point), an inner layer with the
   * largest H2 that still fits. This is what NSGA-III's `nRefDirs` and the MOEA/D population size use.
   */
  points?: number;
  /**
   * Divisions per objective: H gives the one-layer lattice {w : H·w ∈ ℕ^M} with C(H + M − 1, M − 1)
   * points; [H1, H2] gives Deb & Jain's two layers, the H1 lattice then the H2 lattice shrunk by ½
   * towards the centroid (w/2 + 1/(2M)).
   */
  divisions?: number | readonly [number, number];
  /**
   * Every coordinate is raised to at least this value afterwards. PlatEMO applies `max(W, 1e-6)` (the
   * DTLZ and UF fronts here do too); the default 0 keeps the exact lattice, whose rows sum to 1.
   */
  minValue?: number;
}

/** Writes the lattice {w ≥ 0 : Σw = 1, w·h ∈ ℕ^M} into `out` from row `row`, scaled by `scale` and shifted by `shift`. */
function lattice(
  h: number,
  m: number,
  out: Float64Array,
  row: number,
  scale: number,
  shift: number,
): number {
  // s is a non-decreasing sequence in [0, h] of length m-1, enumerated in lexicographic order (the order of
  // MATLAB's nchoosek(1:h+m-1, m-1) after subtracting 0:m-2 and 1). The weights are its differences.
  const s = new Int32Array(m - 1);
  for (;;) {
    const o = row * m;
    let prev = 0;
    for (let j = 0; j < m - 1; j++) {
      out[o + j] = ((s[j] - prev) / h) * scale + shift;
      prev = s[j];
    }
    out[o + m - 1] = ((h - prev) / h) * scale + shift;
    row++;
    let p = m - 2;
    while (p >= 0 && s[p] === h) p--;
    if (p < 0) break;
    const v = s[p] + 1;
    for (let j = p; j < m - 1; j++) s[j] = v;
  }
  return row;
}

/** The most points simplexLattice builds (80 MB per objective). */
const MAX_POINTS = 1e7;

/**
 * Uniformly spread points on the unit simplex in `nObj` dimensions, as an n × nObj row-major array.
 *
 * - `{ points: N }`: PlatEMO's `UniformPoint(N, M)` ("NBI" method), exactly, rows in its order:
 *   H1 is the largest integer ≥ 1 with C(H1 + M − 1, M − 1) ≤ N, and the outer layer is the simplex
 *   lattice {w : Σw = 1, H1·w ∈ ℕ^M} (Das & Dennis 1998). Only when H1 < M (so the outer layer has no
 *   interior points), H2 is the largest integer with C(H1 + M − 1, M − 1) + C(H2 + M − 1, M − 1) ≤ N,
 *   and if H2 ≥ 1 an inner layer, the H2 lattice shrunk by ½ and shifted by 1/(2M), is appended
 *   (Deb & Jain 2014, Section V).
 * - `{ divisions: H }`: the one-layer lattice with H divisions, C(H + M − 1, M − 1) points (M = 3,
 *   H = 12 gives 91).
 * - `{ divisions: [H1, H2] }`: the two layers with H1 and H2 divisions (M = 8, [3, 2] gives 120 + 36).
 *
 * Variant chosen: unlike PlatEMO, the final `max(W, 1e-6)` is applied only when `minValue` asks for it,
 * so by default every row sums to 1 exactly (up to rounding).
 *
 * Examples: `simplexLattice(3, { points: 91 })` has 91 rows (H1 = 12), `simplexLattice(10, { points:
 * 275 })` 220 + 55 rows, `simplexLattice(3, { points: 10000 })` 9870 rows (H1 = 139), and
 * `simplexLattice(3, { divisions: 12 })` is byte for byte `simplexLattice(3, { points: 91 })`.
 *
 * @example Reference directions, weight vectors and a front sample are the same call
 * ```ts
 * import { simplexLattice } from "moolab";
 *
 * const nsga3 = simplexLattice(3, { divisions: 12 }); // 91 directions, as NSGA-III's divisions: 12
 * const moead = simplexLattice(3, { points: 100 }); // 91 weights: MOEA/D's popSize 100 on 3 objectives
 * const many = simplexLattice(8, { divisions: [3, 2] }); // 120 + 36, Deb & Jain's two layers
 * if (nsga3.n !== 91 || moead.n !== 91 || many.n !== 156) throw new Error("lattice sizes");
 * ```
 *
 * @throws RangeError when nObj is not an integer ≥ 2, when not exactly one of `points` and `divisions`
 * is given, when either is not a positive integer (pair), or when more than 10^7 points would be built.
 */
export function simplexLattice(nObj: number, options: SimplexLatticeOptions): Points {
  const M = nObj;
  if (!Number.isInteger(M) || M < 2) {
    throw new RangeError(`simplexLattice: the number of objectives must be an integer ≥ 2, got ${M}`);
  }
  const { points, divisions } = options ?? {};
  if ((points === undefined) === (divisions === undefined)) {
    throw new RangeError(
      `simplexLattice: give exactly one of points and divisions, got ${
        JSON.stringify({ points, divisions })
      }`,
    );
  }
  const minValue = options.minValue ?? 0;
  if (!Number.isFinite(minValue)) {
    throw new RangeError(`simplexLattice: minValue must be finite, got ${minValue}`);
  }
  let h1: number, h2: number;
  if (points !== undefined) {
    if (!Number.isInteger(points) || points < 1) {
      throw new RangeError(`simplexLattice: points must be a positive integer, got ${points}`);
    }
    h1 = 1;
    while (nChooseK(h1 + M, M - 1) <= points) h1++;
    const n1 = nChooseK(h1 + M - 1, M - 1);
    h2 = 0;
    if (h1 < M) {
      while (n1 + nChooseK(h2 + M, M - 1) <= points) h2++;
    }
  } else {
    const ok = (h: unknown) => Number.isInteger(h) && (h as number) >= 1;
    const d = divisions as unknown;
    if (typeof d === "number" ? !ok(d) : !(Array.isArray(d) && d.length === 2 && d.every(ok))) {
      throw new RangeError(
        `simplexLattice: divisions must be a positive integer H or two positive integers [H1, H2], got ${
          JSON.stringify(d)
        }`,
      );
    }
    [h1, h2] = typeof d === "number" ? [d, 0] : d as [number, number];
  }
  const n1 = nChooseK(h1 + M - 1, M - 1);
  const n2 = h2 > 0 ? nChooseK(h2 + M - 1, M - 1) : 0;
  if (n1 + n2 > MAX_POINTS) {
    throw new RangeError(
      `simplexLattice: ${M} objectives with divisions ${h2 > 0 ? `[${h1}, ${h2}]` : h1} would give ${
        n1 + n2
      } points (at most ${MAX_POINTS})`,
    );
  }
  const data = new Float64Array((n1 + n2) * M);
  let row = lattice(h1, M, data, 0, 1, 0);
  if (h2 > 0) row = lattice(h2, M, data, row, 0.5, 1 / (2 * M));
  if (minValue !== 0) {
    for (let k = 0; k < data.length; k++) if (data[k] < minValue) data[k] = minValue;
  }
  return { data, n: row, m: M };
}
