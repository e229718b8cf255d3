/**
 * Uniformly spread points on the unit simplex (Das & Dennis 1998 simplex-lattice design), with the
 * two-layer rule PlatEMO's `UniformPoint(N, M)` uses by default ("NBI"; Deb & Jain 2014, Tian et al. 2018).
 *
 * These points serve as reference/weight vectors (NSGA-III, MOEA/D) and as samples of the
 * Pareto fronts of DTLZ and UF problems.
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

/** Options of {@link uniformPoint}. */
export interface UniformPointOptions {
  /**
   * Every coordinate is raised to at least this value afterwards. PlatEMO applies `max(W, 1e-6)`; the
   * default 0 keeps the exact lattice, whose rows sum to 1.
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

/**
 * About `N` (never more, unless N < M) uniformly distributed points on the unit simplex in M dimensions,
 * following PlatEMO's `UniformPoint(N, M)` ("NBI" method) exactly, including the order of the rows:
 *
 * - H1 is the largest integer ≥ 1 with C(H1 + M − 1, M − 1) ≤ N, and the outer layer is the
 *   simplex lattice {w : Σw = 1, H1·w ∈ ℕ^M} (Das & Dennis 1998).
 * - Only when H1 < M (so the outer layer has no interior points), H2 is the largest integer with
 *   C(H1 + M − 1, M − 1) + C(H2 + M − 1, M − 1) ≤ N, and if H2 ≥ 1 an inner layer, the H2 lattice
 *   shrunk by 1/2 and shifted by 1/(2M), is appended (Deb & Jain 2014).
 *
 * Variant chosen: the two-layer NBI rule above. Unlike PlatEMO, the final `max(W, 1e-6)` is not applied
 * unless `options.minValue` asks for it, so by default every row sums to 1 exactly (up to rounding).
 *
 * Examples: uniformPoint(91, 3) has 91 rows (H1 = 12); uniformPoint(275, 10) has 220 + 55 rows;
 * uniformPoint(10000, 3) has 9870 rows (H1 = 139).
 *
 * @throws RangeError when N is not a positive integer or M is not an integer ≥ 2.
 */
export function uniformPoint(N: number, M: number, options: UniformPointOptions = {}): Points {
  if (!Number.isInteger(N) || N < 1) {
    throw new RangeError(`uniformPoint: N must be a positive integer, got ${N}`);
  }
  if (!Number.isInteger(M) || M < 2) {
    throw new RangeError(`uniformPoint: M must be an integer ≥ 2, got ${M}`);
  }
  const minValue = options.minValue ?? 0;
  if (!Number.isFinite(minValue)) {
    throw new RangeError(`uniformPoint: minValue must be finite, got ${minValue}`);
  }
  let h1 = 1;
  while (nChooseK(h1 + M, M - 1) <= N) h1++;
  const n1 = nChooseK(h1 + M - 1, M - 1);
  let h2 = 0;
  if (h1 < M) {
    while (n1 + nChooseK(h2 + M, M - 1) <= N) h2++;
  }
  const n2 = h2 > 0 ? nChooseK(h2 + M - 1, M - 1) : 0;
  const data = new Float64Array((n1 + n2) * M);
  let row = lattice(h1, M, data, 0, 1, 0);
  if (h2 > 0) row = lattice(h2, M, data, row, 0.5, 1 / (2 * M));
  if (minValue !== 0) {
    for (let k = 0; k < data.length; k++) if (data[k] < minValue) data[k] = minValue;
  }
  return { data, n: row, m: M };
}
