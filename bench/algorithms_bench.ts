/**
 * Every registered algorithm on ZDT1 at the zoo's settings (population 100, 10,000 evaluations), plus
 * NSGA-III on 3-objective DTLZ2, and the evaluation-free share of a run ("bookkeeping": the same run
 * on a problem whose evaluate does nothing, measured separately so it can be set beside a C++ peer).
 * Peers: `deno task bench:pagmo` times pagmo's nsga2 and moead at the same settings. MOEA/D-DE and
 * -DRA are steady state (one child per ask/tell); their batched pass (`steadyState: false`) is timed
 * beside them, so the per-child overhead of steady state can be read off.
 */
import { algorithmNames, makeAlgorithm } from "../lib/algorithms/registry.ts";
import { dtlz2, zdt1 } from "../lib/problems/mod.ts";
import type { Problem } from "../lib/core/problem.ts";

const options = (name: string): Record<string, unknown> =>
  name === "R-NSGA-II" ? { popSize: 100, seed: 1, refPoints: [[0.2, 0.8], [0.5, 0.5], [0.8, 0.2]] } : {
    popSize: 100,
    seed: 1,
  };

const problem = zdt1();
// The same bounds and sizes, objectives copied from a fixed table: the run's cost minus evaluation.
const table = new Float64Array(2);
const free: Problem = {
  ...problem,
  name: "ZDT1 (no-op evaluate)",
  evaluate: (x, f) => {
    f[0] = x[0];
    f[1] = 1 - x[0] + table[1];
  },
};

for (const name of algorithmNames) {
  Deno.bench(`${name} on ZDT1, pop 100, 10,000 evaluations`, { group: "zdt1" }, () => {
    makeAlgorithm(name, problem, options(name)).run({ maxEvaluations: 10_000 });
  });
}
for (const name of ["MOEA/D-DE", "MOEA/D-DRA"]) {
  Deno.bench(`${name} batched (steadyState: false) on ZDT1, pop 100, 10,000 evaluations`, {
    group: "zdt1",
  }, () => {
    makeAlgorithm(name, problem, { ...options(name), steadyState: false }).run({ maxEvaluations: 10_000 });
  });
}
for (const name of ["NSGA-II", "MOEA/D", "MOEA/D-DE"]) {
  Deno.bench(
    `${name}, bookkeeping only (evaluate is a no-op), 10,000 evaluations`,
    { group: "bookkeeping" },
    () => {
      makeAlgorithm(name, free, options(name)).run({ maxEvaluations: 10_000 });
    },
  );
}
Deno.bench("MOEA/D-DE batched, bookkeeping only (evaluate is a no-op), 10,000 evaluations", {
  group: "bookkeeping",
}, () => {
  makeAlgorithm("MOEA/D-DE", free, { ...options("MOEA/D-DE"), steadyState: false }).run({
    maxEvaluations: 10_000,
  });
});
Deno.bench(
  "NSGA-III on DTLZ2 (3 objectives), 91 directions, pop 92, 20,000 evaluations",
  { group: "dtlz2" },
  () => {
    makeAlgorithm("NSGA-III", dtlz2(3), { popSize: 92, seed: 1 }).run({ maxEvaluations: 20_000 });
  },
);
