/**
 * Merging models fine-tuned from one base model θ_b. With task vectors τ_i = θ_i − θ_b (Ilharco et al.
 * 2023), a weight w_i and a density d_i per model, and a global scale λ, each tensor is merged separately
 * as mergekit's `generalized_task_arithmetic` does:
 *
 * - linear (Wortsman et al. 2022, model soups): θ = Σ w_i θ_i / Σ w_i (mergekit `linear`).
 * - task arithmetic (Ilharco et al. 2023): θ = θ_b + λ Σ w_i τ_i (mergekit `task_arithmetic`).
 * - TIES (Yadav et al. 2023, Algorithm 1): trim each τ_i to its top-d_i fraction by magnitude; elect
 *   the sign of Σ_i w_i τ̂_i per parameter (+ on a tie at 0, as mergekit); disjoint merge
 *   θ = θ_b + λ Σ_i w_i τ̂_i [sign agrees] / Σ_i w_i [sign agrees] (the division is mergekit's
 *   `normalize`, on by default for `ties`).
 * - DARE (Yu et al. 2024, Eq. 1): keep each entry of τ_i with probability d_i and rescale the kept
 *   ones by 1/d_i, then task arithmetic (mergekit `dare_linear`, normalize off by default).
 * - DARE-TIES (mergekit's `dare_ties`): DARE's drop-and-rescale in place of TIES's trimming, then TIES's
 *   sign election and the sum of the agreeing weighted entries (normalize off by default, as mergekit,
 *   so the weights act as per-model scalings).
 *
 * λ multiplies the merged task vector after the optional normalisation (mergekit's global `lambda`
 * parameter, default 1; mergekit puts no bound on it nor on the weights).
 *
 * DARE's random drop is seeded: model i draws one uniform u per parameter from `Rng(seed + i)` — in
 * tensor order, the stream continuing from one tensor to the next — and keeps the entry when u < d_i, so
 * the same seed gives the same masks and the mask of a lower density is contained in that of a higher
 * one (the merged model changes smoothly with d_i). mergekit draws its masks with torch.bernoulli, so a
 * DARE merge by mergekit differs from ours in which entries are dropped, not in distribution.
 *
 * The per-tensor kernel {@link mergeTensor} is the single code path: {@link mergeModels} runs it over
 * the tensors of an in-memory model, lib/mm_mo/checkpoint.ts over the tensors of safetensors files.
 */
import { Rng } from "../core/rng.ts";
import { layout, type MLP } from "./mlp.ts";

/** The merge methods. */
export type MergeMethod = "linear" | "task_arithmetic" | "ties" | "dare" | "dare_ties";

/** All merge methods, in a fixed order. */
export const MERGE_METHODS: readonly MergeMethod[] = [
  "linear",
  "task_arithmetic",
  "ties",
  "dare",
  "dare_ties",
];

/** A merging configuration: the method and, per source model, a weight and a density. */
export interface MergeConfig {
  /** The merge method. */
  readonly method: MergeMethod;
  /** One weight per source model. */
  readonly weights: readonly number[];
  /** Densities in (0, 1] (TIES, DARE, DARE-TIES); ignored by linear and task arithmetic. */
  readonly densities?: readonly number[];
  /** Scaling of the merged task vector; default 1 (ignored by linear, as mergekit's `linear`). */
  readonly lambda?: number;
  /** Divide by the sum of the weights (of the models that agree in sign, for TIES). */
  readonly normalize?: boolean;
  /** Seed of DARE's drop masks; default 0. */
  readonly seed?: number;
}

/** mergekit's default of `normalize` per method. */
export const DEFAULT_NORMALIZE: Readonly<Record<MergeMethod, boolean>> = {
  linear: true,
  task_arithmetic: false,
  ties: true,
  dare: false,
  dare_ties: false,
};

/** Whether a method uses densities. */
export function usesDensity(method: MergeMethod): boolean {
  return method === "ties" || method === "dare" || method === "dare_ties";
}

/** Checks a configuration for K models; errors name the bad entry. */
export function checkMergeConfig(config: MergeConfig, K: number): void {
  if (!MERGE_METHODS.includes(config.method)) {
    throw new RangeError(`merge: unknown method "${config.method}"`);
  }
  if (K === 0) throw new RangeError("merge: no models");
  if (config.weights.length !== K) {
    throw new RangeError(`merge: ${config.weights.length} weights for ${K} models`);
  }
  for (const [i, w] of config.weights.entries()) {
    if (!Number.isFinite(w)) throw new RangeError(`merge: weight ${i} is ${w}`);
  }
  if (config.lambda !== undefined && !Number.isFinite(config.lambda)) {
    throw new RangeError(`merge: lambda is ${config.lambda}`);
  }
  if (usesDensity(config.method)) {
    const d = config.densities;
    if (!d || d.length !== K) {
      throw new RangeError(`merge: ${config.method} needs ${K} densities, got ${d?.length ?? 0}`);
    }
    for (const [i, v] of d.entries()) {
      if (!(v > 0 && v <= 1)) throw new RangeError(`merge: density ${i} is ${v}, expected 0 < d ≤ 1`);
    }
  }
}

/** A tensor's values: float64 in memory, float32 when streamed from a checkpoint. */
export type Vector = Float64Array | Float32Array;

/** State carried from one tensor to the next: each model's DARE random stream, and TIES's scratch buffer. */
export interface MergeState {
  /** The configuration being applied. */
  readonly config: MergeConfig;
  /** Each source model's random stream for DARE's drop masks. */
  readonly rngs: readonly Rng[];
  /** Reused float64 buffer for TIES's magnitude threshold (grown to the largest tensor). */
  scratch: Float64Array;
}

/** The state at the first tensor of a merge of K models. */
export function mergeState(config: MergeConfig, K: number): MergeState {
  checkMergeConfig(config, K);
  const seed = config.seed ?? 0;
  return {
    config,
    rngs: Array.from({ length: K }, (_, i) => new Rng(seed + i)),
    scratch: new Float64Array(0),
  };
}

/** The k-th largest |v_j − b_j| over a tensor (k ≥ 1): quickselect on a scratch copy, O(n) expected. */
function magnitudeThreshold(v: Vector, b: Vector, k: number, scratch: Float64Array): number {
  const n = v.length;
  const a = scratch.subarray(0, n);
  for (let j = 0; j < n; j++) a[j] = Math.abs(v[j] - b[j]);
  return selectKth(a, n - k);
}

/** The element of rank r (0-based, ascending) of `a`, partially reordering `a` (Hoare quickselect). */
export function selectKth(a: Float64Array, r: number): number {
  if (!(r >= 0 && r < a.length)) throw new RangeError(`selectKth: rank ${r} of ${a.length} values`);
  let lo = 0, hi = a.length - 1;
  while (lo < hi) {
    // Median of three as the pivot.
    const mid = (lo + hi) >>> 1;
    const x = a[lo], y = a[mid], z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (r <= j) hi = j;
    else if (r >= i) lo = i;
    else return a[r];
  }
  return a[r];
}

/**
 * Merges one tensor: `base` and the same tensor of each source model (equal lengths), by `state.config`,
 * into `out` (a new Float64Array by default). Memory: the inputs, `out`, and for TIES one float64
 * scratch buffer kept in the state — never more than one tensor's worth per model.
 */
export function mergeTensor(
  base: Vector,
  models: readonly Vector[],
  state: MergeState,
  out: Vector = new Float64Array(base.length),
  name = "tensor",
): Vector {
  const { config, rngs } = state;
  const K = models.length, n = base.length;
  if (K !== rngs.length) throw new RangeError(`merge ${name}: ${K} models, the state has ${rngs.length}`);
  for (const [i, m] of models.entries()) {
    if (m.length !== n) {
      throw new RangeError(`merge ${name}: model ${i} has ${m.length} values, the base ${n}`);
    }
  }
  if (out.length !== n) throw new RangeError(`merge ${name}: output has ${out.length} values, expected ${n}`);
  const w = config.weights;
  const normalize = config.normalize ?? DEFAULT_NORMALIZE[config.method];
  const lambda = config.lambda ?? 1;
  if (config.method === "linear") {
    let sw = 0;
    for (const v of w) sw += v;
    const div = normalize && Math.abs(sw) >= 1e-8 ? sw : 1;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += w[k] * models[k][j];
      out[j] = s / div;
    }
    return out;
  }
  // Sparsification parameters per model: TIES thresholds (and how many ties at the threshold to keep).
  const d = Float64Array.from({ length: K }, (_, k) => config.densities?.[k] ?? 1);
  const ties = config.method === "ties", dare = config.method === "dare" || config.method === "dare_ties";
  const thr = new Float64Array(K).fill(-1), tieLeft = new Int32Array(K);
  if (ties && d.some((v) => v < 1)) {
    if (state.scratch.length < n) state.scratch = new Float64Array(n);
    const scratch = state.scratch;
    for (let k = 0; k < K; k++) {
      if (d[k] >= 1) continue;
      const keep = Math.max(1, Math.round(d[k] * n));
      thr[k] = magnitudeThreshold(models[k], base, keep, scratch);
      let above = 0;
      for (let j = 0; j < n; j++) if (Math.abs(models[k][j] - base[j]) > thr[k]) above++;
      tieLeft[k] = keep - above;
    }
  }
  const consensus = ties || config.method === "dare_ties";
  let sumW = 0;
  for (const v of w) sumW += v;
  const divTA = normalize && Math.abs(sumW) >= 1e-8 ? sumW : 1;
  const t = new Float64Array(K);
  for (let j = 0; j < n; j++) {
    const b = base[j];
    for (let k = 0; k < K; k++) {
      let tau = models[k][j] - b;
      if (ties && thr[k] >= 0) {
        const a = Math.abs(tau);
        if (a < thr[k] || (a === thr[k] && tieLeft[k]-- <= 0)) tau = 0;
      } else if (dare && d[k] < 1) {
        tau = rngs[k].random() < d[k] ? tau / d[k] : 0;
      }
      t[k] = w[k] * tau;
    }
    if (!consensus) {
      let s = 0;
      for (let k = 0; k < K; k++) s += t[k];
      out[j] = b + lambda * (s / divTA);
      continue;
    }
    let total = 0;
    for (let k = 0; k < K; k++) total += t[k];
    const sign = total >= 0 ? 1 : -1;
    let s = 0, sw = 0;
    for (let k = 0; k < K; k++) {
      if ((t[k] > 0 ? 1 : t[k] < 0 ? -1 : 0) === sign) {
        s += t[k];
        sw += w[k];
      }
    }
    out[j] = b + lambda * (normalize && sw !== 0 ? s / sw : s);
  }
  return out;
}

/** Merges `models` (all fine-tuned from `base`) by `config`, tensor by tensor; returns a new model. */
export function mergeModels(base: MLP, models: readonly MLP[], config: MergeConfig): MLP {
  const state = mergeState(config, models.length);
  for (const [i, m] of models.entries()) {
    if (m.params.length !== base.params.length) {
      throw new RangeError(
        `merge: model ${i} has ${m.params.length} parameters, the base ${base.params.length}`,
      );
    }
  }
  const out = new Float64Array(base.params.length);
  for (const t of layout(base.shape).tensors) {
    const slice = (p: Float64Array) => p.subarray(t.offset, t.offset + t.size);
    mergeTensor(slice(base.params), models.map((m) => slice(m.params)), state, slice(out), t.name);
  }
  return { shape: base.shape, params: out };
}

/**
 * The task vectors τ_i = θ_i − θ_b after the method's sparsification (trim or drop-and-rescale), each
 * obtained as the task-arithmetic merge of model i alone with weight 1 (the same kernel).
 */
export function sparsifiedTaskVectors(
  base: MLP,
  models: readonly MLP[],
  config: MergeConfig,
): Float64Array[] {
  checkMergeConfig(config, models.length);
  return models.map((m, i) => {
    const one: MergeConfig = {
      method: config.method === "ties" ? "ties" : config.method === "linear" ? "task_arithmetic" : "dare",
      weights: [1],
      densities: [
        config.method === "task_arithmetic" || config.method === "linear" ? 1 : config.densities![i],
      ],
      normalize: false,
      seed: (config.seed ?? 0) + i,
    };
    const merged = mergeModels(base, [m], one).params;
    for (let j = 0; j < merged.length; j++) merged[j] -= base.params[j];
    return merged;
  });
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
