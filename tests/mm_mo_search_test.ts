import assert from "node:assert/strict";
import { Rng } from "../lib/core/rng.ts";
import { fitGP, logMarginalLikelihood, posterior } from "../lib/mm_mo/gp.ts";
import { makeQEHVI, optimizeQEHVI } from "../lib/mm_mo/ehvi.ts";
import { bestByAverage, bestIndices, fisherInformation, mmMO, weakToStrong } from "../lib/mm_mo/search.ts";
import { nsga2Search, randomSearch, scoreSources, tunedMergeMethods } from "../lib/mm_mo/baselines.ts";
import { MergeProblem, objectiveVector } from "../lib/mm_mo/problem.ts";
import { syntheticTasks } from "../lib/mm_mo/tasks.ts";
import { trainSources } from "../lib/mm_mo/mlp.ts";

function data(n: number, d: number, seed: number) {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.random());
  const f = (x: Float64Array, i: number) => Math.sin(4 * x[i * d]) + (d > 1 ? x[i * d + 1] ** 2 : 0);
  const y = Float64Array.from({ length: n }, (_, i) => f(X, i));
  return { X, y };
}

Deno.test("logMarginalLikelihood: analytic gradient matches finite differences (Matérn 5/2 and RBF)", () => {
  const { X, y } = data(12, 2, 1);
  for (const kernel of ["matern52", "rbf"] as const) {
    for (const theta of [[-0.5, 0.2, 0.1, -3], [0.3, 0.1, -2]]) {
      const { grad } = logMarginalLikelihood(X, y, 2, theta, kernel);
      for (let k = 0; k < theta.length; k++) {
        const h = 1e-5;
        const up = theta.slice(), dn = theta.slice();
        up[k] += h;
        dn[k] -= h;
        const fd = (logMarginalLikelihood(X, y, 2, up, kernel).logML -
          logMarginalLikelihood(X, y, 2, dn, kernel).logML) /
          (2 * h);
        assert.ok(
          Math.abs(fd - grad[k]) < 1e-4 * Math.max(1, Math.abs(fd)),
          `${kernel} θ${k}: ${fd} vs ${grad[k]}`,
        );
      }
    }
  }
});

Deno.test("fitGP: fits the data, is certain at the data and uncertain far away, seeded", () => {
  const { X, y } = data(20, 2, 2);
  const gp = fitGP(X, y, 2, { seed: 1 });
  const gp2 = fitGP(X, y, 2, { seed: 1 });
  assert.deepEqual(gp.hyper, gp2.hyper);
  const p = posterior(gp, X.subarray(0, 2));
  assert.ok(Math.abs(p.mean[0] - y[0]) < 0.05);
  const far = posterior(gp, [3, 3]);
  assert.ok(far.cov[0] > 10 * p.cov[0]);
  // Default start vs fitted: the fit does not lower the likelihood.
  const ys = Float64Array.from(y, (v) => (v - gp.yMean) / gp.yStd);
  assert.ok(
    gp.logML >= logMarginalLikelihood(X, ys, 2, [Math.log(0.5), Math.log(0.5), 0, Math.log(1e-2)]).logML,
  );
  const shared = fitGP(X, y, 2, { ard: false, kernel: "rbf" });
  assert.equal(shared.hyper.lengthscales.length, 1);
  assert.throws(() => fitGP([0, NaN], [1, 2], 1), /X\[1\]\[0\] is NaN/);
});

Deno.test("qEHVI: non-negative, monotone in the batch, zero where the front cannot be improved", () => {
  const rng = new Rng(4);
  const n = 15, d = 2;
  const X = Float64Array.from({ length: n * d }, () => rng.random());
  // Two objectives, minimised: f1 = x0, f2 = 1 − x0 + x1 (the front is x1 = 0).
  const Y = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    Y[2 * i] = X[i * d];
    Y[2 * i + 1] = 1 - X[i * d] + X[i * d + 1];
  }
  const gps = [0, 1].map((k) =>
    fitGP(X, Float64Array.from({ length: n }, (_, i) => Y[2 * i + k]), d, { seed: k })
  );
  const acq = makeQEHVI(gps, Y, { samples: 32, seed: 1 });
  const a = acq.value([0.5, 0.0]), ab = acq.value([0.5, 0.0, 0.2, 0.0]);
  assert.ok(a >= 0 && ab >= a, `${a} ${ab}`);
  assert.ok(acq.value([0.5, 0.0]) > acq.value([0.5, 1.0]));
  const { X: cand, values } = optimizeQEHVI(acq, gps, 2, { raw: 32, seed: 1 });
  assert.equal(cand.length, 4);
  assert.ok(values[1] >= values[0] - 1e-12);
  assert.ok(cand.every((v) => v >= 0 && v <= 1));
});

Deno.test("weak-to-strong: DE/rand/1 trial inside the cube, one coordinate from the mutant at least", () => {
  const rng = new Rng(1);
  const best = [[0.1, 0.1, 0.1], [0.9, 0.9, 0.9], [0.5, 0.5, 0.5], [0.2, 0.8, 0.4]].map((v) =>
    Float64Array.from(v)
  );
  const a = Float64Array.from([0.33, 0.33, 0.33]);
  for (let t = 0; t < 50; t++) {
    const u = weakToStrong(a, best, rng, 0.5, 0.5);
    assert.ok(u.every((v) => v >= 0 && v <= 1));
    assert.ok(u.some((v, j) => v !== a[j]));
  }
  const all = weakToStrong(a, best, new Rng(2), 0.5, 1);
  assert.ok(all.every((v, j) => v !== a[j]));
  assert.throws(() => weakToStrong(a, best.slice(0, 2), rng), /needs ≥ 3/);
  // Best = non-dominated first, then by crowding.
  const F = Float64Array.from([0, 1, 1, 0, 0.5, 0.5, 0.6, 0.6, 2, 2]);
  assert.deepEqual(bestIndices(F, 2, 3).sort(), [0, 1, 2]);
});

Deno.test("Fisher information Σ 1/σ² is lower away from the evaluated configurations", () => {
  const { X, y } = data(10, 2, 5);
  const gps = [fitGP(X, y, 2, { seed: 1 }), fitGP(X, y.map((v) => -v), 2, { seed: 2 })];
  assert.ok(fisherInformation(gps, X.subarray(0, 2)) > fisherInformation(gps, [1.5, 1.5]));
});

Deno.test("mmMO and baselines on the synthetic tasks: budgets, seeds, records", async () => {
  const tasks = syntheticTasks({ size: 400, dim: 256, seed: 2 });
  const { base, experts } = trainSources(tasks, { hidden: 8, fineTuneEpochs: 6, fineTuneLr: 0.02 });
  const problem = new MergeProblem(base, experts, tasks);
  assert.equal(problem.nVar, 7);
  assert.equal(new MergeProblem(base, experts, tasks, { lambdaBounds: null }).nVar, 6);
  const opts = {
    seed: 3,
    initial: 6,
    batches: 2,
    q: 3,
    raw: 16,
    samples: 8,
    gp: { restarts: 1, iterations: 20 },
  };
  const seen: number[] = [];
  const r1 = await mmMO(problem, { ...opts, onBatch: (b) => void seen.push(b) });
  const r2 = await mmMO(problem, opts);
  assert.deepEqual(seen, [0, 1, 2]);
  assert.equal(r1.records.length, 12);
  assert.deepEqual(r1.records, r2.records);
  assert.deepEqual(r1.records.map((r) => r.batch), [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
  for (const r of r1.records) {
    r.x.forEach((v, j) => assert.ok(v >= problem.lower[j] && v <= problem.upper[j]));
    const again = problem.evaluate(Float64Array.from(r.x));
    assert.deepEqual(Array.from(again.accuracy), r.accuracy);
  }
  for (
    const variant of [
      { weakToStrong: false },
      { fisher: false },
      { sparsity: false },
      { weakToStrong: false, fisher: false },
      { procedure: "pooled" as const },
      { procedure: "pooled" as const, fisher: false },
    ]
  ) {
    const r = await mmMO(problem, { ...opts, batches: 1, ...variant });
    assert.equal(r.records.length, 9);
  }
  const rs = randomSearch(problem, { seed: 1, maxEvaluations: 7 });
  // the termination word is the library's: the old `budget` is an error naming the new one
  const old = { seed: 1, budget: 7 } as unknown as { maxEvaluations: number };
  assert.throws(() => randomSearch(problem, old), /randomSearch: `budget` is now `maxEvaluations`/);
  assert.throws(() => nsga2Search(problem, old), /nsga2Search: `budget` is now `maxEvaluations`/);
  assert.throws(() => tunedMergeMethods(problem, old), /tunedMergeMethods: `budget` is now `maxEvaluations`/);
  assert.throws(
    () => nsga2Search(problem, { maxEvaluations: 0 }),
    /maxEvaluations must be a positive integer, got 0/,
  );
  assert.equal(rs.records.length, 7);
  const ns = nsga2Search(problem, { seed: 1, maxEvaluations: 12, popSize: 6 });
  assert.equal(ns.records.length, 12);
  assert.ok(bestByAverage(ns.records) >= 0);
  const src = scoreSources(problem);
  assert.equal(src.length, 4);
  assert.equal(src[0].validation.deltaL1, 0);
  const tuned = tunedMergeMethods(problem, { maxEvaluations: 10 });
  assert.deepEqual(tuned.map((t) => t.evaluations), [10, 10, 10, 10, 10]);
  for (const t of tuned) {
    assert.ok((t.config!.lambda ?? 0) <= 3 && (t.config!.lambda ?? 1) > 0, t.name);
  }
  assert.deepEqual(Array.from(objectiveVector({ accuracy: Float64Array.of(0.75, 0.5), deltaL1: 3 })), [
    0.25,
    0.5,
    3,
  ]);
  assert.throws(() => problem.config([2, 0, 0, 0, 0, 0, 1]), /x\[0\] = 2 outside/);
  assert.equal(problem.config([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 2.5]).lambda, 2.5);
});
