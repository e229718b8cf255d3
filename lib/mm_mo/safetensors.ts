/**
 * The safetensors format (Hugging Face), read and written tensor by tensor so that a checkpoint never
 * has to sit in memory at once:
 *
 *   8 bytes: N, the header length, unsigned 64-bit little-endian
 *   N bytes: a UTF-8 JSON object {name: {dtype, shape, data_offsets: [begin, end]}, …, "__metadata__":
 *            {string: string}} (padded with spaces; we pad to a multiple of 8 as the reference writer)
 *   the data: each tensor's bytes, little-endian, row-major, at [begin, end) counted from the data start;
 *            the tensors cover the data without holes or overlaps.
 *
 * Dtypes: F64, F32, F16 and BF16. Values are decoded to Float64Array (F64) or Float32Array (the
 * others) and encoded back with round-to-nearest-even; decoding and re-encoding is bit-exact for
 * every bit pattern, NaN payloads included (the conversions work on the bits, never on JS numbers).
 *
 * Errors name the file and, where it applies, the tensor.
 */

/** The supported element types. */
export type Dtype = "F64" | "F32" | "F16" | "BF16";

/** Bytes per element. */
export const DTYPE_BYTES: Readonly<Record<Dtype, number>> = { F64: 8, F32: 4, F16: 2, BF16: 2 };

/** The safetensors library refuses headers over 100 MB; so do we. */
const MAX_HEADER = 100_000_000;

if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) {
  throw new Error("safetensors: this module assumes a little-endian platform");
}

/** One tensor's entry of the header; `begin`/`end` are byte offsets from the data start. */
export interface TensorInfo {
  /** The tensor's name. */
  readonly name: string;
  /** Its element type. */
  readonly dtype: Dtype;
  /** Its shape. */
  readonly shape: readonly number[];
  /** First byte of its data, from the data start. */
  readonly begin: number;
  /** One past its last byte, from the data start. */
  readonly end: number;
}

/** A parsed header: the tensors in data order, the metadata, and where the data starts. */
export interface SafetensorsHeader {
  /** The tensors, in data order. */
  readonly tensors: readonly TensorInfo[];
  /** The `__metadata__` strings. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Byte offset of the data in the file (8 + N). */
  readonly dataStart: number;
}

/** Number of elements of a shape. */
export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Parses and checks a header (the JSON bytes) of a file of `fileSize` bytes whose header is
 * `headerLength` bytes long: dtypes, shapes, offsets matching the shapes, data covered without holes or
 * overlaps and ending at the end of the file.
 */
export function parseHeader(json: Uint8Array, fileSize: number, file = "safetensors"): SafetensorsHeader {
  let obj: unknown;
  try {
    obj = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch (e) {
    throw new Error(`${file}: header is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    throw new Error(`${file}: header is not a JSON object`);
  }
  const dataStart = 8 + json.length;
  const dataSize = fileSize - dataStart;
  const tensors: TensorInfo[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, v] of Object.entries(obj as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof v !== "object" || v === null || Array.isArray(v)) {
        throw new Error(`${file}: __metadata__ is not an object`);
      }
      for (const [k, s] of Object.entries(v)) {
        if (typeof s !== "string") throw new Error(`${file}: __metadata__["${k}"] is not a string`);
      }
      metadata = v as Record<string, string>;
      continue;
    }
    const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const where = `${file}: tensor "${name}"`;
    if (typeof e !== "object" || e === null) throw new Error(`${where}: entry is not an object`);
    if (typeof e.dtype !== "string" || !(e.dtype in DTYPE_BYTES)) {
      throw new Error(`${where}: dtype ${JSON.stringify(e.dtype)} is not one of F64, F32, F16, BF16`);
    }
    if (!Array.isArray(e.shape) || !e.shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
      throw new Error(`${where}: shape ${JSON.stringify(e.shape)} is not a list of non-negative integers`);
    }
    const off = e.data_offsets;
    if (
      !Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      off[0] > off[1]
    ) {
      throw new Error(`${where}: data_offsets ${JSON.stringify(off)} is not [begin, end] with begin ≤ end`);
    }
    const dtype = e.dtype as Dtype;
    const expected = numel(e.shape) * DTYPE_BYTES[dtype];
    if (off[1] - off[0] !== expected) {
      throw new Error(
        `${where}: data_offsets [${off[0]}, ${off[1]}] hold ${
          off[1] - off[0]
        } bytes, shape [${e.shape}] of ${dtype} needs ${expected}`,
      );
    }
    if (off[1] > dataSize) {
      throw new Error(`${where}: data_offsets end ${off[1]} runs past the data (${dataSize} bytes)`);
    }
    tensors.push({ name, dtype, shape: e.shape.slice(), begin: off[0], end: off[1] });
  }
  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const t of tensors) {
    if (t.begin !== at) {
      throw new Error(
        `${file}: tensor "${t.name}" starts at ${t.begin}, expected ${at} (${
          t.begin > at ? "a hole" : "an overlap"
        } in the data)`,
      );
    }
    at = t.end;
  }
  if (at !== dataSize) throw new Error(`${file}: the tensors end at ${at}, the data has ${dataSize} bytes`);
  return { tensors, metadata, dataStart };
}

/** Decodes raw little-endian bytes of a dtype: Float64Array for F64, Float32Array otherwise. */
export function decode(raw: Uint8Array, dtype: Dtype): Float32Array | Float64Array {
  const size = DTYPE_BYTES[dtype];
  if (raw.length % size !== 0) {
    throw new RangeError(`decode: ${raw.length} bytes is not a multiple of ${size}`);
  }
  const n = raw.length / size;
  return decodeInto(raw, dtype, dtype === "F64" ? new Float64Array(n) : new Float32Array(n));
}

/**
 * Decodes raw bytes of a dtype into `out` (Float64Array for F64, Float32Array otherwise, exactly as many
 * values as the bytes hold) without allocating; returns `out`.
 */
export function decodeInto<T extends Float32Array | Float64Array>(raw: Uint8Array, dtype: Dtype, out: T): T {
  const size = DTYPE_BYTES[dtype];
  const n = raw.length / size;
  if (out.length !== n) {
    throw new RangeError(`decode: ${raw.length} bytes of ${dtype} into ${out.length} values`);
  }
  if ((dtype === "F64") !== (out instanceof Float64Array)) {
    throw new RangeError(
      `decode: ${dtype} decodes into ${dtype === "F64" ? "Float64Array" : "Float32Array"}`,
    );
  }
  if (dtype === "F64" || dtype === "F32") {
    new Uint8Array(out.buffer, out.byteOffset, raw.length).set(raw);
    return out;
  }
  const src = raw.byteOffset % 2 === 0
    ? new Uint16Array(raw.buffer, raw.byteOffset, n)
    : new Uint16Array(raw.slice().buffer);
  const bits = new Uint32Array(out.buffer, out.byteOffset, n);
  if (dtype === "BF16") {
    for (let i = 0; i < n; i++) bits[i] = src[i] << 16;
  } else {
    for (let i = 0; i < n; i++) bits[i] = halfToFloatBits(src[i]);
  }
  return out;
}

/**
 * Encodes float32 or float64 values into raw bytes of a dtype in `out` (exactly the right length)
 * without allocating (except when a float64 input is encoded as F16 or BF16: one float32 copy).
 */
export function encodeInto(values: Float32Array | Float64Array, dtype: Dtype, out: Uint8Array): Uint8Array {
  const n = values.length;
  if (out.length !== n * DTYPE_BYTES[dtype]) {
    throw new RangeError(`encode: ${n} values of ${dtype} into ${out.length} bytes`);
  }
  if (dtype === "F64" || (dtype === "F32" && values instanceof Float32Array)) {
    const v = dtype === "F64" && !(values instanceof Float64Array) ? Float64Array.from(values) : values;
    out.set(new Uint8Array(v.buffer, v.byteOffset, out.length));
    return out;
  }
  if (dtype === "F32") {
    const dv = new DataView(out.buffer, out.byteOffset, out.length);
    for (let i = 0; i < n; i++) dv.setFloat32(4 * i, values[i], true);
    return out;
  }
  const f32 = values instanceof Float32Array ? values : Float32Array.from(values);
  const bits = new Uint32Array(f32.buffer, f32.byteOffset, n);
  const dst = out.byteOffset % 2 === 0 ? new Uint16Array(out.buffer, out.byteOffset, n) : new Uint16Array(n);
  if (dtype === "BF16") {
    for (let i = 0; i < n; i++) dst[i] = floatBitsToBF16(bits[i]);
  } else {
    for (let i = 0; i < n; i++) dst[i] = floatBitsToHalf(bits[i]);
  }
  if (dst.buffer !== out.buffer) out.set(new Uint8Array(dst.buffer));
  return out;
}

/** Encodes values as raw little-endian bytes of a dtype (round to nearest even for F16 and BF16). */
export function encode(values: Float32Array | Float64Array, dtype: Dtype): Uint8Array<ArrayBuffer> {
  if (dtype === "F64") return new Uint8Array(Float64Array.from(values).buffer);
  const f32 = values instanceof Float32Array ? values : Float32Array.from(values);
  if (dtype === "F32") return new Uint8Array(f32.slice().buffer);
  const bits = new Uint32Array(f32.buffer, f32.byteOffset, f32.length);
  const out = new Uint16Array(f32.length);
  if (dtype === "BF16") {
    for (let i = 0; i < out.length; i++) out[i] = floatBitsToBF16(bits[i]);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = floatBitsToHalf(bits[i]);
  }
  return new Uint8Array(out.buffer);
}

/** float32 bits → bfloat16 bits, round to nearest even; NaN keeps its sign and top payload bits. */
export function floatBitsToBF16(b: number): number {
  if ((b & 0x7f800000) === 0x7f800000 && (b & 0x007fffff) !== 0) {
    const h = b >>> 16;
    return (h & 0x7f) === 0 ? h | 0x40 : h;
  }
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** IEEE binary16 bits → float32 bits (exact). */
export function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  // Subnormal: normalise.
  let e = 113;
  while ((mant & 0x400) === 0) {
    mant <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((mant & 0x3ff) << 13)) >>> 0;
}

/** float32 bits → IEEE binary16 bits, round to nearest even (overflow → ±∞, NaN keeps its top payload). */
export function floatBitsToHalf(b: number): number {
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) {
    if (mant === 0) return sign | 0x7c00;
    const m = mant >>> 13;
    return sign | 0x7c00 | (m === 0 ? 0x200 : m);
  }
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal: ±0
    const m = mant | 0x800000; // implicit 1
    const shift = 14 - e; // 24-bit significand → subnormal half mantissa
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    const up = rest > mid || (rest === mid && (half & 1) === 1) ? 1 : 0;
    return sign | (half + up);
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  const up = rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1) ? 1 : 0;
  return sign | (half + up); // a carry into the exponent is the correct rounding (up to ∞)
}

async function readFully(file: Deno.FsFile, buf: Uint8Array, what: string): Promise<void> {
  let at = 0;
  while (at < buf.length) {
    const n = await file.read(buf.subarray(at));
    if (n === null) throw new Error(`${what}: the file ends ${buf.length - at} bytes early`);
    at += n;
  }
}

/** A safetensors file opened for reading one tensor at a time. */
export class SafetensorsReader {
  /** The file. */
  readonly path: string;
  /** Its parsed header. */
  readonly header: SafetensorsHeader;
  readonly #file: Deno.FsFile;
  readonly #byName: Map<string, TensorInfo>;

  private constructor(path: string, file: Deno.FsFile, header: SafetensorsHeader) {
    this.path = path;
    this.#file = file;
    this.header = header;
    this.#byName = new Map(header.tensors.map((t) => [t.name, t]));
  }

  /** Opens and checks a file; only the header is read. */
  static async open(path: string): Promise<SafetensorsReader> {
    const file = await Deno.open(path, { read: true });
    try {
      const size = (await file.stat()).size;
      if (size < 8) throw new Error(`${path}: ${size} bytes, too short for a safetensors header`);
      const lenBytes = new Uint8Array(8);
      await readFully(file, lenBytes, path);
      const n = new DataView(lenBytes.buffer).getBigUint64(0, true);
      if (n > BigInt(Math.min(MAX_HEADER, size - 8))) {
        throw new Error(`${path}: header length ${n} exceeds the file (${size} bytes) or 100 MB`);
      }
      const json = new Uint8Array(Number(n));
      await readFully(file, json, path);
      return new SafetensorsReader(path, file, parseHeader(json, size, path));
    } catch (e) {
      file.close();
      throw e;
    }
  }

  /** The tensors, in data order. */
  get tensors(): readonly TensorInfo[] {
    return this.header.tensors;
  }

  /** A tensor's entry; an error names the file when it is missing. */
  info(name: string): TensorInfo {
    const t = this.#byName.get(name);
    if (!t) throw new Error(`${this.path}: no tensor "${name}"`);
    return t;
  }

  /** A tensor's raw bytes (one read of exactly its size), into `into` (its first bytes) when given. */
  async readRaw(name: string, into?: Uint8Array): Promise<Uint8Array> {
    const t = this.info(name);
    if (into && into.length < t.end - t.begin) {
      throw new RangeError(
        `${this.path}: tensor "${name}" needs ${t.end - t.begin} bytes, the buffer has ${into.length}`,
      );
    }
    const buf = into ? into.subarray(0, t.end - t.begin) : new Uint8Array(t.end - t.begin);
    await this.#file.seek(this.header.dataStart + t.begin, Deno.SeekMode.Start);
    await readFully(this.#file, buf, `${this.path}: tensor "${name}"`);
    return buf;
  }

  /** A tensor's values (see {@link decode}). */
  async read(name: string): Promise<Float32Array | Float64Array> {
    return decode(await this.readRaw(name), this.info(name).dtype);
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }
}

/** What {@link SafetensorsWriter.create} needs to know of a tensor before its data. */
export interface TensorSpec {
  /** The tensor's name. */
  readonly name: string;
  /** Its element type in the file. */
  readonly dtype: Dtype;
  /** Its shape. */
  readonly shape: readonly number[];
}

/**
 * A safetensors file written one tensor at a time: the header (all names, dtypes and shapes) first, then
 * each tensor's bytes in the order given. {@link close} checks that every tensor was written.
 */
export class SafetensorsWriter {
  /** The file being written. */
  readonly path: string;
  readonly #file: Deno.FsFile;
  readonly #specs: readonly TensorSpec[];
  #next = 0;

  private constructor(path: string, file: Deno.FsFile, specs: readonly TensorSpec[]) {
    this.path = path;
    this.#file = file;
    this.#specs = specs;
  }

  /** Creates (truncates) `path` and writes the header. */
  static async create(
    path: string,
    specs: readonly TensorSpec[],
    metadata: Record<string, string> = {},
  ): Promise<SafetensorsWriter> {
    const header: Record<string, unknown> = {};
    if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
    let at = 0;
    const seen = new Set<string>();
    for (const s of specs) {
      if (s.name === "__metadata__" || seen.has(s.name)) {
        throw new Error(`${path}: tensor name "${s.name}" is reserved or repeated`);
      }
      seen.add(s.name);
      if (!(s.dtype in DTYPE_BYTES)) throw new Error(`${path}: tensor "${s.name}": dtype ${s.dtype}`);
      if (!s.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw new Error(`${path}: tensor "${s.name}": shape [${s.shape}]`);
      }
      const bytes = numel(s.shape) * DTYPE_BYTES[s.dtype];
      header[s.name] = { dtype: s.dtype, shape: [...s.shape], data_offsets: [at, at + bytes] };
      at += bytes;
    }
    let json = new TextEncoder().encode(JSON.stringify(header));
    const padded = Math.ceil(json.length / 8) * 8;
    if (padded !== json.length) {
      const p = new Uint8Array(padded).fill(0x20);
      p.set(json);
      json = p;
    }
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    const len = new Uint8Array(8);
    new DataView(len.buffer).setBigUint64(0, BigInt(json.length), true);
    await file.write(len);
    let off = 0;
    while (off < json.length) off += await file.write(json.subarray(off));
    return new SafetensorsWriter(path, file, specs);
  }

  /** Writes the next tensor: raw bytes of its dtype, or values to encode. */
  async write(name: string, data: Uint8Array | Float32Array | Float64Array): Promise<void> {
    const s = this.#specs[this.#next];
    if (!s) throw new Error(`${this.path}: tensor "${name}" written after the last one`);
    if (s.name !== name) {
      throw new Error(`${this.path}: tensor "${name}" written where "${s.name}" comes next`);
    }
    const bytes = data instanceof Uint8Array ? data : encode(data, s.dtype);
    const expected = numel(s.shape) * DTYPE_BYTES[s.dtype];
    if (bytes.length !== expected) {
      throw new Error(
        `${this.path}: tensor "${name}": ${bytes.length} bytes, its shape and dtype need ${expected}`,
      );
    }
    let off = 0;
    while (off < bytes.length) off += await this.#file.write(bytes.subarray(off));
    this.#next++;
  }

  /** Closes the file; an error names the first tensor not written. */
  close(): void {
    this.#file.close();
    if (this.#next < this.#specs.length) {
      throw new Error(`${this.path}: closed before tensor "${this.#specs[this.#next].name}" was written`);
    }
  }
}

/** Writes whole tensors at once (small files; the writer streams them in order). */
export async function writeSafetensors(
  path: string,
  tensors: readonly (TensorSpec & { data: Uint8Array | Float32Array | Float64Array })[],
  metadata: Record<string, string> = {},
): Promise<void> {
  const w = await SafetensorsWriter.create(path, tensors, metadata);
  try {
    for (const t of tensors) await w.write(t.name, t.data);
  } finally {
    w.close();
  }
}
