/**
 * The baselines of the merging experiment: random search and NSGA-II over the same configurations
 * and budget as MM-MO, each source model alone, and the other merge methods tuned on the validation
 * split over the same λ range with the same number of validation evaluations.
 */
import { defineProblem } from "../core/problem.ts";
import { Rng } from "../core/rng.ts";
import { NSGA2 } from "../algorithms/nsga2.ts";
import type { MergeConfig } from "./merge.ts";
import { mergeModels } from "./merge.ts";
import type { MLP } from "./mlp.ts";
import { evaluateModel, type MergeEvaluation, type MergeProblem, objectiveVector } from "./problem.ts";
import type { SearchRecord, SearchResult } from "./search.ts";

/** The evaluation budget of a baseline: `maxEvaluations` (default 30), a positive integer. */
function maxEvaluationsOf(where: string, options: { maxEvaluations?: number }): number {
  if ("budget" in options) {
    throw new RangeError(`${where}: \`budget\` is now \`maxEvaluations\` (the library's word)`);
  }
  const n = options.maxEvaluations ?? 30;
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new RangeError(`${where}: maxEvaluations must be a positive integer, got ${n}`);
  }
  return n;
}

function record(problem: MergeProblem, x: Float64Array, batch: number): SearchRecord {
  const e = problem.evaluate(x);
  return { x: Array.from(x), accuracy: Array.from(e.accuracy), deltaL1: e.deltaL1, batch };
}

/** `maxEvaluations` configurations (default 30) drawn uniformly in the bounds. */
export function randomSearch(
  problem: MergeProblem,
  options: { seed?: number; maxEvaluations?: number } = {},
): SearchResult {
  const budget = maxEvaluationsOf("randomSearch", options);
  const rng = new Rng(options.seed ?? 1);
  const records: SearchRecord[] = [];
  for (let i = 0; i < budget; i++) {
    const u = Float64Array.from({ length: problem.nVar }, () => rng.random());
    records.push(record(problem, problem.fromUnit(u), 0));
  }
  return { name: "random search", records };
}

/**
 * NSGA-II (lib/algorithms, ask/tell) on the same objectives, population `popSize` (default 10), until
 * `maxEvaluations` evaluations (default 30: the initial population and two generations).
 */
export function nsga2Search(
  problem: MergeProblem,
  options: { seed?: number; maxEvaluations?: number; popSize?: number; sparsity?: boolean } = {},
): SearchResult {
  const sparsity = options.sparsity ?? true;
  const m = problem.tasks.length + (sparsity ? 1 : 0);
  const p = defineProblem({
    name: "merge",
    lower: problem.lower,
    upper: problem.upper,
    nObj: m,
    objectives: (x) => objectiveVector(problem.evaluate(x), sparsity),
  });
  const budget = maxEvaluationsOf("nsga2Search", options);
  const algo = new NSGA2(p, { popSize: options.popSize ?? 10, seed: options.seed ?? 1 });
  const records: SearchRecord[] = [];
  let gen = 0;
  while (records.length < budget) {
    const X = algo.ask();
    const n = X.length / problem.nVar;
    const F = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      const x = X.slice(i * problem.nVar, (i + 1) * problem.nVar);
      const r = record(problem, x, gen);
      if (records.length < budget) records.push(r);
      F.set(
        objectiveVector({ accuracy: Float64Array.from(r.accuracy), deltaL1: r.deltaL1 }, sparsity),
        i * m,
      );
    }
    algo.tell(F);
    gen++;
  }
  return { name: "NSGA-II", records };
}

/** A named model and its accuracies on the validation and test splits. */
export interface ScoredModel {
  /** The model's name (a source, a method, a search). */
  readonly name: string;
  /** Its accuracies on the validation splits. */
  readonly validation: MergeEvaluation;
  /** Its accuracies on the test splits. */
  readonly test: MergeEvaluation;
  /** The merging configuration, for a merged model. */
  readonly config?: MergeConfig;
  /** Validation evaluations spent choosing it (tuned methods). */
  readonly evaluations?: number;
}

/** The base model and each source model alone, on every task. */
export function scoreSources(problem: MergeProblem): ScoredModel[] {
  const score = (name: string, m: MLP): ScoredModel => ({
    name,
    validation: evaluateModel(m, problem.base, problem.tasks, "validation"),
    test: evaluateModel(m, problem.base, problem.tasks, "test"),
  });
  return [
    score("base model", problem.base),
    ...problem.experts.map((e, k) => score(`source: ${problem.tasks[k].name} model`, e)),
  ];
}

/** Mean of an evaluation's accuracies. */
export function meanAccuracy(e: MergeEvaluation): number {
  let s = 0;
  for (const a of e.accuracy) s += a;
  return s / e.accuracy.length;
}

/** Options of {@link tunedMergeMethods}. */
export interface TuningOptions {
  /** Validation evaluations per method; default 30 (MM-MO's budget). */
  maxEvaluations?: number;
  /** Range of λ; default the problem's λ range ([0, 3]), else [0, 1]. */
  lambdaBounds?: [number, number];
  /** Range of the density; default the problem's density range ([0.1, 1]). */
  densityBounds?: [number, number];
  /** Seed of linear's random weights; default 1. */
  seed?: number;
}

/** n evenly spaced values of (lo, hi]: lo + (hi − lo)·i/n, i = 1…n (λ = 0 would be the base model). */
function grid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * (i + 1)) / n);
}

/**
 * The standard merge methods with equal weights, each tuned by the mean validation accuracy over the
 * same range and with the same number of validation evaluations (`maxEvaluations`, here B) as the searches:
 * - linear (weight average, normalised as mergekit's `linear`): B random weight vectors in
 *   [0, 1]^K, the first the uniform one (linear has no λ);
 * - task arithmetic: λ on a grid of B values in (λ_lo, λ_hi];
 * - TIES, DARE (mergekit `dare_linear`) and DARE-TIES: density × λ on a 5 × ⌊B/5⌋ grid (densities
 *   evenly spaced over the density range, λ over (λ_lo, λ_hi]); when B < 5, one density (the top).
 * The `evaluations` field counts the validation evaluations each spent.
 */
export function tunedMergeMethods(problem: MergeProblem, options: TuningOptions = {}): ScoredModel[] {
  const K = problem.experts.length;
  const budget = maxEvaluationsOf("tunedMergeMethods", options);
  const j = 2 * K;
  const [lLo, lHi] = options.lambdaBounds ??
    (problem.hasLambda ? [problem.lower[j], problem.upper[j]] : [0, 1]);
  const [dLo, dHi] = options.densityBounds ?? [problem.lower[0], problem.upper[0]];
  const w = new Array(K).fill(1);
  const nd = budget >= 5 ? 5 : 1;
  const nl = Math.floor(budget / nd);
  const densities = nd === 1
    ? [dHi]
    : Array.from({ length: nd }, (_, i) => dLo + ((dHi - dLo) * i) / (nd - 1));
  const sparse = (method: "ties" | "dare" | "dare_ties"): MergeConfig[] =>
    densities.flatMap((d) =>
      grid(lLo, lHi, nl).map((lambda) => ({
        method,
        weights: w,
        densities: new Array(K).fill(d),
        lambda,
        seed: problem.mergeSeed,
      }))
    );
  const rng = new Rng(options.seed ?? 1);
  const grids: { name: string; configs: MergeConfig[] }[] = [
    {
      name: "linear (weight average)",
      configs: Array.from({ length: budget }, (_, i) => ({
        method: "linear" as const,
        weights: i === 0 ? w : Array.from({ length: K }, () => rng.random()),
      })),
    },
    {
      name: "task arithmetic",
      configs: grid(lLo, lHi, budget).map((lambda) => ({
        method: "task_arithmetic" as const,
        weights: w,
        lambda,
      })),
    },
    { name: "TIES", configs: sparse("ties") },
    { name: "DARE (task arithmetic)", configs: sparse("dare") },
    { name: "DARE-TIES (uniform)", configs: sparse("dare_ties") },
  ];
  return grids.map(({ name, configs }) => {
    let best: { c: MergeConfig; v: MergeEvaluation; model: MLP } | undefined;
    for (const c of configs) {
      const model = mergeModels(problem.base, problem.experts, c);
      const v = evaluateModel(model, problem.base, problem.tasks, "validation");
      if (!best || meanAccuracy(v) > meanAccuracy(best.v)) best = { c, v, model };
    }
    return {
      name,
      config: best!.c,
      validation: best!.v,
      test: evaluateModel(best!.model, problem.base, problem.tasks, "test"),
      evaluations: configs.length,
    };
  });
}

/** A model scored on every task (e.g. the multitask reference), named. */
export function scoreModel(problem: MergeProblem, name: string, model: MLP): ScoredModel {
  return {
    name,
    validation: evaluateModel(model, problem.base, problem.tasks, "validation"),
    test: evaluateModel(model, problem.base, problem.tasks, "test"),
  };
}
