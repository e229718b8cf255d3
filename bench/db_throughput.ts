/**
 * Throughput of the PostgreSQL study database (`deno task bench:db`, needs Debian's postgresql): 1,000
 * short runs (NSGA-II on ZDT1, population 20, 2,000 evaluations, seeds 1–1000) by the embedded
 * `runMany` (1 and 2 threads) and through the database with 1, 2 and 4 worker processes (tools/worker.ts)
 * on a throw-away cluster (tests/_pg.ts). Workers are started and idle before the grid is enqueued, so
 * their start-up is not counted; each database configuration gets a fresh database.
 *
 * The per-job overhead is (wall time − Σ run seconds) / runs for one worker, against the same figure of
 * the embedded single-thread run: what the queue (claim, heartbeat, record write, polling) adds per run.
 * The machine's load average is printed before and after: the figures are only as good as it.
 *
 * `--queue-only` measures the queue alone, without computing: N jobs enqueued, then claimed and completed
 * one after another with a precomputed record by one client (two round trips per job, as a worker
 * makes), and `finished` read back; this is the queue's own cost per job, free of the CPU contention
 * that a loaded machine adds to the figures above.
 *
 * Flags: `--runs N` (default 1000), `--queue-only`.
 */
import { PgCluster } from "../tests/_pg.ts";
import { libraryFingerprint, runMany, runOne, type RunRecord, type RunSpec } from "../lib/experiment/run.ts";
import { claim, complete, enqueue, finished } from "../lib/experiment/db/queue.ts";
import { connect } from "../lib/experiment/db/connect.ts";
import { migrate } from "../lib/experiment/db/migrations.ts";

const i = Deno.args.indexOf("--runs");
const N = i >= 0 ? Number(Deno.args[i + 1]) : 1000;
const specs: RunSpec[] = Array.from({ length: N }, (_, k) => ({
  algorithm: "NSGA-II",
  problem: "ZDT1",
  seed: k + 1,
  maxEvaluations: 2000,
  popSize: 20,
}));
const load = () => Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
const sumSeconds = (rs: RunRecord[]) => rs.reduce((s, r) => s + r.seconds, 0);
const rows: { mode: string; wall: number; runSeconds: number }[] = [];
const strip = (rs: RunRecord[]) => JSON.stringify(rs.map((r) => ({ ...r, seconds: 0 })));

console.log(`${N} runs; load average before: ${load()} (${navigator.hardwareConcurrency} cores)`);
if (Deno.args.includes("--queue-only")) {
  const pg = await PgCluster.start();
  try {
    const url = await pg.database("queue_only");
    const sql = connect(url, 1);
    await migrate(sql);
    const library = await libraryFingerprint();
    const record = runOne(specs[0]);
    let t0 = performance.now();
    await enqueue(sql, specs, library);
    const enqueueMs = performance.now() - t0;
    t0 = performance.now();
    const ids: number[] = [];
    for (let k = 0; k < N; k++) {
      const { job } = await claim(sql, library, "bench", 30_000);
      ids.push(job!.id);
      await complete(sql, job!.id, record);
    }
    const cycleMs = performance.now() - t0;
    t0 = performance.now();
    const got = await finished(sql, ids);
    const readMs = performance.now() - t0;
    if (got.length !== N) throw new Error(`read ${got.length} of ${N} records`);
    await sql.end();
    console.log(
      `enqueue: ${(enqueueMs / N).toFixed(3)} ms/job; claim + complete: ${
        (cycleMs / N).toFixed(2)
      } ms/job; ` +
        `reading the records back: ${(readMs / N).toFixed(3)} ms/job`,
    );
  } finally {
    await pg.destroy();
  }
  console.log(`load average after: ${load()}`);
  Deno.exit(0);
}
let reference = "";
for (const threads of [1, 2]) {
  const t0 = performance.now();
  const rs = await runMany(specs, { workers: threads, db: "" });
  rows.push({
    mode: `embedded, ${threads} thread(s)`,
    wall: (performance.now() - t0) / 1000,
    runSeconds: sumSeconds(rs),
  });
  reference = strip(rs);
}

const pg = await PgCluster.start();
try {
  for (const k of [1, 2, 4]) {
    const url = await pg.database(`bench_${k}`);
    const sql = connect(url, 1);
    await migrate(sql);
    await sql.end();
    const workers = Array.from({ length: k }, (_, j) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("../tools/worker.ts", import.meta.url).pathname,
          "--db",
          url,
          "--id",
          `b${j}`,
          "--poll",
          "20",
        ],
        stdout: "piped",
        stderr: "null",
      }).spawn());
    // wait until every worker has started (it logs its library line first)
    await Promise.all(workers.map(async (w) => {
      const reader = w.stdout.getReader();
      let text = "";
      while (!text.includes("library")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("worker exited before starting");
        text += new TextDecoder().decode(value);
      }
      // keep draining so the worker never blocks on a full pipe
      (async () => {
        while (!(await reader.read()).done) { /* drain */ }
      })();
    }));
    const t0 = performance.now();
    const rs = await runMany(specs, { db: url, dbOptions: { pollMs: 20 } });
    rows.push({
      mode: `database, ${k} worker process(es)`,
      wall: (performance.now() - t0) / 1000,
      runSeconds: sumSeconds(rs),
    });
    if (strip(rs) !== reference) {
      throw new Error(`records through the database (${k} workers) differ from the embedded run`);
    }
    for (const w of workers) w.kill("SIGTERM");
    for (const w of workers) await w.status;
  }
} finally {
  await pg.destroy();
}

const local1 = rows[0];
const perJob = (r: typeof rows[0]) => ((r.wall - r.runSeconds) / N) * 1000;
console.log("| mode | wall s | runs/s | Σ run s | (wall − Σ run) / run, ms |");
console.log("| --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(
    `| ${r.mode} | ${r.wall.toFixed(2)} | ${(N / r.wall).toFixed(1)} | ${r.runSeconds.toFixed(2)} | ${
      perJob(r).toFixed(2)
    } |`,
  );
}
const db1 = rows.find((r) => r.mode.startsWith("database, 1 "))!;
console.log(
  `queue overhead per job (1 worker vs embedded 1 thread): ${
    (perJob(db1) - perJob(local1)).toFixed(2)
  } ms; ` +
    `records identical to the embedded run (bar seconds): yes`,
);
console.log(`load average after: ${load()}`);
