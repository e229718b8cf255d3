/**
 * Progress lines for long runs, as ordinary callbacks (pass `progress()` in `onGeneration` like any
 * other callback, `countProgress()` in `runMany`'s `onRecord`). They never flood their output:
 *
 * - in a terminal: one line on standard error rewritten in place with `\r`, at most every `interval` ms;
 * - in a notebook: the notebook hands them the kernel's display function (the `display` member of the
 *   Deno kernel's `jupyter` namespace) as `progress({ display })`, and runs with `runAsync` (or `runMany`):
 *   one output updated in place (a Jupyter `display_id`) while the run goes on. The library itself never
 *   reaches for the kernel's namespace, which exists only inside the kernel;
 * - elsewhere (a pipe, a CI log): a plain line at most every `quietInterval` ms, and the last one.
 */
import type { Callback, GenerationInfo } from "../algorithms/minimize.ts";

/** The shape of the Deno kernel's display function that the progress lines use. */
export type DisplayFunction = (
  bundle: Record<string, string>,
  options: { raw: true; display_id: string; update?: boolean },
) => unknown;

/** Where and how often a progress line is shown. */
export interface LineOptions {
  /** Minimum milliseconds between in-place updates (default 250; the last line is always shown). */
  interval?: number;
  /** Minimum milliseconds between plain lines when output is neither a terminal nor a display (default 15,000). */
  quietInterval?: number;
  /** A notebook's display function (the kernel's `jupyter.display`): one output updated in place. */
  display?: DisplayFunction;
  /** A writer for in-place text (receives `\r…` updates and a final newline); overrides the default. */
  write?: (text: string) => void;
}

/** Settings of {@link progress}. */
export interface ProgressOptions extends LineOptions {
  /** Text before the counters (default: "<algorithm> on <problem>"). */
  label?: string;
  /** Name of the tracked indicator (default "indicator"). */
  indicatorName?: string;
}

/** Settings of {@link countProgress}. */
export interface CountProgressOptions extends LineOptions {
  /** Text before the counter (default "runs"). */
  label?: string;
}

let displays = 0;

/** A throttled line shown in one of the three modes; returns a promise only when displaying. */
function lineSink(options: LineOptions): (line: string, last: boolean) => void | Promise<void> {
  const enc = new TextEncoder();
  const display = options.display;
  let mode: "display" | "inplace" | "lines";
  let write: (text: string) => void = () => {};
  if (display) mode = "display";
  else if (options.write) {
    mode = "inplace";
    write = options.write;
  } else if (Deno.stderr.isTerminal()) {
    mode = "inplace";
    write = (t) => Deno.stderr.writeSync(enc.encode(t));
  } else {
    mode = "lines";
    write = (t) => console.log(t);
  }
  const interval = mode === "lines" ? (options.quietInterval ?? 15_000) : (options.interval ?? 250);
  const displayId = `moolab-progress-${Date.now().toString(36)}-${++displays}`;
  let lastTime = -Infinity, width = 0, shown = false;
  return (line, last) => {
    const now = performance.now();
    if (!last && now - lastTime < interval) return;
    lastTime = now;
    if (mode === "display") {
      const r = display!({ "text/plain": line }, { raw: true, display_id: displayId, update: shown });
      shown = true;
      return r instanceof Promise ? r.then(() => undefined) : undefined;
    }
    if (mode === "lines") return write(line);
    const pad = line.length < width ? " ".repeat(width - line.length) : "";
    width = Math.max(width, line.length);
    write(`\r${line}${pad}${last ? "\n" : ""}`);
  };
}

/** A per-generation callback that shows evaluations, generation and the best tracked indicator so far. */
export function progress(options: ProgressOptions = {}): Callback {
  const sink = lineSink(options);
  let best = -Infinity;
  return (info: GenerationInfo) => {
    if (info.value !== undefined && info.value > best) best = info.value;
    return sink(formatProgress(info, options.label, options.indicatorName ?? "indicator", best), info.last);
  };
}

/** The text of one progress line. */
export function formatProgress(
  info: GenerationInfo,
  label: string | undefined,
  indicatorName: string,
  best: number,
): string {
  const head = label ?? `${info.algorithm} on ${info.problem}`;
  const evals = info.maxEvaluations
    ? `${info.evaluations.toLocaleString("en-US")}/${
      info.maxEvaluations.toLocaleString("en-US")
    } evaluations ` +
      `(${Math.round((100 * info.evaluations) / info.maxEvaluations)}%)`
    : `${info.evaluations.toLocaleString("en-US")} evaluations`;
  const ind = best > -Infinity ? ` · best ${indicatorName} ${best.toFixed(5)}` : "";
  return `${head}: generation ${info.generation} · ${evals}${ind}`;
}

/**
 * A progress line for a grid of runs (`runMany`'s `onRecord`): "runs: done/total (p%) · elapsed s",
 * with the same display modes as {@link progress}.
 */
export function countProgress(
  options: CountProgressOptions = {},
): (record: unknown, done: number, total: number) => void | Promise<void> {
  const sink = lineSink(options);
  const start = performance.now();
  return (_record, done, total) => {
    const seconds = ((performance.now() - start) / 1000).toFixed(0);
    const pct = Math.round((100 * done) / total);
    return sink(`${options.label ?? "runs"}: ${done}/${total} (${pct}%) · ${seconds} s`, done >= total);
  };
}
