/**
 * A FrugalGPT-style LLM cascade (Chen, Zaharia & Zou, 2023): the LLMs of a chain are called in order;
 * after LLM chain[s] answers, the answer is accepted when a scorer's confidence g(q, s) reaches the stage's
 * threshold τ_s, else the next LLM is called; the last LLM's answer is always accepted. The cascade pays
 * for every LLM it called.
 *
 * - Scorer: here the predicted probability that chain[s] answers q correctly, from a random forest on the
 *   query's features trained on the labelled training split (the same features and forest as OptLLM's
 *   base model). FrugalGPT's scorer (a DistilBERT) also reads the _answer_; a query-only scorer cannot
 *   see a wrong answer after the fact, so this cascade measures the cost of sequential calls under the
 *   same information a router has — not FrugalGPT's answer-aware scoring.
 * - Search, as FrugalGPT's: chains of up to `maxLength` LLMs, in ascending order of cost, drawn from the
 *   LLMs that no other dominates on the labelled queries (mean cost, accuracy); thresholds on a grid;
 *   every (chain, thresholds) is scored on the validation split, and the configurations non-dominated
 *   there are the method's operating points (their test scores are what the benchmark reports).
 *
 * @module
 */
import type { AllocationData } from "../optllm/datasets.ts";
import { paretoPoints, type RoutePoint } from "./points.ts";

/** A cascade: the LLMs in calling order and one threshold per stage but the last. */
export interface Cascade {
  /** The LLMs, in calling order. */
  readonly chain: readonly number[];
  /** The confidence each stage but the last needs to stop. */
  readonly thresholds: readonly number[];
}

/**
 * The operating point of a cascade on `rows`; `scores[r·m + k]` is the scorer's confidence in LLM k's
 * answer to query rows[r].
 */
export function runCascade(
  data: AllocationData,
  rows: ArrayLike<number>,
  scores: ArrayLike<number>,
  cascade: Cascade,
  strong: number,
): RoutePoint {
  const { chain, thresholds } = cascade;
  const m = data.m;
  if (chain.length < 1 || thresholds.length !== chain.length - 1) {
    throw new RangeError(`runCascade: ${chain.length} LLMs need ${chain.length - 1} thresholds`);
  }
  if (scores.length !== rows.length * m) {
    throw new RangeError(`runCascade: ${scores.length} scores for ${rows.length} queries × ${m} LLMs`);
  }
  let cost = 0, ok = 0, calls = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    let called = false;
    for (let s = 0; s < chain.length; s++) {
      const k = chain[s];
      cost += data.cost[i * m + k];
      if (k === strong) called = true;
      if (s === chain.length - 1 || scores[r * m + k] >= thresholds[s]) {
        ok += data.correct[i * m + k];
        break;
      }
    }
    if (called) calls++;
  }
  return { cost, acc: ok / rows.length, strongShare: calls / rows.length };
}

/** The LLMs no other dominates in (mean cost, accuracy) on the rows, sorted by cost. */
export function undominatedModels(data: AllocationData, rows: ArrayLike<number>): number[] {
  const m = data.m, c = new Float64Array(m), a = new Float64Array(m);
  for (let r = 0; r < rows.length; r++) {
    for (let k = 0; k < m; k++) c[k] += data.cost[rows[r] * m + k], a[k] += data.correct[rows[r] * m + k];
  }
  const keep: number[] = [];
  for (let k = 0; k < m; k++) {
    let dominated = false;
    for (let j = 0; j < m && !dominated; j++) {
      dominated = j !== k && c[j] <= c[k] && a[j] >= a[k] && (c[j] < c[k] || a[j] > a[k]);
    }
    if (!dominated) keep.push(k);
  }
  return keep.sort((x, y) => c[x] - c[y] || x - y);
}

/** Options of {@link fitCascades}. */
export interface CascadeSearch {
  /** Longest chain (default 3, as FrugalGPT's experiments). */
  maxLength?: number;
  /** Threshold grid (default 0.1, 0.2, …, 0.9). */
  grid?: readonly number[];
}

/**
 * All chains of 2…maxLength of the given LLMs (kept in their order) with every threshold combination of
 * the grid.
 */
export function cascadeCandidates(models: readonly number[], options: CascadeSearch = {}): Cascade[] {
  const L = options.maxLength ?? 3;
  const grid = options.grid ?? [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
  const out: Cascade[] = [];
  const chains: number[][] = [];
  const pick = (start: number, chain: number[]) => {
    if (chain.length >= 2) chains.push(chain);
    if (chain.length === L) return;
    for (let j = start; j < models.length; j++) pick(j + 1, [...chain, models[j]]);
  };
  pick(0, []);
  for (const chain of chains) {
    const stages = chain.length - 1;
    const idx = new Array(stages).fill(0);
    for (;;) {
      out.push({ chain, thresholds: idx.map((g) => grid[g]) });
      let s = 0;
      while (s < stages && ++idx[s] === grid.length) idx[s++] = 0;
      if (s === stages) break;
    }
  }
  return out;
}

/**
 * FrugalGPT's search: every candidate scored on the `valRows` (with their scores), keeping the
 * configurations non-dominated there (the single LLMs are not candidates: the benchmark shows them apart).
 */
export function fitCascades(
  data: AllocationData,
  valRows: ArrayLike<number>,
  valScores: ArrayLike<number>,
  candidates: readonly Cascade[],
): Cascade[] {
  const scored = candidates.map((c) => ({ c, p: runCascade(data, valRows, valScores, c, -1) }));
  const front = paretoPoints(scored.map((s) => s.p));
  const keep = new Set(front);
  return scored.filter((s) => keep.has(s.p)).map((s) => s.c);
}
