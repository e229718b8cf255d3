import assert from "node:assert/strict";
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { MOEAD } from "../lib/algorithms/moead.ts";
import { zdt1 } from "../lib/problems/zdt.ts";
import { points } from "../lib/core/points.ts";
import { llmConfig, openLLM } from "../lib/llm/config.ts";
import {
  adaptiveRule,
  auxiliaryScore,
  buildPrompt,
  describeBounds,
  everyGenerationRule,
  llmSolutionGenerator,
  NSGA2LLM,
  paperRule,
  parseSolutionReply,
  promptMessages,
  recurringElites,
  replaceRecurring,
} from "../lib/nsga2_llm/mod.ts";
import { bytes } from "./_support.ts";

Deno.test("auxiliaryScore is −mean(finite crowding) + mean(front number)", () => {
  // front 1: (0,3), (1,1), (3,0) — crowding ∞, (3−0)/3 + (3−0)/3 = 2, ∞; front 2: (4,4) alone — ∞
  const F = points([0, 3, 1, 1, 3, 0, 4, 4], 2);
  assert.equal(auxiliaryScore(F), -2 + (1 + 1 + 1 + 2) / 4);
  // no finite crowding distance at all: d̄ = ∞
  assert.equal(auxiliaryScore(points([0, 1, 1, 0], 2)), -Infinity);
});

Deno.test("adaptiveRule: warm-up (zong ≤ 10), every 4th zong plain, else LLM unless now − pre < δ", () => {
  const rule = adaptiveRule({ delta: 0.1 });
  // generation g is the authors' zong g − 1
  const at = (generation: number, rise: number) => rule({ generation, score: 1 + rise, previousScore: 1 });
  assert.equal(at(11, 5), false, "warm-up: zong 10");
  assert.equal(at(12, 0.1), true, "zong 11");
  assert.equal(at(12, 0.0999), false);
  assert.equal(at(12, 0), false, "pre == now");
  assert.equal(at(13, 5), false, "zong 12 is divisible by 4: plain");
  assert.equal(at(14, -1), false);
  assert.equal(rule({ generation: 14, score: 1, previousScore: 0 }), true, "the reset (0, 1) calls the LLM");
  assert.equal(paperRule()({ generation: 2, score: 0.1, previousScore: 0 }), true, "no warm-up in Eq. 8");
  assert.equal(everyGenerationRule()({ generation: 12, score: 0, previousScore: 9 }), true);
  assert.equal(everyGenerationRule()({ generation: 11, score: 0, previousScore: 9 }), false);
  assert.throws(() => adaptiveRule({ delta: NaN }), /delta must be finite/);
});

Deno.test("recurringElites and replaceRecurring", () => {
  const pool = [4, 2, 4, 7, 2, 4, 1, 7];
  const rank = [0, 1, 0, 0, 0, 0, 0, 1], crowding = [0, 0, 0, 0, 0, 0, 0, 0];
  // 4 ×3, then 2 and 7 ×2 (2 has the better rank), then 1
  assert.deepEqual(Array.from(recurringElites(pool, 3, rank, crowding)), [4, 2, 7]);
  const { pool: out, replaced } = replaceRecurring(pool, [4, 2], 10, 3);
  assert.deepEqual(Array.from(out), [10, 11, 12, 7, 10, 11, 1, 7]);
  assert.equal(replaced, 5);
});

Deno.test("the prompt has the paper's four parts, and its solutions parse back", () => {
  const parts = buildPrompt({
    solutions: Float64Array.from([0.1, 0.2, 0.3, 0.4]),
    objectives: Float64Array.from([1, 2, 3, 4]),
    nVar: 2,
    nObj: 2,
    count: 3,
    lower: [0, -1],
    upper: [1, 1],
  });
  assert.equal(
    parts.context,
    "solution: <start>0.1 0.2<end>\nobj_value: 1 2\nsolution: <start>0.3 0.4<end>\nobj_value: 3 4",
  );
  assert.match(parts.identity, /^You are an expert in multi-objective optimization algorithms/);
  assert.match(
    parts.task,
    /2 dimensional decision vectors. Variable 1 lies in \[0, 1\]; variable 2 lies in \[-1, 1\]/,
  );
  assert.match(parts.output, /output three new solutions.*<start> and end with <end>/);
  const back = parseSolutionReply(parts.context, { count: 2, dim: 2, lower: [0, -1], upper: [1, 1] });
  assert.deepEqual(back, [[0.1, 0.2], [0.3, 0.4]]);
  assert.equal(promptMessages(parts).length, 2);
  assert.equal(describeBounds([0, 0, 0], [1, 1, 1]), "Every variable lies in [0, 1].");
  const bad = { objectives: new Float64Array(2), nVar: 2, nObj: 2, count: 1, lower: [0, 0], upper: [1, 1] };
  assert.throws(() => buildPrompt({ ...bad, solutions: new Float64Array(3) }), /not rows of 2/);
});

async function session() {
  const dir = await Deno.makeTempDir();
  const llm = await openLLM({ config: llmConfig({ loopback: true }), cacheDir: dir, runId: "test" });
  return { dir, llm };
}

Deno.test("NSGA-II-LLM over the loopback stand-in: seeded, cached, resumable, and refuses a sync run", async () => {
  const { dir, llm } = await session();
  try {
    const make = () =>
      new NSGA2LLM(new NSGA2(zdt1(), { seed: 3, popSize: 40 }), {
        generator: llmSolutionGenerator(llm.model("moolab-numeric"), { tag: "seed-3" }),
        rule: everyGenerationRule({ warmup: 2 }),
      });
    const a = make();
    const ra = await a.runAsync({ maxGenerations: 12 });
    // records for generations 2..12 (zong 1..11); the LLM when zong > 2: zong 3..11
    assert.equal(a.llmGenerations, 9);
    assert.equal(a.records.length, 11);
    const requests = llm.requests;
    assert.equal(requests, 9);
    assert.ok(llm.ledger.totals().calls >= 9);
    // the same seed replays from the cache: the same front, no new request
    const b = make();
    const rb = await b.runAsync({ maxGenerations: 12 });
    assert.deepEqual(bytes(rb.population.F), bytes(ra.population.F));
    assert.equal(llm.requests, requests);
    // interrupted at generation 6 and resumed from its saved state: the same front
    const c = make();
    await c.runAsync({ maxGenerations: 6 });
    const state = JSON.parse(JSON.stringify(c.toJSON()));
    const resumed = NSGA2LLM.fromJSON(zdt1(), state, {
      generator: llmSolutionGenerator(llm.model("moolab-numeric"), { tag: "seed-3" }),
      rule: everyGenerationRule({ warmup: 2 }),
    });
    const rc = await resumed.runAsync({ maxGenerations: 12 });
    assert.deepEqual(bytes(rc.population.F), bytes(ra.population.F));
    assert.equal(resumed.records.length, 11);
    // a synchronous run stops at the first LLM generation with a clear error
    assert.throws(
      () => make().run({ maxGenerations: 12 }),
      /needs asynchronous work \(an LLM call\); use runAsync/,
    );
  } finally {
    await llm.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("NSGA-II-LLM works around a base without a mating pool (MOEA/D: injection)", async () => {
  const { dir, llm } = await session();
  try {
    const algo = new NSGA2LLM(new MOEAD(zdt1(), { seed: 1, popSize: 20 }), {
      generator: llmSolutionGenerator(llm.model("moolab-numeric")),
      rule: everyGenerationRule({ warmup: 1 }),
    });
    const r = await algo.runAsync({ maxGenerations: 5 });
    assert.equal(algo.name, "MOEA/D-LLM");
    assert.equal(algo.llmGenerations, 3); // generations 3..5 (zong 2..4 > 1)
    assert.ok(r.front.n > 0);
    assert.match(algo.lastPrompt!.context, /^solution: <start>/);
  } finally {
    await llm.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("NSGA-II-LLM: a reply still malformed after the re-asks falls back to plain reproduction, recorded", async () => {
  const dir = await Deno.makeTempDir();
  const llm = await openLLM({
    config: llmConfig({ loopback: true }),
    cacheDir: dir,
    runId: "bad",
    server: { faults: () => ({ kind: "reply", content: "I would rather not: <start>0.1,0.2<end>" }) },
  });
  try {
    const algo = new NSGA2LLM(new NSGA2(zdt1(), { seed: 1, popSize: 8 }), {
      generator: llmSolutionGenerator(llm.model("moolab-numeric"), { reAsks: 2, operator: "bad" }),
      rule: everyGenerationRule({ warmup: 1 }),
    });
    const r = await algo.runAsync({ maxGenerations: 4 });
    assert.equal(r.generations, 4, "the run is not aborted");
    // generations 3 and 4 (zong 2, 3) asked the LLM, 3 replies each, none valid
    assert.equal(llm.requests, 6);
    assert.deepEqual(algo.records.map((x) => x.fallback), [false, true, true]);
    assert.equal(algo.fallbacks, 2);
    assert.equal(algo.llmGenerations, 0);
    const ops = llm.ledger.byOperator();
    assert.equal(ops["bad"].calls, 6);
    assert.equal(ops["bad · fallback"].calls, 2);
    assert.equal(ops["bad · fallback"].totalTokens, 0);
  } finally {
    await llm.close();
    await Deno.remove(dir, { recursive: true });
  }
});
