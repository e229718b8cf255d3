import assert from "node:assert/strict";
import { Result } from "../lib/algorithms/result.ts";
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { decisions, makePopulation, objectives } from "../lib/core/population.ts";
import { dominates } from "../lib/core/dominance.ts";
import { zdt1 } from "../lib/problems/zdt.ts";
import { constrainedProblem } from "./_support.ts";

// Five solutions of a 1-variable, 2-objective, 1-constraint problem (g ≤ 0 is feasible):
// rows 0, 1, 3 are feasible and mutually non-dominated, row 2 is dominated by row 1, row 4 dominates
// everything but is infeasible.
const X = Float64Array.from([10, 11, 12, 13, 14]);
const F = Float64Array.from([1, 4, 2, 2, 3, 3, 4, 1, 0, 0]);
const G = Float64Array.from([0, -1, 0, -2, 0.5]);

Deno.test("Result: front is the non-dominated feasible set, paretoSet its decisions row for row", () => {
  const pop = makePopulation(1, 2, 1, X, F, G);
  const r = new Result("hand", "toy", pop, [{ generation: 3, evaluations: 15 }]);
  assert.deepEqual(Array.from(r.front.data), [1, 4, 2, 2, 4, 1]);
  assert.equal(r.front.n, 3);
  assert.equal(r.front.m, 2);
  assert.deepEqual(Array.from(r.paretoSet.data), [10, 11, 13]);
  assert.equal(r.paretoSet.n, 3);
  assert.equal(r.paretoSet.m, 1);
  // the population is the whole final population, untouched
  assert.equal(r.population, pop);
  assert.deepEqual(objectives(r.population).data, F);
  assert.deepEqual(decisions(r.population).data, X);
  assert.equal(r.generations, 3);
  assert.equal(r.evaluations, 15);
  assert.equal(r.toString(), "hand on toy: 3 generations, 15 evaluations, 3 non-dominated solutions");
  const display = (r as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")];
  assert.deepEqual(display.call(r), { "text/plain": r.toString() });
  // the pymoo-surprising whole-population accessors are gone
  assert.equal("F" in r, false);
  assert.equal("X" in r, false);
  // the old name of the front survives as a deprecated alias (external scripts use it)
  assert.equal(r.paretoFront, r.front);
});

Deno.test("Result: with no feasible member, the front holds the members of least violation", () => {
  const pop = makePopulation(1, 2, 1, X, F, Float64Array.from([3, 1, 2, 1, 5]));
  const r = new Result("hand", "toy", pop, []);
  assert.deepEqual(Array.from(r.paretoSet.data), [11, 13]);
  assert.deepEqual(Array.from(r.front.data), [2, 2, 4, 1]);
  assert.equal(r.generations, 0);
});

Deno.test("Result of a run: no front member is dominated by any population member; constrained fronts are feasible", () => {
  const r = new NSGA2(zdt1(), { popSize: 40, seed: 3 }).run({ maxGenerations: 10 });
  const P = objectives(r.population);
  assert.ok(r.front.n >= 1 && r.front.n <= P.n);
  for (let k = 0; k < r.front.n; k++) {
    const f = r.front.data.subarray(2 * k, 2 * k + 2);
    for (let i = 0; i < P.n; i++) assert.ok(!dominates(P.data.subarray(2 * i, 2 * i + 2), f));
    // row k of paretoSet evaluates to row k of front
    const x = r.paretoSet.data.subarray(k * 30, (k + 1) * 30);
    const out = new Float64Array(2);
    zdt1().evaluate(x, out, new Float64Array(0));
    assert.deepEqual(out, Float64Array.from(f));
  }
  const c = new NSGA2(constrainedProblem(), { popSize: 20, seed: 1 }).run({ maxGenerations: 5 });
  for (let k = 0; k < c.paretoSet.n; k++) {
    assert.ok(1 - c.paretoSet.data[2 * k] - c.paretoSet.data[2 * k + 1] <= 0);
  }
});
