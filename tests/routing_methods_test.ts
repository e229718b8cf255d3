import assert from "node:assert/strict";
import { syntheticInstance } from "../lib/optllm/synthetic.ts";
import type { AllocationData } from "../lib/optllm/datasets.ts";
import {
  accuracyAtShare,
  cascadeCandidates,
  costToReach,
  fitCascades,
  hvCurve,
  hvNormalised,
  mixingHull,
  normaliser,
  paretoPoints,
  randomMixing,
  routePoint,
  runCascade,
  runRouting,
  singlePoints,
  sweepThresholds,
  thresholdRouter,
  undominatedModels,
  winLabels,
} from "../lib/routing/mod.ts";

/** 4 queries × 3 LLMs with hand-picked costs and outcomes. */
function tiny(): AllocationData {
  return {
    name: "tiny",
    queries: ["a", "b", "c", "d"],
    models: ["cheap", "mid", "dear"],
    n: 4,
    m: 3,
    cost: Float64Array.from([1, 2, 10, 1, 2, 10, 1, 2, 10, 1, 2, 10]),
    correct: Uint8Array.from([1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0]),
  };
}
const ALL = [0, 1, 2, 3];

Deno.test("HV in the single LLMs' normalised square; the LP-bound curve integrated", () => {
  const N = normaliser([{ cost: 0, acc: 0.5, strongShare: 0 }, { cost: 10, acc: 1, strongShare: 1 }]);
  // (2, 0.75) → (0.2, 0.5): dominates [0.2, 1] × [0, 0.5] = 0.4
  assert.ok(Math.abs(hvNormalised([{ cost: 2, acc: 0.75 }], N) - 0.4) < 1e-12);
  // two steps: (0, 0.5)→(0, 0) adds nothing; (5, 1) → (0.5, 1): 0.5 × 1
  assert.ok(Math.abs(hvNormalised([{ cost: 0, acc: 0.5 }, { cost: 5, acc: 1 }], N) - 0.5) < 1e-12);
  // the straight line between the extremes: a triangle of area 1/2; the singles alone: 0
  assert.ok(Math.abs(hvCurve([{ cost: 0, acc: 0.5 }, { cost: 10, acc: 1 }], N) - 0.5) < 1e-12);
  assert.equal(hvNormalised([{ cost: 0, acc: 0.5 }, { cost: 10, acc: 1 }], N), 0);
  // a curve above the best single LLM counts above 1
  assert.ok(Math.abs(hvCurve([{ cost: 0, acc: 1.5 }], N) - 2) < 1e-12);
  assert.throws(() => normaliser([{ cost: 1, acc: 1, strongShare: 0 }]), /must differ/);
});

Deno.test("costToReach and accuracyAtShare", () => {
  const pts = [
    { cost: 1, acc: 0.5, strongShare: 0 },
    { cost: 4, acc: 0.8, strongShare: 0.3 },
    { cost: 6, acc: 0.9, strongShare: 0.5 },
  ];
  assert.equal(costToReach(pts, 0.8, 8), 0.5);
  assert.equal(costToReach(pts, 0.95, 8), Infinity);
  assert.equal(accuracyAtShare(pts, 0.3), 0.8);
  assert.equal(accuracyAtShare(pts, 0.2), 0.5);
  assert.ok(Number.isNaN(accuracyAtShare([{ cost: 1, acc: 1, strongShare: 1 }], 0.2)));
});

Deno.test("runCascade pays every LLM it calls and keeps the accepted answer", () => {
  const d = tiny();
  // scores: confident in 'cheap' on queries 0 and 1 only, in 'mid' on query 2 only
  const scores = [0.9, 0.9, 0, 0.8, 0.1, 0, 0.1, 0.9, 0, 0.1, 0.1, 0];
  const p = runCascade(d, ALL, scores, { chain: [0, 1, 2], thresholds: [0.5, 0.5] }, 2);
  // q0: cheap (1) ✓; q1: cheap (1) ✗; q2: cheap+mid (3) ✗; q3: cheap+mid+dear (13) ✗
  assert.equal(p.cost, 18);
  assert.equal(p.acc, 0.25);
  assert.equal(p.strongShare, 0.25);
  assert.throws(() => runCascade(d, ALL, scores, { chain: [0, 1], thresholds: [] }, 2), /need 1 thresholds/);
  assert.equal(cascadeCandidates([0, 1, 2]).length, 3 * 9 + 81);
  assert.deepEqual(undominatedModels(d, ALL), [0, 1, 2]);
  const fitted = fitCascades(d, ALL, scores, cascadeCandidates([0, 1, 2]));
  const pts = fitted.map((c) => runCascade(d, ALL, scores, c, -1));
  assert.equal(paretoPoints(pts).length, pts.length, "only non-dominated configurations are kept");
});

Deno.test("threshold router: win labels, sweep from all-weak to all-strong, monotone", () => {
  const d = tiny();
  assert.deepEqual(winLabels(d, ALL, 2, 0), [0, 1, 1, 0]);
  const pWin = [0.1, 0.7, 0.9, 0.3];
  const th = sweepThresholds(pWin);
  assert.deepEqual(th, [0.1, 0.3, 0.7, 0.9, Infinity]);
  const pts = thresholdRouter(d, ALL, pWin, 2, 0, th);
  assert.equal(pts[0].strongShare, 1);
  assert.equal(pts[pts.length - 1].strongShare, 0);
  assert.deepEqual(pts[0], routePoint(d, ALL, [2, 2, 2, 2], 2));
  for (let j = 1; j < pts.length; j++) assert.ok(pts[j].cost <= pts[j - 1].cost);
  assert.equal(pts[2].acc, 0.75); // q1, q2 to 'dear': the two wins
  assert.equal(sweepThresholds(Array.from({ length: 500 }, (_, i) => i), 11).length, 12);
});

Deno.test("random mixing follows the hull of the single LLMs; its end points are the single LLMs", () => {
  const d = tiny();
  // cheap (4, 0.25), mid (8, 0.5), dear (40, 0.75): mid is above the line cheap → dear
  assert.deepEqual(mixingHull(d, ALL), [0, 1, 2]);
  const d2 = { ...d, cost: Float64Array.from([1, 9, 10, 1, 9, 10, 1, 9, 10, 1, 9, 10]) };
  assert.deepEqual(mixingHull(d2, ALL), [0, 2], "mid (36, 0.5) lies under the line (4, .25) → (40, .75)");
  const mix = randomMixing(d, ALL, 2, { steps: 4, seed: 3 });
  const s = singlePoints(d, ALL, 2);
  assert.deepEqual(mix[0], s[0]);
  assert.deepEqual(mix[4], s[1]);
  assert.deepEqual(mix[8], s[2]);
  assert.deepEqual(randomMixing(d, ALL, 2, { steps: 4, seed: 3 }), mix);
});

Deno.test("runRouting: every method scored on the test split, none beyond the true front or the LP bound", () => {
  const d = syntheticInstance({ n: 1500, m: 4, seed: 3 });
  const opts = { train: 0.05, val: 0.05, seed: 2, u: 2, forest: { nEstimators: 4 }, GN: 10 };
  const R = runRouting(d, opts);
  assert.deepEqual(runRouting(d, opts).methods, R.methods, "seeded");
  const N = normaliser(R.methods["single LLMs"]);
  const bound = hvCurve(R.bound, N);
  assert.ok(Math.abs(hvNormalised(R.trueFront, N) - bound) < 0.01, "the true front touches its LP bound");
  for (const [name, pts] of Object.entries(R.methods)) {
    assert.ok(pts.length >= 1, name);
    assert.ok(hvNormalised(pts, N) <= bound + 1e-9, `${name} HV ≤ the bound's`);
    for (const p of pts) {
      assert.ok(
        R.trueFront.some((f) => f.cost <= p.cost + 1e-9 && f.acc >= p.acc - 1e-12),
        `${name}: (${p.cost}, ${p.acc}) beyond the true front`,
      );
      assert.ok(p.strongShare >= 0 && p.strongShare <= 1);
    }
  }
  assert.ok(R.methods.cascade.length >= 1 && R.methods["threshold router"].length >= 2);
  assert.equal(R.chosen.routerPair.length, 2);
});
