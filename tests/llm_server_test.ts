/** The loopback server speaks OpenAI's protocol; the client and configuration use it. */
import assert from "node:assert/strict";
import OpenAI from "openai";
import {
  ask,
  defaultStandIns,
  llmConfig,
  openLLM,
  parseSolutions,
  startLoopbackServer,
  withLLM,
  withLoopbackServer,
} from "../lib/llm/mod.ts";
import { PAPER_PROMPT } from "./_support.ts";

Deno.test("loopback server: OpenAI chat.completion schema, /v1/models, errors in OpenAI's shape", async () => {
  await withLoopbackServer(async (server) => {
    assert.match(server.baseURL, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const models = await (await fetch(`${server.baseURL}/models`)).json();
    assert.equal(models.object, "list");
    assert.deepEqual(models.data.map((m: { id: string }) => m.id), ["moolab-numeric", "moolab-text"]);
    assert.match(models.data[0].description, /not a language model/);
    const one = await (await fetch(`${server.baseURL}/models/moolab-text`)).json();
    assert.equal(one.id, "moolab-text");

    const body = {
      model: "moolab-numeric",
      messages: [{ role: "user", content: PAPER_PROMPT }],
      seed: 3,
      n: 2,
    };
    const r = await fetch(`${server.baseURL}/chat/completions`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    assert.equal(r.status, 200);
    const c = await r.json();
    assert.deepEqual(Object.keys(c).sort(), [
      "choices",
      "created",
      "id",
      "model",
      "object",
      "system_fingerprint",
      "usage",
    ]);
    assert.equal(c.object, "chat.completion");
    assert.match(c.id, /^chatcmpl-moolab-[0-9a-f]{24}$/);
    assert.equal(c.system_fingerprint, "moolab-numeric/linear-operator-v1");
    assert.equal(c.choices.length, 2);
    assert.notEqual(c.choices[0].message.content, c.choices[1].message.content);
    for (const [i, ch] of c.choices.entries()) {
      assert.equal(ch.index, i);
      assert.equal(ch.message.role, "assistant");
      assert.equal(ch.finish_reason, "stop");
    }
    assert.equal(c.usage.total_tokens, c.usage.prompt_tokens + c.usage.completion_tokens);

    const post = (b: unknown) =>
      fetch(`${server.baseURL}/chat/completions`, { method: "POST", body: JSON.stringify(b) });
    const unknown = await post({ model: "gpt-9", messages: [{ role: "user", content: "x" }] });
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error.code, "model_not_found");
    for (
      const bad of [
        { messages: [{ role: "user", content: "x" }] },
        { model: "moolab-text", messages: [] },
        { model: "moolab-text", messages: [{ role: "wizard", content: "x" }] },
        { model: "moolab-text", messages: [{ role: "user", content: "x" }], temperature: 3 },
        { model: "moolab-text", messages: [{ role: "user", content: "x" }], max_tokens: 0 },
        { model: "moolab-text", messages: [{ role: "user", content: "x" }], stream: true },
      ]
    ) {
      const res = await post(bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal((await res.json()).error.type, "invalid_request_error");
    }
    const notJson = await fetch(`${server.baseURL}/chat/completions`, { method: "POST", body: "{" });
    assert.equal(notJson.status, 400);
    await notJson.body?.cancel();
    const route = await fetch(`${server.baseURL}/completions`);
    assert.equal(route.status, 404);
    await route.body?.cancel();
  });
});

Deno.test("loopback server: max_tokens truncates and reports finish_reason length", async () => {
  await withLoopbackServer(async (server) => {
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: "none", maxRetries: 0, timeout: 10_000 });
    const full = await client.chat.completions.create({
      model: "moolab-numeric",
      messages: [{ role: "user", content: PAPER_PROMPT }],
      seed: 1,
    });
    const cut = await client.chat.completions.create({
      model: "moolab-numeric",
      messages: [{ role: "user", content: PAPER_PROMPT }],
      seed: 1,
      max_tokens: 10,
    });
    assert.equal(cut.choices[0].finish_reason, "length");
    assert.equal(cut.usage?.completion_tokens, 10);
    assert.ok(full.choices[0].message.content!.startsWith(cut.choices[0].message.content!));
    assert.equal(full.choices[0].finish_reason, "stop");
  });
});

Deno.test("client through npm:openai: same request, same reply; the ledger counts the server's usage", async () => {
  await withLLM({ runId: "t" }, async (llm) => {
    const m = llm.model("moolab-numeric");
    const msgs = [{ role: "user" as const, content: PAPER_PROMPT }];
    const a = await m.complete(msgs, { seed: 5, temperature: 0.7, operator: "llm reproduction" });
    const b = await m.complete(msgs, { seed: 5, temperature: 0.7, operator: "llm reproduction" });
    assert.equal(a.text, b.text);
    assert.equal(a.cached, false); // no cache configured
    assert.equal(a.systemFingerprint, "moolab-numeric/linear-operator-v1");
    assert.equal(llm.requests, 2);
    assert.equal(llm.server!.stats.chatRequests, 2);
    assert.equal(llm.ledger.totals().promptTokens, 2 * a.usage.promptTokens);
    assert.equal(llm.ledger.byOperator()["llm reproduction"].calls, 2);
    const { value } = await ask(m, msgs, (t) => parseSolutions(t, { count: 3, dim: 4, lower: 0, upper: 1 }), {
      seed: 9,
    });
    assert.equal(value.length, 3);
    assert.throws(() => llm.model("moolab-nothing"), /no stand-in named moolab-nothing/);
  });
});

Deno.test("concurrency bound: at most `concurrency` requests in flight", async () => {
  let inFlight = 0, peak = 0;
  const registry = defaultStandIns();
  const server = startLoopbackServer({ registry });
  try {
    const slowFetch: typeof fetch = async (input, init) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        await new Promise((r) => setTimeout(r, 5));
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const { OpenAIChatModel } = await import("../lib/llm/client.ts");
    const m = new OpenAIChatModel({
      baseURL: server.baseURL,
      apiKey: "x",
      model: "moolab-text",
      concurrency: 2,
      fetch: slowFetch,
    });
    const prompt =
      "Mutate <inst>Classify each review as positive or negative.</inst> and wrap it in <inst> tags.";
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => m.complete([{ role: "user", content: prompt }], { seed: i })),
    );
    assert.equal(replies.length, 8);
    assert.equal(peak, 2);
    assert.equal(m.semaphore.inUse, 0);
  } finally {
    await server.close();
  }
});

Deno.test("llmConfig: loopback by default, an endpoint by configuration alone", async () => {
  assert.equal(llmConfig({ env: {} }).kind, "loopback");
  assert.equal(llmConfig({ env: { OPENAI_API_KEY: "sk-x" } }).kind, "loopback"); // a key alone never spends
  const e = llmConfig({ env: { MOOLAB_LLM_MODEL: "gpt-4o-mini", OPENAI_API_KEY: "sk-x" } });
  assert.deepEqual(e.kind === "endpoint" && [e.baseURL, e.model, e.apiKey], [
    "https://api.openai.com/v1",
    "gpt-4o-mini",
    "sk-x",
  ]);
  const local = llmConfig({
    env: { MOOLAB_LLM_MODEL: "llama3.1", OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" },
  });
  assert.equal(local.kind === "endpoint" && local.apiKey, "none");
  assert.throws(() => llmConfig({ env: { OPENAI_BASE_URL: "http://127.0.0.1:1/v1" } }), /no model/);
  assert.throws(() => llmConfig({ env: { MOOLAB_LLM_MODEL: "gpt-4o" } }), /needs an API key/);
  assert.equal(
    llmConfig({ env: { MOOLAB_LLM_MODEL: "gpt-4o", OPENAI_API_KEY: "k" }, loopback: true }).kind,
    "loopback",
  );

  // an "endpoint" configuration pointing at a loopback server: every role goes to the configured model
  await withLoopbackServer(async (server) => {
    const llm = await openLLM({
      config: llmConfig({ env: { MOOLAB_LLM_MODEL: "moolab-text", OPENAI_BASE_URL: server.baseURL } }),
    });
    try {
      assert.equal(llm.server, undefined);
      const m = llm.model("moolab-numeric");
      assert.equal(m.name, "moolab-text");
      await m.complete([{ role: "user", content: "Mutate <inst>Classify each review please now.</inst>" }], {
        seed: 1,
      });
      assert.equal(server.stats.byModel["moolab-text"], 1);
    } finally {
      await llm.close();
    }
  });
});
