import assert from "node:assert/strict";
import { readCache, runMany, runOne, type RunSpec, specKey } from "../lib/experiment/run.ts";
import { compareRuns, mean, median, normalCdf, rankSum, std } from "../lib/experiment/stats.ts";
import { comparisonTable, num, sci, Table } from "../lib/experiment/table.ts";
import { checkPins } from "../lib/experiment/pins.ts";
import { countProgress } from "../lib/core/progress.ts";
import { algorithmNames, makeAlgorithm } from "../lib/algorithms/registry.ts";
import { zdt1 } from "../lib/problems/zdt.ts";

Deno.test("rankSum reproduces MATLAB's ranksum (exact and approximate)", () => {
  // MATLAB: ranksum(1:5, 6:10) = 0.0079 (exact); ranksum(1:10, 11:20) = 1.8267e-04 (approximate)
  const a = rankSum([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
  assert.equal(a.method, "exact");
  assert.ok(Math.abs(a.p - 2 / 252) < 1e-12);
  assert.equal(a.w, 15);
  const b = rankSum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  assert.equal(b.method, "approximate");
  assert.ok(Math.abs(b.p - 1.8267e-4) < 1e-8, `${b.p}`);
  // identical samples: no difference
  assert.equal(rankSum([1, 2, 3], [1, 2, 3]).p, 1);
  // ties force the approximate method with the tie-corrected variance
  assert.equal(rankSum([1, 1, 2], [2, 3, 3]).method, "approximate");
  assert.throws(() => rankSum([], [1]), /both samples need values/);
  assert.throws(() => rankSum([NaN], [1]), /x\[0\] is NaN/);
});

Deno.test("normalCdf, mean, std, median", () => {
  assert.ok(Math.abs(normalCdf(1.959963985) - 0.975) < 1e-7);
  assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-9);
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  assert.ok(Math.abs(std([2, 4, 4, 4, 5, 5, 7, 9]) - 2.138089935) < 1e-9);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
});

Deno.test("compareRuns marks +, − and = as PlatEMO does", () => {
  const good = [0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99];
  const bad = good.map((v) => v - 0.5);
  assert.equal(compareRuns(good, bad, true), "+");
  assert.equal(compareRuns(bad, good, true), "-");
  assert.equal(compareRuns(good, bad, false), "-");
  assert.equal(compareRuns(good, good, true), "=");
});

Deno.test("comparisonTable lays out mean (std) with marks and the +/−/= row", () => {
  const values = {
    A: { P1: [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9], P2: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5] },
    B: { P1: [2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8, 2.9], P2: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5] },
  };
  const { table, cells, counts } = comparisonTable(values, { reference: "B", higherIsBetter: true });
  assert.deepEqual(table.columns, ["Problem", "A", "B"]);
  assert.equal(cells.P1.A.mark, "-");
  assert.equal(cells.P2.A.mark, "=");
  assert.deepEqual(counts.A, [0, 1, 1]);
  assert.equal(table.rows[0][1], `${num(1.45)} (${num(std(values.A.P1), 2)}) -`);
  const platemo = comparisonTable(values, { reference: "B", higherIsBetter: true, format: "platemo" });
  assert.equal(platemo.table.rows[0][1], `${sci(1.45)} (${sci(std(values.A.P1), 2)}) -`);
  assert.deepEqual(table.rows[2], ["+/−/=", "0/1/1", ""]);
  assert.ok(table.bold.has("0,2"));
  const bundle = (table as unknown as Record<symbol, () => Record<string, string>>)
    [Symbol.for("Jupyter.display")]();
  assert.match(bundle["text/html"], /<b>2\.45 \(/);
  assert.match(bundle["text/markdown"], /\| P1 \| 1\.45 \(/);
  assert.throws(() => new Table(["a", "b"], [["1"]]), /row 0 has 1 cells, the header has 2/);
  assert.throws(() => comparisonTable(values, { reference: "C", higherIsBetter: true }), /reference C/);
});

Deno.test("registry: every algorithm runs by name on ZDT1", () => {
  for (const name of algorithmNames) {
    const opts: Record<string, unknown> = { popSize: 20, seed: 1 };
    if (name === "R-NSGA-II") opts.refPoints = [[0.3, 0.5]];
    const r = makeAlgorithm(name, zdt1(), opts).run({ maxEvaluations: 400 });
    assert.ok(r.front.n > 0, name);
    assert.ok(r.evaluations <= 400, name);
  }
  assert.throws(() => makeAlgorithm("NSGA-IV", zdt1()), /unknown algorithm "NSGA-IV"; known: NSGA-II/);
});

Deno.test("runMany in workers equals runOne inline, and the cache resumes", async () => {
  const specs: RunSpec[] = [1, 2, 3].flatMap((seed) => [
    { algorithm: "NSGA-II", problem: "ZDT1", seed, maxEvaluations: 1000, popSize: 20, curveEvery: 10 },
    { algorithm: "MOEA/D", problem: "ZDT2", seed, maxEvaluations: 1000, popSize: 20 },
  ]);
  const inline = specs.map(runOne);
  const dir = Deno.makeTempDirSync();
  const cache = `${dir}/runs.jsonl`;
  let calls = 0;
  const parallel = await runMany(specs, { workers: 2, cache, onRecord: () => void calls++ });
  assert.equal(calls, specs.length);
  for (let i = 0; i < specs.length; i++) {
    assert.equal(parallel[i].HV, inline[i].HV);
    assert.equal(parallel[i].IGD, inline[i].IGD);
    assert.deepEqual(parallel[i].front, inline[i].front);
  }
  assert.ok(inline[0].curve.length >= 5 && inline[0].curve.at(-1)![0] === 1000);
  // a second call reads everything from the cache: no run, same records
  calls = 0;
  const again = await runMany(specs, { cache, onRecord: () => void calls++ });
  assert.equal(calls, 0);
  assert.deepEqual(again.map((r) => r.HV), inline.map((r) => r.HV));
  // records of other library code are not reused
  const text = Deno.readTextFileSync(cache);
  Deno.writeTextFileSync(cache, text.replaceAll(/"library":"[0-9a-f]+"/g, '"library":"0000"'));
  calls = 0;
  await runMany(specs.slice(0, 2), { cache, workers: 1, onRecord: () => void calls++ });
  assert.equal(calls, 2);
  Deno.writeTextFileSync(cache, text);
  // a truncated last line (a crash mid-write) is ignored; a broken line in the middle is an error
  Deno.writeTextFileSync(cache, '{"spec": {"algor', { append: true });
  assert.equal(readCache(cache).size, specs.length);
  Deno.writeTextFileSync(cache, "\n" + JSON.stringify(inline[0]) + "\n", { append: true });
  assert.throws(() => readCache(cache), /runs\.jsonl, line 7/);
  assert.equal(
    specKey({ seed: 1, algorithm: "A", problem: "P", maxEvaluations: 1 }),
    specKey({
      algorithm: "A",
      problem: "P",
      seed: 1,
      maxEvaluations: 1,
    }),
  );
  // a failing run names its spec
  await assert.rejects(
    runMany([{ algorithm: "NSGA-II", problem: "ZDT1", seed: 1, maxEvaluations: 10, popSize: 20 }, specs[0]], {
      workers: 2,
    }),
    /"algorithm":"NSGA-II".*below the initial population/,
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("checkPins writes on request, passes on equal values, and names every difference", () => {
  const dir = Deno.makeTempDirSync();
  const values = { "HV NSGA-II ZDT1": 0.7, "mark MOEA/D ZDT1": "+" };
  assert.throws(() => checkPins("nb", values, { dir }), /no pinned results at .*nb\.quick\.json/);
  Deno.env.set("MOOLAB_UPDATE_PINS", "1");
  try {
    assert.equal(checkPins("nb", values, { dir }).updated, true);
  } finally {
    Deno.env.delete("MOOLAB_UPDATE_PINS");
  }
  assert.equal(checkPins("nb", values, { dir }).checked, 2);
  assert.equal(checkPins("nb", { ...values, "HV NSGA-II ZDT1": 0.7 + 1e-12 }, { dir }).checked, 2);
  assert.throws(
    () => checkPins("nb", { "HV NSGA-II ZDT1": 0.71, "mark MOEA/D ZDT1": "=", extra: 1 }, { dir }),
    /3 result\(s\) differ[\s\S]*HV NSGA-II ZDT1: computed 0\.71, pinned 0\.7[\s\S]*mark MOEA\/D ZDT1: computed =, pinned \+[\s\S]*extra: computed 1 but not pinned/,
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("countProgress: one line rewritten in place, or one display updated, ending at total", async () => {
  let out = "";
  const line = countProgress({ write: (t) => (out += t), interval: 0, label: "zoo" });
  for (let d = 1; d <= 4; d++) line(null, d, 4);
  assert.equal(out.split("\n").length - 1, 1);
  assert.match(out, /\rzoo: 4\/4 \(100%\) · \d+ s\n$/);
  const shown: { id: string; update?: boolean; text: string }[] = [];
  const viaDisplay = countProgress({
    interval: 0,
    display: (b, o) =>
      Promise.resolve(void shown.push({ id: o.display_id, update: o.update, text: b["text/plain"] })),
  });
  for (let d = 1; d <= 3; d++) await viaDisplay(null, d, 3);
  assert.deepEqual(shown.map((s) => s.update), [false, true, true]);
  assert.equal(new Set(shown.map((s) => s.id)).size, 1);
  assert.match(shown[2].text, /^runs: 3\/3 \(100%\)/);
});
