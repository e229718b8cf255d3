/**
 * The baselines of the merging experiment: random search and NSGA-II over the same configurations
 * and budget as MM-MO, each source model alone, and the other merge methods with their scaling chosen
 * on the validation split.
 */
import { defineProblem } from "../core/problem.ts";
import { Rng } from "../core/rng.ts";
import { NSGA2 } from "../algorithms/nsga2.ts";
import type { MergeConfig } from "./merge.ts";
import { mergeModels } from "./merge.ts";
import type { MLP } from "./mlp.ts";
import { evaluateModel, type MergeEvaluation, type MergeProblem, objectiveVector } from "./problem.ts";
import type { SearchRecord, SearchResult } from "./search.ts";

function record(problem: MergeProblem, x: Float64Array, batch: number): SearchRecord {
  const e = problem.evaluate(x);
  return { x: Array.from(x), accuracy: Array.from(e.accuracy), deltaL1: e.deltaL1, batch };
}

/** `budget` configurations drawn uniformly in the bounds. */
export function randomSearch(
  problem: MergeProblem,
  options: { seed?: number; budget?: number } = {},
): SearchResult {
  const rng = new Rng(options.seed ?? 1);
  const budget = options.budget ?? 30;
  const records: SearchRecord[] = [];
  for (let i = 0; i < budget; i++) {
    const u = Float64Array.from({ length: problem.nVar }, () => rng.random());
    records.push(record(problem, problem.fromUnit(u), 0));
  }
  return { name: "random search", records };
}

/**
 * NSGA-II (lib/algorithms, ask/tell) on the same objectives, population `popSize` (default 10), until
 * `budget` evaluations (default 30: the initial population and two generations).
 */
export function nsga2Search(
  problem: MergeProblem,
  options: { seed?: number; budget?: number; popSize?: number; sparsity?: boolean } = {},
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
  const algo = new NSGA2(p, { popSize: options.popSize ?? 10, seed: options.seed ?? 1 });
  const budget = options.budget ?? 30;
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
  readonly name: string;
  readonly validation: MergeEvaluation;
  readonly test: MergeEvaluation;
  readonly config?: MergeConfig;
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

/**
 * The standard merge methods with equal weights, each with its scaling λ and density chosen from a
 * small grid by the mean validation accuracy (the usual practice of the TIES and DARE papers):
 * linear (no parameter), task arithmetic λ ∈ {0.3, 0.5, 0.7, 1}, TIES and DARE-TIES with density
 * ∈ {0.2, 0.5, 0.8} and λ ∈ {0.5, 1}, DARE with density ∈ {0.2, 0.5, 0.8} and λ ∈ {0.3, 0.5, 0.7, 1}.
 */
export function tunedMergeMethods(problem: MergeProblem): ScoredModel[] {
  const K = problem.experts.length;
  const w = new Array(K).fill(1);
  const grids: { name: string; configs: MergeConfig[] }[] = [
    { name: "linear (weight average)", configs: [{ method: "linear", weights: w }] },
    {
      name: "task arithmetic",
      configs: [0.3, 0.5, 0.7, 1].map((lambda) => ({ method: "task_arithmetic", weights: w, lambda })),
    },
    {
      name: "TIES",
      configs: [0.2, 0.5, 0.8].flatMap((d) =>
        [0.5, 1].map((lambda) =>
          ({ method: "ties", weights: w, densities: new Array(K).fill(d), lambda }) as MergeConfig
        )
      ),
    },
    {
      name: "DARE (task arithmetic)",
      configs: [0.2, 0.5, 0.8].flatMap((d) =>
        [0.3, 0.5, 0.7, 1].map((lambda) =>
          ({
            method: "dare",
            weights: w,
            densities: new Array(K).fill(d),
            lambda,
            seed: problem.mergeSeed,
          }) as MergeConfig
        )
      ),
    },
    {
      name: "DARE-TIES (uniform)",
      configs: [0.2, 0.5, 0.8].flatMap((d) =>
        [0.5, 1].map((lambda) =>
          ({
            method: "dare_ties",
            weights: w,
            densities: new Array(K).fill(d),
            lambda,
            seed: problem.mergeSeed,
          }) as MergeConfig
        )
      ),
    },
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
    };
  });
}
