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
 * recordedAt, paidBy }`, readable with any JSON tool.
 *
 * Several processes may share one cache directory: each answer is bought once. Before buying (mode
 * "auto"), a call claims the key ({@link ResponseCache.claim}) by creating `<sha256>.lock` beside the
 * entry, exclusively (`O_EXCL`), holding the owner's pid, host and a token. Another process (or another
 * call of the same process) that finds the lock waits, polling, until the entry appears (it is then a
 * hit) or the lock goes (the owner failed: it claims the key itself). A lock whose owner is dead — same
 * host and its pid no longer runs, or an empty lock file older than a few seconds (a crash between
 * creating and writing it) — is stale and is broken (renamed away atomically, then removed).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { hostName, processAlive, syncDirectory } from "../core/process.ts";
import { CacheMissError, LLMError } from "./errors.ts";

/** Cache modes (see the module comment). */
export type CacheMode = "auto" | "record" | "replay";

/** What identifies a request in the cache: everything that can change the answer. */
export interface CacheRequest {
  /** The model name the request is sent with. */
  model: string;
  /** The chat messages, in order. */
  messages: { role: string; content: string }[];
  /** Sampling temperature, when given. */
  temperature?: number;
  /** Maximum completion tokens, when given. */
  maxTokens?: number;
  /** Sampling seed, when given. */
  seed?: number;
  /** A run-scoped id: the same prompt in two runs is two requests. */
  runId: string;
  /** The sample within the run (e.g. generation and index); repeated samples stay distinct. */
  sampleId?: string;
}

/** What is kept of an answer. */
export interface CachedResponse {
  /** The reply's text. */
  text: string;
  /** The reply's `finish_reason` ("stop", "length", …). */
  finishReason: string;
  /** Token counts of the call, from the reply's `usage`. */
  usage: { promptTokens: number; completionTokens: number };
  /** The model that answered (as the endpoint named it). */
  model: string;
  /** The endpoint's completion id. */
  id: string;
  /** The endpoint's system fingerprint, when it sent one. */
  systemFingerprint?: string;
}

/** One file of the cache. */
export interface CacheEntry {
  /** Format version of the entry. */
  version: 1;
  /** The request's key ({@link requestKey}), also the file's name. */
  key: string;
  /** The request, as keyed. */
  request: CacheRequest;
  /** The answer kept. */
  response: CachedResponse;
  /** When the answer was recorded (ISO 8601). */
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
  syncDirectory(dir);
}

/** Writes `value` as pretty JSON, atomically (for checkpoints). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 1) + "\n");
}

/** Counts of what the cache did in this process. */
export interface CacheStats {
  /** Requests answered from the cache. */
  hits: number;
  /** Requests not found in the cache. */
  misses: number;
  /** Answers written to the cache. */
  writes: number;
}

/** Options of {@link ResponseCache}'s locks. */
export interface CacheLockOptions {
  /** Longest wait in ms for another live process's claim on a key (default 600,000). */
  lockTimeout?: number;
  /** Polling interval in ms while waiting (default 25). */
  pollInterval?: number;
}

/** What {@link ResponseCache.claim} returns: the entry another claimant recorded, or the claim itself. */
export type Claim = { entry: CacheEntry; release?: undefined } | { entry?: undefined; release: () => void };

/** What a lock file holds. */
interface LockOwner {
  pid: number;
  host: string;
  token: string;
  at: string;
}

/** A lock file this much older and still empty was left by a crash between creating and writing it. */
const EMPTY_LOCK_STALE_MS = 5_000;

/** A response cache in one directory. */
export class ResponseCache {
  /** The cache's directory. */
  readonly dir: string;
  /** The cache mode. */
  readonly mode: CacheMode;
  /** What the cache did in this process. */
  readonly stats: CacheStats = { hits: 0, misses: 0, writes: 0 };
  /** Longest wait in ms for another live process's claim on a key. */
  readonly lockTimeout: number;
  /** Polling interval in ms while waiting for a claim. */
  readonly pollInterval: number;
  /** Stale locks broken by this process (their owner had died). */
  staleLocksBroken = 0;

  /** A cache in `dir` (created when missing) in `mode`, with the lock settings of `options`. */
  constructor(dir: string, mode: CacheMode = "auto", options: CacheLockOptions = {}) {
    this.lockTimeout = options.lockTimeout ?? 600_000;
    this.pollInterval = options.pollInterval ?? 25;
    if (!(this.lockTimeout >= 0) || !(this.pollInterval > 0)) {
      throw new RangeError(
        `ResponseCache: lockTimeout must be ≥ 0 and pollInterval > 0 (ms), got ${options.lockTimeout} and ${options.pollInterval}`,
      );
    }
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

  /** The lock file of a key. */
  lockOf(key: string): string {
    return `${this.dir}/${key.slice(0, 2)}/${key}.lock`;
  }

  /**
   * Claims the right to buy the answer of `request` (see the module comment): resolves to `{ entry }`
   * when another claimant recorded the answer meanwhile (counted as a hit), else to `{ release }`, to
   * call once the answer is written or the call failed. Waits for a live claimant at most
   * `lockTimeout` ms, then fails with an {@link LLMError} naming the lock and its owner.
   */
  async claim(request: CacheRequest): Promise<Claim> {
    const key = requestKey(request);
    const lock = this.lockOf(key);
    Deno.mkdirSync(lock.slice(0, lock.lastIndexOf("/")), { recursive: true });
    const me: LockOwner = { pid: Deno.pid, host: hostName(), token: crypto.randomUUID(), at: "" };
    const deadline = Date.now() + this.lockTimeout;
    const found = (entry: CacheEntry): Claim => {
      this.stats.hits++;
      this.stats.misses = Math.max(0, this.stats.misses - 1);
      return { entry };
    };
    for (;;) {
      if (this.#tryLock(lock, me)) {
        const entry = this.read(request); // recorded between our lookup and our claim?
        if (entry) {
          this.#unlock(lock, me.token);
          return found(entry);
        }
        return { release: () => this.#unlock(lock, me.token) };
      }
      const entry = this.read(request);
      if (entry) return found(entry);
      const owner = this.#owner(lock);
      if (owner === "stale") {
        this.#breakLock(lock);
        continue;
      }
      if (Date.now() >= deadline) {
        throw new LLMError(
          `response cache ${this.dir}: waited ${this.lockTimeout} ms for another claimant of key ${
            key.slice(0, 12)
          }… (lock ${lock}${
            owner ? `, pid ${owner.pid} on ${owner.host || "?"} since ${owner.at}` : ""
          }); remove the lock file if that process is gone`,
        );
      }
      await new Promise((r) => setTimeout(r, this.pollInterval));
    }
  }

  #tryLock(lock: string, me: LockOwner): boolean {
    let f: Deno.FsFile;
    try {
      f = Deno.openSync(lock, { write: true, createNew: true });
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) return false;
      throw e;
    }
    try {
      f.writeSync(new TextEncoder().encode(JSON.stringify({ ...me, at: new Date().toISOString() })));
    } finally {
      f.close();
    }
    return true;
  }

  /** The lock's owner; "stale" when it is dead; undefined when the lock is gone or being written. */
  #owner(lock: string): LockOwner | "stale" | undefined {
    let text: string, mtime: number;
    try {
      text = Deno.readTextFileSync(lock);
      mtime = Deno.statSync(lock).mtime?.getTime() ?? Date.now();
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    }
    let owner: LockOwner | undefined;
    try {
      owner = JSON.parse(text);
    } catch { /* empty or cut: judged by age */ }
    if (!owner || typeof owner.pid !== "number") {
      return Date.now() - mtime > EMPTY_LOCK_STALE_MS ? "stale" : undefined;
    }
    if (owner.host === hostName() && !processAlive(owner.pid)) return "stale";
    return owner;
  }

  /** Breaks a stale lock: renamed away first (atomic: one breaker wins), then removed. */
  #breakLock(lock: string): void {
    const aside = `${lock}.stale-${crypto.randomUUID()}`;
    try {
      Deno.renameSync(lock, aside);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return; // broken by another process
      throw e;
    }
    // a live claimant may have re-created the lock between our check and the rename: put it back
    let owner: LockOwner | undefined;
    try {
      owner = JSON.parse(Deno.readTextFileSync(aside));
    } catch { /* empty: stale */ }
    if (owner && typeof owner.pid === "number" && !(owner.host === hostName() && !processAlive(owner.pid))) {
      try {
        Deno.linkSync(aside, lock);
      } catch { /* a new lock exists already */ }
    } else this.staleLocksBroken++;
    try {
      Deno.removeSync(aside);
    } catch { /* gone */ }
  }

  /** Removes the lock if it is still ours. */
  #unlock(lock: string, token: string): void {
    try {
      const owner = JSON.parse(Deno.readTextFileSync(lock)) as LockOwner;
      if (owner.token === token) Deno.removeSync(lock);
    } catch { /* gone or broken */ }
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
