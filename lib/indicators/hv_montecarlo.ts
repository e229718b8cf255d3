/**
 * Monte-Carlo estimate of the hypervolume with a stated error, for when the exact value is too costly
 * (many objectives and many points). The caller chooses it explicitly; {@link hypervolume} never
 * switches to it on its own.
 *
 * Samples are drawn uniformly in the box `B = [l, r]`, `l_j = min_i a_{ij}` over the points that
 * strictly dominate `r` (outside B nothing is dominated). With `N` samples of which `D` are dominated,
 * `p̂ = D / N` and
 *
 *   `HV ≈ λ(B) · p̂`,  standard error `λ(B) · √(p̂ (1 − p̂) / N)`,
 *
 * the binomial estimate that PlatEMO's `HV.m` uses from four objectives on (10⁶ samples, Tian, Cheng,
 * Zhang & Jin 2017; there the error is not reported). The 95 % half-width is 1.96 standard errors
 * (normal approximation, fine for N·p̂ and N·(1 − p̂) above ~10).
 *
 * @module
 */

import type { PointsLike } from "../core/points.ts";
import { Rng } from "../core/rng.ts";
import { checkHvInput } from "./hypervolume.ts";

/** Options of {@link hypervolumeMonteCarlo}. */
export interface MonteCarloOptions {
  /** Number of uniform samples in the box (default 1,000,000, PlatEMO's). */
  samples?: number;
  /** Seed of the sample stream (required: the same seed gives the same estimate, byte for byte). */
  seed: number;
}

/** Result of {@link hypervolumeMonteCarlo}. */
export interface MonteCarloHV {
  /** The estimate `λ(B) · D / N`. */
  readonly value: number;
  /** Its standard error `λ(B) · √(p̂ (1 − p̂) / N)`. */
  readonly standardError: number;
  /** Half-width of the 95 % confidence interval, `1.96 · standardError`. */
  readonly halfWidth95: number;
  /** Number of samples `N`. */
  readonly samples: number;
  /** Number of dominated samples `D`. */
  readonly dominated: number;
  /** Volume of the sampling box `λ(B)`. */
  readonly boxVolume: number;
}

/**
 * Monte-Carlo hypervolume of `points` with respect to `ref` (all objectives minimised): see the module
 * doc for the estimator and its error.
 *
 * @throws RangeError on bad points or reference (as {@link hypervolume}), a non-positive or
 *   non-integer number of samples, or a missing seed.
 *
 * @example The estimate and its stated error against the exact value
 * ```ts
 * import { hypervolume, hypervolumeMonteCarlo } from "moolab";
 *
 * const points = [[0.1, 0.9, 0.5], [0.5, 0.5, 0.5], [0.9, 0.1, 0.5], [0.3, 0.3, 0.9]];
 * const exact = hypervolume(points, [1, 1, 1]);
 * const mc = hypervolumeMonteCarlo(points, [1, 1, 1], { samples: 100_000, seed: 1 });
 * // seeded (the same seed gives the same estimate); here within four standard errors of the exact value
 * if (Math.abs(mc.value - exact) > 4 * mc.standardError) throw new Error(`${mc.value} vs ${exact}`);
 * ```
 */
export function hypervolumeMonteCarlo(
  points: PointsLike,
  ref: ArrayLike<number>,
  options: MonteCarloOptions,
): MonteCarloHV {
  const { p, r } = checkHvInput(points, ref, "hypervolumeMonteCarlo");
  const N = options?.samples ?? 1_000_000;
  if (!Number.isSafeInteger(N) || N < 1) {
    throw new RangeError(`hypervolumeMonteCarlo: samples must be a positive integer, got ${N}`);
  }
  if (options?.seed === undefined) {
    throw new RangeError("hypervolumeMonteCarlo: options.seed is required (the estimate is random)");
  }
  const rng = new Rng(options.seed);
  const empty = { value: 0, standardError: 0, halfWidth95: 0, samples: N, dominated: 0, boxVolume: 0 };
  if (p === null) return empty;
  const { data, n, m } = p;
  // Points strictly dominating r, sorted by decreasing box volume (likely dominators first).
  const keep: number[] = [];
  const vol: number[] = [];
  for (let i = 0; i < n; i++) {
    let v = 1;
    for (let j = 0; j < m; j++) v *= r[j] - data[i * m + j];
    let ok = true;
    for (let j = 0; j < m; j++) if (!(data[i * m + j] < r[j])) ok = false;
    if (ok) {
      keep.push(i);
      vol[i] = v;
    }
  }
  if (keep.length === 0) return empty;
  keep.sort((a, b) => vol[b] - vol[a] || a - b);
  const k = keep.length;
  const A = new Float64Array(k * m);
  const lo = new Float64Array(m).fill(Infinity);
  for (let t = 0; t < k; t++) {
    for (let j = 0; j < m; j++) {
      const v = data[keep[t] * m + j];
      A[t * m + j] = v;
      if (v < lo[j]) lo[j] = v;
    }
  }
  let box = 1;
  const span = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    span[j] = r[j] - lo[j];
    box *= span[j];
  }
  const s = new Float64Array(m);
  let D = 0;
  for (let q = 0; q < N; q++) {
    for (let j = 0; j < m; j++) s[j] = lo[j] + span[j] * rng.random();
    for (let t = 0, o = 0; t < k; t++, o += m) {
      let j = 0;
      while (j < m && A[o + j] <= s[j]) j++;
      if (j === m) {
        D++;
        break;
      }
    }
  }
  const ph = D / N;
  const se = box * Math.sqrt(ph * (1 - ph) / N);
  return {
    value: box * ph,
    standardError: se,
    halfWidth95: 1.96 * se,
    samples: N,
    dominated: D,
    boxVolume: box,
  };
}
