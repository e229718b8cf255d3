/**
 * The job queue of the study database: one row of `moolab.jobs` per (spec, library code). Specs go in
 * as jobs ({@link enqueue}); workers take the oldest free job with the standard
 * `SELECT … FOR UPDATE SKIP LOCKED` claim ({@link claim}), so two workers never take the same job;
 * a worker refreshes `heartbeat_at` while it runs; a job whose worker fell silent for longer than the
 * lease is claimed again; a job that failed `max_attempts` times is `failed` with its last error.
 *
 * Idempotent: a spec is keyed by {@link specKey} and the fingerprint of the library's code, so a
 * spec done is never run again, and a worker only takes jobs of its own code (the records are
 * seeded: the same spec gives the same record on any worker).
 *
 * Why not pg-boss (12.38 runs under Deno, checked): its heartbeat is whole seconds, at least 10; its job
 * data and output are `jsonb`, which reorders object keys (and plain JSON has no -0 or NaN), so records
 * would not come back byte for byte; its singleton keys dedupe queued or active jobs, not done ones; and it brings a
 * second client (`pg`) beside `postgres`. The claim below is the one pg-boss itself uses.
 *
 * @module
 */
import { type RunRecord, type RunSpec, specKey } from "../run.ts";
import type { Sql } from "./connect.ts";
import { decodeRecord, decodeSpec, encodeJson, JOB_FORMAT } from "./codec.ts";
import { ForeignRowError, JobFailedError } from "./errors.ts";

/** A claimed job. */
export interface Job {
  id: number;
  spec: RunSpec;
  attempts: number;
  maxAttempts: number;
}

/**
 * Enqueues specs (duplicates once) for `library`; a spec already queued, running or done is left as it
 * is, a failed one is queued again with fresh attempts. Returns the job id of each distinct spec key.
 */
export async function enqueue(
  sql: Sql,
  specs: readonly RunSpec[],
  library: string,
  maxAttempts = 3,
): Promise<Map<string, number>> {
  const byKey = new Map<string, RunSpec>();
  for (const s of specs) {
    const k = specKey(s);
    if (!byKey.has(k)) byKey.set(k, s);
  }
  const ids = new Map<string, number>();
  const rows = [...byKey].map(([k, s]) => ({
    spec_key: k,
    library,
    format: JOB_FORMAT,
    spec: encodeJson(s),
    max_attempts: maxAttempts,
  }));
  for (let o = 0; o < rows.length; o += 1000) {
    const chunk = rows.slice(o, o + 1000);
    const got = await sql<{ id: number; spec_key: string }[]>`
      INSERT INTO moolab.jobs ${sql(chunk, "spec_key", "library", "format", "spec", "max_attempts")}
      ON CONFLICT (spec_key, library) DO UPDATE SET
        status = CASE WHEN jobs.status = 'failed' THEN 'queued' ELSE jobs.status END,
        attempts = CASE WHEN jobs.status = 'failed' THEN 0 ELSE jobs.attempts END,
        max_attempts = CASE WHEN jobs.status = 'failed' THEN EXCLUDED.max_attempts ELSE jobs.max_attempts END
      RETURNING id, spec_key`;
    for (const r of got) ids.set(r.spec_key, r.id);
  }
  return ids;
}

/** A finished job as {@link finished} reports it. */
export type Finished =
  | { id: number; status: "done"; record: RunRecord }
  | { id: number; status: "failed"; error: JobFailedError };

/** The jobs among `ids` that are done or failed (records decoded; a bad row is a ForeignRowError). */
export async function finished(sql: Sql, ids: readonly number[]): Promise<Finished[]> {
  if (ids.length === 0) return [];
  const rows = await sql<
    {
      id: number;
      spec_key: string;
      status: string;
      format: number;
      record: string | null;
      error: string | null;
      attempts: number;
    }[]
  >`SELECT id, spec_key, status, format, record, error, attempts FROM moolab.jobs
    WHERE id = ANY(${sql.array(ids as number[])}::int[]) AND status IN ('done', 'failed') ORDER BY id`;
  return rows.map((r) =>
    r.status === "done" ? { id: r.id, status: "done" as const, record: decodeRecord(r) } : {
      id: r.id,
      status: "failed" as const,
      error: new JobFailedError(r.spec_key, r.attempts, r.error ?? "?"),
    }
  );
}

/**
 * Marks failed the jobs of `library` whose worker fell silent (no heartbeat for `leaseMs`) on their
 * last attempt; returns how many. Workers call it when idle and once per lease otherwise.
 */
export async function failSilent(sql: Sql, library: string, leaseMs: number): Promise<number> {
  const lease = leaseMs / 1000;
  const rows = await sql`
    UPDATE moolab.jobs SET status = 'failed', finished_at = now(),
      error = coalesce(error || '; ', '') || 'worker ' || coalesce(worker, '?') || ' fell silent (no heartbeat for '
        || ${lease}::float8 || ' s) on attempt ' || attempts || ' of ' || max_attempts
    WHERE library = ${library} AND status = 'running' AND attempts >= max_attempts
      AND heartbeat_at < now() - make_interval(secs => ${lease}::float8)
    RETURNING id`;
  return rows.length;
}

/**
 * Claims the oldest job of `library` that is queued, or running with no heartbeat for `leaseMs` (its
 * worker died) and attempts left (see {@link failSilent} for the others). Undefined when there is
 * nothing to do. A job whose row does not decode is marked failed with the {@link ForeignRowError},
 * which is returned in `foreign`.
 */
export async function claim(
  sql: Sql,
  library: string,
  worker: string,
  leaseMs: number,
): Promise<{ job?: Job; foreign?: ForeignRowError }> {
  const lease = leaseMs / 1000;
  const rows = await sql<
    { id: number; format: number; spec: string; attempts: number; max_attempts: number }[]
  >`
    UPDATE moolab.jobs SET status = 'running', attempts = attempts + 1, worker = ${worker}, heartbeat_at = now()
    WHERE id = (
      SELECT id FROM moolab.jobs
      WHERE library = ${library} AND (status = 'queued' OR (status = 'running' AND attempts < max_attempts
        AND heartbeat_at < now() - make_interval(secs => ${lease}::float8)))
      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, format, spec, attempts, max_attempts`;
  if (rows.length === 0) return {};
  const r = rows[0];
  try {
    return { job: { id: r.id, spec: decodeSpec(r), attempts: r.attempts, maxAttempts: r.max_attempts } };
  } catch (e) {
    if (!(e instanceof ForeignRowError)) throw e;
    await sql`UPDATE moolab.jobs SET status = 'failed', error = ${`${e.name}: ${e.message}`}, finished_at = now()
      WHERE id = ${r.id}`;
    return { foreign: e };
  }
}

/** Refreshes the heartbeat of a job; false when this worker no longer holds it (it was reclaimed). */
export async function heartbeat(sql: Sql, id: number, worker: string): Promise<boolean> {
  const rows = await sql`UPDATE moolab.jobs SET heartbeat_at = now()
    WHERE id = ${id} AND worker = ${worker} AND status = 'running' RETURNING id`;
  return rows.length === 1;
}

/** Writes a job's record; false when the job was already done (by a worker that reclaimed it). */
export async function complete(sql: Sql, id: number, record: RunRecord): Promise<boolean> {
  const rows = await sql`UPDATE moolab.jobs SET status = 'done', record = ${encodeJson(record)},
      finished_at = now(), heartbeat_at = now(), error = NULL
    WHERE id = ${id} AND status <> 'done' RETURNING id`;
  return rows.length === 1;
}

/** Records a failed attempt: queued again while attempts remain, else failed with the error. */
export async function fail(
  sql: Sql,
  id: number,
  worker: string,
  error: string,
): Promise<"queued" | "failed"> {
  const rows = await sql<{ status: "queued" | "failed" }[]>`
    UPDATE moolab.jobs SET error = ${error}, worker = NULL,
      status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
      finished_at = CASE WHEN attempts >= max_attempts THEN now() ELSE NULL END
    WHERE id = ${id} AND worker = ${worker} AND status = 'running' RETURNING status`;
  return rows[0]?.status ?? "queued";
}

/** Jobs of `library` still to do (queued or running). */
export async function remaining(sql: Sql, library: string): Promise<number> {
  const [r] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM moolab.jobs
    WHERE library = ${library} AND status IN ('queued', 'running')`;
  return r.n;
}

/** Jobs of `library` running with a heartbeat in the last `withinMs`. */
export async function running(sql: Sql, library: string, withinMs: number): Promise<number> {
  const [r] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM moolab.jobs
    WHERE library = ${library} AND status = 'running'
      AND heartbeat_at > now() - make_interval(secs => ${withinMs / 1000}::float8)`;
  return r.n;
}
