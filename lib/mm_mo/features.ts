/**
 * Text features for the small classifiers: hashed word n-grams (the "hashing trick", Weinberger et
 * al. 2009) stored as compressed sparse rows.
 *
 * A text is lower-cased, digits are replaced by 0 (log lines and prices differ mostly in numbers),
 * split into word tokens, and every unigram and bigram is hashed with 32-bit FNV-1a into `dim`
 * buckets. A row's values are log(1 + count), scaled to unit Euclidean length.
 */

/** Sparse rows (CSR): row r has the entries indptr[r] … indptr[r+1]−1 of `indices` and `values`. */
export interface SparseRows {
  /** Rows. */
  readonly n: number;
  /** Columns. */
  readonly dim: number;
  /** Row starts, n + 1 offsets into `indices` and `values`. */
  readonly indptr: Int32Array;
  /** Column of each stored entry. */
  readonly indices: Int32Array;
  /** Value of each stored entry. */
  readonly values: Float64Array;
}

/** Options of {@link hashFeatures}. */
export interface FeatureOptions {
  /** Number of hash buckets; default 2^12. */
  dim?: number;
  /** Largest n-gram length; default 2 (unigrams and bigrams). */
  ngram?: number;
}

/** 32-bit FNV-1a of a string (UTF-16 code units). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The word tokens of a text: lower case, digits → 0, runs of letters/digits or single symbols. */
export function tokenize(text: string): string[] {
  const t = text.toLowerCase().replace(/[0-9]/g, "0");
  return t.match(/[\p{L}0]+|[^\s\p{L}0]/gu) ?? [];
}

/** Hashed n-gram features of the texts, one sparse row each. */
export function hashFeatures(texts: readonly string[], options: FeatureOptions = {}): SparseRows {
  const dim = options.dim ?? 4096;
  const ngram = options.ngram ?? 2;
  if (!Number.isInteger(dim) || dim < 2) {
    throw new RangeError(`hashFeatures: dim must be an integer ≥ 2, got ${dim}`);
  }
  if (!Number.isInteger(ngram) || ngram < 1) {
    throw new RangeError(`hashFeatures: ngram must be ≥ 1, got ${ngram}`);
  }
  const indptr = new Int32Array(texts.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let r = 0; r < texts.length; r++) {
    if (typeof texts[r] !== "string") throw new TypeError(`hashFeatures: text ${r} is not a string`);
    const tok = tokenize(texts[r]);
    const counts = new Map<number, number>();
    for (let i = 0; i < tok.length; i++) {
      let g = "";
      for (let k = 0; k < ngram && i + k < tok.length; k++) {
        g = k === 0 ? tok[i] : g + " " + tok[i + k];
        const b = fnv1a(g) % dim;
        counts.set(b, (counts.get(b) ?? 0) + 1);
      }
    }
    const keys = [...counts.keys()].sort((a, b) => a - b);
    let norm = 0;
    for (const k of keys) norm += Math.log1p(counts.get(k)!) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (const k of keys) {
      idx.push(k);
      val.push(Math.log1p(counts.get(k)!) / norm);
    }
    indptr[r + 1] = idx.length;
  }
  return { n: texts.length, dim, indptr, indices: Int32Array.from(idx), values: Float64Array.from(val) };
}

/** The rows `rows` of a sparse matrix, in that order. */
export function takeRows(X: SparseRows, rows: ArrayLike<number>): SparseRows {
  const indptr = new Int32Array(rows.length + 1);
  let nnz = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!(r >= 0 && r < X.n)) throw new RangeError(`takeRows: row ${r} out of range [0, ${X.n})`);
    nnz += X.indptr[r + 1] - X.indptr[r];
    indptr[i + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    indices.set(X.indices.subarray(X.indptr[r], X.indptr[r + 1]), indptr[i]);
    values.set(X.values.subarray(X.indptr[r], X.indptr[r + 1]), indptr[i]);
  }
  return { n: rows.length, dim: X.dim, indptr, indices, values };
}
