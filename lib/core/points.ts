/**
 * Point sets in objective space, held row-major in one `Float64Array`.
 *
 * Every indicator, sort and plot in moolab takes a {@link Points}; `asPoints` also accepts plain
 * `number[][]` so notebook code can pass literal arrays.
 */

/** `n` points of dimension `m`, row-major: point `i`, coordinate `j` is `data[i * m + j]`. */
export interface Points {
  /** The coordinates, row-major: point i is `data[i * m]` … `data[i * m + m - 1]`. */
  readonly data: Float64Array;
  /** Number of points. */
  readonly n: number;
  /** Dimension of each point (e.g. the number of objectives). */
  readonly m: number;
}

/** Anything `asPoints` accepts. */
export type PointsLike = Points | ReadonlyArray<ArrayLike<number>>;

/** Builds a {@link Points} from flat data, checking that the length is a multiple of `m`. */
export function points(data: Float64Array | ArrayLike<number>, m: number): Points {
  if (!Number.isInteger(m) || m < 1) {
    throw new RangeError(`points: dimension m must be a positive integer, got ${m}`);
  }
  const arr = data instanceof Float64Array ? data : Float64Array.from(data);
  if (arr.length % m !== 0) {
    throw new RangeError(`points: data length ${arr.length} is not a multiple of the dimension ${m}`);
  }
  return { data: arr, n: arr.length / m, m };
}

/** True when `p` is already a {@link Points}. */
export function isPoints(p: unknown): p is Points {
  return typeof p === "object" && p !== null && (p as Points).data instanceof Float64Array &&
    typeof (p as Points).n === "number" && typeof (p as Points).m === "number";
}

/**
 * Converts rows (`number[][]`) or a {@link Points} to a {@link Points}. Rows must all have the same
 * length; a ragged row is named in the error.
 */
export function asPoints(p: PointsLike, what = "points"): Points {
  if (isPoints(p)) {
    if (p.data.length !== p.n * p.m) {
      throw new RangeError(`${what}: data length ${p.data.length} is not n×m = ${p.n}×${p.m}`);
    }
    return p;
  }
  const rows = p as ReadonlyArray<ArrayLike<number>>;
  if (rows.length === 0) return { data: new Float64Array(0), n: 0, m: 0 };
  const m = rows[0].length;
  const data = new Float64Array(rows.length * m);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.length !== m) {
      throw new RangeError(`${what}: row ${i} has ${r.length} values, row 0 has ${m}`);
    }
    for (let j = 0; j < m; j++) data[i * m + j] = r[j];
  }
  return { data, n: rows.length, m };
}

/** The rows of `p` as plain arrays (for tables, JSON and plotting). */
export function toRows(p: Points): number[][] {
  const out: number[][] = new Array(p.n);
  for (let i = 0; i < p.n; i++) out[i] = Array.from(p.data.subarray(i * p.m, (i + 1) * p.m));
  return out;
}

/** The points of `p` at the given indices, in that order. */
export function take(p: Points, idx: ArrayLike<number>): Points {
  const data = new Float64Array(idx.length * p.m);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    data.set(p.data.subarray(i * p.m, (i + 1) * p.m), k * p.m);
  }
  return { data, n: idx.length, m: p.m };
}

/** Throws a RangeError naming the first point with a NaN or infinite coordinate. */
export function assertFinite(p: Points, what = "points"): void {
  const d = p.data;
  for (let k = 0; k < d.length; k++) {
    if (!Number.isFinite(d[k])) {
      const i = Math.floor(k / p.m), j = k % p.m;
      throw new RangeError(`${what}: point ${i} has a non-finite value ${d[k]} in coordinate ${j}`);
    }
  }
}
