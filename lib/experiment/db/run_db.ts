/**
 * `runMany(specs, { db })`: enqueues the specs in the study database and waits for workers to write
 * the records, reporting each as it arrives; see queue.ts for the queue and worker_loop.ts for the
 * workers. The records are the workers' records with `spec` set to the caller's spec object, so they
 * are the same, key for key and number for number, as a local run's (bar `seconds`, the wall time).
 *
 * @module
 */
import { libraryFingerprint, type RunRecord, type RunSpec, specKey } from "../run.ts";
import { connect, withRetry } from "./connect.ts";
import { migrate } from "./migrations.ts";
import { enqueue, finished, running } from "./queue.ts";

/** Settings of {@link runOnDb}. */
export interface DbRunOptions {
  /** Wait between looks at the jobs (default 200 ms). */
  pollMs?: number;
  /** Attempts per job before it is failed (default 3). */
  maxAttempts?: number;
  /** Give up after the database has been unreachable this long (default 300,000 ms). */
  reconnectForMs?: number;
  /** Warn once when no record arrived and no worker heartbeat was seen for this long (default 30,000 ms). */
  idleWarnMs?: number;
  /** Reject when no record arrived for this long (default: wait as long as it takes). */
  stallMs?: number;
}

/**
 * Enqueues `specs[i]` for each i in `todo` and calls `finish(i, record)` as records arrive. A job that
 * failed on every attempt rejects with its {@link JobFailedError}.
 */
export async function runOnDb(
  db: string,
  specs: readonly RunSpec[],
  todo: readonly number[],
  finish: (i: number, record: RunRecord) => void,
  options: DbRunOptions = {},
): Promise<void> {
  if (todo.length === 0) return;
  const retry = { reconnectForMs: options.reconnectForMs };
  const sql = connect(db, 2);
  try {
    await withRetry(() => migrate(sql), retry);
    const library = await libraryFingerprint();
    const ids = await withRetry(
      () => enqueue(sql, todo.map((i) => specs[i]), library, options.maxAttempts),
      retry,
    );
    const waiting = new Map<number, number[]>(); // job id → indices of specs
    for (const i of todo) {
      const id = ids.get(specKey(specs[i]))!;
      if (!waiting.has(id)) waiting.set(id, []);
      waiting.get(id)!.push(i);
    }
    const pollMs = options.pollMs ?? 200;
    const idleWarnMs = options.idleWarnMs ?? 30_000;
    let lastNews = Date.now(), warned = false;
    while (waiting.size > 0) {
      const got = await withRetry(() => finished(sql, [...waiting.keys()]), retry);
      for (const f of got) {
        if (f.status === "failed") throw f.error;
        for (const i of waiting.get(f.id)!) finish(i, { ...f.record, spec: specs[i] });
        waiting.delete(f.id);
      }
      if (got.length > 0) lastNews = Date.now();
      else if (options.stallMs !== undefined && Date.now() - lastNews > options.stallMs) {
        throw new Error(
          `runMany: no record for ${
            options.stallMs / 1000
          } s; ${waiting.size} runs still wait in the study database`,
        );
      } else if (!warned && Date.now() - lastNews > idleWarnMs) {
        const live = await withRetry(() => running(sql, library, idleWarnMs), retry);
        if (live === 0) {
          warned = true;
          console.warn(
            `runMany: ${waiting.size} runs wait in the study database and no worker of this library's code ` +
              `(fingerprint ${library}) has run one for ${idleWarnMs / 1000} s; start workers with ` +
              "`deno task worker --db <url>` from a checkout of the same code",
          );
        }
      }
      if (waiting.size > 0) await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
}
