import assert from "node:assert/strict";
import { llmConfig, openLLM } from "../lib/llm/config.ts";
import { Ledger } from "../lib/llm/ledger.ts";
import { costOf } from "../lib/llm/prices.ts";
import { startLoopbackServer } from "../lib/llm/server.ts";
import {
  BudgetExceededError,
  cappedModel,
  estimateCost,
  handWrittenInstructions,
  initialPopulation,
  instOptimaRegistry,
  instOptimaRoles,
  instructionPerplexity,
  InstructionSearch,
  llmVariation,
  logprobPerplexity,
  makeEvaluator,
  materialOf,
  ngramStandIn,
  perplexityFromLogprobs,
  planCalls,
  renderInstruction,
  scoreText,
  splitCorpus,
  splitTask,
  taskLanguageModel,
  toyTask,
} from "../lib/instoptima/mod.ts";
import { perplexity } from "../lib/instoptima/ngram.ts";

const task = toyTask(80, 3);
const { dev, pool: rest } = splitTask(task, 16, 0);
const { examples: pool, corpus } = splitCorpus(rest, 0.5, 0);
const lm = taskLanguageModel(corpus);
const hand = handWrittenInstructions(task, pool, { k: [2, 3, 4], seed: 1 });

Deno.test("perplexity from log-probabilities: hand-derived values and the n-gram's scoring", () => {
  // exp(−(ln ½ + ln ¼)/2) = √8; the null first token is skipped; entries past promptTokens are ignored
  assert.ok(
    Math.abs(perplexityFromLogprobs([null, Math.log(0.5), Math.log(0.25), -50], 3) - Math.sqrt(8)) < 1e-12,
  );
  assert.throws(() => perplexityFromLogprobs([null]), /no log-probabilities/);
  assert.throws(() => perplexityFromLogprobs([0.5]), /not a log-probability/);
  for (const h of hand) {
    const text = renderInstruction(h);
    const s = scoreText(lm, text);
    assert.equal(perplexityFromLogprobs(s.logprobs), perplexity(lm, text));
    assert.equal(s.tokens.length, s.offsets.length);
    const firstWord = s.tokens.findIndex((t) => t !== "</s>");
    assert.equal(text.slice(s.offsets[firstWord]).toLowerCase().startsWith(s.tokens[firstWord]), true);
  }
});

Deno.test("roles are configured separately, from the environment by role", () => {
  const none = instOptimaRoles({ env: {} });
  assert.deepEqual([none.operator.kind, none.task.kind, none.perplexity.kind], [
    "loopback",
    "loopback",
    "loopback",
  ]);
  const shared = instOptimaRoles({ env: { MOOLAB_LLM_MODEL: "gpt-4o-mini", OPENAI_API_KEY: "k" } });
  assert.equal(shared.operator.kind === "endpoint" && shared.operator.model, "gpt-4o-mini");
  assert.equal(shared.task.kind === "endpoint" && shared.task.model, "gpt-4o-mini");
  assert.equal(shared.perplexity.kind, "loopback", "a chat model does not score text");
  const split = instOptimaRoles({
    env: {
      MOOLAB_LLM_MODEL: "gpt-4o",
      OPENAI_API_KEY: "k",
      MOOLAB_TASK_MODEL: "llama3.1",
      MOOLAB_TASK_BASE_URL: "http://127.0.0.1:11434/v1",
      MOOLAB_PERPLEXITY_MODEL: "qwen2.5-0.5b",
      MOOLAB_PERPLEXITY_BASE_URL: "http://localhost:8000/v1",
    },
  });
  assert.equal(split.operator.kind === "endpoint" && split.operator.baseURL, "https://api.openai.com/v1");
  assert.equal(
    split.task.kind === "endpoint" && `${split.task.model} ${split.task.baseURL}`,
    "llama3.1 http://127.0.0.1:11434/v1",
  );
  assert.equal(split.perplexity.kind === "endpoint" && split.perplexity.model, "qwen2.5-0.5b");
  assert.throws(
    () => instOptimaRoles({ env: { MOOLAB_TASK_BASE_URL: "http://h:1/v1" } }),
    /the task role: .*no model/,
  );
  assert.throws(
    () => instOptimaRoles({ env: { MOOLAB_OPERATOR_MODEL: "gpt-4o" } }),
    /the operator role: .*API key/,
  );
  assert.equal(
    instOptimaRoles({ env: { MOOLAB_LLM_MODEL: "x", OPENAI_API_KEY: "k" }, loopback: true }).task.kind,
    "loopback",
  );
});

Deno.test("the real path end to end: separate role endpoints and perplexity from log-probabilities", async () => {
  const server = startLoopbackServer({ registry: instOptimaRegistry(ngramStandIn(lm)) });
  try {
    const roles = instOptimaRoles({
      env: {
        MOOLAB_OPERATOR_MODEL: "moolab-instop",
        MOOLAB_OPERATOR_BASE_URL: server.baseURL,
        MOOLAB_TASK_MODEL: "moolab-classifier",
        MOOLAB_TASK_BASE_URL: server.baseURL,
        MOOLAB_PERPLEXITY_MODEL: "moolab-ngram",
        MOOLAB_PERPLEXITY_BASE_URL: server.baseURL,
      },
    });
    assert.ok(roles.operator.kind === "endpoint" && roles.task.kind === "endpoint");
    assert.ok(roles.perplexity.kind === "endpoint");
    const ops = await openLLM({ config: roles.operator, runId: "t" });
    const tm = await openLLM({ config: roles.task, runId: "t", concurrency: 8 });
    const pplLedger = new Ledger("t");
    const endpointPpl = logprobPerplexity(roles.perplexity, { ledger: pplLedger });
    for (const h of hand) assert.equal(await endpointPpl(h), instructionPerplexity(lm, h));
    assert.equal(pplLedger.entries.length, hand.length);
    assert.equal(pplLedger.entries[0].promptTokens, scoreText(lm, renderInstruction(hand[0])).tokens.length);
    // the route serves scoring only: without echo it says so
    const plain = await fetch(`${server.baseURL}/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "moolab-ngram", prompt: "gold rises", max_tokens: 1 }),
    });
    assert.equal(plain.status, 400);
    assert.match((await plain.json()).error.message, /echo: true and logprobs/);
    // a chat stand-in cannot score text: a clear 400
    await assert.rejects(
      logprobPerplexity({
        baseURL: roles.perplexity.baseURL,
        apiKey: roles.perplexity.apiKey,
        model: "moolab-classifier",
      }, {
        maxRetries: 0,
      })(hand[0]),
      /does not return log-probabilities/,
    );
    const run = async (viaEndpoint: boolean) => {
      const evaluate = makeEvaluator({
        model: tm.model("ignored: the endpoint's model"),
        dev,
        labels: task.labels,
        perplexity: viaEndpoint ? endpointPpl : (i) => instructionPerplexity(lm, i),
      });
      const op = ops.model("ignored");
      assert.equal(op.name, "moolab-instop");
      const initial = await initialPopulation(op, hand, 5, { labels: task.labels, seed: 2 });
      const m = materialOf(hand, pool);
      const s = new InstructionSearch({
        evaluate,
        variation: llmVariation(op, {
          labels: task.labels,
          material: { examples: pool, phrases: m.phrases },
        }),
        popSize: 5,
        seed: 2,
        scales: { length: 1000, perplexity: 100 },
        distinctRetries: 3,
      });
      await s.run({ maxGenerations: 2, initial });
      return s;
    };
    const [a, b] = [await run(true), await run(false)];
    assert.equal(
      JSON.stringify(a.toJSON()),
      JSON.stringify(b.toJSON()),
      "endpoint perplexity = local n-gram",
    );
    assert.ok(pplLedger.entries.length >= hand.length + a.archive.size);
    assert.ok(server.stats.byModel["moolab-instop"] > 0 && server.stats.byModel["moolab-classifier"] > 0);
    await ops.close();
    await tm.close();
  } finally {
    await server.close();
  }
});

Deno.test("dry-run estimate against hand-counted calls, and the budget cap stops a run", async () => {
  const plan = {
    seeds: 1,
    llmMethods: 1,
    otherMethods: 1,
    popSize: 4,
    generations: 2,
    handWritten: 2,
    devSize: 10,
    distinctRetries: 0,
    reAsks: 0,
  };
  // operator: initial ≤ 5 × (4 − 2) = 10, offspring 4 × 2 = 8; evaluations 4 + 2 × 8 = 20
  assert.deepEqual(planCalls(plan), { operator: 18, evaluations: 20, task: 200, perplexity: 20 });
  assert.equal(planCalls({ ...plan, distinctRetries: 1, reAsks: 1 }).operator, (10 + 16) * 2);
  assert.throws(() => planCalls({ ...plan, popSize: 2.5 }), /popSize/);
  const est = estimateCost(planCalls(plan), {
    operatorPrompt: 300,
    operatorReply: 100,
    taskPrompt: 200,
    taskReply: 2,
    perplexityPrompt: 150,
  }, { operator: "gpt-4o-mini", task: "gpt-4o-mini" });
  assert.equal(est.rows[1].promptTokens, 40_000);
  assert.equal(est.cost, costOf("gpt-4o-mini", 18 * 300, 18 * 100)! + costOf("gpt-4o-mini", 40_000, 400)!);
  assert.equal(
    estimateCost(planCalls(plan), est.rows as never, { operator: "no-such-model", task: "x" }).cost,
    undefined,
  );

  const llm = await openLLM({
    config: llmConfig({ loopback: true }),
    server: { registry: instOptimaRegistry() },
  });
  try {
    const budget = { ledgers: [llm.ledger], calls: 30 };
    const model = cappedModel(llm.model("moolab-classifier"), budget);
    const evaluate = makeEvaluator({
      model,
      dev,
      labels: task.labels,
      perplexity: (i) => instructionPerplexity(lm, i),
    });
    await evaluate(hand[0]); // 16 calls
    await evaluate(hand[1]); // 32 — the calls in flight finish
    await assert.rejects(evaluate(hand[2]), BudgetExceededError);
    assert.equal(llm.ledger.entries.length, 2 * dev.length);
    // a dollar cap needs prices: the stand-ins have none unless counted free
    await assert.rejects(
      cappedModel(llm.model("moolab-classifier"), { ledgers: [llm.ledger], usd: 1 }).complete([
        { role: "user", content: "input: x\nAnswer:" },
      ]),
      /no price/,
    );
    const named = cappedModel(llm.model("moolab-classifier"), {
      ledgers: [llm.ledger],
      usd: 1,
      freeModels: ["moolab-classifier"],
    });
    assert.ok(
      (await named.complete([{ role: "user", content: "input: gold up\nAnswer: up\n\ninput: y\nAnswer:" }]))
        .text,
    );
    const free = cappedModel(llm.model("moolab-classifier"), {
      ledgers: [llm.ledger],
      usd: 1,
      unpriced: "free",
    });
    assert.ok(
      (await free.complete([{ role: "user", content: "input: gold up\nAnswer: up\n\ninput: x\nAnswer:" }]))
        .text,
    );
  } finally {
    await llm.close();
  }
});
