/**
 * Convergence curves: an indicator (HV, IGD, …) against evaluations, one line per algorithm, or the
 * mean over several runs with a min–max band.
 */

import * as Plot from "@observablehq/plot";
import { Figure } from "./figure.ts";
import { axisMap, thinLine } from "./thin.ts";
import type { Result } from "../algorithms/result.ts";
import { type AnyRunRecord, convergenceSeries } from "../experiment/group.ts";
import {
  categoricalColors,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  type LegendItem,
  renderLayout,
  textWidth,
} from "./render.ts";

/** One curve: `y[i]` at `x[i]`. */
export interface Curve {
  /** The x values (e.g. evaluations). */
  readonly x: ArrayLike<number>;
  /** The y values at each x (e.g. HV). */
  readonly y: ArrayLike<number>;
}

/** A labelled curve. */
export interface CurveSeries extends Curve {
  /** Legend label. */
  readonly label: string;
}

/** Several runs of one configuration, drawn as their mean with a min–max band. */
export interface RunsSeries {
  /** Legend label. */
  readonly label: string;
  /** One curve per run. */
  readonly runs: readonly Curve[];
}

/** Options of {@link plotConvergence}. */
export interface CurveOptions {
  /** Title above the plot. */
  readonly title?: string;
  /** Default "evaluations". */
  readonly xLabel?: string;
  /** Default "HV". */
  readonly yLabel?: string;
  /** Logarithmic y axis (all y must be > 0). */
  readonly logY?: boolean;
  /** Total size in pixels; default 560 × 400. */
  readonly width?: number;
  /** Total height in pixels (see `width`). */
  readonly height?: number;
}

interface Prepared {
  readonly label: string;
  readonly color: string;
  readonly x: number[];
  readonly y: number[];
  readonly lo?: number[];
  readonly hi?: number[];
}

/** Checks a curve and returns its points sorted by x. */
function checkCurve(c: Curve, what: string, logY: boolean): { x: number[]; y: number[] } {
  if (c === null || typeof c !== "object" || c.x === undefined || c.y === undefined) {
    throw new RangeError(`${what}: needs x and y arrays`);
  }
  if (c.x.length !== c.y.length) {
    throw new RangeError(`${what}: x has ${c.x.length} values but y has ${c.y.length}`);
  }
  if (c.x.length === 0) throw new RangeError(`${what} is empty`);
  const idx = Array.from({ length: c.x.length }, (_, i) => i);
  for (const i of idx) {
    if (!Number.isFinite(c.x[i])) throw new RangeError(`${what}: x[${i}] is ${c.x[i]}`);
    if (!Number.isFinite(c.y[i])) throw new RangeError(`${what}: y[${i}] is ${c.y[i]}`);
    if (logY && c.y[i] <= 0) {
      throw new RangeError(`${what}: y[${i}] = ${c.y[i]} cannot be shown on a log axis`);
    }
  }
  idx.sort((a, b) => c.x[a] - c.x[b] || a - b);
  return { x: idx.map((i) => c.x[i]), y: idx.map((i) => c.y[i]) };
}

/**
 * Mean, min and max of several runs on the union of their x values, within the x range all runs
 * cover. Each run is a step function: its value at t is its last y at an x ≤ t.
 */
export function aggregateRuns(runs: readonly Curve[], what = "runs"): {
  x: number[];
  mean: number[];
  min: number[];
  max: number[];
} {
  if (runs.length === 0) throw new RangeError(`${what} has no runs`);
  const sorted = runs.map((r, k) => checkCurve(r, `${what}, run ${k}`, false));
  const start = Math.max(...sorted.map((r) => r.x[0]));
  const end = Math.min(...sorted.map((r) => r.x[r.x.length - 1]));
  if (start > end) throw new RangeError(`${what}: the runs' x ranges do not overlap`);
  const grid = [...new Set(sorted.flatMap((r) => r.x).filter((t) => t >= start && t <= end))]
    .sort((a, b) => a - b);
  const ptr = sorted.map(() => 0);
  const mean: number[] = [], min: number[] = [], max: number[] = [];
  for (const t of grid) {
    let sum = 0, lo = Infinity, hi = -Infinity;
    sorted.forEach((r, k) => {
      while (ptr[k] + 1 < r.x.length && r.x[ptr[k] + 1] <= t) ptr[k]++;
      const v = r.y[ptr[k]];
      sum += v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    });
    mean.push(sum / sorted.length);
    min.push(lo);
    max.push(hi);
  }
  return { x: grid, mean, min, max };
}

/** What {@link plotConvergence} draws: series, a run's {@link Result}, several results, or run records. */
export type ConvergenceInput =
  | ReadonlyArray<CurveSeries | RunsSeries>
  | Result
  | readonly Result[]
  | readonly AnyRunRecord[];

function isResult(v: unknown): v is Result {
  return v !== null && typeof v === "object" && Array.isArray((v as Result).history) &&
    typeof (v as Result).algorithm === "string";
}

function isRecord(v: unknown): v is AnyRunRecord {
  return v !== null && typeof v === "object" && "spec" in v && Array.isArray((v as AnyRunRecord).curve);
}

/** The curve of a run's tracked indicator (`RunOptions.indicator`): one labelled series. */
function resultSeries(r: Result): CurveSeries {
  const h = r.history.filter((e) => e.value !== undefined);
  if (h.length === 0) {
    throw new RangeError(
      `plotConvergence: the result of ${r.algorithm} on ${r.problem} tracked no indicator ` +
        `(run it with { indicator: (front) => … })`,
    );
  }
  return {
    label: `${r.algorithm} on ${r.problem}`,
    x: h.map((e) => e.evaluations),
    y: h.map((e) => e.value!),
  };
}

/** The series of any {@link ConvergenceInput}. */
function toSeries(input: ConvergenceInput): ReadonlyArray<CurveSeries | RunsSeries> {
  if (isResult(input)) return [resultSeries(input)];
  if (Array.isArray(input) && input.length > 0) {
    if (input.every(isResult)) return (input as Result[]).map(resultSeries);
    if (input.every(isRecord)) return convergenceSeries(input as AnyRunRecord[]);
  }
  return input as ReadonlyArray<CurveSeries | RunsSeries>;
}

/**
 * Line chart of an indicator against evaluations. Each entry is either a single curve
 * `{label, x, y}` or several runs `{label, runs: [{x, y}, …]}`, drawn as the mean line over a
 * shaded min–max band. The legend names every series.
 *
 * Also takes what runs give: a {@link Result} (its tracked indicator, `RunOptions.indicator`), several
 * results (one line each), or run records from `runMany` (one band per algorithm over its runs'
 * curves; the records of one problem, with `curveEvery` set).
 */
export function plotConvergence(
  input: ConvergenceInput,
  opts: CurveOptions = {},
): Figure {
  const series = toSeries(input);
  if (!Array.isArray(series) || series.length === 0) {
    throw new RangeError("plotConvergence: no series given");
  }
  const logY = opts.logY ?? false;
  const colors = categoricalColors(series.length);
  const prepared: Prepared[] = series.map((s, i) => {
    if (s === null || typeof s !== "object") {
      throw new RangeError(`plotConvergence: series ${i} is not an object`);
    }
    const label = String(s.label ?? `series ${i + 1}`);
    const what = `plotConvergence: series "${label}"`;
    if ("runs" in s) {
      const a = aggregateRuns(s.runs, what);
      if (logY && a.min.some((v) => v <= 0)) {
        throw new RangeError(`${what}: values ≤ 0 cannot be shown on a log axis`);
      }
      return { label, color: colors[i], x: a.x, y: a.mean, lo: a.min, hi: a.max };
    }
    return { label, color: colors[i], ...checkCurve(s, what, logY) };
  });
  const marks: Plot.Markish[] = [];
  // Lines and bands thinned to what the pixel grid shows (vertices less than 0.75 px apart merged); bands
  // first, so that no band hides a line.
  const width = opts.width ?? DEFAULT_WIDTH, height = opts.height ?? DEFAULT_HEIGHT;
  const mx = axisMap(prepared.flatMap((p) => [...p.x]), width);
  const my = axisMap(prepared.flatMap((p) => [...p.y, ...(p.lo ?? []), ...(p.hi ?? [])]), height, logY);
  for (const p of prepared) {
    if (p.lo && p.hi) {
      const lo = p.lo, hi = p.hi;
      const keep = [...new Set([...thinLine(p.x, lo, mx, my), ...thinLine(p.x, hi, mx, my)])].sort((a, b) =>
        a - b
      );
      marks.push(
        Plot.areaY({ length: keep.length }, {
          x: keep.map((k) => p.x[k]),
          y1: keep.map((k) => lo[k]),
          y2: keep.map((k) => hi[k]),
          fill: p.color,
          fillOpacity: 0.18,
        }),
      );
    }
  }
  for (const p of prepared) {
    const keep = thinLine(p.x, p.y, mx, my);
    marks.push(
      Plot.line({ length: keep.length }, {
        x: keep.map((k) => p.x[k]),
        y: keep.map((k) => p.y[k]),
        stroke: p.color,
        strokeWidth: 2,
      }),
    );
    if (p.x.length === 1) marks.push(Plot.dot({ length: 1 }, { x: p.x, y: p.y, fill: p.color, r: 3 }));
  }
  const legend: LegendItem[] = prepared.map((p) => ({
    label: p.label,
    color: p.color,
    symbol: p.lo ? "band" : "line",
  }));
  // room for the widest y tick label (Plot's default format groups thousands: "20,000")
  let yMax = 0;
  for (const p of prepared) for (const v of [...p.y, ...(p.hi ?? [])]) yMax = Math.max(yMax, Math.abs(v));
  const tickWidth = textWidth(
    logY ? "0.001" : yMax.toLocaleString("en-US", { maximumFractionDigits: 2 }),
    10,
  );
  const marginLeft = Math.max(60, Math.ceil(tickWidth * 1.2) + 44);
  const svg = renderLayout({
    width,
    height,
    title: opts.title,
    legend,
    legendLeft: marginLeft,
    columns: [{
      marginLeft,
      marginRight: 20,
      marginTop: 14,
      marginBottom: 42,
      grid: true,
      x: { label: opts.xLabel ?? "evaluations", labelAnchor: "center", labelArrow: "none", labelOffset: 34 },
      y: {
        label: opts.yLabel ?? "HV",
        labelAnchor: "center",
        labelArrow: "none",
        labelOffset: marginLeft - 10,
        type: logY ? "log" : "linear",
        ...(logY ? { tickFormat: "~g" } : {}),
      },
      marks,
    }],
  });
  return new Figure(svg, opts.title);
}
