/**
 * SMS-EMOA and MOPSO on ZDT1, population 100, 10,000 evaluations (whole runs through `run()`).
 */
import { SMSEMOA } from "../lib/algorithms/smsemoa.ts";
import { MOPSO } from "../lib/algorithms/mopso.ts";
import { zdt1 } from "../lib/problems/zdt.ts";

const problem = zdt1();

Deno.bench("SMS-EMOA ZDT1, 100 × 10,000 evaluations", { group: "zdt1-10k" }, () => {
  new SMSEMOA(problem, { popSize: 100, seed: 1 }).run({ maxEvaluations: 10_000 });
});

Deno.bench("MOPSO ZDT1, 100 × 10,000 evaluations", { group: "zdt1-10k" }, () => {
  new MOPSO(problem, { popSize: 100, seed: 1 }).run({ maxEvaluations: 10_000 });
});
