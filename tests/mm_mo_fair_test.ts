import assert from "node:assert/strict";
import { Rng } from "../lib/core/rng.ts";
import { bestBySum, mmMO, type SearchRecord, weakToStrong } from "../lib/mm_mo/search.ts";
import { MergeProblem } from "../lib/mm_mo/problem.ts";
import {
  dedupeNormalized,
  normalizeText,
  sharedTexts,
  splitExamples,
  syntheticTasks,
} from "../lib/mm_mo/tasks.ts";
import { accuracy, trainMultitask, trainSources } from "../lib/mm_mo/mlp.ts";
import { cachedEvaluator, configId, EvaluationCache } from "../lib/mm_mo/evaluation.ts";

const tasks = syntheticTasks({ size: 400, dim: 256, seed: 2 });
const { base, experts } = trainSources(tasks, { hidden: 8, fineTuneEpochs: 6, fineTuneLr: 0.02 });
const problem = new MergeProblem(base, experts, tasks);
const opts = {
  seed: 3,
  initial: 6,
  batches: 3,
  q: 3,
  raw: 16,
  samples: 8,
  gp: { restarts: 1, iterations: 20 },
};

Deno.test("dedupeNormalized: one example per normalised text, conflicting texts dropped, no text in two splits", () => {
  const raw = {
    texts: ["Error 12 at x", "error 99 at X", "ok 1", "ok 2", "ok 3 z", "mixed 1", "mixed 2", "alone"],
    labels: ["E1", "E1", "E2", "E2", "E2", "E3", "E4", "E5"],
  };
  assert.equal(normalizeText("Error 12 at x"), "error 00 at x");
  const { examples, report } = dedupeNormalized(raw);
  assert.deepEqual(report, { rows: 8, distinct: 5, conflicting: 1, kept: 4 });
  assert.deepEqual(examples.texts, ["Error 12 at x", "ok 1", "ok 3 z", "alone"]);
  assert.deepEqual(examples.labels, ["E1", "E2", "E2", "E5"]);
  // Without deduplication a split shares texts; with it none.
  const many = {
    texts: Array.from({ length: 200 }, (_, i) => `line ${i} of event ${i % 20 < 10 ? "a" : "b"}${i % 7}`),
    labels: Array.from({ length: 200 }, (_, i) => `E${i % 7}`),
  };
  const leaky = splitExamples(many, 1);
  assert.ok(sharedTexts(leaky.test.texts, leaky.train.texts) > 0);
  const clean = splitExamples(dedupeNormalized(many).examples, 1);
  assert.equal(sharedTexts(clean.test.texts, clean.train.texts), 0);
  assert.equal(sharedTexts(clean.validation.texts, clean.train.texts), 0);
});

Deno.test("trainMultitask: one model better than each source on the tasks it was not fine-tuned on", () => {
  const multi = trainMultitask(base, tasks, { fineTuneEpochs: 6, fineTuneLr: 0.02 });
  const again = trainMultitask(base, tasks, { fineTuneEpochs: 6, fineTuneLr: 0.02 });
  assert.deepEqual(new Uint8Array(multi.params.buffer), new Uint8Array(again.params.buffer));
  tasks.forEach((t, k) => {
    const others = experts.filter((_, j) => j !== k);
    for (const e of others) assert.ok(accuracy(multi, k, t.test) > accuracy(e, k, t.test), `task ${k}`);
  });
});

Deno.test("authors' weak-to-strong: ranking by summed accuracy, crossover with one forced coordinate", () => {
  const rec = (acc: number[], l1: number): SearchRecord => ({ x: [0], accuracy: acc, deltaL1: l1, batch: 0 });
  // Record 2 has the best sum although record 0 is non-dominated through its small ΔL1.
  const records = [rec([0.5, 0.5], 0), rec([0.6, 0.6], 9), rec([0.9, 0.8], 9), rec([0.7, 0.7], 9)];
  assert.deepEqual(bestBySum(records, 3), [2, 3, 1]);
  const best = [[0.1, 0.1, 0.1], [0.9, 0.9, 0.9], [0.5, 0.5, 0.5]].map((v) => Float64Array.from(v));
  const a = Float64Array.from([0.33, 0.33, 0.33]);
  const rng = new Rng(5);
  for (let t = 0; t < 100; t++) {
    const u = weakToStrong(a, best, rng, 0.5, 0, "authors");
    // CR = 0: exactly one coordinate comes from the mutant.
    assert.equal(Array.from(u).filter((v, j) => v !== a[j]).length, 1);
  }
});

Deno.test("mmMO: authors' procedure (Q = 10 → DE → Fisher) differs from the pooled one; both seeded", async () => {
  const a1 = await mmMO(problem, opts);
  const a2 = await mmMO(problem, { ...opts, procedure: "authors" });
  const p1 = await mmMO(problem, { ...opts, procedure: "pooled" });
  assert.deepEqual(a1.records, a2.records);
  assert.notDeepEqual(a1.records.map((r) => r.x), p1.records.map((r) => r.x));
  assert.equal(a1.records.length, 15);
  await assert.rejects(() => mmMO(problem, { ...opts, procedure: "x" as "authors" }), /procedure "x"/);
  await assert.rejects(() => mmMO(problem, { ...opts, acquisitionQ: 2 }), /acquisitionQ 2/);
});

Deno.test("evaluation cache: an interrupted search resumes without re-scoring", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/merge_info.json`;
  const reference = await mmMO(problem, opts); // 6 + 3·3 = 15 evaluations
  // First run: the evaluator fails at its 9th call (a killed evaluation server).
  let calls = 0;
  const flaky = (x: Float64Array) => {
    if (++calls === 9) throw new Error("evaluator died");
    return problem.evaluate(x);
  };
  const c1 = cachedEvaluator(flaky, await EvaluationCache.open(path));
  await assert.rejects(() => mmMO(problem, { ...opts, evaluate: c1.evaluate }), /evaluator died/);
  assert.equal(c1.calls(), 9);
  // The file holds the 8 scored configurations.
  const stored = await EvaluationCache.open(path);
  assert.equal(stored.size, 8);
  // Resume: the 8 come from the cache, only the 7 others are evaluated; the result is the same.
  let resumedCalls = 0;
  const c2 = cachedEvaluator((x) => (resumedCalls++, problem.evaluate(x)), stored);
  const resumed = await mmMO(problem, { ...opts, evaluate: c2.evaluate });
  assert.equal(resumedCalls, 7);
  assert.equal(c2.hits(), 8);
  assert.deepEqual(resumed.records, reference.records);
  // A third run evaluates nothing.
  const c3 = cachedEvaluator(() => {
    throw new Error("must not be called");
  }, await EvaluationCache.open(path));
  assert.deepEqual((await mmMO(problem, { ...opts, evaluate: c3.evaluate })).records, reference.records);
  assert.equal(c3.hits(), 15);
  // IDs are exact; damaged files are named.
  assert.equal(configId([0.1, 1 / 3]), "0.1_0.3333333333333333");
  await Deno.writeTextFile(
    `${dir}/bad.json`,
    '[{"id": "1", "x": [2], "accuracy": [0.5], "deltaL1": 1, "evaluated": true}]',
  );
  await assert.rejects(
    () => EvaluationCache.open(`${dir}/bad.json`),
    /bad\.json: entry 0: id "1" does not match/,
  );
  await Deno.writeTextFile(`${dir}/trunc.json`, '[{"id": "1"');
  await assert.rejects(() => EvaluationCache.open(`${dir}/trunc.json`), /trunc\.json: not JSON/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("evaluation cache: a search process killed mid-search (SIGKILL) resumes without re-scoring", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/merge_info.json`;
  const lib = new URL("../lib/mm_mo/", import.meta.url).href;
  // The child runs the same seeded search with a slow evaluator behind the cache file.
  await Deno.writeTextFile(
    `${dir}/child.ts`,
    `import { syntheticTasks } from "${lib}tasks.ts";
import { trainSources } from "${lib}mlp.ts";
import { MergeProblem } from "${lib}problem.ts";
import { mmMO } from "${lib}search.ts";
import { cachedEvaluator, EvaluationCache } from "${lib}evaluation.ts";
const tasks = syntheticTasks({ size: 400, dim: 256, seed: 2 });
const { base, experts } = trainSources(tasks, { hidden: 8, fineTuneEpochs: 6, fineTuneLr: 0.02 });
const problem = new MergeProblem(base, experts, tasks);
const c = cachedEvaluator(async (x) => {
  await new Promise((r) => setTimeout(r, 300));
  return problem.evaluate(x);
}, await EvaluationCache.open(Deno.args[0]));
await mmMO(problem, { ...JSON.parse(Deno.args[1]), evaluate: c.evaluate });
`,
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      new URL("../deno.json", import.meta.url).pathname,
      `${dir}/child.ts`,
      path,
      JSON.stringify(opts),
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Kill it once 4 configurations are stored (of 15).
  let stored = 0, exited = false;
  child.status.then(() => (exited = true));
  for (let t = 0; t < 600 && stored < 4 && !exited; t++) {
    await new Promise((r) => setTimeout(r, 100));
    stored = await EvaluationCache.open(path).then((c) => c.size, () => 0);
  }
  if (exited) {
    const err = await new Response(child.stderr).text();
    assert.fail(`the child search ended before it was killed: ${err.slice(-800)}`);
  }
  child.kill("SIGKILL");
  const status = await child.status;
  await child.stderr.cancel();
  assert.equal(status.success, false);
  const cache = await EvaluationCache.open(path); // the file is complete: writes are atomic
  assert.ok(cache.size >= 4 && cache.size < 15, `${cache.size} stored`);
  const before = cache.size;
  let calls = 0;
  const c = cachedEvaluator((x) => (calls++, problem.evaluate(x)), cache);
  const resumed = await mmMO(problem, { ...opts, evaluate: c.evaluate });
  assert.equal(calls, 15 - before);
  assert.deepEqual(resumed.records, (await mmMO(problem, opts)).records);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("commandEvaluator: runs a program on the prepared merge, parses its JSON, names failures", async () => {
  const dir = await Deno.makeTempDir();
  const script = `${dir}/score.ts`;
  // A stand-in for OpenCompass: reads the merged checkpoint's header and answers from its tensor count.
  await Deno.writeTextFile(
    script,
    `import { SafetensorsReader } from "${new URL("../lib/mm_mo/safetensors.ts", import.meta.url).href}";
const r = await SafetensorsReader.open(Deno.args[0] + "/model.safetensors");
if (r.tensors.length === 0) Deno.exit(3);
console.log("loading…");
console.log(JSON.stringify({ accuracy: [r.tensors.length / 10, 0.5] }));
`,
  );
  const { mergeCheckpoints, saveMLPSafetensors } = await import("../lib/mm_mo/checkpoint.ts");
  const { commandEvaluator } = await import("../lib/mm_mo/evaluation.ts");
  const paths = [`${dir}/base.safetensors`, ...experts.map((_, k) => `${dir}/m${k}.safetensors`)];
  for (const [i, m] of [base, ...experts].entries()) await saveMLPSafetensors(paths[i], m, "BF16");
  const prepared: string[] = [];
  const prepare = async (x: Float64Array, id: string) => {
    await Deno.mkdir(`${dir}/${id}`, { recursive: true });
    const r = await mergeCheckpoints(
      paths[0],
      paths.slice(1),
      problem.config(x),
      `${dir}/${id}/model.safetensors`,
    );
    prepared.push(id);
    return { path: `${dir}/${id}`, deltaL1: r.deltaL1 };
  };
  const run = (args: string[]) => [Deno.execPath(), "run", "-A", ...args];
  const ev = commandEvaluator({ prepare, command: run([script]) });
  const x = problem.fromUnit([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  const e = await ev(x, "cfg1");
  assert.deepEqual(Array.from(e.accuracy), [0.4, 0.5]);
  assert.ok(e.deltaL1 > 0);
  assert.equal(await Deno.stat(`${dir}/cfg1`).then(() => true, () => false), false, "cleaned up");
  await Deno.writeTextFile(`${dir}/bad.ts`, 'console.log("{\\"accuracy\\": [2]}");');
  await assert.rejects(
    async () => await commandEvaluator({ prepare, command: run([`${dir}/bad.ts`]) })(x, "cfg2"),
    /on cfg2: "accuracy" must be a non-empty array of numbers in \[0, 1\]/,
  );
  await Deno.writeTextFile(`${dir}/fail.ts`, "Deno.exit(4);");
  await assert.rejects(
    async () => await commandEvaluator({ prepare, command: run([`${dir}/fail.ts`]) })(x, "cfg3"),
    /on cfg3: exit code 4/,
  );
  assert.deepEqual(prepared, ["cfg1", "cfg2", "cfg3"]);
  await Deno.remove(dir, { recursive: true });
});
