import assert from "node:assert/strict";
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { SMSEMOA } from "../lib/algorithms/smsemoa.ts";
import { MOPSO } from "../lib/algorithms/mopso.ts";
import { defineProblem, type Problem } from "../lib/core/problem.ts";
import { Rng } from "../lib/core/rng.ts";
import { nondominatedIndices } from "../lib/core/sorting.ts";
import type { Population } from "../lib/core/population.ts";
import { hypervolume } from "../lib/indicators/hypervolume.ts";
import { polynomialMutation } from "../lib/operators/mutation.ts";
import { simulatedBinaryCrossover as sbx } from "../lib/operators/sbx.ts";
import {
  bitFlipMutation,
  hasIntegerVariables,
  integerPolynomialMutation,
  integerSbx,
  isBinaryProblem,
  isIntegerProblem,
  uniformCrossover,
} from "../lib/operators/integer.ts";
import { bytes } from "./_support.ts";

/**
 * The assignment problem of LLM routing at scale: `n` queries, each sent to one of `K` = 8 models.
 * cost = Σ c[i][x_i], error = Σ (1 − a[i][x_i]). Prices spread over three orders of magnitude from
 * the cheapest to the dearest model, scaled by a per-query length; accuracies grow with the price
 * and fall with a per-query difficulty, plus noise. Tables from a seeded Rng.
 */
function assignmentProblem(n: number, seed = 1) {
  const K = 8;
  const rng = new Rng(seed);
  const c = new Float64Array(n * K), a = new Float64Array(n * K);
  const scale = Array.from({ length: K }, (_, j) => 1e-4 * Math.pow(10, (3 * j) / (K - 1)));
  const quality = Array.from({ length: K }, (_, j) => 0.45 + (0.45 * j) / (K - 1));
  let minCost = 0, maxCost = 0, minErr = 0, maxErr = 0;
  for (let i = 0; i < n; i++) {
    const len = 0.2 + 1.8 * rng.random(), difficulty = rng.random();
    let lc = Infinity, hc = -Infinity, le = Infinity, he = -Infinity;
    for (let j = 0; j < K; j++) {
      const cost = scale[j] * len * (0.75 + 0.5 * rng.random());
      const acc = Math.min(1, Math.max(0, quality[j] - 0.4 * difficulty + 0.3 * (rng.random() - 0.5)));
      c[i * K + j] = cost;
      a[i * K + j] = acc;
      lc = Math.min(lc, cost),
        hc = Math.max(hc, cost),
        le = Math.min(le, 1 - acc),
        he = Math.max(he, 1 - acc);
    }
    minCost += lc, maxCost += hc, minErr += le, maxErr += he;
  }
  const problem: Problem = {
    name: `assignment-${n}`,
    nVar: n,
    nObj: 2,
    nConstr: 0,
    lower: new Float64Array(n),
    upper: new Float64Array(n).fill(K - 1),
    integer: new Uint8Array(n).fill(1),
    evaluate(x, f) {
      let cost = 0, err = 0;
      for (let i = 0; i < n; i++) {
        const k = i * K + x[i];
        cost += c[k];
        err += 1 - a[k];
      }
      f[0] = cost;
      f[1] = err;
    },
  };
  return { problem, ideal: [minCost, minErr], nadir: [maxCost, maxErr] };
}

/** HV (ref 1.1, 1.1) of the non-dominated objectives of `pop`, normalised by ideal and nadir. */
function normalisedHV(pop: Population, ideal: number[], nadir: number[]): number {
  const idx = nondominatedIndices({ data: pop.F, n: pop.size, m: 2 });
  const pts = Array.from(
    idx,
    (i) => [0, 1].map((k) => (pop.F[2 * i + k] - ideal[k]) / (nadir[k] - ideal[k])),
  );
  return hypervolume(pts, [1.1, 1.1]);
}

function assertIntegral(X: Float64Array, lo: number, hi: number): void {
  for (let k = 0; k < X.length; k++) {
    const v = X[k];
    if (!(Number.isInteger(v) && v >= lo && v <= hi && !Object.is(v, -0))) {
      assert.fail(`value ${v} at ${k} is not an integer in [${lo}, ${hi}]`);
    }
  }
}

Deno.test("31,000 integer variables in {0..7}: NSGA-II, SMS-EMOA and MOPSO stay integral and improve HV", () => {
  // Initial populations by Latin hypercube sampling; NSGA-II and SMS-EMOA use their default operators
  // sbx() and pm(), which on integer variables are the integer SBX/PM of lib/operators/integer.ts (η 3).
  const { problem, ideal, nadir } = assignmentProblem(31_000, 1);
  const n = problem.nVar, none = new Float64Array(0);
  const runs = [
    [new NSGA2(problem, { popSize: 20, seed: 1, sampling: "lhs" }), { maxGenerations: 10 }],
    [new SMSEMOA(problem, { popSize: 20, seed: 1, sampling: "lhs" }), { maxEvaluations: 220 }],
    [new MOPSO(problem, { popSize: 20, seed: 1, sampling: "lhs" }), { maxGenerations: 10 }],
  ] as const;
  for (const [algo, term] of runs) {
    const X0 = algo.ask(); // the initial population (run() evaluates this same batch)
    assertIntegral(X0, 0, 7);
    const F0 = new Float64Array(40);
    for (let i = 0; i < 20; i++) {
      problem.evaluate(X0.subarray(i * n, (i + 1) * n), F0.subarray(2 * i, 2 * i + 2), none);
    }
    const pop0 = { size: 20, nVar: n, nObj: 2, nConstr: 0, X: X0, F: F0, G: none, CV: new Float64Array(20) };
    const hv0 = normalisedHV(pop0, ideal, nadir);
    const r = algo.run(term);
    assertIntegral(r.population.X, 0, 7);
    const hv = normalisedHV(r.population, ideal, nadir);
    assert.ok(hv > hv0, `${algo.name}: HV ${hv} not above the initial ${hv0}`);
  }
});

Deno.test("integer SBX and PM: integral, in bounds, every value reachable, no −0", () => {
  const rng = new Rng(5);
  const lo = new Float64Array([0, -3, 2]), hi = new Float64Array([7, 3, 2]);
  const seen = [new Set<number>(), new Set<number>(), new Set<number>()];
  const c1 = new Float64Array(3), c2 = new Float64Array(3);
  for (let t = 0; t < 3000; t++) {
    const p1 = [rng.int(8), rng.int(7) - 3, 2], p2 = [rng.int(8), rng.int(7) - 3, 2];
    integerSbx(rng, p1, p2, c1, c2, lo, hi, { prob: 1 });
    integerPolynomialMutation(rng, c1, lo, hi, { prob: 0.5 });
    for (const c of [c1, c2]) {
      for (let j = 0; j < 3; j++) {
        assert.ok(Number.isInteger(c[j]) && c[j] >= lo[j] && c[j] <= hi[j] && !Object.is(c[j], -0));
        seen[j].add(c[j]);
      }
    }
  }
  assert.equal(seen[0].size, 8);
  assert.equal(seen[1].size, 7);
  assert.deepEqual([...seen[2]], [2]);
});

Deno.test("on {0..7}, η = 20 mutation plus rounding rarely changes a value; integer PM with η = 3 often does", () => {
  const rng = new Rng(1);
  const lo = new Float64Array([0]), hi = new Float64Array([7]);
  let plain = 0, integer = 0;
  const N = 20_000;
  for (let t = 0; t < N; t++) {
    const v = rng.int(8);
    const x = new Float64Array([v]);
    polynomialMutation(rng, x, lo, hi, { prob: 1, eta: 20 });
    if (Math.min(7, Math.max(0, Math.round(x[0]))) !== v) plain++;
    const y = new Float64Array([v]);
    integerPolynomialMutation(rng, y, lo, hi, { prob: 1 });
    if (y[0] !== v) integer++;
  }
  assert.ok(plain / N < 0.25, `plain ${plain / N}`);
  assert.ok(integer / N > 0.55, `integer ${integer / N}`);
  // SBX with η = 20 on integer parents almost never produces a value other than the parents'
  let fresh = 0;
  const c1 = new Float64Array(1), c2 = new Float64Array(1);
  for (let t = 0; t < N; t++) {
    const a = rng.int(8);
    const b = (a + 1 + rng.int(7)) % 8;
    sbx(rng, [a], [b], c1, c2, lo, hi, { prob: 1, eta: 20, probVar: 1 });
    const r = Math.round(c1[0]);
    if (r !== a && r !== b) fresh++;
  }
  assert.ok(fresh / N < 0.02, `fresh ${fresh / N}`);
});

Deno.test("bit-flip mutation and uniform crossover on 0/1 vectors; problem-kind helpers", () => {
  const rng = new Rng(2);
  const x = new Float64Array(1000);
  bitFlipMutation(rng, x, { prob: 0.1 });
  const ones = x.reduce((s, v) => s + v, 0);
  assert.ok(ones > 60 && ones < 140, `${ones} flips`);
  assert.ok(x.every((v) => v === 0 || v === 1));
  const p1 = new Float64Array(1000).fill(1), p2 = new Float64Array(1000);
  const c1 = new Float64Array(1000), c2 = new Float64Array(1000);
  uniformCrossover(rng, p1, p2, c1, c2, { prob: 1 });
  for (let j = 0; j < 1000; j++) assert.equal(c1[j] + c2[j], 1);
  const s = c1.reduce((a, v) => a + v, 0);
  assert.ok(s > 430 && s < 570, `${s}`);
  uniformCrossover(rng, p1, p2, c1, c2, { prob: 0 });
  assert.deepEqual(c1, p1);
  const bin = defineProblem({
    lower: 0,
    upper: 1,
    nVar: 4,
    nObj: 2,
    integer: true,
    objectives: (v) => [v[0], v[1]],
  });
  const mixed = defineProblem({
    lower: 0,
    upper: 7,
    nVar: 2,
    nObj: 2,
    integer: [true, false],
    objectives: (v) => [v[0], v[1]],
  });
  const real = defineProblem({ lower: 0, upper: 1, nVar: 2, nObj: 2, objectives: (v) => [v[0], v[1]] });
  assert.deepEqual([isIntegerProblem(bin), isBinaryProblem(bin), hasIntegerVariables(bin)], [
    true,
    true,
    true,
  ]);
  assert.deepEqual([isIntegerProblem(mixed), isBinaryProblem(mixed), hasIntegerVariables(mixed)], [
    false,
    false,
    true,
  ]);
  assert.deepEqual([isIntegerProblem(real), isBinaryProblem(real), hasIntegerVariables(real)], [
    false,
    false,
    false,
  ]);
});

Deno.test("integer problems: SMS-EMOA and MOPSO resume exactly and stay integral (mixed variables)", () => {
  const p = defineProblem({
    name: "mixed",
    lower: [0, 0, 0],
    upper: [7, 7, 1],
    nObj: 2,
    integer: [true, true, false],
    objectives: (x) => [x[0] + x[2], 14 - x[0] - x[1] + x[2] * x[2]],
  });
  for (
    const make of [
      (s: number) => new SMSEMOA(p, { popSize: 10, seed: s }),
      (s: number) => new MOPSO(p, { popSize: 10, seed: s, horizon: 20 }),
    ]
  ) {
    const full = make(4).run({ maxEvaluations: 200 });
    const first = make(4);
    first.run({ maxEvaluations: 100 });
    const resumed = (first instanceof SMSEMOA ? SMSEMOA : MOPSO).fromJSON(
      p,
      JSON.parse(JSON.stringify(first.toJSON())),
    )
      .run({ maxEvaluations: 200 });
    assert.deepEqual(bytes(resumed.population.X), bytes(full.population.X));
    for (let i = 0; i < full.population.size; i++) {
      for (const j of [0, 1]) assert.ok(Number.isInteger(full.population.X[3 * i + j]));
    }
  }
});
