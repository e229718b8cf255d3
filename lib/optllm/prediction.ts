/**
 * The prediction component of OptLLM (Section IV-A): for every LLM, the probability that it answers a
 * query correctly, from an ensemble of random forests trained on bootstrap resamples of a small
 * labelled set, aggregated by a weighted mean (Eq. 8) with a robustness term (Eq. 9).
 *
 * - Split (Section V-E, Table I): 1% of the queries for training, 1% for validation, 98% for testing,
 *   by a seeded permutation ({@link splitIndices}).
 * - One random forest per LLM (`npm:ml-random-forest`'s `RandomForestRegression` on the 0/1 labels, so
 *   a forest's output is the mean over trees of the leaf success frequencies — what scikit-learn's
 *   `predict_proba` of a random forest computes; the library's classifier only offers hard votes): 100
 *   trees of depth ≤ 10, ⌊√d⌋ features per tree, features in 16 quantile bins ({@link trainForest} says
 *   why). The forest's own randomness is seeded.
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
 * exactly (tests/optllm_method_test.ts).
 *
 * @module
 */
import { RandomForestRegression } from "ml-random-forest";
import { Rng } from "../core/rng.ts";
import type { Features } from "./features.ts";

/** Index sets of a train / validation / test split. */
export interface Split {
  /** Training query indices. */
  readonly train: Int32Array;
  /** Validation query indices. */
  readonly val: Int32Array;
  /** Test query indices (the rest). */
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
  /** Trees per forest (default 100, as the paper and scikit-learn). */
  nEstimators?: number;
  /** Maximum tree depth (default 10, as the authors' code). */
  maxDepth?: number;
  /**
   * Features each tree sees: `"sqrt"` (default: ⌊√d⌋, scikit-learn's `max_features="sqrt"`, drawn per
   * tree here, per split there), a fraction in (0, 1), or a count ≥ 1.
   */
  maxFeatures?: number | "sqrt";
  /**
   * Quantile bins per feature, fitted on the forest's training rows (default 16; 0 = the raw values).
   * Split search then tries at most ≈2·bins thresholds per feature and node instead of one per label
   * change, which is where `ml-cart`'s training time goes (see {@link trainForest}).
   */
  bins?: number;
}

/** A trained forest compiled to flat arrays, or a constant. */
export interface CompiledForest {
  /** Predicted success probability of each listed row of `X` (all rows by default). */
  predict(X: Features, rows?: ArrayLike<number>): Float64Array;
  /** Number of trees (0 for a constant). */
  readonly trees: number;
  /**
   * The `ml-random-forest` models (one tree each) and the bin edges their inputs were cut at, for
   * checking the compiled trees against the library (absent for a constant forest).
   */
  readonly source?: { models: RandomForestRegression[]; cuts: Float64Array[] | undefined };
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

/**
 * Compiles an ml-cart tree; `index` maps the tree's columns to feature indices, and `cuts` (when the
 * tree was trained on bin numbers) maps a threshold s on bin numbers back to the raw value: bin(v) < s
 * ⇔ bin(v) ≤ ⌈s⌉ − 1 ⇔ v < cuts[⌈s⌉ − 1].
 */
function flatten(root: CartNode, index: number[], cuts: Float64Array[] | undefined): FlatTree {
  const feature: number[] = [], threshold: number[] = [], left: number[] = [], right: number[] = [];
  const value: number[] = [];
  const visit = (node: CartNode): number => {
    const id = feature.length;
    feature.push(-1), threshold.push(0), left.push(-1), right.push(-1), value.push(0);
    if (node.left && node.right) {
      const j = index[node.splitColumn];
      feature[id] = j;
      if (cuts) {
        const b = Math.ceil(node.splitValue);
        threshold[id] = b <= 0 ? -Infinity : b > cuts[j].length ? Infinity : cuts[j][b - 1];
      } else {
        threshold[id] = node.splitValue;
      }
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
 * Bin edges of each feature over the listed rows: the distinct values at the quantiles 1/q … (q−1)/q
 * of the column, ascending, without the column's minimum (so no bin is empty). Bin of v = number of
 * edges ≤ v, in 0…q−1.
 */
export function quantileCuts(X: Features, rows: ArrayLike<number>, q: number): Float64Array[] {
  if (!Number.isInteger(q) || q < 2) throw new RangeError(`quantileCuts: need an integer q ≥ 2, got ${q}`);
  const n = rows.length, D = X.dim;
  const col = new Float64Array(n);
  const cuts: Float64Array[] = new Array(D);
  for (let j = 0; j < D; j++) {
    for (let r = 0; r < n; r++) col[r] = X.data[rows[r] * D + j];
    col.sort();
    const edges: number[] = [];
    for (let b = 1; b < q; b++) {
      const v = col[Math.floor((b * n) / q)];
      if (v > col[0] && (edges.length === 0 || v > edges[edges.length - 1])) edges.push(v);
    }
    cuts[j] = Float64Array.from(edges);
  }
  return cuts;
}

/** The bin numbers of row i of `X` under `cuts` (see {@link quantileCuts}). */
export function binRow(X: Features, i: number, cuts: readonly Float64Array[]): number[] {
  const D = X.dim, out = new Array<number>(D);
  for (let j = 0; j < D; j++) {
    const v = X.data[i * D + j], c = cuts[j];
    let lo = 0, hi = c.length; // number of edges ≤ v
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    out[j] = lo;
  }
  return out;
}

/** The number of features per tree that `maxFeatures` means for d features. */
export function featuresPerTree(maxFeatures: number | "sqrt", d: number): number {
  if (maxFeatures === "sqrt") return Math.max(1, Math.floor(Math.sqrt(d)));
  if (maxFeatures > 0 && maxFeatures < 1) return Math.max(1, Math.floor(d * maxFeatures));
  if (Number.isInteger(maxFeatures) && maxFeatures >= 1 && maxFeatures <= d) return maxFeatures;
  throw new RangeError(
    `maxFeatures must be "sqrt", a fraction in (0, 1) or a count 1…${d}; got ${maxFeatures}`,
  );
}

/**
 * Trains one random forest on rows `rows` of `X` with 0/1 labels `y` (one per listed row); seeded. A
 * single-class label set gives the constant predictor.
 *
 * Each tree is `ml-random-forest`'s `RandomForestRegression` with one estimator, trained on our own
 * bootstrap sample of the rows (scikit-learn's `bootstrap=True`), with the package's per-tree feature
 * sampling (`maxFeatures`). Where the time goes (measured on LogPai's 320 training queries, 256
 * features; bench/optllm_bench.ts): `ml-cart` tries, for every feature of the tree and every node, a
 * threshold between each pair of sorted neighbours whose labels differ, and scores each by a pass over
 * the node's samples — time ∝ features per tree × samples² (halving the samples divides it by ≈4; the
 * width of the feature vector only enters through the features per tree). Two changes that keep the
 * package as the learner cut it:
 *
 * - ⌊√d⌋ features per tree instead of 20% of them (scikit-learn's default count; it draws them per split);
 * - features cut into `bins` quantile bins (as histogram-based forests do) and the sample ordered by label,
 *   so that within a run of equal bin numbers the labels change at most once: at most ≈2·bins thresholds
 *   per feature and node. The thresholds found are mapped back to raw values, so prediction needs no bins.
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
  const nTrees = options.nEstimators ?? 100, bins = options.bins ?? 16;
  if (!Number.isInteger(nTrees) || nTrees < 1) {
    throw new RangeError(`trainForest: nEstimators must be a positive integer, got ${nTrees}`);
  }
  if (!(bins === 0 || (Number.isInteger(bins) && bins >= 2))) {
    throw new RangeError(`trainForest: bins must be 0 or an integer ≥ 2, got ${bins}`);
  }
  const maxFeatures = featuresPerTree(options.maxFeatures ?? "sqrt", X.dim);
  const dim = X.dim, n = rows.length;
  const cuts = bins > 0 ? quantileCuts(X, rows, bins) : undefined;
  const input: number[][] = new Array(n);
  for (let r = 0; r < n; r++) {
    input[r] = cuts
      ? binRow(X, rows[r], cuts)
      : Array.from(X.data.subarray(rows[r] * dim, (rows[r] + 1) * dim));
  }
  const rng = new Rng(options.seed);
  const models: RandomForestRegression[] = [];
  const trees: FlatTree[] = [];
  for (let t = 0; t < nTrees; t++) {
    const idx = Array.from({ length: n }, () => rng.int(n)).sort((a, b) => y[a] - y[b] || a - b);
    const rf = new RandomForestRegression({
      nEstimators: 1,
      maxFeatures,
      treeOptions: { maxDepth: options.maxDepth ?? 10 },
      seed: rng.int(2 ** 31),
      noOOB: true,
      replacement: false,
      useSampleBagging: false,
    });
    rf.train(idx.map((r) => input[r]), idx.map((r) => y[r]));
    models.push(rf);
    // deno-lint-ignore no-explicit-any
    const raw = rf as any as { estimators: { root: CartNode }[]; indexes: number[][] };
    trees.push(flatten(raw.estimators[0].root, raw.indexes[0], cuts));
  }
  return {
    trees: trees.length,
    source: { models, cuts },
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
  /** Forest settings (default: {@link trainForest}'s). */
  forest?: ForestOptions;
  /** Seed of the resamples and forests. */
  seed?: number;
  /** Called after each (LLM, resample) with the number done and the total, for progress lines. */
  onProgress?: (done: number, total: number) => void;
}

/** What the prediction component gives for the test queries (row-major nTest × m). */
export interface Prediction {
  /** The test query indices (into the instance) the rows refer to. */
  readonly rows: Int32Array;
  /** m: LLMs. */
  readonly m: number;
  /** p̄: the validation-weighted mean over resamples (Eq. 8). */
  readonly mean: Float64Array;
  /** σ: the standard deviation over resamples. */
  readonly std: Float64Array;
  /** The base model: one forest per LLM on the whole training set. */
  readonly base: Float64Array;
  /** ω: validation accuracy of each resample's forest, u × m. */
  readonly weights: Float64Array;
  /** u: bootstrap resamples. */
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
