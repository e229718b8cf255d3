/**
 * Byte-for-byte pins of every registered algorithm's final population (X, F, G, CV) on four problems
 * and two seeds, from the code before the issue-19 speed work on the ask/tell machinery (slab-allocated
 * batch arrays, MOEA/D-DE's per-pass child buffer). A pin only detects change: a speed change to the
 * shared machinery (base.ts, population.ts, the operators, the MOEA/D family) must leave every digest
 * as it is. The behaviour itself is checked elsewhere (tests/moead_test.ts, tests/nsga2_test.ts, …).
 *
 * `MOOLAB_PRINT_DIGESTS=1 deno test -A tests/run_bytes_test.ts` prints the current digests.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Population } from "../lib/core/population.ts";
import type { Problem } from "../lib/core/problem.ts";
import { algorithmNames, makeAlgorithm } from "../lib/algorithms/registry.ts";
import { MOEADDE } from "../lib/algorithms/moead_de.ts";
import { getProblem } from "../lib/problems/mod.ts";
import type { AskTell } from "../lib/algorithms/algorithm.ts";
import { constrainedProblem } from "./_support.ts";

/** Ask and tell by hand for `generations`, objectives and constraints told as rows of plain arrays. */
function byHand(algo: AskTell, generations: number): void {
  const p = algo.problem;
  const f = new Float64Array(p.nObj), g = new Float64Array(p.nConstr);
  while (algo.generation < generations) {
    const X = algo.ask();
    const F: number[][] = [], G: number[][] = [];
    for (let i = 0; i < X.length / p.nVar; i++) {
      p.evaluate(X.subarray(i * p.nVar, (i + 1) * p.nVar), f, g);
      F.push(Array.from(f));
      G.push(Array.from(g));
    }
    algo.tell(F, p.nConstr > 0 ? G : undefined);
  }
}

function digest(pop: Population): string {
  const h = createHash("sha256");
  for (const a of [pop.X, pop.F, pop.G, pop.CV]) {
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest("hex").slice(0, 16);
}

const problems: (() => Problem)[] = [
  () => getProblem("ZDT1"),
  () => getProblem("DTLZ2", { nObj: 3 }),
  () => getProblem("UF1"),
  constrainedProblem,
];

function options(name: string, p: Problem, seed: number): Record<string, unknown> {
  const o: Record<string, unknown> = { popSize: 20, seed };
  if (name === "R-NSGA-II") o.refPoints = [new Array(p.nObj).fill(0.2)];
  return o;
}

/** The digest of every case, computed now. */
function current(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of algorithmNames) {
    for (const make of problems) {
      const p = make();
      for (const seed of [1, 2]) {
        out[`${name} ${p.name} ${seed}`] = digest(
          makeAlgorithm(name, p, options(name, p, seed)).run({ maxEvaluations: 600 }).population,
        );
      }
    }
  }
  for (const make of problems) {
    const p = make();
    out[`MOEA/D-DE batched ${p.name}`] = digest(
      new MOEADDE(p, { popSize: 20, seed: 3, steadyState: false }).run({ maxEvaluations: 600 }).population,
    );
    // ask and tell by hand, objectives told as rows (the other path of tell())
    const de = makeAlgorithm("MOEA/D-DE", p, { popSize: 20, seed: 4 });
    byHand(de, 12);
    out[`MOEA/D-DE by hand ${p.name}`] = digest(de.population());
    const nsga2 = makeAlgorithm("NSGA-II", p, { popSize: 20, seed: 4 });
    byHand(nsga2, 12);
    out[`NSGA-II by hand ${p.name}`] = digest(nsga2.population());
  }
  // the side-by-side case of bench/peers (pop 100, 10,000 evaluations, seed 1)
  out["MOEA/D-DE ZDT1 side"] = digest(
    new MOEADDE(getProblem("ZDT1"), { popSize: 100, seed: 1 }).run({ maxEvaluations: 10_000 }).population,
  );
  return out;
}

const PINNED: Record<string, string> = {
  "NSGA-II ZDT1 1": "66dfe2d844a8f8fc",
  "NSGA-II ZDT1 2": "fb0d982d3a0f1888",
  "NSGA-II DTLZ2 1": "10f59e64a62f2cdf",
  "NSGA-II DTLZ2 2": "ccabe98bf48412d0",
  "NSGA-II UF1 1": "0a33700891db240d",
  "NSGA-II UF1 2": "548c3ea660a1dfa6",
  "NSGA-II constrained 1": "c59c971708bccf9c",
  "NSGA-II constrained 2": "480ae43169844dbc",
  "NSGA-II-ARSBX ZDT1 1": "330c9cf03c9138bf",
  "NSGA-II-ARSBX ZDT1 2": "c4478d3f859967d1",
  "NSGA-II-ARSBX DTLZ2 1": "64a82608d2296722",
  "NSGA-II-ARSBX DTLZ2 2": "0b14d4d7268dc7ab",
  "NSGA-II-ARSBX UF1 1": "11961a8b82073be3",
  "NSGA-II-ARSBX UF1 2": "d298c3b92e573b4a",
  "NSGA-II-ARSBX constrained 1": "dbfadbe92e76d26b",
  "NSGA-II-ARSBX constrained 2": "cba33c532e4c9263",
  "NSGA-III ZDT1 1": "9d9a9f330dc64619",
  "NSGA-III ZDT1 2": "7ea94284831b594d",
  "NSGA-III DTLZ2 1": "59da334bb9ceacee",
  "NSGA-III DTLZ2 2": "bdb311aaffbe1a43",
  "NSGA-III UF1 1": "0fb0bf61ea3fb79b",
  "NSGA-III UF1 2": "b1a8442d2bfed76e",
  "NSGA-III constrained 1": "5fc26a7e2a5c7c16",
  "NSGA-III constrained 2": "4d73c4f13b4596b8",
  "R-NSGA-II ZDT1 1": "1dc2fd74a5c3c10c",
  "R-NSGA-II ZDT1 2": "047bd7b2d0f2d14a",
  "R-NSGA-II DTLZ2 1": "2887903ee2432656",
  "R-NSGA-II DTLZ2 2": "ee078e5e8bc07927",
  "R-NSGA-II UF1 1": "97ffb1d11d6ca61b",
  "R-NSGA-II UF1 2": "99d15cb9d15551da",
  "R-NSGA-II constrained 1": "4d7e4c9be267c466",
  "R-NSGA-II constrained 2": "16b490985a0b29cc",
  "MOEA/D ZDT1 1": "4c93db285c930e52",
  "MOEA/D ZDT1 2": "8774f43ddaa63722",
  "MOEA/D DTLZ2 1": "bb616f563763e06f",
  "MOEA/D DTLZ2 2": "7729ce7d83c1e46b",
  "MOEA/D UF1 1": "d9bc223adc109802",
  "MOEA/D UF1 2": "9cb580132796d8e3",
  "MOEA/D constrained 1": "dd8ea6808dd80b73",
  "MOEA/D constrained 2": "2c407906d26617cd",
  "MOEA/D-DE ZDT1 1": "949a4e2ff1cff5dc",
  "MOEA/D-DE ZDT1 2": "55f75afef388bad9",
  "MOEA/D-DE DTLZ2 1": "e5d7d10b77949c7e",
  "MOEA/D-DE DTLZ2 2": "ad2acf4b1e8c58cf",
  "MOEA/D-DE UF1 1": "dfc8c2282057fd5b",
  "MOEA/D-DE UF1 2": "5fda30d8aaaa51bc",
  "MOEA/D-DE constrained 1": "d3c4f5eb98a13254",
  "MOEA/D-DE constrained 2": "1e5a2e87d531e08f",
  "MOEA/D-DRA ZDT1 1": "f7ba57e8f3a6a78f",
  "MOEA/D-DRA ZDT1 2": "e1c841c00d7c740e",
  "MOEA/D-DRA DTLZ2 1": "3f9e6031e8dd6b33",
  "MOEA/D-DRA DTLZ2 2": "90f6156fa160ad5d",
  "MOEA/D-DRA UF1 1": "9210abfce6c9631d",
  "MOEA/D-DRA UF1 2": "89d7054b97e7cc5c",
  "MOEA/D-DRA constrained 1": "17c88722b33b6564",
  "MOEA/D-DRA constrained 2": "bbe0a463581d489d",
  "MOEA/D-DQN ZDT1 1": "a7e3a426bdb26820",
  "MOEA/D-DQN ZDT1 2": "de218b6df11473d3",
  "MOEA/D-DQN DTLZ2 1": "ddc9cfa549ebb0e6",
  "MOEA/D-DQN DTLZ2 2": "50410014821063d8",
  "MOEA/D-DQN UF1 1": "b73f74f73490ab1c",
  "MOEA/D-DQN UF1 2": "8f6da843220588a7",
  "MOEA/D-DQN constrained 1": "149d99a81a075b54",
  "MOEA/D-DQN constrained 2": "e9328f48a5127892",
  "MOEA/D-GEN ZDT1 1": "98e9572978009d2c",
  "MOEA/D-GEN ZDT1 2": "d9ed3e5bbc5e51ed",
  "MOEA/D-GEN DTLZ2 1": "b5b24a1e2e94f67c",
  "MOEA/D-GEN DTLZ2 2": "adc5e0630a2ccac0",
  "MOEA/D-GEN UF1 1": "af0943ec6b72fd58",
  "MOEA/D-GEN UF1 2": "bb1fba8a324876b7",
  "MOEA/D-GEN constrained 1": "6d17219fcdd6ff59",
  "MOEA/D-GEN constrained 2": "944b40a51c3967be",
  "SMS-EMOA ZDT1 1": "473570a151eec780",
  "SMS-EMOA ZDT1 2": "175ed5d471d44c34",
  "SMS-EMOA DTLZ2 1": "7df77e30c3e0d1c4",
  "SMS-EMOA DTLZ2 2": "b78b90d6b1d44fc3",
  "SMS-EMOA UF1 1": "8b09c1d7b968c8d7",
  "SMS-EMOA UF1 2": "3b6469fb66eca4f5",
  "SMS-EMOA constrained 1": "c174388fcf417e41",
  "SMS-EMOA constrained 2": "e8c37994907354ec",
  "MOPSO ZDT1 1": "2a62a24e423443dd",
  "MOPSO ZDT1 2": "1e8ae5d36628ab6c",
  "MOPSO DTLZ2 1": "5e801ba7e07c6342",
  "MOPSO DTLZ2 2": "fc56f1c7faafb0fa",
  "MOPSO UF1 1": "f7d4284e91f6f47e",
  "MOPSO UF1 2": "82a86d50c1370518",
  "MOPSO constrained 1": "5e8315d94f8f4d17",
  "MOPSO constrained 2": "ec6fca4124bbc622",
  "MOEA/D-DE batched ZDT1": "0be95e45fc7c774a",
  "MOEA/D-DE by hand ZDT1": "e8342fb67ccb9d8c",
  "NSGA-II by hand ZDT1": "433561c6457a7d81",
  "MOEA/D-DE batched DTLZ2": "18e3d868c403baab",
  "MOEA/D-DE by hand DTLZ2": "e5e0a8e568749959",
  "NSGA-II by hand DTLZ2": "62f53aa4471a4009",
  "MOEA/D-DE batched UF1": "01e6a1d275a3cd19",
  "MOEA/D-DE by hand UF1": "cd54dcfd36d0e2c4",
  "NSGA-II by hand UF1": "630b70cf027b1c15",
  "MOEA/D-DE batched constrained": "91418efa5d5926d2",
  "MOEA/D-DE by hand constrained": "4dd708f96d8fd474",
  "NSGA-II by hand constrained": "69651fd91c2d0cc8",
  "MOEA/D-DE ZDT1 side": "23eaa4d614f5716b",
};

Deno.test("every algorithm's final population is byte for byte the pinned one", () => {
  const now = current();
  if (Deno.env.get("MOOLAB_PRINT_DIGESTS")) console.log(JSON.stringify(now, null, 2));
  assert.deepEqual(Object.keys(now).sort(), Object.keys(PINNED).sort());
  for (const k of Object.keys(PINNED)) assert.equal(now[k], PINNED[k], k);
});
