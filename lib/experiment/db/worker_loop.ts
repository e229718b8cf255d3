/**
 * A worker of the study database (`deno task worker --db <url>`): applies the migrations, then claims
 * jobs of its own library code, one at a time in each of its `threads` worker threads
 * (lib/experiment/worker.ts), while the main thread refreshes the jobs' heartbeats; writes the record, or the error. A lost
 * connection (the database restarting) is retried with backoff (connect.ts); the record of a finished
 * run is kept until it is written. A job taken over by another worker (this one was silent past the
 * lease) is abandoned at the next heartbeat.
 *
 * @module
 */
import type { RunRecord, RunSpec } from "../run.ts";
import { libraryFingerprint } from "../run.ts";
import { connect, withRetry } from "./connect.ts";
import { migrate } from "./migrations.ts";
import { claim, complete, fail, failSilent, heartbeat, remaining } from "./queue.ts";

/** Settings of {@link work}. */
export interface WorkOptions {
  /** `postgres://` URL of the study database. */
  db: string;
  /** This worker's name in `moolab.jobs.worker` (default host:pid). */
  id?: string;
  /** Heartbeat period (default 2,000 ms). */
  heartbeatMs?: number;
  /** A running job with no heartbeat for this long is claimed again (default 30,000 ms). */
  leaseMs?: number;
  /** Wait between looks at an empty queue (default 500 ms). */
  pollMs?: number;
  /** Runs at once, each in its own thread (default 1; e.g. the machine's cores). */
  threads?: number;
  /** Stop when no job of this library is queued or running (default: wait for more work). */
  exitWhenIdle?: boolean;
  /** Give up after the database has been unreachable this long (default 300,000 ms). */
  reconnectForMs?: number;
  /** Stop after the current job. */
  signal?: AbortSignal;
  /** Where log lines go (default console.log). */
  log?: (line: string) => void;
}

/** What a worker did. */
export interface WorkSummary {
  /** Runs this worker finished and wrote (ids of jobs). */
  done: number[];
  /** Attempts that threw. */
  errors: number;
  /** Jobs abandoned because another worker took them over. */
  lost: number;
}

type Reply = { i: number; record?: RunRecord; error?: string };

/** One worker thread running one spec at a time; once terminated it answers every run with an error. */
class RunThread {
  #w: Worker;
  #pending?: (r: Reply) => void;
  #dead = false;
  constructor() {
    this.#w = new Worker(new URL("../worker.ts", import.meta.url).href, { type: "module" });
    this.#w.onmessage = (e: MessageEvent<Reply>) => this.#settle(e.data);
    this.#w.onerror = (e) => {
      e.preventDefault();
      this.#dead = true;
      this.#settle({ i: -1, error: `worker thread failed: ${e.message}` });
    };
  }
  get dead(): boolean {
    return this.#dead;
  }
  #settle(r: Reply): void {
    const p = this.#pending;
    this.#pending = undefined;
    p?.(r);
  }
  run(i: number, spec: RunSpec): Promise<Reply> {
    if (this.#dead) return Promise.resolve({ i: -1, error: "worker thread terminated" });
    return new Promise((resolve) => {
      this.#pending = resolve;
      this.#w.postMessage({ i, spec });
    });
  }
  terminate(): void {
    this.#dead = true;
    this.#w.terminate();
    this.#settle({ i: -1, error: "abandoned" });
  }
}

/** Runs jobs until stopped (or idle, with `exitWhenIdle`). */
export async function work(options: WorkOptions): Promise<WorkSummary> {
  const log = options.log ?? ((l: string) => console.log(l));
  const id = options.id ?? `${Deno.hostname()}:${Deno.pid}`;
  const heartbeatMs = options.heartbeatMs ?? 2000;
  const leaseMs = options.leaseMs ?? 30_000;
  if (!(heartbeatMs > 0 && leaseMs > heartbeatMs)) {
    throw new RangeError(`worker: the lease (${leaseMs} ms) must exceed the heartbeat (${heartbeatMs} ms)`);
  }
  const pollMs = options.pollMs ?? 500;
  const retry = {
    reconnectForMs: options.reconnectForMs,
    onRetry: (e: unknown, ms: number) =>
      log(`database unreachable (${(e as Error).message}); retry in ${ms} ms`),
  };
  const library = await libraryFingerprint();
  const nThreads = options.threads ?? 1;
  if (!Number.isInteger(nThreads) || nThreads < 1) {
    throw new RangeError(`worker: threads must be a positive integer, got ${nThreads}`);
  }
  const sql = connect(options.db, nThreads + 1);
  const summary: WorkSummary = { done: [], errors: 0, lost: 0 };
  const threads: RunThread[] = [];
  try {
    const applied = await withRetry(() => migrate(sql), retry);
    log(
      `worker ${id}: library ${library}${applied.length ? `, applied migrations ${applied.join(", ")}` : ""}`,
    );
    const lane = async (name: string) => {
      let thread = new RunThread();
      threads.push(thread);
      let lastSweep = 0;
      while (!options.signal?.aborted) {
        if (Date.now() - lastSweep > leaseMs) {
          await withRetry(() => failSilent(sql, library, leaseMs), retry);
          lastSweep = Date.now();
        }
        const got = await withRetry(() => claim(sql, library, name, leaseMs), retry);
        if (got.foreign) {
          log(`job marked failed: ${got.foreign.name}: ${got.foreign.message}`);
          continue;
        }
        const job = got.job;
        if (!job) {
          if (await withRetry(() => failSilent(sql, library, leaseMs), retry)) continue;
          if (options.exitWhenIdle && (await withRetry(() => remaining(sql, library), retry)) === 0) break;
          await new Promise((r) => setTimeout(r, pollMs));
          continue;
        }
        if (thread.dead) {
          thread = new RunThread();
          threads.push(thread);
        }
        // a heartbeat may answer after its run is over (slow during a database outage): `over` makes
        // such a late answer harmless, so it never terminates the thread of the next job
        let lost = false, over = false;
        const current = thread;
        const beat = setInterval(() => {
          heartbeat(sql, job.id, name).then((held) => {
            if (!held && !lost && !over) {
              lost = true;
              current.terminate();
            }
          }, (e) => over || log(`heartbeat of job ${job.id} failed: ${(e as Error).message}`));
        }, heartbeatMs);
        const reply = await thread.run(job.id, job.spec);
        over = true;
        clearInterval(beat);
        if (lost) {
          summary.lost++;
          log(`job ${job.id} taken over by another worker; abandoned`);
          thread = new RunThread();
          threads.push(thread);
          continue;
        }
        if (reply.record) {
          const record = reply.record;
          const wrote = await withRetry(() => complete(sql, job.id, record), retry);
          if (wrote) summary.done.push(job.id);
          log(`${wrote ? "ran" : "ran (already done elsewhere)"} job ${job.id} (attempt ${job.attempts})`);
        } else {
          summary.errors++;
          const state = await withRetry(() => fail(sql, job.id, name, reply.error ?? "?"), retry);
          log(`job ${job.id} attempt ${job.attempts}/${job.maxAttempts} failed (${state}): ${reply.error}`);
          if (reply.i === -1 && !thread.dead) thread.terminate(); // replaced before the next job
        }
      }
    };
    await Promise.all(
      Array.from({ length: nThreads }, (_, k) => lane(nThreads === 1 ? id : `${id}#${k + 1}`)),
    );
  } finally {
    for (const t of threads) t.terminate();
    await sql.end({ timeout: 1 });
  }
  return summary;
}
