/**
 * The schema of the study database, as versioned migrations kept in the repository. {@link migrate}
 * applies the missing ones in order, each in the same transaction as its row in
 * `moolab.schema_migrations`, under an advisory lock, so any number of workers starting at once apply
 * each migration exactly once; running it again changes nothing. A database whose schema is newer
 * than this library's is a {@link SchemaVersionError} (an older worker must not write to it).
 *
 * @module
 */
import type { Sql } from "./connect.ts";
import { SchemaVersionError } from "./errors.ts";

/** One step of the schema. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. Never edit a released one: add the next. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "experiment jobs, LLM answers and the LLM ledger",
    sql: `
      CREATE TABLE moolab.jobs (
        id serial PRIMARY KEY,
        spec_key text NOT NULL,
        library text NOT NULL,
        format int NOT NULL,
        spec text NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        max_attempts int NOT NULL DEFAULT 3 CHECK (max_attempts > 0),
        worker text,
        heartbeat_at timestamptz,
        record text,
        error text,
        enqueued_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        UNIQUE (spec_key, library)
      );
      CREATE INDEX jobs_claim ON moolab.jobs (library, status, id);
      CREATE TABLE moolab.llm_answers (
        key text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('pending', 'done')),
        owner text,
        lease_until timestamptz,
        format int NOT NULL,
        request text,
        response text,
        recorded_at timestamptz
      );
      CREATE TABLE moolab.llm_ledger (
        id bigserial PRIMARY KEY,
        study text NOT NULL,
        run_id text NOT NULL,
        model text NOT NULL,
        operator text NOT NULL,
        prompt_tokens int NOT NULL,
        completion_tokens int NOT NULL,
        cost double precision,
        cached boolean NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX llm_ledger_run ON moolab.llm_ledger (study, run_id);
    `,
  },
];

/** The newest schema version this library knows. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Advisory lock id of migrations ("moolab" in ASCII, as a number). */
const LOCK = 0x6d6f6f6c6162;

/** Applies the missing migrations; returns the versions applied now (empty when up to date). */
export async function migrate(sql: Sql): Promise<number[]> {
  return await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK})`;
    await tx.unsafe(`
      CREATE SCHEMA IF NOT EXISTS moolab;
      CREATE TABLE IF NOT EXISTS moolab.schema_migrations (
        version int PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      );
    `);
    const rows = await tx<
      { version: number }[]
    >`SELECT version FROM moolab.schema_migrations ORDER BY version`;
    const have = new Set(rows.map((r) => r.version));
    const newest = rows.length ? rows[rows.length - 1].version : 0;
    if (newest > SCHEMA_VERSION) {
      throw new SchemaVersionError(
        `study database: schema version ${newest} is newer than this library's ${SCHEMA_VERSION}; ` +
          `update moolab on this machine`,
      );
    }
    const unknown = rows.find((r) => !MIGRATIONS.some((m) => m.version === r.version));
    if (unknown) {
      throw new SchemaVersionError(
        `study database: moolab.schema_migrations has version ${unknown.version}, which no migration defines`,
      );
    }
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (have.has(m.version)) continue;
      await tx.unsafe(m.sql);
      await tx`INSERT INTO moolab.schema_migrations (version, name) VALUES (${m.version}, ${m.name})`;
      applied.push(m.version);
    }
    return applied;
  }) as number[];
}
