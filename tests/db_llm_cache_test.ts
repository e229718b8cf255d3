/**
 * The LLM response cache and ledger on PostgreSQL (lib/llm/pg_cache.ts, pg_ledger.ts) against a
 * throw-away cluster (tests/_pg.ts) and the loopback server: one request per key across worker
 * processes, a crashed claim taken over, the three modes, the ledger per run and per study, and no
 * key in any table.
 */
import assert from "node:assert/strict";
import { PgCluster, pgIgnore } from "./_pg.ts";
import { startLoopbackServer } from "../lib/llm/server.ts";
import { OpenAIChatModel } from "../lib/llm/client.ts";
import { CacheMissError } from "../lib/llm/errors.ts";
import { requestKey } from "../lib/llm/cache.ts";
import { PgResponseCache } from "../lib/llm/pg_cache.ts";
import { ledgerTotals, PgLedger } from "../lib/llm/pg_ledger.ts";
import type { Ledger } from "../lib/llm/ledger.ts";
import { connect } from "../lib/experiment/db/connect.ts";
import { ForeignRowError } from "../lib/experiment/db/errors.ts";

const ignore = pgIgnore();
const SECRET = "sk-moolab-test-secret-0123456789";
const PROMPT =
  "Mutate <inst>Classify each review as positive or negative.</inst> and wrap it in <inst> tags.";
const lib = (p: string) => new URL(`../lib/${p}`, import.meta.url).href;

/**
 * A worker process that asks the loopback server PROMPT once through the database cache; its fetch
 * waits 300 ms before sending, so a second worker asks while the first holds the claim. Prints the
 * reply's text and whether it was cached, as JSON.
 */
function askingWorker(db: string, baseURL: string, name: string) {
  const code = `
    import { OpenAIChatModel } from ${JSON.stringify(lib("llm/client.ts"))};
    import { PgResponseCache } from ${JSON.stringify(lib("llm/pg_cache.ts"))};
    const cache = await PgResponseCache.open(${JSON.stringify(db)}, "auto", { owner: ${
    JSON.stringify(name)
  } });
    const slow: typeof fetch = async (input, init) => {
      await new Promise((r) => setTimeout(r, 300));
      return await fetch(input, init);
    };
    const m = new OpenAIChatModel({ baseURL: ${JSON.stringify(baseURL)}, apiKey: ${
    JSON.stringify(SECRET)
  }, model: "moolab-text", cache, fetch: slow, runId: "shared" });
    const c = await m.complete([{ role: "user", content: ${JSON.stringify(PROMPT)} }], { seed: 7 });
    console.log(JSON.stringify({ text: c.text, cached: c.cached, requests: m.requests }));
    await cache.close();
  `;
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    stdout: "piped",
    stderr: "piped",
  })
    .output().then((o) => {
      const out = new TextDecoder().decode(o.stdout), err = new TextDecoder().decode(o.stderr);
      if (!o.success) throw new Error(`worker ${name} failed: ${err}`);
      return JSON.parse(out.trim().split("\n").at(-1)!) as {
        text: string;
        cached: boolean;
        requests: number;
      };
    });
}

Deno.test({
  name: "LLM answer cache and ledger on PostgreSQL",
  ignore,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const pg = await PgCluster.start();
    const server = startLoopbackServer();
    try {
      await t.step("two worker processes asking the same question: one request", async () => {
        const db = await pg.database("shared_cache");
        const [a, b] = await Promise.all([
          askingWorker(db, server.baseURL, "wa"),
          askingWorker(db, server.baseURL, "wb"),
        ]);
        assert.equal(server.stats.chatRequests, 1, "the endpoint was asked once");
        assert.equal(a.text, b.text);
        assert.deepEqual(
          [a.cached, b.cached].sort(),
          [false, true],
          "one bought it, the other waited for it",
        );
        assert.equal(a.requests + b.requests, 1);
      });

      await t.step("the same question asked twice at once in one process: one request", async () => {
        const db = await pg.database("same_process");
        const cache = await PgResponseCache.open(db, "auto", { pollMs: 20 });
        try {
          const before = server.stats.chatRequests;
          const m = new OpenAIChatModel({
            baseURL: server.baseURL,
            apiKey: SECRET,
            model: "moolab-text",
            cache,
          });
          const msgs = [{ role: "user" as const, content: PROMPT }];
          const [a, b] = await Promise.all([m.complete(msgs, { seed: 11 }), m.complete(msgs, { seed: 11 })]);
          assert.equal(server.stats.chatRequests, before + 1);
          assert.equal(a.text, b.text);
          assert.deepEqual([a.cached, b.cached].sort(), [false, true]);
        } finally {
          await cache.close();
        }
      });

      await t.step("a claim whose owner died is taken over after the lease", async () => {
        const db = await pg.database("crash");
        const before = server.stats.chatRequests;
        const dead = await PgResponseCache.open(db, "auto", { owner: "dead", leaseMs: 600 });
        const model = (cache: PgResponseCache) =>
          new OpenAIChatModel({ baseURL: server.baseURL, apiKey: SECRET, model: "moolab-text", cache });
        const req = model(dead).cacheRequest([{ role: "user", content: PROMPT }], { seed: 1 });
        assert.equal(await dead.lookup(req), undefined, "the first asker holds the claim");
        await dead.close(); // dies: no answer, no release, no renewal
        const alive = await PgResponseCache.open(db, "auto", { owner: "alive", leaseMs: 600, pollMs: 20 });
        try {
          const c = await model(alive).complete([{ role: "user", content: PROMPT }], { seed: 1 });
          assert.equal(c.cached, false);
          assert.equal(server.stats.chatRequests, before + 1);
          const sql = connect(db, 1);
          const [row] = await sql`SELECT status, owner FROM moolab.llm_answers WHERE key = ${
            requestKey(req)
          }`;
          await sql.end();
          assert.deepEqual({ ...row }, { status: "done", owner: null });
        } finally {
          await alive.close();
        }
      });

      await t.step("modes: replay answers from the table or names the miss; record calls again", async () => {
        const db = await pg.database("modes");
        const auto = await PgResponseCache.open(db, "auto");
        const replay = await PgResponseCache.open(db, "replay");
        const record = await PgResponseCache.open(db, "record");
        try {
          const m = (cache: PgResponseCache) =>
            new OpenAIChatModel({ baseURL: server.baseURL, apiKey: SECRET, model: "moolab-text", cache });
          const msgs = [{ role: "user" as const, content: PROMPT }];
          await assert.rejects(() => m(replay).complete(msgs, { seed: 2 }), CacheMissError);
          const first = await m(auto).complete(msgs, { seed: 2 });
          const n = server.stats.chatRequests;
          const again = await m(replay).complete(msgs, { seed: 2 });
          assert.equal(again.cached, true);
          assert.equal(again.text, first.text);
          assert.equal(server.stats.chatRequests, n, "replay sends nothing");
          const rec = await m(record).complete(msgs, { seed: 2 });
          assert.equal(rec.cached, false);
          assert.equal(server.stats.chatRequests, n + 1, "record calls again");
          assert.equal(await auto.size(), 1);
          assert.deepEqual(replay.stats, { hits: 1, misses: 1, writes: 0 });
          // a row that is not an answer is a named error
          await auto.sql`UPDATE moolab.llm_answers SET response = '{"nope": 1}'`;
          await assert.rejects(() => m(replay).complete(msgs, { seed: 2 }), ForeignRowError);
        } finally {
          await Promise.all([auto.close(), replay.close(), record.close()]);
        }
      });

      await t.step("the ledger per run and per study; no key or endpoint in any table", async () => {
        const db = await pg.database("ledger");
        const cache = await PgResponseCache.open(db, "auto");
        try {
          const local: Ledger[] = [];
          for (const runId of ["r1", "r2"]) {
            const ledger = new PgLedger(cache.sql, "study-a", runId);
            const m = new OpenAIChatModel({
              baseURL: server.baseURL,
              apiKey: SECRET,
              model: "moolab-text",
              cache,
              ledger,
              runId,
            });
            for (const seed of [1, 2, 1]) {
              await m.complete([{ role: "user", content: PROMPT }], { seed, operator: "mutation" });
            }
            await ledger.flush();
            local.push(ledger);
          }
          for (const l of local) {
            assert.deepEqual(await ledgerTotals(cache.sql, "study-a", l.runId), l.totals());
          }
          const study = await ledgerTotals(cache.sql, "study-a");
          assert.equal(study.calls, 6);
          assert.equal(study.cachedCalls, 2, "the repeated seed of each run came from the cache");
          assert.equal(
            study.totalTokens,
            local[0].totals().totalTokens + local[1].totals().totalTokens,
          );
          assert.equal((await ledgerTotals(cache.sql, "other")).calls, 0);
          const dump = await cache.sql`
            SELECT string_agg(t::text, ' ') AS s FROM (
              SELECT row_to_json(a)::text AS t FROM moolab.llm_answers a
              UNION ALL SELECT row_to_json(l)::text FROM moolab.llm_ledger l
              UNION ALL SELECT row_to_json(j)::text FROM moolab.jobs j) x`;
          assert.ok(dump[0].s.includes("moolab-text"), "the dump holds the rows");
          assert.ok(!dump[0].s.includes(SECRET), "no API key in a table");
          assert.ok(!dump[0].s.includes(server.baseURL), "no endpoint in a table");
        } finally {
          await cache.close();
        }
      });
    } finally {
      await server.close();
      await pg.destroy();
    }
  },
});
