/**
 * Model merging as a multi-objective problem (MM-MO, Li et al. 2024, Section III-A): a configuration
 * x = (d_1, w_1, …, d_K, w_K) — a density and a weight per source model — is merged by DARE-TIES and
 * scored by the accuracy on each task's validation split and by the sparsity −Σ|θ_merged − θ_base|.
 *
 * Sign convention (everything minimised, as in lib/core): the objective vector is
 *   f(x) = (1 − acc_1, …, 1 − acc_T, Σ_j |θ_merged,j − θ_base,j|),
 * i.e. errors and the L1 distance from the base, which is the paper's sparsity with its sign flipped
 * (maximising −Σ|Δθ| = minimising Σ|Δθ|). Without the sparsity objective the last entry is dropped.
 *
 * With a scale range (`lambdaBounds`, default [0, 3]) the configuration gains a last coordinate, the
 * global scale λ of the merged task vector: x = (d_1, w_1, …, d_K, w_K, λ). mergekit bounds neither the
 * weights nor λ (its `lambda` parameter); the authors search (d, w) ∈ [0, 1]^2K with λ fixed at 1, which
 * caps the effective per-model scale λ·w_i at 1 — below the optimum of these small models. [0, 3] lets
 * λ·w_i reach 3; the notebook checks that the tuned optima lie inside the range. `lambdaBounds: null`
 * gives the authors' space.
 *
 * Bounds: density ∈ [0.1, 1] and weight ∈ [0, 1] for every model (densities below 0.1 make DARE's 1/d
 * rescaling explode).
 */
import { accuracy, type MLP } from "./mlp.ts";
import { deltaL1, type MergeConfig, type MergeMethod, mergeModels } from "./merge.ts";
import type { Task } from "./tasks.ts";

/** Options of {@link MergeProblem}. */
export interface MergeProblemOptions {
  /** The merge method (default "dare_ties"). */
  method?: MergeMethod;
  /** Range of each density (default [0.1, 1]). */
  densityBounds?: [number, number];
  /** Range of each weight (default [0, 1]). */
  weightBounds?: [number, number];
  /** Range of the global scale λ, a last coordinate of x; default [0, 3]; `null`: λ fixed at 1. */
  lambdaBounds?: [number, number] | null;
  /** Seed of DARE's drop masks (fixed for the whole search); default 0. */
  mergeSeed?: number;
}

/** One evaluated configuration. */
export interface MergeEvaluation {
  /** Accuracy on each task. */
  readonly accuracy: Float64Array;
  /** Σ|θ_merged − θ_base|: how far the merge moved from the base. */
  readonly deltaL1: number;
}

/** The merging problem over the source models and tasks. */
export class MergeProblem {
  /** The base model. */
  readonly base: MLP;
  /** The source models, one per task. */
  readonly experts: readonly MLP[];
  /** The tasks, one objective each. */
  readonly tasks: readonly Task[];
  /** The merge method. */
  readonly method: MergeMethod;
  /** Length of a configuration x. */
  readonly nVar: number;
  /** Lower bounds of x. */
  readonly lower: Float64Array;
  /** Upper bounds of x. */
  readonly upper: Float64Array;
  /** Seed of DARE's drop masks. */
  readonly mergeSeed: number;
  /** Whether x ends with the scale λ. */
  readonly hasLambda: boolean;

  /** The problem of merging `experts` (one per task, fine-tuned from `base`) scored on `tasks`. */
  constructor(base: MLP, experts: readonly MLP[], tasks: readonly Task[], options: MergeProblemOptions = {}) {
    if (experts.length !== tasks.length) {
      throw new RangeError(`MergeProblem: ${experts.length} source models for ${tasks.length} tasks`);
    }
    this.base = base;
    this.experts = experts;
    this.tasks = tasks;
    this.method = options.method ?? "dare_ties";
    this.mergeSeed = options.mergeSeed ?? 0;
    const [dLo, dHi] = options.densityBounds ?? [0.1, 1];
    const [wLo, wHi] = options.weightBounds ?? [0, 1];
    if (!(dLo > 0 && dLo < dHi && dHi <= 1)) {
      throw new RangeError(`MergeProblem: density bounds [${dLo}, ${dHi}]`);
    }
    if (!(wLo < wHi)) throw new RangeError(`MergeProblem: weight bounds [${wLo}, ${wHi}]`);
    const lb = options.lambdaBounds === undefined ? [0, 3] : options.lambdaBounds;
    if (lb !== null && !(lb[0] >= 0 && lb[0] < lb[1] && Number.isFinite(lb[1]))) {
      throw new RangeError(`MergeProblem: lambda bounds [${lb[0]}, ${lb[1]}]`);
    }
    this.hasLambda = lb !== null;
    const K = experts.length;
    this.nVar = 2 * K + (lb !== null ? 1 : 0);
    this.lower = new Float64Array(this.nVar);
    this.upper = new Float64Array(this.nVar);
    for (let k = 0; k < K; k++) {
      this.lower[2 * k] = dLo;
      this.upper[2 * k] = dHi;
      this.lower[2 * k + 1] = wLo;
      this.upper[2 * k + 1] = wHi;
    }
    if (lb !== null) {
      this.lower[2 * K] = lb[0];
      this.upper[2 * K] = lb[1];
    }
  }

  /** The merge configuration of x = (d_1, w_1, …, d_K, w_K[, λ]). */
  config(x: ArrayLike<number>): MergeConfig {
    if (x.length !== this.nVar) {
      throw new RangeError(`MergeProblem: x has ${x.length} values, expected ${this.nVar}`);
    }
    const K = this.experts.length;
    for (let j = 0; j < x.length; j++) {
      if (!(x[j] >= this.lower[j] - 1e-12 && x[j] <= this.upper[j] + 1e-12)) {
        throw new RangeError(`MergeProblem: x[${j}] = ${x[j]} outside [${this.lower[j]}, ${this.upper[j]}]`);
      }
    }
    return {
      method: this.method,
      densities: Array.from({ length: K }, (_, k) => x[2 * k]),
      weights: Array.from({ length: K }, (_, k) => x[2 * k + 1]),
      ...(this.hasLambda ? { lambda: x[2 * K] } : {}),
      seed: this.mergeSeed,
    };
  }

  /** The merged model of x. */
  merged(x: ArrayLike<number>): MLP {
    return mergeModels(this.base, this.experts, this.config(x));
  }

  /** Accuracies on each task's split and the L1 distance from the base. */
  evaluate(x: ArrayLike<number>, split: "validation" | "test" = "validation"): MergeEvaluation {
    return evaluateModel(this.merged(x), this.base, this.tasks, split);
  }

  /** x from a point of the unit cube. */
  fromUnit(u: ArrayLike<number>): Float64Array {
    return Float64Array.from(
      { length: this.nVar },
      (_, j) => this.lower[j] + u[j] * (this.upper[j] - this.lower[j]),
    );
  }

  /** The unit-cube point of x. */
  toUnit(x: ArrayLike<number>): Float64Array {
    return Float64Array.from(
      { length: this.nVar },
      (_, j) => (x[j] - this.lower[j]) / (this.upper[j] - this.lower[j]),
    );
  }
}

/** Accuracies of a model on each task's split (task k is head k) and its L1 distance from `base`. */
export function evaluateModel(
  model: MLP,
  base: MLP,
  tasks: readonly Task[],
  split: "validation" | "test" = "validation",
): MergeEvaluation {
  return {
    accuracy: Float64Array.from(tasks, (t, k) => accuracy(model, k, t[split])),
    deltaL1: deltaL1(model, base),
  };
}

/** The minimised objective vector of an evaluation (see the module doc for the sign convention). */
export function objectiveVector(e: MergeEvaluation, sparsity = true): Float64Array {
  const out = Array.from(e.accuracy, (a) => 1 - a);
  if (sparsity) out.push(e.deltaL1);
  return Float64Array.from(out);
}
