import assert from "node:assert/strict";
import {
  lmSentences,
  lmTokens,
  logProbability,
  modifiedKneserNeyDiscounts,
  perplexity,
  trainKneserNey,
} from "../lib/instoptima/ngram.ts";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

Deno.test("lmTokens: lower case, letters, <num> for digit runs, symbols apart", () => {
  assert.deepEqual(lmTokens("Gold up $12.50, Fed"), ["gold", "up", "$", "<num>", ".", "<num>", ",", "fed"]);
  assert.deepEqual(lmSentences("a b\n\nc"), [["a", "b"], ["c"]]);
});

Deno.test("modified Kneser-Ney discounts follow Chen & Goodman's Eq. 26, clamped into (0, j]", () => {
  const [d1, d2, d3] = modifiedKneserNeyDiscounts([10, 4, 2, 1]);
  const Y = 10 / 18;
  close(d1, 1 - 2 * Y * 4 / 10);
  close(d2, 2 - 3 * Y * 2 / 4);
  close(d3, 3 - 4 * Y * 1 / 2);
  // no counts of 3: D3+ = NaN → 1.5
  assert.deepEqual(modifiedKneserNeyDiscounts([3, 1, 0, 0]).map((d) => +d.toFixed(12)), [0.6, 2, 1.5]);
});

Deno.test("a bigram model on three sentences, by hand", () => {
  // <s> a b </s> ×2, <s> a c </s>
  const lm = trainKneserNey([["a", "b"], ["a", "b"], ["a", "c"]], 2);
  assert.deepEqual([...lm.vocabulary].sort(), ["</s>", "<unk>", "a", "b", "c"]);
  // order 2 counts 3,2,1,2,1: n1 = 2, n2 = 2, n3 = 1, n4 = 0 → Y = 1/3, D1 = 1/3, D2 = 1.5, D3+ = 3
  const [d1, d2, d3] = lm.discounts(2);
  close(d1, 1 / 3);
  close(d2, 1.5);
  close(d3, 3);
  // unigram continuation counts a 1, b 1, c 1, </s> 2: D1 = 0.6, D2 = 2, D3+ = 1.5; γ = (0.6·3 + 2·1)/5
  const g1 = (0.6 * 3 + 2 * 1) / 5;
  const p1b = (1 - 0.6) / 5 + g1 / 5;
  // p(b | <s>): c(<s> b) = 0, γ(<s>) = D3+ · 1 / 3 = 1 (c(<s> a) = 3)
  close(lm.probability("b", []), p1b);
  // p(b | a) = (2 − D2)/3 + γ(a)·p1(b), γ(a) = (D1·1 + D2·1)/3
  close(lm.probability("b", ["a"]), (2 - 1.5) / 3 + ((1 / 3 + 1.5) / 3) * p1b);
  // a seen context without b: only γ(c) = D1 · 1 / 1 of the unigram
  close(lm.probability("b", ["c"]), (1 / 3) * p1b);
  // an unseen context backs off entirely to the unigram
  close(lm.probability("b", ["zzz"]), p1b);
  // an unseen word is <unk>: only the uniform share, γ1/|V| at the unigram level
  close(lm.probability("zebra", ["zzz"]), g1 / 5);
});

Deno.test("probabilities sum to 1 over the vocabulary, in every context and order", () => {
  const text =
    "gold rises on weak dollar\ngold falls as dollar firms\ngold rises again\nsilver falls on weak demand\n" +
    "gold steady ahead of fed\ngold rises to a high\ngold falls to a low";
  for (const order of [1, 2, 3, 4]) {
    const lm = trainKneserNey(lmSentences(text), order);
    const contexts = [[], ["gold"], ["gold", "rises"], ["weak", "dollar"], ["unknown", "words"], ["<s>"], [
      "to",
      "a",
    ]];
    for (const ctx of contexts) {
      let s = 0;
      for (const w of lm.vocabulary) s += lm.probability(w, ctx);
      close(s, 1, 1e-12);
    }
  }
});

Deno.test("perplexity: seen text is less surprising than shuffled or foreign text", () => {
  const text = "gold rises on weak dollar\ngold falls as dollar firms\ngold rises again\ngold falls again";
  const lm = trainKneserNey(lmSentences(text), 3);
  const seen = perplexity(lm, "gold rises on weak dollar");
  const shuffled = perplexity(lm, "dollar weak on rises gold");
  const foreign = perplexity(lm, "the committee approved a budget");
  assert.ok(seen < shuffled && shuffled < foreign, `${seen} ${shuffled} ${foreign}`);
  const { logProb, tokens } = logProbability(lm, [["gold", "rises"]]);
  assert.equal(tokens, 3);
  close(Math.exp(-logProb / tokens), perplexity(lm, "Gold RISES"));
  assert.throws(() => perplexity(lm, "  \n "), /no tokens/);
  assert.throws(() => trainKneserNey([], 3), /no training sentences/);
  assert.throws(() => trainKneserNey([["a", "</s>"]], 2), /reserved token <\/s>/);
});
