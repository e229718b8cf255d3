/**
 * A word n-gram language model with interpolated modified Kneser-Ney smoothing (Chen & Goodman 1998,
 * "An Empirical Study of Smoothing Techniques for Language Modeling", Sec. 3.5, Eq. 17–19 and 26): the
 * offline language model of InstOptima's perplexity objective, trained on the task's own text.
 *
 * For an order-k context h (k − 1 words) and a word w:
 *
 *   p_k(w | h) = max(a(hw) − D_k(a(hw)), 0) / Σ_v a(hv) + γ_k(h) · p_{k−1}(w | h′),
 *   γ_k(h)     = (D_k1 N1(h•) + D_k2 N2(h•) + D_k3+ N3+(h•)) / Σ_v a(hv),
 *
 * where h′ drops the first word of h, a is the raw count at the highest order and the continuation
 * count N1+(•hw) (distinct left neighbours) below it, N_j(h•) counts the words with a(hw) = j (3+: at
 * least 3), and an unseen context (Σ_v a(hv) = 0) backs off entirely: p_k(w | h) = p_{k−1}(w | h′). The
 * recursion ends in the uniform p_0(w) = 1 / |V|. The discounts come from the count-of-counts n_j of
 * each order (Eq. 26): Y = n1 / (n1 + 2 n2), D1 = 1 − 2Y n2/n1, D2 = 2 − 3Y n3/n2, D3+ = 3 − 4Y n4/n3;
 * an estimate outside (0, j] (too few counts) is replaced by j/2.
 *
 * Text: lower-cased; words are runs of letters, every run of digits is the token `<num>`, every other
 * symbol a token; each line is a sentence, padded with n − 1 `<s>` and closed by `</s>`. The vocabulary
 * V is the training words with `</s>` and `<unk>` (any unseen word), so Σ_{w∈V} p(w | h) = 1 for every
 * context h (the tests check it).
 *
 * @module
 */

const BOS = "<s>", EOS = "</s>", UNK = "<unk>", NUM = "<num>";
const SEP = "\u0001";

/** The tokens of one sentence (line) of text: see the module comment. */
export function lmTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/\p{L}+|\p{N}+|[^\s\p{L}\p{N}]/gu)) {
    out.push(/^\p{N}/u.test(m[0]) ? NUM : m[0]);
  }
  return out;
}

/** The sentences of a text: its non-empty lines, tokenised. */
export function lmSentences(text: string): string[][] {
  return text.split(/\n/).map(lmTokens).filter((s) => s.length > 0);
}

interface Level {
  /** context key → (word → count a(hw)) */
  counts: Map<string, Map<string, number>>;
  /** context key → [Σ a(hv), N1(h•), N2(h•), N3+(h•)] */
  totals: Map<string, [number, number, number, number]>;
  /** D1, D2, D3+ */
  discounts: [number, number, number];
}

/** A trained model. */
export interface KneserNeyModel {
  /** n: the model's order. */
  readonly order: number;
  /** The predictable words: training words, `</s>` and `<unk>`. */
  readonly vocabulary: ReadonlySet<string>;
  /** Conditional probability p(w | context), context = the preceding words (only the last order − 1 are used). */
  probability(word: string, context: readonly string[]): number;
  /** The discounts (D1, D2, D3+) of order k (1 … order). */
  discounts(k: number): [number, number, number];
}

/** Discounts of Chen & Goodman's Eq. 26 from count-of-counts n1…n4, each clamped into (0, j]. */
export function modifiedKneserNeyDiscounts(
  n: readonly [number, number, number, number],
): [number, number, number] {
  const [n1, n2, n3, n4] = n;
  const Y = n1 / (n1 + 2 * n2);
  const raw = [1 - 2 * Y * n2 / n1, 2 - 3 * Y * n3 / n2, 3 - 4 * Y * n4 / n3];
  return raw.map((d, j) => (Number.isFinite(d) && d > 0 && d <= j + 1 ? d : (j + 1) / 2)) as [
    number,
    number,
    number,
  ];
}

/**
 * Trains an interpolated modified Kneser-Ney model of the given order (default 3) on sentences
 * (arrays of tokens, e.g. from {@link lmSentences}).
 */
export function trainKneserNey(sentences: readonly (readonly string[])[], order = 3): KneserNeyModel {
  if (!Number.isInteger(order) || order < 1) {
    throw new RangeError(`trainKneserNey: order must be ≥ 1, got ${order}`);
  }
  if (sentences.length === 0) throw new RangeError("trainKneserNey: no training sentences");
  const vocabulary = new Set<string>([EOS, UNK]);
  // highest-order raw counts, and the distinct left neighbours of every lower-order n-gram
  const levels: Level[] = Array.from({ length: order + 1 }, () => ({
    counts: new Map(),
    totals: new Map(),
    discounts: [0, 0, 0] as [number, number, number],
  }));
  const left: Map<string, Set<string>>[] = Array.from({ length: order + 1 }, () => new Map());
  for (const [s, sentence] of sentences.entries()) {
    if (!Array.isArray(sentence)) {
      throw new TypeError(`trainKneserNey: sentence ${s} is not an array of tokens`);
    }
    const seq = [...Array(order - 1).fill(BOS), ...sentence, EOS];
    for (const w of sentence) {
      if (w === BOS || w === EOS || w === UNK) {
        throw new RangeError(`trainKneserNey: sentence ${s} holds the reserved token ${w}`);
      }
      vocabulary.add(w);
    }
    for (let i = order - 1; i < seq.length; i++) {
      const w = seq[i];
      // highest order: raw count
      const hN = seq.slice(i - order + 1, i).join(SEP);
      bump(levels[order].counts, hN, w, 1);
      // lower orders k: remember the left neighbour of the k-gram ending at i
      for (let k = 1; k < order; k++) {
        const gram = seq.slice(i - k + 1, i + 1).join(SEP);
        let set = left[k].get(gram);
        if (!set) left[k].set(gram, set = new Set());
        set.add(seq[i - k]);
      }
    }
  }
  for (let k = 1; k < order; k++) {
    for (const [gram, set] of left[k]) {
      const parts = gram.split(SEP);
      bump(levels[k].counts, parts.slice(0, -1).join(SEP), parts[parts.length - 1], set.size);
    }
  }
  for (let k = 1; k <= order; k++) {
    const L = levels[k];
    const n: [number, number, number, number] = [0, 0, 0, 0];
    for (const [h, m] of L.counts) {
      const t: [number, number, number, number] = [0, 0, 0, 0];
      for (const c of m.values()) {
        t[0] += c;
        t[Math.min(c, 3)]++;
        if (c <= 4) n[c - 1]++;
      }
      L.totals.set(h, t);
    }
    L.discounts = modifiedKneserNeyDiscounts(n);
  }
  const V = vocabulary.size;

  const prob = (w: string, ctx: readonly string[], k: number): number => {
    if (k === 0) return 1 / V;
    const h = ctx.slice(ctx.length - (k - 1)).join(SEP);
    const L = levels[k];
    const t = L.totals.get(h);
    const lower = prob(w, ctx, k - 1);
    if (!t) return lower;
    const a = L.counts.get(h)!.get(w) ?? 0;
    const [d1, d2, d3] = L.discounts;
    const D = a === 0 ? 0 : a === 1 ? d1 : a === 2 ? d2 : d3;
    const gamma = (d1 * t[1] + d2 * t[2] + d3 * t[3]) / t[0];
    return Math.max(a - D, 0) / t[0] + gamma * lower;
  };

  return {
    order,
    vocabulary,
    probability(word: string, context: readonly string[]): number {
      const w = word === EOS || vocabulary.has(word) ? word : UNK;
      const ctx = [
        ...Array(order - 1).fill(BOS),
        ...context.map((c) => (vocabulary.has(c) ? c : c === BOS ? c : UNK)),
      ];
      return prob(w, ctx.slice(ctx.length - (order - 1)), order);
    },
    discounts(k: number) {
      if (!Number.isInteger(k) || k < 1 || k > order) {
        throw new RangeError(`discounts: order ${k} outside 1…${order}`);
      }
      return [...levels[k].discounts] as [number, number, number];
    },
  };
}

function bump(counts: Map<string, Map<string, number>>, h: string, w: string, by: number): void {
  let m = counts.get(h);
  if (!m) counts.set(h, m = new Map());
  m.set(w, (m.get(w) ?? 0) + by);
}

/** Log-probability (natural) and number of predicted tokens (words and `</s>`) of some sentences. */
export function logProbability(model: KneserNeyModel, sentences: readonly (readonly string[])[]): {
  logProb: number;
  tokens: number;
} {
  let logProb = 0, tokens = 0;
  for (const s of sentences) {
    for (let i = 0; i <= s.length; i++) {
      const w = i < s.length ? s[i] : EOS;
      logProb += Math.log(model.probability(w, s.slice(Math.max(0, i - model.order + 1), i)));
      tokens++;
    }
  }
  return { logProb, tokens };
}

/** Perplexity exp(−(1/N) Σ log p) of a text (each line a sentence) under the model. */
export function perplexity(model: KneserNeyModel, text: string): number {
  const sentences = lmSentences(text);
  if (sentences.length === 0) throw new RangeError("perplexity: the text has no tokens");
  const { logProb, tokens } = logProbability(model, sentences);
  return Math.exp(-logProb / tokens);
}
