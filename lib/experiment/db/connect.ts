/**
 * Connections to the study database (the `postgres` npm client) and retries with backoff: a query that
 * fails because the server is unreachable, restarting or cut the connection is retried after 0.1 s,
 * 0.2 s, 0.4 s … (capped at 5 s) until `reconnectForMs` has passed; any other error is thrown at once.
 *
 * @module
 */
import postgres from "postgres";

/** A connection pool. */
export type Sql = postgres.Sql;

/** Opens a pool on `url` (`postgres://user@host:port/db`); notices are silenced. */
export function connect(url: string, max = 4): Sql {
  if (typeof url !== "string" || !/^postgres(ql)?:\/\//.test(url)) {
    // never echo the whole string: it may hold a password
    throw new TypeError(
      `study database: expected a postgres:// URL, got ${
        typeof url === "string" ? `"${url.slice(0, 11)}…"` : typeof url
      }`,
    );
  }
  return postgres(url, { max, onnotice: () => {}, connect_timeout: 5, idle_timeout: 60 });
}

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up)
]);

/** Whether an error is a lost or refused connection (worth retrying), not a bad query. */
export function isTransient(e: unknown): boolean {
  const err = e as { code?: string; name?: string; message?: string } | undefined;
  if (!err) return false;
  if (err.code && (TRANSIENT_CODES.has(err.code) || err.code.startsWith("08"))) return true;
  return err.name === "ConnectionRefused" || err.name === "ConnectionReset" || err.name === "BrokenPipe" ||
    /connection (refused|reset|closed)|broken pipe/i.test(err.message ?? "");
}

/** Settings of {@link withRetry}. */
export interface RetryOptions {
  /** Give up after this long without success (default 300,000 ms). */
  reconnectForMs?: number;
  /** Told of each retry. */
  onRetry?: (error: unknown, delayMs: number) => void;
}

/** Runs `f`, retrying transient failures with exponential backoff (0.1 s doubling, capped at 5 s). */
export async function withRetry<T>(f: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const limit = options.reconnectForMs ?? 300_000;
  const t0 = Date.now();
  let delay = 100;
  while (true) {
    try {
      return await f();
    } catch (e) {
      if (!isTransient(e) || Date.now() - t0 + delay > limit) throw e;
      options.onRetry?.(e, delay);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}
