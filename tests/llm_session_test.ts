/**
 * llmSession: the notebook's LLM session. On loopback a fresh cache in a temporary directory that
 * close() removes (or none); at a real endpoint the kept cache under out/llm-cache/<name>; the run id and
 * ledger named after the notebook; the loopback server stopped by close().
 */
import assert from "node:assert/strict";
import { llmConfig } from "../lib/llm/config.ts";
import { llmSession } from "../lib/llm/session.ts";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("llmSession on loopback: a fresh cache, named ledger, and close() cleans up", async () => {
  const llm = await llmSession({ name: "session-test", config: llmConfig({ loopback: true }) });
  assert.ok(llm.onLoopback);
  assert.ok(llm.scratch && (await exists(llm.scratch)));
  assert.equal(llm.cache!.dir, llm.scratch);
  assert.ok(llm.scratch!.includes("moolab-session-test-"));
  assert.equal(llm.ledger.runId, "session-test");
  const model = llm.model("moolab-numeric");
  const ask = () => model.complete([{ role: "user", content: "Hello" }], { seed: 1, sampleId: "a" });
  const first = await ask(), second = await ask();
  assert.equal(first.cached, false);
  assert.equal(second.cached, true, "the second answer comes from the session's cache");
  assert.equal(second.text, first.text);
  assert.equal(llm.requests, 1);
  const url = llm.server!.baseURL;
  await llm.close();
  assert.equal(await exists(llm.scratch!), false, "the temporary cache is removed");
  await assert.rejects(fetch(`${url}/models`), "the loopback server is stopped");
});

Deno.test("llmSession on loopback without a cache, and at an endpoint with the kept cache", async () => {
  const bare = await llmSession({
    name: "session-test",
    config: llmConfig({ loopback: true }),
    loopbackCache: "none",
  });
  assert.equal(bare.cache, undefined);
  assert.equal(bare.scratch, undefined);
  await bare.close();
  // a real endpoint (not called here): no server, the cache under out/llm-cache/<name> unless given
  const endpoint = llmConfig({ baseURL: "http://127.0.0.1:9/v1", apiKey: "k", model: "m" });
  const kept = await llmSession({ name: "session-test", config: endpoint, cacheMode: "replay" });
  assert.equal(kept.onLoopback, false);
  assert.equal(kept.server, undefined);
  assert.equal(kept.cache!.dir, "../out/llm-cache/session-test");
  await kept.close();
  const dir = await Deno.makeTempDir();
  const own = await llmSession({ name: "session-test", config: endpoint, cacheDir: `${dir}/c` });
  assert.equal(own.cache!.dir, `${dir}/c`);
  await own.close();
  assert.ok(await exists(`${dir}/c`), "an endpoint's cache is kept");
  await Deno.remove(dir, { recursive: true });
  await assert.rejects(llmSession({ name: "" }), /give the notebook's name/);
  await assert.rejects(
    llmSession({ name: "x", loopbackCache: "kept" as never }),
    /loopbackCache is "fresh" or "none"/,
  );
});
