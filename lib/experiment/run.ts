/**
 * Experiments as data: a run is a plain {@link RunSpec} (algorithm, problem, seed, budget, options by
 * name), so that grids of runs can be spread over worker threads, cached on disk, and resumed after a
 * crash. Indicators follow PlatEMO's conventions (as the NSGA-II-LLM paper's tables): `HV` is
 * `platemoHV`, `IGD` is PlatEMO's IGD, both against the problem's 10,000-point true front.
 *
 * A run can also be given by values ({@link AnyRunSpec}): an algorithm built by a function (an LLM
 * algorithm that runs asynchronously, a configured instance), a {@link Problem} object, indicators as
 * functions. Such runs go in this thread (functions do not cross to a worker), are not cached, and
 * give records of the same shape.
 */
import type { Problem } from "../core/problem.ts";
import { toRows } from "../core/points.ts";
import { getProblem } from "../problems/mod.ts";
import { makeAlgorithm } from "../algorithms/registry.ts";
import type { AskTell } from "../algorithms/algorithm.ts";
import { type GenerationInfo, minimize, minimizeAsync, type RunOptions } from "../algorithms/minimize.ts";
import type { Result } from "../algorithms/result.ts";
import { platemoHV } from "../indicators/normalize.ts";
import { igd } from "../indicators/igd.ts";
import type { Points } from "../core/points.ts";
import type { DbRunOptions } from "./db/run_db.ts";

/** One run, as plain JSON. */
export interface RunSpec {
  /** The algorithm's registered name (`algorithmNames`), e.g. "NSGA-II". */
  algorithm: string;
  /** The problem's registered name, e.g. "ZDT1". */
  problem: string;
  /** The run's seed: the same seed gives the same record. */
  seed: number;
  /** The budget: the run stops before a generation would exceed it. */
  maxEvaluations: number;
  /** Population size (default: the algorithm's). */
  popSize?: number;
  /** Further algorithm options (plain JSON). */
  options?: Record<string, unknown>;
  /** Problem size (default: the problem's). */
  nVar?: number;
  /** Number of objectives (default: the problem's). */
  nObj?: number;
  /** Record HV every this many generations for convergence curves (default: none). */
  curveEvery?: number;
}

/**
 * An algorithm given as a value: its name in the records, and how to build a fresh instance for one
 * run (called once per run, with the run's problem and spec; use `spec.seed`). The instance may be
 * asynchronous (NSGA-II-LLM's LLM step): the run awaits it.
 */
export interface AlgorithmFactory<A extends AskTell = AskTell> {
  /** The algorithm's name in the records (what tables and plots group by). */
  readonly name: string;
  /** A fresh instance for one run of `spec` on `problem`. */
  create(problem: Problem, spec: AnyRunSpec): A;
  /** What to keep of the finished instance in {@link RunRecord.details} (e.g. how many LLM calls it made). */
  details?(algorithm: A, result: Result): Record<string, number | string>;
}

/** An indicator as a function of the final non-dominated objective vectors (and the problem). */
export type RunIndicator = (front: Points, problem: Problem) => number;

/**
 * One run, given by names (a {@link RunSpec}) or by values: an {@link AlgorithmFactory}, a
 * {@link Problem} object, further indicators. A spec holding functions or objects runs in this thread.
 */
export interface AnyRunSpec extends Omit<RunSpec, "algorithm" | "problem"> {
  /** A registered name, or an {@link AlgorithmFactory}. */
  algorithm: string | AlgorithmFactory;
  /** A registered name, or a {@link Problem} object (HV and IGD need its `paretoFront`). */
  problem: string | Problem;
  /** Indicators computed on the final non-dominated set, kept in {@link RunRecord.indicators} by name. */
  indicators?: Record<string, RunIndicator>;
  /**
   * What the curve records (with `curveEvery`): "HV" (default), "IGD" or the name of one of
   * `indicators` (needed for a problem without a known Pareto front).
   */
  curveIndicator?: string;
}

/** What a run gives. */
export interface RunRecord<S extends AnyRunSpec = RunSpec> {
  /** The spec that ran (for a by-value spec, the object given). */
  spec: S;
  /** PlatEMO-normalised hypervolume of the final non-dominated set (NaN when the true front is unknown). */
  HV: number;
  /** PlatEMO's IGD of the final non-dominated set (NaN when the true front is unknown). */
  IGD: number;
  /** The final non-dominated objective vectors. */
  front: number[][];
  /** [evaluations, HV] pairs (or the `curveIndicator`), when `curveEvery` was set. */
  curve: [number, number][];
  /** Evaluations the run used (never above `maxEvaluations`). */
  evaluations: number;
  /** Generations the run made (the initial population is generation 1). */
  generations: number;
  /** Wall time of the run (not part of any check). */
  seconds: number;
  /** The spec's `indicators`, by name (only when the spec has some). */
  indicators?: Record<string, number>;
  /** What the algorithm factory's `details` kept (only when it has one). */
  details?: Record<string, number | string>;
}

/**
 * Whether a spec is plain JSON: named algorithm and problem, no indicators, options made of JSON values
 * only (no function, operator object or typed array). Such runs go to workers and the cache.
 */
export function isJsonSpec(spec: AnyRunSpec): spec is RunSpec {
  return typeof spec.algorithm === "string" && typeof spec.problem === "string" &&
    spec.indicators === undefined && spec.curveIndicator === undefined &&
    (spec.options === undefined || isPlainJson(spec.options));
}

/**
 * Whether `v` is made of JSON values: null, booleans, finite numbers, strings, arrays, plain objects (an
 * undefined property is allowed: JSON leaves it out, as the absent option it means).
 */
function isPlainJson(v: unknown): boolean {
  if (v === null || v === undefined || typeof v === "boolean" || typeof v === "string") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isPlainJson);
  if (typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && Object.values(v as object).every(isPlainJson);
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

const frontCache = new WeakMap<Problem, Points | undefined>();

/** The problem of any spec and its true front (undefined when the problem knows none). */
function anyProblemFor(spec: AnyRunSpec): { problem: Problem; front: Points | undefined } {
  if (typeof spec.problem === "string") return problemFor(spec as RunSpec);
  const problem = spec.problem;
  if (problem === null || typeof problem !== "object" || typeof problem.evaluate !== "function") {
    throw new TypeError(`runMany: the spec's problem is neither a name nor a Problem object`);
  }
  if (spec.nVar !== undefined || spec.nObj !== undefined) {
    throw new RangeError(
      `runMany: nVar and nObj size a named problem; ${problem.name} is an object of its own size`,
    );
  }
  if (!frontCache.has(problem)) frontCache.set(problem, problem.paretoFront?.());
  return { problem, front: frontCache.get(problem) };
}

/** The pieces of one run, shared by the synchronous and the asynchronous path. */
function prepare<S extends AnyRunSpec>(spec: S) {
  const { problem, front } = anyProblemFor(spec);
  let algorithm: AskTell;
  if (typeof spec.algorithm === "string") {
    const options: Record<string, unknown> = { ...spec.options, seed: spec.seed };
    if (spec.popSize !== undefined) options.popSize = spec.popSize;
    algorithm = makeAlgorithm(spec.algorithm, problem, options);
  } else if (spec.algorithm && typeof spec.algorithm.create === "function") {
    algorithm = spec.algorithm.create(problem, spec);
  } else {
    throw new TypeError("runMany: the spec's algorithm is neither a name nor { name, create }");
  }
  const indicatorOf = (name: string): (f: Points) => number => {
    if (name === "HV" || name === "IGD") {
      if (!front) {
        throw new RangeError(
          `runMany: ${problem.name} has no known Pareto front for ${name}; give indicators and a curveIndicator`,
        );
      }
      return name === "HV" ? (f) => platemoHV(f, front) : (f) => igd(f, front);
    }
    const fn = spec.indicators?.[name];
    if (!fn) {
      throw new RangeError(`runMany: curveIndicator ${name} is not HV, IGD or one of the spec's indicators`);
    }
    return (f) => fn(f, problem);
  };
  const curve: [number, number][] = [];
  const every = spec.curveEvery;
  const curveValue = every ? indicatorOf(spec.curveIndicator ?? "HV") : undefined;
  const options: RunOptions = {
    maxEvaluations: spec.maxEvaluations,
    onGeneration: curveValue
      ? (info: GenerationInfo) => {
        if (info.generation % every! === 0 || info.last || info.generation === 1) {
          curve.push([info.evaluations, curveValue(info.front)]);
        }
      }
      : undefined,
  };
  const record = (result: Result, seconds: number): RunRecord<S> => {
    const r: RunRecord<S> = {
      spec,
      HV: front ? platemoHV(result.front, front) : NaN,
      IGD: front ? igd(result.front, front) : NaN,
      front: toRows(result.front),
      curve,
      evaluations: result.evaluations,
      generations: result.generations,
      seconds,
    };
    if (spec.indicators) {
      r.indicators = Object.fromEntries(
        Object.entries(spec.indicators).map(([k, fn]) => [k, fn(result.front, problem)]),
      );
    }
    if (typeof spec.algorithm !== "string" && spec.algorithm.details) {
      r.details = spec.algorithm.details(algorithm, result);
    }
    return r;
  };
  return { algorithm, options, record };
}

/** Runs one spec to completion in this thread (an algorithm that needs `await` fails: use {@link runOneAsync}). */
export function runOne<S extends AnyRunSpec = RunSpec>(spec: S): RunRecord<S> {
  const { algorithm, options, record } = prepare(spec);
  const t0 = performance.now();
  const own = algorithm as AskTell & { run?: (o: RunOptions) => Result };
  const result = typeof own.run === "function" ? own.run(options) : minimize(algorithm, options);
  return record(result, (performance.now() - t0) / 1000);
}

/** Runs one spec to completion in this thread, awaiting an asynchronous algorithm (an LLM step). */
export async function runOneAsync<S extends AnyRunSpec>(spec: S): Promise<RunRecord<S>> {
  const { algorithm, options, record } = prepare(spec);
  const t0 = performance.now();
  const own = algorithm as AskTell & { runAsync?: (o: RunOptions) => Promise<Result> };
  const result = typeof own.runAsync === "function"
    ? await own.runAsync(options)
    : await minimizeAsync(algorithm, options);
  return record(result, (performance.now() - t0) / 1000);
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
export interface RunManyOptions<S extends AnyRunSpec = RunSpec> {
  /**
   * Worker threads for the plain-JSON specs (default: 2, or 1 when there is a single spec); 1 runs them
   * in this thread. Specs holding functions or objects always run in this thread, one after another,
   * while the workers run the others.
   */
  workers?: number;
  /**
   * A JSON-lines file: records found there are reused, every new record is appended the moment it is
   * done, so a long grid killed midway resumes where it stopped. Only plain-JSON specs are cached.
   */
  cache?: string;
  /** Called after each run with the count done and the total (awaited when it returns a promise). */
  onRecord?: (record: RunRecord<S>, done: number, total: number) => void | Promise<void>;
  /**
   * A PostgreSQL study database (`postgres://user@host:port/db`): the specs are enqueued there and run
   * by workers (`deno task worker --db <url>`, on any machine that reaches the database) instead of
   * threads of this process; `workers` is then unused. Default: the environment variable `MOOLAB_DB`,
   * else none (the embedded mode); `""` forces the embedded mode. See lib/experiment/db/. Specs holding
   * functions or objects still run in this process.
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

/**
 * Runs every spec and returns the records in the order of `specs`. Plain-JSON specs ({@link RunSpec})
 * run in worker threads (or the study database, or this thread with `workers: 1`) and are cached;
 * specs holding functions or objects ({@link AnyRunSpec}: an asynchronous LLM algorithm, a custom
 * problem or indicator) run in this thread, one after another, at the same time.
 *
 * @example A named run, and a run given by values: an algorithm built by a function, a problem object
 * without a known front, an indicator as a function
 * ```ts
 * import { type AnyRunSpec, defineProblem, hypervolume, NSGA2, runMany } from "moolab";
 * import assert from "node:assert/strict";
 *
 * const schaffer = defineProblem({
 *   name: "Schaffer",
 *   lower: [-10],
 *   upper: [10],
 *   nObj: 2,
 *   objectives: (x) => [x[0] ** 2, (x[0] - 2) ** 2],
 * });
 * const specs: AnyRunSpec[] = [1, 2].flatMap((seed) => [
 *   { algorithm: "NSGA-II", problem: "ZDT1", nVar: 10, seed, maxEvaluations: 1000, popSize: 20 },
 *   {
 *     algorithm: { name: "NSGA-II", create: (problem, s) => new NSGA2(problem, { popSize: 20, seed: s.seed }) },
 *     problem: schaffer,
 *     seed,
 *     maxEvaluations: 1000,
 *     indicators: { "HV at (4, 4)": (front) => hypervolume(front, [4, 4]) },
 *   },
 * ]);
 * const records = await runMany(specs, { workers: 1 });
 * assert.equal(records.length, 4);
 * assert.ok(records[0].HV > 0); // ZDT1 has a known front: PlatEMO's HV and IGD
 * assert.ok(Number.isNaN(records[1].HV)); // Schaffer has none: its own indicator instead
 * assert.ok(records[1].indicators!["HV at (4, 4)"] > 11); // the whole true front: 40/3
 * ```
 */
export async function runMany(
  specs: readonly RunSpec[],
  options?: RunManyOptions<RunSpec>,
): Promise<RunRecord[]>;
/** As above, for specs given by values ({@link AnyRunSpec}): the records keep the specs as given. */
export async function runMany<S extends AnyRunSpec>(
  specs: readonly S[],
  options?: RunManyOptions<S>,
): Promise<RunRecord<S>[]>;
export async function runMany<S extends AnyRunSpec>(
  specs: readonly S[],
  options: RunManyOptions<S> = {},
): Promise<RunRecord<S>[]> {
  const out: (RunRecord<S> | undefined)[] = new Array(specs.length);
  const inProcess: number[] = [];
  specs.forEach((s, i) => {
    if (!isJsonSpec(s)) inProcess.push(i);
  });
  const useCache = options.cache !== undefined && inProcess.length < specs.length;
  const fingerprint = useCache ? await libraryFingerprint() : "";
  const cached = useCache ? readCache(options.cache!, fingerprint) : new Map<string, RunRecord>();
  const todo: number[] = [];
  specs.forEach((s, i) => {
    if (!isJsonSpec(s)) return;
    const hit = cached.get(specKey(s));
    if (hit) out[i] = hit as unknown as RunRecord<S>;
    else todo.push(i);
  });
  let done = specs.length - todo.length - inProcess.length;
  const pending: Promise<void>[] = [];
  const finish = (i: number, r: RunRecord<S>) => {
    out[i] = r;
    done++;
    if (useCache && isJsonSpec(r.spec)) {
      Deno.writeTextFileSync(options.cache!, JSON.stringify({ ...r, library: fingerprint }) + "\n", {
        append: true,
      });
    }
    const p = options.onRecord?.(r, done, specs.length);
    if (p instanceof Promise) pending.push(p);
  };
  const failure = { failed: false };
  const runInProcess = async () => {
    for (const i of inProcess) {
      if (failure.failed) return;
      let r: RunRecord<S>;
      try {
        r = await runOneAsync(specs[i]);
      } catch (e) {
        failure.failed = true;
        throw e;
      }
      finish(i, r);
      await new Promise((r) => setTimeout(r, 0)); // let displays and timers run between runs
    }
  };
  // both parts run to their end (a failure stops each at its next run), then the first error is thrown
  const settled = await Promise.allSettled([
    runInProcess(),
    runJson(specs as unknown as readonly RunSpec[], todo, finish as (i: number, r: RunRecord) => void, {
      ...options,
      cache: useCache ? options.cache : undefined,
    } as RunManyOptions, failure),
  ]);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  await Promise.all(pending);
  return out as RunRecord<S>[];
}

/** The plain-JSON specs `todo` of {@link runMany}: on the study database, in workers or in this thread. */
async function runJson(
  specs: readonly RunSpec[],
  todo: number[],
  finish: (i: number, r: RunRecord) => void,
  options: RunManyOptions,
  failure: { failed: boolean },
): Promise<void> {
  if (todo.length === 0) return;
  const nWorkers = Math.max(1, Math.min(options.workers ?? 2, todo.length));
  if (options.cache) Deno.mkdirSync(dirname(options.cache), { recursive: true });
  const db = studyDatabase(options.db);
  if (db !== undefined) {
    const { runOnDb } = await import("./db/run_db.ts"); // the client is loaded only in this mode
    await runOnDb(db, specs, todo, finish, options.dbOptions);
  } else if (nWorkers <= 1) {
    for (const i of todo) {
      if (failure.failed) return;
      finish(i, runOne(specs[i]));
      await new Promise((r) => setTimeout(r, 0)); // let displays and timers run between runs
    }
  } else {
    await new Promise<void>((resolve, reject) => {
      let next = 0, active = 0, failed = false;
      const workers: Worker[] = [];
      const stop = (e: Error) => {
        failed = true;
        failure.failed = true;
        for (const x of workers) x.terminate();
        reject(e);
      };
      const feed = (w: Worker) => {
        if (failed) return;
        if (failure.failed) return stop(new Error("runMany: stopped after a run in this thread failed"));
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
            stop(new Error(`run ${specKey(specs[e.data.i])} failed: ${e.data.error}`));
            return;
          }
          finish(e.data.i, e.data.record!);
          feed(w);
        };
        w.onerror = (e) => {
          e.preventDefault();
          stop(new Error(`experiment worker failed: ${e.message}`));
        };
        feed(w);
      }
    });
  }
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
