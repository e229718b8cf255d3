/**
 * The OptLLM experiment pipeline for notebooks and benchmarks: split → features → prediction → robust
 * accuracies → optimisation, then scoring on the true outcomes against the true front; the ablations
 * (Section VI-B) and the evolutionary baselines with the same predictions (Section V-C2).
 *
 * @module
 */
import { type Points, points } from "../core/points.ts";
import { makeAlgorithm } from "../algorithms/registry.ts";
import type { AllocationData } from "./datasets.ts";
import { type FeatureOptions, type Features, tfidfFeatures } from "./features.ts";
import {
  type Prediction,
  type PredictionOptions,
  predictSuccess,
  robustAccuracy,
  type Split,
  splitIndices,
} from "./prediction.ts";
import { type Allocation, allocationOf, assignmentProblem, evaluateAssignment, truthOf } from "./problem.ts";
import {
  initialSolutions,
  nondominatedSolutions,
  optllm,
  type OptLLMOptions,
  type OptLLMResult,
  type Solution,
} from "./optimise.ts";
import { deltaAuthorsCode, deltaCostAcc, igdCostAcc, type TrueFront, trueFront } from "./truefront.ts";

/** Options of {@link runPipeline}. */
export interface PipelineOptions {
  /** Training and validation fractions and the split seed (default 1%, 1%, seed 1). */
  split?: { train?: number; val?: number; seed?: number };
  /** Feature settings (default: {@link tfidfFeatures}'s). */
  features?: FeatureOptions;
  /** Prediction settings (default: {@link predictSuccess}'s). */
  prediction?: PredictionOptions;
  /** α of Eq. 9 (default 0.5, the paper's Section V-E setting). */
  alpha?: number;
  /** GN (default 50). */
  GN?: number;
  /**
   * Search toward accuracy with the base model's predictions and toward cost with the robust ones, as
   * the authors' code does ({@link OptLLMOptions.towardAcc}); default false (the paper: robust both ways).
   */
  authorsDirections?: boolean;
}

/** Everything one run of OptLLM on a dataset produces. */
export interface Pipeline {
  /** The dataset. */
  readonly data: AllocationData;
  /** The training, validation and test queries. */
  readonly split: Split;
  /** The features of every query. */
  readonly X: Features;
  /** The predicted success of each LLM on the test queries. */
  readonly pred: Prediction;
  /** α of Eq. 9. */
  readonly alpha: number;
  /** The test queries with the robust predicted accuracies (what the optimisers see). */
  readonly inst: Allocation;
  /** The test queries with their true 0/1 outcomes. */
  readonly truth: Allocation;
  /** The optimisation's result on `inst`. */
  readonly result: OptLLMResult;
  /** The true front of `truth`. */
  readonly front: TrueFront;
  /** Wall times in milliseconds (reported, never checked). */
  readonly ms: { features: number; prediction: number; optimisation: number };
}

/** Runs OptLLM end to end on a dataset (seeded: the same options give the same numbers). */
export function runPipeline(data: AllocationData, options: PipelineOptions = {}): Pipeline {
  const split = splitIndices(data.n, options.split ?? {});
  let t = performance.now();
  const X = tfidfFeatures(data.queries, { ...options.features, fitRows: split.train });
  const tf = performance.now() - t;
  t = performance.now();
  const pred = predictSuccess(X, data.correct, data.m, split, options.prediction);
  const tp = performance.now() - t;
  const alpha = options.alpha ?? 0.5;
  const inst = allocationOf(data, split.test, robustAccuracy(pred, alpha));
  const truth = allocationOf(data, split.test, truthOf(data, split.test));
  t = performance.now();
  const towardAcc = options.authorsDirections ? allocationOf(data, split.test, pred.base) : undefined;
  const result = optllm(inst, { GN: options.GN, towardAcc });
  const to = performance.now() - t;
  return {
    data,
    split,
    X,
    pred,
    alpha,
    inst,
    truth,
    result,
    front: trueFront(truth),
    ms: { features: tf, prediction: tp, optimisation: to },
  };
}

/** (f_cost, true f_acc) of assignments, as rows of a {@link Points}. */
export function trueObjectives(truth: Allocation, assigns: readonly ArrayLike<number>[]): Points {
  const d = new Float64Array(2 * assigns.length);
  assigns.forEach((a, r) => {
    const e = evaluateAssignment(truth, a);
    d[2 * r] = e.cost, d[2 * r + 1] = e.acc;
  });
  return points(d, 2);
}

/** The non-dominated (least cost, most accuracy) rows of (cost, accuracy) points, sorted by cost. */
export function nondominatedCostAcc(p: Points): Points {
  const sols: Solution[] = [];
  for (let i = 0; i < p.n; i++) {
    sols.push({ assign: new Uint8Array(0), cost: p.data[2 * i], acc: p.data[2 * i + 1] });
  }
  return points(nondominatedSolutions(sols).flatMap((s) => [s.cost, s.acc]), 2);
}

/** Quality of a solution set on the true outcomes (Table V's columns, and more). */
export interface SetMetrics {
  /** IGD against the true front (the authors' code: mean distance). */
  IGD: number;
  /** Δ by the paper's formula (Deb's spread). */
  delta: number;
  /** Δ as the authors' code computes it. */
  deltaCode: number;
  /** Number of non-dominated solutions. */
  N: number;
  /** The highest true accuracy and its cost (Table III). */
  maxAcc: number;
  /** The cost of the solution of highest true accuracy. */
  costAtMaxAcc: number;
}

/**
 * Metrics of (cost, true accuracy) points against the true front: the set is first reduced to its
 * non-dominated solutions (as the authors' `is_pareto_`), then IGD and Δ on raw (cost, accuracy).
 */
export function setMetrics(sols: Points, front: Points): SetMetrics {
  const nd = nondominatedCostAcc(sols);
  let maxAcc = -Infinity, costAtMaxAcc = NaN;
  for (let i = 0; i < nd.n; i++) {
    if (nd.data[2 * i + 1] > maxAcc) maxAcc = nd.data[2 * i + 1], costAtMaxAcc = nd.data[2 * i];
  }
  return {
    IGD: igdCostAcc(nd, front),
    delta: deltaCostAcc(nd, front),
    deltaCode: deltaAuthorsCode(nd, front),
    N: nd.n,
    maxAcc,
    costAtMaxAcc,
  };
}

/** The least cost at which the (cost, accuracy) set reaches accuracy `target` (NaN when it never does). */
export function costToReach(sols: Points, target: number, tol = 1e-12): number {
  let best = NaN;
  for (let i = 0; i < sols.n; i++) {
    if (sols.data[2 * i + 1] >= target - tol && !(sols.data[2 * i] >= best)) best = sols.data[2 * i];
  }
  return best;
}

/**
 * OptLLM without optimisation (Section VI-B, OptLLM_w/o o): an LLM "can process" a query when its
 * predicted probability exceeds the threshold; each query goes to the cheapest such LLM (to its cheapest
 * LLM when none qualifies). The paper states the rule at 0.5; a sweep of thresholds gives the few
 * solutions of its Figure 5.
 */
export function withoutOptimisation(inst: Allocation, thresholds: readonly number[] = [0.5]): Solution[] {
  const { n, m, cost, acc } = inst;
  const out: Solution[] = [];
  for (const th of thresholds) {
    const a = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * m;
      let best = -1, cheapest = 0;
      for (let k = 0; k < m; k++) {
        if (cost[o + k] < cost[o + cheapest]) cheapest = k;
        if (acc[o + k] > th && (best < 0 || cost[o + k] < cost[o + best])) best = k;
      }
      a[i] = best >= 0 ? best : cheapest;
    }
    const e = evaluateAssignment(inst, a);
    out.push({ assign: a, cost: e.cost, acc: e.acc });
  }
  return nondominatedSolutions(out);
}

/**
 * The baselines' settings the authors tuned with Optuna (100 trials each; `parameter_setting/res_/*.txt`,
 * used in `baselines/pymoo_lib.py` and `pygmo_lib.py`), where moolab's implementation has the same knob.
 * Left out, because moolab has no such option: NSGA-II's and SMS-EMOA's mutation probability (pymoo's
 * per-individual `prob` 0.81 and 0.07; moolab mutates each variable with 1/n), MOPSO's c1 0.75 and c2 0.15
 * (pagmo's NSPSO; moolab's MOPSO has only the inertia), MOEA/D-GEN's random weights (moolab: grid).
 */
export const AUTHORS_BASELINE_SETTINGS: Readonly<Record<string, Record<string, unknown>>> = {
  "NSGA-II": { sampling: "lhs", crossover: { prob: 0.778, eta: 7 }, mutation: { eta: 9 } },
  "SMS-EMOA": { popSize: 10, crossover: { prob: 0.7595, eta: 5 }, mutation: { eta: 28 } },
  "R-NSGA-II": { epsilon: 0.9964 },
  "MOEA/D": { neighbours: 10, decomposition: "pbi" },
  "MOEA/D-GEN": { neighbours: 24, decomposition: "tchebycheff" },
  MOPSO: { inertia: 0.7887 },
};

/** Options of {@link runBaseline}. */
export interface BaselineOptions {
  /** Population (default 100, or the authors' setting with `settings: "authors"`). */
  popSize?: number;
  /** "defaults" (moolab's, population 100) or "authors" ({@link AUTHORS_BASELINE_SETTINGS}). */
  settings?: "defaults" | "authors";
  /**
   * Iterations (generations; for the steady-state SMS-EMOA, popSize evaluations each), the run stopping
   * at popSize × maxGenerations evaluations. Default 200.
   */
  maxGenerations?: number;
  /** Seed of the run (default 1). */
  seed?: number;
}

/**
 * One evolutionary baseline on the assignment problem with the same predicted accuracies (integer
 * variables, objectives (f_cost, −f_acc')); returns the final non-dominated assignments and the time.
 * R-NSGA-II's reference point is the ideal point (f_cost(s_c), f_acc(s_h)) of the instance; with the
 * authors' settings, the two points of s_c and s_h, as their code.
 */
export function runBaseline(
  name: string,
  inst: Allocation,
  options: BaselineOptions = {},
): { assigns: Uint8Array[]; seconds: number } {
  const tuned = options.settings === "authors" ? AUTHORS_BASELINE_SETTINGS[name] ?? {} : {};
  const popSize = options.popSize ?? (tuned.popSize as number | undefined) ?? 100;
  if ("generations" in options) {
    throw new RangeError("runBaseline: `generations` is now `maxGenerations` (the library's word)");
  }
  const generations = options.maxGenerations ?? 200;
  if (!(Number.isInteger(generations) && generations >= 1)) {
    throw new RangeError(`runBaseline: maxGenerations must be a positive integer, got ${generations}`);
  }
  const problem = assignmentProblem(inst, "OptLLM-assignment");
  const algoOptions: Record<string, unknown> = { ...tuned, popSize, seed: options.seed ?? 1 };
  if (name === "R-NSGA-II" && options.settings === "authors") {
    // the authors' reference points: the objectives of s_c and s_h (baselines/pymoo_lib.py, rnsga2)
    const { sc, sh } = initialSolutions(inst);
    algoOptions.refPoints = [[sc.cost, -sc.acc], [sh.cost, -sh.acc]];
  } else if (name === "R-NSGA-II") {
    let c = 0, a = 0;
    for (let i = 0; i < inst.n; i++) {
      let cmin = Infinity, amax = -Infinity;
      for (let k = 0; k < inst.m; k++) {
        cmin = Math.min(cmin, inst.cost[i * inst.m + k]);
        amax = Math.max(amax, inst.acc[i * inst.m + k]);
      }
      c += cmin, a += amax;
    }
    algoOptions.refPoints = [[c, -a / inst.n]];
  }
  const t = performance.now();
  const result = makeAlgorithm(name, problem, algoOptions).run({ maxEvaluations: popSize * generations });
  const seconds = (performance.now() - t) / 1000;
  const X = result.paretoSet;
  const assigns: Uint8Array[] = [];
  for (let r = 0; r < X.n; r++) {
    const a = new Uint8Array(inst.n);
    for (let i = 0; i < inst.n; i++) {
      a[i] = Math.min(inst.m - 1, Math.max(0, Math.round(X.data[r * X.m + i])));
    }
    assigns.push(a);
  }
  return { assigns, seconds };
}

/** The six baselines of the paper (Section V-C2), by their moolab names. */
export const BASELINES = ["NSGA-II", "MOPSO", "MOEA/D", "R-NSGA-II", "SMS-EMOA", "MOEA/D-GEN"] as const;

/** Re-runs only the optimisation of a pipeline with other predicted accuracies (ablations, α, GN). */
export function reoptimise(
  p: Pipeline,
  acc: Float64Array,
  GN = 50,
  options: { towardAcc?: Float64Array } = {},
): { inst: Allocation; result: OptLLMResult } {
  const inst = allocationOf(p.data, p.split.test, acc);
  const o: OptLLMOptions = { GN };
  if (options.towardAcc) o.towardAcc = allocationOf(p.data, p.split.test, options.towardAcc);
  return { inst, result: optllm(inst, o) };
}
