/**
 * `deno task worker --db <url>`: a worker of the PostgreSQL study database (lib/experiment/db/). Run
 * it on any machine that reaches the database, as many as you like; each applies the schema
 * migrations, then runs the grid's jobs that match its library code until stopped (Ctrl-C finishes
 * the current job first).
 *
 * Flags: `--db URL` (default: the environment variable MOOLAB_DB), `--id NAME` (default host:pid),
 * `--heartbeat MS` (2000), `--lease MS` (30000: a job silent this long is claimed again),
 * `--poll MS` (500), `--threads N` (runs at once, 1 by default; e.g. the machine's cores), `--exit-when-idle`
 * (stop when no job of this code is queued or running).
 */
import { work } from "../lib/experiment/db/worker_loop.ts";

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

function ms(name: string): number | undefined {
  const v = flag(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new RangeError(`${name} must be a positive number of ms, got ${v}`);
  }
  return n;
}

const db = flag("--db") ?? Deno.env.get("MOOLAB_DB");
if (!db) {
  console.error("usage: deno task worker --db postgres://user@host:port/database (or set MOOLAB_DB)");
  Deno.exit(2);
}
const stop = new AbortController();
Deno.addSignalListener("SIGINT", () => stop.abort());
if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", () => stop.abort());
const summary = await work({
  db,
  id: flag("--id"),
  heartbeatMs: ms("--heartbeat"),
  leaseMs: ms("--lease"),
  pollMs: ms("--poll"),
  threads: flag("--threads") === undefined ? undefined : Number(flag("--threads")),
  exitWhenIdle: Deno.args.includes("--exit-when-idle"),
  signal: stop.signal,
});
console.log(
  `worker done: ${summary.done.length} runs written, ${summary.errors} failed attempts, ${summary.lost} lost`,
);
Deno.exit(0);
