/**
 * Expensive evaluations of merging configurations: asynchronous evaluators and a persistent cache of
 * evaluated configurations, so that an interrupted search resumes without re-scoring.
 *
 * The authors (`mm_mo.py`) keep `merge_info/merge_info.json`: one entry per evaluated merged model with its
 * "Model ID", its scores and `"Evaluated": true`; before merging a configuration they look its ID up and
 * reuse the stored scores. {@link EvaluationCache} does the same with two differences: the ID is the exact
 * configuration (every coordinate's shortest round-trip decimal, {@link configId}) where the authors round
 * to two decimals (two configurations 0.004 apart share one score there), and the file is replaced
 * atomically (written beside, then renamed) so that a search killed while saving leaves the previous
 * complete file, never a truncated one.
 *
 * Since a seeded search proposes the same configurations again, re-running it with the same cache
 * replays the stored scores and evaluates only what had not been scored before the interruption.
 */
import type { MergeEvaluation } from "./problem.ts";

/** Scores a configuration x (with its {@link configId}); may be slow and asynchronous. */
export type Evaluator = (x: Float64Array, id: string) => Promise<MergeEvaluation> | MergeEvaluation;

/** The exact ID of a configuration: each coordinate's shortest round-trip decimal, joined by "_". */
export function configId(x: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let j = 0; j < x.length; j++) {
    if (!Number.isFinite(x[j])) throw new RangeError(`configId: x[${j}] is ${x[j]}`);
    parts.push(String(x[j]));
  }
  return parts.join("_");
}

/** One stored evaluation (the authors' merge_info.json entry, with the configuration itself). */
export interface CacheEntry {
  /** The configuration's exact ID. */
  readonly id: string;
  /** The configuration. */
  readonly x: number[];
  /** Its accuracy on each task. */
  readonly accuracy: number[];
  /** Σ|θ_merged − θ_base| of the merged model. */
  readonly deltaL1: number;
  /** Marks a finished evaluation (as the authors' merge_info.json). */
  readonly evaluated: true;
}

function checkEntry(e: unknown, where: string): CacheEntry {
  const o = e as Partial<CacheEntry>;
  const numbers = (v: unknown) =>
    Array.isArray(v) && v.every((a) => typeof a === "number" && Number.isFinite(a));
  if (
    typeof o !== "object" || o === null || typeof o.id !== "string" || !numbers(o.x) ||
    !numbers(o.accuracy) ||
    typeof o.deltaL1 !== "number" || o.evaluated !== true
  ) {
    throw new Error(`${where}: not an evaluation entry {id, x, accuracy, deltaL1, evaluated: true}`);
  }
  if (configId(o.x!) !== o.id) throw new Error(`${where}: id "${o.id}" does not match its x`);
  return o as CacheEntry;
}

/** Evaluated configurations by ID, optionally backed by a JSON file (an array of {@link CacheEntry}). */
export class EvaluationCache {
  /** The JSON file behind the cache; undefined for a cache in memory. */
  readonly path: string | undefined;
  readonly #entries = new Map<string, CacheEntry>();

  private constructor(path: string | undefined) {
    this.path = path;
  }

  /** An in-memory cache (nothing persisted). */
  static memory(): EvaluationCache {
    return new EvaluationCache(undefined);
  }

  /** The cache stored at `path` (created empty when the file does not exist). Errors name the file. */
  static async open(path: string): Promise<EvaluationCache> {
    const cache = new EvaluationCache(path);
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return cache;
      throw e;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new Error(`${path}: not JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(data)) throw new Error(`${path}: expected a JSON array of evaluations`);
    data.forEach((e, i) => {
      const entry = checkEntry(e, `${path}: entry ${i}`);
      cache.#entries.set(entry.id, entry);
    });
    return cache;
  }

  /** Number of stored evaluations. */
  get size(): number {
    return this.#entries.size;
  }

  /** The stored evaluation of a configuration ID, if any. */
  get(id: string): CacheEntry | undefined {
    return this.#entries.get(id);
  }

  /** All entries, in the order they were stored. */
  entries(): CacheEntry[] {
    return [...this.#entries.values()];
  }

  /** Stores an evaluation and rewrites the file atomically. */
  async put(x: ArrayLike<number>, e: MergeEvaluation): Promise<CacheEntry> {
    const entry = checkEntry({
      id: configId(x),
      x: Array.from(x),
      accuracy: Array.from(e.accuracy),
      deltaL1: e.deltaL1,
      evaluated: true,
    }, "EvaluationCache.put");
    this.#entries.set(entry.id, entry);
    if (this.path) {
      const tmp = `${this.path}.tmp-${Deno.pid}`;
      await Deno.writeTextFile(tmp, JSON.stringify(this.entries(), null, 1) + "\n");
      await Deno.rename(tmp, this.path);
    }
    return entry;
  }
}

/** An evaluator behind a cache: looks a configuration up first; counts the real evaluations. */
export interface CachedEvaluator {
  /** Evaluates a configuration, from the cache when it is there. */
  readonly evaluate: (x: Float64Array) => Promise<MergeEvaluation>;
  /** Calls of the underlying evaluator so far. */
  readonly calls: () => number;
  /** Answers from the cache so far. */
  readonly hits: () => number;
}

/** Wraps `evaluator` with `cache` (see the module doc). */
export function cachedEvaluator(evaluator: Evaluator, cache: EvaluationCache): CachedEvaluator {
  let calls = 0, hits = 0;
  return {
    evaluate: async (x) => {
      const id = configId(x);
      const hit = cache.get(id);
      if (hit) {
        hits++;
        return { accuracy: Float64Array.from(hit.accuracy), deltaL1: hit.deltaL1 };
      }
      calls++;
      const e = await evaluator(x, id);
      if (e.accuracy.length === 0 || !Number.isFinite(e.deltaL1)) {
        throw new Error(`evaluator: configuration ${id} returned no accuracies or a bad ΔL1 (${e.deltaL1})`);
      }
      await cache.put(x, e);
      return e;
    },
    calls: () => calls,
    hits: () => hits,
  };
}

/** Options of {@link commandEvaluator}. */
export interface CommandEvaluatorOptions {
  /**
   * Writes the merged model of x (e.g. safetensors and a mergekit YAML, lib/mm_mo/checkpoint.ts) and
   * returns the path to hand to the command and the merged model's ΔL1 from the base.
   */
  prepare: (x: Float64Array, id: string) => Promise<{ path: string; deltaL1: number }>;
  /** The program and its arguments; the prepared path is appended as the last argument. */
  command: readonly string[];
  /** Removes the prepared path after scoring (the authors' `cleanup_merged_models`); default true. */
  cleanup?: boolean;
}

/**
 * An evaluator that runs an external program on each merged model: the program gets the prepared path
 * as its last argument and prints a JSON object `{"accuracy": [acc_1, …, acc_T]}` on its standard
 * output (the last non-empty line is parsed). A non-zero exit or a malformed answer is an error naming
 * the configuration and the command.
 */
export function commandEvaluator(options: CommandEvaluatorOptions): Evaluator {
  if (options.command.length === 0) throw new RangeError("commandEvaluator: empty command");
  return async (x, id) => {
    const { path, deltaL1 } = await options.prepare(x, id);
    const [program, ...args] = options.command;
    const out = await new Deno.Command(program, { args: [...args, path], stdout: "piped", stderr: "piped" })
      .output();
    const what = `evaluator "${options.command.join(" ")}" on ${id}`;
    if (options.cleanup ?? true) await Deno.remove(path, { recursive: true }).catch(() => {});
    if (!out.success) {
      throw new Error(`${what}: exit code ${out.code}: ${new TextDecoder().decode(out.stderr).slice(-500)}`);
    }
    const lines = new TextDecoder().decode(out.stdout).split("\n").filter((l) => l.trim() !== "");
    let reply: { accuracy?: unknown };
    try {
      reply = JSON.parse(lines.at(-1) ?? "");
    } catch {
      throw new Error(`${what}: last output line is not JSON: ${JSON.stringify(lines.at(-1) ?? "")}`);
    }
    const acc = reply.accuracy;
    if (
      !Array.isArray(acc) || acc.length === 0 || !acc.every((a) => typeof a === "number" && a >= 0 && a <= 1)
    ) {
      throw new Error(`${what}: "accuracy" must be a non-empty array of numbers in [0, 1]`);
    }
    return { accuracy: Float64Array.from(acc as number[]), deltaL1 };
  };
}
