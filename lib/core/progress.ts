/**
 * A progress line for long runs, as an ordinary per-generation callback (pass it in `onGeneration`
 * like any other). It shows the generation, the evaluations against the budget and the best tracked
 * indicator so far, and never floods its output:
 *
 * - in a terminal: one line on standard error rewritten in place with `\r`, at most every `interval` ms;
 * - in a notebook: give it the kernel's display function, `progress({ display: Deno.jupyter.display })`,
 *   and run with `runAsync`: one output line updated in place (a Jupyter `display_id`) while the run goes
 *   on. The library itself never touches `Deno.jupyter`; the notebook hands the function in;
 * - elsewhere (a pipe, a CI log): a plain line at most every `quietInterval` ms, and the last one.
 */
import type { Callback, GenerationInfo } from "../algorithms/minimize.ts";

/** The shape of `Deno.jupyter.display` that {@link progress} uses. */
export type DisplayFunction = (
  bundle: Record<string, string>,
  options: { raw: true; display_id: string; update?: boolean },
) => unknown;

/** Settings of {@link progress}. */
export interface ProgressOptions {
  /** Text before the counters (default: "<algorithm> on <problem>"). */
  label?: string;
  /** Name of the tracked indicator (default "indicator"). */
  indicatorName?: string;
  /** Minimum milliseconds between in-place updates (default 250; the last generation is always shown). */
  interval?: number;
  /** Minimum milliseconds between plain lines when output is neither a terminal nor a display (default 15,000). */
  quietInterval?: number;
  /** A notebook display function (`Deno.jupyter.display`): one output updated in place. */
  display?: DisplayFunction;
  /** A writer for in-place text (receives `\r…` updates and a final newline); overrides the default. */
  write?: (text: string) => void;
}

let displays = 0;

/** A callback that shows evaluations, generation and the best tracked indicator so far. */
export function progress(options: ProgressOptions = {}): Callback {
  const enc = new TextEncoder();
  const display = options.display;
  let mode: "display" | "inplace" | "lines";
  let write: (text: string) => void;
  if (display) {
    mode = "display";
    write = () => {};
  } else if (options.write) {
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
  let lastTime = -Infinity;
  let best = -Infinity;
  let width = 0;
  let shown = false;
  return (info: GenerationInfo) => {
    if (info.value !== undefined && info.value > best) best = info.value;
    const now = performance.now();
    if (!info.last && now - lastTime < interval) return;
    lastTime = now;
    const line = formatProgress(info, options.label, options.indicatorName ?? "indicator", best);
    if (mode === "display") {
      const r = display!({ "text/plain": line }, { raw: true, display_id: displayId, update: shown });
      shown = true;
      return r instanceof Promise ? r.then(() => undefined) : undefined;
    }
    if (mode === "lines") {
      write(line);
      return;
    }
    const pad = line.length < width ? " ".repeat(width - line.length) : "";
    width = Math.max(width, line.length);
    write(`\r${line}${pad}${info.last ? "\n" : ""}`);
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
