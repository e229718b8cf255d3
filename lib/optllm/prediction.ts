/**
 * The prediction component of OptLLM (Section IV-A): for every LLM, the probability that it answers a
 * query correctly, from an ensemble of random forests trained on bootstrap resamples of a small
 * labelled set, aggregated by a weighted mean (Eq. 8) with a robustness term (Eq. 9).
 *
 * - Split (Section V-E, Table I): 1% of the queries for training, 1% for validation, 98% for testing,
 *   by a seeded permutation ({@link splitIndices}).
 * - One random forest per LLM (`npm:ml-random-forest`'s `RandomForestRegression` on the 0/1 labels, so
 *   a forest's output is the mean over trees of the leaf success frequencies — what scikit-learn's
 *   `predict_proba` of a random forest computes; the library's classifier only offers hard votes). The
 *   forest's own randomness is seeded.
 * - u bootstrap resamples of the training set; resample j gives p_j, and ω_j = the accuracy of p_j
 *   thresholded at 0.5 on the validation set. p̄ = Σ ω_j p_j / Σ ω_j (Eq. 8), σ = the standard
 *   deviation of the p_j (population form, as numpy's `std` in the authors' code), and the robust
 *   prediction p = p̄ + α σ (Eq. 9), see {@link robustAccuracy}. The weights are per LLM (one forest per
 *   LLM, so one validation accuracy per LLM and resample). A resample whose labels for an LLM are all
 *   one class gives the constant predictor of that class (the authors' code crashes there).
 * - The "base model" of Table IX: one forest per LLM on the whole training set, no bootstrap.
 *
 * Trained trees are compiled into flat typed arrays for prediction (walking ml-cart's node objects row
 * by row is far slower on 31,360 test queries); the compiled forest gives the library's predictions
 * exactly (tests/optllm_prediction_test.ts).
 *
 * @module
 */
import { RandomForestRegression } from "ml-random-forest";
import { Rng } from "../core/rng.ts";
import type { Features } from "./features.ts";

/** Index sets of a train / validation / test split. */
export interface Split {
  readonly train: Int32Array;
  readonly val: Int32Array;
  readonly test: Int32Array;
}

/** A seeded split: `train` and `val` fractions of n (at least 2 queries each), the rest for testing. */
export function splitIndices(
  n: number,
  options: { train?: number; val?: number; seed?: number } = {},
): Split {
  const ft = options.train ?? 0.01, fv = options.val ?? 0.01;
  if (!(ft > 0 && fv > 0 && ft + fv < 1)) {
    throw new RangeError(`splitIndices: need 0 < train, 0 < val, train + val < 1; got ${ft}, ${fv}`);
  }
  const nt = Math.max(2, Math.round(n * ft)), nv = Math.max(2, Math.round(n * fv));
  if (nt + nv >= n) throw new RangeError(`splitIndices: ${n} queries are too few for this split`);
  const perm = new Rng(options.seed ?? 1).permutation(n);
  const train = Int32Array.from(perm.slice(0, nt)).sort();
  const val = Int32Array.from(perm.slice(nt, nt + nv)).sort();
  const test = Int32Array.from(perm.slice(nt + nv)).sort();
  return { train, val, test };
}

/** Random-forest settings. */
export interface ForestOptions {
  /** Trees per forest (default 100, as the paper). */
  nEstimators?: number;
  /** Maximum tree depth (default 10, as the authors' code). */
  maxDepth?: number;
  /** Fraction of the features each tree sees (ml-random-forest's `maxFeatures`; default 0.2). */
  maxFeatures?: number;
}

/** A trained forest compiled to flat arrays, or a constant. */
export interface CompiledForest {
  /** Predicted success probability of each listed row of `X` (all rows by default). */
  predict(X: Features, rows?: ArrayLike<number>): Float64Array;
  readonly trees: number;
}

interface FlatTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

interface CartNode {
  left?: CartNode;
  right?: CartNode;
  splitColumn: number;
  splitValue: number;
  distribution: number;
}

function flatten(root: CartNode, index: number[]): FlatTree {
  const feature: number[] = [], threshold: number[] = [], left: number[] = [], right: number[] = [];
  const value: number[] = [];
  const visit = (node: CartNode): number => {
    const id = feature.length;
    feature.push(-1), threshold.push(0), left.push(-1), right.push(-1), value.push(0);
    if (node.left && node.right) {
      feature[id] = index[node.splitColumn];
      threshold[id] = node.splitValue;
      left[id] = visit(node.left);
      right[id] = visit(node.right);
    } else {
      value[id] = Number(node.distribution);
    }
    return id;
  };
  visit(root);
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
  };
}

function constantForest(p: number): CompiledForest {
  return {
    trees: 0,
    predict(X, rows) {
      return new Float64Array(rows ? rows.length : X.n).fill(p);
    },
  };
}

/**
 * Trains one forest on rows `rows` of `X` with 0/1 labels `y` (one per listed row); seeded. A single-class
 * label set gives the constant predictor.
 */
export function trainForest(
  X: Features,
  rows: ArrayLike<number>,
  y: ArrayLike<number>,
  options: ForestOptions & { seed: number },
): CompiledForest {
  if (rows.length !== y.length) {
    throw new RangeError(`trainForest: ${rows.length} rows but ${y.length} labels`);
  }
  if (rows.length === 0) throw new RangeError("trainForest: no training rows");
  let ones = 0;
  for (let r = 0; r < y.length; r++) {
    if (y[r] !== 0 && y[r] !== 1) throw new RangeError(`trainForest: label ${r} is ${y[r]}, not 0 or 1`);
    ones += y[r];
  }
  if (ones === 0 || ones === y.length) return constantForest(ones === 0 ? 0 : 1);
  const dim = X.dim;
  const train: number[][] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    train[r] = Array.from(X.data.subarray(i * dim, (i + 1) * dim));
  }
  const rf = new RandomForestRegression({
    nEstimators: options.nEstimators ?? 100,
    maxFeatures: options.maxFeatures ?? 0.2,
    treeOptions: { maxDepth: options.maxDepth ?? 10 },
    seed: options.seed,
    noOOB: true,
    replacement: false,
    useSampleBagging: true,
  });
  rf.train(train, Array.from(y));
  // deno-lint-ignore no-explicit-any
  const raw = rf as any as { estimators: { root: CartNode }[]; indexes: number[][] };
  const trees = raw.estimators.map((e, t) => flatten(e.root, raw.indexes[t]));
  return {
    trees: trees.length,
    predict(Xp, rowsP) {
      const nr = rowsP ? rowsP.length : Xp.n;
      const out = new Float64Array(nr);
      const d = Xp.data, D = Xp.dim;
      for (let r = 0; r < nr; r++) {
        const base = (rowsP ? rowsP[r] : r) * D;
        let s = 0;
        for (const t of trees) {
          let node = 0;
          while (t.feature[node] >= 0) {
            node = d[base + t.feature[node]] < t.threshold[node] ? t.left[node] : t.right[node];
          }
          s += t.value[node];
        }
        out[r] = s / trees.length;
      }
      return out;
    },
  };
}

/** Options of {@link predictSuccess}. */
export interface PredictionOptions {
  /** Bootstrap resamples u (default 100, as the paper). */
  u?: number;
  forest?: ForestOptions;
  seed?: number;
  /** Called after each (LLM, resample) with the number done and the total, for progress lines. */
  onProgress?: (done: number, total: number) => void;
}

/** What the prediction component gives for the test queries (row-major nTest × m). */
export interface Prediction {
  /** The test query indices (into the instance) the rows refer to. */
  readonly rows: Int32Array;
  readonly m: number;
  /** p̄: the validation-weighted mean over resamples (Eq. 8). */
  readonly mean: Float64Array;
  /** σ: the standard deviation over resamples. */
  readonly std: Float64Array;
  /** The base model: one forest per LLM on the whole training set. */
  readonly base: Float64Array;
  /** ω: validation accuracy of each resample's forest, u × m. */
  readonly weights: Float64Array;
  readonly u: number;
}

function valAccuracy(p: Float64Array, labels: Uint8Array, rows: Int32Array, m: number, k: number): number {
  let ok = 0;
  for (let r = 0; r < rows.length; r++) ok += (p[r] > 0.5 ? 1 : 0) === labels[rows[r] * m + k] ? 1 : 0;
  return ok / rows.length;
}

/**
 * Trains the prediction component on `split.train` (weights from `split.val`) and predicts every
 * `split.test` query: p̄, σ and the base model, per LLM. `correct` is the n × m 0/1 table.
 */
export function predictSuccess(
  X: Features,
  correct: Uint8Array,
  m: number,
  split: Split,
  options: PredictionOptions = {},
): Prediction {
  const u = options.u ?? 100;
  if (!Number.isInteger(u) || u < 1) {
    throw new RangeError(`predictSuccess: u must be a positive integer, got ${u}`);
  }
  if (correct.length !== X.n * m) {
    throw new RangeError(`predictSuccess: correct has ${correct.length} entries, expected ${X.n}×${m}`);
  }
  const rng = new Rng(options.seed ?? 1);
  const { train, val, test } = split;
  const nt = test.length;
  const mean = new Float64Array(nt * m), std = new Float64Array(nt * m), base = new Float64Array(nt * m);
  const weights = new Float64Array(u * m);
  const sum = new Float64Array(nt), sumSq = new Float64Array(nt), wsum = new Float64Array(nt);
  const total = m * (u + 1);
  let done = 0;
  for (let k = 0; k < m; k++) {
    const yTrain = Array.from(train, (i) => correct[i * m + k]);
    const baseForest = trainForest(X, train, yTrain, { ...options.forest, seed: rng.int(2 ** 31) });
    const pb = baseForest.predict(X, test);
    for (let r = 0; r < nt; r++) base[r * m + k] = pb[r];
    options.onProgress?.(++done, total);
    sum.fill(0), sumSq.fill(0), wsum.fill(0);
    let W = 0;
    for (let j = 0; j < u; j++) {
      const rows = new Int32Array(train.length), y = new Array<number>(train.length);
      for (let r = 0; r < train.length; r++) {
        const i = train[rng.int(train.length)];
        rows[r] = i;
        y[r] = correct[i * m + k];
      }
      const forest = trainForest(X, rows, y, { ...options.forest, seed: rng.int(2 ** 31) });
      const w = valAccuracy(forest.predict(X, val), correct, val, m, k);
      weights[j * m + k] = w;
      const p = forest.predict(X, test);
      for (let r = 0; r < nt; r++) {
        sum[r] += p[r];
        sumSq[r] += p[r] * p[r];
        wsum[r] += w * p[r];
      }
      W += w;
      options.onProgress?.(++done, total);
    }
    for (let r = 0; r < nt; r++) {
      const mu = sum[r] / u;
      mean[r * m + k] = W > 0 ? wsum[r] / W : mu;
      std[r * m + k] = Math.sqrt(Math.max(0, sumSq[r] / u - mu * mu));
    }
  }
  return { rows: test, m, mean, std, base, weights, u };
}

/** The robust-aware predicted accuracy p = p̄ + α σ (Eq. 9), row-major like `mean`. */
export function robustAccuracy(pred: Prediction, alpha: number): Float64Array {
  if (!Number.isFinite(alpha)) throw new RangeError(`robustAccuracy: alpha must be finite, got ${alpha}`);
  const out = new Float64Array(pred.mean.length);
  for (let i = 0; i < out.length; i++) out[i] = pred.mean[i] + alpha * pred.std[i];
  return out;
}

/**
 * Accuracy of thresholded predictions (p > 0.5 means "correct") against the true labels of `rows`:
 * `subset` is the share of queries whose m labels are all right (scikit-learn's multi-label
 * `accuracy_score`, which the authors' Table IX reports), `label` the share of right (query, LLM) pairs.
 */
export function predictionAccuracy(
  p: Float64Array,
  correct: Uint8Array,
  rows: ArrayLike<number>,
  m: number,
): { subset: number; label: number } {
  let exact = 0, right = 0;
  for (let r = 0; r < rows.length; r++) {
    let all = true;
    for (let k = 0; k < m; k++) {
      const ok = (p[r * m + k] > 0.5 ? 1 : 0) === correct[rows[r] * m + k];
      if (ok) right++;
      else all = false;
    }
    if (all) exact++;
  }
  return { subset: exact / rows.length, label: right / (rows.length * m) };
}
