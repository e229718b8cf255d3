/**
 * The LLM layer across processes (issue 16, items 1 and 4), against the loopback server, every wait
 * bounded:
 * - two processes (and two caches of one process) sharing one cache directory buy each answer once:
 *   a per-key claim file that the second claimant waits on, with stale-claim recovery after a crash;
 * - a small NSGA-II-LLM run (tests/llm_child_run.ts) killed with SIGKILL at seeded random moments and
 *   resumed each time from its checkpoint, cache and ledger journal ends with the same front and the
 *   same ledger totals — calls, tokens, cost and calls paid — as an uninterrupted run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Ledger,
  type LedgerTotals,
  LLMError,
  OpenAIChatModel,
  requestKey,
  ResponseCache,
  startLoopbackServer,
} from "../lib/llm/mod.ts";
import { Rng } from "../lib/core/rng.ts";
import { PAPER_PROMPT } from "./_support.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MSGS = [{ role: "user" as const, content: PAPER_PROMPT }];

const model = (baseURL: string, cache: ResponseCache, ledger?: Ledger) =>
  new OpenAIChatModel({ baseURL, apiKey: "none", model: "moolab-numeric", cache, ledger, runId: "shared" });

Deno.test("two caches on one directory, concurrent calls: each answer bought once", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "moolab-lock-" });
  await using server = startLoopbackServer({ faults: () => ({ kind: "delay", ms: 150 }) });
  try {
    const a = model(server.baseURL, new ResponseCache(dir)),
      b = model(server.baseURL, new ResponseCache(dir));
    const replies = await Promise.all([
      ...[1, 2, 3].map((seed) => a.complete(MSGS, { seed, sampleId: seed })),
      ...[1, 2, 3].map((seed) => b.complete(MSGS, { seed, sampleId: seed })),
    ]);
    assert.equal(server.stats.chatRequests, 3);
    for (let i = 0; i < 3; i++) assert.equal(replies[i].text, replies[i + 3].text);
    assert.equal(replies.filter((r) => r.cached).length, 3);
    assert.deepEqual(
      [...Deno.readDirSync(dir)].flatMap((d) =>
        [...Deno.readDirSync(join(dir, d.name))].filter((f) => f.name.endsWith(".lock"))
      ),
      [],
    ); // every claim released
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a stale claim (dead owner, or an empty file left by a crash) is broken; a live one is waited for", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "moolab-lock-" });
  await using server = startLoopbackServer();
  const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const cache = new ResponseCache(dir, "auto", { lockTimeout: 300, pollInterval: 10 });
    const m = model(server.baseURL, cache);
    const request = (seed: number) => m.cacheRequest(MSGS, { seed, sampleId: seed });
    const plant = (seed: number, text: string, ageMs = 0) => {
      const lock = cache.lockOf(requestKey(request(seed)));
      Deno.mkdirSync(lock.slice(0, lock.lastIndexOf("/")), { recursive: true });
      Deno.writeTextFileSync(lock, text);
      if (ageMs) Deno.utimeSync(lock, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
      return lock;
    };
    const done = new Deno.Command("true").spawn();
    await done.status;
    const owner = (pid: number) => JSON.stringify({ pid, host: Deno.hostname(), token: "t", at: "then" });
    // the owner died: broken at once, the call goes through
    plant(1, owner(done.pid));
    assert.equal((await m.complete(MSGS, { seed: 1, sampleId: 1 })).cached, false);
    // an empty claim file from a crash between creating and writing it, 10 s old: broken
    plant(2, "", 10_000);
    assert.equal((await m.complete(MSGS, { seed: 2, sampleId: 2 })).cached, false);
    assert.equal(cache.staleLocksBroken, 2);
    // a live owner that never finishes: waited for, then a clear error naming the claim
    const lock = plant(3, owner(sleeper.pid));
    await assert.rejects(
      m.complete(MSGS, { seed: 3, sampleId: 3 }),
      (e) =>
        e instanceof LLMError && /waited 300 ms for another claimant/.test(e.message) &&
        e.message.includes(lock),
    );
    // the owner dies while we wait: the claim is broken and the call goes through
    const waiting = m.complete(MSGS, { seed: 3, sampleId: 3 });
    sleeper.kill("SIGKILL");
    await sleeper.status;
    assert.equal((await waiting).cached, false);
    assert.equal(server.stats.chatRequests, 3);
  } finally {
    try {
      sleeper.kill("SIGKILL");
      await sleeper.status;
    } catch { /* gone */ }
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("ledger journal: reloaded after a kill, repeated calls absorbed, a paid-but-unjournaled answer counted paid", () => {
  const dir = Deno.makeTempDirSync({ prefix: "moolab-journal-" });
  try {
    const path = join(dir, "ledger.jsonl");
    const call = (key: string, cached = false, paidBy?: string) => ({
      model: "gpt-4o-mini",
      operator: "op",
      promptTokens: 100,
      completionTokens: 20,
      cached,
      key,
      paidBy,
    });
    // first process: three calls paid, then killed in the middle of appending a fourth line
    const first = Ledger.open(path, "r");
    for (const k of ["k1", "k2", "k3"]) first.record(call(k));
    Deno.writeTextFileSync(path, '{"model":"gpt-4o-mi', { append: true });
    // the resumed process: the checkpoint was taken after k1, so k2 and k3 are asked again and come
    // from the cache (absorbed); k4 was paid by the first process (the cache entry says so) but its
    // journal line was cut: it counts as paid; k5 is new
    const second = Ledger.open(path, "r");
    assert.equal(second.id, first.id);
    assert.equal(second.entries.length, 3);
    second.record(call("k2", true, first.id));
    second.record(call("k3", true, first.id));
    second.record(call("k4", true, first.id));
    second.record(call("k5"));
    const t = second.totals();
    assert.deepEqual([t.calls, t.cachedCalls, t.promptTokens, t.completionTokens], [5, 0, 500, 100]);
    assert.ok(Math.abs(t.paid! - t.cost!) < 1e-15 && t.cost! > 0);
    // an answer another run paid for is a cache hit here, and so is a repeat of an answer this run
    // recorded; a journal of another run is refused
    second.record(call("k6", true, "another-ledger"));
    second.record(call("k5", true, first.id));
    assert.equal(second.totals().cachedCalls, 2);
    assert.throws(() => Ledger.open(path, "other-run"), /belongs to run r, not other-run/);
    // what the journal holds is what the ledger says
    assert.deepEqual(Ledger.open(path, "r").totals(), second.totals());
    Deno.writeTextFileSync(path, "garbage\n{}\n");
    assert.throws(() => Ledger.open(path, "r"), /line 1 is not valid JSON/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Complete lines of a journal (0 when it does not exist). */
function journalLines(path: string): number {
  return exists(path) ? Deno.readTextFileSync(path).split("\n").length - 1 : 0;
}

interface ChildResult {
  totals: LedgerTotals;
  requests: number;
  resumed: boolean;
  F: number[];
}

/** Starts tests/llm_child_run.ts on `dir` against `baseURL`. */
function child(dir: string, baseURL: string, env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "tests/llm_child_run.ts"), dir],
    cwd: ROOT,
    env: { MOOLAB_LLM_MODEL: "moolab-numeric", OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: "none", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Waits for a child run (killed after 120 s, so that no test can hang on one) and reads its result. */
async function finish(p: Deno.ChildProcess): Promise<ChildResult> {
  const guard = setTimeout(() => {
    try {
      p.kill("SIGKILL");
    } catch { /* finished */ }
  }, 120_000);
  const out = await p.output().finally(() => clearTimeout(guard));
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
  assert.ok(line, stdout);
  return JSON.parse(line.slice(7));
}

Deno.test("two processes sharing one cache directory buy each answer once", async () => {
  const root = Deno.makeTempDirSync({ prefix: "moolab-2proc-" });
  // slow answers, so that both processes are in flight on the same requests
  await using server = startLoopbackServer({ faults: () => ({ kind: "delay", ms: 300 }) });
  try {
    const env = { CHILD_CACHE: join(root, "cache"), CHILD_GENERATIONS: "6" };
    const [a, b] = await Promise.all([
      finish(child(join(root, "a"), server.baseURL, env)),
      finish(child(join(root, "b"), server.baseURL, env)),
    ]);
    assert.deepEqual(a.F, b.F);
    assert.equal(a.totals.calls, 5);
    assert.equal(b.totals.calls, 5);
    // 5 distinct answers, bought once each, by one process or the other
    assert.equal(server.stats.chatRequests, 5);
    assert.equal(a.requests + b.requests, 5);
    assert.equal(a.totals.cachedCalls + b.totals.cachedCalls, 5);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("a run killed with SIGKILL at seeded random moments and resumed: same front, same ledger totals", async () => {
  const root = Deno.makeTempDirSync({ prefix: "moolab-kill-" });
  await using server = startLoopbackServer({ faults: () => ({ kind: "delay", ms: 120 }) });
  try {
    const env = { CHILD_GENERATIONS: "8" };
    const t0 = performance.now();
    const reference = await finish(child(join(root, "ref"), server.baseURL, env));
    const span = performance.now() - t0;
    assert.equal(reference.totals.calls, 7);
    assert.equal(reference.totals.cachedCalls, 0);
    const rng = new Rng(16);
    let kills = 0, resumedRuns = 0, midRun = 0;
    for (let trial = 0; trial < 3; trial++) {
      const dir = join(root, `trial-${trial}`);
      let result: ChildResult | undefined;
      for (let attempt = 0; !result; attempt++) {
        const p = child(dir, server.baseURL, env);
        if (attempt < 3) {
          // a kill point in the second half of a run's span (start-up takes the first)
          const at = span * (0.35 + 0.65 * rng.random());
          const timer = setTimeout(() => {
            try {
              p.kill("SIGKILL");
            } catch { /* finished already */ }
          }, at);
          const status = await p.status;
          clearTimeout(timer);
          await p.stdout.cancel().catch(() => {});
          await p.stderr.cancel().catch(() => {});
          if (status.signal === "SIGKILL") {
            kills++;
            // killed mid-run: after a checkpoint and some paid calls, before the last call
            const recorded = journalLines(join(dir, "ledger.jsonl")) - 1;
            if (exists(join(dir, "checkpoint.json")) && recorded >= 1 && recorded < 7) midRun++;
            continue;
          }
          // it finished before the kill: read its result from a rerun (which resumes and buys nothing)
        }
        result = await finish(attempt < 3 ? child(dir, server.baseURL, env) : p);
        if (result.resumed) resumedRuns++;
      }
      assert.deepEqual(result.F, reference.F, `trial ${trial}: front`);
      assert.deepEqual(result.totals, reference.totals, `trial ${trial}: ledger totals`);
      const journal = Ledger.open(join(dir, "ledger.jsonl"), "child");
      assert.deepEqual(journal.totals(), reference.totals, `trial ${trial}: journal`);
    }
    assert.ok(kills >= 3, `only ${kills} kills landed`);
    assert.ok(midRun >= 1, `none of ${kills} kills landed mid-run`);
    assert.ok(resumedRuns >= 1);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
