/**
 * The loopback server: an OpenAI-compatible HTTP endpoint on 127.0.0.1 backed by the stand-ins
 * (lib/llm/standins), so the whole path of an LLM call — `npm:openai`, HTTP, JSON, retries, the cache
 * and the ledger — runs offline exactly as it does against a real endpoint.
 *
 * Routes: `POST /v1/chat/completions` (the chat-completion schema: `model`, `messages`, `temperature`,
 * `max_tokens` or `max_completion_tokens`, `seed`, `n`; no streaming), `GET /v1/models` and
 * `GET /v1/models/{id}`. Replies follow OpenAI's schema (`id`, `object: "chat.completion"`, `created`,
 * `model`, `system_fingerprint`, `choices[{index, message{role, content}, finish_reason}]`,
 * `usage{prompt_tokens, completion_tokens, total_tokens}`); errors use OpenAI's
 * `{error: {message, type, param, code}}`. `max_tokens` is honoured: the reply is cut at that many
 * tokens and `finish_reason` is `"length"`. Token counts follow lib/llm/tokens.ts. Each stand-in says
 * what it is in `/v1/models` (`description`) and in `system_fingerprint`; reply ids start with
 * `chatcmpl-moolab-`.
 *
 * `POST /v1/completions` (the legacy completion schema) serves prompt log-probabilities: with `echo: true`
 * and `logprobs` set, a stand-in that can score text (a `score(text)` method, e.g. InstOptima's n-gram
 * `moolab-ngram`) returns the prompt's tokens with `token_logprobs` (and `max_tokens` greedy tokens after
 * them); `usage.prompt_tokens` is the number of prompt tokens. A stand-in without `score` answers 400.
 *
 * For tests, a fault plan makes the server misbehave on chosen requests (HTTP errors with headers such
 * as `retry-after`, a hang, a body that is not JSON, an empty choice list, a canned reply).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { countChatTokens, countTokens, truncateTokens } from "./tokens.ts";
import { defaultStandIns, requestRng, type StandInRegistry } from "./standins/mod.ts";

/** A misbehaviour of the server for one request (tests). */
export type Fault =
  /** Answer this HTTP status with these headers and an OpenAI-style error body (or `body`). */
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: unknown }
  /** Never answer (the request is held until the server closes). */
  | { kind: "hang" }
  /** Answer normally after `ms` milliseconds (a slow endpoint; released early when the server closes). */
  | { kind: "delay"; ms: number }
  /** Answer 200 with a body that is not JSON. */
  | { kind: "invalid-json" }
  /** Answer a chat completion with `choices: []`. */
  | { kind: "empty-choices" }
  /** Answer this content instead of the stand-in's (e.g. a reply in the wrong format). */
  | { kind: "reply"; content: string; finishReason?: string };

/** Chooses the fault for the `index`-th chat request (0-based), or none. */
export type FaultPlan = (index: number, body: unknown) => Fault | undefined;

/** A plan that applies `faults[i]` to the i-th chat request and behaves after the list ends. */
export function faultSequence(faults: readonly (Fault | undefined)[]): FaultPlan {
  return (i) => faults[i];
}

/** Options of {@link startLoopbackServer}. */
export interface LoopbackOptions {
  /** Port (default 0: the system picks a free one). */
  port?: number;
  /**
   * Host (default 127.0.0.1). A host other than a loopback address (127.x.x.x, ::1, localhost) is
   * refused unless `allowRemote` is true and a `token` is given.
   */
  hostname?: string;
  /** Allow listening on a non-loopback host (needs `token`). */
  allowRemote?: boolean;
  /** When set, every request must carry `Authorization: Bearer <token>` (else 401). */
  token?: string;
  /** The stand-ins (default: {@link defaultStandIns}). */
  registry?: StandInRegistry;
  /** Fault injection (tests). */
  faults?: FaultPlan;
}

/** What the server has seen. */
export interface ServerStats {
  /** Chat-completion requests received (including faulty answers). */
  chatRequests: number;
  /** Chat completions answered by a stand-in. */
  completions: number;
  /** Chat requests per model name. */
  byModel: Record<string, number>;
}

/** A running loopback server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>/v1`, the `baseURL` for `openai`. */
  readonly baseURL: string;
  /** The port it listens on. */
  readonly port: number;
  /** Counts of the requests served. */
  readonly stats: ServerStats;
  /** The stand-ins it serves. */
  readonly registry: StandInRegistry;
  /** Stops accepting, releases hanging requests and waits for the server to finish. */
  close(): Promise<void>;
  /** Lets the process exit while the server is still open (benchmarks). */
  unref(): void;
  /** Closes the server (`await using`). */
  [Symbol.asyncDispose](): Promise<void>;
}

function errorResponse(
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
) {
  return Response.json({ error: { message, type, param, code } }, { status });
}

/** A chat request after validation. */
interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string; name?: string }[];
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  n: number;
}

function validate(body: unknown): ChatRequestBody | Response {
  const bad = (message: string, param: string | null) =>
    errorResponse(400, message, "invalid_request_error", "invalid_request", param);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return bad("The body must be a JSON object.", null);
  }
  const b = body as Record<string, unknown>;
  if (typeof b.model !== "string" || b.model.length === 0) {
    return bad("'model' is required and must be a string.", "model");
  }
  if (!Array.isArray(b.messages) || b.messages.length === 0) {
    return bad("'messages' must be a non-empty array.", "messages");
  }
  const messages: ChatRequestBody["messages"] = [];
  for (const [i, m] of (b.messages as unknown[]).entries()) {
    const r = m as Record<string, unknown>;
    if (!r || !["system", "developer", "user", "assistant", "tool"].includes(r.role as string)) {
      return bad(
        `messages[${i}].role must be system, developer, user, assistant or tool.`,
        `messages[${i}].role`,
      );
    }
    let content: string;
    if (typeof r.content === "string") content = r.content;
    else if (Array.isArray(r.content)) {
      const parts = r.content as Record<string, unknown>[];
      if (parts.some((p) => p?.type !== "text" || typeof p.text !== "string")) {
        return bad(
          `messages[${i}].content: only text parts are supported by the moolab stand-ins.`,
          `messages[${i}].content`,
        );
      }
      content = parts.map((p) => p.text as string).join("");
    } else if (r.content === null && r.role === "assistant") content = "";
    else {return bad(
        `messages[${i}].content must be a string or an array of text parts.`,
        `messages[${i}].content`,
      );}
    messages.push({
      role: r.role === "developer" ? "system" : (r.role as string),
      content,
      ...(typeof r.name === "string" ? { name: r.name } : {}),
    });
  }
  if (b.stream === true) return bad("Streaming is not supported by the moolab loopback server.", "stream");
  const out: ChatRequestBody = { model: b.model, messages, n: 1 };
  if (b.temperature !== undefined && b.temperature !== null) {
    if (typeof b.temperature !== "number" || !(b.temperature >= 0 && b.temperature <= 2)) {
      return bad("'temperature' must be a number in [0, 2].", "temperature");
    }
    out.temperature = b.temperature;
  }
  const mt = b.max_completion_tokens ?? b.max_tokens;
  if (mt !== undefined && mt !== null) {
    if (!Number.isInteger(mt) || (mt as number) < 1) {
      return bad("'max_tokens' must be a positive integer.", "max_tokens");
    }
    out.maxTokens = mt as number;
  }
  if (b.seed !== undefined && b.seed !== null) {
    if (!Number.isSafeInteger(b.seed)) return bad("'seed' must be an integer.", "seed");
    out.seed = b.seed as number;
  }
  if (b.n !== undefined && b.n !== null) {
    if (!Number.isInteger(b.n) || (b.n as number) < 1 || (b.n as number) > 16) {
      return bad("'n' must be an integer in [1, 16].", "n");
    }
    out.n = b.n as number;
  }
  return out;
}

/** The id of a completion: a hash of the request, prefixed so it is recognisably the loopback server's. */
function completionId(body: ChatRequestBody): string {
  return "chatcmpl-moolab-" + createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 24);
}

/**
 * The server's request handler, usable without a network (e.g. `await handler(new Request(...))`).
 * `state` collects statistics; `released` ends hanging requests.
 */
export function loopbackHandler(
  registry: StandInRegistry,
  faults?: FaultPlan,
  stats: ServerStats = { chatRequests: 0, completions: 0, byModel: {} },
  released: AbortSignal = new AbortController().signal,
): (req: Request) => Promise<Response> {
  return async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const path = url.pathname.replace(/\/+$/, "");
    if (req.method === "GET" && path === "/v1/models") {
      return Response.json({
        object: "list",
        data: registry.list().map((s) => ({
          id: s.name,
          object: "model",
          created: 0,
          owned_by: "moolab-loopback",
          description: s.description,
          fingerprint: s.fingerprint,
        })),
      });
    }
    if (req.method === "GET" && path.startsWith("/v1/models/")) {
      const s = registry.get(decodeURIComponent(path.slice("/v1/models/".length)));
      if (!s) {
        return errorResponse(
          404,
          `The model ${path.slice(11)} does not exist.`,
          "invalid_request_error",
          "model_not_found",
        );
      }
      return Response.json({
        id: s.name,
        object: "model",
        created: 0,
        owned_by: "moolab-loopback",
        description: s.description,
      });
    }
    if (path === "/v1/completions" && req.method === "POST") return await legacyCompletion(req, registry);
    if (path !== "/v1/chat/completions") {
      return errorResponse(
        404,
        `Unknown route ${req.method} ${url.pathname} (moolab loopback server).`,
        "invalid_request_error",
        "unknown_url",
      );
    }
    if (req.method !== "POST") {
      return errorResponse(405, "Use POST.", "invalid_request_error", "method_not_allowed");
    }
    let raw: unknown;
    try {
      raw = await req.json();
    } catch {
      return errorResponse(
        400,
        "We could not parse the JSON body of your request.",
        "invalid_request_error",
        "invalid_json",
      );
    }
    const index = stats.chatRequests++;
    const model = (raw as Record<string, unknown>)?.model;
    if (typeof model === "string") stats.byModel[model] = (stats.byModel[model] ?? 0) + 1;
    const fault = faults?.(index, raw);
    if (fault?.kind === "status") {
      const body = fault.body ??
        {
          error: {
            message: `injected fault: HTTP ${fault.status}`,
            type: "server_error",
            param: null,
            code: null,
          },
        };
      return Response.json(body, { status: fault.status, headers: fault.headers });
    }
    if (fault?.kind === "hang") {
      // held until the server closes (the client gives up on its own timeout meanwhile)
      await new Promise<void>((resolve) => {
        if (released.aborted) return resolve();
        released.addEventListener("abort", () => resolve(), { once: true });
      });
      return errorResponse(
        503,
        "the loopback server was closed while the request hung",
        "server_error",
        null,
      );
    }
    if (fault?.kind === "delay") {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, fault.ms);
        released.addEventListener("abort", () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
      });
    }
    if (fault?.kind === "invalid-json") {
      return new Response('{"id": "chatcmpl-moolab-broken", "choices": [', {
        headers: { "content-type": "application/json" },
      });
    }
    const checked = validate(raw);
    if (checked instanceof Response) return checked;
    const standIn = registry.get(checked.model);
    if (!standIn) {
      return errorResponse(
        404,
        `The model '${checked.model}' does not exist on the moolab loopback server (it has ${
          registry.names().join(", ")
        }).`,
        "invalid_request_error",
        "model_not_found",
        "model",
      );
    }
    const promptTokens = countChatTokens(checked.messages);
    const choices = [];
    let completionTokens = 0;
    if (fault?.kind !== "empty-choices") {
      for (let c = 0; c < checked.n; c++) {
        const request = {
          model: checked.model,
          messages: checked.messages,
          temperature: checked.temperature ?? 1,
          seed: checked.seed,
          choice: c,
        };
        let content = fault?.kind === "reply" ? fault.content : standIn.respond(request, requestRng(request));
        let finish = fault?.kind === "reply" ? fault.finishReason ?? "stop" : "stop";
        if (checked.maxTokens !== undefined) {
          const cut = truncateTokens(content, checked.maxTokens);
          if (cut.truncated) {
            content = cut.text;
            finish = "length";
          }
        }
        completionTokens += countTokens(content);
        choices.push({
          index: c,
          message: { role: "assistant", content, refusal: null },
          logprobs: null,
          finish_reason: finish,
        });
      }
      stats.completions++;
    }
    return Response.json({
      id: completionId(checked),
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: checked.model,
      system_fingerprint: standIn.fingerprint,
      choices,
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    });
  };
}

/** True for a loopback host name: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/** A handler that answers 401 unless the request carries `Authorization: Bearer <token>`. */
export function requireToken(
  token: string,
  handler: (req: Request) => Promise<Response>,
): (req: Request) => Promise<Response> {
  const expected = `Bearer ${token}`;
  return (req) => {
    if (req.headers.get("authorization") !== expected) {
      return Promise.resolve(errorResponse(
        401,
        "Missing or wrong bearer token for this moolab loopback server.",
        "invalid_request_error",
        "invalid_api_key",
      ));
    }
    return handler(req);
  };
}

/**
 * Starts the loopback server on 127.0.0.1 (port 0: a free port); close it when done. A non-loopback
 * host is refused unless `allowRemote` and a `token` are given (the stand-ins are then reachable from
 * the network, for requests that carry the token).
 */
export function startLoopbackServer(options: LoopbackOptions = {}): LoopbackServer {
  const registry = options.registry ?? defaultStandIns();
  const stats: ServerStats = { chatRequests: 0, completions: 0, byModel: {} };
  const release = new AbortController();
  const hostname = options.hostname ?? "127.0.0.1";
  if (options.token !== undefined && options.token.length < 8) {
    throw new RangeError("startLoopbackServer: a token must have at least 8 characters");
  }
  if (!isLoopbackHost(hostname) && !(options.allowRemote === true && options.token)) {
    throw new RangeError(
      `startLoopbackServer: refusing to listen on ${hostname}, which is not a loopback address; ` +
        `pass allowRemote: true and a token (llm-server: --allow-remote --token <token>) to serve the network`,
    );
  }
  const handler = loopbackHandler(registry, options.faults, stats, release.signal);
  const server = Deno.serve(
    { hostname, port: options.port ?? 0, onListen: () => {} },
    options.token ? requireToken(options.token, handler) : handler,
  );
  const port = server.addr.port;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      release.abort();
      await server.shutdown();
    })();
    return closing;
  };
  return {
    baseURL: `http://${hostname}:${port}/v1`,
    port,
    stats,
    registry,
    close,
    unref: () => server.unref(),
    [Symbol.asyncDispose]: close,
  };
}

/** Runs `fn` with a loopback server and closes the server afterwards, whatever happens. */
export async function withLoopbackServer<T>(
  fn: (server: LoopbackServer) => Promise<T> | T,
  options: LoopbackOptions = {},
): Promise<T> {
  const server = startLoopbackServer(options);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** Token log-probabilities of a text, as a scoring stand-in computes them. */
export interface ScoredText {
  /** The tokens of the text. */
  tokens: string[];
  /** Natural log-probability of each token given those before it. */
  logprobs: number[];
  /** Character offset of each token in the text. */
  offsets: number[];
}

/** A stand-in that can also score text (the `/v1/completions` route with `echo` and `logprobs`). */
interface ScoringStandIn {
  score?: (text: string) => ScoredText;
  continueText?: (text: string, maxTokens: number) => ScoredText;
}

/** `POST /v1/completions`: prompt log-probabilities from a scoring stand-in (see the module comment). */
async function legacyCompletion(req: Request, registry: StandInRegistry): Promise<Response> {
  const bad = (message: string, param: string | null) =>
    errorResponse(400, message, "invalid_request_error", "invalid_request", param);
  let b: Record<string, unknown>;
  try {
    b = await req.json();
  } catch {
    return errorResponse(
      400,
      "We could not parse the JSON body of your request.",
      "invalid_request_error",
      "invalid_json",
    );
  }
  if (typeof b?.model !== "string") return bad("'model' is required and must be a string.", "model");
  const standIn = registry.get(b.model);
  if (!standIn) {
    return errorResponse(
      404,
      `The model '${b.model}' does not exist.`,
      "invalid_request_error",
      "model_not_found",
      "model",
    );
  }
  const scorer = standIn as unknown as ScoringStandIn;
  if (typeof b.prompt !== "string") return bad("'prompt' must be a string.", "prompt");
  const maxTokens = b.max_tokens ?? 16;
  if (!Number.isInteger(maxTokens) || (maxTokens as number) < 0) {
    return bad("'max_tokens' must be an integer ≥ 0.", "max_tokens");
  }
  if (b.echo !== true || b.logprobs === undefined || b.logprobs === null) {
    return bad(
      "the moolab loopback server serves /v1/completions only with echo: true and logprobs set.",
      "echo",
    );
  }
  if (typeof scorer.score !== "function") {
    return bad(
      `The model '${b.model}' does not return log-probabilities (it is a chat stand-in).`,
      "logprobs",
    );
  }
  const text: string = b.prompt;
  const prompt = scorer.score(text);
  const more = typeof scorer.continueText === "function" && (maxTokens as number) > 0
    ? scorer.continueText(text, maxTokens as number)
    : { tokens: [], logprobs: [], offsets: [] };
  const generated = more.tokens.map((t) => " " + t).join("");
  return Response.json({
    id: "cmpl-moolab-" + createHash("sha256").update(JSON.stringify(b)).digest("hex").slice(0, 24),
    object: "text_completion",
    created: Math.floor(Date.now() / 1000),
    model: b.model,
    system_fingerprint: standIn.fingerprint,
    choices: [{
      index: 0,
      text: text + generated,
      logprobs: {
        tokens: [...prompt.tokens, ...more.tokens],
        token_logprobs: [...prompt.logprobs, ...more.logprobs],
        top_logprobs: null,
        text_offset: [...prompt.offsets, ...more.offsets.map((o) => o + text.length)],
      },
      finish_reason: "length",
    }],
    usage: {
      prompt_tokens: prompt.tokens.length,
      completion_tokens: more.tokens.length,
      total_tokens: prompt.tokens.length + more.tokens.length,
    },
  });
}
