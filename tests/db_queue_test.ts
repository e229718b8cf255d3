/**
 * The PostgreSQL study store against a real, throw-away cluster (tests/_pg.ts): worker processes
 * (tools/worker.ts) give the same records as the embedded mode, survive kill -9 of a worker and a
 * restart of the database, and foreign rows are named errors. Heartbeats and leases are short
 * (200 ms / 1.5 s) so that each test is bounded.
 */
import assert from "node:assert/strict";
import { PgCluster, pgIgnore } from "./_pg.ts";
import {
  libraryFingerprint,
  runMany,
  runOne as referenceRun,
  type RunRecord,
  type RunSpec,
} from "../lib/experiment/run.ts";
import { connect, isTransient, type Sql } from "../lib/experiment/db/connect.ts";
import { migrate, SCHEMA_VERSION } from "../lib/experiment/db/migrations.ts";
import { decodeJson, decodeSpec, encodeJson, JOB_FORMAT, specProblem } from "../lib/experiment/db/codec.ts";
import { claim, complete, enqueue, failSilent, finished, heartbeat } from "../lib/experiment/db/queue.ts";
import { ForeignRowError, JobFailedError, SchemaVersionError } from "../lib/experiment/db/errors.ts";

const ignore = pgIgnore();
const WORKER = new URL("../tools/worker.ts", import.meta.url).pathname;
/** Worker processes still running (killed when the test ends, also after a failure). */
const spawned = new Set<Deno.ChildProcess>();

/**
 * A worker process with short heartbeat and lease: `ready` once it has migrated and logged its library
 * line (so a test can enqueue after every worker is up), `output` its whole log at exit, `stop()`
 * SIGTERM (it finishes the current job) and the log.
 */
function spawnWorker(db: string, name: string, extra: string[] = []) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      WORKER,
      "--db",
      db,
      "--id",
      name,
      "--heartbeat",
      "200",
      "--lease",
      "1500",
      "--poll",
      "100",
      ...extra,
    ],
    stdout: "piped",
    stderr: "piped",
    env: { MOOLAB_DB: "" },
  }).spawn();
  spawned.add(child);
  child.status.then(() => spawned.delete(child));
  let text = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  const read = async (stream: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    for await (const chunk of stream) {
      text += dec.decode(chunk, { stream: true });
      if (text.includes(`worker ${name}: library`)) markReady();
    }
  };
  const output = Promise.all([read(child.stdout), read(child.stderr), child.status]).then(() => {
    markReady();
    return text;
  });
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
    return await output;
  };
  return { child, ready, output, stop, text: () => text };
}

/** Ids of the jobs a worker's log says it ran to completion and wrote. */
const ranJobs = (log: string) => [...log.matchAll(/^ran job (\d+)/gm)].map((m) => Number(m[1]));

/** A record without its wall time, as bytes (the only field that may differ between two runs). */
const bytesOf = (r: RunRecord) => encodeJson({ ...r, seconds: 0 });

function grid(seeds: number[], maxEvaluations = 2000): RunSpec[] {
  const specs: RunSpec[] = [];
  for (const problem of ["ZDT1", "ZDT2"]) {
    for (const algorithm of ["NSGA-II", "MOEA/D"]) {
      for (const seed of seeds) {
        specs.push({ algorithm, problem, seed, maxEvaluations, popSize: 20, curveEvery: 10 });
      }
    }
  }
  return specs;
}

async function withSql<T>(url: string, f: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = connect(url, 1);
  try {
    return await f(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

Deno.test("study database without a server: codec, spec checks, URL and error classes", () => {
  const values = [-0, NaN, Infinity, -Infinity, 1.5, 0.1 + 0.2];
  const back = decodeJson(encodeJson({ values })) as { values: number[] };
  back.values.forEach((v, k) => assert.ok(Object.is(v, values[k]), `value ${k}: ${v}`));
  assert.equal(
    specProblem({ algorithm: "NSGA-II", problem: "ZDT1", seed: 1, maxEvaluations: 10 }),
    undefined,
  );
  assert.equal(
    specProblem({ algorithm: "NSGA-II", problem: "ZDT1", seed: 1.5, maxEvaluations: 10 }),
    "spec.seed is not an integer",
  );
  assert.equal(specProblem([]), "the spec is not an object");
  // names follow the library's one rule (case-insensitive) for algorithms and problems alike
  const lower = { algorithm: "nsga-ii", problem: "zdt1", seed: 1, maxEvaluations: 10 };
  assert.deepEqual(decodeSpec({ id: 4, format: JOB_FORMAT, spec: encodeJson(lower) }), lower);
  assert.throws(
    () => decodeSpec({ id: 3, format: JOB_FORMAT, spec: "{not json" }),
    (e: Error) => e instanceof ForeignRowError && /^moolab\.jobs row 3: spec is not JSON/.test(e.message),
  );
  assert.throws(
    () => connect("mysql://u:secret@h/db"),
    (e: Error) => e instanceof TypeError && !e.message.includes("secret"),
  );
  assert.equal(isTransient({ code: "ECONNREFUSED" }), true);
  assert.equal(isTransient({ code: "57P01" }), true);
  assert.equal(isTransient({ code: "42P01" }), false, "undefined table is a bug, not an outage");
});

Deno.test({
  name: "study database on PostgreSQL",
  ignore,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const pg = await PgCluster.start();
    try {
      await t.step(
        "migrations: applied once, idempotent, a newer schema is a SchemaVersionError",
        async () => {
          const url = await pg.database("migrations");
          await withSql(url, async (sql) => {
            const [a, b] = await Promise.all([migrate(sql), migrate(sql)]);
            assert.deepEqual(
              [...a, ...b],
              [1],
              "each migration applied exactly once by two concurrent callers",
            );
            assert.deepEqual(await migrate(sql), []);
            await sql`INSERT INTO moolab.schema_migrations (version, name) VALUES (${
              SCHEMA_VERSION + 1
            }, 'future')`;
            await assert.rejects(() => migrate(sql), SchemaVersionError);
          });
        },
      );

      await t.step(
        "leases: a silent worker's job is claimed again, its holder learns it, N deaths fail it",
        async () => {
          const url = await pg.database("lease");
          const library = await libraryFingerprint();
          const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
          await withSql(url, async (sql) => {
            await migrate(sql);
            const spec: RunSpec = {
              algorithm: "NSGA-II",
              problem: "ZDT1",
              seed: 5,
              maxEvaluations: 200,
              popSize: 20,
            };
            await enqueue(sql, [spec], library, 2);
            const a = (await claim(sql, library, "a", 300)).job!;
            assert.equal(a.attempts, 1);
            assert.equal((await claim(sql, library, "b", 300)).job, undefined, "a held job is not claimed");
            await sleep(450);
            const b = (await claim(sql, library, "b", 300)).job!;
            assert.deepEqual([b.id, b.attempts], [a.id, 2], "claimed again after the lease");
            assert.equal(await heartbeat(sql, a.id, "a"), false, "the old holder learns it lost the job");
            assert.equal(await heartbeat(sql, b.id, "b"), true);
            await sleep(450); // b falls silent too: 2 attempts of 2
            assert.equal((await claim(sql, library, "c", 300)).job, undefined, "no third attempt");
            assert.equal(await failSilent(sql, library, 300), 1);
            const [row] = await sql`SELECT status, error FROM moolab.jobs WHERE id = ${a.id}`;
            assert.equal(row.status, "failed");
            assert.match(row.error, /worker b fell silent \(no heartbeat for 0\.3 s\) on attempt 2 of 2/);
            // a record is written once
            const record = referenceRun(spec);
            assert.equal(await complete(sql, a.id, record), true);
            assert.equal(await complete(sql, a.id, record), false);
          });
        },
      );

      await t.step("3 worker processes give byte-identical records to the embedded runMany", async () => {
        const url = await pg.database("grid");
        const specs = grid([1, 2, 3]);
        const local = await runMany(specs, { workers: 2, db: "" });
        const seen: number[] = [];
        const workers = [1, 2, 3].map((k) => spawnWorker(url, `w${k}`, k === 3 ? ["--threads", "2"] : []));
        await Promise.all(workers.map((w) => w.ready));
        const viaDb = await runMany(specs, {
          db: url,
          dbOptions: { stallMs: 120_000, pollMs: 50 },
          onRecord: (_r, done, total) => {
            assert.equal(total, specs.length);
            seen.push(done);
          },
        });
        const logs = await Promise.all(workers.map((w) => w.stop()));
        assert.deepEqual(seen, specs.map((_, k) => k + 1), "progress: one call per record, counting up");
        assert.deepEqual(viaDb.map(bytesOf), local.map(bytesOf));
        assert.deepEqual(viaDb.map((r) => r.spec), specs, "same order as the specs");
        const ran = logs.flatMap(ranJobs).sort((a, b) => a - b);
        assert.equal(ran.length, specs.length, `every job ran once:\n${logs.join("\n")}`);
        assert.ok(logs.filter((l) => ranJobs(l).length > 0).length >= 2, "the work was shared");
        const holders = await withSql(
          url,
          (sql) => sql`SELECT DISTINCT worker FROM moolab.jobs ORDER BY worker`,
        );
        for (const h of holders) assert.ok(["w1", "w2", "w3#1", "w3#2"].includes(h.worker), h.worker);
        // idempotent: the same grid again is answered from the database, no worker needed
        const again = await runMany(specs, { db: url });
        assert.deepEqual(again.map((r) => encodeJson(r)), viaDb.map((r) => encodeJson(r)));
      });

      await t.step(
        "kill -9 of a worker mid-job: the job is reclaimed, nothing lost or run twice",
        async () => {
          const url = await pg.database("kill");
          const specs = grid([1], 30_000); // runs of ~0.5–2 s, so the kill lands mid-run
          await withSql(url, migrate);
          const grid$ = runMany(specs, { db: url, dbOptions: { stallMs: 120_000, pollMs: 50 } });
          const victim = spawnWorker(url, "victim");
          let held: { id: number }[] = [];
          await withSql(url, async (sql) => {
            for (let k = 0; k < 300 && held.length === 0; k++) {
              await new Promise((r) => setTimeout(r, 50));
              held = await sql`SELECT id FROM moolab.jobs WHERE worker = 'victim' AND status = 'running'`;
            }
          });
          assert.equal(held.length, 1, "the victim claimed a job");
          victim.child.kill("SIGKILL");
          const victimLog = await victim.output;
          const survivors = [
            spawnWorker(url, "s1", ["--exit-when-idle"]),
            spawnWorker(url, "s2", ["--exit-when-idle"]),
          ];
          const records = await grid$;
          const logs = await Promise.all(survivors.map((w) => w.output));
          assert.equal(records.length, specs.length);
          for (const [k, r] of records.entries()) assert.deepEqual(r.spec, specs[k]);
          const ran = [...ranJobs(victimLog), ...logs.flatMap(ranJobs)].sort((a, b) => a - b);
          assert.deepEqual(ran, [...new Set(ran)], "no job run twice to completion");
          assert.equal(ran.length, specs.length, "no job lost");
          await withSql(url, async (sql) => {
            const [j] = await sql<{ attempts: number; status: string; worker: string }[]>`
            SELECT attempts, status, worker FROM moolab.jobs WHERE id = ${held[0].id}`;
            assert.equal(j.status, "done");
            assert.equal(j.attempts, 2, "the killed job was claimed a second time");
            assert.notEqual(j.worker, "victim");
          });
          const expected = specs.map((s) => bytesOf(referenceRun(s)));
          assert.deepEqual(records.map(bytesOf), expected);
        },
      );

      await t.step("a worker whose job was taken over abandons it at its next heartbeat", async () => {
        const url = await pg.database("takeover");
        const spec: RunSpec = {
          algorithm: "MOEA/D",
          problem: "ZDT1",
          seed: 3,
          maxEvaluations: 60_000,
          popSize: 20,
        };
        const w = spawnWorker(url, "slow");
        await w.ready;
        const grid$ = runMany([spec], { db: url, dbOptions: { stallMs: 120_000, pollMs: 50 } });
        await withSql(url, async (sql) => {
          let held: { id: number }[] = [];
          for (let k = 0; k < 300 && held.length === 0; k++) {
            await new Promise((r) => setTimeout(r, 50));
            held = await sql`SELECT id FROM moolab.jobs WHERE worker = 'slow' AND status = 'running'`;
          }
          assert.equal(held.length, 1, "the worker claimed the job");
          // another worker takes the job over (as after a missed lease), then gives it back to the queue
          await sql`UPDATE moolab.jobs SET worker = 'intruder' WHERE id = ${held[0].id}`;
          for (let k = 0; k < 300 && !w.text().includes("taken over"); k++) {
            await new Promise((r) => setTimeout(r, 50));
          }
          await sql`UPDATE moolab.jobs SET status = 'queued', worker = NULL WHERE id = ${held[0].id}`;
        });
        const [record] = await grid$;
        const log = await w.stop();
        assert.match(log, /job \d+ taken over by another worker; abandoned/);
        assert.equal(ranJobs(log).length, 1, "then claimed again and run once to completion");
        assert.equal(bytesOf(record), bytesOf(referenceRun(spec)));
      });

      await t.step("the database restarted mid-grid: workers reconnect with backoff and finish", async () => {
        const url = await pg.database("restart");
        const specs = grid([1, 2, 3, 4, 5, 6], 4000);
        let arrived = 0;
        const workers = [spawnWorker(url, "r1"), spawnWorker(url, "r2")];
        await Promise.all(workers.map((w) => w.ready));
        const grid$ = runMany(specs, {
          db: url,
          dbOptions: { stallMs: 120_000, pollMs: 50 },
          onRecord: () => void arrived++,
        });
        for (let k = 0; k < 600 && arrived < 3; k++) await new Promise((r) => setTimeout(r, 50));
        assert.ok(arrived >= 3 && arrived < specs.length, `restart lands mid-grid (${arrived} records in)`);
        await pg.stop();
        await new Promise((r) => setTimeout(r, 1000));
        await pg.startServer();
        const records = await grid$;
        const logs = await Promise.all(workers.map((w) => w.stop()));
        assert.match(logs.join("\n"), /database unreachable .*retry in \d+ ms/, "a worker saw the outage");
        assert.deepEqual(records.map(bytesOf), specs.map((s) => bytesOf(referenceRun(s))));
        const ran = logs.flatMap(ranJobs);
        assert.equal(new Set(ran).size, specs.length, "every job written");
      });

      await t.step(
        "foreign and malformed rows are named errors; a job failing N times is failed",
        async () => {
          const url = await pg.database("foreign");
          const library = await libraryFingerprint();
          await withSql(url, async (sql) => {
            await migrate(sql);
            // a row of another format, and a spec that no longer parses
            await sql`INSERT INTO moolab.jobs (spec_key, library, format, spec) VALUES
            ('a', ${library}, ${
              JOB_FORMAT + 1
            }, '{}'), ('b', ${library}, ${JOB_FORMAT}, '{"algorithm":"NSGA-II"}')`;
            const one = await claim(sql, library, "t", 1500);
            assert.ok(one.foreign instanceof ForeignRowError);
            assert.match(one.foreign.message, /moolab\.jobs row \d+: format 2, this library reads format 1/);
            const two = await claim(sql, library, "t", 1500);
            assert.ok(two.foreign instanceof ForeignRowError);
            assert.match(two.foreign.message, /spec\.problem is not a name/);
            const rows = await sql`SELECT status, error FROM moolab.jobs ORDER BY id`;
            assert.deepEqual(rows.map((r) => r.status), ["failed", "failed"]);
            assert.match(rows[0].error, /^ForeignRowError: /);
            // a done row whose record is not a run record
            const spec: RunSpec = { algorithm: "NSGA-II", problem: "ZDT1", seed: 9, maxEvaluations: 200 };
            const ids = await enqueue(sql, [spec], library);
            const id = [...ids.values()][0];
            await sql`UPDATE moolab.jobs SET status = 'done', record = '{"HV": "high"}' WHERE id = ${id}`;
            await assert.rejects(() => finished(sql, [id]), (e: Error) => {
              assert.ok(e instanceof ForeignRowError);
              assert.match(e.message, /record is not a run record/);
              return true;
            });
            await assert.rejects(() => runMany([spec], { db: url }), ForeignRowError);
          });
          // a spec that throws in every attempt: failed with its error, and runMany says so
          const bad: RunSpec = {
            algorithm: "NSGA-II",
            problem: "ZDT1",
            seed: 1,
            maxEvaluations: 200,
            popSize: -4,
          };
          const w = spawnWorker(url, "f1");
          await w.ready;
          await assert.rejects(
            () => runMany([bad], { db: url, dbOptions: { stallMs: 120_000, pollMs: 50, maxAttempts: 2 } }),
            (e: Error) => {
              assert.ok(e instanceof JobFailedError, String(e));
              assert.match(e.message, /failed after 2 attempt\(s\): RangeError: NSGA2: population size/);
              return true;
            },
          );
          // a spec naming an algorithm this library does not have fails at once, named
          const gone: RunSpec = { algorithm: "NSGA-IV", problem: "ZDT1", seed: 1, maxEvaluations: 200 };
          await assert.rejects(
            () => runMany([gone], { db: url, dbOptions: { stallMs: 120_000, pollMs: 50, maxAttempts: 3 } }),
            (e: Error) => {
              assert.ok(e instanceof JobFailedError, String(e));
              assert.match(
                e.message,
                /after 1 attempt\(s\): ForeignRowError: .*no algorithm "NSGA-IV" in this library/,
              );
              return true;
            },
          );
          await w.stop();
          assert.deepEqual(decodeJson(encodeJson([-0, NaN, Infinity, -Infinity, 1.5])), [
            -0,
            NaN,
            Infinity,
            -Infinity,
            1.5,
          ]);
        },
      );
    } finally {
      for (const c of spawned) {
        try {
          c.kill("SIGKILL");
        } catch { /* exited meanwhile */ }
      }
      await pg.destroy();
    }
  },
});
