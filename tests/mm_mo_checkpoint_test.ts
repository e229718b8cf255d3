import assert from "node:assert/strict";
import { parse } from "yaml";
import { Rng } from "../lib/core/rng.ts";
import {
  decode,
  encode,
  floatBitsToBF16,
  floatBitsToHalf,
  halfToFloatBits,
  SafetensorsReader,
  SafetensorsWriter,
  writeSafetensors,
} from "../lib/mm_mo/safetensors.ts";
import {
  Checkpoint,
  loadMLPSafetensors,
  mergeCheckpoints,
  saveMLPSafetensors,
} from "../lib/mm_mo/checkpoint.ts";
import { MERGE_METHODS, type MergeConfig, mergeModels, selectKth } from "../lib/mm_mo/merge.ts";
import { mergekitDocument, mergekitFiles, mergekitYAML, toYAML } from "../lib/mm_mo/mergekit.ts";
import type { MLP } from "../lib/mm_mo/mlp.ts";
import { chatEvaluator, parseLabel } from "../lib/mm_mo/chat_evaluator.ts";
import { OpenAIChatModel } from "../lib/llm/client.ts";

const f32bits = (x: number) => new Uint32Array(Float32Array.of(x).buffer)[0];

Deno.test("F16 and BF16: every bit pattern decodes and re-encodes bit-exactly; known values and rounding", () => {
  for (let h = 0; h < 65536; h++) {
    assert.equal(floatBitsToHalf(halfToFloatBits(h)), h, `F16 0x${h.toString(16)}`);
    assert.equal(floatBitsToBF16((h << 16) >>> 0), h, `BF16 0x${h.toString(16)}`);
  }
  // Through the array codecs too (raw bytes → values → raw bytes).
  const raw = new Uint8Array(new Uint16Array(Array.from({ length: 65536 }, (_, i) => i)).buffer);
  for (const dt of ["F16", "BF16"] as const) assert.deepEqual(encode(decode(raw, dt), dt), raw);
  const rng = new Rng(1);
  const raw32 = new Uint8Array(Uint32Array.from({ length: 4096 }, () => rng.int(2 ** 32)).buffer);
  assert.deepEqual(encode(decode(raw32, "F32"), "F32"), raw32);
  const raw64 = new Uint8Array(Float64Array.from({ length: 512 }, () => rng.normal()).buffer);
  assert.deepEqual(encode(decode(raw64, "F64"), "F64"), raw64);
  // Hand-derived: 1 = 0x3c00, 65504 = 0x7bff (largest), 2^-24 = 0x0001, 65520 rounds to ∞, 1 + 2^-11 ties to even 1.
  assert.equal(floatBitsToHalf(f32bits(1)), 0x3c00);
  assert.equal(floatBitsToHalf(f32bits(65504)), 0x7bff);
  assert.equal(floatBitsToHalf(f32bits(2 ** -24)), 0x0001);
  assert.equal(floatBitsToHalf(f32bits(2 ** -25)), 0x0000); // tie → even (0)
  assert.equal(floatBitsToHalf(f32bits(1.5 * 2 ** -24)), 0x0002); // tie → even (2)
  assert.equal(floatBitsToHalf(f32bits(65520)), 0x7c00);
  assert.equal(floatBitsToHalf(f32bits(1 + 2 ** -11)), 0x3c00);
  assert.equal(floatBitsToHalf(f32bits(1 + 3 * 2 ** -11)), 0x3c02);
  assert.equal(floatBitsToHalf(f32bits(-2)), 0xc000);
  // BF16: 1 = 0x3f80; 1 + 2^-8 ties to even (0x3f80), 1 + 3·2^-8 rounds up to 0x3f82.
  assert.equal(floatBitsToBF16(f32bits(1)), 0x3f80);
  assert.equal(floatBitsToBF16(f32bits(1 + 2 ** -8)), 0x3f80);
  assert.equal(floatBitsToBF16(f32bits(1 + 3 * 2 ** -8)), 0x3f82);
  // Against a brute-force nearest value over all finite halves for random floats.
  const halves = Array.from(
    { length: 0x7c00 },
    (_, h) => new Float32Array(new Uint32Array([halfToFloatBits(h)]).buffer)[0],
  );
  for (let t = 0; t < 300; t++) {
    const x = Math.fround(rng.random() * 70000 * (rng.random() < 0.3 ? 1e-4 : 1));
    let best = 0;
    for (let h = 1; h < halves.length; h++) {
      const d = Math.abs(halves[h] - x), db = Math.abs(halves[best] - x);
      if (d < db || (d === db && (h & 1) === 0)) best = h;
    }
    const got = floatBitsToHalf(f32bits(x));
    if (x <= 65504) assert.equal(got, best, `${x}`);
  }
});

Deno.test("safetensors: write and read round-trip bit-exactly per dtype; header checked, errors name file and tensor", async () => {
  const dir = await Deno.makeTempDir();
  const rng = new Rng(2);
  const tensors = (["F64", "F32", "F16", "BF16"] as const).map((dtype, i) => {
    const n = 3 * (i + 2);
    const bytes = n * { F64: 8, F32: 4, F16: 2, BF16: 2 }[dtype];
    const data = Uint8Array.from({ length: bytes }, () => rng.int(256));
    return { name: `layer.${i}.weight`, dtype, shape: [3, i + 2], data };
  });
  const path = `${dir}/a.safetensors`;
  await writeSafetensors(path, tensors, { note: "x" });
  const r = await SafetensorsReader.open(path);
  assert.deepEqual(r.header.metadata, { note: "x" });
  assert.equal(r.header.dataStart % 8, 0);
  for (const t of tensors) {
    assert.deepEqual(await r.readRaw(t.name), t.data);
    assert.deepEqual(r.info(t.name).shape, t.shape);
    // Values → bytes is exact too.
    assert.deepEqual(encode(await r.read(t.name), t.dtype), t.data);
  }
  await assert.rejects(() => r.readRaw("nope"), /a\.safetensors: no tensor "nope"/);
  r.close();
  // Rewriting what was read gives the same file, byte for byte.
  const r2 = await SafetensorsReader.open(path);
  const copy = `${dir}/copy.safetensors`;
  const w = await SafetensorsWriter.create(copy, r2.tensors, { note: "x" });
  for (const t of r2.tensors) await w.write(t.name, await r2.readRaw(t.name));
  w.close();
  r2.close();
  assert.deepEqual(await Deno.readFile(copy), await Deno.readFile(path));

  // Damaged files.
  const bytes = await Deno.readFile(path);
  const hl = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hl)));
  const withHeader = async (name: string, h: unknown, extra = 0) => {
    const json = new TextEncoder().encode(JSON.stringify(h));
    const len = new Uint8Array(8);
    new DataView(len.buffer).setBigUint64(0, BigInt(json.length), true);
    const data = bytes.subarray(8 + hl);
    const out = new Uint8Array(8 + json.length + data.length + extra);
    out.set(len);
    out.set(json, 8);
    out.set(data, 8 + json.length);
    await Deno.writeFile(`${dir}/${name}`, out);
    return `${dir}/${name}`;
  };
  const bad = structuredClone(header);
  bad["layer.1.weight"].data_offsets[1] += 4;
  await assert.rejects(
    async () => SafetensorsReader.open(await withHeader("off.safetensors", bad)),
    /off\.safetensors: tensor "layer\.1\.weight": data_offsets \[\d+, \d+\] hold 40 bytes, shape \[3,3\] of F32 needs 36/,
  );
  const hole = structuredClone(header);
  delete hole["layer.1.weight"];
  await assert.rejects(
    async () => SafetensorsReader.open(await withHeader("hole.safetensors", hole)),
    /hole\.safetensors: tensor "layer\.2\.weight" starts at \d+, expected \d+ \(a hole in the data\)/,
  );
  const dt = structuredClone(header);
  dt["layer.0.weight"].dtype = "I8";
  await assert.rejects(
    async () => SafetensorsReader.open(await withHeader("dt.safetensors", dt)),
    /dt\.safetensors: tensor "layer\.0\.weight": dtype "I8" is not one of/,
  );
  await assert.rejects(
    async () => SafetensorsReader.open(await withHeader("tail.safetensors", header, 8)),
    /tail\.safetensors: the tensors end at \d+, the data has \d+ bytes/,
  );
  const big = new Uint8Array(16);
  new DataView(big.buffer).setBigUint64(0, 1000n, true);
  await Deno.writeFile(`${dir}/len.safetensors`, big);
  await assert.rejects(
    () => SafetensorsReader.open(`${dir}/len.safetensors`),
    /len\.safetensors: header length 1000 exceeds/,
  );
  await Deno.writeFile(
    `${dir}/json.safetensors`,
    Uint8Array.of(4, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7b, 0x20, 0x20),
  );
  await assert.rejects(
    () => SafetensorsReader.open(`${dir}/json.safetensors`),
    /json\.safetensors: header is not UTF-8 JSON/,
  );
  // The writer refuses out-of-order or missing tensors.
  const w3 = await SafetensorsWriter.create(`${dir}/w.safetensors`, tensors);
  await assert.rejects(
    () => w3.write("layer.1.weight", tensors[1].data),
    /"layer\.1\.weight" written where "layer\.0\.weight" comes next/,
  );
  assert.throws(() => w3.close(), /closed before tensor "layer\.0\.weight" was written/);
  await Deno.remove(dir, { recursive: true });
});

function model(seed: number, shape = { dim: 300, hidden: 7, heads: [3, 2] }): MLP {
  const rng = new Rng(seed);
  const n = shape.dim * shape.hidden + shape.hidden + 5 * shape.hidden + 5;
  return { shape, params: Float64Array.from({ length: n }, () => rng.normal()) };
}

Deno.test("streaming merge of checkpoints equals the in-memory merge for every method (F64), sharded too", async () => {
  const dir = await Deno.makeTempDir();
  const base = model(1);
  const srcs = [2, 3, 4].map((s) => {
    const m = model(s);
    for (let j = 0; j < m.params.length; j++) m.params[j] = base.params[j] + 0.1 * m.params[j];
    return m;
  });
  await saveMLPSafetensors(`${dir}/base.safetensors`, base, "F64");
  for (const [i, m] of srcs.entries()) await saveMLPSafetensors(`${dir}/m${i}.safetensors`, m, "F64");
  // Model 2 as a sharded checkpoint: W1 and b1 in one shard, W2 and b2 in another.
  const r = await SafetensorsReader.open(`${dir}/m2.safetensors`);
  await Deno.mkdir(`${dir}/m2s`);
  const shard = async (file: string, names: string[]) => {
    const ts = [];
    for (const n of names) ts.push({ ...r.info(n), data: await r.readRaw(n) });
    await writeSafetensors(`${dir}/m2s/${file}`, ts);
  };
  await shard("model-00001-of-00002.safetensors", ["W1", "b1"]);
  await shard("model-00002-of-00002.safetensors", ["W2", "b2"]);
  r.close();
  await Deno.writeTextFile(
    `${dir}/m2s/model.safetensors.index.json`,
    JSON.stringify({
      metadata: {},
      weight_map: {
        W1: "model-00001-of-00002.safetensors",
        b1: "model-00001-of-00002.safetensors",
        W2: "model-00002-of-00002.safetensors",
        b2: "model-00002-of-00002.safetensors",
      },
    }),
  );
  assert.deepEqual((await Checkpoint.open(`${dir}/m2s`)).tensors.map((t) => t.name), [
    "W1",
    "b1",
    "W2",
    "b2",
  ]);
  const paths = [`${dir}/m0.safetensors`, `${dir}/m1.safetensors`, `${dir}/m2s`];
  for (const method of MERGE_METHODS) {
    const config: MergeConfig = {
      method,
      weights: [0.7, 1.2, 0.4],
      densities: [0.3, 0.6, 0.9],
      lambda: 1.7,
      seed: 5,
    };
    const report = await mergeCheckpoints(`${dir}/base.safetensors`, paths, config, `${dir}/out.safetensors`);
    const streamed = await loadMLPSafetensors(`${dir}/out.safetensors`);
    const inMemory = mergeModels(base, srcs, config);
    assert.deepEqual(streamed.params, inMemory.params, method);
    assert.equal(report.tensors, 4);
    let l1 = 0;
    for (let j = 0; j < base.params.length; j++) l1 += Math.abs(inMemory.params[j] - base.params[j]);
    assert.ok(Math.abs(report.deltaL1 - l1) < 1e-9 * l1, method);
    assert.equal(report.largestTensorBytes, 300 * 7 * 8);
  }
  // BF16 output: the in-memory merge rounded to BF16.
  const cfg: MergeConfig = { method: "dare_ties", weights: [1, 1, 1], densities: [0.5, 0.5, 0.5], seed: 1 };
  await mergeCheckpoints(`${dir}/base.safetensors`, paths, cfg, `${dir}/bf.safetensors`, { dtype: "BF16" });
  const bf = await loadMLPSafetensors(`${dir}/bf.safetensors`);
  const exact = mergeModels(base, srcs, cfg).params;
  const rounded = decode(encode(Float32Array.from(exact), "BF16"), "BF16");
  assert.deepEqual(bf.params, Float64Array.from(rounded));
  // Mismatched shapes are named.
  await saveMLPSafetensors(`${dir}/odd.safetensors`, model(9, { dim: 301, hidden: 7, heads: [3, 2] }), "F64");
  await assert.rejects(
    () =>
      mergeCheckpoints(`${dir}/base.safetensors`, [`${dir}/odd.safetensors`], {
        method: "linear",
        weights: [1],
      }, `${dir}/x.safetensors`),
    /odd\.safetensors: tensor "W1" has shape \[301,7\], the base \[300,7\]/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("streaming merge memory: the peak grows with the largest tensor, not with the checkpoint", async () => {
  const dir = await Deno.makeTempDir();
  const count = 32, size = 1 << 16; // 32 tensors of 64 Ki values (BF16: 128 KiB each, 4 MiB per file)
  const rng = new Rng(3);
  const specs = Array.from(
    { length: count },
    (_, i) => ({ name: `t${i}`, dtype: "BF16" as const, shape: [size] }),
  );
  for (const f of ["base", "a", "b"]) {
    const w = await SafetensorsWriter.create(`${dir}/${f}.safetensors`, specs);
    for (const s of specs) {
      await w.write(
        s.name,
        Float32Array.from({ length: size }, () => rng.random() - 0.5),
      );
    }
    w.close();
  }
  const report = await mergeCheckpoints(
    `${dir}/base.safetensors`,
    [`${dir}/a.safetensors`, `${dir}/b.safetensors`],
    { method: "ties", weights: [1, 1], densities: [0.5, 0.5] },
    `${dir}/out.safetensors`,
  );
  assert.equal(report.totalBytes, count * size * 2);
  assert.equal(report.bufferBytes, 72 * size); // 3 checkpoints · 16 B + output 16 B + TIES scratch 8 B
  // Decoded to float32, the three inputs would take 3 · 32 · 256 KiB = 24 MiB. The merge's buffers are
  // fixed: per checkpoint 8 B raw + 8 B decoded per value of the largest tensor, the output (8 + 8 B) and
  // TIES's float64 scratch: 3·16 + 16 + 8 = 72 B per value = 4.5 MiB. Allow 100 B per value.
  const whole = 3 * count * size * 4;
  const grew = report.externalPeak - report.externalBefore;
  assert.ok(grew < 100 * size && grew < whole / 4, `external grew by ${grew} bytes`);
  await Deno.remove(dir, { recursive: true });
});

/** mergekit's documented configuration rules for these methods, as data (docs/merge_methods, README). */
const MERGEKIT_SCHEMA = {
  topLevel: [
    "merge_method",
    "base_model",
    "models",
    "slices",
    "parameters",
    "dtype",
    "tokenizer_source",
    "out_dtype",
  ],
  dtypes: ["float32", "float16", "bfloat16"],
  methods: {
    linear: { baseModel: "optional", tensor: { weight: "required" }, global: ["normalize"] },
    task_arithmetic: {
      baseModel: "required",
      tensor: { weight: "required" },
      global: ["normalize", "lambda", "int8_mask", "rescale"],
    },
    ties: {
      baseModel: "required",
      tensor: { weight: "required", density: "optional" },
      global: ["normalize", "lambda", "int8_mask", "rescale"],
    },
    dare_linear: {
      baseModel: "required",
      tensor: { weight: "required", density: "optional" },
      global: ["normalize", "lambda", "int8_mask", "rescale"],
    },
    dare_ties: {
      baseModel: "required",
      tensor: { weight: "required", density: "optional" },
      global: ["normalize", "lambda", "int8_mask", "rescale"],
    },
  } as Record<string, { baseModel: string; tensor: Record<string, string>; global: string[] }>,
};

/** The violations of the schema rules by a parsed mergekit document (empty when it is accepted). */
function violations(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of Object.keys(doc)) if (!MERGEKIT_SCHEMA.topLevel.includes(k)) out.push(`unknown key ${k}`);
  const rule = MERGEKIT_SCHEMA.methods[doc.merge_method as string];
  if (!rule) return [...out, `unknown merge_method ${doc.merge_method}`];
  if (!MERGEKIT_SCHEMA.dtypes.includes(doc.dtype as string)) out.push(`dtype ${doc.dtype}`);
  if (rule.baseModel === "required" && typeof doc.base_model !== "string") out.push("base_model missing");
  const models = doc.models as { model?: unknown; parameters?: Record<string, unknown> }[];
  if (!Array.isArray(models) || models.length === 0) return [...out, "models missing"];
  for (const m of models) {
    if (typeof m.model !== "string") out.push("model without a name");
    if (m.model === doc.base_model) continue; // the base model needs no parameters
    const p = m.parameters ?? {};
    for (const [k, need] of Object.entries(rule.tensor)) {
      if (need === "required" && typeof p[k] !== "number") out.push(`${m.model}: ${k} missing`);
    }
    for (const k of Object.keys(p)) if (!(k in rule.tensor)) out.push(`${m.model}: unknown parameter ${k}`);
    if ("density" in p && !((p.density as number) > 0 && (p.density as number) <= 1)) {
      out.push(`density ${p.density}`);
    }
  }
  for (const k of Object.keys((doc.parameters as Record<string, unknown>) ?? {})) {
    if (!rule.global.includes(k)) out.push(`unknown global parameter ${k}`);
  }
  return out;
}

Deno.test("mergekit YAML: every method parses back to a document that follows mergekit's rules; λ kept exactly", () => {
  const refs = {
    base: "Qwen/Qwen1.5-7B",
    models: ["Qwen/Qwen1.5-7B-Chat", "abacusai/Liberated-Qwen1.5-7B", "./local model/x"],
  };
  for (const method of MERGE_METHODS) {
    const config: MergeConfig = { method, weights: [0.5, 0.25, 1], densities: [0.2, 0.5, 1], lambda: 2 };
    const yaml = mergekitYAML(config, refs, { comment: "MM-MO configuration\nseed 1" });
    const doc = parse(yaml) as Record<string, unknown>;
    assert.deepEqual(doc, mergekitDocument(config, refs) as Record<string, unknown>);
    const global = doc.parameters as Record<string, unknown>;
    assert.deepEqual(violations(doc), [], `${method}:\n${yaml}`);
    const params = (doc.models as { model: string; parameters?: { weight: number } }[]).filter((m) =>
      m.parameters
    );
    // λ folded into the weights when normalize is off, as the global lambda when it is on.
    if (method === "linear") assert.deepEqual(params.map((m) => m.parameters!.weight), [0.5, 0.25, 1]);
    else if (method === "ties") {
      assert.equal(global.lambda, 2);
      assert.equal(global.normalize, true);
    } else {
      assert.deepEqual(params.map((m) => m.parameters!.weight), [1, 0.5, 2]);
      assert.equal(global.lambda, undefined);
    }
  }
  // The checker rejects what mergekit would reject.
  assert.deepEqual(
    violations({
      merge_method: "dare_ties",
      models: [{ model: "a", parameters: { density: 2 } }],
      dtype: "int4",
    }),
    [
      "dtype int4",
      "base_model missing",
      "a: weight missing",
      "density 2",
    ],
  );
  assert.equal(toYAML({ a: "yes", b: "x: y", c: [] }), 'a: "yes"\nb: "x: y"\nc: []\n');
  assert.throws(
    () => mergekitYAML({ method: "ties", weights: [1] }, { base: "b", models: ["m"] }),
    /needs 1 densities/,
  );
});

Deno.test("selectKth: the rank-r element, as sorting gives it (ties and duplicates too)", () => {
  const rng = new Rng(8);
  for (let t = 0; t < 200; t++) {
    const n = 1 + rng.int(60);
    const a = Float64Array.from({ length: n }, () => rng.int(t % 2 === 0 ? 5 : 1000));
    const sorted = Float64Array.from(a).sort();
    const r = rng.int(n);
    assert.equal(selectKth(Float64Array.from(a), r), sorted[r]);
  }
  assert.throws(() => selectKth(new Float64Array(3), 3), /rank 3 of 3 values/);
});

Deno.test("parseLabel: every reply form (bare, sentence, punctuation, case, none, two labels, label inside a word)", () => {
  const labels = ["up", "down", "neutral", "none"];
  assert.equal(parseLabel("up", labels), "up");
  assert.equal(parseLabel("Answer: Down.", labels), "down");
  assert.equal(parseLabel("The price will go UP, not down", labels), "up");
  assert.equal(parseLabel("neutral\n", labels), "neutral");
  assert.equal(parseLabel("I cannot tell.", labels), null);
  assert.equal(parseLabel("upward", labels), null); // not a whole word
  assert.equal(parseLabel("none of the above", labels), "none");
  assert.equal(parseLabel("Yes", ["Yes", "No"]), "Yes");
  assert.equal(parseLabel("no.", ["Yes", "No"]), "No");
  assert.equal(parseLabel("Event: BGL:E70", ["BGL:E7", "BGL:E70"]), "BGL:E70");
});

Deno.test("chatEvaluator: asks a served merge through an OpenAI-compatible endpoint and scores per task", async () => {
  // A loopback endpoint that answers the label after "say " in the prompt, in a sentence; the model name
  // (the merged checkpoint's path) is echoed so the test can see which merge was asked.
  const asked: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const body = await req.json();
    asked.push(body.model);
    const prompt: string = body.messages.at(-1).content;
    const said = /say (\S+)/.exec(prompt)?.[1] ?? "nothing";
    return Response.json({
      id: "x",
      object: "chat.completion",
      created: 0,
      model: body.model,
      choices: [{
        index: 0,
        message: { role: "assistant", content: `The answer is ${said}.` },
        finish_reason: "stop",
      }],
      usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
    });
  });
  const baseURL = `http://127.0.0.1:${server.addr.port}/v1`;
  const tasks = [
    {
      name: "A",
      labels: ["up", "down"],
      examples: [{ prompt: "say up", answer: "up" }, { prompt: "say down", answer: "up" }],
    },
    { name: "B", labels: ["Yes", "No"], examples: [{ prompt: "say yes", answer: "Yes" }] },
  ];
  const released: string[] = [];
  const ev = chatEvaluator({
    prepare: (_x, id) => Promise.resolve({ path: `/merges/${id}`, deltaL1: 7 }),
    serve: (path) => new OpenAIChatModel({ baseURL, apiKey: "none", model: path, maxRetries: 0 }),
    release: (path) => void released.push(path),
    tasks,
  });
  const e = await ev(Float64Array.of(0.5), "cfg");
  assert.deepEqual(Array.from(e.accuracy), [0.5, 1]);
  assert.equal(e.deltaL1, 7);
  assert.deepEqual(asked, ["/merges/cfg", "/merges/cfg", "/merges/cfg"]);
  assert.deepEqual(released, ["/merges/cfg"]);
  assert.throws(
    () =>
      chatEvaluator({
        prepare: ev as never,
        serve: () => ({}) as never,
        tasks: [{ ...tasks[0], examples: [{ prompt: "", answer: "left" }] }],
      }),
    /task A, example 0: answer "left" is not a label/,
  );
  await server.shutdown();
});

Deno.test("mergekitFiles: one YAML per evaluated configuration, each parsing back to its configuration", () => {
  const problem = {
    config: (x: ArrayLike<number>): MergeConfig => ({
      method: "dare_ties",
      densities: [x[0], x[2]],
      weights: [x[1], x[3]],
      lambda: x[4],
    }),
  };
  const records = [{ x: [0.5, 0.25, 1, 0.75, 2], accuracy: [0.8, 0.7] }, {
    x: [0.1, 1, 0.2, 0, 1],
    accuracy: [0.5, 0.6],
  }];
  const files = mergekitFiles(problem, records, { base: "b", models: ["m1", "m2"] });
  assert.deepEqual(files.map((f) => f.id), ["0.5_0.25_1_0.75_2", "0.1_1_0.2_0_1"]);
  const doc = parse(files[0].yaml) as { models: { parameters?: { weight: number; density: number } }[] };
  assert.deepEqual(doc.models.map((m) => m.parameters), [undefined, { weight: 0.5, density: 0.5 }, {
    weight: 1.5,
    density: 1,
  }]);
  assert.match(files[1].yaml, /^# x = \(0\.1, 1, 0\.2, 0, 1\)\n# validation accuracies: 0\.5, 0\.6\n/);
});
