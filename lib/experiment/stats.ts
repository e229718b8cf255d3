/**
 * Statistics for comparing algorithms over independent runs, as the MOEA literature reports them.
 */

/** Arithmetic mean. */
export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) throw new RangeError("mean: empty sample");
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample standard deviation (n − 1 in the denominator, as MATLAB's std and PlatEMO's tables). */
export function std(x: ArrayLike<number>): number {
  if (x.length < 2) return 0;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
}

/** Median. */
export function median(x: ArrayLike<number>): number {
  if (x.length === 0) throw new RangeError("median: empty sample");
  const s = Float64Array.from(x).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Complementary error function erfc(x), to about 1e-14 relative accuracy: the Maclaurin series of
 * erf for |x| < 2.5 (Abramowitz & Stegun 7.1.5) and the continued fraction of erfc beyond
 * (A&S 7.1.14, evaluated by the modified Lentz method).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const z = Math.abs(x);
  let r: number;
  if (z < 2.5) {
    // erf(z) = 2/√π Σ (−1)^n z^(2n+1) / (n! (2n+1))
    let term = z, sum = z;
    for (let n = 1; n < 200; n++) {
      term *= (-z * z) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(z) = exp(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …)))))
    const tiny = 1e-300;
    let f = z, c = z, d = 0;
    for (let n = 1; n < 500; n++) {
      const a = n / 2;
      d = z + a * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = z + a / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    r = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }
  return x >= 0 ? r : 2 - r;
}

/** Standard normal cumulative distribution Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** The result of {@link rankSum}. */
export interface RankSumResult {
  /** Two-sided p-value. */
  p: number;
  /** Rank sum of the first sample (MATLAB's `stats.ranksum`). */
  w: number;
  /** "exact" or "approximate", as MATLAB's ranksum chooses. */
  method: "exact" | "approximate";
  /** Normal statistic (approximate method only). */
  z?: number;
}

/**
 * Wilcoxon rank-sum test (Mann–Whitney U), two-sided, computed as MATLAB's `ranksum` does — the test
 * PlatEMO uses for its +/−/= marks (significance level 0.05):
 * - ranks of the pooled sample, ties given their average rank; W = rank sum of `x`;
 * - "exact" when min(nx, ny) < 10 and nx + ny < 20 and there are no ties: the null distribution of W
 *   by counting rank subsets (dynamic programming), p = 2·min(P(W ≤ w), P(W ≥ w)), capped at 1;
 * - otherwise "approximate": z = (W − nx(nx+ny+1)/2 − ½·sign(·)) / σ with the tie-corrected variance
 *   σ² = nx·ny/12 · [(n+1) − Σ(t³ − t)/(n(n−1))], p = 2Φ(−|z|).
 */
export function rankSum(x: ArrayLike<number>, y: ArrayLike<number>): RankSumResult {
  const nx = x.length, ny = y.length, n = nx + ny;
  if (nx === 0 || ny === 0) throw new RangeError(`rankSum: both samples need values (got ${nx} and ${ny})`);
  for (const [name, s] of [["x", x], ["y", y]] as const) {
    for (let i = 0; i < s.length; i++) {
      if (Number.isNaN(s[i])) throw new RangeError(`rankSum: ${name}[${i}] is NaN`);
    }
  }
  const pooled = Array.from({ length: n }, (_, i) => ({ v: i < nx ? x[i] : y[i - nx], fromX: i < nx }));
  pooled.sort((a, b) => a.v - b.v);
  let w = 0, tieTerm = 0, ties = false;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && pooled[j].v === pooled[i].v) j++;
    const t = j - i;
    if (t > 1) {
      ties = true;
      tieTerm += t * t * t - t;
    }
    const avg = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (pooled[k].fromX) w += avg;
    i = j;
  }
  if (Math.min(nx, ny) < 10 && n < 20 && !ties) {
    // counts[s] = number of nx-subsets of {1..n} with rank sum s
    const maxS = (n * (n + 1)) / 2;
    let table: Float64Array[] = Array.from({ length: nx + 1 }, () => new Float64Array(maxS + 1));
    table[0][0] = 1;
    for (let r = 1; r <= n; r++) {
      const next = table.map((row) => Float64Array.from(row));
      for (let k = 1; k <= Math.min(r, nx); k++) {
        const prev = table[k - 1];
        for (let s = r; s <= maxS; s++) next[k][s] += prev[s - r];
      }
      table = next;
    }
    const counts = table[nx];
    let total = 0, le = 0, ge = 0;
    for (let s = 0; s <= maxS; s++) {
      total += counts[s];
      if (s <= w) le += counts[s];
      if (s >= w) ge += counts[s];
    }
    return { p: Math.min(1, (2 * Math.min(le, ge)) / total), w, method: "exact" };
  }
  const expected = (nx * (n + 1)) / 2;
  const variance = ((nx * ny) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const d = w - expected;
  const z = variance > 0 ? (d - 0.5 * Math.sign(d)) / Math.sqrt(variance) : 0;
  return { p: Math.min(1, 2 * normalCdf(-Math.abs(z))), w, method: "approximate", z };
}

/**
 * PlatEMO's comparison mark of algorithm A against the reference B on one indicator:
 * "+" when the rank-sum test rejects equality at `alpha` and A's mean is better, "−" when B's is,
 * "=" otherwise. `higherIsBetter` is true for HV, false for IGD, GD, Δ.
 */
export function compareRuns(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  higherIsBetter: boolean,
  alpha = 0.05,
): "+" | "-" | "=" {
  const { p } = rankSum(a, b);
  if (!(p < alpha)) return "=";
  const better = higherIsBetter ? mean(a) > mean(b) : mean(a) < mean(b);
  return better ? "+" : "-";
}
