/**
 * The LLM response cache on the PostgreSQL study database, beside the directory cache (cache.ts): the
 * same keys ({@link requestKey}), entries and modes, shared by every worker that reaches the database.
 *
 * One answer per key is bought once across all workers: in `"auto"` mode a miss claims the key (a
 * `pending` row of `moolab.llm_answers` with this cache's owner name and a lease), the others wait
 * for the answer; the owner renews the lease while its call runs, writes the answer (the row becomes
 * `done`), or releases the claim when the call fails. A claim whose owner died (lease not renewed) is
 * taken over by the next worker that asks. `"record"` always calls and overwrites, without claiming;
 * `"replay"` answers from the table only (a miss, or a key still pending, is a {@link CacheMissError}).
 *
 * The table holds the request (model, messages, sampling settings, run and sample ids) and the answer,
 * never an API key or an endpoint URL. Methods are asynchronous; `OpenAIChatModel` awaits them.
 *
 * Use: `const cache = await PgResponseCache.open("postgres://…", "auto")`, pass it as `cache`, and
 * `await cache.close()` at the end.
 *
 * @module
 */
import { connect, type Sql, withRetry } from "../experiment/db/connect.ts";
import { migrate } from "../experiment/db/migrations.ts";
import { ForeignRowError } from "../experiment/db/errors.ts";
import {
  type CachedResponse,
  type CacheEntry,
  type CacheMode,
  type CacheRequest,
  type CacheStats,
  requestKey,
} from "./cache.ts";
import { CacheMissError, LLMError } from "./errors.ts";

/** Settings of {@link PgResponseCache}. */
export interface PgCacheOptions {
  /** This cache's name in claims (default host:pid:random). */
  owner?: string;
  /** A claim not renewed for this long is taken over (default 30,000 ms; renewed every third of it). */
  leaseMs?: number;
  /** Wait between looks at a key another worker is buying (default 50 ms). */
  pollMs?: number;
  /** Give up after the database has been unreachable this long (default 300,000 ms). */
  reconnectForMs?: number;
}

type Row = {
  key: string;
  status: string;
  format: number;
  request: string | null;
  response: string | null;
  recorded_at: Date | null;
};

/** A response cache in `moolab.llm_answers` (see the module comment). */
export class PgResponseCache {
  /** The cache mode. */
  readonly mode: CacheMode;
  /** What the cache did in this process. */
  readonly stats: CacheStats = { hits: 0, misses: 0, writes: 0 };
  /** Who holds this process's claims (host, pid and a random suffix by default). */
  readonly owner: string;
  /** How long a claim lasts unless renewed, in ms. */
  readonly leaseMs: number;
  /** Polling interval in ms while waiting for another claimant. */
  readonly pollMs: number;
  /** The connection pool. */
  readonly sql: Sql;
  readonly #ownsSql: boolean;
  readonly #claims = new Map<string, ReturnType<typeof setInterval>>(); // key → renewal timer
  readonly #retry: { reconnectForMs?: number };

  /** A cache on an open pool (the schema must be migrated; see {@link PgResponseCache.open}). */
  constructor(sql: Sql, mode: CacheMode = "auto", options: PgCacheOptions = {}, ownsSql = false) {
    if (!["auto", "record", "replay"].includes(mode)) {
      throw new RangeError(
        `PgResponseCache: mode must be "auto", "record" or "replay", got ${JSON.stringify(mode)}`,
      );
    }
    this.sql = sql;
    this.mode = mode;
    this.owner = options.owner ?? `${Deno.hostname()}:${Deno.pid}:${crypto.randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 50;
    if (!(this.leaseMs > 0 && this.pollMs > 0)) {
      throw new RangeError("PgResponseCache: leaseMs and pollMs must be > 0");
    }
    this.#ownsSql = ownsSql;
    this.#retry = { reconnectForMs: options.reconnectForMs };
  }

  /** Connects to `url`, applies the migrations, and returns the cache (close it with {@link close}). */
  static async open(
    url: string,
    mode: CacheMode = "auto",
    options: PgCacheOptions = {},
  ): Promise<PgResponseCache> {
    const sql = connect(url, 4);
    try {
      await withRetry(() => migrate(sql), { reconnectForMs: options.reconnectForMs });
    } catch (e) {
      await sql.end({ timeout: 1 });
      throw e;
    }
    return new PgResponseCache(sql, mode, options, true);
  }

  #decode(row: Row): CacheEntry {
    if (row.format !== 1) {
      throw new ForeignRowError(
        "moolab.llm_answers",
        row.key,
        `format ${row.format}, this library reads format 1`,
      );
    }
    try {
      const entry: CacheEntry = {
        version: 1,
        key: row.key,
        request: JSON.parse(row.request!),
        response: JSON.parse(row.response!),
        recordedAt: row.recorded_at!.toISOString(),
      };
      if (typeof entry.response?.text !== "string") throw new Error("response has no text");
      return entry;
    } catch (e) {
      throw new ForeignRowError("moolab.llm_answers", row.key, `not an answer (${(e as Error).message})`);
    }
  }

  /** The answer of a request, or undefined (also while another worker is buying it). */
  async read(request: CacheRequest): Promise<CacheEntry | undefined> {
    const key = requestKey(request);
    const rows = await withRetry(
      () =>
        this.sql<Row[]>`SELECT key, status, format, request, response, recorded_at FROM moolab.llm_answers
        WHERE key = ${key} AND status = 'done'`,
      this.#retry,
    );
    return rows.length ? this.#decode(rows[0]) : undefined;
  }

  /**
   * Looks a request up according to the mode: the entry on a hit; undefined when the caller should
   * call the endpoint (record; auto once this cache holds the key's claim, after waiting for any other
   * worker buying it); a {@link CacheMissError} on a replay miss.
   */
  async lookup(request: CacheRequest): Promise<CacheEntry | undefined> {
    if (this.mode === "record") return undefined;
    const key = requestKey(request);
    let counted = false;
    while (true) {
      const entry = await this.read(request);
      if (entry) {
        this.stats.hits++;
        return entry;
      }
      if (!counted) {
        this.stats.misses++;
        counted = true;
      }
      if (this.mode === "replay") {
        throw new CacheMissError(
          `response cache (replay mode, database): no answer for model ${request.model}, run ${request.runId}, ` +
            `sample ${request.sampleId ?? "-"}, seed ${request.seed ?? "-"}, key ${key.slice(0, 12)}…. ` +
            `Run in "auto" or "record" mode to call the endpoint.`,
          key,
        );
      }
      if (await this.#claim(key)) return undefined;
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  /** Takes the claim of a key when it is free or its lease ran out; true when this cache holds it. */
  async #claim(key: string): Promise<boolean> {
    if (this.#claims.has(key)) return false; // another call of this process is buying it: wait too
    const lease = this.leaseMs / 1000;
    const rows = await withRetry(
      () =>
        this.sql`INSERT INTO moolab.llm_answers (key, status, owner, lease_until, format)
        VALUES (${key}, 'pending', ${this.owner}, now() + make_interval(secs => ${lease}::float8), 1)
        ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
        WHERE llm_answers.status = 'pending' AND llm_answers.lease_until < now()
        RETURNING key`,
      this.#retry,
    );
    if (rows.length === 0) return false;
    const timer = setInterval(() => {
      this.sql`UPDATE moolab.llm_answers SET lease_until = now() + make_interval(secs => ${lease}::float8)
        WHERE key = ${key} AND status = 'pending' AND owner = ${this.owner}`.catch(
        () => {/* next renewal */},
      );
    }, this.leaseMs / 3);
    this.#claims.set(key, timer);
    return true;
  }

  #drop(key: string): void {
    const t = this.#claims.get(key);
    if (t !== undefined) clearInterval(t);
    this.#claims.delete(key);
  }

  /** Records an answer (the key becomes `done` for every worker); returns the entry. */
  async write(request: CacheRequest, response: CachedResponse, _paidBy?: string): Promise<CacheEntry> {
    if (this.mode === "replay") throw new LLMError("response cache: cannot write in replay mode (database)");
    const key = requestKey(request);
    const stored: CacheRequest = {
      ...request,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    };
    const rows = await withRetry(
      () =>
        this.sql<{ recorded_at: Date }[]>`
        INSERT INTO moolab.llm_answers (key, status, owner, lease_until, format, request, response, recorded_at)
        VALUES (${key}, 'done', NULL, NULL, 1, ${JSON.stringify(stored)}, ${JSON.stringify(response)}, now())
        ON CONFLICT (key) DO UPDATE SET status = 'done', owner = NULL, lease_until = NULL, format = 1,
          request = EXCLUDED.request, response = EXCLUDED.response, recorded_at = EXCLUDED.recorded_at
        RETURNING recorded_at`,
      this.#retry,
    );
    this.#drop(key);
    this.stats.writes++;
    return { version: 1, key, request: stored, response, recordedAt: rows[0].recorded_at.toISOString() };
  }

  /** Gives up this cache's claim of a request (its call failed), so another worker may buy it. */
  async release(request: CacheRequest): Promise<void> {
    const key = requestKey(request);
    if (!this.#claims.has(key)) return;
    this.#drop(key);
    await withRetry(
      () =>
        this
          .sql`DELETE FROM moolab.llm_answers WHERE key = ${key} AND status = 'pending' AND owner = ${this.owner}`,
      this.#retry,
    );
  }

  /** Number of answers in the table. */
  async size(): Promise<number> {
    const [r] = await this.sql<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM moolab.llm_answers WHERE status = 'done'`;
    return r.n;
  }

  /** Stops renewing claims and, when {@link open} made the pool, closes it. */
  async close(): Promise<void> {
    for (const k of [...this.#claims.keys()]) this.#drop(k);
    if (this.#ownsSql) await this.sql.end({ timeout: 1 });
  }
}
