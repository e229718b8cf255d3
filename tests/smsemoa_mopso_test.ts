import assert from "node:assert/strict";
import { hypervolumeContributions3, SMSEMOA } from "../lib/algorithms/smsemoa.ts";
import { MOPSO } from "../lib/algorithms/mopso.ts";
import { defineProblem, type Problem } from "../lib/core/problem.ts";
import { Rng } from "../lib/core/rng.ts";
import { dtlz2, zdt1, zdt2 } from "../lib/problems/mod.ts";
import { hypervolume, hypervolumeContributions } from "../lib/indicators/hypervolume.ts";
import { bytes, constrainedProblem } from "./_support.ts";

function meanHV(make: (p: Problem, seed: number) => SMSEMOA | MOPSO, problem: () => Problem, evals: number) {
  const hv: number[] = [];
  for (let seed = 1; seed <= 5; seed++) {
    const p = problem();
    const r = make(p, seed).run({ maxEvaluations: evals });
    hv.push(hypervolume(r.front, new Array(p.nObj).fill(1.1)));
  }
  return hv.reduce((a, b) => a + b) / hv.length;
}

const sms = (p: Problem, seed: number) => new SMSEMOA(p, { popSize: 100, seed });
const mopso = (p: Problem, seed: number) => new MOPSO(p, { popSize: 100, seed });

// Mean HV over seeds 1–5, population 100, ref 1.1 in every objective. Reached (this code):
//   SMS-EMOA: ZDT1 0.85758, ZDT2 0.34218 (10,000 evaluations; ZDT2 collapses towards f1 = 0 on 2 of 5
//   seeds at this budget and reaches 0.5376 on every seed at 20,000), DTLZ2 0.75773 (20,000).
//   MOPSO: ZDT1 0.26509, ZDT2 0.01003 (30 variables are hard for MOPSO at 10,000 evaluations; with
//   5 variables it reaches 0.86388), DTLZ2 0.57904 (20,000).
// Thresholds are about 1 % below.

Deno.test("SMS-EMOA: mean HV on ZDT1 and ZDT2 (10,000 evaluations) and DTLZ2 (20,000)", () => {
  const z1 = meanHV(sms, () => zdt1(), 10_000);
  assert.ok(z1 > 0.849 && z1 < 0.8767, `ZDT1 mean HV ${z1}`);
  const z2 = meanHV(sms, () => zdt2(), 10_000);
  assert.ok(z2 > 0.338, `ZDT2 mean HV ${z2}`);
  const d2 = meanHV(sms, () => dtlz2(3), 20_000);
  assert.ok(d2 > 0.750, `DTLZ2 mean HV ${d2}`);
});

Deno.test("SMS-EMOA on ZDT1 approaches the 100-point HV optimum with a larger budget", () => {
  const r = new SMSEMOA(zdt1(), { seed: 1 }).run({ maxEvaluations: 40_000 });
  const hv = hypervolume(r.front, [1.1, 1.1]);
  assert.ok(hv > 0.8715, `HV ${hv}`);
});

Deno.test("MOPSO: mean HV on ZDT1 and ZDT2 (10,000 evaluations) and DTLZ2 (20,000)", () => {
  const z1 = meanHV(mopso, () => zdt1(), 10_000);
  assert.ok(z1 > 0.262, `ZDT1 mean HV ${z1}`);
  const z2 = meanHV(mopso, () => zdt2(), 10_000);
  assert.ok(z2 > 0.0099, `ZDT2 mean HV ${z2}`);
  const d2 = meanHV(mopso, () => dtlz2(3), 20_000);
  assert.ok(d2 > 0.573, `DTLZ2 mean HV ${d2}`);
  // with few variables MOPSO converges well
  const small = meanHV(mopso, () => zdt1(5), 10_000);
  assert.ok(small > 0.855, `ZDT1 (5 variables) mean HV ${small}`);
});

Deno.test("3-objective contributions used by SMS-EMOA equal hypervolumeContributions", () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 60; trial++) {
    const n = 1 + rng.int(40);
    const d = new Float64Array(3 * n);
    for (let k = 0; k < d.length; k++) d[k] = trial % 2 ? rng.random() : rng.int(4);
    if (n > 2) d.copyWithin(3, 0, 3); // a duplicate
    const p = { data: d, n, m: 3 };
    const a = hypervolumeContributions3(p, [1.2, 4.3, 4.5]), b = hypervolumeContributions(p, [1.2, 4.3, 4.5]);
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(a[i] - b[i]) < 1e-12, `trial ${trial} point ${i}: ${a[i]} vs ${b[i]}`);
    }
  }
});

for (const [name, make] of [["SMS-EMOA", sms], ["MOPSO", mopso]] as const) {
  for (
    const [pname, problem, gens] of [["ZDT1", () => zdt1(), 600], ["DTLZ2", () => dtlz2(3), 400]] as const
  ) {
    Deno.test(`${name} on ${pname}: the same seed gives the same front byte for byte; another seed does not`, () => {
      const g = name === "MOPSO" ? 15 : gens;
      const a = make(problem(), 7).run({ maxGenerations: g });
      const b = make(problem(), 7).run({ maxGenerations: g });
      const c = make(problem(), 8).run({ maxGenerations: g });
      assert.deepEqual(bytes(a.front.data), bytes(b.front.data));
      assert.deepEqual(bytes(a.population.X), bytes(b.population.X));
      assert.notDeepEqual(bytes(a.front.data), bytes(c.front.data));
    });
  }
}

Deno.test("SMS-EMOA: a saved state resumes to the identical result (through JSON text), 2 and 3 objectives", () => {
  for (const problem of [() => zdt1(), () => dtlz2(3)]) {
    const full = new SMSEMOA(problem(), { seed: 3, popSize: 40 }).run({ maxEvaluations: 2000 });
    const first = new SMSEMOA(problem(), { seed: 3, popSize: 40 });
    first.run({ maxEvaluations: 777 });
    first.ask(); // a pending offspring is saved too
    const text = JSON.stringify(first.toJSON());
    const resumed = SMSEMOA.fromJSON(problem(), JSON.parse(text)).run({ maxEvaluations: 2000 });
    assert.equal(resumed.evaluations, 2000);
    assert.deepEqual(bytes(resumed.population.F), bytes(full.population.F));
    assert.deepEqual(bytes(resumed.population.X), bytes(full.population.X));
  }
});

Deno.test("MOPSO: a saved state resumes to the identical result (through JSON text)", () => {
  const fullAlgo = new MOPSO(zdt1(), { seed: 3, popSize: 40, horizon: 30 });
  const full = fullAlgo.run({ maxGenerations: 30 });
  const first = new MOPSO(zdt1(), { seed: 3, popSize: 40, horizon: 30 });
  first.run({ maxGenerations: 12 });
  first.ask();
  const text = JSON.stringify(first.toJSON());
  const resumedAlgo = MOPSO.fromJSON(zdt1(), JSON.parse(text));
  const resumed = resumedAlgo.run({ maxGenerations: 30 });
  assert.deepEqual(bytes(resumed.population.F), bytes(full.population.F));
  assert.deepEqual(bytes(resumed.population.X), bytes(full.population.X));
  assert.deepEqual(bytes(resumedAlgo.swarm().X), bytes(fullAlgo.swarm().X));
  assert.deepEqual(bytes(resumedAlgo.swarm().V), bytes(fullAlgo.swarm().V));
});

Deno.test("SMS-EMOA is steady state: one offspring per generation, the budget is met exactly", () => {
  const algo = new SMSEMOA(zdt1(), { popSize: 20, seed: 1 });
  assert.equal(algo.batchSize, 20);
  const r = algo.run({ maxEvaluations: 123 });
  assert.equal(r.evaluations, 123);
  assert.equal(r.generations, 1 + 103);
  assert.equal(algo.batchSize, 1);
  assert.equal(algo.ask().length, 30);
  // the Result is a copy: later steps do not change it
  const before = r.population.F.slice();
  algo.run({ maxEvaluations: 500 });
  assert.deepEqual(bytes(r.population.F), bytes(before));
});

Deno.test("SMS-EMOA removes the least contributor: a hand-checked 2-D case", () => {
  // front (0,4) (1,2) (2,1.5) (4,0): inner contributions (1)(2) = 2 and (2)(0.5) = 1 → (2,1.5) leaves
  const pts = [[0, 4], [1, 2], [2, 1.5], [4, 0]];
  const p = defineProblem({
    name: "table",
    lower: 0,
    upper: 4,
    nVar: 1,
    nObj: 2,
    objectives: (x) => pts[x[0]],
  });
  const algo = new SMSEMOA(p, { popSize: 3, seed: 1, initial: [0, 1, 2] });
  algo.ask();
  algo.tell([pts[0], pts[1], pts[2]]);
  algo.ask();
  algo.tell([pts[3]]);
  const pop = algo.population();
  const rows = Array.from({ length: pop.size }, (_, i) => `${pop.F[2 * i]},${pop.F[2 * i + 1]}`).sort();
  assert.deepEqual(rows, ["0,4", "1,2", "4,0"]);
});

Deno.test("MOPSO: the repository is the population, bounded by archiveSize and non-dominated", () => {
  const algo = new MOPSO(zdt1(5), { popSize: 30, archiveSize: 25, seed: 2 });
  const r = algo.run({ maxGenerations: 40 });
  assert.equal(algo.horizon, 40);
  assert.ok(r.population.size <= 25 && r.population.size > 5);
  assert.equal(r.front.n, r.population.size);
  assert.equal(r.evaluations, 1200);
  assert.equal(algo.swarm().X.length, 30 * 5);
  const { lower, upper } = zdt1(5);
  const X = algo.swarm().X;
  for (let k = 0; k < X.length; k++) assert.ok(X[k] >= lower[k % 5] && X[k] <= upper[k % 5]);
});

Deno.test("SMS-EMOA and MOPSO handle constraints (feasible fronts on x + y ≥ 1)", () => {
  const p = constrainedProblem();
  for (
    const r of [
      new SMSEMOA(p, { seed: 2, popSize: 30 }).run({ maxEvaluations: 3000 }),
      new MOPSO(p, { seed: 2, popSize: 30 }).run({ maxGenerations: 60 }),
    ]
  ) {
    assert.ok(r.front.n > 10, `${r.algorithm}: ${r.front.n} points`);
    for (let i = 0; i < r.front.n; i++) {
      const s = r.front.data[2 * i] + r.front.data[2 * i + 1];
      assert.ok(s >= 1 - 1e-12, `${r.algorithm}: infeasible x + y = ${s}`);
      assert.ok(s < 1.1, `${r.algorithm}: x + y = ${s}`);
    }
  }
});

Deno.test("SMS-EMOA and MOPSO: clear errors for bad settings", () => {
  assert.throws(() => new SMSEMOA(zdt1(), { popSize: 1 }), /at least 2, got 1/);
  assert.throws(
    () => new SMSEMOA(zdt1(), { crossover: { prob: 1.5 } }),
    /SMS-EMOA: crossover.prob must be in \[0, 1\]/,
  );
  assert.throws(() => new SMSEMOA(zdt1(), { mutation: { eta: -1 } }), /SMS-EMOA: mutation.eta must be/);
  assert.throws(
    () => new SMSEMOA(zdt1(), { ref: [1] }),
    /SMS-EMOA: ref must be an array of 2 finite numbers/,
  );
  assert.throws(() => new MOPSO(zdt1(), { archiveSize: 0 }), /MOPSO: archiveSize must be a positive integer/);
  assert.throws(() => new MOPSO(zdt1(), { divisions: 2.5 }), /MOPSO: divisions must be a positive integer/);
  assert.throws(() => new MOPSO(zdt1(), { inertia: -1 }), /MOPSO: inertia must be/);
  assert.throws(() => new MOPSO(zdt1(), { mutationRate: 2 }), /MOPSO: mutationRate must be in \[0, 1\]/);
  assert.throws(() => new MOPSO(zdt1(), { horizon: 0 }), /MOPSO: horizon must be a positive integer/);
  assert.throws(() => new MOPSO(zdt1(), { leaderFitness: 0 }), /MOPSO: leaderFitness must be/);
  const state = new SMSEMOA(zdt1(), { popSize: 10 }).toJSON();
  assert.throws(() => MOPSO.fromJSON(zdt1(), state), /saved by SMS-EMOA, not MOPSO/);
});
