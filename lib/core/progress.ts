/**
 * A progress line for long runs: one line rewritten in place with a carriage return, in a terminal
 * and in a Jupyter cell alike (Jupyter front ends and nbconvert keep only the text after the last
 * `\r` of a line), throttled so a run never floods its output. It is an ordinary per-generation
 * callback: pass it in `onGeneration` like any other.
 */
import type { Callback, GenerationInfo } from "../algorithms/minimize.ts";

/** Settings of {@link progress}. */
export interface ProgressOptions {
  /** Text before the counters (default: "<algorithm> on <problem>"). */
  label?: string;
  /** Name of the tracked indicator (default "indicator"). */
  indicatorName?: string;
  /** Minimum milliseconds between updates (default 250; the last generation is always shown). */
  interval?: number;
  /** Where to write (default: standard error when it is a terminal, else standard output). */
  write?: (text: string) => void;
}

/** A callback that shows evaluations, generation and the best tracked indicator so far. */
export function progress(options: ProgressOptions = {}): Callback {
  const interval = options.interval ?? 250;
  const enc = new TextEncoder();
  const write = options.write ??
    (Deno.stderr.isTerminal()
      ? (t: string) => Deno.stderr.writeSync(enc.encode(t))
      : (t: string) => Deno.stdout.writeSync(enc.encode(t)));
  let lastTime = -Infinity;
  let best = -Infinity;
  let width = 0;
  return (info: GenerationInfo) => {
    if (info.value !== undefined && info.value > best) best = info.value;
    const now = performance.now();
    if (!info.last && now - lastTime < interval) return;
    lastTime = now;
    const line = formatProgress(info, options.label, options.indicatorName ?? "indicator", best);
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
