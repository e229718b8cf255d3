/**
 * RouteLLM-style threshold routers (Ong et al., 2024): a router predicts, for each query, the probability
 * P_win(q) that the strong model's answer beats the weak one's, and sends q to the strong model when
 * P_win(q) ≥ α; sweeping α over the range of P_win traces the router's cost/accuracy curve.
 *
 * - "Win" with 0/1 outcomes: the strong model is right and the weak one wrong (a tie costs nothing to
 *   route to the weak model). The predictor is a random forest on the query features trained on these
 *   labels on the labelled training split (RouteLLM trains on preference labels; its routers are matrix
 *   factorisation, BERT, a causal LM and similarity-weighted ranking — the forest is ours).
 * - Two models only. With m > 2 LLMs we restrict to one pair: the strong model is the most accurate on the
 *   labelled queries; the weak one is chosen among the cheaper LLMs by the HV of its router's curve on the
 *   validation split (see the notebook); the other LLMs are not used.
 *
 * @module
 */
import type { AllocationData } from "../optllm/datasets.ts";
import type { RoutePoint } from "./points.ts";

/** The win labels of the rows: 1 when `strong` is right and `weak` wrong. */
export function winLabels(
  data: AllocationData,
  rows: ArrayLike<number>,
  strong: number,
  weak: number,
): number[] {
  const m = data.m;
  return Array.from(
    rows,
    (i) => (data.correct[i * m + strong] === 1 && data.correct[i * m + weak] === 0 ? 1 : 0),
  );
}

/**
 * The thresholds of a sweep over the range of the predictions: every distinct predicted value (at most
 * `max`, evenly spread over the sorted distinct values) plus one above the largest (all to the weak model).
 */
export function sweepThresholds(pWin: ArrayLike<number>, max = 101): number[] {
  const v = [...new Set(Array.from(pWin))].sort((a, b) => a - b);
  const pick = v.length <= max
    ? v
    : Array.from({ length: max }, (_, j) => v[Math.round((j * (v.length - 1)) / (max - 1))]);
  return [...new Set(pick)].concat([Infinity]);
}

/** The operating points of the router for each threshold α: strong when pWin[r] ≥ α. */
export function thresholdRouter(
  data: AllocationData,
  rows: ArrayLike<number>,
  pWin: ArrayLike<number>,
  strong: number,
  weak: number,
  thresholds: readonly number[],
): RoutePoint[] {
  if (pWin.length !== rows.length) {
    throw new RangeError(`thresholdRouter: ${pWin.length} predictions, ${rows.length} queries`);
  }
  const m = data.m;
  return thresholds.map((a) => {
    let cost = 0, ok = 0, calls = 0;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r], k = pWin[r] >= a ? strong : weak;
      cost += data.cost[i * m + k];
      ok += data.correct[i * m + k];
      if (k === strong) calls++;
    }
    return { cost, acc: ok / rows.length, strongShare: calls / rows.length };
  });
}
