/**
 * The run loop shared by every ask-and-tell algorithm: evaluation with the problem's own function,
 * termination by evaluations or generations, per-generation callbacks (progress is one of them), an
 * optional tracked indicator, and JSON checkpoints written atomically.
 */
import type { Points } from "../core/points.ts";
import { evaluateRows } from "../core/population.ts";
import { processAlive, syncDirectory } from "../core/process.ts";
import { type AskTell, StateError } from "./algorithm.ts";
import { type HistoryEntry, paretoOf, Result } from "./result.ts";

/** What a per-generation callback receives. */
export interface GenerationInfo {
  /** The algorithm's name. */
  algorithm: string;
  /** The problem's name. */
  problem: string;
  /** Generations completed (the initial population is generation 1). */
  generation: number;
  /** Evaluations so far. */
  evaluations: number;
  /** The budget in evaluations, when the run has one (for progress display). */
  maxEvaluations?: number;
  /** The budget in generations, when the run has one. */
  maxGenerations?: number;
  /** The current non-dominated feasible objective vectors. */
  front: Points;
  /** The tracked indicator on `front`, when `RunOptions.indicator` is set. */
  value?: number;
  /** True on the run's last generation. */
  last: boolean;
}

/**
 * A per-generation callback; returning `"stop"` ends the run after this generation. A callback may
 * return a promise (e.g. to update a notebook display); `minimizeAsync` awaits it, `minimize` does not.
 */
export type Callback = (info: GenerationInfo) => void | "stop" | Promise<void | "stop">;

/** How long to run and what to report. */
export interface RunOptions {
  /** Stop when the next generation would exceed this many evaluations (the budget is never exceeded). */
  maxEvaluations?: number;
  /** Stop after this many generations (the initial population counts as generation 1, as in pymoo). */
  maxGenerations?: number;
  /** Indicator tracked every generation on the non-dominated set (e.g. a hypervolume), kept in history. */
  indicator?: (front: Points) => number;
  /** Called after every generation, in order. */
  onGeneration?: Callback | Callback[];
  /** Write the algorithm's state as JSON to `path` every `every` generations (default 10) and at the end. */
  checkpoint?: { path: string; every?: number };
}

/**
 * Runs `algorithm` until the termination in `options` and returns the {@link Result}.
 *
 * @example A tracked indicator and a callback that stops the run
 * ```ts
 * import { getProblem, hypervolume, minimize, NSGA2 } from "moolab";
 *
 * const result = minimize(new NSGA2(getProblem("ZDT2"), { popSize: 40, seed: 3 }), {
 *   maxGenerations: 60,
 *   indicator: (front) => hypervolume(front, [1.1, 1.1]),
 *   onGeneration: (info) => (info.value! > 0.4 ? "stop" : undefined),
 * });
 * // One history entry per generation; the run ends at the first generation above 0.4, else at 60.
 * const first = result.history.findIndex((h) => h.value! > 0.4);
 * if (result.generations !== (first < 0 ? 60 : first + 1)) throw new Error(`${result.generations}`);
 * if (result.evaluations !== 40 * result.generations) throw new Error(`${result.evaluations}`);
 * ```
 */
export function minimize(algorithm: AskTell, options: RunOptions): Result {
  const steps = runSteps(algorithm, options, true);
  for (let s = steps.next();; s = steps.next(s.done ? undefined : syncValue(s.value))) {
    if (s.done) return s.value;
  }
}

/**
 * As {@link minimize}, but awaits callbacks that return promises, so that a notebook display can be
 * updated while the run goes on (the event loop gets a turn after each such callback).
 */
export async function minimizeAsync(algorithm: AskTell, options: RunOptions): Promise<Result> {
  const steps = runSteps(algorithm, options);
  let s = steps.next();
  while (!s.done) s = steps.next(await s.value);
  return s.value;
}

function syncValue(v: void | "stop" | Promise<void | "stop">): void | "stop" {
  return v instanceof Promise ? undefined : v;
}

/** The run loop as a generator that yields each callback's return value and receives it back. */
function* runSteps(
  algorithm: AskTell,
  options: RunOptions,
  sync = false,
): Generator<void | "stop" | Promise<void | "stop">, Result, void | "stop"> {
  const { maxEvaluations, maxGenerations } = options;
  if (maxEvaluations === undefined && maxGenerations === undefined) {
    throw new RangeError(`${algorithm.name}: give maxEvaluations or maxGenerations`);
  }
  for (const [k, v] of [["maxEvaluations", maxEvaluations], ["maxGenerations", maxGenerations]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      throw new RangeError(`${algorithm.name}: ${k} must be a positive integer, got ${v}`);
    }
  }
  if (maxEvaluations !== undefined && maxEvaluations < algorithm.batchSize && algorithm.evaluations === 0) {
    throw new RangeError(
      `${algorithm.name}: maxEvaluations ${maxEvaluations} is below the initial population of ${algorithm.batchSize}`,
    );
  }
  algorithm.begin?.({ maxEvaluations, maxGenerations });
  const callbacks = options.onGeneration === undefined
    ? []
    : Array.isArray(options.onGeneration)
    ? options.onGeneration
    : [options.onGeneration];
  const every = options.checkpoint?.every ?? 10;
  const history: HistoryEntry[] = [];
  const fits = () =>
    (maxEvaluations === undefined ||
      algorithm.evaluations + (algorithm.remainingInGeneration ?? algorithm.batchSize) <= maxEvaluations) &&
    (maxGenerations === undefined || algorithm.generation < maxGenerations);
  let stopped = false;
  while (!stopped && fits()) {
    // One generation: one ask/tell, or several for a steady-state pass told child by child.
    const generation = algorithm.generation;
    do {
      const preparing = algorithm.prepare?.();
      if (preparing) {
        if (sync) {
          preparing.catch(() => {}); // the error below is the one to report
          throw new Error(
            `${algorithm.name}: this generation needs asynchronous work (an LLM call); use runAsync()`,
          );
        }
        yield preparing.then(() => undefined);
      }
      const X = algorithm.ask();
      const pop = evaluateRows(algorithm.problem, X);
      algorithm.tell(pop.F, pop.G);
    } while (algorithm.generation === generation);
    const needFront = callbacks.length > 0 || options.indicator !== undefined;
    const front = needFront ? paretoOf(algorithm.population()).front : EMPTY;
    const value = options.indicator ? options.indicator(front) : undefined;
    history.push({ generation: algorithm.generation, evaluations: algorithm.evaluations, value });
    const last = !fits();
    const info: GenerationInfo = {
      algorithm: algorithm.name,
      problem: algorithm.problem.name,
      generation: algorithm.generation,
      evaluations: algorithm.evaluations,
      maxEvaluations,
      maxGenerations,
      front,
      value,
      last,
    };
    for (const cb of callbacks) if ((yield cb(info)) === "stop") stopped = true;
    if (stopped && !last) { for (const cb of callbacks) yield cb({ ...info, last: true }); }
    if (options.checkpoint && (algorithm.generation % every === 0 || last || stopped)) {
      writeCheckpoint(options.checkpoint.path, algorithm.toJSON());
    }
  }
  return new Result(algorithm.name, algorithm.problem.name, algorithm.population(), history);
}

const EMPTY: Points = { data: new Float64Array(0), n: 0, m: 0 };

/**
 * Writes JSON to `path` atomically and durably: a temporary file `<path>.tmp-<pid>` in the same
 * folder, flushed to disk (fsync), renamed over `path`, then the folder flushed too, so a crash leaves
 * either the old checkpoint or the new one, both complete. Temporary files left by processes that
 * died ({@link cleanStaleTemporaries}) are removed first.
 */
export function writeCheckpoint(path: string, state: unknown): void {
  cleanStaleTemporaries(path);
  const tmp = `${path}.tmp-${Deno.pid}`;
  const file = Deno.openSync(tmp, { write: true, create: true, truncate: true });
  try {
    const bytes = new TextEncoder().encode(JSON.stringify(state));
    let written = 0;
    while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
    file.syncSync();
  } catch (e) {
    file.close();
    Deno.removeSync(tmp);
    throw e;
  }
  file.close();
  Deno.renameSync(tmp, path);
  syncDirectory(dirOf(path));
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash > 0 ? path.slice(0, slash) : slash === 0 ? "/" : ".";
}

/**
 * Removes the temporary files `<path>.tmp-<pid>` of earlier writes whose process is no longer alive
 * (killed between writing and renaming), and this process's own leftover; returns their paths.
 */
export function cleanStaleTemporaries(path: string): string[] {
  const dir = dirOf(path);
  const base = path.slice(path.lastIndexOf("/") + 1) + ".tmp-";
  const removed: string[] = [];
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.startsWith(base)).map((e) => e.name);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(name.slice(base.length));
    if (!Number.isSafeInteger(pid) || pid <= 0) continue;
    if (pid !== Deno.pid && processAlive(pid)) continue;
    try {
      Deno.removeSync(`${dir}/${name}`);
      removed.push(`${dir}/${name}`);
    } catch { /* removed meanwhile */ }
  }
  return removed;
}

/**
 * Reads a checkpoint written by {@link writeCheckpoint}, with a clear error for a broken file or one
 * that does not hold a JSON object (e.g. `null`); stale temporary files beside it are removed.
 */
export function readCheckpoint<T = unknown>(path: string): T {
  cleanStaleTemporaries(path);
  const text = Deno.readTextFileSync(path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`checkpoint ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new StateError(
      `checkpoint ${path} holds ${
        value === null ? "null" : Array.isArray(value) ? "an array" : typeof value
      }, ` +
        `not a saved state object`,
    );
  }
  return value as T;
}
