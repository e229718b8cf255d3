/**
 * One run of the routing benchmark on a dataset and a seeded split: every method learns from the same
 * labelled queries (the training split, plus the validation split for what each method tunes) and is
 * scored on the same test queries with the true outcomes.
 *
 * Methods: OptLLM (robust predictions from u bootstrap forests, α = 0.5, GN = 50), the cascade (query-only
 * forest scorer, chains and thresholds chosen on the validation split), the two-model threshold router
 * (win-probability forest, threshold swept), random mixing along the single LLMs' hull, and each LLM
 * alone; references: the true front (the best assignment with known outcomes) and the LP bound of the
 * true outcomes (the best fractional assignment).
 *
 * @module
 */
import type { AllocationData } from "../optllm/datasets.ts";
import { type Features, tfidfFeatures } from "../optllm/features.ts";
import {
  type ForestOptions,
  predictSuccess,
  robustAccuracy,
  type Split,
  splitIndices,
  trainForest,
} from "../optllm/prediction.ts";
import { allocationOf, truthOf } from "../optllm/problem.ts";
import { optllm } from "../optllm/optimise.ts";
import { trueFront } from "../optllm/truefront.ts";
import { lpBound } from "../optllm/bound.ts";
import { Rng } from "../core/rng.ts";
import { type RoutePoint, routePoint, singlePoints, strongestModel } from "./points.ts";
import { cascadeCandidates, fitCascades, runCascade, undominatedModels } from "./cascade.ts";
import { sweepThresholds, thresholdRouter, winLabels } from "./threshold.ts";
import { randomMixing } from "./mixing.ts";
import { hvNormalised, normaliser } from "./metrics.ts";

/** Options of {@link runRouting}. */
export interface RoutingOptions {
  /** Training and validation shares (default 1% each, the OptLLM paper's) and the split seed. */
  train?: number;
  /** Validation share (default 1%). */
  val?: number;
  /** Split seed (default 1). */
  seed?: number;
  /** OptLLM's bootstrap resamples (default 100). */
  u?: number;
  /** Every forest's settings (default: trainForest's, 100 trees). */
  forest?: ForestOptions;
  /** OptLLM's α (default 0.5) and GN (default 50). */
  alpha?: number;
  /** OptLLM's GN (default 50). */
  GN?: number;
}

/** Everything one run gives. */
export interface RoutingRun {
  /** The dataset. */
  readonly data: AllocationData;
  /** The training, validation and test queries. */
  readonly split: Split;
  /** The strongest LLM on the test queries (what the metrics refer to). */
  readonly strong: number;
  /** Operating points of each method on the test queries. */
  readonly methods: Record<string, RoutePoint[]>;
  /** The true front and the LP-bound vertices on the test queries (references, not methods). */
  readonly trueFront: RoutePoint[];
  /** The LP bound's vertices on the test queries. */
  readonly bound: { cost: number; acc: number }[];
  /** What the cascade and the router chose. */
  readonly chosen: { cascades: number; routerPair: [number, number] };
  /**
   * Wall times in milliseconds (reported, never checked): each method with its forests, and the search
   * alone given the predictions ("OptLLM optimisation", "cascade search and scoring", "threshold sweep").
   */
  readonly ms: Record<string, number>;
}

/** The method names of a run, in display order. */
export const ROUTING_METHODS = [
  "OptLLM",
  "cascade",
  "threshold router",
  "random mixing",
  "single LLMs",
] as const;

function forestScores(
  X: Features,
  data: AllocationData,
  split: Split,
  forest: ForestOptions | undefined,
  seed: number,
): { val: Float64Array; test: Float64Array } {
  const m = data.m, rng = new Rng(seed);
  const val = new Float64Array(split.val.length * m), test = new Float64Array(split.test.length * m);
  for (let k = 0; k < m; k++) {
    const y = Array.from(split.train, (i) => data.correct[i * m + k]);
    const f = trainForest(X, split.train, y, { ...forest, seed: rng.int(2 ** 31) });
    f.predict(X, split.val).forEach((p, r) => (val[r * m + k] = p));
    f.predict(X, split.test).forEach((p, r) => (test[r * m + k] = p));
  }
  return { val, test };
}

/** Runs every method on one seeded split of `data`. */
export function runRouting(data: AllocationData, options: RoutingOptions = {}): RoutingRun {
  const seed = options.seed ?? 1;
  const split = splitIndices(data.n, { train: options.train ?? 0.01, val: options.val ?? 0.01, seed });
  const { test } = split, m = data.m;
  const labelled = Int32Array.from([...split.train, ...split.val]);
  const strong = strongestModel(data, test);
  const ms: Record<string, number> = {};
  let t = performance.now();
  const X = tfidfFeatures(data.queries, { dim: 256, fitRows: split.train });
  ms.features = performance.now() - t;

  // OptLLM
  t = performance.now();
  const pred = predictSuccess(X, data.correct, m, split, {
    u: options.u ?? 100,
    forest: options.forest,
    seed,
  });
  const inst = allocationOf(data, test, robustAccuracy(pred, options.alpha ?? 0.5));
  let t1 = performance.now();
  const res = optllm(inst, { GN: options.GN ?? 50 });
  ms["OptLLM optimisation"] = performance.now() - t1;
  const optPts = res.solutions.map((s) => routePoint(data, test, s.assign, strong));
  ms.OptLLM = performance.now() - t;

  // cascade: scorer forests on the training split, chains and thresholds chosen on the validation split
  t = performance.now();
  const sc = forestScores(X, data, split, options.forest, seed + 1000);
  const pool = undominatedModels(data, labelled);
  t1 = performance.now();
  const fitted = pool.length >= 2 ? fitCascades(data, split.val, sc.val, cascadeCandidates(pool)) : [];
  const cascadePts = fitted.map((c) => runCascade(data, test, sc.test, c, strong));
  ms["cascade search and scoring"] = performance.now() - t1;
  ms.cascade = performance.now() - t;

  // threshold router: strong = most accurate on the labelled queries; weak chosen on the validation split
  t = performance.now();
  const sL = strongestModel(data, labelled);
  const labelledSingles = singlePoints(data, labelled, sL);
  const N = normaliser(labelledSingles);
  let best: { hv: number; weak: number; pTest: Float64Array } = {
    hv: -Infinity,
    weak: -1,
    pTest: new Float64Array(0),
  };
  const rng = new Rng(seed + 2000);
  for (let w = 0; w < m; w++) {
    if (w === sL || !(labelledSingles[w].cost < labelledSingles[sL].cost)) continue;
    const f = trainForest(X, split.train, winLabels(data, split.train, sL, w), {
      ...options.forest,
      seed: rng.int(2 ** 31),
    });
    const pVal = f.predict(X, split.val);
    const hv = hvNormalised(
      thresholdRouter(data, split.val, pVal, sL, w, sweepThresholds(pVal)).map((p) => ({
        cost: (p.cost * labelled.length) / split.val.length,
        acc: p.acc,
      })),
      N,
    );
    if (hv > best.hv) best = { hv, weak: w, pTest: f.predict(X, test) };
  }
  t1 = performance.now();
  const routerPts = best.weak < 0
    ? []
    : thresholdRouter(data, test, best.pTest, sL, best.weak, sweepThresholds(best.pTest));
  ms["threshold sweep"] = performance.now() - t1;
  ms["threshold router"] = performance.now() - t;

  const truth = allocationOf(data, test, truthOf(data, test));
  const tf = trueFront(truth).front;
  const b = lpBound(truth).curve;
  return {
    data,
    split,
    strong,
    methods: {
      OptLLM: optPts,
      cascade: cascadePts,
      "threshold router": routerPts,
      "random mixing": randomMixing(data, test, strong, { seed }),
      "single LLMs": singlePoints(data, test, strong),
    },
    trueFront: Array.from({ length: tf.n }, (_, i) => ({
      cost: tf.data[2 * i],
      acc: tf.data[2 * i + 1],
      strongShare: NaN,
    })),
    bound: Array.from({ length: b.n }, (_, i) => ({ cost: b.data[2 * i], acc: b.data[2 * i + 1] })),
    chosen: { cascades: fitted.length, routerPair: [best.weak, sL] },
    ms,
  };
}
