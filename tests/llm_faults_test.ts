/**
 * Faults and bad input against the loopback server (127.0.0.1 only, every wait bounded): each gets the
 * retry, re-ask or clear error it should; the cache keeps every good answer received before a failure;
 * a run killed mid-way resumes from cache and checkpoint to the same result.
 */
import assert from "node:assert/strict";
import {
  ask,
  CacheMissError,
  defaultStandIns,
  EmptyChoicesError,
  type Fault,
  InvalidResponseError,
  LLMConnectionError,
  LLMHTTPError,
  type LLMSession,
  LLMTimeoutError,
  OpenAIChatModel,
  openLLM,
  parseSolutions,
  ReplyFormatError,
  ResponseCache,
  retryAfter,
  RetryAfterTooLongError,
  startLoopbackServer,
  TruncatedReplyError,
  withLoopbackServer,
  writeJsonAtomic,
} from "../lib/llm/mod.ts";
import { faultSequence, loopbackHandler } from "../lib/llm/testing.ts";
import { Rng } from "../lib/core/rng.ts";

const PROMPT =
  `You are an expert in multi-objective optimization algorithms. Your task is to generate improved solutions.
I have several solutions, all of which are in the form of 2 dimensional decision vectors in [0, 1].
solution: <start>0.200,0.900<end>
obj_value: 2.5
solution: <start>0.400,0.300<end>
obj_value: 1.5
Simply output three new solutions with better objective values. Each solution must start with <start> and end with <end>.`;
const MSGS = [{ role: "user" as const, content: PROMPT }];
const parse3 = (t: string) => parseSolutions(t, { count: 3, dim: 2, lower: 0, upper: 1 });

function model(baseURL: string, extra: Partial<ConstructorParameters<typeof OpenAIChatModel>[0]> = {}) {
  return new OpenAIChatModel({
    baseURL,
    apiKey: "none",
    model: "moolab-numeric",
    maxRetries: 2,
    timeout: 5_000,
    ...extra,
  });
}

/** Runs `fn` against a loopback server that applies `faults` in order, recording request times. */
async function withFaults<T>(
  faults: (Fault | undefined)[],
  fn: (baseURL: string, times: number[], stats: { chatRequests: number }) => Promise<T>,
): Promise<T> {
  const times: number[] = [];
  const plan = faultSequence(faults);
  return await withLoopbackServer((server) => fn(server.baseURL, times, server.stats), {
    faults: (i, body) => {
      times.push(performance.now());
      return plan(i, body);
    },
  });
}

Deno.test("429 with retry-after: retried after the delay the server asked for", async () => {
  await withFaults([{ kind: "status", status: 429, headers: { "retry-after": "1" } }], async (url, times) => {
    const c = await model(url).complete(MSGS, { seed: 1 });
    assert.equal(parse3(c.text).length, 3);
    assert.equal(times.length, 2);
    // the client's own backoff for a first retry is at most 0.5 s; 1 s proves retry-after was honoured
    assert.ok(times[1] - times[0] >= 950, `waited ${times[1] - times[0]} ms`);
  });
});

Deno.test("500 and 503: retried, then answered; persistent 500: LLMHTTPError after the retries", async () => {
  const e500: Fault = { kind: "status", status: 500, headers: { "retry-after-ms": "10" } };
  const e503: Fault = { kind: "status", status: 503, headers: { "retry-after-ms": "10" } };
  await withFaults([e500, e503], async (url, times) => {
    const c = await model(url).complete(MSGS, { seed: 1 });
    assert.equal(c.finishReason, "stop");
    assert.equal(times.length, 3);
  });
  await withFaults([e500, e500, e500, e500], async (url, times) => {
    await assert.rejects(
      model(url).complete(MSGS, { seed: 1 }),
      (e) => e instanceof LLMHTTPError && e.status === 500 && /after 3 attempt/.test(e.message),
    );
    assert.equal(times.length, 3);
  });
  // a 400 is not retried
  await withFaults([{ kind: "status", status: 400 }], async (url, times) => {
    await assert.rejects(model(url).complete(MSGS), (e) => e instanceof LLMHTTPError && e.status === 400);
    assert.equal(times.length, 1);
  });
});

/**
 * A raw TCP server on 127.0.0.1 that drops the first `drops` connections without a byte, then answers
 * HTTP/1.1 requests with the loopback handler (Connection: close).
 */
function droppingServer(drops: number) {
  return rawServer((i) => i < drops ? "drop" : "ok");
}

/**
 * A raw TCP server on 127.0.0.1 whose i-th connection (0-based) is dropped without a byte ("drop"),
 * answered with the headers and half the body before the connection closes ("cut"), or answered in
 * full by the loopback handler ("ok"); HTTP/1.1 with Connection: close.
 */
function rawServer(plan: (i: number) => "drop" | "cut" | "ok") {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const handler = loopbackHandler(defaultStandIns());
  let connections = 0;
  const conns = new Set<Deno.Conn>();
  const serve = async (conn: Deno.Conn) => {
    conns.add(conn);
    try {
      const what = plan(connections++);
      if (what === "drop") return;
      let buf = new Uint8Array(0);
      const chunk = new Uint8Array(65536);
      let headerEnd = -1, length = 0;
      while (true) {
        const n = await conn.read(chunk);
        if (n === null) return;
        const next = new Uint8Array(buf.length + n);
        next.set(buf);
        next.set(chunk.subarray(0, n), buf.length);
        buf = next;
        const text = new TextDecoder().decode(buf);
        if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
          length = Number(text.slice(0, headerEnd).match(/content-length:\s*(\d+)/i)?.[1] ?? 0);
        }
        if (headerEnd >= 0 && buf.length >= headerEnd + 4 + length) break;
      }
      const head = new TextDecoder().decode(buf.subarray(0, headerEnd)).split("\r\n");
      const [method, path] = head[0].split(" ");
      const res = await handler(
        new Request(`http://127.0.0.1${path}`, {
          method,
          body: buf.subarray(headerEnd + 4, headerEnd + 4 + length),
        }),
      );
      const body = new Uint8Array(await res.arrayBuffer());
      const header =
        `HTTP/1.1 ${res.status} OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n` +
        `connection: close\r\n\r\n`;
      const out = new Uint8Array([
        ...new TextEncoder().encode(header),
        ...(what === "cut" ? body.subarray(0, body.length >> 1) : body),
      ]);
      for (let w = 0; w < out.length;) w += await conn.write(out.subarray(w));
    } catch {
      /* a client that went away */
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch { /* closed */ }
    }
  };
  const loop = (async () => {
    try {
      for await (const conn of listener) serve(conn);
    } catch { /* listener closed */ }
  })();
  const port = (listener.addr as Deno.NetAddr).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    get connections() {
      return connections;
    },
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await loop;
    },
  };
}

Deno.test("dropped connection: retried by the client; all attempts dropped: LLMConnectionError", async () => {
  const s = droppingServer(1);
  try {
    const c = await model(s.baseURL).complete(MSGS, { seed: 2 });
    assert.equal(parse3(c.text).length, 3);
    assert.equal(s.connections, 2);
  } finally {
    await s.close();
  }
  const dead = droppingServer(100);
  try {
    await assert.rejects(
      model(dead.baseURL, { maxRetries: 1 }).complete(MSGS),
      (e) => e instanceof LLMConnectionError && /2 attempt/.test(e.message),
    );
    assert.equal(dead.connections, 2);
  } finally {
    await dead.close();
  }
});

Deno.test("body cut after the headers: a named LLMConnectionError, retried like any transport failure", async () => {
  const once = rawServer((i) => i === 0 ? "cut" : "ok");
  try {
    const c = await model(once.baseURL).complete(MSGS, { seed: 2 });
    assert.equal(parse3(c.text).length, 3);
    assert.equal(once.connections, 2);
  } finally {
    await once.close();
  }
  const always = rawServer(() => "cut");
  try {
    await assert.rejects(
      model(always.baseURL, { maxRetries: 1 }).complete(MSGS),
      (e) =>
        e instanceof LLMConnectionError && /middle of the response body on all 2 attempts/.test(e.message),
    );
    assert.equal(always.connections, 2);
  } finally {
    await always.close();
  }
});

Deno.test("retry-after beyond maxRetryAfter: RetryAfterTooLongError at once, saying when to retry", async () => {
  const long: Fault = { kind: "status", status: 429, headers: { "retry-after": "3600" } };
  await withFaults([long], async (url, times) => {
    const before = Date.now();
    await assert.rejects(model(url).complete(MSGS), (e) => {
      assert.ok(e instanceof RetryAfterTooLongError, String(e));
      assert.ok(e instanceof LLMHTTPError && e.status === 429);
      assert.equal(e.retryAfterMs, 3_600_000);
      assert.ok(Math.abs(e.retryAt.getTime() - (before + 3_600_000)) < 60_000);
      assert.match(e.message, /wait 3600 s .*ceiling of 60 s \(maxRetryAfter\); retry after 20\d\d-/);
      return true;
    });
    assert.equal(times.length, 1); // not retried half a second later
  });
  // the ceiling is configurable, and retry-after-ms and HTTP dates count too
  const date = new Date(Date.now() + 30_000).toUTCString();
  await withFaults(
    [{ kind: "status", status: 503, headers: { "retry-after": date } }],
    async (url) => {
      await assert.rejects(
        model(url, { maxRetryAfter: 5_000 }).complete(MSGS),
        (e) => e instanceof RetryAfterTooLongError && e.retryAfterMs > 5_000 && e.retryAfterMs <= 30_000,
      );
    },
  );
  await withFaults(
    [{ kind: "status", status: 429, headers: { "retry-after-ms": "300" } }],
    async (url, times) => {
      const c = await model(url, { maxRetryAfter: 1_000 }).complete(MSGS, { seed: 1 });
      assert.equal(parse3(c.text).length, 3);
      assert.equal(times.length, 2);
      assert.ok(times[1] - times[0] >= 290, `waited ${times[1] - times[0]} ms`);
    },
  );
  assert.equal(retryAfter(new Headers({ "retry-after": "2" })), 2000);
  assert.equal(retryAfter(new Headers({ "retry-after-ms": "15", "retry-after": "2" })), 15);
  assert.equal(retryAfter(new Headers({ "retry-after": "soon" })), undefined);
  assert.equal(retryAfter(new Headers({})), undefined);
});

Deno.test("timeout: a server that never answers gives LLMTimeoutError after the configured retries", async () => {
  await withFaults([{ kind: "hang" }, { kind: "hang" }], async (url, times) => {
    await assert.rejects(
      model(url, { timeout: 200, maxRetries: 1 }).complete(MSGS),
      (e) => e instanceof LLMTimeoutError && /within 200 ms on any of 2 attempt/.test(e.message),
    );
    assert.equal(times.length, 2);
  });
});

Deno.test("invalid JSON body and empty choice list: named errors", async () => {
  await withFaults([{ kind: "invalid-json" }, { kind: "empty-choices" }], async (url) => {
    const m = model(url);
    await assert.rejects(
      m.complete(MSGS),
      (e) => e instanceof InvalidResponseError && /not valid JSON/.test(e.message),
    );
    await assert.rejects(
      m.complete(MSGS),
      (e) => e instanceof EmptyChoicesError && /empty choice list/.test(e.message),
    );
  });
});

Deno.test("reply cut off by max tokens: TruncatedReplyError carrying the partial reply, which is cached", async () => {
  const dir = await Deno.makeTempDir({ prefix: "moolab-llm-" });
  try {
    await withFaults([], async (url, times) => {
      const cache = new ResponseCache(dir, "auto");
      await assert.rejects(
        model(url, { cache }).complete(MSGS, { seed: 1, maxTokens: 8 }),
        (e) => e instanceof TruncatedReplyError && e.reply.startsWith("<start>") && e.maxTokens === 8,
      );
      assert.equal(cache.size(), 1);
      const replay = new ResponseCache(dir, "replay");
      await assert.rejects(
        model(url, { cache: replay }).complete(MSGS, { seed: 1, maxTokens: 8 }),
        TruncatedReplyError,
      );
      const c = await model(url, { cache: replay }).complete(MSGS, {
        seed: 1,
        maxTokens: 8,
        allowTruncated: true,
      });
      assert.equal(c.finishReason, "length");
      assert.equal(times.length, 1); // the replays made no request
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("wrong format: re-asked (distinct requests), then a good reply; always wrong: error carrying the reply", async () => {
  const wrong: Fault = { kind: "reply", content: "I think x = 0.5 and y = 0.2 would be better." };
  await withFaults([wrong, undefined], async (url, times) => {
    const r = await ask(model(url), MSGS, parse3, { seed: 1, reAsks: 2 });
    assert.equal(r.attempts, 2);
    assert.equal(r.value.length, 3);
    assert.equal(times.length, 2);
  });
  await withFaults([wrong, wrong, wrong], async (url) => {
    await assert.rejects(ask(model(url), MSGS, parse3, { seed: 1, reAsks: 2 }), (e) => {
      assert.ok(e instanceof ReplyFormatError);
      assert.equal(e.reply, wrong.content);
      assert.equal(e.replies.length, 3);
      assert.match(e.message, /3 replies in the wrong format .*no <start>…<end>.*I think x = 0\.5/);
      return true;
    });
  });
});

Deno.test("numbers out of bounds or of the wrong count: rejected with the reason (or clipped on request)", async () => {
  const outOfBounds: Fault = {
    kind: "reply",
    content: "<start>1.5,0.2<end>\n<start>0.1,0.2<end>\n<start>0.3,0.4<end>",
  };
  const wrongCount: Fault = { kind: "reply", content: "<start>0.1,0.2,0.3<end>" };
  const tooFew: Fault = { kind: "reply", content: "<start>0.1,0.2<end>" };
  await withFaults([outOfBounds, wrongCount, tooFew, outOfBounds], async (url) => {
    const m = model(url);
    await assert.rejects(ask(m, MSGS, parse3, { reAsks: 0 }), /value 1: 1\.5 is outside \[0, 1\]/);
    await assert.rejects(
      ask(m, MSGS, parse3, { reAsks: 0, sampleId: 1 }),
      /solution 1 has 3 values, expected 2/,
    );
    await assert.rejects(
      ask(m, MSGS, parse3, { reAsks: 0, sampleId: 2 }),
      /1 solution\(s\), 3 were asked for/,
    );
    const clipped = await ask(
      m,
      MSGS,
      (t) => parseSolutions(t, { count: 3, dim: 2, lower: 0, upper: 1, clip: true }),
      { reAsks: 0, sampleId: 3 },
    );
    assert.deepEqual(clipped.value[0], [1, 0.2]);
  });
});

Deno.test("the cache keeps every good answer received before a failure; replay answers them with no request", async () => {
  const dir = await Deno.makeTempDir({ prefix: "moolab-llm-" });
  try {
    const e500: Fault = { kind: "status", status: 500, headers: { "retry-after-ms": "1" } };
    await withFaults([undefined, undefined, undefined, e500, e500, e500], async (url) => {
      const m = model(url, { cache: new ResponseCache(dir, "record"), runId: "crash" });
      await assert.rejects(async () => {
        for (let step = 0; step < 5; step++) await m.complete(MSGS, { seed: step, sampleId: step });
      }, LLMHTTPError);
    });
    assert.equal(new ResponseCache(dir, "replay").size(), 3);
    await withFaults([], async (url, times) => {
      const m = model(url, { cache: new ResponseCache(dir, "replay"), runId: "crash" });
      for (let step = 0; step < 3; step++) {
        assert.equal((await m.complete(MSGS, { seed: step, sampleId: step })).cached, true);
      }
      await assert.rejects(m.complete(MSGS, { seed: 3, sampleId: 3 }), CacheMissError);
      assert.equal(times.length, 0);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------------------------------------
// A run killed mid-way resumes from cache and checkpoint to the same result
// ---------------------------------------------------------------------------------------------------------

interface LoopState {
  step: number;
  pool: { x: number[]; f: number }[];
}

const sphere = (x: number[]) => x.reduce((s, v) => s + (v - 0.3) ** 2, 0);

/**
 * A small seeded LLM loop in the style of NSGA-II-LLM's LLM step: the best 4 solutions of the pool,
 * worst first, in the paper's prompt; 3 new solutions per step, evaluated and added to the pool. A
 * checkpoint is written atomically after each step. `crashAt`: die after the answer of that step
 * arrived (and was cached by the layer) but before its checkpoint was written.
 */
async function llmLoop(
  llm: LLMSession,
  options: { steps: number; checkpoint: string; crashAt?: number; resume?: boolean },
): Promise<LoopState> {
  let state: LoopState;
  if (options.resume) state = JSON.parse(Deno.readTextFileSync(options.checkpoint));
  else {
    const rng = new Rng(11);
    state = {
      step: 0,
      pool: Array.from({ length: 4 }, () => {
        const x = [rng.random(), rng.random(), rng.random(), rng.random()].map((v) =>
          Math.round(v * 1000) / 1000
        );
        return { x, f: sphere(x) };
      }),
    };
  }
  const m = llm.model("moolab-numeric");
  for (; state.step < options.steps; state.step++) {
    const best = [...state.pool].sort((a, b) => a.f - b.f).slice(0, 4).reverse();
    const prompt =
      "You are an expert in multi-objective optimization algorithms. Your task is to generate improved " +
      "solutions with better objective values through given solutions.\n\nI have several solutions, all of which are " +
      "in the form of 4 dimensional decision vectors in [0, 1]. The following is the initial solution in the mating " +
      "pool.\n\n" + best.map((s) =>
        `solution: <start>${
          s.x.map((v) => v.toFixed(3)).join(",")
        }<end>\n\nobj_value: ${s.f.toFixed(3)}\n`
      ).join("\n") +
      "\nSimply output three new solutions with better objective values. Each solution must start with <start> and end with <end>.";
    const { value } = await ask(
      m,
      [{ role: "user", content: prompt }],
      (t) => parseSolutions(t, { count: 3, dim: 4, lower: 0, upper: 1, clip: true }),
      {
        seed: 1000 + state.step,
        sampleId: `step-${state.step}`,
        temperature: 1,
        operator: "llm reproduction",
      },
    );
    if (options.crashAt === state.step) throw new Error(`simulated crash at step ${state.step}`);
    for (const x of value) state.pool.push({ x, f: sphere(x) });
    writeJsonAtomic(options.checkpoint, { ...state, step: state.step + 1 });
  }
  return state;
}

Deno.test("a run killed mid-way resumes from cache + checkpoint to the same result; replay makes zero calls", async () => {
  const dir = await Deno.makeTempDir({ prefix: "moolab-llm-resume-" });
  try {
    const steps = 6;
    const open = (cache: string, mode: "auto" | "replay") =>
      openLLM({ cacheDir: `${dir}/${cache}`, cacheMode: mode, runId: "resume-demo" });
    // reference: one uninterrupted run
    const ref = await open("ref", "auto");
    let reference: LoopState;
    try {
      reference = await llmLoop(ref, { steps, checkpoint: `${dir}/ref.json` });
      assert.equal(ref.server!.stats.chatRequests, steps);
    } finally {
      await ref.close();
    }
    assert.ok(
      Math.min(...reference.pool.map((p) => p.f)) < Math.min(...reference.pool.slice(0, 4).map((p) => p.f)),
    );
    // killed after the answer of step 3 arrived, before its checkpoint
    const first = await open("run", "auto");
    try {
      await assert.rejects(
        llmLoop(first, { steps, checkpoint: `${dir}/run.json`, crashAt: 3 }),
        /simulated crash/,
      );
      assert.equal(first.server!.stats.chatRequests, 4);
    } finally {
      await first.close();
    }
    assert.equal(JSON.parse(Deno.readTextFileSync(`${dir}/run.json`)).step, 3);
    // resumed in auto mode: step 3 comes from the cache, steps 4 and 5 are new calls
    const second = await open("run", "auto");
    let resumed: LoopState;
    try {
      resumed = await llmLoop(second, { steps, checkpoint: `${dir}/run.json`, resume: true });
      assert.equal(second.server!.stats.chatRequests, 2);
      assert.equal(second.ledger.totals().cachedCalls, 1);
    } finally {
      await second.close();
    }
    assert.deepEqual(resumed, reference);
    // the whole run again in replay mode: the same result with zero calls
    const replay = await open("run", "replay");
    try {
      const again = await llmLoop(replay, { steps, checkpoint: `${dir}/replay.json` });
      assert.deepEqual(again, reference);
      assert.equal(replay.server!.stats.chatRequests, 0);
      assert.equal(replay.ledger.totals().cachedCalls, steps);
      assert.equal(replay.ledger.totals().paid, 0);
    } finally {
      await replay.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("server close releases hanging requests (no test can hang on it)", async () => {
  const server = startLoopbackServer({ faults: () => ({ kind: "hang" }) });
  const pending = fetch(`${server.baseURL}/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ model: "moolab-text", messages: [{ role: "user", content: "x" }] }),
  }).then(async (r) => {
    await r.body?.cancel();
    return r.status;
  }, () => -1);
  while (server.stats.chatRequests === 0) await new Promise((r) => setTimeout(r, 5));
  await server.close();
  assert.ok([503, -1].includes(await pending));
});
