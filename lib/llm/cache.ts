/**
 * A persistent response cache on disk: one JSON file per answer, keyed by a SHA-256 hash of the whole
 * request (model, messages, sampling settings, the run id and the sample id), so a notebook re-run
 * costs nothing and gives the same answers, and repeated samples of one prompt stay distinct.
 *
 * Modes:
 * - `"auto"` (default): answer from the cache when the request is there, else call and record;
 * - `"record"`: always call and record (refreshes an entry);
 * - `"replay"`: answer from the cache only; a miss is a {@link CacheMissError} naming the request.
 *
 * Crash safety: an answer is written the moment it arrives, before anything checks or parses it, to a
 * temporary file in the same directory that is flushed to disk (fsync) and then renamed over the
 * entry's name. A rename is atomic, so an entry is either absent or complete; a crash never leaves a
 * half-written or corrupt answer, and a paid answer is never lost to a later parse error.
 *
 * Layout: `<dir>/<first two hex digits>/<sha256>.json`, each file `{ version, key, request, response,
 * recordedAt }`, readable with any JSON tool.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { CacheMissError, LLMError } from "./errors.ts";

/** Cache modes (see the module comment). */
export type CacheMode = "auto" | "record" | "replay";

/** What identifies a request in the cache: everything that can change the answer. */
export interface CacheRequest {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  /** A run-scoped id: the same prompt in two runs is two requests. */
  runId: string;
  /** The sample within the run (e.g. generation and index); repeated samples stay distinct. */
  sampleId?: string;
}

/** What is kept of an answer. */
export interface CachedResponse {
  text: string;
  finishReason: string;
  usage: { promptTokens: number; completionTokens: number };
  /** The model that answered (as the endpoint named it). */
  model: string;
  id: string;
  systemFingerprint?: string;
}

/** One file of the cache. */
export interface CacheEntry {
  version: 1;
  key: string;
  request: CacheRequest;
  response: CachedResponse;
  recordedAt: string;
  /** The id of the ledger of the run that paid for the answer (see lib/llm/ledger.ts), when known. */
  paidBy?: string;
}

/** The canonical JSON of a request: fixed field order, absent settings as null. */
export function canonicalRequest(r: CacheRequest): string {
  return JSON.stringify({
    v: 1,
    model: r.model,
    messages: r.messages.map((m) => ({ role: m.role, content: m.content })),
    temperature: r.temperature ?? null,
    maxTokens: r.maxTokens ?? null,
    seed: r.seed ?? null,
    runId: r.runId,
    sampleId: r.sampleId ?? null,
  });
}

/** The cache key of a request: SHA-256 (hex) of its canonical JSON. */
export function requestKey(r: CacheRequest): string {
  return createHash("sha256").update(canonicalRequest(r)).digest("hex");
}

/**
 * Writes `text` to `path` atomically and durably: temporary file in the same directory, fsync, rename,
 * then fsync of the directory where the platform allows it.
 */
export function writeFileAtomic(path: string, text: string): void {
  const slash = path.lastIndexOf("/");
  const dir = slash >= 0 ? path.slice(0, slash) : ".";
  const tmp = `${dir}/.${path.slice(slash + 1)}.${crypto.randomUUID()}.tmp`;
  const file = Deno.openSync(tmp, { write: true, createNew: true });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
    file.syncSync();
  } catch (e) {
    file.close();
    try {
      Deno.removeSync(tmp);
    } catch { /* already gone */ }
    throw e;
  }
  file.close();
  Deno.renameSync(tmp, path);
  try {
    const d = Deno.openSync(dir, { read: true });
    try {
      d.syncSync();
    } finally {
      d.close();
    }
  } catch { /* directories cannot be opened for sync on every platform */ }
}

/** Writes `value` as pretty JSON, atomically (for checkpoints). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 1) + "\n");
}

/** Counts of what the cache did in this process. */
export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
}

/** A response cache in one directory. */
export class ResponseCache {
  readonly dir: string;
  readonly mode: CacheMode;
  readonly stats: CacheStats = { hits: 0, misses: 0, writes: 0 };

  constructor(dir: string, mode: CacheMode = "auto") {
    if (!["auto", "record", "replay"].includes(mode)) {
      throw new RangeError(
        `ResponseCache: mode must be "auto", "record" or "replay", got ${JSON.stringify(mode)}`,
      );
    }
    this.dir = dir.replace(/\/+$/, "") || "/";
    this.mode = mode;
    if (mode !== "replay") Deno.mkdirSync(this.dir, { recursive: true });
  }

  /** The file of a key. */
  pathOf(key: string): string {
    return `${this.dir}/${key.slice(0, 2)}/${key}.json`;
  }

  /** The cached entry of a request, or undefined; a file that is not a valid entry is an error. */
  read(request: CacheRequest): CacheEntry | undefined {
    const key = requestKey(request);
    const path = this.pathOf(key);
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    }
    let entry: CacheEntry;
    try {
      entry = JSON.parse(text);
    } catch (e) {
      throw new LLMError(`response cache: ${path} is not valid JSON (${(e as Error).message})`);
    }
    if (entry?.key !== key || typeof entry.response?.text !== "string") {
      throw new LLMError(`response cache: ${path} is not an entry for key ${key}`);
    }
    return entry;
  }

  /**
   * Looks a request up according to the mode: the entry on a hit (auto, replay), undefined when the
   * caller should call the endpoint (auto miss, record), a {@link CacheMissError} on a replay miss.
   */
  lookup(request: CacheRequest): CacheEntry | undefined {
    if (this.mode === "record") return undefined;
    const entry = this.read(request);
    if (entry) {
      this.stats.hits++;
      return entry;
    }
    this.stats.misses++;
    if (this.mode === "replay") {
      const key = requestKey(request);
      const last = request.messages.at(-1)?.content ?? "";
      throw new CacheMissError(
        `response cache (replay mode, ${this.dir}): no answer for model ${request.model}, run ${request.runId}, ` +
          `sample ${request.sampleId ?? "-"}, seed ${request.seed ?? "-"}, key ${key.slice(0, 12)}…; ` +
          `last message starts ${
            JSON.stringify(last.slice(0, 80))
          }. Run in "auto" or "record" mode to call the endpoint.`,
        key,
      );
    }
    return undefined;
  }

  /** Records an answer at once (atomically, durably), with the ledger that paid for it; returns the entry. */
  write(request: CacheRequest, response: CachedResponse, paidBy?: string): CacheEntry {
    if (this.mode === "replay") {
      throw new LLMError(`response cache: cannot write in replay mode (${this.dir})`);
    }
    const key = requestKey(request);
    const entry: CacheEntry = {
      version: 1,
      key,
      request: { ...request, messages: request.messages.map((m) => ({ role: m.role, content: m.content })) },
      response,
      recordedAt: new Date().toISOString(),
      ...(paidBy !== undefined ? { paidBy } : {}),
    };
    const path = this.pathOf(key);
    Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    writeFileAtomic(path, JSON.stringify(entry, null, 1) + "\n");
    this.stats.writes++;
    return entry;
  }

  /** Number of entries on disk. */
  size(): number {
    let n = 0;
    try {
      for (const d of Deno.readDirSync(this.dir)) {
        if (!d.isDirectory) continue;
        for (const f of Deno.readDirSync(`${this.dir}/${d.name}`)) if (f.name.endsWith(".json")) n++;
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    return n;
  }
}
