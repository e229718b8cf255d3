/**
 * q-expected hypervolume improvement (qEHVI; Daulton, Balandat & Bakshy 2020, Eq. 3) by Monte Carlo
 * over joint posterior samples of independent per-objective Gaussian processes:
 *
 *   qEHVI(X) ≈ (1/N) Σ_s [ HV(P ∪ {ỹ_s(x_1), …, ỹ_s(x_q)}, r) − HV(P, r) ],
 *   ỹ_s,k(X) = μ_k(X) + C_k z_s,k,   C_k C_kᵀ = Σ_k(X),   z_s,k ~ N(0, I) fixed ("base samples"),
 *
 * with all objectives minimised, P the observed Pareto front, and the hypervolume from
 * lib/indicators. Objectives are scaled to [0, 1] by the observed minima and maxima and the reference
 * point is 1.1 (BoTorch's `infer_reference_point`: the nadir plus 10% of the range). The base samples
 * are drawn once per acquisition (seeded), so values of different X share random numbers and the
 * optimisation is deterministic.
 *
 * {@link optimizeQEHVI} maximises it as BoTorch's `optimize_acqf(sequential=True)` does: candidates
 * are chosen one at a time, each maximising qEHVI of the points already chosen plus itself; each
 * choice takes the best of `raw` uniform points and refines the best few by a seeded local search.
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { Rng } from "../core/rng.ts";
import { nondominatedIndices } from "../core/sorting.ts";
import { hypervolume } from "../indicators/hypervolume.ts";
import { type GP, posterior } from "./gp.ts";

/** Options of {@link makeQEHVI}. */
export interface QEHVIOptions {
  /** Monte Carlo samples N; default 64. */
  samples?: number;
  /** Largest batch the base samples cover; default 10. */
  qMax?: number;
  /** Seed of the base samples (default 0). */
  seed?: number;
}

/** A qEHVI acquisition bound to fitted GPs and observations. */
export interface QEHVI {
  /** Input dimension. */
  readonly d: number;
  /** Number of objectives (one GP each). */
  readonly m: number;
  /** Observed minima and maxima used for scaling. */
  readonly lo: Float64Array;
  /** Observed maxima used for scaling. */
  readonly hi: Float64Array;
  /** The observed Pareto front, scaled, n_P × m row-major. */
  readonly front: Float64Array;
  /** Hypervolume of the scaled observed front. */
  readonly frontHV: number;
  /** qEHVI of a batch (q × d row-major, inputs in the unit cube). */
  value(X: ArrayLike<number>): number;
}

/** Lower Cholesky factor (row-major) of a small covariance, with growing jitter. */
function smallCholesky(cov: Float64Array, q: number): Float64Array {
  if (q === 1) return Float64Array.of(Math.sqrt(Math.max(cov[0], 0)));
  let jitter = 0;
  let meanDiag = 0;
  for (let i = 0; i < q; i++) meanDiag += cov[i * q + i];
  meanDiag /= q;
  for (let attempt = 0; attempt < 10; attempt++) {
    const A = new Matrix(q, q);
    for (let i = 0; i < q; i++) {
      for (let j = 0; j < q; j++) A.set(i, j, cov[i * q + j] + (i === j ? jitter : 0));
    }
    const c = new CholeskyDecomposition(A);
    if (c.isPositiveDefinite()) return Float64Array.from(c.lowerTriangularMatrix.to1DArray());
    jitter = jitter === 0 ? 1e-9 * Math.max(meanDiag, 1e-12) : jitter * 10;
  }
  throw new Error("qEHVI: posterior covariance is not positive definite");
}

/**
 * The qEHVI of the GPs `gps` (one per objective, all on the same inputs) given the observed
 * objective values `Y` (n × m row-major, minimised).
 */
export function makeQEHVI(gps: readonly GP[], Y: ArrayLike<number>, options: QEHVIOptions = {}): QEHVI {
  const m = gps.length;
  if (m < 2) throw new RangeError(`qEHVI: needs ≥ 2 objectives, got ${m}`);
  const d = gps[0].d;
  const n = Y.length / m;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`qEHVI: Y has ${Y.length} values for ${m} objectives`);
  }
  const N = options.samples ?? 64, qMax = options.qMax ?? 10;
  const lo = new Float64Array(m).fill(Infinity), hi = new Float64Array(m).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < m; k++) {
      const v = Y[i * m + k];
      if (!Number.isFinite(v)) throw new RangeError(`qEHVI: Y[${i}][${k}] is ${v}`);
      lo[k] = Math.min(lo[k], v);
      hi[k] = Math.max(hi[k], v);
    }
  }
  const span = Float64Array.from(hi, (h, k) => (h - lo[k] > 1e-12 ? h - lo[k] : 1));
  const scaled = Float64Array.from({ length: n * m }, (_, i) => (Y[i] - lo[i % m]) / span[i % m]);
  const nd = nondominatedIndices({ data: scaled, n, m });
  const front = new Float64Array(nd.length * m);
  nd.forEach((idx, r) => front.set(scaled.subarray(idx * m, idx * m + m), r * m));
  const ref = new Float64Array(m).fill(1.1);
  const frontHV = hypervolume({ data: front, n: nd.length, m }, ref);
  const rng = new Rng(options.seed ?? 0);
  const z = new Float64Array(N * m * qMax);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  const nP = nd.length;
  const buf = new Float64Array((nP + qMax) * m);
  buf.set(front, 0);

  function value(X: ArrayLike<number>): number {
    const q = X.length / d;
    if (!Number.isInteger(q) || q < 1 || q > qMax) {
      throw new RangeError(`qEHVI: batch of ${X.length / d} points, allowed 1…${qMax}`);
    }
    const means: Float64Array[] = [], chols: Float64Array[] = [];
    for (let k = 0; k < m; k++) {
      const p = posterior(gps[k], X);
      means.push(p.mean);
      chols.push(smallCholesky(p.cov, q));
    }
    const y = new Float64Array(q * m);
    let total = 0;
    for (let s = 0; s < N; s++) {
      for (let k = 0; k < m; k++) {
        const C = chols[k], mu = means[k], zo = (s * m + k) * qMax;
        for (let a = 0; a < q; a++) {
          let v = mu[a];
          for (let b = 0; b <= a; b++) v += C[a * q + b] * z[zo + b];
          y[a * m + k] = (v - lo[k]) / span[k];
        }
      }
      // Skip the hypervolume when no sampled point improves on the front.
      let improves = false;
      for (let a = 0; a < q && !improves; a++) {
        let inside = true;
        for (let k = 0; k < m; k++) if (!(y[a * m + k] < 1.1)) inside = false;
        if (!inside) continue;
        let dominated = false;
        for (let p = 0; p < nP && !dominated; p++) {
          let weak = true;
          for (let k = 0; k < m; k++) {
            if (front[p * m + k] > y[a * m + k]) {
              weak = false;
              break;
            }
          }
          dominated = weak;
        }
        if (!dominated) improves = true;
      }
      if (!improves) continue;
      buf.set(y, nP * m);
      total += hypervolume({ data: buf.subarray(0, (nP + q) * m), n: nP + q, m }, ref) - frontHV;
    }
    return total / N;
  }
  return { d, m, lo, hi, front, frontHV, value };
}

/** Options of {@link optimizeQEHVI}. */
export interface OptimizeOptions {
  /** Uniform raw candidates per choice; default 128. */
  raw?: number;
  /** How many of the best raw candidates are refined; default 3. */
  starts?: number;
  /** Local-search steps per start; default 15. */
  localSteps?: number;
  /** Seed of the raw candidates and the local search (default 0). */
  seed?: number;
}

/**
 * Chooses q points in the unit cube by sequential greedy maximisation of qEHVI. When no candidate
 * has a positive value (every sample is dominated), the raw candidate with the largest total
 * posterior standard deviation is taken instead. Returns the points (q × d) and the qEHVI of the
 * growing batch after each choice.
 */
export function optimizeQEHVI(
  acq: QEHVI,
  gps: readonly GP[],
  q: number,
  options: OptimizeOptions = {},
): { X: Float64Array; values: Float64Array } {
  const { d } = acq;
  const raw = options.raw ?? 128, starts = options.starts ?? 3, steps = options.localSteps ?? 15;
  const rng = new Rng(options.seed ?? 0);
  const chosen = new Float64Array(q * d);
  const values = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    const batch = new Float64Array((j + 1) * d);
    batch.set(chosen.subarray(0, j * d));
    const f = (x: ArrayLike<number>) => {
      batch.set(x, j * d);
      return acq.value(batch);
    };
    const cand = new Float64Array(raw * d);
    for (let i = 0; i < cand.length; i++) cand[i] = rng.random();
    const vals = Float64Array.from({ length: raw }, (_, i) => f(cand.subarray(i * d, i * d + d)));
    const order = Array.from({ length: raw }, (_, i) => i).sort((a, b) => vals[b] - vals[a] || a - b);
    let bestX: Float64Array, bestV: number;
    if (vals[order[0]] <= 0) {
      // No improvement anywhere: explore where the surrogates are least certain.
      let arg = 0, top = -Infinity;
      for (let i = 0; i < raw; i++) {
        let s = 0;
        for (const gp of gps) s += Math.sqrt(posterior(gp, cand.subarray(i * d, i * d + d)).cov[0]) / gp.yStd;
        if (s > top) {
          top = s;
          arg = i;
        }
      }
      bestX = cand.slice(arg * d, arg * d + d);
      bestV = 0;
    } else {
      bestX = cand.slice(order[0] * d, order[0] * d + d);
      bestV = vals[order[0]];
      for (let s = 0; s < Math.min(starts, raw); s++) {
        let x = cand.slice(order[s] * d, order[s] * d + d);
        let v = vals[order[s]];
        let sigma = 0.1;
        for (let t = 0; t < steps; t++) {
          const y = Float64Array.from(x, (xi) => Math.min(1, Math.max(0, xi + sigma * rng.normal())));
          const vy = f(y);
          if (vy > v) {
            x = y;
            v = vy;
          } else sigma *= 0.85;
        }
        if (v > bestV) {
          bestV = v;
          bestX = x;
        }
      }
    }
    chosen.set(bestX, j * d);
    values[j] = bestV;
  }
  return { X: chosen, values };
}
