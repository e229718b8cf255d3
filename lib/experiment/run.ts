/**
 * Experiments as data: a run is a plain {@link RunSpec} (algorithm, problem, seed, budget, options by
 * name), so that grids of runs can be spread over worker threads, cached on disk, and resumed after a
 * crash. Indicators follow PlatEMO's conventions (as the NSGA-II-LLM paper's tables): `HV` is
 * `platemoHV`, `IGD` is PlatEMO's IGD, both against the problem's 10,000-point true front.
 */
import type { Problem } from "../core/problem.ts";
import { toRows } from "../core/points.ts";
import { getProblem } from "../problems/mod.ts";
import { makeAlgorithm } from "../algorithms/registry.ts";
import { platemoHV } from "../indicators/normalize.ts";
import { igd } from "../indicators/igd.ts";
import type { Points } from "../core/points.ts";
import type { DbRunOptions } from "./db/run_db.ts";

/** One run, as plain JSON. */
export interface RunSpec {
  /** The algorithm's registry name (see {@link algorithmNames}). */
  algorithm: string;
  /** The problem's name (see {@link getProblem}). */
  problem: string;
  /** Seed of the run. */
  seed: number;
  /** The budget in evaluations. */
  maxEvaluations: number;
  /** Population size (default: the algorithm's). */
  popSize?: number;
  /** Further algorithm options (plain JSON). */
  options?: Record<string, unknown>;
  /** Problem size (default: the problem's). */
  nVar?: number;
  /** Objectives (scalable problems only; default: the problem's). */
  nObj?: number;
  /** Record HV every this many generations for convergence curves (default: none). */
  curveEvery?: number;
}

/** What a run gives. */
export interface RunRecord {
  /** The run's spec. */
  spec: RunSpec;
  /** PlatEMO-normalised hypervolume of the final non-dominated set. */
  HV: number;
  /** PlatEMO's IGD of the final non-dominated set. */
  IGD: number;
  /** The final non-dominated objective vectors. */
  front: number[][];
  /** [evaluations, HV] pairs, when `curveEvery` was set. */
  curve: [number, number][];
  /** Evaluations spent. */
  evaluations: number;
  /** Generations run. */
  generations: number;
  /** Wall time of the run (not part of any check). */
  seconds: number;
}

const problemCache = new Map<string, { problem: Problem; front: Points }>();

function problemFor(spec: RunSpec): { problem: Problem; front: Points } {
  const key = `${spec.problem}|${spec.nVar ?? ""}|${spec.nObj ?? ""}`;
  let p = problemCache.get(key);
  if (!p) {
    const problem = getProblem(spec.problem, { nVar: spec.nVar, nObj: spec.nObj });
    if (!problem.paretoFront) throw new RangeError(`runOne: ${spec.problem} has no known Pareto front`);
    p = { problem, front: problem.paretoFront() };
    problemCache.set(key, p);
  }
  return p;
}

/** Runs one spec to completion in this thread. */
export function runOne(spec: RunSpec): RunRecord {
  const { problem, front } = problemFor(spec);
  const options: Record<string, unknown> = { ...spec.options, seed: spec.seed };
  if (spec.popSize !== undefined) options.popSize = spec.popSize;
  const algorithm = makeAlgorithm(spec.algorithm, problem, options);
  const curve: [number, number][] = [];
  const every = spec.curveEvery;
  const t0 = performance.now();
  const result = algorithm.run({
    maxEvaluations: spec.maxEvaluations,
    onGeneration: every
      ? (info) => {
        if (info.generation % every === 0 || info.last || info.generation === 1) {
          curve.push([info.evaluations, platemoHV(info.front, front)]);
        }
      }
      : undefined,
  });
  const seconds = (performance.now() - t0) / 1000;
  return {
    spec,
    HV: platemoHV(result.front, front),
    IGD: igd(result.front, front),
    front: toRows(result.front),
    curve,
    evaluations: result.evaluations,
    generations: result.generations,
    seconds,
  };
}

/** A stable key of a spec (object keys sorted), for caches. */
export function specKey(spec: RunSpec): string {
  const sort = (v: unknown): unknown =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]))
      : v;
  return JSON.stringify(sort(spec));
}

/** Options of {@link runMany}. */
export interface RunManyOptions {
  /** Worker threads (default: 2, or 1 when there is a single spec); 1 runs in this thread. */
  workers?: number;
  /**
   * A JSON-lines file: records found there are reused, every new record is appended the moment it is
   * done, so a long grid killed midway resumes where it stopped.
   */
  cache?: string;
  /** Called after each run with the count done and the total (awaited when it returns a promise). */
  onRecord?: (record: RunRecord, done: number, total: number) => void | Promise<void>;
  /**
   * A PostgreSQL study database (`postgres://user@host:port/db`): the specs are enqueued there and run
   * by workers (`deno task worker --db <url>`, on any machine that reaches the database) instead of
   * threads of this process; `workers` is then unused. Default: the environment variable `MOOLAB_DB`,
   * else none (the embedded mode); `""` forces the embedded mode. See lib/experiment/db/.
   */
  db?: string;
  /** Settings of the database mode (poll period, attempts per job, how long to retry a lost database). */
  dbOptions?: DbRunOptions;
}

/** The `db` of {@link runMany}: the option, else `MOOLAB_DB` (when the environment can be read). */
export function studyDatabase(option?: string): string | undefined {
  if (option !== undefined) return option || undefined;
  try {
    if (Deno.permissions.querySync({ name: "env", variable: "MOOLAB_DB" }).state !== "granted") {
      return undefined;
    }
    return Deno.env.get("MOOLAB_DB") || undefined;
  } catch {
    return undefined; // no permission to read the environment
  }
}

/** Runs every spec (in worker threads) and returns the records in the order of `specs`. */
export async function runMany(specs: RunSpec[], options: RunManyOptions = {}): Promise<RunRecord[]> {
  const out: (RunRecord | undefined)[] = new Array(specs.length);
  const fingerprint = options.cache ? await libraryFingerprint() : "";
  const cached = options.cache ? readCache(options.cache, fingerprint) : new Map<string, RunRecord>();
  const todo: number[] = [];
  specs.forEach((s, i) => {
    const hit = cached.get(specKey(s));
    if (hit) out[i] = hit;
    else todo.push(i);
  });
  let done = specs.length - todo.length;
  const pending: Promise<void>[] = [];
  const finish = (i: number, r: RunRecord) => {
    out[i] = r;
    done++;
    if (options.cache) {
      Deno.writeTextFileSync(options.cache, JSON.stringify({ ...r, library: fingerprint }) + "\n", {
        append: true,
      });
    }
    const p = options.onRecord?.(r, done, specs.length);
    if (p instanceof Promise) pending.push(p);
  };
  const nWorkers = Math.max(1, Math.min(options.workers ?? 2, todo.length));
  if (options.cache) Deno.mkdirSync(dirname(options.cache), { recursive: true });
  const db = studyDatabase(options.db);
  if (db !== undefined) {
    const { runOnDb } = await import("./db/run_db.ts"); // the client is loaded only in this mode
    await runOnDb(db, specs, todo, finish, options.dbOptions);
  } else if (nWorkers <= 1) {
    for (const i of todo) {
      finish(i, runOne(specs[i]));
      await new Promise((r) => setTimeout(r, 0)); // let displays and timers run between runs
    }
  } else {
    await new Promise<void>((resolve, reject) => {
      let next = 0, active = 0, failed = false;
      const workers: Worker[] = [];
      const feed = (w: Worker) => {
        if (failed) return;
        if (next >= todo.length) {
          w.terminate();
          if (--active === 0) resolve();
          return;
        }
        const i = todo[next++];
        w.postMessage({ i, spec: specs[i] });
      };
      for (let k = 0; k < nWorkers; k++) {
        const w = new Worker(new URL("./worker.ts", import.meta.url).href, { type: "module" });
        workers.push(w);
        active++;
        w.onmessage = (e: MessageEvent<{ i: number; record?: RunRecord; error?: string }>) => {
          if (e.data.error !== undefined) {
            failed = true;
            for (const x of workers) x.terminate();
            reject(new Error(`run ${specKey(specs[e.data.i])} failed: ${e.data.error}`));
            return;
          }
          finish(e.data.i, e.data.record!);
          feed(w);
        };
        w.onerror = (e) => {
          e.preventDefault();
          failed = true;
          for (const x of workers) x.terminate();
          reject(new Error(`experiment worker failed: ${e.message}`));
        };
        feed(w);
      }
    });
  }
  await Promise.all(pending);
  return out as RunRecord[];
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "." : path.slice(0, i);
}

/**
 * A fingerprint of the library's code: SHA-256 over every `.ts` file under `lib/` (paths and
 * contents, in path order). Cached records carry it, so that a change to any algorithm, operator or
 * indicator invalidates the cache instead of silently reusing results of the old code.
 */
export async function libraryFingerprint(): Promise<string> {
  const root = new URL("../", import.meta.url);
  const files: string[] = [];
  const walk = (dir: URL, rel: string) => {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isDirectory) walk(new URL(`${e.name}/`, dir), `${rel}${e.name}/`);
      else if (e.name.endsWith(".ts")) files.push(`${rel}${e.name}`);
    }
  };
  walk(root, "");
  files.sort();
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const f of files) {
    parts.push(enc.encode(`${f}\0`), Deno.readFileSync(new URL(f, root)), enc.encode("\0"));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Reads a JSON-lines cache; a truncated last line (a crash mid-write) is ignored, other bad lines are
 * errors. With a `fingerprint`, records written by other library code are left out.
 */
export function readCache(path: string, fingerprint?: string): Map<string, RunRecord> {
  const map = new Map<string, RunRecord>();
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return map;
    throw e;
  }
  const lines = text.split("\n");
  lines.forEach((line, k) => {
    if (line.trim() === "") return;
    try {
      const { library, ...r } = JSON.parse(line) as RunRecord & { library?: string };
      if (!r.spec || typeof r.HV !== "number") throw new Error("not a run record");
      if (fingerprint === undefined || library === fingerprint) map.set(specKey(r.spec), r);
    } catch (e) {
      const isLast = lines.slice(k + 1).every((l) => l.trim() === "");
      if (!isLast) throw new SyntaxError(`${path}, line ${k + 1}: ${(e as Error).message}`);
    }
  });
  return map;
}
