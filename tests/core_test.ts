import assert from "node:assert/strict";
import { Rng } from "../lib/core/rng.ts";
import { nondominatedIndices, nondominatedSort } from "../lib/core/sorting.ts";
import { compareConstrained, compareDominance, dominates } from "../lib/core/dominance.ts";
import { crowdingDistance } from "../lib/core/crowding.ts";
import { asPoints, points } from "../lib/core/points.ts";
import { defineProblem, ObjectiveValueError, ProblemDefinitionError } from "../lib/core/problem.ts";
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { evaluatePopulation } from "../lib/core/population.ts";
import { simulatedBinaryCrossover as sbx } from "../lib/operators/sbx.ts";
import { polynomialMutation } from "../lib/operators/mutation.ts";
import { latinHypercubeSampling, randomSampling } from "../lib/operators/sampling.ts";
import { binaryTournament } from "../lib/core/selection.ts";

Deno.test("Rng: same seed, same stream; different seeds differ; state round-trips", () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xa = Array.from({ length: 100 }, () => a.random());
  const xb = Array.from({ length: 100 }, () => b.random());
  const xc = Array.from({ length: 100 }, () => c.random());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
  assert.ok(xa.every((v) => v >= 0 && v < 1));
  const saved = a.state();
  const next = a.random();
  assert.equal(Rng.fromState(saved).random(), next);
  assert.throws(() => new Rng(1.5), /seed/);
  assert.throws(() => Rng.fromState([0, 0, 0, 0]), /not all 0/);
});

Deno.test("Rng: uniform ints are unbiased enough and normal has mean 0, sd 1", () => {
  const r = new Rng(7);
  const counts = new Array(6).fill(0);
  for (let i = 0; i < 60000; i++) counts[r.int(6)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 400, `count ${c}`);
  let s = 0, s2 = 0;
  const n = 50000;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s / n) < 0.02);
  assert.ok(Math.abs(s2 / n - 1) < 0.03);
});

/** Deb's O(MN²) fast non-dominated sort, written plainly, as the reference. */
function bruteRanks(F: number[][], cv?: number[]): number[] {
  const n = F.length;
  const flat = Float64Array.from(F.flat());
  const m = F[0].length;
  const cvA = cv ? Float64Array.from(cv) : undefined;
  const rank = new Array(n).fill(-1);
  let remaining = n, r = 0;
  while (remaining > 0) {
    const current: number[] = [];
    for (let i = 0; i < n; i++) {
      if (rank[i] !== -1) continue;
      let dominated = false;
      for (let j = 0; j < n && !dominated; j++) {
        if (j !== i && rank[j] === -1 && compareConstrained(flat, m, cvA, j, i) === 1) dominated = true;
      }
      if (!dominated) current.push(i);
    }
    for (const i of current) rank[i] = r;
    remaining -= current.length;
    r++;
  }
  return rank;
}

Deno.test("nondominatedSort agrees with Deb's brute-force sort (2–5 objectives, ties, duplicates, constraints)", () => {
  const rng = new Rng(3);
  for (const m of [2, 3, 4, 5]) {
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + rng.int(120);
      // coarse grid values create ties and exact duplicates
      const F = Array.from(
        { length: n },
        () => Array.from({ length: m }, () => rng.int(trial % 2 ? 5 : 1000) / 10),
      );
      const want = bruteRanks(F);
      assert.deepEqual(Array.from(nondominatedSort(F).rank), want, `m=${m} trial=${trial}`);
      const cv = F.map(() => (rng.random() < 0.3 ? rng.int(3) * 0.5 : 0));
      assert.deepEqual(Array.from(nondominatedSort(F, { cv }).rank), bruteRanks(F, cv), `constrained m=${m}`);
    }
  }
});

Deno.test("nondominatedSort: fronts, maxCount, indices, and one objective", () => {
  const F = [[1, 4], [2, 3], [3, 3], [4, 1], [2, 3], [5, 5]];
  const { rank, fronts } = nondominatedSort(F);
  assert.deepEqual(Array.from(rank), [0, 0, 1, 0, 0, 2]);
  assert.deepEqual(fronts.map((f) => Array.from(f)), [[0, 1, 3, 4], [2], [5]]);
  const cut = nondominatedSort(F, { maxCount: 5 });
  assert.deepEqual(cut.fronts.length, 2);
  assert.equal(cut.rank[5], -1);
  assert.deepEqual(Array.from(nondominatedIndices(F)), [0, 1, 3, 4]);
  assert.deepEqual(Array.from(nondominatedSort([[3], [1], [2], [1]]).rank), [2, 0, 1, 0]);
  assert.throws(() => nondominatedSort(F, { cv: [0, 1] }), /cv has 2 values for 6 points/);
});

Deno.test("dominance helpers", () => {
  assert.equal(dominates([1, 2], [1, 3]), true);
  assert.equal(dominates([1, 3], [1, 3]), false);
  assert.equal(dominates([0, 4], [1, 3]), false);
  const F = Float64Array.from([1, 2, 2, 1, 1, 1]);
  assert.equal(compareDominance(F, 2, 0, 1), 0);
  assert.equal(compareDominance(F, 2, 2, 0), 1);
  assert.equal(compareDominance(F, 2, 0, 2), -1);
  const cv = Float64Array.from([0, 0.5, 0.2]);
  assert.equal(compareConstrained(F, 2, cv, 0, 2), 1, "feasible beats infeasible whatever the objectives");
  assert.equal(compareConstrained(F, 2, cv, 1, 2), -1, "smaller violation wins");
});

Deno.test("crowdingDistance matches a hand computation", () => {
  // front sorted on f1: 0, 1, 3, 4; f2: 4, 3, 1, 0 — ranges 4 and 4
  const F = points([0, 4, 1, 3, 3, 1, 4, 0], 2);
  const d = crowdingDistance(F, [0, 1, 2, 3]);
  assert.equal(d[0], Infinity);
  assert.equal(d[3], Infinity);
  assert.equal(d[1], (3 - 0) / 4 + (4 - 1) / 4);
  assert.equal(d[2], (4 - 1) / 4 + (3 - 0) / 4);
  assert.deepEqual(Array.from(crowdingDistance(F, [0, 1])), [Infinity, Infinity]);
  // an objective with no spread contributes nothing
  const flat = points([0, 1, 1, 1, 2, 1], 2);
  assert.equal(crowdingDistance(flat, [0, 1, 2])[1], 1);
});

Deno.test("SBX and polynomial mutation stay in bounds, keep identical parents, and are seeded", () => {
  const lower = Float64Array.from([0, -5, 2]), upper = Float64Array.from([1, 5, 2]);
  const rng = new Rng(1);
  const c1 = new Float64Array(3), c2 = new Float64Array(3);
  for (let t = 0; t < 2000; t++) {
    const p1 = [rng.random(), rng.uniform(-5, 5), 2], p2 = [rng.random(), rng.uniform(-5, 5), 2];
    sbx(rng, p1, p2, c1, c2, lower, upper, { prob: 1 });
    for (let j = 0; j < 3; j++) {
      assert.ok(c1[j] >= lower[j] && c1[j] <= upper[j] && c2[j] >= lower[j] && c2[j] <= upper[j]);
      // SBX preserves the parents' mean when no child is clipped (per variable)
    }
    polynomialMutation(rng, c1, lower, upper, { prob: 1 });
    for (let j = 0; j < 3; j++) assert.ok(c1[j] >= lower[j] && c1[j] <= upper[j]);
  }
  const same = [0.3, 1, 2];
  sbx(rng, same, same, c1, c2, lower, upper, { prob: 1 });
  assert.deepEqual(Array.from(c1), same);
  // children of SBX average to the parents' average when nothing is clipped
  const r2 = new Rng(5);
  const wide = Float64Array.from([-100]), wideU = Float64Array.from([100]);
  const a = new Float64Array(1), b = new Float64Array(1);
  sbx(r2, [0.4], [0.6], a, b, wide, wideU, { prob: 1, probVar: 1 });
  assert.ok(Math.abs((a[0] + b[0]) / 2 - 0.5) < 1e-12);
});

Deno.test("sampling: random and LHS fill the box; LHS has one point per stratum", () => {
  const lower = Float64Array.from([0, 10]), upper = Float64Array.from([1, 20]);
  const X = latinHypercubeSampling(new Rng(2), 10, lower, upper);
  for (let j = 0; j < 2; j++) {
    const strata = new Set<number>();
    for (let i = 0; i < 10; i++) {
      strata.add(Math.floor(((X[i * 2 + j] - lower[j]) / (upper[j] - lower[j])) * 10));
    }
    assert.equal(strata.size, 10);
  }
  const R = randomSampling(new Rng(2), 50, lower, upper, Uint8Array.from([0, 1]));
  for (let i = 0; i < 50; i++) {
    assert.ok(R[2 * i] >= 0 && R[2 * i] < 1);
    assert.ok(Number.isInteger(R[2 * i + 1]) && R[2 * i + 1] >= 10 && R[2 * i + 1] <= 20);
  }
});

Deno.test("binaryTournament: without replacement, every candidate plays exactly twice", () => {
  // 8 candidates with distinct ranks: the best wins both its tournaments, the worst never wins
  const rank = [3, 0, 5, 7, 1, 2, 6, 4], crowd = new Array(8).fill(0);
  for (let seed = 1; seed <= 20; seed++) {
    const w = Array.from(binaryTournament(new Rng(seed), 8, rank, crowd));
    assert.equal(w.filter((i) => i === 1).length, 2, `seed ${seed}: ${w}`);
    assert.equal(w.filter((i) => i === 3).length, 0, `seed ${seed}: ${w}`);
  }
  // equal ranks: the larger crowding distance wins
  const w = binaryTournament(new Rng(1), 2, [0, 0], [0.1, 5]);
  assert.deepEqual(Array.from(w), [1, 1]);
});

Deno.test("defineProblem validates bounds, shapes and objective values", () => {
  assert.throws(
    () => defineProblem({ lower: [0, 2], upper: [1, 1], nObj: 2, objectives: (x) => [x[0], x[1]] }),
    /lower bound 2 is above upper bound 1 for variable 1/,
  );
  assert.throws(
    () => defineProblem({ lower: [0], upper: [1, 1], nObj: 2, objectives: (x) => [x[0], 1] }),
    /lower has 1 bounds but upper has 2/,
  );
  assert.throws(
    () => defineProblem({ lower: 0, upper: 1, nObj: 2, objectives: (x) => [x[0], 1] }),
    /needs nVar/,
  );
  const p = defineProblem({
    name: "bad",
    lower: 0,
    upper: 1,
    nVar: 2,
    nObj: 2,
    objectives: (x) => [x[0], x[1] > 0.5 ? NaN : 1],
  });
  assert.throws(
    () => evaluatePopulation(p, Float64Array.from([0.1, 0.2, 0.3, 0.9])),
    /objective 1 of solution 1 \(x = \[0\.300000, 0\.900000\]\) is NaN/,
  );
  const wrong = defineProblem({ lower: 0, upper: 1, nVar: 2, nObj: 2, objectives: (x) => [x[0]] });
  assert.throws(() => evaluatePopulation(wrong, new Float64Array(2)), /returned 1 values, nObj is 2/);
  assert.throws(() => asPoints([[1, 2], [3]]), /row 1 has 1 values, row 0 has 2/);
});

Deno.test("defineProblem: an integer variable whose bounds hold no integer is refused at definition", () => {
  const spec = {
    name: "noint",
    lower: [0.2, 0],
    upper: [0.8, 3],
    nObj: 1,
    objectives: (x: Float64Array) => [x[0]],
  };
  assert.throws(
    () => defineProblem({ ...spec, integer: true }),
    (e: Error) =>
      e instanceof ProblemDefinitionError && e.name === "ProblemDefinitionError" &&
      /noint: integer variable 0 has bounds \[0\.2, 0\.8\], which contain no integer/.test(e.message),
  );
  assert.throws(() => defineProblem({ ...spec, integer: [1, 0] }), ProblemDefinitionError);
  // the same bounds on a real variable, and integer bounds holding one integer, are fine
  assert.equal(defineProblem({ ...spec, integer: [0, 1] }).nVar, 2);
  assert.equal(defineProblem({ ...spec, lower: [0.2, 0], upper: [1, 3], integer: true }).nVar, 2);
  // a hand-written problem with such bounds is refused when an algorithm is built on it
  const p = defineProblem({ ...spec, integer: [0, 1] });
  const bad = { ...p, integer: Uint8Array.from([1, 1]) };
  assert.throws(() => new NSGA2(bad, { popSize: 4 }), ProblemDefinitionError);
});

Deno.test("defineProblem: objectives returning undefined, a number or no f name the problem and the solution", () => {
  const make = (objectives: (x: Float64Array) => unknown, nConstr = 0) =>
    defineProblem({
      name: "sloppy",
      lower: [0, 0],
      upper: [1, 1],
      nObj: 2,
      nConstr,
      objectives: objectives as never,
    });
  const x = Float64Array.from([0.25, 0.5]);
  const f = new Float64Array(2), g = new Float64Array(1);
  const cases: [(x: Float64Array) => unknown, RegExp, number?][] = [
    [
      () => undefined,
      /sloppy: objectives\(x\) returned undefined \(a missing return\?\) for x = \[0\.25, 0\.5\]/,
    ],
    [
      () => 3,
      /sloppy: objectives\(x\) returned number 3 for x = \[0\.25, 0\.5\]; it must return an array of 2/,
    ],
    [() => null, /returned object null/],
    [() => ({ g: [1] }), /an object without an array f for x = \[0\.25, 0\.5\]/],
    [
      () => [1, 2],
      /no array g of constraint values for x = \[0\.25, 0\.5\]; it must return \{ f: 2 numbers, g: 1/,
      1,
    ],
  ];
  for (const [fn, re, nConstr] of cases) {
    assert.throws(
      () => make(fn, nConstr).evaluate(x, f, nConstr ? g : new Float64Array(0)),
      (e: Error) => e instanceof ObjectiveValueError && re.test(e.message),
      String(re),
    );
  }
  assert.throws(
    () => make(() => [1]).evaluate(x, f, g),
    /returned 1 values, nObj is 2, for x = \[0\.25, 0\.5\]/,
  );
  // through a run: the error reaches the caller as is
  assert.throws(
    () => new NSGA2(make(() => undefined), { popSize: 4 }).run({ maxGenerations: 1 }),
    ObjectiveValueError,
  );
});
