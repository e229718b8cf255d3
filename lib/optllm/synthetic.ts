/**
 * Seeded synthetic allocation instances, so that tests and the notebook's worked example never need the
 * external files. n queries × m LLMs:
 *
 * - prices per million tokens spread log-uniformly over `priceSpread` orders of magnitude (as the
 *   LogPai models span $0.2–$15 and the OVERRULING APIs two orders), times a per-query token count
 *   (log-normal) and a per-model tokenizer factor (±10%);
 * - success is correlated across LLMs through a latent difficulty per query and a topic per query:
 *   P(correct_{i,k}) = σ(skill_k − hardness·d_i + affinity_{t_i,k}), where skill grows with price but
 *   with noise, so that a cheap model can beat a dear one (as Mixtral beats Llama-2-70B and J2-Ultra);
 * - the query text is made of topic words, words whose number grows with the difficulty, and filler,
 *   so that text features carry real (but partial) information about which LLM succeeds.
 *
 * @module
 */
import { Rng } from "../core/rng.ts";
import type { AllocationData } from "./datasets.ts";

/** Options of {@link syntheticInstance}. */
export interface SyntheticOptions {
  /** Number of queries (default 2000). */
  n?: number;
  /** Number of LLMs (default 8). */
  m?: number;
  /** Seed (default 1). */
  seed?: number;
  /** Orders of magnitude between the cheapest and the dearest price (default 2). */
  priceSpread?: number;
  /** Number of topics (default 6). */
  topics?: number;
  /** Weight of the difficulty in the success logit (default 3). */
  hardness?: number;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** A synthetic instance; same options and seed → the same instance byte for byte. */
export function syntheticInstance(options: SyntheticOptions = {}): AllocationData {
  const n = options.n ?? 2000, m = options.m ?? 8, seed = options.seed ?? 1;
  const spread = options.priceSpread ?? 2, T = options.topics ?? 6, hardness = options.hardness ?? 3;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`syntheticInstance: n must be a positive integer, got ${n}`);
  }
  if (!Number.isInteger(m) || m < 2) {
    throw new RangeError(`syntheticInstance: m must be an integer ≥ 2, got ${m}`);
  }
  const rng = new Rng(seed);
  // prices (USD per token), cheapest first, with a noisy skill increasing in log-price
  const price = new Float64Array(m), skill = new Float64Array(m), tokenizer = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const u = m === 1 ? 0 : k / (m - 1);
    price[k] = 0.2e-6 * Math.pow(10, spread * u) * (0.8 + 0.4 * rng.random());
    skill[k] = -0.2 + 2.2 * u + 0.9 * rng.normal();
    tokenizer[k] = 0.9 + 0.2 * rng.random();
  }
  const affinity = new Float64Array(T * m);
  for (let i = 0; i < affinity.length; i++) affinity[i] = 1.0 * rng.normal();
  const cost = new Float64Array(n * m), correct = new Uint8Array(n * m);
  const queries: string[] = new Array(n), group: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = rng.int(T), d = rng.random();
    const tokens = Math.round(60 * Math.exp(0.5 * rng.normal()));
    const words: string[] = [];
    const len = 6 + rng.int(10);
    for (let w = 0; w < len; w++) {
      const r = rng.random();
      if (r < 0.45) words.push(`topic${t}word${rng.int(12)}`);
      else if (r < 0.45 + 0.4 * d) words.push(`rare${rng.int(40)}`);
      else words.push(`common${rng.int(30)}`);
    }
    if (d > 0.6) words.push(`id${rng.int(100000)}`);
    queries[i] = words.join(" ");
    group[i] = `topic${t}`;
    for (let k = 0; k < m; k++) {
      cost[i * m + k] = tokens * tokenizer[k] * price[k];
      const p = sigmoid(skill[k] - hardness * (d - 0.5) + affinity[t * m + k]);
      correct[i * m + k] = rng.random() < p ? 1 : 0;
    }
  }
  const models = Array.from({ length: m }, (_, k) => `LLM-${k + 1}`);
  return { name: `synthetic(n=${n}, m=${m}, seed=${seed})`, queries, models, n, m, cost, correct, group };
}
