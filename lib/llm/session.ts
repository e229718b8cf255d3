/**
 * The LLM session of a notebook, set up the way every LLM notebook of the project does it: calls go
 * where {@link llmConfig} says (the loopback stand-ins by default); on loopback the responses are cached
 * in a fresh temporary directory (so that a seeded run gives the same results every time, not answers
 * kept from an earlier run of other code), at a real endpoint in `../out/llm-cache/<name>` (paid answers
 * are kept across runs); the run id and the ledger are named after the notebook; `close()` stops the
 * loopback server and removes the temporary cache.
 *
 * @module
 */
import { llmConfig, LLMSession, type OpenLLMOptions } from "./config.ts";
import { startLoopbackServer } from "./server.ts";

/** Options of {@link llmSession}. */
export interface LLMSessionOptions extends Omit<OpenLLMOptions, "cacheDir" | "runId"> {
  /** The notebook's name (e.g. `"02_nsga2_llm"`): the run id of every call and the ledger's name. */
  name: string;
  /** Where a real endpoint's answers are kept across runs (default `../out/llm-cache/<name>`). */
  cacheDir?: string;
  /**
   * On loopback: `"fresh"` (default), a response cache in a temporary directory that `close()`
   * removes; `"none"`, no cache (for many short deterministic answers that are cheaper to recompute).
   */
  loopbackCache?: "fresh" | "none";
}

/** An {@link LLMSession} whose `close()` also removes its temporary cache. */
export class NotebookLLMSession extends LLMSession {
  /** The temporary cache directory on loopback, removed by `close()`. */
  readonly scratch?: string;

  /** Starts the loopback server when `options.config` asks for it; `scratch` is removed by `close()`. */
  constructor(
    options: OpenLLMOptions,
    server: Parameters<typeof startLoopbackServer>[0] | undefined,
    scratch?: string,
  ) {
    const config = options.config ?? llmConfig();
    super({ ...options, config }, config.kind === "loopback" ? startLoopbackServer(server) : undefined);
    this.scratch = scratch;
  }

  /** Whether the loopback stand-ins answer (their results may be pinned; a real endpoint's may not). */
  get onLoopback(): boolean {
    return this.config.kind === "loopback";
  }

  /** Stops the loopback server and removes the temporary cache. */
  override async close(): Promise<void> {
    await super.close();
    if (this.scratch) await Deno.remove(this.scratch, { recursive: true }).catch(() => {});
  }
}

/**
 * Opens a notebook's LLM session (see the module comment for the cache rule). Close it when done.
 *
 * @example
 * ```ts
 * import { llmConfig, llmSession } from "moolab/llm";
 * import assert from "node:assert/strict";
 *
 * const llm = await llmSession({ name: "example", config: llmConfig({ loopback: true }) });
 * const reply = await llm.model("moolab-numeric").complete([{ role: "user", content: "Hello" }], { seed: 1 });
 * assert.ok(reply.text.length > 0);
 * assert.equal(llm.ledger.totals().calls, 1);
 * await llm.close(); // the server stops, the temporary cache is gone
 * ```
 */
export async function llmSession(options: LLMSessionOptions): Promise<NotebookLLMSession> {
  const { name, loopbackCache = "fresh", cacheDir, server, ...rest } = options;
  if (typeof name !== "string" || name === "") throw new RangeError("llmSession: give the notebook's name");
  if (loopbackCache !== "fresh" && loopbackCache !== "none") {
    throw new RangeError(`llmSession: loopbackCache is "fresh" or "none", got ${loopbackCache}`);
  }
  const config = rest.config ?? llmConfig();
  const loopback = config.kind === "loopback";
  const scratch = loopback && loopbackCache === "fresh"
    ? await Deno.makeTempDir({ prefix: `moolab-${name}-` })
    : undefined;
  try {
    return new NotebookLLMSession(
      { ...rest, config, runId: name, cacheDir: loopback ? scratch : cacheDir ?? `../out/llm-cache/${name}` },
      server,
      scratch,
    );
  } catch (e) {
    if (scratch) await Deno.remove(scratch, { recursive: true }).catch(() => {});
    throw e;
  }
}
