/**
 * Benchmarks of the reference-direction and reference-point algorithms and of NSGA-II-ARSBX: whole
 * runs on ZDT1 (population 100, 10,000 evaluations) with NSGA-II at the same budget as the baseline,
 * and NSGA-III on 3-objective DTLZ2 (91 directions, population 92, 20,000 evaluations).
 */
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { NSGA3 } from "../lib/algorithms/nsga3.ts";
import { RNSGA2 } from "../lib/algorithms/rnsga2.ts";
import { NSGA2ARSBX } from "../lib/algorithms/nsga2_arsbx.ts";
import { zdt1 } from "../lib/problems/zdt.ts";
import { dtlz2 } from "../lib/problems/dtlz.ts";

const z1 = zdt1(), d2 = dtlz2(3);
Deno.bench(
  "NSGA-II on ZDT1, pop 100, 10,000 evaluations (baseline)",
  { group: "zdt1", baseline: true },
  () => {
    new NSGA2(z1, { popSize: 100, seed: 1 }).run({ maxEvaluations: 10_000 });
  },
);
Deno.bench("NSGA-III on ZDT1, 100 directions, pop 100, 10,000 evaluations", { group: "zdt1" }, () => {
  new NSGA3(z1, { popSize: 100, seed: 1 }).run({ maxEvaluations: 10_000 });
});
Deno.bench("R-NSGA-II on ZDT1, 2 reference points, pop 100, 10,000 evaluations", { group: "zdt1" }, () => {
  new RNSGA2(z1, { refPoints: [[0.25, 0.5], [0.81, 0.1]], popSize: 100, seed: 1 }).run({
    maxEvaluations: 10_000,
  });
});
Deno.bench("NSGA-II-ARSBX on ZDT1, pop 100, 10,000 evaluations", { group: "zdt1" }, () => {
  new NSGA2ARSBX(z1, { popSize: 100, seed: 1 }).run({ maxEvaluations: 10_000 });
});
Deno.bench(
  "NSGA-III on DTLZ2 (3 objectives), 91 directions, pop 92, 20,000 evaluations",
  { group: "dtlz2" },
  () => {
    new NSGA3(d2, { partitions: 12, seed: 1 }).run({ maxEvaluations: 20_000 });
  },
);
