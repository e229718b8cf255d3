/**
 * The MOEA/D family on ZDT1 (30 variables), population 100, 10,000 evaluations, seed 1, default settings
 * (MOEA/D: SBX + PM, Tchebycheff, T 20; MOEA/D-DE and MOEA/D-DRA: DE F 0.5 CR 1 + PM, δ 0.9, n_r 2;
 * MOEA/D-GEN: pagmo's defaults). No external anchor is available for these; the hypervolume (ref 1.1, 1.1)
 * each run reaches is printed once when the file loads, next to the timings.
 */
import { MOEAD } from "../lib/algorithms/moead.ts";
import { MOEADDE } from "../lib/algorithms/moead_de.ts";
import { MOEADDRA } from "../lib/algorithms/moead_dra.ts";
import { MOEADGen } from "../lib/algorithms/moead_gen.ts";
import type { Result } from "../lib/algorithms/result.ts";
import { hypervolume } from "../lib/indicators/hypervolume.ts";
import { zdt1 } from "../lib/problems/zdt.ts";

const problem = zdt1();
const runs: [string, () => Result][] = [
  ["MOEA/D", () => new MOEAD(problem, { popSize: 100, seed: 1 }).run({ maxEvaluations: 10_000 })],
  ["MOEA/D-DE", () => new MOEADDE(problem, { popSize: 100, seed: 1 }).run({ maxEvaluations: 10_000 })],
  ["MOEA/D-DRA", () => new MOEADDRA(problem, { popSize: 100, seed: 1 }).run({ maxEvaluations: 10_000 })],
  ["MOEA/D-GEN", () => new MOEADGen(problem, { popSize: 100, seed: 1 }).run({ maxEvaluations: 10_000 })],
];

for (const [name, run] of runs) {
  const r = run();
  console.log(
    `${name} on ZDT1, pop 100, ${r.evaluations} evaluations: HV ${
      hypervolume(r.paretoFront, [1.1, 1.1]).toFixed(5)
    }`,
  );
  Deno.bench(`${name} on ZDT1, pop 100, 10,000 evaluations`, { group: "moead" }, () => {
    run();
  });
}
