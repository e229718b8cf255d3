import assert from "node:assert/strict";
import { csvObjects, parseCsv, parseCsvRecords } from "../lib/csv.ts";
import { hashFeatures, tokenize } from "../lib/mm_mo/features.ts";
import {
  loadTasks,
  mostFrequent,
  parseHeadlines,
  parseOverruling,
  syntheticTasks,
} from "../lib/mm_mo/tasks.ts";
import {
  accuracy,
  decodeMLP,
  encodeMLP,
  initMLP,
  layout,
  loadMLP,
  saveMLP,
  trainMLP,
  trainSources,
} from "../lib/mm_mo/mlp.ts";
import { deltaL1, mergeModels, sparsifiedTaskVectors } from "../lib/mm_mo/merge.ts";
import type { MLP } from "../lib/mm_mo/mlp.ts";

const small = { size: 600, dim: 256, seed: 3 };

Deno.test("CSV: quotes, doubled quotes, newlines in quotes, CRLF; ragged rows and missing columns named", () => {
  const { records } = parseCsvRecords('a,b\r\n"x, y","he said ""hi"""\n"multi\nline",2\n', "t.csv");
  assert.deepEqual(records, [["a", "b"], ["x, y", 'he said "hi"'], ["multi\nline", "2"]]);
  assert.throws(() => parseCsvRecords('a,"b\n', "bad.csv"), /bad\.csv: record 1.*unterminated quote/);
  assert.throws(
    () => parseCsv("a,b\n1\n", "short.csv"),
    /short\.csv: row 1 \(line 2\) has 1 fields, the header has 2/,
  );
  assert.throws(
    () => csvObjects(parseCsv("a,b\n1,2\n", "cols.csv"), ["Content"]),
    /cols\.csv: missing column Content/,
  );
  assert.deepEqual(csvObjects(parseCsv("a,b\n1,2\n", "ok.csv"), ["a"]), [{ a: "1", b: "2" }]);
});

Deno.test("hashFeatures: deterministic unit-length rows of the given dimension", () => {
  assert.deepEqual(tokenize("Gold up 12.5%!"), ["gold", "up", "00", ".", "0", "%", "!"]);
  const X = hashFeatures(["gold rises", "gold falls sharply", "gold rises"], { dim: 64 });
  assert.equal(X.n, 3);
  for (let r = 0; r < 3; r++) {
    let s = 0;
    for (let e = X.indptr[r]; e < X.indptr[r + 1]; e++) {
      assert.ok(X.indices[e] >= 0 && X.indices[e] < 64);
      s += X.values[e] ** 2;
    }
    assert.ok(Math.abs(s - 1) < 1e-12);
  }
  assert.deepEqual(
    Array.from(X.indices.subarray(X.indptr[0], X.indptr[1])),
    Array.from(X.indices.subarray(X.indptr[2], X.indptr[3])),
  );
});

Deno.test("task parsers: clear errors for malformed files", () => {
  assert.throws(
    () => parseHeadlines('"Q: gold\nA:",sideways,1\n', "h.csv"),
    /h\.csv: record 1, column 2: label "sideways"/,
  );
  assert.throws(() => parseHeadlines('"Q: gold\nA:",up\n', "h.csv"), /h\.csv: record 1 has 2 fields/);
  const ok = parseHeadlines('"Q: Gold up\nA:",up,1\n"Q: Gold down\nA:",down,2\n', "h.csv");
  assert.deepEqual(ok, { texts: ["Gold up", "Gold down"], labels: ["up", "down"] });
  assert.throws(
    () => parseOverruling("query,content,ref_answer\nq,text,Maybe\n", "o.csv"),
    /o\.csv: record 2, column ref_answer/,
  );
  const m = mostFrequent({ texts: ["a", "b", "c", "d"], labels: ["x", "y", "y", "z"] }, 2);
  assert.deepEqual(m.labels, ["x", "y", "y"]);
});

Deno.test("syntheticTasks and loadTasks(synthetic): seeded, three tasks with splits", async () => {
  const a = syntheticTasks(small), b = syntheticTasks(small);
  assert.equal(a.length, 3);
  assert.deepEqual(a.map((t) => t.labels.length), [4, 2, 6]);
  assert.deepEqual(a[0].train.y, b[0].train.y);
  assert.deepEqual(a[2].test.X.values, b[2].test.X.values);
  assert.equal(a[0].train.X.n + a[0].validation.X.n + a[0].test.X.n, 600);
  const loaded = await loadTasks({ source: "synthetic", ...small });
  assert.equal(loaded.source, "synthetic");
});

Deno.test("trainMLP: the same seed gives the same weights byte for byte; training learns", () => {
  const tasks = syntheticTasks(small);
  const shape = { dim: 256, hidden: 8, heads: tasks.map((t) => t.labels.length) };
  const init = initMLP(shape, 5);
  const data = [{ task: tasks[0], head: 0 }];
  const a = trainMLP(init, data, { epochs: 8, seed: 9, lr: 0.02 });
  const b = trainMLP(init, data, { epochs: 8, seed: 9, lr: 0.02 });
  const c = trainMLP(init, data, { epochs: 8, seed: 10, lr: 0.02 });
  assert.deepEqual(new Uint8Array(a.params.buffer), new Uint8Array(b.params.buffer));
  assert.notDeepEqual(a.params, c.params);
  assert.ok(accuracy(a, 0, tasks[0].validation) > accuracy(init, 0, tasks[0].validation) + 0.2);
  // Heads of other tasks are untouched by fine-tuning on task 0 (task-masked softmax).
  const { tensors, headOffset } = layout(shape);
  const W2 = tensors[2].offset;
  const o1 = W2 + headOffset[1] * 8;
  assert.deepEqual(a.params.subarray(o1, o1 + 8 * 8), init.params.subarray(o1, o1 + 8 * 8));
});

Deno.test("trainSources: fine-tuned models improve their own task over the base", () => {
  const tasks = syntheticTasks(small);
  const { base, experts } = trainSources(tasks, { hidden: 8, fineTuneEpochs: 8, fineTuneLr: 0.02 });
  experts.forEach((e, k) =>
    assert.ok(accuracy(e, k, tasks[k].validation) > accuracy(base, k, tasks[k].validation))
  );
});

Deno.test("encodeMLP/decodeMLP and saveMLP/loadMLP round trip exactly; bad files are named", async () => {
  const m = initMLP({ dim: 16, hidden: 3, heads: [2, 3] }, 1);
  const { model, meta } = decodeMLP(encodeMLP(m, { note: "x" }));
  assert.deepEqual(model.shape, m.shape);
  assert.deepEqual(model.params, m.params);
  assert.deepEqual(meta, { note: "x" });
  const path = await Deno.makeTempFile({ suffix: ".mlp" });
  try {
    await saveMLP(path, m);
    const back = await loadMLP(path);
    assert.deepEqual(new Uint8Array(back.model.params.buffer), new Uint8Array(m.params.buffer));
  } finally {
    await Deno.remove(path);
  }
  assert.throws(() => decodeMLP(new Uint8Array(12), "junk.mlp"), /junk\.mlp: not a moolab model file/);
  const bytes = encodeMLP(m);
  assert.throws(
    () => decodeMLP(bytes.subarray(0, bytes.length - 8), "cut.mlp"),
    /cut\.mlp: .* bytes, expected/,
  );
});

function tiny(values: number[]): MLP {
  return { shape: { dim: 1, hidden: 1, heads: [2] }, params: Float64Array.from(values) };
}

Deno.test("merge methods: definitions on hand-made vectors", () => {
  // Layout for dim 1, hidden 1, heads [2]: W1 (1), b1 (1), W2 (2), b2 (2) = 6 parameters.
  const base = tiny([0, 0, 0, 0, 0, 0]);
  const a = tiny([1, -2, 0.5, 0, 0, 1]);
  const b = tiny([3, 2, -0.5, 0, 1, 0]);
  const lin = mergeModels(base, [a, b], { method: "linear", weights: [1, 3] });
  assert.deepEqual(Array.from(lin.params), [2.5, 1, -0.25, 0, 0.75, 0.25]);
  const ta = mergeModels(base, [a, b], { method: "task_arithmetic", weights: [1, 1], lambda: 0.5 });
  assert.deepEqual(Array.from(ta.params), [2, 0, 0, 0, 0.5, 0.5]);
  // TIES at density 1: elected sign of the sum (+ when the sum is 0, as mergekit); mean over the
  // agreeing models (normalize). Entry 1: −2 + 2 = 0 → + → 2; entry 2: 0.5 − 0.5 = 0 → + → 0.5.
  const ties = mergeModels(base, [a, b], { method: "ties", weights: [1, 1], densities: [1, 1] });
  assert.deepEqual(Array.from(ties.params), [2, 2, 0.5, 0, 1, 1]);
  // λ scales the merged task vector after the normalisation.
  const ties2 = mergeModels(base, [a, b], { method: "ties", weights: [1, 1], densities: [1, 1], lambda: 2 });
  assert.deepEqual(Array.from(ties2.params), [4, 4, 1, 0, 2, 2]);
  // DARE-TIES at density 1: sum of the agreeing weighted entries (normalize off).
  const dt = mergeModels(base, [a, b], { method: "dare_ties", weights: [0.5, 1], densities: [1, 1] });
  assert.deepEqual(Array.from(dt.params), [3.5, 2, -0.5, 0, 1, 0.5]);
  assert.equal(deltaL1(dt, base), 7.5);
  assert.throws(() => mergeModels(base, [a, b], { method: "ties", weights: [1, 1] }), /needs 2 densities/);
  assert.throws(
    () => mergeModels(base, [a], { method: "linear", weights: [1, 1] }),
    /2 weights for 1 models/,
  );
});

Deno.test("TIES trims to the top-d fraction per tensor; DARE drops seeded and rescales by 1/d", () => {
  const n = 4000;
  const shape = { dim: n / 2, hidden: 1, heads: [2] }; // W1 2000, b1 1, W2 2, b2 2
  const size = layout(shape).size;
  const base: MLP = { shape, params: new Float64Array(size) };
  const e: MLP = { shape, params: Float64Array.from({ length: size }, (_, i) => (i % 7) - 3 + i * 1e-6) };
  const [t] = sparsifiedTaskVectors(base, [e], { method: "ties", weights: [1], densities: [0.3] });
  const nz = Array.from(t.subarray(0, n / 2)).filter((v) => v !== 0).length;
  assert.equal(nz, Math.round(0.3 * (n / 2)));
  const [d1] = sparsifiedTaskVectors(base, [e], { method: "dare", weights: [1], densities: [0.5], seed: 4 });
  const [d2] = sparsifiedTaskVectors(base, [e], { method: "dare", weights: [1], densities: [0.5], seed: 4 });
  const [d3] = sparsifiedTaskVectors(base, [e], { method: "dare", weights: [1], densities: [0.8], seed: 4 });
  assert.deepEqual(d1, d2);
  for (let i = 0; i < size; i++) {
    if (d1[i] !== 0) {
      assert.ok(Math.abs(d1[i] - 2 * e.params[i]) < 1e-12);
      assert.notEqual(d3[i] === 0 && e.params[i] !== 0, true, "masks nested: kept at 0.5 ⇒ kept at 0.8");
    }
  }
  const kept = Array.from(d1).filter((v) => v !== 0).length /
    Array.from(e.params).filter((v) => v !== 0).length;
  assert.ok(Math.abs(kept - 0.5) < 0.05);
});
