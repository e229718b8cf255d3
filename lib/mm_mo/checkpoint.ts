/**
 * Merging real checkpoints (safetensors, one file or a sharded set with `model.safetensors.index.json`)
 * tensor by tensor, streaming: for each tensor of the base model, the same tensor of each source model is
 * read, the per-tensor kernel of lib/mm_mo/merge.ts ({@link mergeTensor}, the same code path as the
 * in-memory merge) is applied, and the result is written before the next tensor is read. The buffers are
 * allocated once, sized to the largest tensor, and reused for every tensor: per model its raw bytes and
 * its decoded values, plus the output and its encoding (and a float64 scratch for TIES) — so the memory
 * is bounded by a fixed multiple of the largest tensor whatever the checkpoint's size, and does not wait
 * for the garbage collector.
 *
 * Also: our MLP classifiers as safetensors checkpoints (tensors W1, b1, W2, b2 in that order, the
 * shape in the metadata), so the notebook can merge real-format files it wrote itself.
 */
import { dirname, join } from "node:path";
import { type MergeConfig, mergeState, mergeTensor, type Vector } from "./merge.ts";
import { layout, type MLP, type MLPShape } from "./mlp.ts";
import {
  decode,
  decodeInto,
  type Dtype,
  DTYPE_BYTES,
  encode,
  encodeInto,
  numel,
  SafetensorsReader,
  SafetensorsWriter,
  type TensorInfo,
} from "./safetensors.ts";

/** A checkpoint: one safetensors file or the shards listed by an index file. */
export class Checkpoint {
  /** The file opened (the safetensors file or the index). */
  readonly path: string;
  readonly #readers: SafetensorsReader[];
  readonly #where = new Map<string, SafetensorsReader>();
  /** The tensors in order: shard by shard (as the index lists the shards), data order within a shard. */
  readonly tensors: readonly TensorInfo[];

  private constructor(path: string, readers: SafetensorsReader[]) {
    this.path = path;
    this.#readers = readers;
    const all: TensorInfo[] = [];
    for (const r of readers) {
      for (const t of r.tensors) {
        if (this.#where.has(t.name)) throw new Error(`${path}: tensor "${t.name}" is in two shards`);
        this.#where.set(t.name, r);
        all.push(t);
      }
    }
    this.tensors = all;
  }

  /**
   * Opens a `.safetensors` file, an index `*.safetensors.index.json` (its `weight_map` names the shard of
   * every tensor), or a directory holding `model.safetensors.index.json` or `model.safetensors`.
   */
  static async open(path: string): Promise<Checkpoint> {
    let file = path;
    if ((await Deno.stat(path)).isDirectory) {
      const index = join(path, "model.safetensors.index.json");
      file = await Deno.stat(index).then(() => index, () => join(path, "model.safetensors"));
    }
    if (!file.endsWith(".index.json")) return new Checkpoint(path, [await SafetensorsReader.open(file)]);
    let map: Record<string, unknown>;
    try {
      map = JSON.parse(await Deno.readTextFile(file)).weight_map;
    } catch (e) {
      throw new Error(`${file}: not a safetensors index (${(e as Error).message})`);
    }
    if (typeof map !== "object" || map === null) throw new Error(`${file}: no "weight_map" object`);
    const shards = [...new Set(Object.values(map))];
    if (!shards.every((s) => typeof s === "string")) {
      throw new Error(`${file}: weight_map values must be file names`);
    }
    const readers: SafetensorsReader[] = [];
    try {
      for (const s of shards as string[]) readers.push(await SafetensorsReader.open(join(dirname(file), s)));
    } catch (e) {
      for (const r of readers) r.close();
      throw e;
    }
    const ck = new Checkpoint(path, readers);
    for (const [name, shard] of Object.entries(map)) {
      const r = ck.#where.get(name);
      if (!r || !r.path.endsWith(shard as string)) {
        throw new Error(`${file}: tensor "${name}" is not in ${shard}`);
      }
    }
    return ck;
  }

  /** A tensor's entry; an error names the checkpoint and the tensor. */
  info(name: string): TensorInfo {
    const r = this.#where.get(name);
    if (!r) throw new Error(`${this.path}: no tensor "${name}"`);
    return r.info(name);
  }

  /** A tensor's values. */
  read(name: string): Promise<Float32Array | Float64Array> {
    const r = this.#where.get(name);
    if (!r) return Promise.reject(new Error(`${this.path}: no tensor "${name}"`));
    return r.read(name);
  }

  /** A tensor's raw bytes, into the first bytes of `into`. */
  readRaw(name: string, into?: Uint8Array): Promise<Uint8Array> {
    const r = this.#where.get(name);
    if (!r) return Promise.reject(new Error(`${this.path}: no tensor "${name}"`));
    return r.readRaw(name, into);
  }

  /** The metadata of the first file (shard). */
  get metadata(): Readonly<Record<string, string>> {
    return this.#readers[0]?.header.metadata ?? {};
  }

  /** Closes every file of the checkpoint. */
  close(): void {
    for (const r of this.#readers) r.close();
  }
}

/** Memory after a tensor of a streaming merge. */
export interface TensorProgress {
  /** The tensor's name. */
  readonly name: string;
  /** Its position in the merge (0-based). */
  readonly index: number;
  /** Number of tensors in the merge. */
  readonly count: number;
  /** Bytes of this tensor in the output dtype. */
  readonly bytes: number;
  /** Process resident set size and V8's external (ArrayBuffer) memory after the tensor, bytes. */
  readonly rss: number;
  /** V8's external (ArrayBuffer) memory after the tensor, bytes. */
  readonly external: number;
}

/** What {@link mergeCheckpoints} reports. */
export interface StreamingMergeReport {
  /** Tensors merged. */
  readonly tensors: number;
  /** Σ|θ_merged − θ_base| over every tensor (computed before rounding to the output dtype). */
  readonly deltaL1: number;
  /** Bytes of the buffers the merge allocates once (raw and decoded per checkpoint, output, encoding). */
  readonly bufferBytes: number;
  /** Largest tensor of the base checkpoint and the total, bytes as stored. */
  readonly largestTensorBytes: number;
  /** Bytes of all tensors of the base checkpoint, as stored. */
  readonly totalBytes: number;
  /**
   * Process RSS and V8 external (ArrayBuffer) memory, bytes: before the merge's buffers are allocated,
   * and the peak sampled after each tensor.
   */
  readonly rssBefore: number;
  /** The peak RSS, sampled after each tensor. */
  readonly rssPeak: number;
  /** V8 external memory before the merge's buffers are allocated. */
  readonly externalBefore: number;
  /** The peak V8 external memory, sampled after each tensor. */
  readonly externalPeak: number;
}

/** Options of {@link mergeCheckpoints}. */
export interface StreamingMergeOptions {
  /** Output dtype; default each tensor's dtype in the base checkpoint. */
  dtype?: Dtype;
  /** Metadata of the output file's header. */
  metadata?: Record<string, string>;
  /** Called after each tensor with its progress and the memory in use. */
  onTensor?: (p: TensorProgress) => void;
}

/**
 * Merges checkpoints fine-tuned from `base` by `config` into the safetensors file `out`, tensor by
 * tensor (see the module doc). Every source checkpoint must hold every tensor of the base with the same
 * shape; errors name the checkpoint and the tensor.
 */
export async function mergeCheckpoints(
  base: string,
  models: readonly string[],
  config: MergeConfig,
  out: string,
  options: StreamingMergeOptions = {},
): Promise<StreamingMergeReport> {
  const state = mergeState(config, models.length);
  const opened: Checkpoint[] = [];
  try {
    const b = await Checkpoint.open(base);
    opened.push(b);
    for (const m of models) opened.push(await Checkpoint.open(m));
    const srcs = opened.slice(1);
    for (const t of b.tensors) {
      for (const s of srcs) {
        const u = s.info(t.name);
        if (u.shape.join(",") !== t.shape.join(",")) {
          throw new Error(`${s.path}: tensor "${t.name}" has shape [${u.shape}], the base [${t.shape}]`);
        }
      }
    }
    const specs = b.tensors.map((t) => ({ name: t.name, dtype: options.dtype ?? t.dtype, shape: t.shape }));
    const m0 = Deno.memoryUsage();
    // The arena: one raw and one decoded buffer per checkpoint, the output and its encoding, all sized to
    // the largest tensor (8 bytes per value: room for float64).
    const maxN = Math.max(0, ...b.tensors.map((t) => numel(t.shape)));
    const raw = opened.map(() => new Uint8Array(8 * maxN));
    const vals = opened.map(() => new ArrayBuffer(8 * maxN));
    const outBuf = new ArrayBuffer(8 * maxN), encBuf = new Uint8Array(8 * maxN);
    const view = (buf: ArrayBuffer, dtype: Dtype, n: number): Vector =>
      dtype === "F64" ? new Float64Array(buf, 0, n) : new Float32Array(buf, 0, n);
    const writer = await SafetensorsWriter.create(out, specs, options.metadata ?? { ...b.metadata });
    let rssPeak = m0.rss, externalPeak = m0.external, deltaL1 = 0, largest = 0, total = 0;
    try {
      for (const [index, t] of b.tensors.entries()) {
        const n = numel(t.shape);
        const inputs: Vector[] = [];
        for (const [c, ck] of opened.entries()) {
          const info = ck.info(t.name);
          const bytes = await ck.readRaw(t.name, raw[c]);
          inputs.push(decodeInto(bytes, info.dtype, view(vals[c], info.dtype, n)));
        }
        const [bt, ...st] = inputs;
        const dtype = specs[index].dtype;
        const outVec = view(outBuf, dtype, n);
        mergeTensor(bt, st, state, outVec, t.name);
        for (let j = 0; j < n; j++) deltaL1 += Math.abs(outVec[j] - bt[j]);
        const bytes = n * DTYPE_BYTES[dtype];
        await writer.write(t.name, encodeInto(outVec, dtype, encBuf.subarray(0, bytes)));
        largest = Math.max(largest, t.end - t.begin);
        total += t.end - t.begin;
        const m = Deno.memoryUsage();
        rssPeak = Math.max(rssPeak, m.rss);
        externalPeak = Math.max(externalPeak, m.external);
        options.onTensor?.({
          name: t.name,
          index,
          count: b.tensors.length,
          bytes,
          rss: m.rss,
          external: m.external,
        });
      }
    } finally {
      writer.close();
    }
    return {
      tensors: b.tensors.length,
      deltaL1,
      bufferBytes: (2 * opened.length + 2) * 8 * maxN + state.scratch.byteLength,
      largestTensorBytes: largest,
      totalBytes: total,
      rssBefore: m0.rss,
      rssPeak,
      externalBefore: m0.external,
      externalPeak,
    };
  } finally {
    for (const c of opened) c.close();
  }
}

/** Saves an MLP as safetensors: W1 [dim, hidden], b1 [hidden], W2 [labels, hidden], b2 [labels]. */
export async function saveMLPSafetensors(
  path: string,
  model: MLP,
  dtype: Dtype = "BF16",
  metadata: Record<string, string> = {},
): Promise<void> {
  const { tensors } = layout(model.shape);
  const { dim, hidden, heads } = model.shape;
  const L = heads.reduce((a, c) => a + c, 0);
  const shapes: Record<string, number[]> = { W1: [dim, hidden], b1: [hidden], W2: [L, hidden], b2: [L] };
  const w = await SafetensorsWriter.create(
    path,
    tensors.map((t) => ({ name: t.name, dtype, shape: shapes[t.name] })),
    { ...metadata, format: "pt", moolab_mlp_shape: JSON.stringify({ dim, hidden, heads }) },
  );
  try {
    for (const t of tensors) {
      await w.write(t.name, encode(model.params.subarray(t.offset, t.offset + t.size), dtype));
    }
  } finally {
    w.close();
  }
}

/** Loads an MLP saved by {@link saveMLPSafetensors} (values widened to float64). */
export async function loadMLPSafetensors(path: string): Promise<MLP> {
  const r = await SafetensorsReader.open(path);
  try {
    const s = r.header.metadata.moolab_mlp_shape;
    if (!s) throw new Error(`${path}: no moolab_mlp_shape in the metadata`);
    const shape = JSON.parse(s) as MLPShape;
    const { tensors, size } = layout(shape);
    const params = new Float64Array(size);
    for (const t of tensors) {
      const v = decode(await r.readRaw(t.name), r.info(t.name).dtype);
      if (v.length !== t.size) {
        throw new Error(`${path}: tensor "${t.name}" has ${v.length} values, expected ${t.size}`);
      }
      params.set(v, t.offset);
    }
    return { shape, params };
  } finally {
    r.close();
  }
}
