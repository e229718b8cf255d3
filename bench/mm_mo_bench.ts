/**
 * MM-MO building blocks on the real tasks (or the synthetic ones when the data is absent): training
 * the source models, one DARE-TIES merge and its evaluation, fitting the GPs, and one qEHVI batch.
 */
import { loadTasks } from "../lib/mm_mo/tasks.ts";
import { trainSources } from "../lib/mm_mo/mlp.ts";
import { MergeProblem, objectiveVector } from "../lib/mm_mo/problem.ts";
import { fitGP } from "../lib/mm_mo/gp.ts";
import { makeQEHVI, optimizeQEHVI } from "../lib/mm_mo/ehvi.ts";
import { Rng } from "../lib/core/rng.ts";

const { tasks } = await loadTasks({ seed: 1 });
const { base, experts } = trainSources(tasks, { seed: 1 });
const problem = new MergeProblem(base, experts, tasks);
const rng = new Rng(1);
const n = 30, d = problem.nVar;
const U = Float64Array.from({ length: n * d }, () => rng.random());
const Y: number[] = [];
for (let i = 0; i < n; i++) {
  Y.push(...objectiveVector(problem.evaluate(problem.fromUnit(U.subarray(i * d, i * d + d)))));
}
const m = Y.length / n;
const column = (k: number) => Float64Array.from({ length: n }, (_, i) => Y[i * m + k]);
const gps = Array.from({ length: m }, (_, k) => fitGP(U, column(k), d, { seed: k }));

Deno.bench("train base + 3 source models (hidden 32, dim 4096)", { n: 3 }, () => {
  trainSources(tasks, { seed: 1 });
});
Deno.bench("DARE-TIES merge + validation accuracy on 3 tasks", () => {
  problem.evaluate(problem.fromUnit(U.subarray(0, d)));
});
Deno.bench("fit one GP (n = 30, d = 6, Matérn 5/2 ARD, 3 restarts)", () => {
  fitGP(U, column(0), d, { seed: 1 });
});
Deno.bench("qEHVI batch of 5 (4 objectives, 64 samples, 128 raw candidates)", { n: 3 }, () => {
  const acq = makeQEHVI(gps, Y, { samples: 64, seed: 1 });
  optimizeQEHVI(acq, gps, 5, { raw: 128, seed: 1 });
});

// Checkpoint path: BF16 codecs and the per-tensor kernel on a 1 Mi-value tensor (a 7B model has ~7000 Mi).
import { decode, encode } from "../lib/mm_mo/safetensors.ts";
import { mergeState, mergeTensor } from "../lib/mm_mo/merge.ts";
const N = 1 << 20;
const tensors = [0, 1, 2].map(() => Float32Array.from({ length: N }, () => rng.random() - 0.5));
const bf16 = encode(tensors[0], "BF16");
Deno.bench("BF16 decode, 1 Mi values", () => {
  decode(bf16, "BF16");
});
Deno.bench("BF16 encode, 1 Mi values", () => {
  encode(tensors[0], "BF16");
});
const outT = new Float32Array(N);
for (const method of ["dare_ties", "ties"] as const) {
  Deno.bench(`mergeTensor ${method}, base + 2 models, 1 Mi values`, () => {
    const state = mergeState({ method, weights: [1, 1], densities: [0.5, 0.5] }, 2);
    mergeTensor(tensors[0], tensors.slice(1), state, outT);
  });
}
