/**
 * Every registered algorithm gives the same result whichever way it is driven — `run`, `runAsync`,
 * `minimize`, `minimizeAsync` — byte for byte (issue 16, item 9: MOPSO's mutation horizon used to be
 * set by `run` only, so `runAsync` ran another schedule); and a population too large for memory is
 * refused up front from an estimate, before anything is allocated.
 */
import assert from "node:assert/strict";
import { algorithmNames, makeAlgorithm } from "../lib/algorithms/registry.ts";
import { minimize, minimizeAsync, type RunOptions } from "../lib/algorithms/minimize.ts";
import { estimateMemory, MemoryEstimateError } from "../lib/algorithms/base.ts";
import { MOPSO } from "../lib/algorithms/mopso.ts";
import type { Result } from "../lib/algorithms/result.ts";
import { zdt1 } from "../lib/problems/zdt.ts";
import { bytes } from "./_support.ts";

function options(name: string): Record<string, unknown> {
  const o: Record<string, unknown> = { popSize: 12, seed: 5 };
  if (name === "R-NSGA-II") o.refPoints = [[0.3, 0.5]];
  return o;
}

const same = (name: string, how: string, a: Result, b: Result) => {
  assert.equal(b.evaluations, a.evaluations, `${name} ${how}: evaluations`);
  assert.deepEqual(bytes(b.population.X), bytes(a.population.X), `${name} ${how}: X`);
  assert.deepEqual(bytes(b.population.F), bytes(a.population.F), `${name} ${how}: F`);
};

for (const termination of [{ maxGenerations: 8 }, { maxEvaluations: 120 }] as RunOptions[]) {
  Deno.test(`run, runAsync, minimize and minimizeAsync agree for every algorithm (${JSON.stringify(termination)})`, async () => {
    const problem = zdt1(6);
    for (const name of algorithmNames) {
      const ref = makeAlgorithm(name, problem, options(name)).run(termination);
      same(name, "runAsync", ref, await makeAlgorithm(name, problem, options(name)).runAsync(termination));
      same(name, "minimize", ref, minimize(makeAlgorithm(name, problem, options(name)), termination));
      same(
        name,
        "minimizeAsync",
        ref,
        await minimizeAsync(makeAlgorithm(name, problem, options(name)), termination),
      );
    }
  });
}

Deno.test("MOPSO: the mutation horizon comes from the termination however the run is driven", async () => {
  const p = zdt1(6);
  const a = new MOPSO(p, { popSize: 10, seed: 2 });
  a.run({ maxEvaluations: 200 });
  const b = new MOPSO(p, { popSize: 10, seed: 2 });
  await b.runAsync({ maxEvaluations: 200 });
  const c = new MOPSO(p, { popSize: 10, seed: 2 });
  minimize(c, { maxGenerations: 7 });
  assert.deepEqual([a.horizon, b.horizon, c.horizon], [20, 20, 7]);
  // an explicit horizon wins
  const d = new MOPSO(p, { popSize: 10, seed: 2, horizon: 50 });
  await d.runAsync({ maxGenerations: 3 });
  assert.equal(d.horizon, 50);
});

Deno.test("a population too large for memory is refused from an estimate, before allocation", () => {
  const p = zdt1(30);
  assert.equal(estimateMemory(100, p), 100 * (5 * 8 * 33 + 64));
  for (const name of algorithmNames) {
    const o = { ...options(name), popSize: 1e8 };
    assert.throws(
      () => makeAlgorithm(name, p, o),
      (e: Error) =>
        e instanceof MemoryEstimateError && e.bytes === estimateMemory(1e8, p) &&
        /a population of 100000000 on ZDT1 \(30 variables, 2 objectives\) needs about 128\.9 GiB, more than the .* GiB of memory available/
          .test(e.message),
      name,
    );
  }
});
