/**
 * Records grouped for tables and plots, on hand-made records whose answers are derived by hand:
 * groupRecords, metricOf, metricValues, medianRun, convergenceSeries; comparisonTable given records
 * (the same table as given the values); plotConvergence given a Result, results or records.
 */
import assert from "node:assert/strict";
import type { AnyRunSpec, RunRecord, RunSpec } from "../lib/experiment/run.ts";
import {
  algorithmName,
  convergenceSeries,
  groupRecords,
  medianRun,
  metricOf,
  metricValues,
  problemName,
} from "../lib/experiment/group.ts";
import { comparisonTable } from "../lib/experiment/table.ts";
import { plotConvergence } from "../lib/plot/curves.ts";
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { getProblem } from "../lib/problems/mod.ts";
import { hypervolume } from "../lib/indicators/hypervolume.ts";

function rec(algorithm: string, problem: string, seed: number, HV: number, IGD = 1 - HV): RunRecord {
  const spec: RunSpec = { algorithm, problem, seed, maxEvaluations: 100 };
  return {
    spec,
    HV,
    IGD,
    front: [[HV, 1 - HV]],
    curve: [[10, HV / 2], [100, HV]],
    evaluations: 100,
    generations: 10,
    seconds: 0,
  };
}

// two algorithms × two problems × three seeds, HV chosen by hand
const records: RunRecord[] = [
  rec("A", "P1", 1, 0.5),
  rec("A", "P1", 2, 0.7),
  rec("A", "P1", 3, 0.6),
  rec("B", "P1", 1, 0.2),
  rec("B", "P1", 2, 0.3),
  rec("B", "P1", 3, 0.1),
  rec("A", "P2", 1, 0.9),
  rec("A", "P2", 2, 0.9),
  rec("A", "P2", 3, 0.8),
  rec("B", "P2", 1, 0.85),
  rec("B", "P2", 2, 0.9),
  rec("B", "P2", 3, 0.95),
];

Deno.test("groupRecords: groups in order of first appearance, records in their order", () => {
  const byAlgorithm = groupRecords(records, "algorithm");
  assert.deepEqual([...byAlgorithm.keys()], ["A", "B"]);
  assert.deepEqual(byAlgorithm.get("A")!.map((r) => r.HV), [0.5, 0.7, 0.6, 0.9, 0.9, 0.8]);
  assert.deepEqual([...groupRecords(records, "problem").keys()], ["P1", "P2"]);
  assert.deepEqual([...groupRecords(records, "seed").keys()], ["1", "2", "3"]);
  const high = groupRecords(records, (r) => (r.HV >= 0.5 ? "high" : "low"));
  assert.deepEqual([...high.keys()], ["high", "low"]);
  assert.equal(high.get("low")!.length, 3);
  assert.throws(() => groupRecords(records, "budget" as never), /cannot group by budget/);
});

Deno.test("metricOf and metricValues: HV, IGD, indicators and numeric details by name", () => {
  const r = {
    ...rec("A", "P1", 1, 0.5),
    indicators: { spread: 0.25 },
    details: { llmGenerations: 45, tag: "t" },
  };
  assert.equal(metricOf(r, "HV"), 0.5);
  assert.equal(metricOf(r, "IGD"), 0.5);
  assert.equal(metricOf(r, "generations"), 10);
  assert.equal(metricOf(r, "spread"), 0.25);
  assert.equal(metricOf(r, "llmGenerations"), 45);
  assert.throws(
    () => metricOf(r, "tag"),
    /record of A on P1 has no number "tag" \(it has HV, IGD, evaluations, generations, spread, llmGenerations\)/,
  );
  assert.deepEqual(metricValues(records, "HV"), {
    A: { P1: [0.5, 0.7, 0.6], P2: [0.9, 0.9, 0.8] },
    B: { P1: [0.2, 0.3, 0.1], P2: [0.85, 0.9, 0.95] },
  });
});

Deno.test("medianRun: the run at ⌊(n − 1)/2⌋ of the sorted runs, ties in their order", () => {
  const a1 = groupRecords(records, (r) => `${r.spec.algorithm} ${r.spec.problem}`);
  assert.equal(medianRun(a1.get("A P1")!).HV, 0.6); // 0.5 0.6 0.7
  assert.equal(medianRun(a1.get("A P2")!).spec.seed, 1); // 0.8 0.9(seed 1) 0.9(seed 2): the first 0.9
  assert.equal(medianRun(a1.get("A P1")!.slice(0, 2)).HV, 0.5); // even count: the lower middle
  assert.equal(medianRun(a1.get("A P1")!, "IGD").HV, 0.6);
  assert.throws(() => medianRun([]), /no records/);
});

Deno.test("convergenceSeries: one series per algorithm, every run's curve; a run without one is named", () => {
  const s = convergenceSeries(records.filter((r) => r.spec.problem === "P1"));
  assert.deepEqual(s.map((x) => x.label), ["A", "B"]);
  assert.deepEqual(s[1].runs[2], { x: [10, 100], y: [0.05, 0.1] });
  assert.throws(
    () => convergenceSeries([{ ...records[0], curve: [] }]),
    /the run of A on P1 \(seed 1\) has no curve: set curveEvery/,
  );
});

Deno.test("names of by-value specs: the factory's and the problem object's", () => {
  const problem = getProblem("ZDT2");
  const spec: AnyRunSpec = {
    algorithm: { name: "mine", create: (p) => new NSGA2(p) },
    problem,
    seed: 1,
    maxEvaluations: 100,
  };
  assert.equal(algorithmName(spec), "mine");
  assert.equal(problemName(spec), "ZDT2");
});

Deno.test("comparisonTable(records): the table of the values, metric by name, direction by default", () => {
  const fromRecords = comparisonTable(records, { metric: "HV", reference: "A" });
  const fromValues = comparisonTable(metricValues(records, "HV"), {
    reference: "A",
    higherIsBetter: true,
    algorithms: ["B", "A"],
    problems: ["P1", "P2"],
  });
  assert.deepEqual(fromRecords.cells, fromValues.cells);
  assert.deepEqual(fromRecords.table.rows, fromValues.table.rows);
  assert.deepEqual(fromRecords.table.columns, ["Problem", "B", "A"]); // the reference last
  // by hand: B on P1 (0.2 ± 0.1) is below A (0.6 ± 0.1); P2 means 0.9 vs 0.8667
  assert.ok(Math.abs(fromRecords.cells.P1.B.mean - 0.2) < 1e-12);
  assert.ok(Math.abs(fromRecords.cells.P2.A.mean - 2.6 / 3) < 1e-12);
  // IGD = 1 − HV here: lower is better by default, so the marks are those of HV
  const igd = comparisonTable(records, { metric: "IGD", reference: "A" });
  assert.deepEqual(igd.counts, fromRecords.counts);
  assert.throws(
    () => comparisonTable(records, { metric: "evaluations", reference: "A" }),
    /say whether a higher evaluations is better/,
  );
  assert.throws(
    () => comparisonTable(records, { metric: "HV", reference: "C" }),
    /no values for the reference C/,
  );
  assert.throws(
    () => comparisonTable(metricValues(records, "HV"), { reference: "A" } as never),
    /say whether higher values are better/,
  );
});

Deno.test("plotConvergence: a Result's tracked indicator, several results, run records", () => {
  const problem = getProblem("ZDT1", { nVar: 6 });
  const run = (seed: number) =>
    new NSGA2(problem, { popSize: 12, seed }).run({
      maxEvaluations: 120,
      indicator: (f) => hypervolume(f, [1.1, 1.1]),
    });
  const one = plotConvergence(run(1), { title: "one" });
  assert.match(one.svg, /NSGA-II on ZDT1/);
  const two = plotConvergence([run(1), run(2)]);
  assert.ok(two.svg.includes("NSGA-II on ZDT1"));
  const fromRecords = plotConvergence(records.filter((r) => r.spec.problem === "P2"));
  assert.match(fromRecords.svg, />A</);
  assert.match(fromRecords.svg, />B</);
  const untracked = new NSGA2(problem, { popSize: 12, seed: 1 }).run({ maxEvaluations: 24 });
  assert.throws(() => plotConvergence(untracked), /tracked no indicator \(run it with \{ indicator/);
  assert.throws(() => plotConvergence([]), /no series given/);
});
