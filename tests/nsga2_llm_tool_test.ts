import assert from "node:assert/strict";
import { BudgetExceededError, cappedModel, describeCost, estimateCost, spent } from "../lib/llm/budget.ts";
import { llmConfig, openLLM } from "../lib/llm/config.ts";
import { startLoopbackServer } from "../lib/llm/server.ts";
import { callBounds, main, parseSeeds } from "../tools/nsga2_llm.ts";

Deno.test("estimateCost: tokens at the price table's rate; an unknown model gives tokens only", () => {
  // gpt-4o-mini: $0.15 per million prompt tokens, $0.60 per million completion tokens
  const e = estimateCost("gpt-4o-mini", { calls: 10, promptTokens: 2e6, completionTokens: 1e6 });
  assert.ok(Math.abs(e.dollars! - (2 * 0.15 + 0.6)) < 1e-12);
  assert.match(describeCost(e), /^10 calls, 2000000 prompt \+ 1000000 completion tokens, \$0\.9000/);
  const u = estimateCost("qwen-plus", { calls: 1, promptTokens: 5, completionTokens: 5 });
  assert.equal(u.dollars, undefined);
  assert.match(describeCost(u), /no price .* tokens only/);
  assert.throws(
    () => estimateCost("x", { calls: -1, promptTokens: 0, completionTokens: 0 }),
    /calls must be/,
  );
});

Deno.test("callBounds and seeds: the authors' rule's floor and ceiling, derived by hand", () => {
  // 10,000 evaluations: zong 1..99; floor every odd zong after 10 (45), ceiling all 67 eligible
  assert.deepEqual(callBounds(10_000), { floor: 45, ceiling: 67 });
  // 1,600: zong 1..15: floor 11, 13, 15; ceiling 11, 13, 14, 15
  assert.deepEqual(callBounds(1_600), { floor: 3, ceiling: 4 });
  assert.deepEqual(parseSeeds("1-3,7"), [1, 2, 3, 7]);
  assert.throws(() => parseSeeds("3-1"), /empty range/);
});

Deno.test("cappedModel stops before the call beyond the cap; cached answers are free", async () => {
  const dir = await Deno.makeTempDir();
  const llm = await openLLM({ config: llmConfig({ loopback: true }), cacheDir: dir, runId: "cap" });
  try {
    const m = cappedModel(llm.model("moolab-numeric"), llm.ledger, { maxCalls: 2 });
    const msg = [{ role: "user" as const, content: "Output three new solutions. <start>0.1 0.2<end>" }];
    await m.complete(msg, { sampleId: "a" });
    await m.complete(msg, { sampleId: "b" });
    await assert.rejects(m.complete(msg, { sampleId: "c" }), BudgetExceededError);
    assert.equal(llm.requests, 2);
    assert.equal(spent(llm.ledger).calls, 2);
    // a fresh session on the same cache replays both for free and may pay for two more
    const again = await openLLM({ config: llmConfig({ loopback: true }), cacheDir: dir, runId: "cap" });
    const m2 = cappedModel(again.model("moolab-numeric"), again.ledger, { maxCalls: 2 });
    for (const id of ["a", "b", "c", "d"]) await m2.complete(msg, { sampleId: id });
    assert.equal(spent(again.ledger).calls, 2);
    await assert.rejects(m2.complete(msg, { sampleId: "e" }), /budget cap reached: 2 calls paid/);
    await again.close();
  } finally {
    await llm.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task nsga2-llm against the loopback server: estimate, cap, resume, skip", async () => {
  const server = startLoopbackServer();
  const dir = await Deno.makeTempDir();
  const env = { MOOLAB_LLM_MODEL: "moolab-numeric", OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: "none" };
  const lines: string[] = [];
  const run = (out: string, ...extra: string[]) =>
    main(
      [
        "--problems",
        "ZDT1",
        "--seeds",
        "1",
        "--evaluations",
        "1600",
        "--out",
        `${dir}/${out}`,
        "--cache",
        `${dir}/${out}-cache`,
        ...extra,
      ],
      { env, log: (l) => lines.push(l) },
    );
  try {
    assert.equal(await run("dry", "--dry-run"), 0);
    // `deno task nsga2-llm -- --flags` hands the script a leading "--"
    assert.equal(
      await main(["--", "--dry-run", "--problems", "ZDT1", "--seeds", "1"], { env, log: () => {} }),
      0,
    );
    assert.ok(
      lines.some((l) =>
        /floor \(3 LLM generations per run\): 3 calls, \d+ prompt \+ \d+ completion tokens, \$0\.0000/.test(l)
      ),
    );
    // capped at 2 paid calls: stops cleanly (exit 3), no result yet
    assert.equal(await run("capped", "--max-calls", "2"), 3);
    assert.ok(lines.some((l) => /^stopped: budget cap reached: 2 calls paid/.test(l)));
    // the same command continues: the two paid answers replay from the cache, and it finishes
    assert.equal(await run("capped", "--max-calls", "2"), 0);
    const capped = (await Deno.readTextFile(`${dir}/capped/moolab-numeric.jsonl`)).trim().split("\n");
    assert.equal(capped.length, 1);
    // the same result as an uncapped run
    assert.equal(await run("free"), 0);
    const free = JSON.parse((await Deno.readTextFile(`${dir}/free/moolab-numeric.jsonl`)).trim());
    const c = JSON.parse(capped[0]);
    assert.equal(c.HV, free.HV);
    assert.equal(c.llmGenerations, free.llmGenerations);
    assert.ok(free.llmGenerations >= 3 && free.llmGenerations <= 4, "between the floor and the ceiling");
    // a finished run is skipped
    lines.length = 0;
    assert.equal(await run("free"), 0);
    assert.ok(lines.some((l) => /ZDT1 seed 1: done before, skipped/.test(l)));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
