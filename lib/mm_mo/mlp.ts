/**
 * The small text classifier whose weights are merged: one hidden layer over hashed n-gram features,
 * and one output block per task in a shared label space.
 *
 *   h = relu(b1 + xᵀ W1)           W1: dim × hidden (input-major), b1: hidden
 *   z = b2 + W2 h                   W2: L × hidden, b2: L, L = Σ_t labels_t
 *   p(c | x, t) = softmax over the rows of task t's block only
 *
 * Every parameter — body and head — belongs to one flat Float64Array, so a model is a single vector θ
 * and merging is vector arithmetic over models with the same shape. Training on task t moves the body
 * and task t's block (the other blocks get zero gradient from the task-masked softmax), so a model
 * fine-tuned on one task can still be evaluated on every task, like an LLM with a shared vocabulary.
 *
 * Training is minibatch Adam (Kingma & Ba 2015, Algorithm 1) written out by hand, seeded: the same
 * seed gives the same weights byte for byte.
 */
import { Rng } from "../core/rng.ts";
import type { SparseRows } from "./features.ts";
import type { Split, Task } from "./tasks.ts";

/** Shape of a classifier: input dimension, hidden units and the number of labels of each task. */
export interface MLPShape {
  /** Input dimension. */
  readonly dim: number;
  /** Hidden units. */
  readonly hidden: number;
  /** Number of labels of each task. */
  readonly heads: readonly number[];
}

/** A named tensor inside the flat parameter vector. */
export interface TensorSlice {
  /** The tensor's name (W1, b1, W2, b2). */
  readonly name: string;
  /** Its first index in the parameter vector. */
  readonly offset: number;
  /** Its number of values. */
  readonly size: number;
}

/** Offsets of W1, b1, W2, b2 and of each task's label block. */
export function layout(shape: MLPShape): { tensors: TensorSlice[]; size: number; headOffset: number[] } {
  const { dim, hidden, heads } = shape;
  if (!(Number.isInteger(dim) && dim > 0 && Number.isInteger(hidden) && hidden > 0)) {
    throw new RangeError(`MLP shape: dim and hidden must be positive integers, got ${dim}, ${hidden}`);
  }
  if (heads.length === 0 || heads.some((h) => !Number.isInteger(h) || h < 2)) {
    throw new RangeError(`MLP shape: every task needs ≥ 2 labels, got [${heads.join(", ")}]`);
  }
  const L = heads.reduce((a, b) => a + b, 0);
  const tensors: TensorSlice[] = [];
  let o = 0;
  for (const [name, size] of [["W1", dim * hidden], ["b1", hidden], ["W2", L * hidden], ["b2", L]] as const) {
    tensors.push({ name, offset: o, size });
    o += size;
  }
  const headOffset: number[] = [];
  let h = 0;
  for (const n of heads) {
    headOffset.push(h);
    h += n;
  }
  return { tensors, size: o, headOffset };
}

/** A classifier: its shape and flat parameters θ. */
export interface MLP {
  /** The classifier's shape. */
  readonly shape: MLPShape;
  /** θ: every parameter, laid out by {@link layout}. */
  readonly params: Float64Array;
}

/** Seeded initialisation: W1 ~ N(0, 1) (inputs have unit norm), W2 ~ N(0, 1/hidden), biases 0. */
export function initMLP(shape: MLPShape, seed: number): MLP {
  const { tensors, size } = layout(shape);
  const params = new Float64Array(size);
  const rng = new Rng(seed);
  const [W1, , W2] = tensors;
  for (let i = 0; i < W1.size; i++) params[W1.offset + i] = rng.normal();
  const s = 1 / Math.sqrt(shape.hidden);
  for (let i = 0; i < W2.size; i++) params[W2.offset + i] = s * rng.normal();
  return { shape, params };
}

function checkModel(m: MLP, what: string): void {
  const { size } = layout(m.shape);
  if (m.params.length !== size) {
    throw new RangeError(`${what}: ${m.params.length} parameters, the shape needs ${size}`);
  }
}

/** Hidden activations of row r of X into `h` (pre-activations into `pre` when given). */
function hiddenOf(
  p: Float64Array,
  shape: MLPShape,
  X: SparseRows,
  r: number,
  h: Float64Array,
  b1: number,
): void {
  const H = shape.hidden;
  for (let j = 0; j < H; j++) h[j] = p[b1 + j];
  for (let e = X.indptr[r]; e < X.indptr[r + 1]; e++) {
    const base = X.indices[e] * H;
    const v = X.values[e];
    for (let j = 0; j < H; j++) h[j] += v * p[base + j];
  }
}

/** Predicted label index (within task t's labels) for every row of X. */
export function predict(model: MLP, task: number, X: SparseRows): Int32Array {
  checkModel(model, "predict");
  const { shape, params: p } = model;
  if (X.dim !== shape.dim) {
    throw new RangeError(`predict: features have dim ${X.dim}, the model ${shape.dim}`);
  }
  const { tensors, headOffset } = layout(shape);
  const H = shape.hidden;
  const b1 = tensors[1].offset, W2 = tensors[2].offset, b2 = tensors[3].offset;
  const h = new Float64Array(H);
  const out = new Int32Array(X.n);
  const off = headOffset[task], nc = shape.heads[task];
  for (let r = 0; r < X.n; r++) {
    hiddenOf(p, shape, X, r, h, b1);
    for (let j = 0; j < H; j++) if (h[j] < 0) h[j] = 0;
    let best = -Infinity, arg = 0;
    for (let c = 0; c < nc; c++) {
      let z = p[b2 + off + c];
      const row = W2 + (off + c) * H;
      for (let j = 0; j < H; j++) z += p[row + j] * h[j];
      if (z > best) {
        best = z;
        arg = c;
      }
    }
    out[r] = arg;
  }
  return out;
}

/** Fraction of the split's rows whose predicted label is right. */
export function accuracy(model: MLP, task: number, split: Split): number {
  const yhat = predict(model, task, split.X);
  let ok = 0;
  for (let i = 0; i < yhat.length; i++) if (yhat[i] === split.y[i]) ok++;
  return ok / yhat.length;
}

/** Options of {@link trainMLP}. */
export interface TrainOptions {
  /** Passes over the training data (default 1). */
  epochs?: number;
  /** Adam step size; default 0.003. */
  lr?: number;
  /** Mini-batch size (default 32). */
  batch?: number;
  /** Seed of the shuffles (default 1). */
  seed?: number;
  /** Use only this fraction of each training set (the first rows of a seeded shuffle); default 1. */
  fraction?: number;
  /** Adam's β1 (default 0.9). */
  beta1?: number;
  /** Adam's β2 (default 0.999). */
  beta2?: number;
}

/**
 * Trains a copy of `model` on the training splits of the given tasks (`tasks[k]` is head `heads[k]`),
 * examples of all tasks shuffled together each epoch; minimises the mean cross-entropy of each
 * minibatch with Adam. Returns the new model; the input is not changed.
 */
export function trainMLP(
  model: MLP,
  data: ReadonlyArray<{ task: Task; head: number }>,
  options: TrainOptions = {},
): MLP {
  checkModel(model, "trainMLP");
  const epochs = options.epochs ?? 1, lr = options.lr ?? 0.003, batch = options.batch ?? 32;
  const beta1 = options.beta1 ?? 0.9, beta2 = options.beta2 ?? 0.999, eps = 1e-8;
  const fraction = options.fraction ?? 1;
  const rng = new Rng(options.seed ?? 1);
  const { shape } = model;
  const { tensors, headOffset } = layout(shape);
  const H = shape.hidden;
  const b1 = tensors[1].offset, W2 = tensors[2].offset, b2 = tensors[3].offset;
  for (const d of data) {
    if (d.task.train.X.dim !== shape.dim) {
      throw new RangeError(
        `trainMLP: task ${d.task.name} has dim ${d.task.train.X.dim}, the model ${shape.dim}`,
      );
    }
    if (d.task.labels.length !== shape.heads[d.head]) {
      throw new RangeError(
        `trainMLP: task ${d.task.name} has ${d.task.labels.length} labels, head ${d.head} has ${
          shape.heads[d.head]
        }`,
      );
    }
  }
  // The examples: (which data entry, row).
  const which: number[] = [], rows: number[] = [];
  data.forEach((d, k) => {
    const n = d.task.train.X.n;
    const perm = rng.permutation(n);
    const keep = Math.max(1, Math.round(fraction * n));
    for (let i = 0; i < keep; i++) {
      which.push(k);
      rows.push(perm[i]);
    }
  });
  const N = which.length;
  const p = Float64Array.from(model.params);
  const g = new Float64Array(p.length), m = new Float64Array(p.length), v = new Float64Array(p.length);
  const h = new Float64Array(H), pre = new Float64Array(H), dh = new Float64Array(H);
  const zs = new Float64Array(Math.max(...shape.heads));
  let t = 0;
  for (let ep = 0; ep < epochs; ep++) {
    const order = rng.permutation(N);
    for (let s = 0; s < N; s += batch) {
      const end = Math.min(N, s + batch);
      g.fill(0);
      const scale = 1 / (end - s);
      for (let q = s; q < end; q++) {
        const d = data[which[order[q]]];
        const r = rows[order[q]];
        const X = d.task.train.X, y = d.task.train.y[r];
        const off = headOffset[d.head], nc = shape.heads[d.head];
        hiddenOf(p, shape, X, r, pre, b1);
        for (let j = 0; j < H; j++) h[j] = pre[j] > 0 ? pre[j] : 0;
        let zmax = -Infinity;
        for (let c = 0; c < nc; c++) {
          let z = p[b2 + off + c];
          const row = W2 + (off + c) * H;
          for (let j = 0; j < H; j++) z += p[row + j] * h[j];
          zs[c] = z;
          if (z > zmax) zmax = z;
        }
        let zsum = 0;
        for (let c = 0; c < nc; c++) {
          zs[c] = Math.exp(zs[c] - zmax);
          zsum += zs[c];
        }
        dh.fill(0);
        for (let c = 0; c < nc; c++) {
          const dz = (zs[c] / zsum - (c === y ? 1 : 0)) * scale;
          g[b2 + off + c] += dz;
          const row = W2 + (off + c) * H;
          for (let j = 0; j < H; j++) {
            g[row + j] += dz * h[j];
            dh[j] += dz * p[row + j];
          }
        }
        for (let j = 0; j < H; j++) {
          if (pre[j] <= 0) dh[j] = 0;
          g[b1 + j] += dh[j];
        }
        for (let e = X.indptr[r]; e < X.indptr[r + 1]; e++) {
          const base = X.indices[e] * H;
          const xv = X.values[e];
          for (let j = 0; j < H; j++) g[base + j] += xv * dh[j];
        }
      }
      // Adam (Kingma & Ba 2015, Algorithm 1).
      t++;
      const c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        p[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
      }
    }
  }
  return { shape, params: p };
}

/** Options of {@link trainSources}. */
export interface SourceOptions {
  /** Hidden units (default 32). */
  hidden?: number;
  /** Seed of initialisation and training (default 1). */
  seed?: number;
  /** Pre-training of the base model on the mix of all tasks: epochs, fraction of each train split, lr. */
  baseEpochs?: number;
  /** Fraction of each training split for pre-training (default 0.1). */
  baseFraction?: number;
  /** Pre-training step size (default 0.003). */
  baseLr?: number;
  /** Fine-tuning of each task model from the base: epochs and lr. */
  fineTuneEpochs?: number;
  /** Fine-tuning step size (default 0.003). */
  fineTuneLr?: number;
  /** Mini-batch size (default {@link trainMLP}'s). */
  batch?: number;
}

/** The base model and one model fine-tuned from it per task (model k fine-tuned on task k). */
export interface SourceModels {
  /** The base model, pre-trained on the mix of all tasks. */
  readonly base: MLP;
  /** Model k, fine-tuned from the base on task k. */
  readonly experts: MLP[];
}

/**
 * The source models of the merging experiment: a base model trained briefly on a mix of all tasks
 * (the "pre-trained" model), then one copy of it fine-tuned on each task alone (the "source" models,
 * all from the same initialisation as task arithmetic requires).
 */
export function trainSources(tasks: readonly Task[], options: SourceOptions = {}): SourceModels {
  if (tasks.length === 0) throw new RangeError("trainSources: no tasks");
  const seed = options.seed ?? 1;
  const shape: MLPShape = {
    dim: tasks[0].train.X.dim,
    hidden: options.hidden ?? 32,
    heads: tasks.map((t) => t.labels.length),
  };
  const all = tasks.map((task, head) => ({ task, head }));
  const base = trainMLP(initMLP(shape, seed), all, {
    epochs: options.baseEpochs ?? 1,
    fraction: options.baseFraction ?? 0.1,
    lr: options.baseLr ?? 0.003,
    batch: options.batch,
    seed: seed + 1,
  });
  const experts = tasks.map((task, head) =>
    trainMLP(base, [{ task, head }], {
      epochs: options.fineTuneEpochs ?? 3,
      lr: options.fineTuneLr ?? 0.003,
      batch: options.batch,
      seed: seed + 2 + head,
    })
  );
  return { base, experts };
}

/**
 * The multitask reference: the base model fine-tuned on all tasks at once (examples of every task
 * shuffled together), with the same epochs, step size and batch as each source model — so it sees the
 * union of the sources' training data for as many epochs (and takes the sum of their gradient steps).
 * It is what merging tries to approach without joint training.
 */
export function trainMultitask(base: MLP, tasks: readonly Task[], options: SourceOptions = {}): MLP {
  if (tasks.length === 0) throw new RangeError("trainMultitask: no tasks");
  const seed = options.seed ?? 1;
  return trainMLP(base, tasks.map((task, head) => ({ task, head })), {
    epochs: options.fineTuneEpochs ?? 3,
    lr: options.fineTuneLr ?? 0.003,
    batch: options.batch,
    seed: seed + 2 + tasks.length,
  });
}

const MAGIC = [0x4d, 0x4d, 0x4d, 0x4f]; // "MMMO"

/**
 * A model as bytes: "MMMO", a little-endian uint32 header length, a JSON header
 * `{format, version, shape, dtype: "float64", count, meta}`, zero padding to a multiple of 8, then the
 * parameters as little-endian float64.
 */
export function encodeMLP(model: MLP, meta: Record<string, unknown> = {}): Uint8Array<ArrayBuffer> {
  checkModel(model, "encodeMLP");
  const header = new TextEncoder().encode(JSON.stringify({
    format: "moolab-mlp",
    version: 1,
    shape: { dim: model.shape.dim, hidden: model.shape.hidden, heads: [...model.shape.heads] },
    dtype: "float64",
    count: model.params.length,
    meta,
  }));
  const start = Math.ceil((8 + header.length) / 8) * 8;
  const out = new Uint8Array(start + 8 * model.params.length);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, header.length, true);
  out.set(header, 8);
  for (let i = 0; i < model.params.length; i++) dv.setFloat64(start + 8 * i, model.params[i], true);
  return out;
}

/** Reads bytes written by {@link encodeMLP}; errors name what is wrong. */
export function decodeMLP(bytes: Uint8Array, what = "model"): { model: MLP; meta: Record<string, unknown> } {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error(`${what}: not a moolab model file (missing "MMMO" magic)`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hl = dv.getUint32(4, true);
  if (8 + hl > bytes.length) throw new Error(`${what}: header length ${hl} runs past the end of the file`);
  let header: {
    format?: string;
    version?: number;
    shape?: MLPShape;
    dtype?: string;
    count?: number;
    meta?: Record<string, unknown>;
  };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hl)));
  } catch (e) {
    throw new Error(`${what}: header is not JSON (${(e as Error).message})`);
  }
  if (header.format !== "moolab-mlp" || header.version !== 1) {
    throw new Error(`${what}: format ${header.format} version ${header.version}, expected moolab-mlp 1`);
  }
  if (header.dtype !== "float64") throw new Error(`${what}: dtype ${header.dtype}, expected float64`);
  const shape = header.shape!;
  const { size } = layout(shape);
  if (header.count !== size) {
    throw new Error(`${what}: header says ${header.count} parameters, the shape needs ${size}`);
  }
  const start = Math.ceil((8 + hl) / 8) * 8;
  if (bytes.length !== start + 8 * size) {
    throw new Error(`${what}: ${bytes.length} bytes, expected ${start + 8 * size} for ${size} parameters`);
  }
  const params = new Float64Array(size);
  for (let i = 0; i < size; i++) params[i] = dv.getFloat64(start + 8 * i, true);
  return {
    model: { shape: { dim: shape.dim, hidden: shape.hidden, heads: [...shape.heads] }, params },
    meta: header.meta ?? {},
  };
}

/** Saves a model to a file (see {@link encodeMLP}). */
export async function saveMLP(path: string, model: MLP, meta: Record<string, unknown> = {}): Promise<void> {
  await Deno.writeFile(path, encodeMLP(model, meta));
}

/** Loads a model saved with {@link saveMLP}. */
export async function loadMLP(path: string): Promise<{ model: MLP; meta: Record<string, unknown> }> {
  return decodeMLP(await Deno.readFile(path), path);
}
