/**
 * The chat-model interface of moolab and its implementation on the official `openai` client, which
 * talks to any OpenAI-compatible endpoint: OpenAI, a local Ollama, vLLM or llama.cpp server, or the
 * project's own loopback server of stand-ins (lib/llm/server.ts).
 *
 * One call, {@link OpenAIChatModel.complete}:
 * 1. waits for a slot (a bound on concurrent requests);
 * 2. asks the response cache (lib/llm/cache.ts) — a hit is answered without a request; on a miss (mode
 *    "auto") it claims the key, so that processes sharing the cache buy each answer once (a claimant
 *    that finds the key claimed waits and is answered from the cache);
 * 3. sends the request through `openai` (`chat.completions.create` with temperature, `max_tokens` and
 *    seed passed through), retrying 408/409/429/5xx and every transport failure (refused, reset,
 *    timed out, or a body cut after the headers) up to `maxRetries` times, each attempt bounded by
 *    `timeout`; the wait is what `retry-after-ms`/`retry-after` asks for, up to `maxRetryAfter`
 *    (beyond it: {@link RetryAfterTooLongError}, saying when to retry), else 0.5 s·2^(k−1) up to 8 s;
 * 4. records the answer in the cache at once, before any check or parse, so a paid answer is never lost;
 * 5. records tokens and cost in the ledger;
 * 6. checks the reply: no choices → {@link EmptyChoicesError}; `finish_reason: "length"` →
 *    {@link TruncatedReplyError} (unless `allowTruncated`).
 *
 * {@link ask} adds the re-ask loop for replies that parse badly.
 *
 * @module
 */
import OpenAI from "openai";
import { type CachedResponse, type CacheRequest, requestKey, type ResponseCache } from "./cache.ts";
import type { PgResponseCache } from "./pg_cache.ts";
import {
  EmptyChoicesError,
  InvalidResponseError,
  LLMConnectionError,
  LLMError,
  LLMHTTPError,
  LLMTimeoutError,
  ParseError,
  ReplyFormatError,
  RetryAfterTooLongError,
  TruncatedReplyError,
} from "./errors.ts";
import type { Ledger } from "./ledger.ts";
import { redactError, redactText, redactURL, redactValue, secretList, urlSecrets } from "./redact.ts";

/** A chat message. */
export interface ChatMessage {
  /** Who speaks. */
  role: "system" | "user" | "assistant";
  /** What is said. */
  content: string;
}

/** Sampling settings and bookkeeping of one call. */
export interface CompleteOptions {
  /** Sampling temperature (passed through; the endpoint's default when absent). */
  temperature?: number;
  /** Maximum completion tokens (`max_tokens`). */
  maxTokens?: number;
  /** Sampling seed (passed through; the stand-ins are deterministic given it). */
  seed?: number;
  /** Identifies the sample within the run, so repeated samples of one prompt are distinct requests. */
  sampleId?: string | number;
  /** What the call is for, for the ledger ("llm reproduction", "definition mutation", …). */
  operator?: string;
  /** Return a reply cut at `maxTokens` instead of throwing {@link TruncatedReplyError}. */
  allowTruncated?: boolean;
}

/** Token counts of one call. */
export interface Usage {
  /** Tokens of the prompt. */
  promptTokens: number;
  /** Tokens of the reply. */
  completionTokens: number;
  /** Their sum. */
  totalTokens: number;
}

/** One answer. */
export interface Completion {
  /** The reply's text. */
  text: string;
  /** The reply's `finish_reason` ("stop", "length", …). */
  finishReason: string;
  /** Token counts of the call. */
  usage: Usage;
  /** Answered from the response cache (no request was made). */
  cached: boolean;
  /** The model that answered, as the endpoint named it. */
  model: string;
  /** The endpoint's completion id. */
  id: string;
  /** The endpoint's system fingerprint (the stand-ins say what they are here). */
  systemFingerprint?: string;
}

/** The interface the optimisers use: one prompt in, one reply out. */
export interface ChatModel {
  /** The model name requests are sent with. */
  readonly name: string;
  /** Sends one chat request and returns its reply. */
  complete(messages: readonly ChatMessage[], options?: CompleteOptions): Promise<Completion>;
}

/** A counting semaphore: at most `limit` holders at a time, first come first served. */
export class Semaphore {
  #free: number;
  #waiting: (() => void)[] = [];

  /** A semaphore of `limit` holders (a positive integer). */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`Semaphore: limit must be ≥ 1, got ${limit}`);
    }
    this.#free = limit;
  }

  /** Runs `fn` while holding a slot. */
  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }

  /** Slots in use. */
  get inUse(): number {
    return this.limit - this.#free;
  }
}

/** Options of {@link OpenAIChatModel}. */
export interface OpenAIChatModelOptions {
  /** The endpoint, e.g. `https://api.openai.com/v1` or the loopback server's `baseURL`. */
  baseURL: string;
  /** The API key (any non-empty string for endpoints that ignore it). */
  apiKey: string;
  /** The model name sent with each request. */
  model: string;
  /** Retries after a transport failure (refused, dropped, body cut, timeout) or HTTP 408/409/429/5xx (default 2). */
  maxRetries?: number;
  /**
   * The longest wait in ms a `retry-after` / `retry-after-ms` header is honoured for (default 60,000);
   * an endpoint asking for more makes the call fail at once with {@link RetryAfterTooLongError}, which
   * says when to retry.
   */
  maxRetryAfter?: number;
  /** Timeout of one attempt in ms (default 60,000). */
  timeout?: number;
  /** Requests in flight at most (default 4). */
  concurrency?: number;
  /** The response cache (a directory, or the study database: pg_cache.ts); none by default. */
  cache?: ResponseCache | PgResponseCache;
  /** The ledger calls are recorded in; none by default. */
  ledger?: Ledger;
  /** A run-scoped id that is part of every cache key (default "default"). */
  runId?: string;
  /** A `fetch` for the `openai` client (tests). */
  fetch?: typeof fetch;
}

/**
 * A {@link ChatModel} on the official `openai` client. Retries are this class's own (the `openai`
 * client is built with `maxRetries: 0`), so every transport failure, including a body cut after the
 * headers, gets the same policy. The API key is held privately: `baseURL` is the endpoint with any
 * secret in it redacted, and neither `JSON.stringify`, `Deno.inspect`, `String` nor any error shows it.
 */
export class OpenAIChatModel implements ChatModel {
  readonly name: string;
  /** The endpoint, with user info and key-like query values redacted (for display). */
  readonly baseURL: string;
  /** The run id, part of every cache key. */
  readonly runId: string;
  /** The response cache, when the model has one. */
  readonly cache?: ResponseCache | PgResponseCache;
  /** The ledger every call is recorded in, when the model has one. */
  readonly ledger?: Ledger;
  /** Retries after a transport failure or HTTP 408/409/429/5xx. */
  readonly maxRetries: number;
  /** Longest `retry-after` honoured, in ms. */
  readonly maxRetryAfter: number;
  /** Timeout of one attempt, in ms. */
  readonly timeout: number;
  /** The bound on concurrent requests. */
  readonly semaphore: Semaphore;
  readonly #client: OpenAI;
  readonly #secrets: string[];
  /** Calls sent to the endpoint by this model (cache hits excluded; the client's retries count once). */
  requests = 0;

  /** A model at an endpoint; throws when the model name, `baseURL` or key is missing. */
  constructor(options: OpenAIChatModelOptions) {
    if (!options.model) throw new TypeError("OpenAIChatModel: a model name is required");
    if (!options.baseURL) throw new TypeError("OpenAIChatModel: a baseURL is required");
    if (!options.apiKey) {
      throw new TypeError(`OpenAIChatModel: an API key is required for ${redactURL(options.baseURL)}`);
    }
    this.name = options.model;
    this.baseURL = redactURL(options.baseURL);
    this.#secrets = secretList(options.apiKey, ...urlSecrets(options.baseURL));
    this.runId = options.runId ?? "default";
    this.cache = options.cache;
    this.ledger = options.ledger;
    this.maxRetries = options.maxRetries ?? 2;
    if (!Number.isInteger(this.maxRetries) || this.maxRetries < 0) {
      throw new RangeError(`OpenAIChatModel: maxRetries must be an integer ≥ 0, got ${options.maxRetries}`);
    }
    this.maxRetryAfter = options.maxRetryAfter ?? 60_000;
    if (!(this.maxRetryAfter >= 0)) {
      throw new RangeError(`OpenAIChatModel: maxRetryAfter must be ≥ 0 ms, got ${options.maxRetryAfter}`);
    }
    this.timeout = options.timeout ?? 60_000;
    this.semaphore = new Semaphore(options.concurrency ?? 4);
    this.#client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      maxRetries: 0, // retried by #send, under one policy for every failure
      timeout: this.timeout,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** The cache identity of a call. */
  cacheRequest(messages: readonly ChatMessage[], o: CompleteOptions = {}): CacheRequest {
    return {
      model: this.name,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      temperature: o.temperature,
      maxTokens: o.maxTokens,
      seed: o.seed,
      runId: this.runId,
      sampleId: o.sampleId === undefined ? undefined : String(o.sampleId),
    };
  }

  /** Sends one chat request (through the cache and the ledger when set) and returns its reply. */
  async complete(messages: readonly ChatMessage[], options: CompleteOptions = {}): Promise<Completion> {
    checkMessages(messages);
    const request = this.cacheRequest(messages, options);
    const found = this.cache?.lookup(request);
    const hit = found instanceof Promise ? await found : found; // the database cache is asynchronous
    let response: CachedResponse;
    let cached = false;
    let entry = hit;
    // several processes may share a directory cache: claim the key, so that each answer is bought once
    // (the database cache claims a missing key inside lookup())
    const claim = !hit && this.cache && "claim" in this.cache && this.cache.mode === "auto"
      ? await this.cache.claim(request)
      : undefined;
    if (claim?.entry) entry = claim.entry;
    if (entry) {
      response = entry.response;
      cached = true;
    } else {
      try {
        response = await this.semaphore.use(() => this.#send(messages, options));
      } catch (e) {
        claim?.release?.();
        if (this.cache && "release" in this.cache) await this.cache.release(request); // let another worker buy it
        throw e;
      }
      try {
        // before any check: a paid answer is never lost
        const written = this.cache?.write(request, response, this.ledger?.id);
        if (written instanceof Promise) await written;
      } finally {
        claim?.release?.();
      }
    }
    const usage = {
      promptTokens: response.usage.promptTokens,
      completionTokens: response.usage.completionTokens,
      totalTokens: response.usage.promptTokens + response.usage.completionTokens,
    };
    this.ledger?.record({
      model: this.name,
      operator: options.operator,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      cached,
      ...(this.cache ? { key: requestKey(request), paidBy: entry?.paidBy } : {}),
    });
    if (response.finishReason === "length" && !options.allowTruncated) {
      throw new TruncatedReplyError(
        `${this.name} at ${this.baseURL}: the reply was cut off at ${
          options.maxTokens ?? "the endpoint's"
        } ` +
          `max tokens (finish_reason "length"); raise maxTokens. Reply so far: ${
            JSON.stringify(short(response.text))
          }`,
        response.text,
        options.maxTokens,
      );
    }
    return { ...response, usage, cached };
  }

  async #send(messages: readonly ChatMessage[], o: CompleteOptions): Promise<CachedResponse> {
    const where = `${this.name} at ${this.baseURL}`;
    const attempts = this.maxRetries + 1;
    this.requests++;
    for (let attempt = 1;; attempt++) {
      let reply: OpenAI.Chat.Completions.ChatCompletion;
      try {
        reply = await this.#client.chat.completions.create({
          model: this.name,
          messages: messages.map((m) => ({ role: m.role, content: m.content })),
          ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
          ...(o.maxTokens !== undefined ? { max_tokens: o.maxTokens } : {}),
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
        });
      } catch (e) {
        const failure = classifyFailure(e);
        if (!failure.retryable) throw this.#error(failure, where, attempt);
        if (failure.retryAfterMs !== undefined && failure.retryAfterMs > this.maxRetryAfter) {
          throw this.#error(failure, where, attempt);
        }
        if (attempt >= attempts) throw this.#error(failure, where, attempt);
        await sleep(failure.retryAfterMs ?? backoffMs(attempt));
        continue;
      }
      return checkCompletion(reply, where);
    }
  }

  /** The named error of a failure, with every secret redacted from its message, body and cause. */
  #error(f: Failure, where: string, attempt: number): LLMError {
    const clean = (s: string) => redactText(s, this.#secrets);
    const cause = { cause: redactError(f.error, this.#secrets) };
    const tries = `${attempt} attempt${attempt === 1 ? "" : "s"}`;
    switch (f.kind) {
      case "timeout":
        return new LLMTimeoutError(
          clean(`${where}: no reply within ${this.timeout} ms on any of ${attempt} attempt(s)`),
          cause,
        );
      case "connection":
        return new LLMConnectionError(
          clean(`${where}: connection failed on all ${attempt} attempt(s): ${f.detail}`),
          cause,
        );
      case "body":
        return new LLMConnectionError(
          clean(
            `${where}: the connection dropped in the middle of the response body on all ${tries}: ${f.detail}`,
          ),
          cause,
        );
      case "json":
        return new InvalidResponseError(
          clean(`${where}: the response body is not valid JSON (${f.detail})`),
          cause,
        );
      case "http": {
        const status = f.status!;
        const body = redactValue(f.body, this.#secrets);
        if (f.retryable && f.retryAfterMs !== undefined && f.retryAfterMs > this.maxRetryAfter) {
          const at = new Date(Date.now() + f.retryAfterMs);
          return new RetryAfterTooLongError(
            clean(
              `${where}: HTTP ${status}: the endpoint asks to wait ${
                seconds(f.retryAfterMs)
              } before retrying, ` +
                `beyond the ceiling of ${seconds(this.maxRetryAfter)} (maxRetryAfter); retry after ` +
                `${at.toISOString()} or raise maxRetryAfter. ${f.detail}`,
            ),
            status,
            body,
            f.retryAfterMs,
            at,
            cause,
          );
        }
        return new LLMHTTPError(
          clean(`${where}: HTTP ${status}${f.retryable ? ` after ${tries}` : ""}: ${f.detail}`),
          status,
          body,
          cause,
        );
      }
      default:
        return new LLMError(clean(`${where}: ${f.detail}`), cause);
    }
  }

  /** The model without secrets (its endpoint is shown with any key in it redacted). */
  toString(): string {
    return `OpenAIChatModel ${this.name} at ${this.baseURL}`;
  }
}

/** What went wrong with one attempt, and whether another attempt may help. */
export interface Failure {
  /** The failure's class. */
  kind: "timeout" | "connection" | "body" | "http" | "json" | "other";
  /** Whether another attempt may succeed. */
  retryable: boolean;
  /** A one-line description. */
  detail: string;
  /** The error caught. */
  error: unknown;
  /** The HTTP status, for an HTTP error. */
  status?: number;
  /** The response body, when one was read. */
  body?: unknown;
  /** The wait the endpoint asked for (`retry-after-ms`, else `retry-after` in seconds or as a date). */
  retryAfterMs?: number;
}

/**
 * Sorts an error of one attempt: timeouts, refused or dropped connections and bodies cut mid-way are
 * transport failures (retried); HTTP 408, 409, 429 and 5xx are retried (an `x-should-retry` header
 * overrides, as in the `openai` client); other statuses and a complete body that is not JSON are not.
 */
export function classifyFailure(e: unknown): Failure {
  const message = (e as Error)?.message ?? String(e);
  if (e instanceof OpenAI.APIConnectionTimeoutError) {
    return { kind: "timeout", retryable: true, detail: message, error: e };
  }
  if (e instanceof OpenAI.APIConnectionError) {
    return {
      kind: "connection",
      retryable: true,
      detail: (e.cause as Error)?.message ?? message,
      error: e,
    };
  }
  if (e instanceof OpenAI.APIError && typeof e.status === "number") {
    const headers = e.headers as Headers | undefined;
    const should = headers?.get?.("x-should-retry");
    const retryable = should === "true" ||
      (should !== "false" && ([408, 409, 429].includes(e.status) || e.status >= 500));
    return {
      kind: "http",
      retryable,
      detail: message,
      error: e,
      status: e.status,
      body: e.error,
      retryAfterMs: retryAfter(headers),
    };
  }
  if (e instanceof SyntaxError) return { kind: "json", retryable: false, detail: message, error: e };
  // a body cut after the headers: fetch's reader fails (Deno: TypeError "error reading a body from
  // connection"), or the runtime raises one of its connection errors
  if (
    e instanceof TypeError || e instanceof Deno.errors.ConnectionReset ||
    e instanceof Deno.errors.ConnectionAborted || e instanceof Deno.errors.UnexpectedEof ||
    e instanceof Deno.errors.BrokenPipe || e instanceof Deno.errors.Interrupted
  ) {
    return { kind: "body", retryable: true, detail: `${(e as Error).name}: ${message}`, error: e };
  }
  return { kind: "other", retryable: false, detail: message, error: e };
}

/** The wait a response asks for, in ms: `retry-after-ms`, else `retry-after` (seconds or an HTTP date). */
export function retryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = headers?.get?.("retry-after-ms");
  if (ms) {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headers?.get?.("retry-after");
  if (!ra) return undefined;
  const s = Number(ra);
  if (ra.trim() !== "" && Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Exponential backoff before retry k (1-based) when the endpoint names no wait: 0.5 s·2^(k−1), at most 8 s. */
export function backoffMs(k: number): number {
  return Math.min(500 * 2 ** (k - 1), 8_000);
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Checks the shape of a chat completion and keeps what the cache needs. */
export function checkCompletion(reply: unknown, where: string): CachedResponse {
  const r = reply as OpenAI.Chat.Completions.ChatCompletion;
  if (r === null || typeof r !== "object" || Array.isArray(r)) {
    throw new InvalidResponseError(
      `${where}: the response is not a chat completion object: ${short(String(reply))}`,
    );
  }
  if (!Array.isArray(r.choices)) {
    throw new InvalidResponseError(
      `${where}: the response has no "choices" array: ${short(JSON.stringify(r))}`,
    );
  }
  if (r.choices.length === 0) {
    throw new EmptyChoicesError(`${where}: the response has an empty choice list (id ${r.id ?? "?"})`);
  }
  const choice = r.choices[0];
  const content = choice?.message?.content;
  if (content !== null && content !== undefined && typeof content !== "string") {
    throw new InvalidResponseError(`${where}: choices[0].message.content is not a string`);
  }
  const u = r.usage;
  const tokens = (v: unknown, name: string) => {
    if (v === undefined || v === null) return 0;
    if (!Number.isInteger(v) || (v as number) < 0) {
      throw new InvalidResponseError(`${where}: usage.${name} is not a non-negative integer: ${v}`);
    }
    return v as number;
  };
  return {
    text: content ?? "",
    finishReason: String(choice.finish_reason ?? "stop"),
    usage: {
      promptTokens: tokens(u?.prompt_tokens, "prompt_tokens"),
      completionTokens: tokens(u?.completion_tokens, "completion_tokens"),
    },
    model: String(r.model ?? ""),
    id: String(r.id ?? ""),
    ...(r.system_fingerprint ? { systemFingerprint: String(r.system_fingerprint) } : {}),
  };
}

function checkMessages(messages: readonly ChatMessage[]): void {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new TypeError("complete: messages must be a non-empty array");
  }
  for (const [i, m] of messages.entries()) {
    if (!["system", "user", "assistant"].includes(m?.role) || typeof m.content !== "string") {
      throw new TypeError(`complete: message ${i} must be {role: system|user|assistant, content: string}`);
    }
  }
}

function short(s: string, n = 200): string {
  return s.length > n ? s.slice(0, n) + "…" : s;
}

/** Options of {@link ask}. */
export interface AskOptions extends CompleteOptions {
  /** Re-asks after a reply that does not parse (default 3, so up to 4 replies). */
  reAsks?: number;
}

/** What {@link ask} returns. */
export interface AskResult<T> {
  /** The parsed reply. */
  value: T;
  /** The reply that parsed. */
  completion: Completion;
  /** Replies received (1 + re-asks used). */
  attempts: number;
}

/**
 * Asks and parses, re-asking on a {@link ParseError} (NSGA-II-LLM, Sec. IV-B3: single-round polling —
 * the same prompt again, no history of the bad reply). Re-ask k (k = 1, 2, …) is a distinct request:
 * its sample id gets `#reask-k` and its seed is `seed + k`, so a deterministic endpoint does not repeat
 * the same bad reply and each reply has its own cache entry. After `reAsks` re-asks, throws
 * {@link ReplyFormatError} carrying the last reply and every parse error. Other errors propagate.
 */
export async function ask<T>(
  model: ChatModel,
  messages: readonly ChatMessage[],
  parse: (text: string) => T,
  options: AskOptions = {},
): Promise<AskResult<T>> {
  const reAsks = options.reAsks ?? 3;
  if (!Number.isInteger(reAsks) || reAsks < 0) throw new RangeError(`ask: reAsks must be ≥ 0, got ${reAsks}`);
  const replies: string[] = [], errors: string[] = [];
  for (let k = 0; k <= reAsks; k++) {
    const sample = options.sampleId === undefined ? undefined : String(options.sampleId);
    const completion = await model.complete(messages, {
      ...options,
      seed: options.seed === undefined || k === 0 ? options.seed : options.seed + k,
      sampleId: k === 0 ? sample : `${sample ?? ""}#reask-${k}`,
    });
    try {
      return { value: parse(completion.text), completion, attempts: k + 1 };
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      replies.push(completion.text);
      errors.push(e.message);
    }
  }
  throw new ReplyFormatError(
    `${model.name}: ${replies.length} repl${replies.length === 1 ? "y" : "ies"} in the wrong format ` +
      `(${errors.at(-1)}); last reply: ${JSON.stringify(short(replies.at(-1)!, 400))}`,
    replies.at(-1)!,
    replies,
    errors,
  );
}
