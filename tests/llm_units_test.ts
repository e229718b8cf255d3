/** Tests of the LLM layer's pure parts: tokens, prices, ledger, formats, cache, stand-ins. */
import assert from "node:assert/strict";
import { Rng } from "../lib/core/rng.ts";
import {
  CacheMissError,
  costOf,
  countChatTokens,
  countTokens,
  defaultStandIns,
  formatSolutions,
  Ledger,
  LLMError,
  numericStandIn,
  ParseError,
  parseInstructions,
  parseSolutions,
  priceOf,
  PRICES,
  readInstructionPrompt,
  readSolutionPrompt,
  requestedCount,
  requestKey,
  requestRng,
  ResponseCache,
  StandInRegistry,
  type StandInRequest,
  textCrossover,
  textMutate,
  textStandIn,
  tokenize,
  truncateTokens,
  validatePrices,
  vocabulary,
} from "../lib/llm/mod.ts";
import { PAPER_PROMPT } from "./_support.ts";

function request(model: string, content: string, seed?: number, temperature = 1): StandInRequest {
  return { model, messages: [{ role: "user", content }], temperature, seed, choice: 0 };
}

Deno.test("tokens: pieces rebuild the text; counting rule; truncation is a prefix", () => {
  const text = "solution: <start>0.322,0.947<end> optimization\n\nhello  world";
  assert.equal(tokenize(text).join(""), text);
  assert.equal(countTokens(""), 0);
  assert.equal(countTokens("hello"), 1);
  assert.equal(countTokens("optimization"), 2); // 12 letters: two pieces of at most 8
  assert.equal(countTokens("1234567"), 3); // digit groups of at most 3
  assert.equal(countTokens("0.322"), 3); // "0" "." "322"
  assert.equal(countTokens("a\n\nb"), 3);
  assert.equal(countChatTokens([{ role: "user", content: "hello" }]), 3 + 3 + 1);
  const cut = truncateTokens(text, 5);
  assert.ok(cut.truncated && text.startsWith(cut.text));
  assert.equal(countTokens(cut.text), 5);
  assert.deepEqual(truncateTokens("short reply", 10), { text: "short reply", truncated: false });
});

Deno.test("prices: data table is valid, stand-ins cost 0, dated snapshots resolve, unknown is undefined", () => {
  assert.equal(PRICES["moolab-numeric"].input, 0);
  assert.ok(PRICES["gpt-4o-mini"].source.startsWith("https://"));
  assert.equal(priceOf("gpt-4o-mini-2024-07-18"), PRICES["gpt-4o-mini"]);
  assert.equal(priceOf("gpt-4o-2024-08-06"), PRICES["gpt-4o"]);
  assert.equal(priceOf("no-such-model"), undefined);
  assert.equal(costOf("gpt-4o-mini", 1_000_000, 1_000_000), 0.75);
  assert.equal(costOf("no-such-model", 10, 10), undefined);
  assert.throws(
    () => validatePrices({ m: { input: -1, output: 0, source: "x", date: "d" } }),
    /"input" must be/,
  );
  assert.throws(() => validatePrices({ m: { input: 1, output: 2, date: "d" } }), /"source"/);
});

Deno.test("ledger: sums per operator and model, cached calls are not paid, unknown price is n/a", () => {
  const l = new Ledger("t");
  l.record({
    model: "gpt-4o-mini",
    operator: "llm reproduction",
    promptTokens: 1000,
    completionTokens: 100,
    cached: false,
  });
  l.record({
    model: "gpt-4o-mini",
    operator: "llm reproduction",
    promptTokens: 1000,
    completionTokens: 100,
    cached: true,
  });
  l.record({
    model: "moolab-text",
    operator: "mutation",
    promptTokens: 50,
    completionTokens: 5,
    cached: false,
  });
  const t = l.totals();
  assert.equal(t.calls, 3);
  assert.equal(t.cachedCalls, 1);
  assert.equal(t.totalTokens, 2255);
  assert.ok(Math.abs(t.cost! - 2 * (1000 * 0.15 + 100 * 0.6) / 1e6) < 1e-15);
  assert.ok(Math.abs(t.paid! - (1000 * 0.15 + 100 * 0.6) / 1e6) < 1e-15);
  assert.equal(l.byOperator()["mutation"].totalTokens, 55);
  assert.deepEqual(Object.keys(l.byModel()), ["gpt-4o-mini", "moolab-text"]);
  const shown = (l as unknown as Record<symbol, () => Record<string, string>>)
    [Symbol.for("Jupyter.display")]();
  assert.match(shown["text/html"], /<table>/);
  assert.match(l.table().toString(), /total/);
  l.record({ model: "mystery", promptTokens: 1, completionTokens: 1, cached: false });
  assert.equal(l.totals().cost, undefined);
  assert.match(l.table().toString(), /n\/a/);
  assert.throws(
    () => l.record({ model: "m", promptTokens: -1, completionTokens: 0, cached: false }),
    /promptTokens/,
  );
});

Deno.test("parseSolutions: exact dimension, finite numbers, count, bounds, clipping", () => {
  const reply = "Here you go:\n<start>0.1, 0.2,0.3<end>\n<START>[0.4,0.5,0.6]<END>\n<start>1e-1,-0,.5<end>";
  assert.deepEqual(parseSolutions(reply, { count: 2, dim: 3 }), [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]);
  assert.deepEqual(parseSolutions(reply, { count: 3, dim: 3 })[2], [0.1, -0, 0.5]);
  assert.throws(() => parseSolutions(reply, { count: 2, dim: 3, exact: true }), /exactly 2/);
  assert.throws(() => parseSolutions(reply, { count: 4, dim: 3 }), ParseError);
  assert.throws(() => parseSolutions(reply, { count: 1, dim: 4 }), /solution 1 has 3 values, expected 4/);
  assert.throws(
    () => parseSolutions("<start>0.1,abc<end>", { count: 1, dim: 2 }),
    /value 2: "abc" is not a finite number/,
  );
  assert.throws(() => parseSolutions("<start>0.1,NaN<end>", { count: 1, dim: 2 }), ParseError);
  assert.throws(() => parseSolutions("<start>0.1,1e999<end>", { count: 1, dim: 2 }), /not finite/);
  assert.throws(() => parseSolutions("<start>0.1,<end>", { count: 1, dim: 2 }), ParseError);
  assert.throws(() => parseSolutions("no tags at all", { count: 1, dim: 2 }), /no <start>…<end>/);
  assert.throws(
    () => parseSolutions("<start>1.5,0.2<end>", { count: 1, dim: 2, lower: 0, upper: 1 }),
    /outside \[0, 1\]/,
  );
  assert.deepEqual(
    parseSolutions("<start>1.5,-0.2<end>", { count: 1, dim: 2, lower: 0, upper: 1, clip: true }),
    [[1, 0]],
  );
  assert.deepEqual(
    parseSolutions("<start>1.5,5<end>", { count: 1, dim: 2, lower: [0, 0], upper: [1, 10], clip: true }),
    [[1, 5]],
  );
  assert.throws(() => parseSolutions("x", { count: 0, dim: 2 }), RangeError);
  assert.equal(formatSolutions([[0.1, 0.25]], 3), "<start>0.100,0.250<end>");
});

Deno.test("parseInstructions: tags required, non-empty, count", () => {
  assert.deepEqual(parseInstructions("<inst> Classify the text. </inst>"), ["Classify the text."]);
  assert.throws(() => parseInstructions("Classify the text."), /no <inst>/);
  assert.throws(() => parseInstructions("<inst>  </inst>"), /empty/);
  assert.throws(() => parseInstructions("<inst>a b</inst>", 2), /1 instruction/);
});

Deno.test("cache: keys cover the whole request; atomic entries; replay miss is loud; corrupt files are named", async () => {
  const dir = await Deno.makeTempDir({ prefix: "moolab-llm-cache-" });
  try {
    const base = {
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      temperature: 1,
      seed: 1,
      runId: "r",
    };
    const keys = new Set([
      requestKey(base),
      requestKey({ ...base, sampleId: "1" }),
      requestKey({ ...base, sampleId: "2" }),
      requestKey({ ...base, seed: 2 }),
      requestKey({ ...base, runId: "r2" }),
      requestKey({ ...base, temperature: 0.5 }),
      requestKey({ ...base, maxTokens: 10 }),
      requestKey({ ...base, model: "m2" }),
      requestKey({ ...base, messages: [{ role: "system", content: "hi" }] }),
    ]);
    assert.equal(keys.size, 9);
    assert.equal(requestKey(base), requestKey({ ...base }));
    const rec = new ResponseCache(dir, "auto");
    assert.equal(rec.lookup(base), undefined);
    const response = {
      text: "ok",
      finishReason: "stop",
      usage: { promptTokens: 3, completionTokens: 1 },
      model: "m",
      id: "x",
    };
    rec.write(base, response);
    assert.deepEqual(rec.lookup(base)?.response, response);
    assert.equal(rec.size(), 1);
    // no temporary files are left behind
    for (const d of Deno.readDirSync(dir)) {
      for (const f of Deno.readDirSync(`${dir}/${d.name}`)) assert.ok(f.name.endsWith(".json"), f.name);
    }
    const replay = new ResponseCache(dir, "replay");
    assert.equal(replay.lookup(base)?.response.text, "ok");
    assert.throws(
      () => replay.lookup({ ...base, sampleId: "9" }),
      (e) => e instanceof CacheMissError && /replay mode/.test(e.message),
    );
    assert.throws(() => replay.write(base, response), /replay mode/);
    assert.equal(new ResponseCache(dir, "record").lookup(base), undefined); // record always calls
    Deno.writeTextFileSync(rec.pathOf(requestKey(base)), '{"key": "trunc');
    assert.throws(
      () => rec.lookup(base),
      (e) => e instanceof LLMError && e.message.includes(rec.pathOf(requestKey(base))),
    );
    assert.throws(() => new ResponseCache(dir, "sometimes" as "auto"), /mode must be/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("numeric stand-in: reads the paper's prompt; count, dimension, bounds; deterministic given the seed", () => {
  const p = readSolutionPrompt(PAPER_PROMPT);
  assert.equal(p.examples.length, 4);
  assert.deepEqual(p.examples[0].x, [0.322, 0.947, 0.378, 0.583]);
  assert.deepEqual(p.examples.map((e) => e.f[0]), [5.483, 3.483, 1.374, 1.037]);
  assert.equal(p.count, 3);
  assert.equal(p.statedDim, 4);
  assert.equal(p.lower, 0);
  assert.equal(p.upper, 1);
  const a = numericStandIn.respond(
    request("moolab-numeric", PAPER_PROMPT, 7),
    requestRng(request("moolab-numeric", PAPER_PROMPT, 7)),
  );
  const b = numericStandIn.respond(
    request("moolab-numeric", PAPER_PROMPT, 7),
    requestRng(request("moolab-numeric", PAPER_PROMPT, 7)),
  );
  const c = numericStandIn.respond(
    request("moolab-numeric", PAPER_PROMPT, 8),
    requestRng(request("moolab-numeric", PAPER_PROMPT, 8)),
  );
  assert.equal(a, b);
  assert.notEqual(a, c);
  const xs = parseSolutions(a, { count: 3, dim: 4, lower: 0, upper: 1, exact: true });
  // every new solution lies near the convex hull of the examples (box of the examples ± noise)
  for (const x of xs) for (let d = 0; d < 4; d++) assert.ok(x[d] >= 0 && x[d] <= 1);
  // temperature 0: no noise, the rank-weighted mean (weights 1,2,3,4 from worst to best)
  const zero = request("moolab-numeric", PAPER_PROMPT, 1, 0);
  const mean = [0, 1, 2, 3].map((d) => [1, 2, 3, 4].reduce((s, w, i) => s + w * p.examples[i].x[d], 0) / 10);
  const x0 = parseSolutions(numericStandIn.respond(zero, requestRng(zero)), { count: 3, dim: 4 });
  for (const x of x0) for (let d = 0; d < 4; d++) assert.ok(Math.abs(x[d] - mean[d]) <= 0.0005 + 1e-12);
  // bounds are honoured even with wide noise
  const tight = PAPER_PROMPT.replace("in [0, 1]", "in [0.3, 0.6]").replace("three", "12");
  const xt = parseSolutions(numericStandIn.respond(request("moolab-numeric", tight, 3, 2), new Rng(3)), {
    count: 12,
    dim: 4,
  });
  for (const x of xt) for (const v of x) assert.ok(v >= 0.3 && v <= 0.6, String(v));
  // a stated dimension no example has: no <start> tag in the reply
  const wrong = PAPER_PROMPT.replace("4 dimensional", "10 dimensional");
  assert.match(
    numericStandIn.respond(request("moolab-numeric", wrong, 1), new Rng(1)),
    /^The prompt asks for 10-dimensional/,
  );
  assert.doesNotMatch(
    numericStandIn.respond(request("moolab-numeric", "no examples", 1), new Rng(1)),
    /<start>/,
  );
  // maximisation flips the ranks
  const max = readSolutionPrompt(
    "Maximize f. <start>1,2<end> obj_value: 3 <start>3,4<end> obj_value: 9 generate 2 solutions",
  );
  assert.equal(max.maximize, true);
  assert.equal(max.count, 2);
});

Deno.test("requestedCount: words and digits, first phrase with a count", () => {
  assert.equal(requestedCount(PAPER_PROMPT, "(?:new\\s+)?solutions?"), 3);
  assert.equal(requestedCount("Please generate 5 new candidate solutions.", "(?:new\\s+)?solutions?"), 5);
  assert.equal(requestedCount("generate improved solutions", "(?:new\\s+)?solutions?"), undefined);
  assert.equal(requestedCount("Write a new instruction", "(?:new\\s+)?instructions?"), 1);
});

const PARENT_A =
  "Definition: The input are sentences about a product or service. The task is to classify texts. " +
  "Here are some examples in the following.";
const PARENT_B = "Classify each review as positive or negative. Answer with one word.";

Deno.test("text stand-in: reads parents and operator; crossover recombines sentences; mutation uses own words", () => {
  const mutation =
    `Here is an instruction to be evolved: <inst>${PARENT_A}</inst>, its minimisation objective values are ` +
    `"(0.3, 120)". Mutate the definition by replacing a random word with a synonym. ` +
    `Please wrap the new instruction with <inst> and </inst> tags.`;
  const p = readInstructionPrompt(mutation);
  assert.deepEqual(p.parents, [PARENT_A]);
  assert.equal(p.operator, "mutation");
  assert.equal(p.edit, "substitution");
  const vocab = vocabulary([PARENT_A]);
  for (let s = 0; s < 20; s++) {
    const r = request("moolab-text", mutation, s);
    const [child] = parseInstructions(textStandIn.respond(r, requestRng(r)));
    assert.notEqual(child, PARENT_A);
    // every word of the child is a word of the parent (substitution from its own vocabulary)
    for (const w of child.match(/\p{L}{3,}/gu)!) assert.ok(vocab.includes(w.toLowerCase()), w);
    assert.equal(child.split(/\s+/).length, PARENT_A.split(/\s+/).length);
  }
  const cross =
    `Crossover the two instructions into a new one: <inst>${PARENT_A}</inst> and <inst>${PARENT_B}</inst>. ` +
    `Generate two new instructions, each wrapped in <inst> and </inst>.`;
  const q = readInstructionPrompt(cross);
  assert.equal(q.operator, "crossover");
  assert.equal(q.count, 2);
  const sentencesA = PARENT_A.split(/(?<=\.)\s+/), sentencesB = PARENT_B.split(/(?<=\.)\s+/);
  const r = request("moolab-text", cross, 4);
  const children = parseInstructions(textStandIn.respond(r, requestRng(r)), 2);
  for (const child of children) {
    const s = child.split(/(?<=\.)\s+/);
    assert.ok(s.some((x) => sentencesA.includes(x)) && s.some((x) => sentencesB.includes(x)), child);
    assert.ok(s.every((x) => sentencesA.includes(x) || sentencesB.includes(x)), child);
  }
  assert.match(
    textStandIn.respond(request("moolab-text", "Mutate this please.", 1), new Rng(1)),
    /^I found no instruction/,
  );
});

Deno.test("text operators: deletion, insertion, substitution, word-level crossover", () => {
  const rng = new Rng(5);
  const vocab = vocabulary([PARENT_B]);
  const del = textMutate(PARENT_B, "deletion", vocab, rng);
  assert.equal(del.split(/\s+/).length, PARENT_B.split(/\s+/).length - 1);
  const ins = textMutate(PARENT_B, "insertion", vocab, rng);
  assert.equal(ins.split(/\s+/).length, PARENT_B.split(/\s+/).length + 1);
  const sub = textMutate(PARENT_B, "substitution", vocab, rng);
  assert.equal(sub.split(/\s+/).length, PARENT_B.split(/\s+/).length);
  assert.notEqual(sub, PARENT_B);
  const child = textCrossover("classify the sentiment", "label each review now", false, new Rng(2));
  assert.ok(child.startsWith("classify"));
  assert.ok(/review|now/.test(child));
});

Deno.test("registry: pluggable, no duplicates; default has both stand-ins", () => {
  const reg = defaultStandIns();
  assert.deepEqual(reg.names(), ["moolab-numeric", "moolab-text"]);
  reg.register({
    name: "echo",
    description: "echo",
    fingerprint: "echo/1",
    respond: (r) => r.messages.at(-1)!.content,
  });
  assert.equal(reg.get("echo")?.respond(request("echo", "x"), new Rng(1)), "x");
  assert.throws(() => reg.register(numericStandIn), /already registered/);
  assert.throws(
    () => new StandInRegistry([{ name: "", description: "", fingerprint: "", respond: () => "" }]),
    TypeError,
  );
});
