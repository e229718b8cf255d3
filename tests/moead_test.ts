import assert from "node:assert/strict";
import { MOEAD } from "../lib/algorithms/moead.ts";
import { MOEADDE } from "../lib/algorithms/moead_de.ts";
import { MOEADDRA } from "../lib/algorithms/moead_dra.ts";
import { MOEADGen } from "../lib/algorithms/moead_gen.ts";
import { neighbourhoods, scalarize } from "../lib/algorithms/decomposition.ts";
import { simplexLattice } from "../lib/problems/simplex_lattice.ts";
import type { AlgorithmState } from "../lib/algorithms/algorithm.ts";
import type { Result } from "../lib/algorithms/result.ts";
import type { RunOptions } from "../lib/algorithms/minimize.ts";
import { defineProblem, type Problem } from "../lib/core/problem.ts";
import { Rng } from "../lib/core/rng.ts";
import { deRand1Bin } from "../lib/operators/de.ts";
import { zdt1, zdt2 } from "../lib/problems/zdt.ts";
import { dtlz2 } from "../lib/problems/dtlz.ts";
import { hypervolume } from "../lib/indicators/hypervolume.ts";
import { bytes, constrainedProblem, runByHand } from "./_support.ts";

interface Algo {
  ask(): Float64Array;
  toJSON(): AlgorithmState;
  run(o: RunOptions): Result;
  readonly popSize: number;
  readonly batchSize: number;
  readonly remainingInGeneration?: number;
}
interface Spec {
  name: string;
  make: (p: Problem, o: Record<string, unknown>) => Algo;
  restore: (p: Problem, s: AlgorithmState) => Algo;
}
const specs: Spec[] = [
  { name: "MOEA/D", make: (p, o) => new MOEAD(p, o), restore: (p, s) => MOEAD.fromJSON(p, s) },
  { name: "MOEA/D-DE", make: (p, o) => new MOEADDE(p, o), restore: (p, s) => MOEADDE.fromJSON(p, s) },
  { name: "MOEA/D-DRA", make: (p, o) => new MOEADDRA(p, o), restore: (p, s) => MOEADDRA.fromJSON(p, s) },
  { name: "MOEA/D-GEN", make: (p, o) => new MOEADGen(p, o), restore: (p, s) => MOEADGen.fromJSON(p, s) },
  {
    name: "MOEA/D-DE batched",
    make: (p, o) => new MOEADDE(p, { ...o, steadyState: false }),
    restore: (p, s) => MOEADDE.fromJSON(p, s),
  },
  {
    name: "MOEA/D-DRA batched",
    make: (p, o) => new MOEADDRA(p, { ...o, steadyState: false }),
    restore: (p, s) => MOEADDRA.fromJSON(p, s),
  },
];

function meanHV(spec: Spec, problem: () => Problem, popSize: number, evals: number, ref: number[]): number {
  let sum = 0;
  for (let seed = 1; seed <= 5; seed++) {
    const r = spec.make(problem(), { popSize, seed }).run({ maxEvaluations: evals });
    assert.ok(r.evaluations <= evals);
    sum += hypervolume(r.front, ref);
  }
  return sum / 5;
}

// Mean HV over seeds 1–5, ref (1.1, 1.1) / (1.1, 1.1, 1.1). Each band is [what this implementation
// reaches less ~1–2%, the continuous front's HV): the lower end catches a change that makes a method
// worse, the upper end one that makes it impossible. Measured means (ZDT1 10k, ZDT2 10k, DTLZ2 (91,
// 20,020), ZDT1 30k, ZDT2 30k):
//   MOEA/D     0.8208, 0.2691, 0.7025, 0.8706, 0.5377
//   DE steady  0.5399, 0.0230, 0.6715, 0.8668, 0.5287   (the default, as Li & Zhang's original)
//   DRA steady 0.3495, 0,      0.6813, 0.8622, 0.5271
//   GEN        0.0694, 0,      0.6799, 0.8298, 0.4666   (pagmo's generational moead_gen)
//   DE batched 0.0673, 0,      0.6713, 0.8490, 0.5037   (steadyState: false)
//   DRA batched 0.3089, 0.0368, 0.6876, 0.8642, 0.5224
// pagmo 2.18's moead (steady-state MOEA/D-DE, the same defaults) reaches 0.2994 on ZDT1 at 10k
// (bench/moead_zoo.ts): the steady-state DE's ZDT1 band starts above it, the batched one far below —
// the bug of issue 17 (children bred from the population at the start of the pass) fails this test.
// The DE-based variants (CR = 1 moves all 30 variables together) converge on ZDT1/ZDT2 more slowly than
// SBX-based MOEA/D; the 30,000-evaluation runs check them where they have converged. Continuous-front
// HV: ZDT1 0.8767, ZDT2 0.5434; DTLZ2 ≈ 0.8075.
const thresholds: Record<
  string,
  { zdt1: number; zdt2: number; dtlz2: number; zdt1b: number; zdt2b: number }
> = {
  "MOEA/D": { zdt1: 0.81, zdt2: 0.26, dtlz2: 0.695, zdt1b: 0.862, zdt2b: 0.53 },
  "MOEA/D-DE": { zdt1: 0.53, zdt2: 0.02, dtlz2: 0.664, zdt1b: 0.858, zdt2b: 0.523 },
  "MOEA/D-DRA": { zdt1: 0.345, zdt2: 0, dtlz2: 0.674, zdt1b: 0.853, zdt2b: 0.521 },
  "MOEA/D-GEN": { zdt1: 0.06, zdt2: 0, dtlz2: 0.672, zdt1b: 0.82, zdt2b: 0.46 },
  "MOEA/D-DE batched": { zdt1: 0.06, zdt2: 0, dtlz2: 0.664, zdt1b: 0.84, zdt2b: 0.495 },
  "MOEA/D-DRA batched": { zdt1: 0.3, zdt2: 0.03, dtlz2: 0.68, zdt1b: 0.855, zdt2b: 0.515 },
};

for (const spec of specs) {
  const t = thresholds[spec.name];
  Deno.test(`${spec.name}: mean HV on ZDT1, ZDT2 (100, 10k and 30k evaluations) and DTLZ2 (91, 20k)`, () => {
    const z1 = meanHV(spec, () => zdt1(), 100, 10_000, [1.1, 1.1]);
    const z2 = meanHV(spec, () => zdt2(), 100, 10_000, [1.1, 1.1]);
    const d2 = meanHV(spec, () => dtlz2(3), 91, 20_020, [1.1, 1.1, 1.1]);
    const z1b = meanHV(spec, () => zdt1(), 100, 30_000, [1.1, 1.1]);
    const z2b = meanHV(spec, () => zdt2(), 100, 30_000, [1.1, 1.1]);
    const msg = `ZDT1 ${z1}, ZDT2 ${z2}, DTLZ2 ${d2}, ZDT1 30k ${z1b}, ZDT2 30k ${z2b}`;
    assert.ok(z1 >= t.zdt1 && z1 < 0.8767, msg);
    assert.ok(z2 >= t.zdt2 && z2 < 0.5434, msg);
    assert.ok(d2 >= t.dtlz2 && d2 < 0.8075, msg);
    assert.ok(z1b >= t.zdt1b && z1b < 0.8767, msg);
    assert.ok(z2b >= t.zdt2b && z2b < 0.5434, msg);
  });

  Deno.test(`${spec.name}: the same seed gives the same front byte for byte; another seed does not`, () => {
    const a = spec.make(zdt1(), { seed: 7, popSize: 50 }).run({ maxEvaluations: 3000 });
    const b = spec.make(zdt1(), { seed: 7, popSize: 50 }).run({ maxEvaluations: 3000 });
    const c = spec.make(zdt1(), { seed: 8, popSize: 50 }).run({ maxEvaluations: 3000 });
    assert.deepEqual(bytes(a.population.X), bytes(b.population.X));
    assert.deepEqual(bytes(a.front.data), bytes(b.front.data));
    assert.notDeepEqual(bytes(a.population.X), bytes(c.population.X));
  });

  Deno.test(`${spec.name}: a saved state resumes to the identical result (through JSON text)`, () => {
    // 130 generations: MOEA/D-DRA updates its utilities at generations 51 and 101, after the save.
    for (const [problem, popSize] of [[() => zdt1(10), 30], [() => dtlz2(3), 28]] as const) {
      const full = spec.make(problem(), { seed: 3, popSize }).run({ maxGenerations: 130 });
      const first = spec.make(problem(), { seed: 3, popSize });
      first.run({ maxGenerations: 40 });
      first.ask(); // the pending batch (and which subproblems it serves) is saved too
      const text = JSON.stringify(first.toJSON());
      const resumed = spec.restore(problem(), JSON.parse(text)).run({ maxGenerations: 130 });
      assert.deepEqual(bytes(resumed.population.X), bytes(full.population.X));
      assert.deepEqual(bytes(resumed.population.F), bytes(full.population.F));
      // and without a pending batch
      const second = spec.make(problem(), { seed: 3, popSize });
      second.run({ maxGenerations: 77 });
      const again = spec.restore(problem(), JSON.parse(JSON.stringify(second.toJSON())))
        .run({ maxGenerations: 130 });
      assert.deepEqual(bytes(again.population.F), bytes(full.population.F));
    }
  });

  Deno.test(`${spec.name}: integer variables stay integral; small and 31,000-variable problems`, () => {
    const small = defineProblem({
      name: "int",
      lower: [0, 0, 0],
      upper: [7, 7, 7],
      nObj: 2,
      integer: true,
      objectives: (x) => [x[0] + x[1], 14 - x[0] - x[2]],
    });
    const r = spec.make(small, { seed: 1, popSize: 20 }).run({ maxEvaluations: 800 });
    assert.ok(r.population.X.every((v) => Number.isInteger(v) && v >= 0 && v <= 7));
    // the front is x1 = 0, x3 = 7: f = (x0, 7 − x0); every point of it is reachable
    assert.ok(r.front.n >= 4, `front of ${r.front.n}`);
    for (let i = 0; i < r.front.n; i++) {
      assert.equal(r.front.data[2 * i] + r.front.data[2 * i + 1], 7);
    }
    const big = assignment(31_000, 8);
    const algo = spec.make(big, { seed: 2, popSize: 30 });
    const res = algo.run({ maxGenerations: 2 });
    assert.ok(res.population.X.every((v) => Number.isInteger(v) && v >= 0 && v <= 7));
    assert.equal(res.evaluations, 30 + (algo.remainingInGeneration ?? algo.batchSize));
  });
}

/** n variables in {0..k−1}: cost Σ c[i][x_i], error Σ e[i][x_i], from seeded random tables. */
function assignment(n: number, k: number): Problem {
  const rng = new Rng(99);
  const c = new Float64Array(n * k), e = new Float64Array(n * k);
  for (let t = 0; t < n * k; t++) {
    c[t] = rng.random();
    e[t] = rng.random();
  }
  const f = [0, 0];
  return defineProblem({
    name: "assignment",
    lower: 0,
    upper: k - 1,
    nVar: n,
    nObj: 2,
    integer: true,
    objectives: (x) => {
      let a = 0, b = 0;
      for (let i = 0; i < n; i++) {
        a += c[i * k + x[i]];
        b += e[i * k + x[i]];
      }
      f[0] = a;
      f[1] = b;
      return f;
    },
  });
}

Deno.test("weight vectors, neighbourhoods and the population size", () => {
  const w2 = simplexLattice(2, { points: 100 });
  assert.equal(w2.n, 100);
  assert.equal(simplexLattice(3, { points: 100 }).n, 91);
  assert.equal(simplexLattice(3, { points: 105 }).n, 105);
  assert.deepEqual(
    new MOEAD(dtlz2(3), { popSize: 100 }).weights.data,
    simplexLattice(3, { points: 91 }).data,
  );
  assert.equal(new MOEAD(dtlz2(3), { popSize: 100 }).popSize, 91);
  assert.equal(new MOEAD(zdt1(), { popSize: 37 }).popSize, 37);
  const B = neighbourhoods(w2, 5);
  assert.deepEqual(Array.from(B.subarray(0, 5)), [0, 1, 2, 3, 4]);
  assert.deepEqual(Array.from(B.subarray(50 * 5, 51 * 5)).sort((a, b) => a - b), [48, 49, 50, 51, 52]);
  assert.equal(B[50 * 5], 50); // itself first
  const Bx = neighbourhoods(w2, 4, false);
  assert.deepEqual(Array.from(Bx.subarray(50 * 4, 51 * 4)).sort((a, b) => a - b), [48, 49, 51, 52]);
  // Tchebycheff (zero weight → 1e-6), PBI, weighted sum
  assert.equal(scalarize([3, 2], [0.5, 0.5], [1, 1]), 1);
  assert.equal(scalarize([3, 2], [0, 1], [1, 1]), 1);
  assert.equal(scalarize([3, 1], [1, 0], [1, 1]), 2);
  assert.ok(Math.abs(scalarize([2, 2], [1, 1], [0, 0], "pbi") - Math.SQRT2 * 2) < 1e-12);
  assert.ok(Math.abs(scalarize([2, 0], [0, 1], [0, 0], "pbi", 5) - 10) < 1e-12);
  assert.equal(scalarize([3, 2], [0.25, 0.75], [0, 0], "weighted"), 2.25);
});

Deno.test("DE/rand/1/bin: the formula, the bound repairs and integer rounding", () => {
  const rng = new Rng(1);
  const lo = new Float64Array([0, 0, 0]), hi = new Float64Array([1, 1, 10]);
  const y = new Float64Array(3);
  deRand1Bin(rng, [0.5, 0.5, 5], [0.9, 0.1, 6], [0.5, 0.5, 5], y, lo, hi, { F: 0.5, CR: 1 });
  assert.ok(Math.abs(y[0] - 0.7) < 1e-15 && Math.abs(y[1] - 0.3) < 1e-15, `${y}`);
  assert.equal(y[2], 5.5);
  const v = (k: number): number => y[k];
  for (let t = 0; t < 200; t++) {
    // out of bounds: "parent" repair puts the value between the bound and the base value
    deRand1Bin(rng, [0.2, 0.9, 5], [0, 1, 9], [1, 0, 0], y, lo, hi, { F: 1 });
    assert.ok(v(0) >= 0 && v(0) <= 0.2 && v(1) >= 0.9 && v(1) <= 1 && v(2) >= 5 && v(2) <= 10, `${y}`);
    deRand1Bin(rng, [0.2, 0.9, 5], [0, 1, 9], [1, 0, 0], y, lo, hi, { F: 1, repair: "clip" });
    assert.deepEqual(Array.from(y), [0, 1, 10]);
    deRand1Bin(rng, [0.2, 0.9, 5], [0, 1, 9], [1, 0, 0], y, lo, hi, { F: 1, repair: "random" });
    assert.ok(v(0) >= 0 && v(0) <= 1 && v(1) >= 0 && v(1) <= 1 && v(2) >= 0 && v(2) <= 10, `${y}`);
    const integer = new Uint8Array([0, 0, 1]);
    deRand1Bin(rng, [0.2, 0.3, 5], [0.4, 0.6, 7.2], [0, 0, 0], y, lo, hi, { F: 0.5 }, integer);
    assert.equal(v(2), 9); // 5 + 0.5 · 7.2 = 8.6, rounded
    deRand1Bin(rng, [0.2, 0.3, 5], [0.4, 0.6, 7], [0, 0, 0], y, lo, hi, { CR: 0 });
    assert.equal([v(0) !== 0.2, v(1) !== 0.3, v(2) !== 5].filter(Boolean).length, 1); // j_rand only
  }
});

Deno.test("MOEA/D-DRA: ⌊N/5⌋ children per generation including the boundary subproblems; utilities", () => {
  const algo = new MOEADDRA(zdt1(10), { popSize: 50, seed: 1 });
  algo.run({ maxGenerations: 1 });
  assert.equal(algo.batchSize, 1); // steady state: one child per ask …
  assert.equal(algo.remainingInGeneration, 10); // … and 10 to a generation
  const batched = new MOEADDRA(zdt1(10), { popSize: 50, seed: 1, steadyState: false });
  batched.run({ maxGenerations: 1 });
  assert.equal(batched.batchSize, 10);
  const r = algo.run({ maxGenerations: 1000 });
  assert.equal(r.evaluations, 50 + 999 * 10);
  // near convergence (the last utility update is at generation 951) subproblems that stopped improving
  // have lost utility; all are in (0, 1]
  const pi = algo.utility;
  assert.ok(pi.every((v) => v > 0 && v <= 1));
  assert.ok(pi.filter((v) => v < 1).length > 10, "some subproblems' utility decreased");
});

Deno.test("MOEA/D ask-and-tell by hand equals run()", () => {
  const p = zdt1(10);
  const byRun = new MOEADDE(p, { seed: 5, popSize: 24 }).run({ maxGenerations: 10 });
  const algo = new MOEADDE(p, { seed: 5, popSize: 24 });
  runByHand(algo, 10);
  assert.deepEqual(bytes(algo.population().F), bytes(byRun.population.F));
});

Deno.test("MOEA/D family: constraints by violation first", () => {
  // minimise (x, y) subject to x + y ≥ 1; the front is x + y = 1
  const p = constrainedProblem();
  for (const spec of specs) {
    const r = spec.make(p, { seed: 2, popSize: 40 }).run({ maxGenerations: 100 });
    assert.ok(r.front.n > 5, spec.name);
    for (let i = 0; i < r.front.n; i++) {
      const s = r.front.data[2 * i] + r.front.data[2 * i + 1];
      assert.ok(s >= 1 - 1e-12 && s < 1.05, `${spec.name}: x + y = ${s}`);
    }
  }
});

Deno.test("MOEA/D family: clear errors for bad settings", () => {
  for (const spec of specs) {
    const n = spec.name.replace(" batched", "");
    const esc = n.replace(/[/]/g, "\\/");
    assert.throws(
      () => spec.make(zdt1(), { popSize: 10, neighbours: 30 }),
      new RegExp(`${esc}: neighbours \\(T\\) must be an integer in \\[2, \\d+\\], got 30`),
    );
    assert.throws(
      () => spec.make(zdt1(), { decomposition: "chebyshev" }),
      new RegExp(`${esc}: unknown decomposition "chebyshev"`),
    );
    assert.throws(() => spec.make(zdt1(), { popSize: 2 }), RangeError);
    assert.throws(() => spec.make(zdt1(), { popSize: 10, neighbours: 1 }), RangeError);
    const single = defineProblem({ lower: 0, upper: 1, nVar: 2, nObj: 1, objectives: (x) => [x[0]] });
    assert.throws(() => spec.make(single, {}), new RegExp(`${esc}: needs at least 2 objectives`));
  }
  assert.throws(
    () => new MOEAD(zdt1(), { popSize: 10, neighbours: 11 }),
    /T\) must be an integer in \[2, 10\], got 11/,
  );
  assert.throws(() => new MOEADGen(zdt1(), { popSize: 10, neighbours: 10 }), /in \[2, 9\], got 10/);
  assert.throws(
    () => new MOEADDE(zdt1(), { delta: 1.5 }),
    /MOEA\/D-DE: delta \(δ\) must be in \[0, 1\], got 1.5/,
  );
  assert.throws(
    () => new MOEADDRA(zdt1(), { delta: -0.1 }),
    /MOEA\/D-DRA: delta \(δ\) must be in \[0, 1\], got -0.1/,
  );
  assert.throws(
    () => new MOEADDRA(zdt1(), { steadyState: "yes" as unknown as boolean }),
    /MOEA\/D-DRA: steadyState must be true or false, got yes/,
  );
  assert.throws(() => new MOEADDE(zdt1(), { nr: 0 }), /MOEA\/D-DE: nr must be an integer at least 1, got 0/);
  assert.throws(() => new MOEADDE(zdt1(), { de: { CR: 2 } }), /de.CR must be in \[0, 1\]/);
  assert.throws(
    () => new MOEADDE(zdt1(), { de: { repair: "wrap" as unknown as "clip" } }),
    /MOEA\/D-DE: de.repair must be "parent", "random" or "clip", got "wrap"/,
  );
  assert.throws(
    () => new MOEADGen(zdt1(), { delta: 2 }),
    /MOEA\/D-GEN: delta \(δ\) must be in \[0, 1\], got 2/,
  );
  assert.throws(() => new MOEADGen(zdt1(), { nr: 0 }), /MOEA\/D-GEN: nr must be an integer/);
  // pagmo's spellings, deprecated, still checked under the new names
  assert.throws(
    () => new MOEADGen(zdt1(), { realb: 2 }),
    /MOEA\/D-GEN: delta \(δ\) must be in \[0, 1\], got 2/,
  );
  assert.throws(() => new MOEADGen(zdt1(), { CR: 2 }), /MOEA\/D-GEN: de.CR must be in \[0, 1\], got 2/);
  assert.throws(() => new MOEADGen(zdt1(), { realb: 0.5, delta: 0.5 }), /give delta or the deprecated realb/);
  assert.throws(
    () => new MOEADGen(zdt1(), { weightGeneration: "random" as unknown as "grid" }),
    /unknown weightGeneration "random"/,
  );
  assert.throws(
    () => new MOEAD(zdt1(), { crossover: { prob: 1.5 } }),
    /MOEA\/D: crossover.prob must be in \[0, 1\]/,
  );
  assert.throws(
    () => new MOEAD(zdt1(), { decomposition: "pbi", theta: -1 }),
    /theta must be a finite number ≥ 0/,
  );
  const saved = new MOEAD(zdt1(), { popSize: 10 }).toJSON();
  assert.throws(() => MOEADDE.fromJSON(zdt1(), saved), /the state was saved by MOEA\/D, not MOEA\/D-DE/);
});

/**
 * Three subproblems, weights (0, 1), (0.5, 0.5), (1, 0), T = 2 (B(0) = {0, 1}, B(1) = {1, 0}), δ = 1,
 * DE with F 0.5 and CR 1 and no mutation, one variable, f = (x, x), initial x = 0.4, 0.6, 0.9. The child
 * of subproblem 1 is x_1 + 0.5 (x_a − x_b) with {a, b} = {0, 1}: in steady state from the population
 * after the child of subproblem 0 was applied (0.4 + 0.5 · (±0.2) = 0.3 or 0.5, which replaces member 0
 * or 1), in the batched pass from the initial one (0.5 or 0.7).
 */
Deno.test("MOEA/D-DE steady state: the child of subproblem 1 is bred from the population the child of 0 updated", () => {
  const p = defineProblem({ name: "line", lower: [0], upper: [1], nObj: 2, objectives: (x) => [x[0], x[0]] });
  const options = {
    popSize: 3,
    neighbours: 2,
    delta: 1,
    de: { F: 0.5, CR: 1 },
    mutation: { prob: 0 },
    initial: [0.4, 0.6, 0.9],
  };
  const candidates = (x: Float64Array) => [x[1] + 0.5 * (x[0] - x[1]), x[1] + 0.5 * (x[1] - x[0])];
  const near = (v: number, set: number[]) => set.some((c) => Math.abs(v - c) < 1e-12);
  for (let seed = 1; seed <= 20; seed++) {
    const steady = new MOEADDE(p, { ...options, seed });
    runByHand(steady, 1);
    const x0 = steady.population().X.slice();
    const child0 = steady.ask();
    assert.equal(child0.length, 1);
    assert.ok(near(child0[0], [0.3, 0.5]), `child of subproblem 0: ${child0[0]}`);
    steady.tell([[child0[0], child0[0]]]);
    const x1 = steady.population().X.slice();
    assert.ok(x1[0] === child0[0] || x1[1] === child0[0], "the child of subproblem 0 was accepted");
    assert.equal(steady.generation, 1); // mid-pass: still generation 1
    const child1 = steady.ask()[0];
    assert.ok(near(child1, candidates(x1)), `child of 1 (${child1}) from the updated population ${x1}`);
    assert.ok(!near(child1, candidates(x0)), `child of 1 (${child1}) not from the pass's start ${x0}`);
    // the batched pass breeds both from the initial population
    const batched = new MOEADDE(p, { ...options, seed, steadyState: false });
    runByHand(batched, 1);
    const X = batched.ask();
    assert.equal(X.length, 3);
    assert.ok(near(X[1], candidates(x0)), `batched child of 1 (${X[1]}) from ${x0}`);
  }
});

Deno.test("MOEA/D-DE and -DRA steady state: a state saved mid-pass resumes byte for byte", () => {
  for (const make of [MOEADDE, MOEADDRA] as const) {
    const restore = (q: Problem, s: AlgorithmState) =>
      make === MOEADDE ? MOEADDE.fromJSON(q, s) : MOEADDRA.fromJSON(q, s);
    const problem = zdt1(10);
    const full = new make(problem, { seed: 4, popSize: 30 }).run({ maxGenerations: 120 });
    for (const [told, pending] of [[1, true], [4, false], [5, true]] as const) {
      const first = new make(problem, { seed: 4, popSize: 30 });
      first.run({ maxGenerations: 60 });
      const f = new Float64Array(2);
      for (let k = 0; k < told; k++) {
        const x = first.ask();
        problem.evaluate(x, f, new Float64Array(0));
        first.tell([Array.from(f)]);
      }
      assert.equal(first.generation, 60, "mid-pass");
      if (pending) first.ask();
      const resumed = restore(problem, JSON.parse(JSON.stringify(first.toJSON())));
      assert.equal(resumed.remainingInGeneration, first.remainingInGeneration);
      const r = resumed.run({ maxGenerations: 120 });
      assert.deepEqual(bytes(r.population.X), bytes(full.population.X), `${make.name} after ${told}`);
      assert.deepEqual(bytes(r.population.F), bytes(full.population.F));
      assert.deepEqual(r.evaluations, full.evaluations);
    }
  }
});

Deno.test("MOEA/D-DE: a generation is one pass however it is driven; the budget counts whole passes", () => {
  const p = zdt1(10);
  const r = new MOEADDE(p, { seed: 2, popSize: 20 }).run({ maxEvaluations: 215 });
  // 20 initial + 9 passes of 20 = 200; a tenth pass would need 220
  assert.equal(r.evaluations, 200);
  assert.deepEqual(r.history.map((h) => h.evaluations), Array.from({ length: 10 }, (_, g) => 20 * (g + 1)));
  assert.deepEqual(r.history.map((h) => h.generation), Array.from({ length: 10 }, (_, g) => g + 1));
  // a state saved before steadyState existed (no such option) resumes batched
  const old = new MOEADDE(p, { seed: 2, popSize: 20, steadyState: false });
  old.run({ maxGenerations: 3 });
  const state = old.toJSON() as AlgorithmState & { options: Record<string, unknown> };
  delete state.options.steadyState;
  const back = MOEADDE.fromJSON(p, state);
  assert.equal(back.options.steadyState, false);
  assert.equal(back.batchSize, 20);
});
