/**
 * Where LLM calls go, by configuration alone: the loopback stand-ins by default, or a real
 * OpenAI-compatible endpoint when the environment names one.
 *
 * - Default: the loopback server (lib/llm/server.ts), started by {@link openLLM} for the duration of a
 *   run; each role is served by its stand-in (`moolab-numeric`, `moolab-text`, …).
 * - `MOOLAB_LLM_MODEL` (and optionally `OPENAI_BASE_URL`, default `https://api.openai.com/v1`, and
 *   `OPENAI_API_KEY`): every role is served by that model at that endpoint. Setting `OPENAI_BASE_URL`
 *   without a model is an error (the model must be named); `OPENAI_API_KEY` alone does not switch, so a
 *   key in the environment never spends money by surprise.
 *
 * In a notebook, `openLLM({ config: llmConfig(), cacheDir: "../out/llm-cache/06" })`; a real endpoint
 * instead, e.g. a local Ollama: `llmConfig({ baseURL: "http://127.0.0.1:11434/v1", model: "llama3.1" })`.
 *
 * @example NSGA-II-LLM's prompt answered by the `moolab-numeric` stand-in on the loopback server
 * ```ts
 * import { ask, llmConfig, openLLM, parseSolutions } from "moolab/llm";
 * import { buildPrompt, promptMessages } from "moolab/nsga2-llm";
 *
 * const llm = await openLLM({ config: llmConfig({ loopback: true }) }); // offline, whatever the environment
 * try {
 *   const prompt = buildPrompt({
 *     solutions: new Float64Array([0.1, 0.9, 0.4, 0.6, 0.8, 0.2]), // three elites of two variables
 *     objectives: new Float64Array([3, 2, 1]),
 *     nVar: 2,
 *     nObj: 1,
 *     count: 2,
 *     lower: [0, 0],
 *     upper: [1, 1],
 *     format: "paper", // commas between the numbers, as parseSolutions reads them
 *   });
 *   const reply = await ask(
 *     llm.model("moolab-numeric"),
 *     promptMessages(prompt),
 *     (text) => parseSolutions(text, { count: 2, dim: 2, lower: 0, upper: 1 }),
 *     { seed: 1 },
 *   );
 *   // reply.value: two solutions in [0, 1]², checked by parseSolutions
 *   const totals = llm.ledger.totals(); // every call, with the tokens of the reply's `usage`
 *   if (totals.calls !== reply.attempts || !(totals.promptTokens > 0)) throw new Error("ledger incomplete");
 * } finally {
 *   await llm.close();
 * }
 * ```
 *
 * @module
 */
import { type CacheMode, ResponseCache } from "./cache.ts";
import { OpenAIChatModel } from "./client.ts";
import { Ledger } from "./ledger.ts";
import { REDACTED, redactURL } from "./redact.ts";
import { type LoopbackOptions, type LoopbackServer, startLoopbackServer } from "./server.ts";

/** A real endpoint: where calls go, with what key and model. */
export interface EndpointSettings {
  /** Marks a real endpoint (the other configuration is the loopback stand-ins). */
  kind: "endpoint";
  /** The OpenAI-compatible endpoint, e.g. `https://api.openai.com/v1`. */
  baseURL: string;
  /** The API key. */
  apiKey: string;
  /** The model every role is served by. */
  model: string;
  /** "model at endpoint", for display. */
  description: string;
}

/** Where calls go. */
export type LLMConfig = { kind: "loopback"; description: string } | EndpointSettings;

/**
 * {@link EndpointSettings} that keep their secrets to themselves: `apiKey` and `baseURL` are read
 * through getters over private fields, so `JSON.stringify`, `Deno.inspect` (even with `showHidden`),
 * `String` and a notebook's display show the endpoint with any key in it redacted and the key as
 * `[redacted]`. (Spreading the object, `{...config}`, drops the two; pass the object itself.)
 */
export class EndpointConfig implements EndpointSettings {
  /** Marks a real endpoint. */
  readonly kind = "endpoint" as const;
  /** The model every role is served by. */
  readonly model: string;
  /** "model at endpoint", the endpoint redacted. */
  readonly description: string;
  readonly #baseURL: string;
  readonly #apiKey: string;

  /** The settings of one endpoint; the key and the endpoint are kept in private fields. */
  constructor(s: { baseURL: string; apiKey: string; model: string }) {
    this.#baseURL = s.baseURL;
    this.#apiKey = s.apiKey;
    this.model = s.model;
    this.description = `${s.model} at ${redactURL(s.baseURL)}`;
  }

  /** The endpoint as configured (may carry a secret: do not print it). */
  get baseURL(): string {
    return this.#baseURL;
  }
  /** The API key (do not print it). */
  get apiKey(): string {
    return this.#apiKey;
  }

  /** The settings with the key and any secret in the endpoint redacted. */
  toJSON(): Record<string, string> {
    return {
      kind: this.kind,
      baseURL: redactURL(this.#baseURL),
      apiKey: REDACTED,
      model: this.model,
      description: this.description,
    };
  }

  /** The description, redacted. */
  toString(): string {
    return this.description;
  }

  /** What `Deno.inspect` shows: the redacted settings. */
  [Symbol.for("Deno.customInspect")](): string {
    return `EndpointConfig ${JSON.stringify(this.toJSON())}`;
  }
}

function safeConfig(c: LLMConfig): LLMConfig {
  if (c.kind !== "endpoint" || c instanceof EndpointConfig) return c;
  return new EndpointConfig(c);
}

/** Overrides of {@link llmConfig} (take precedence over the environment). */
export interface LLMConfigOverrides {
  /** The endpoint instead of `OPENAI_BASE_URL`. */
  baseURL?: string;
  /** The key instead of `OPENAI_API_KEY`. */
  apiKey?: string;
  /** The model instead of `MOOLAB_LLM_MODEL`. */
  model?: string;
  /** Force the loopback stand-ins whatever the environment says. */
  loopback?: boolean;
  /** The environment to read (default: `Deno.env`, when permitted). */
  env?: Record<string, string | undefined>;
}

function readEnv(name: string): string | undefined {
  try {
    const v = Deno.env.get(name);
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  } catch {
    return undefined; // no --allow-env: the default configuration
  }
}

function isLocal(url: string): boolean {
  try {
    return ["127.0.0.1", "localhost", "[::1]", "0.0.0.0"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The configuration from overrides, else the environment, else the loopback stand-ins. */
export function llmConfig(overrides: LLMConfigOverrides = {}): LLMConfig {
  const get = (k: string) => (overrides.env ? overrides.env[k]?.trim() || undefined : readEnv(k));
  if (overrides.loopback) return { kind: "loopback", description: "loopback stand-ins (forced)" };
  const model = overrides.model ?? get("MOOLAB_LLM_MODEL");
  const baseURL = overrides.baseURL ?? get("OPENAI_BASE_URL");
  if (!model) {
    if (baseURL) {
      throw new Error(
        `llmConfig: an endpoint is set (${
          redactURL(baseURL)
        }) but no model: set MOOLAB_LLM_MODEL or pass { model }`,
      );
    }
    return { kind: "loopback", description: "loopback stand-ins (no MOOLAB_LLM_MODEL set)" };
  }
  const url = baseURL ?? "https://api.openai.com/v1";
  const apiKey = overrides.apiKey ?? get("OPENAI_API_KEY") ?? (isLocal(url) ? "none" : undefined);
  if (!apiKey) {
    throw new Error(
      `llmConfig: model ${model} at ${
        redactURL(url)
      } needs an API key: set OPENAI_API_KEY or pass { apiKey }`,
    );
  }
  return new EndpointConfig({ baseURL: url, apiKey, model });
}

/** Options of {@link openLLM}. */
export interface OpenLLMOptions {
  /** Where calls go (default: {@link llmConfig}()). */
  config?: LLMConfig;
  /** Directory of the response cache; no cache when absent. */
  cacheDir?: string;
  /** Cache mode (default "auto"). */
  cacheMode?: CacheMode;
  /** The run id: part of every cache key, and the ledger's name (default "run"). */
  runId?: string;
  /**
   * The ledger's journal (see {@link Ledger.open}): a run killed and resumed with the same path keeps
   * every call it recorded, and its totals equal an uninterrupted run's. None by default.
   */
  ledgerPath?: string;
  /** Bound on concurrent requests per model (default 4). */
  concurrency?: number;
  /** Retries after a transport failure or HTTP 408/409/429/5xx (default 2). */
  maxRetries?: number;
  /** Longest `retry-after` honoured, in ms (default 60,000); beyond it the call fails saying when to retry. */
  maxRetryAfter?: number;
  /** Timeout of one attempt in ms (default 60,000). */
  timeout?: number;
  /** Options of the loopback server (stand-in registry, faults). */
  server?: LoopbackOptions;
}

/** A run's access to LLMs: the models, one cache, one ledger, and the loopback server if used. */
export class LLMSession {
  /** Where calls go (an {@link EndpointConfig}, which never shows its key, for a real endpoint). */
  readonly config: LLMConfig;
  /** The endpoint, with any secret in it redacted (for display). */
  readonly baseURL: string;
  /** Every call of the session, with tokens and cost. */
  readonly ledger: Ledger;
  /** The response cache, when `cacheDir` was given. */
  readonly cache?: ResponseCache;
  /** The loopback server, when the configuration uses it. */
  readonly server?: LoopbackServer;
  readonly #options: OpenLLMOptions;
  readonly #models = new Map<string, OpenAIChatModel>();
  readonly #url: string;

  /**
   * A session with `options`, on `server` when the configuration uses the loopback stand-ins (use {@link
   * openLLM}).
   */
  constructor(options: OpenLLMOptions, server?: LoopbackServer) {
    this.config = safeConfig(options.config ?? llmConfig());
    this.#options = { ...options, config: this.config };
    this.server = server;
    this.#url = this.config.kind === "endpoint" ? this.config.baseURL : server!.baseURL;
    this.baseURL = redactURL(this.#url);
    this.ledger = options.ledgerPath
      ? Ledger.open(options.ledgerPath, options.runId ?? "run")
      : new Ledger(options.runId ?? "run");
    if (options.cacheDir) this.cache = new ResponseCache(options.cacheDir, options.cacheMode ?? "auto");
  }

  /**
   * The chat model for a role named by its stand-in: on loopback the stand-in itself, at a real
   * endpoint the configured model. Same cache, ledger and run id for all.
   */
  model(standIn: string): OpenAIChatModel {
    const name = this.config.kind === "endpoint" ? this.config.model : standIn;
    if (this.config.kind === "loopback" && !this.server!.registry.get(standIn)) {
      throw new RangeError(
        `openLLM: no stand-in named ${standIn} (have ${this.server!.registry.names().join(", ")})`,
      );
    }
    let m = this.#models.get(name);
    if (!m) {
      m = new OpenAIChatModel({
        baseURL: this.#url,
        apiKey: this.config.kind === "endpoint" ? this.config.apiKey : "moolab-loopback",
        model: name,
        maxRetries: this.#options.maxRetries,
        maxRetryAfter: this.#options.maxRetryAfter,
        timeout: this.#options.timeout,
        concurrency: this.#options.concurrency,
        cache: this.cache,
        ledger: this.ledger,
        runId: this.#options.runId ?? "run",
      });
      this.#models.set(name, m);
    }
    return m;
  }

  /** Requests that reached the endpoint in this session (cache hits excluded). */
  get requests(): number {
    let n = 0;
    for (const m of this.#models.values()) n += m.requests;
    return n;
  }

  /** Stops the loopback server, if any. */
  async close(): Promise<void> {
    await this.server?.close();
  }

  /** Closes the session (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** A one-line description: where calls go, the cache, the run. */
  toString(): string {
    return `LLM session: ${
      this.config.kind === "loopback" ? `loopback stand-ins at ${this.baseURL}` : this.config.description
    }` +
      `${
        this.cache ? `, cache ${this.cache.dir} (${this.cache.mode})` : ", no cache"
      }, run ${this.ledger.runId}`;
  }
}

/** Opens a session: starts the loopback server when the configuration asks for it. Close it when done. */
export function openLLM(options: OpenLLMOptions = {}): Promise<LLMSession> {
  const config = options.config ?? llmConfig();
  const server = config.kind === "loopback" ? startLoopbackServer(options.server) : undefined;
  try {
    return Promise.resolve(new LLMSession({ ...options, config }, server));
  } catch (e) {
    server?.close();
    throw e;
  }
}

/** Runs `fn` with a session and closes it afterwards, whatever happens. */
export async function withLLM<T>(
  options: OpenLLMOptions,
  fn: (llm: LLMSession) => Promise<T> | T,
): Promise<T> {
  const llm = await openLLM(options);
  try {
    return await fn(llm);
  } finally {
    await llm.close();
  }
}
