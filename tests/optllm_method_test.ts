import assert from "node:assert/strict";
import { points } from "../lib/core/points.ts";
import { Rng } from "../lib/core/rng.ts";
import { syntheticInstance } from "../lib/optllm/synthetic.ts";
import { tfidfFeatures } from "../lib/optllm/features.ts";
import {
  binRow,
  featuresPerTree,
  predictionAccuracy,
  predictSuccess,
  quantileCuts,
  robustAccuracy,
  splitIndices,
  trainForest,
} from "../lib/optllm/prediction.ts";
import {
  allocation,
  allocationOf,
  assignmentProblem,
  evaluateAssignment,
  truthOf,
} from "../lib/optllm/problem.ts";
import { destruction, initialSolutions, moveTables, optllm, reconstruction } from "../lib/optllm/optimise.ts";
import { deltaCostAcc, igdCostAcc, trueFront } from "../lib/optllm/truefront.ts";
import { boundAt, lpBound, optimalityGaps } from "../lib/optllm/bound.ts";
import {
  AUTHORS_BASELINE_SETTINGS,
  BASELINES,
  runBaseline,
  setMetrics,
  trueObjectives,
  withoutOptimisation,
} from "../lib/optllm/experiment.ts";

function randomInstance(n: number, m: number, seed: number, binary = false) {
  const rng = new Rng(seed);
  const cost = new Float64Array(n * m), acc = new Float64Array(n * m);
  for (let i = 0; i < n * m; i++) {
    cost[i] = 0.01 + rng.random();
    acc[i] = binary ? (rng.random() < 0.4 ? 1 : 0) : rng.random();
  }
  return allocation(n, m, cost, acc);
}

Deno.test("splitIndices: 1% / 1% / 98%, disjoint, seeded", () => {
  const s = splitIndices(10000, { seed: 2 });
  assert.equal(s.train.length, 100);
  assert.equal(s.val.length, 100);
  assert.equal(s.test.length, 9800);
  const all = new Set([...s.train, ...s.val, ...s.test]);
  assert.equal(all.size, 10000);
  assert.deepEqual(splitIndices(10000, { seed: 2 }).train, s.train);
  assert.notDeepEqual(splitIndices(10000, { seed: 3 }).train, s.train);
  assert.throws(() => splitIndices(10, { train: 0.6, val: 0.5 }), /train \+ val < 1/);
});

Deno.test("trainForest: the compiled forest predicts exactly what ml-random-forest predicts; one class → constant", () => {
  const d = syntheticInstance({ n: 300, m: 3, seed: 5 });
  const X = tfidfFeatures(d.queries, { dim: 32 });
  const rows = Array.from({ length: 120 }, (_, i) => i);
  const y = rows.map((i) => d.correct[i * 3 + 1]);
  const test = Array.from({ length: 180 }, (_, r) => 120 + r);
  for (const bins of [0, 4, 16]) {
    const f = trainForest(X, rows, y, { nEstimators: 5, maxDepth: 6, bins, seed: 7 });
    assert.equal(f.trees, 5);
    const { models, cuts } = f.source!;
    assert.equal(cuts === undefined, bins === 0);
    const input = (i: number) =>
      cuts ? binRow(X, i, cuts) : Array.from(X.data.subarray(i * 32, (i + 1) * 32));
    const ours = f.predict(X, test);
    const theirs = test.map(() => 0);
    for (const m of models) m.predict(test.map(input)).forEach((v: number, r: number) => theirs[r] += v / 5);
    for (let r = 0; r < test.length; r++) {
      assert.ok(Math.abs(ours[r] - theirs[r]) < 1e-12, `bins ${bins} row ${r}`);
    }
    assert.ok(ours.some((v) => v > 0.05 && v < 0.95), "not a constant");
    // ⌊√32⌋ = 5 features per tree, as scikit-learn's max_features="sqrt"
    for (const m of models) assert.equal((m as unknown as { indexes: number[][] }).indexes[0].length, 5);
  }
  const c = trainForest(X, [0, 1, 2], [1, 1, 1], { seed: 1 });
  assert.deepEqual(Array.from(c.predict(X, [5, 6])), [1, 1]);
  assert.throws(() => trainForest(X, [0, 1], [0, 2], { seed: 1 }), /label 1 is 2/);
  assert.throws(() => trainForest(X, [0, 1], [0, 1], { seed: 1, bins: 1 }), /bins must be/);
  assert.throws(() => trainForest(X, [0, 1], [0, 1], { seed: 1, maxFeatures: 40 }), /maxFeatures/);
});

Deno.test("quantileCuts and binRow: edges at the quantiles, no empty bin, bin = edges ≤ v", () => {
  const data = Float32Array.from([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
  const X = { data, n: 12, dim: 1 };
  const rows = Array.from({ length: 12 }, (_, i) => i);
  const [c] = quantileCuts(X, rows, 4); // sorted positions 3, 6, 9 hold 0 (the minimum, dropped), 3, 6
  assert.deepEqual(Array.from(c), [3, 6]);
  assert.deepEqual(rows.map((i) => binRow(X, i, [c])[0]), [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
  assert.equal(featuresPerTree("sqrt", 300), 17);
  assert.equal(featuresPerTree(0.2, 256), 51);
  assert.throws(() => quantileCuts(X, rows, 1), /q ≥ 2/);
});

Deno.test("predictSuccess: seeded, shapes, weights = validation accuracy, robust p = p̄ + ασ", () => {
  const d = syntheticInstance({ n: 800, m: 3, seed: 2 });
  const split = splitIndices(d.n, { train: 0.05, val: 0.05, seed: 1 });
  const X = tfidfFeatures(d.queries, { dim: 32, fitRows: split.train });
  const opts = { u: 3, forest: { nEstimators: 3, maxDepth: 5 }, seed: 4 };
  const p = predictSuccess(X, d.correct, d.m, split, opts);
  assert.deepEqual(predictSuccess(X, d.correct, d.m, split, opts).mean, p.mean);
  assert.equal(p.mean.length, split.test.length * 3);
  assert.ok(p.weights.every((w) => w >= 0 && w <= 1));
  assert.ok(p.std.every((s) => s >= 0));
  const r = robustAccuracy(p, 0.5);
  for (let i = 0; i < r.length; i += 97) assert.ok(Math.abs(r[i] - (p.mean[i] + 0.5 * p.std[i])) < 1e-15);
  const acc = predictionAccuracy(p.mean, d.correct, split.test, d.m);
  assert.ok(acc.label > 0.5 && acc.subset <= acc.label);
});

Deno.test("moveTables and the extremes: s_c is the cheapest and s_h the most accurate assignment", () => {
  const inst = randomInstance(200, 5, 1);
  const { sc, sh } = initialSolutions(inst);
  let cmin = 0, amax = 0;
  for (let i = 0; i < 200; i++) {
    let c = Infinity, a = -Infinity;
    for (let k = 0; k < 5; k++) c = Math.min(c, inst.cost[i * 5 + k]), a = Math.max(a, inst.acc[i * 5 + k]);
    cmin += c, amax += a;
  }
  assert.ok(Math.abs(sc.cost - cmin) < 1e-9);
  assert.ok(Math.abs(sh.acc - amax / 200) < 1e-12);
  const t = moveTables(inst);
  for (let i = 0; i < 200; i++) {
    for (let s = 1; s < t.stairLen[i]; s++) {
      const a = t.stair[i * 5 + s - 1], b = t.stair[i * 5 + s];
      assert.ok(inst.cost[i * 5 + a] < inst.cost[i * 5 + b] && inst.acc[i * 5 + a] < inst.acc[i * 5 + b]);
    }
  }
});

Deno.test("destruction releases at least the gap; reconstruction reaches the LP bound (Lemma IV.2)", () => {
  const inst = randomInstance(300, 6, 2);
  const t = moveTables(inst);
  const { sc, sh } = initialSolutions(inst, t);
  const gap = (sh.cost - sc.cost) / 10;
  const d = destruction(inst, sh, "cost", gap, t)!;
  assert.ok(sh.cost - d.cost >= gap - 1e-12);
  const dAcc = destruction(inst, sc, "acc", (sh.acc - sc.acc) / 10, t)!;
  assert.ok(dAcc.acc - sc.acc >= (sh.acc - sc.acc) / 10 - 1e-12);
  assert.equal(destruction(inst, sc, "cost", 1e-9, t), null);
  const r = reconstruction(inst, d, t);
  const b = lpBound(inst);
  // a reconstructed solution sits on the LP bound at its own cost
  assert.ok(Math.abs(boundAt(b, r.cost) - r.acc) < 1e-9, `${boundAt(b, r.cost)} vs ${r.acc}`);
});

Deno.test("optllm: seeded archive of at most 2·GN non-dominated solutions from s_c to s_h, never above the bound", () => {
  const inst = randomInstance(500, 8, 3);
  const res = optllm(inst, { GN: 20 });
  assert.ok(res.solutions.length <= 40 && res.solutions.length >= 10, `${res.solutions.length}`);
  for (let i = 1; i < res.solutions.length; i++) {
    assert.ok(
      res.solutions[i].cost > res.solutions[i - 1].cost && res.solutions[i].acc > res.solutions[i - 1].acc,
    );
  }
  assert.equal(res.solutions[0].cost, res.sc.cost);
  assert.equal(res.solutions[res.solutions.length - 1].acc, res.sh.acc);
  const b = lpBound(inst);
  const gaps = optimalityGaps(b, points(res.solutions.flatMap((s) => [s.cost, s.acc]), 2));
  assert.ok(gaps.every((g) => g > -1e-9), "no solution above the LP bound");
  for (const s of res.solutions) {
    assert.deepEqual(evaluateAssignment(inst, s.assign), { cost: s.cost, acc: s.acc });
  }
  assert.deepEqual(optllm(inst, { GN: 20 }).solutions.map((s) => s.cost), res.solutions.map((s) => s.cost));
  assert.throws(() => optllm(inst, { GN: 0 }), /GN must be a positive integer/);
});

Deno.test("optllm towardAcc (the authors' variant): same instance = plain run; walk toward accuracy on the other accuracies", () => {
  const inst = randomInstance(400, 6, 4);
  const plain = optllm(inst, { GN: 15 });
  assert.deepEqual(
    optllm(inst, { GN: 15, towardAcc: inst }).solutions.map((s) => [s.cost, s.acc]),
    plain.solutions.map((s) => [s.cost, s.acc]),
  );
  const other = allocation(inst.n, inst.m, inst.cost, randomInstance(400, 6, 9).acc);
  const mixed = optllm(inst, { GN: 15, towardAcc: other });
  // every archived solution is evaluated in one of the two spaces, and lies on that space's LP bound
  const bi = lpBound(inst), bo = lpBound(other);
  let inOther = 0;
  for (const s of mixed.solutions) {
    const ei = evaluateAssignment(inst, s.assign), eo = evaluateAssignment(other, s.assign);
    const isOther = Math.abs(eo.acc - s.acc) < 1e-12 && Math.abs(ei.acc - s.acc) > 1e-12;
    if (isOther) inOther++;
    assert.ok(isOther || Math.abs(ei.acc - s.acc) < 1e-12);
    const g = optimalityGaps(isOther ? bo : bi, points([s.cost, s.acc], 2))[0];
    assert.ok(g > -1e-9 && g < 1e-9, `gap ${g}`);
  }
  assert.ok(inOther > 0 && inOther < mixed.solutions.length, `${inOther} of ${mixed.solutions.length}`);
  const wrong = allocation(inst.n, inst.m, inst.cost.map((c) => c * 2), inst.acc);
  assert.throws(() => optllm(inst, { towardAcc: wrong }), /towardAcc must have/);
});

Deno.test("trueFront is exact on 0/1 outcomes (brute force) and equals the LP bound's breakpoints", () => {
  const inst = randomInstance(6, 3, 4, true);
  const tf = trueFront(inst);
  // brute force: the least cost for each number of correct queries
  const best = new Map<number, number>();
  const a = new Array(6).fill(0);
  for (let code = 0; code < 3 ** 6; code++) {
    let x = code;
    for (let i = 0; i < 6; i++) a[i] = x % 3, x = Math.floor(x / 3);
    const e = evaluateAssignment(inst, a);
    const key = Math.round(e.acc * 6);
    if (!(best.get(key)! <= e.cost)) best.set(key, e.cost);
  }
  for (let j = 0; j < tf.front.n; j++) {
    const key = Math.round(tf.front.data[2 * j + 1] * 6);
    assert.ok(Math.abs(best.get(key)! - tf.front.data[2 * j]) < 1e-12, `step ${j}`);
  }
  const big = randomInstance(300, 5, 5, true);
  const f = trueFront(big).front, u = lpBound(big).curve;
  assert.equal(f.n, u.n);
  for (let i = 0; i < f.data.length; i++) assert.ok(Math.abs(f.data[i] - u.data[i]) < 1e-9);
  assert.ok(igdCostAcc(f, f) === 0);
  assert.ok(trueFront(big, { variant: "authors" }).front.n <= f.n);
});

Deno.test("indicators on (cost, accuracy): IGD 0 on the front, Δ of the two extremes alone", () => {
  const front = points([0, 0.2, 1, 0.5, 2, 0.6, 3, 0.65], 2);
  assert.equal(igdCostAcc(front, front), 0);
  const ends = points([0, 0.2, 3, 0.65], 2);
  assert.equal(deltaCostAcc(ends, front), 0);
  assert.ok(igdCostAcc(points([0, 0.2], 2), front) > 0);
});

Deno.test("baselines and ablation run on the same instance; assignment problem evaluates (Σcost, −mean acc)", () => {
  const d = syntheticInstance({ n: 200, m: 4, seed: 6 });
  const rows = Array.from({ length: 200 }, (_, i) => i);
  const inst = allocationOf(d, rows, truthOf(d, rows).map((v) => 0.2 + 0.6 * v));
  const p = assignmentProblem(inst);
  const f = new Float64Array(2);
  p.evaluate(new Float64Array(200).fill(1), f, new Float64Array(0));
  const e = evaluateAssignment(inst, new Uint8Array(200).fill(1));
  assert.ok(Math.abs(f[0] - e.cost) < 1e-12 && Math.abs(f[1] + e.acc) < 1e-12);
  const b = runBaseline("NSGA-II", inst, { popSize: 20, maxGenerations: 5, seed: 1 });
  assert.throws(
    () => runBaseline("NSGA-II", inst, { generations: 5 } as unknown as { maxGenerations: number }),
    /runBaseline: `generations` is now `maxGenerations`/,
  );
  assert.throws(
    () => runBaseline("NSGA-II", inst, { maxGenerations: 0 }),
    /maxGenerations must be a positive integer/,
  );
  assert.ok(b.assigns.length >= 1);
  const truth = allocationOf(d, rows, truthOf(d, rows));
  const m = setMetrics(trueObjectives(truth, b.assigns), trueFront(truth).front);
  assert.ok(m.IGD > 0 && m.N >= 1);
  const wo = withoutOptimisation(inst, [0.3, 0.5, 0.7]);
  assert.ok(wo.length >= 1 && wo.length <= 3);
  // every baseline accepts the authors' tuned settings; SMS-EMOA then runs with population 10
  for (const name of BASELINES) {
    const r = runBaseline(name, inst, { maxGenerations: 3, seed: 2, settings: "authors" });
    assert.ok(r.assigns.length >= 1 && r.assigns.every((a) => a.length === 200), name);
  }
  assert.equal(AUTHORS_BASELINE_SETTINGS["SMS-EMOA"].popSize, 10);
});
