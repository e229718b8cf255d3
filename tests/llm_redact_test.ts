/**
 * The API key never reaches an output (issue 16, item 5): a key is planted in the configuration, in
 * the endpoint URL and in a server's 401 reply, and every surface is searched for it — the config,
 * session and model as JSON, `Deno.inspect` and `String`, the errors and their causes, the cache
 * directory, the ledger's journal, the checkpoint, a child process's stdout and stderr, and the
 * outputs of a notebook executed headlessly. Also: the loopback server refuses a non-loopback host
 * unless asked explicitly with a token.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  llmConfig,
  LLMConnectionError,
  LLMHTTPError,
  OpenAIChatModel,
  openLLM,
  redactText,
  redactURL,
  startLoopbackServer,
  urlSecrets,
} from "../lib/llm/mod.ts";
import { isLoopbackHost } from "../lib/llm/server.ts";
import { executeNotebook } from "../tools/notebook.ts";
import { PAPER_PROMPT } from "./_support.ts";

const KEY = "sk-moolabPLANTED0123456789abcdefSECRET";
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MSGS = [{ role: "user" as const, content: PAPER_PROMPT }];

/** Fails naming the surface when `text` contains the key (or its URL-encoded form, or its middle). */
function clean(surface: string, text: string): void {
  for (const needle of [KEY, encodeURIComponent(KEY), KEY.slice(8, 30)]) {
    assert.ok(
      !text.includes(needle),
      `${surface} contains the planted key: …${
        text.slice(
          Math.max(0, text.indexOf(needle) - 80),
          text.indexOf(needle) + 80,
        )
      }…`,
    );
  }
}

/** Every file under `dir`, for grepping. */
function* files(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* files(p);
    else if (e.isFile) yield p;
  }
}

function cleanDir(dir: string): number {
  let n = 0;
  for (const f of files(dir)) {
    clean(f, Deno.readTextFileSync(f));
    n++;
  }
  return n;
}

const inspectAll = (v: unknown) => Deno.inspect(v, { showHidden: true, depth: 20, colors: false });

Deno.test("redactURL and redactText: user info, key-like query values, bearer tokens, sk- keys", () => {
  assert.equal(redactURL(`https://bob:${KEY}@api.example.com/v1`), "https://[redacted]@api.example.com/v1");
  assert.equal(
    redactURL(`https://api.example.com/v1?api-version=2024&api-key=${KEY}`),
    "https://api.example.com/v1?api-version=2024&api-key=[redacted]",
  );
  assert.equal(redactURL("http://127.0.0.1:8080/v1"), "http://127.0.0.1:8080/v1");
  assert.deepEqual(urlSecrets(`https://api.example.com/v1?token=abcdefgh12`), ["abcdefgh12"]);
  assert.equal(redactText(`Authorization: Bearer ${KEY}x`, []), "Authorization: Bearer [redacted]");
  assert.equal(
    redactText(`Incorrect API key provided: sk-proj-abcdefghijklmnopqrstu.`, []),
    "Incorrect API key provided: [redacted].",
  );
  assert.equal(
    redactText("the key is hunter2-long-secret", ["hunter2-long-secret"]),
    "the key is [redacted]",
  );
  // placeholders shorter than 8 characters are not searched for ("none" stays a word)
  assert.equal(redactText("none of this", ["none"]), "none of this");
});

Deno.test("config, session and model: JSON, inspect (showHidden) and String show no key", async () => {
  await using server = startLoopbackServer();
  const config = llmConfig({
    env: { MOOLAB_LLM_MODEL: "moolab-numeric", OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: KEY },
  });
  assert.equal(config.kind === "endpoint" && config.apiKey, KEY); // still usable
  clean("JSON.stringify(config)", JSON.stringify(config));
  clean("inspect(config)", inspectAll(config));
  clean("String(config)", String(config));
  const llm = await openLLM({ config });
  try {
    const model = llm.model("moolab-numeric");
    assert.equal((await model.complete(MSGS, { seed: 1 })).finishReason, "stop");
    for (const [what, v] of [["session", llm], ["model", model], ["config", llm.config]] as const) {
      clean(`JSON.stringify(${what})`, JSON.stringify(v, (_k, x) => (x === server ? undefined : x)));
      clean(`inspect(${what})`, inspectAll(v));
      clean(`String(${what})`, String(v));
    }
    // a plain object given as config is wrapped too
    const plain = {
      kind: "endpoint" as const,
      baseURL: server.baseURL,
      apiKey: KEY,
      model: "m",
      description: "d",
    };
    const llm2 = await openLLM({ config: plain });
    clean("inspect(session from a plain config)", inspectAll(llm2));
    await llm2.close();
  } finally {
    await llm.close();
  }
});

Deno.test("errors: a key in the URL (user info or query) and a key echoed in a 401 body are redacted", async () => {
  const echo = {
    error: {
      message: `Incorrect API key provided: ${KEY}. You can find your API key at …`,
      type: "invalid_request_error",
      param: null,
      code: "invalid_api_key",
    },
  };
  await using server = startLoopbackServer({ faults: () => ({ kind: "status", status: 401, body: echo }) });
  const m = new OpenAIChatModel({ baseURL: server.baseURL, apiKey: KEY, model: "moolab-numeric" });
  const e401 = await m.complete(MSGS).catch((e) => e);
  assert.ok(e401 instanceof LLMHTTPError && e401.status === 401, String(e401));
  assert.match(e401.message, /Incorrect API key provided: \[redacted\]/);
  clean("401 error", inspectAll(e401) + String(e401) + JSON.stringify(e401.body) + e401.stack);

  const port = server.port;
  for (
    const url of [
      `http://bob:${KEY}@127.0.0.1:${port}/v1`,
      `http://127.0.0.1:1/v1?api-key=${KEY}`,
      `http://${KEY}@127.0.0.1:1/v1`,
    ]
  ) {
    const bad = new OpenAIChatModel({ baseURL: url, apiKey: "other-key-123456", model: "m", maxRetries: 0 });
    clean(`String(model at ${redactURL(url)})`, String(bad) + inspectAll(bad) + JSON.stringify(bad));
    const e = await bad.complete(MSGS).catch((e) => e);
    assert.ok(e instanceof LLMConnectionError || e instanceof LLMHTTPError, String(e));
    clean(`error at ${redactURL(url)}`, inspectAll(e) + String(e) + e.stack);
  }
  assert.throws(
    () => llmConfig({ env: { OPENAI_BASE_URL: `https://api.example.com/v1?key=${KEY}` } }),
    (e: Error) => /no model/.test(e.message) && !e.message.includes(KEY),
  );
});

Deno.test("the loopback server refuses a non-loopback host unless allowRemote and a token are given", async () => {
  assert.ok(isLoopbackHost("127.0.0.1") && isLoopbackHost("localhost") && isLoopbackHost("[::1]"));
  assert.ok(!isLoopbackHost("0.0.0.0") && !isLoopbackHost("192.168.1.2"));
  assert.throws(() => startLoopbackServer({ hostname: "0.0.0.0" }), /refusing to listen on 0\.0\.0\.0/);
  assert.throws(() => startLoopbackServer({ hostname: "0.0.0.0", allowRemote: true }), /token/);
  assert.throws(
    () => startLoopbackServer({ hostname: "0.0.0.0", token: "long-enough-token" }),
    /allowRemote/,
  );
  // the command line too: `deno task llm-server --host 0.0.0.0` stops with the reason
  const cli = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "tools/llm_server.ts"), "--host", "0.0.0.0"],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.notEqual(cli.code, 0);
  assert.match(
    new TextDecoder().decode(cli.stderr),
    /refusing to listen on 0\.0\.0\.0.*--allow-remote --token/,
  );
  // a token guards every request (tested on loopback, to keep the test off the network)
  await using server = startLoopbackServer({ token: "long-enough-token" });
  const denied = await fetch(`${server.baseURL}/models`);
  assert.equal(denied.status, 401);
  await denied.body?.cancel();
  const ok = await new OpenAIChatModel({
    baseURL: server.baseURL,
    apiKey: "long-enough-token",
    model: "moolab-numeric",
  })
    .complete(MSGS, { seed: 1 });
  assert.equal(ok.finishReason, "stop");
});

Deno.test("a child run with a planted key: stdout, stderr, cache, ledger journal and checkpoint are clean", async () => {
  const dir = await Deno.makeTempDir({ prefix: "moolab-redact-" });
  await using server = startLoopbackServer();
  try {
    const run = async (baseURL: string, cache = "cache") =>
      await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", join(ROOT, "tests/llm_child_run.ts"), dir],
        cwd: ROOT,
        env: {
          MOOLAB_LLM_MODEL: "moolab-numeric",
          OPENAI_BASE_URL: baseURL,
          OPENAI_API_KEY: KEY,
          CHILD_GENERATIONS: "3",
          CHILD_CACHE: join(dir, cache),
          NO_COLOR: "1",
        },
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(120_000), // no test can hang on a child
      }).output();
    const good = await run(server.baseURL);
    const out = new TextDecoder().decode(good.stdout), err = new TextDecoder().decode(good.stderr);
    assert.equal(good.code, 0, err);
    assert.match(out, /RESULT /);
    clean("child stdout", out);
    clean("child stderr", err);
    assert.ok(cleanDir(dir) >= 4); // cache entries, journal, checkpoint
    // a key inside the endpoint URL, and the run fails: its uncaught error on stderr is clean too
    Deno.removeSync(join(dir, "checkpoint.json"));
    const bad = await run(`http://127.0.0.1:1/v1?api-key=${KEY}`, "cache-bad");
    const badErr = new TextDecoder().decode(bad.stderr);
    assert.notEqual(bad.code, 0);
    assert.match(badErr, /LLMConnectionError/);
    clean("failing child stderr", badErr);
    clean("failing child stdout", new TextDecoder().decode(bad.stdout));
    cleanDir(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a notebook that shows the session, the model, the config and the errors: its outputs are clean", async () => {
  const dir = join(ROOT, "out", `test-redact-${crypto.randomUUID().slice(0, 8)}`);
  Deno.mkdirSync(dir, { recursive: true });
  const cells = [
    `import { llmConfig, OpenAIChatModel, openLLM, startLoopbackServer } from "../../lib/llm/mod.ts";
const KEY = Deno.env.get("PLANTED_KEY")!;
const echo = { error: { message: "Incorrect API key provided: " + KEY, type: "invalid_request_error", param: null, code: "invalid_api_key" } };
const server = startLoopbackServer({ faults: (i) => (i === 1 ? { kind: "status", status: 401, body: echo } : undefined) });
const config = llmConfig({ env: { MOOLAB_LLM_MODEL: "moolab-numeric", OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: KEY } });
const llm = await openLLM({ config, cacheDir: "cache", ledgerPath: "ledger.jsonl" });
llm;`,
    `const model = llm.model("moolab-numeric");
const MSGS = [{ role: "user" as const, content: ${JSON.stringify(PAPER_PROMPT)} }];
await model.complete(MSGS, { seed: 1 });
model;`,
    `llm.config;`,
    `console.log(JSON.stringify(llm.config), String(llm), String(model));
const e401 = await model.complete(MSGS, { seed: 2 }).catch((e) => e);
console.error(e401);
e401;`,
    `const bad = new OpenAIChatModel({ baseURL: "http://bob:" + KEY + "@127.0.0.1:1/v1", apiKey: KEY, model: "m", maxRetries: 0 });
const e2 = await bad.complete(MSGS).catch((e) => e);
console.log(bad, e2);
llm.ledger;`,
    `await server.close();
throw e401;`,
  ];
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map((source) => ({
      cell_type: "code",
      metadata: {},
      source,
      outputs: [],
      execution_count: null,
    })),
  };
  const path = join(dir, "redact.ipynb");
  Deno.writeTextFileSync(path, JSON.stringify(nb));
  try {
    const r = await executeNotebook(path, {
      outDir: join(dir, "executed"),
      env: { PLANTED_KEY: KEY },
      timeoutSeconds: 120,
    });
    assert.equal(r.failedCell, 6, r.error); // the last cell throws the 401 error on purpose
    assert.match(r.error ?? "", /HTTP 401/);
    const written = Deno.readTextFileSync(r.outputPath!);
    assert.match(written, /\[redacted\]/); // the outputs were written, with the key redacted
    clean("executed notebook", written);
    clean("notebook error", r.error ?? "");
    assert.ok(cleanDir(dir) >= 4);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
