/**
 * Benchmarks of the MOEA core, at the settings of ../shared/anchors/performance.md:
 * non-dominated sorting (all fronts) of 10,000 uniform random points in [0,1]^m, and a whole NSGA-II
 * run on ZDT1 (population 100, 25,100 evaluations, SBX η 20 p 0.9, PM η 20 p 1/n); and the index sort
 * behind the 2-D/3-D kernels on spread keys (its fixed-point passes) and heavy-tailed keys (exp(20u):
 * its fallback to the float-bit keys), so a change that helps one and hurts the other shows.
 */
import { Rng } from "../lib/core/rng.ts";
import { nondominatedSort } from "../lib/core/sorting.ts";
import { sortIndices } from "../lib/core/sort_indices.ts";
import type { Points } from "../lib/core/points.ts";
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { zdt1 } from "../lib/problems/zdt.ts";

function uniform(n: number, m: number, seed: number): Points {
  const rng = new Rng(seed);
  const data = new Float64Array(n * m);
  for (let k = 0; k < data.length; k++) data[k] = rng.random();
  return { data, n, m };
}

const p2 = uniform(10_000, 2, 1), p3 = uniform(10_000, 3, 2), p5 = uniform(10_000, 5, 3);
const p8 = uniform(10_000, 8, 4), p10 = uniform(10_000, 10, 5);
Deno.bench("non-dominated sort, 10,000 random points, 2-D", { group: "sort" }, () => {
  nondominatedSort(p2);
});
Deno.bench("non-dominated sort, 10,000 random points, 3-D", { group: "sort" }, () => {
  nondominatedSort(p3);
});
Deno.bench("non-dominated sort, 10,000 random points, 5-D", { group: "sort" }, () => {
  nondominatedSort(p5);
});
Deno.bench("non-dominated sort, 10,000 random points, 8-D", { group: "sort" }, () => {
  nondominatedSort(p8);
});
Deno.bench("non-dominated sort, 10,000 random points, 10-D", { group: "sort" }, () => {
  nondominatedSort(p10);
});

for (const n of [1000, 10_000]) {
  const rng = new Rng(6);
  const uniformKeys = Float64Array.from({ length: n }, () => rng.random());
  const tailKeys = Float64Array.from({ length: n }, () => Math.exp(20 * rng.random()));
  const out = new Uint32Array(n);
  Deno.bench(`sortIndices, ${n.toLocaleString("en")} uniform keys`, { group: `sortIndices ${n}` }, () => {
    sortIndices(uniformKeys, n, out);
  });
  Deno.bench(
    `sortIndices, ${n.toLocaleString("en")} heavy-tailed keys`,
    { group: `sortIndices ${n}` },
    () => {
      sortIndices(tailKeys, n, out);
    },
  );
}

const problem = zdt1();
Deno.bench("NSGA-II on ZDT1, pop 100, 25,100 evaluations", { group: "nsga2" }, () => {
  new NSGA2(problem, { popSize: 100, seed: 1 }).run({ maxEvaluations: 25_100 });
});
