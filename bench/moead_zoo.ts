/**
 * The MOEA/D-DE family on the zoo's problems, batched pass against steady state, beside pagmo's
 * `moead` (issue 17, fidelity): mean HV over seeds, as notebook 01 scores it (`platemoHV`: PlatEMO's
 * normalisation, reference 1.1 × the true front's maximum) at population 100 (91 weight vectors for
 * the 3-objective UF8–10) and 10,000 evaluations.
 *
 * Columns: MOEA/D-DE and MOEA/D-DRA with `steadyState: false` (the batched pass, what every release
 * before issue 17 ran) and `true` (the default now, as Li & Zhang's original), MOEA/D-GEN (pagmo's
 * generational `moead_gen`; generational by design, so it has one column), and pagmo 2.18's `moead`
 * (steady state, Li & Zhang's MOEA/D-DE, default settings = ours) from `out/pagmo_bench fronts`
 * (`deno task bench:pagmo` builds it; needs Debian's libpagmo-dev). pagmo's final population is scored
 * by the same `platemoHV` against the same true front; its seeds are pagmo's own RNG, so only means
 * compare. pagmo has no `moead_gen` in 2.18.
 *
 *     deno run -A bench/moead_zoo.ts [--seeds 5] [--pagmo out/pagmo_moead_fronts.jsonl]
 *
 * Without `--pagmo`, runs `out/pagmo_bench fronts` when that binary exists, else leaves pagmo out.
 * Prints a markdown table (mean and standard deviation) and the raw HV (reference 1.1, 1.1) on ZDT1,
 * the figure of /work/shared/anchors/performance.md.
 */
import { parseArgs } from "node:util";
import { runOne, type RunSpec } from "../lib/experiment/run.ts";
import { platemoHV } from "../lib/indicators/normalize.ts";
import { hypervolume } from "../lib/indicators/hypervolume.ts";
import { getProblem } from "../lib/problems/mod.ts";
import type { Points } from "../lib/core/points.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { seeds: { type: "string", default: "5" }, pagmo: { type: "string" } },
});
const nSeeds = Number(values.seeds);
if (!Number.isInteger(nSeeds) || nSeeds < 1) throw new RangeError(`--seeds must be a positive integer`);
const seeds = Array.from({ length: nSeeds }, (_, i) => i + 1);
const problems = [
  "ZDT1",
  "ZDT2",
  "ZDT3",
  "ZDT4",
  "ZDT6",
  ...Array.from({ length: 10 }, (_, i) => `UF${i + 1}`),
];
const columns: { label: string; algorithm: string; options: Record<string, unknown> }[] = [
  { label: "DE batched", algorithm: "MOEA/D-DE", options: { steadyState: false } },
  { label: "DE steady", algorithm: "MOEA/D-DE", options: { steadyState: true } },
  { label: "DRA batched", algorithm: "MOEA/D-DRA", options: { steadyState: false } },
  { label: "DRA steady", algorithm: "MOEA/D-DRA", options: { steadyState: true } },
  { label: "GEN", algorithm: "MOEA/D-GEN", options: {} },
];

/** Mean and sample standard deviation. */
function stats(v: number[]): { mean: number; std: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std: sd };
}

const fronts = new Map<string, Points>();
const front = (p: string) => {
  let f = fronts.get(p);
  if (!f) fronts.set(p, f = getProblem(p).paretoFront!());
  return f;
};

const hv: Record<string, Record<string, number[]>> = {};
const rawZdt1: Record<string, number[]> = {};
for (const problem of problems) {
  for (const c of columns) {
    for (const seed of seeds) {
      const spec: RunSpec = {
        algorithm: c.algorithm,
        problem,
        seed,
        popSize: 100,
        maxEvaluations: 10_000,
        options: c.options,
      };
      const r = runOne(spec);
      if (r.evaluations > 10_000) {
        throw new Error(`${c.label} on ${problem} used ${r.evaluations} evaluations`);
      }
      ((hv[problem] ??= {})[c.label] ??= []).push(r.HV);
      if (problem === "ZDT1") (rawZdt1[c.label] ??= []).push(hypervolume(r.front, [1.1, 1.1]));
    }
  }
}

// pagmo's fronts: a file, or the binary's output.
let pagmoText: string | undefined;
if (values.pagmo) pagmoText = Deno.readTextFileSync(values.pagmo);
else {
  try {
    const out = new Deno.Command("out/pagmo_bench", { args: ["fronts", String(nSeeds)], stdout: "piped" })
      .outputSync();
    if (out.success) pagmoText = new TextDecoder().decode(out.stdout);
  } catch { /* no binary: pagmo left out */ }
}
const pagmoMs: number[] = [];
if (pagmoText) {
  for (const line of pagmoText.split("\n")) {
    if (!line.trim()) continue;
    const run = JSON.parse(line) as {
      problem: string;
      seed: number;
      evaluations: number;
      ms: number;
      F: number[][];
    };
    if (!problems.includes(run.problem) || !seeds.includes(run.seed)) continue;
    if (run.evaluations > 10_000) {
      throw new Error(`pagmo on ${run.problem} used ${run.evaluations} evaluations`);
    }
    const m = run.F[0].length;
    const pts: Points = { data: Float64Array.from(run.F.flat()), n: run.F.length, m };
    ((hv[run.problem] ??= {})["pagmo moead"] ??= []).push(platemoHV(pts, front(run.problem)));
    if (run.problem === "ZDT1") {
      (rawZdt1["pagmo moead"] ??= []).push(hypervolume(pts, [1.1, 1.1]));
      pagmoMs.push(run.ms);
    }
  }
}

const labels = [...columns.map((c) => c.label), ...(pagmoText ? ["pagmo moead"] : [])];
const fmt = (v: number[] | undefined) => {
  if (!v || v.length === 0) return "–";
  const s = stats(v);
  return `${s.mean.toFixed(4)} (${s.std.toFixed(4)})`;
};
console.log(
  `Mean HV (platemoHV, as notebook 01) over seeds ${seeds[0]}–${seeds.at(-1)}, population 100 ` +
    `(91 for UF8–10), 10,000 evaluations\n`,
);
console.log(`| problem | ${labels.join(" | ")} |`);
console.log(`|---|${labels.map(() => "---").join("|")}|`);
for (const p of problems) console.log(`| ${p} | ${labels.map((l) => fmt(hv[p]?.[l])).join(" | ")} |`);
const wins = (a: string, b: string) =>
  problems.filter((p) => stats(hv[p][a]).mean > stats(hv[p][b]).mean).length;
console.log(
  `\nsteady > batched on ${wins("DE steady", "DE batched")}/${problems.length} problems (DE), ` +
    `${wins("DRA steady", "DRA batched")}/${problems.length} (DRA)`,
);
console.log(
  `\nZDT1 raw HV (reference 1.1, 1.1), mean: ${labels.map((l) => `${l} ${fmt(rawZdt1[l])}`).join("; ")}`,
);
if (pagmoMs.length) {
  console.log(
    `pagmo moead ZDT1 wall time per run (median): ${
      pagmoMs.sort((a, b) => a - b)[pagmoMs.length >> 1].toFixed(1)
    } ms`,
  );
}
