/**
 * Query features without downloaded embeddings: hashed word and character n-grams weighted by TF-IDF.
 *
 * The OptLLM paper (Section IV-A1) averages pre-trained fastText word vectors of the query (the authors'
 * code uses crawl-300d-2M-subword). Those vectors are a 7 GB download that this project does not
 * depend on; as our substitute, each query becomes a `dim`-dimensional vector of
 *
 * - word n-grams (n in `wordNgrams`, default 1–2) of the lower-cased alphanumeric tokens, and
 * - character n-grams (n in `charNgrams`, default 3–5) of each token padded with `<` and `>` (the
 *   subword units fastText itself uses),
 *
 * hashed (FNV-1a, 32-bit) into `dim` buckets — the hashing trick, so no vocabulary is stored — then
 * weighted by smoothed inverse document frequency idf(b) = ln((1 + N)/(1 + df_b)) + 1 fitted on the
 * rows given (scikit-learn's `smooth_idf`), and L2-normalised per query. The dimension is kept modest
 * (256 by default) because the random forests (ml-random-forest) train in time growing with it.
 *
 * @module
 */

/** Options of {@link hashedNgramCounts} and {@link tfidfFeatures}. */
export interface FeatureOptions {
  /** Number of hash buckets (default 256). */
  dim?: number;
  /** Smallest and largest word n-gram (default [1, 2]); [0, 0] for none. */
  wordNgrams?: [number, number];
  /** Smallest and largest character n-gram inside a token (default [3, 5]); [0, 0] for none. */
  charNgrams?: [number, number];
}

/** Row-major features: `n` rows of `dim` values. */
export interface Features {
  /** The values, row-major (n × dim). */
  readonly data: Float32Array;
  /** Rows (queries). */
  readonly n: number;
  /** Values per row. */
  readonly dim: number;
}

const FNV_OFFSET = 0x811c9dc5, FNV_PRIME = 0x01000193;

function tokens(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9_]+/).filter((t) => t.length > 0);
}

/** Raw hashed n-gram counts (before TF-IDF). */
export function hashedNgramCounts(texts: readonly string[], options: FeatureOptions = {}): Features {
  const dim = options.dim ?? 256;
  const [w0, w1] = options.wordNgrams ?? [1, 2];
  const [c0, c1] = options.charNgrams ?? [3, 5];
  if (!Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`features: dim must be a positive integer, got ${dim}`);
  }
  const n = texts.length;
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const row = i * dim;
    const toks = tokens(texts[i]);
    // word n-grams: hash of the tokens joined by a space, seeded by n so that n-gram orders differ
    for (let g = Math.max(1, w0); g <= w1 && w0 > 0; g++) {
      for (let s = 0; s + g <= toks.length; s++) {
        let h = (FNV_OFFSET ^ (g * 0x9e3779b1)) >>> 0;
        for (let t = s; t < s + g; t++) {
          const w = toks[t];
          for (let c = 0; c < w.length; c++) h = Math.imul(h ^ w.charCodeAt(c), FNV_PRIME);
          h = Math.imul(h ^ 32, FNV_PRIME);
        }
        data[row + ((h >>> 0) % dim)] += 1;
      }
    }
    // character n-grams of "<token>"
    if (c0 > 0) {
      for (const w of toks) {
        const s = `<${w}>`;
        for (let a = 0; a < s.length; a++) {
          let h = (FNV_OFFSET ^ 0x5bd1e995) >>> 0;
          for (let b = a; b < s.length && b - a < c1; b++) {
            h = Math.imul(h ^ s.charCodeAt(b), FNV_PRIME);
            if (b - a + 1 >= c0) data[row + ((h >>> 0) % dim)] += 1;
          }
        }
      }
    }
  }
  return { data, n, dim };
}

/**
 * TF-IDF features of the texts: hashed counts × idf fitted on the rows `fitRows` (default: all), each
 * row then L2-normalised (an empty text stays all-zero).
 */
export function tfidfFeatures(
  texts: readonly string[],
  options: FeatureOptions & { fitRows?: ArrayLike<number> } = {},
): Features {
  const f = hashedNgramCounts(texts, options);
  const { data, n, dim } = f;
  const fit = options.fitRows ?? Array.from({ length: n }, (_, i) => i);
  const df = new Float64Array(dim);
  for (let r = 0; r < fit.length; r++) {
    const i = fit[r];
    for (let j = 0; j < dim; j++) if (data[i * dim + j] > 0) df[j]++;
  }
  const N = fit.length;
  const idf = new Float64Array(dim);
  for (let j = 0; j < dim; j++) idf[j] = Math.log((1 + N) / (1 + df[j])) + 1;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const v = data[i * dim + j] * idf[j];
      data[i * dim + j] = v;
      s += v * v;
    }
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let j = 0; j < dim; j++) data[i * dim + j] *= inv;
    }
  }
  return f;
}
