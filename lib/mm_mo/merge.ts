/**
 * Merging models fine-tuned from one base model θ_b. With task vectors τ_i = θ_i − θ_b (Ilharco et al.
 * 2023), a weight w_i and a density d_i per model, each tensor is merged separately as mergekit does:
 *
 * - linear (Wortsman et al. 2022, model soups): θ = Σ w_i θ_i / Σ w_i.
 * - task arithmetic (Ilharco et al. 2023): θ = θ_b + λ Σ w_i τ_i.
 * - TIES (Yadav et al. 2023, Algorithm 1): trim each τ_i to its top-d_i fraction by magnitude; elect
 *   the sign of Σ_i w_i τ̂_i per parameter; disjoint merge θ = θ_b + λ Σ_i w_i τ̂_i [sign agrees] /
 *   Σ_i w_i [sign agrees] (the division is mergekit's `normalize`, on by default).
 * - DARE (Yu et al. 2024, Eq. 1): keep each entry of τ_i with probability d_i and rescale the kept
 *   ones by 1/d_i, then task arithmetic (normalize off by default).
 * - DARE-TIES (mergekit's `dare_ties`): DARE's drop-and-rescale in place of TIES's trimming, then TIES's
 *   sign election and the sum of the agreeing weighted entries (normalize off by default, as mergekit,
 *   so the weights act as per-model scalings).
 *
 * DARE's random drop is seeded: model i draws one uniform u per parameter from `Rng(seed + i)` and
 * keeps the entry when u < d_i, so the same seed gives the same masks and the mask of a lower density
 * is contained in that of a higher one (the merged model changes smoothly with d_i).
 */
import { Rng } from "../core/rng.ts";
import { layout, type MLP } from "./mlp.ts";

/** The merge methods. */
export type MergeMethod = "linear" | "task_arithmetic" | "ties" | "dare" | "dare_ties";

/** A merging configuration: the method and, per source model, a weight and a density. */
export interface MergeConfig {
  readonly method: MergeMethod;
  readonly weights: readonly number[];
  /** Densities in (0, 1] (TIES, DARE, DARE-TIES); ignored by linear and task arithmetic. */
  readonly densities?: readonly number[];
  /** Scaling of the merged task vector; default 1. */
  readonly lambda?: number;
  /** Divide by the sum of the weights (of the models that agree in sign, for TIES). */
  readonly normalize?: boolean;
  /** Seed of DARE's drop masks; default 0. */
  readonly seed?: number;
}

const DEFAULT_NORMALIZE: Record<MergeMethod, boolean> = {
  linear: true,
  task_arithmetic: false,
  ties: true,
  dare: false,
  dare_ties: false,
};

function checkModels(base: MLP, models: readonly MLP[], config: MergeConfig): void {
  if (models.length === 0) throw new RangeError("merge: no models");
  if (config.weights.length !== models.length) {
    throw new RangeError(`merge: ${config.weights.length} weights for ${models.length} models`);
  }
  for (const [i, w] of config.weights.entries()) {
    if (!Number.isFinite(w)) throw new RangeError(`merge: weight ${i} is ${w}`);
  }
  const sparse = config.method === "ties" || config.method === "dare" || config.method === "dare_ties";
  if (sparse) {
    const d = config.densities;
    if (!d || d.length !== models.length) {
      throw new RangeError(`merge: ${config.method} needs ${models.length} densities, got ${d?.length ?? 0}`);
    }
    for (const [i, v] of d.entries()) {
      if (!(v > 0 && v <= 1)) throw new RangeError(`merge: density ${i} is ${v}, expected 0 < d ≤ 1`);
    }
  }
  for (const [i, m] of models.entries()) {
    if (m.params.length !== base.params.length) {
      throw new RangeError(
        `merge: model ${i} has ${m.params.length} parameters, the base ${base.params.length}`,
      );
    }
  }
}

/** The k-th largest |v| over a slice (k ≥ 1), by sorting a copy. */
function magnitudeThreshold(v: Float64Array, k: number): number {
  const a = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) a[i] = Math.abs(v[i]);
  a.sort();
  return a[a.length - k];
}

/** The task vectors τ_i = θ_i − θ_b after the method's sparsification (trim or drop-and-rescale). */
export function sparsifiedTaskVectors(
  base: MLP,
  models: readonly MLP[],
  config: MergeConfig,
): Float64Array[] {
  checkModels(base, models, config);
  const { tensors } = layout(base.shape);
  const seed = config.seed ?? 0;
  return models.map((m, i) => {
    const tau = new Float64Array(base.params.length);
    for (let j = 0; j < tau.length; j++) tau[j] = m.params[j] - base.params[j];
    const d = config.densities?.[i] ?? 1;
    if (config.method === "ties" && d < 1) {
      for (const t of tensors) {
        const s = tau.subarray(t.offset, t.offset + t.size);
        const k = Math.max(1, Math.round(d * t.size));
        const thr = magnitudeThreshold(s, k);
        // Keep exactly the top k (ties at the threshold resolved by position).
        let kept = 0;
        for (let j = 0; j < s.length; j++) if (Math.abs(s[j]) > thr) kept++;
        for (let j = 0; j < s.length; j++) {
          const a = Math.abs(s[j]);
          if (a > thr) continue;
          if (a === thr && kept < k) kept++;
          else s[j] = 0;
        }
      }
    } else if ((config.method === "dare" || config.method === "dare_ties") && d < 1) {
      const rng = new Rng(seed + i);
      const inv = 1 / d;
      for (let j = 0; j < tau.length; j++) tau[j] = rng.random() < d ? tau[j] * inv : 0;
    }
    return tau;
  });
}

/** Merges `models` (all fine-tuned from `base`) by `config`; returns a new model. */
export function mergeModels(base: MLP, models: readonly MLP[], config: MergeConfig): MLP {
  checkModels(base, models, config);
  const n = base.params.length, K = models.length;
  const w = config.weights;
  const normalize = config.normalize ?? DEFAULT_NORMALIZE[config.method];
  const lambda = config.lambda ?? 1;
  const out = new Float64Array(n);
  if (config.method === "linear") {
    let sw = 0;
    for (const v of w) sw += v;
    const div = normalize && Math.abs(sw) > 1e-12 ? sw : 1;
    for (let k = 0; k < K; k++) {
      const p = models[k].params, wk = w[k] / div;
      for (let j = 0; j < n; j++) out[j] += wk * p[j];
    }
    return { shape: base.shape, params: out };
  }
  const taus = sparsifiedTaskVectors(base, models, config);
  const b = base.params;
  if (config.method === "task_arithmetic" || config.method === "dare") {
    let sw = 0;
    for (const v of w) sw += v;
    const div = normalize && Math.abs(sw) > 1e-12 ? sw : 1;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += w[k] * taus[k][j];
      out[j] = b[j] + lambda * s / div;
    }
    return { shape: base.shape, params: out };
  }
  // TIES and DARE-TIES: elect the sign of Σ w_k τ_k, then the disjoint (weighted) mean.
  for (let j = 0; j < n; j++) {
    let total = 0;
    for (let k = 0; k < K; k++) total += w[k] * taus[k][j];
    const sign = total > 0 ? 1 : total < 0 ? -1 : 0;
    let s = 0, sw = 0;
    if (sign !== 0) {
      for (let k = 0; k < K; k++) {
        const t = taus[k][j];
        if ((t > 0 ? 1 : t < 0 ? -1 : 0) === sign) {
          s += w[k] * t;
          sw += w[k];
        }
      }
    }
    const div = normalize && Math.abs(sw) > 1e-12 ? sw : 1;
    out[j] = b[j] + lambda * s / div;
  }
  return { shape: base.shape, params: out };
}

/** Σ_j |θ_j − θ_b,j|: the L1 distance of a merged model from the base (the paper's −sparsity). */
export function deltaL1(model: MLP, base: MLP): number {
  if (model.params.length !== base.params.length) {
    throw new RangeError(`deltaL1: ${model.params.length} parameters against ${base.params.length}`);
  }
  let s = 0;
  for (let j = 0; j < base.params.length; j++) s += Math.abs(model.params[j] - base.params[j]);
  return s;
}
