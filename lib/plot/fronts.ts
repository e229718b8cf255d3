/**
 * Plots of approximation sets in objective space: 2-D scatter with the true front, a pairwise grid
 * and an isometric projection for 3 objectives, parallel coordinates for more.
 */

import * as Plot from "@observablehq/plot";
import { asPoints, assertFinite, isPoints, type Points, type PointsLike } from "../core/points.ts";
import { Figure } from "./figure.ts";
import {
  categoricalColors,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  headerHeight,
  type LegendItem,
  renderLayout,
} from "./render.ts";
import { type AxisMap, axisMap, thinLine, thinPoints } from "./thin.ts";

/** A labelled approximation set. */
export interface FrontSeries {
  /** Legend label. */
  readonly label: string;
  /** The objective vectors. */
  readonly points: PointsLike;
  /**
   * "points" (default): one open circle per point; "line": a line through the points sorted by f1 (2-D
   * only), for a dense curve such as a bound — drawn beneath the point series, never hiding them.
   */
  readonly style?: "points" | "line";
}

/** How the true front is drawn: a line through the points sorted by f1, or small dots. */
export type TruthStyle = "line" | "dots" | "auto";

/** Options shared by the front plots. */
export interface FrontOptions {
  /** The true (reference) front, drawn under the approximation sets. */
  readonly truth?: PointsLike;
  /** Legend label of the true front; default "true front". */
  readonly truthLabel?: string;
  /**
   * 2-D only: "line" joins the truth sorted by f1, "dots" draws small dots; "auto" (default) uses
   * dots when the front has gaps (e.g. ZDT3), see {@link frontHasGaps}.
   */
  readonly truthStyle?: TruthStyle;
  /** Title above the plot. */
  readonly title?: string;
  /** Axis label of f1 (2-D); default "f1". */
  readonly xLabel?: string;
  /** Axis label of f2 (2-D); default "f2". */
  readonly yLabel?: string;
  /** Names of the objectives; default f1, f2, …. Overrides xLabel/yLabel when given. */
  readonly objectives?: readonly string[];
  /** 2-D only: "log" draws f1 (x) on a log axis, for values spanning decades; default "linear". */
  readonly xScale?: "linear" | "log";
  /** 2-D only: "log" draws f2 (y) on a log axis; default "linear". */
  readonly yScale?: "linear" | "log";
  /** Total size in pixels; default 560 × 400 (900 × 340 for the 3-objective grid). */
  readonly width?: number;
  /** Total height in pixels (see `width`). */
  readonly height?: number;
}

const MARGIN = { marginLeft: 56, marginRight: 20, marginTop: 14, marginBottom: 42 };
const TRUTH_COLOR = "#555";
const TRUTH_DOT_COLOR = "#888";
/**
 * Thinning grids in pixels: an open circle of radius 2.5-3 px drawn 1.5 px from another looks the same; the
 * true front's faint dots (radius 1.2-1.5 px) on a 3 px grid read as the same surface or curve.
 */
const POINT_CELL = 1.5, TRUTH_CELL = 3;

interface Parsed {
  readonly series: { label: string; points: Points; color: string; style: "points" | "line" }[];
  readonly truth?: Points;
  /** True when the caller passed labelled series (so a legend is wanted even for one series). */
  readonly labelled: boolean;
  readonly m: number;
}

function isSeriesList(s: ReadonlyArray<FrontSeries> | PointsLike): s is ReadonlyArray<FrontSeries> {
  if (isPoints(s) || !Array.isArray(s) || s.length === 0) return false;
  const first = s[0] as unknown;
  return typeof first === "object" && first !== null && "points" in first;
}

function parse(fn: string, input: ReadonlyArray<FrontSeries> | PointsLike, opts: FrontOptions): Parsed {
  let list: FrontSeries[];
  let labelled = true;
  if (Array.isArray(input) && input.length === 0) {
    throw new RangeError(`${fn}: no points or series given`);
  }
  if (isSeriesList(input)) list = [...input];
  else {
    list = [{ label: "points", points: input as PointsLike }];
    labelled = false;
  }
  const colors = categoricalColors(list.length);
  let m = 0;
  const series = list.map((s, i) => {
    if (typeof s !== "object" || s === null || !("points" in s)) {
      throw new RangeError(`${fn}: series ${i} is not a {label, points} object`);
    }
    const label = String(s.label ?? `series ${i + 1}`);
    const what = `${fn}: series "${label}"`;
    const p = asPoints(s.points, what);
    if (p.n === 0) throw new RangeError(`${what} is empty`);
    assertFinite(p, what);
    if (m === 0) m = p.m;
    else if (p.m !== m) {
      throw new RangeError(`${what} has ${p.m} objectives, series "${list[0].label}" has ${m}`);
    }
    const style = s.style ?? "points";
    if (style !== "points" && style !== "line") {
      throw new RangeError(`${what}: style must be "points" or "line", got ${JSON.stringify(style)}`);
    }
    return { label, points: p, color: colors[i], style };
  });
  if (m < 2) throw new RangeError(`${fn}: need at least 2 objectives, got ${m}`);
  let truth: Points | undefined;
  if (opts.truth !== undefined) {
    const what = `${fn}: truth`;
    truth = asPoints(opts.truth, what);
    if (truth.n === 0) throw new RangeError(`${what} is empty`);
    assertFinite(truth, what);
    if (truth.m !== m) throw new RangeError(`${what} has ${truth.m} objectives, the series have ${m}`);
  }
  return { series, truth, labelled, m };
}

function column(p: Points, j: number): Float64Array {
  const out = new Float64Array(p.n);
  for (let i = 0; i < p.n; i++) out[i] = p.data[i * p.m + j];
  return out;
}

function objectiveNames(m: number, opts: FrontOptions): string[] {
  const names = Array.from({ length: m }, (_, j) => opts.objectives?.[j] ?? `f${j + 1}`);
  if (!opts.objectives) {
    if (opts.xLabel !== undefined) names[0] = opts.xLabel;
    if (opts.yLabel !== undefined && m === 2) names[1] = opts.yLabel;
  }
  return names;
}

/**
 * True when a 2-D front has gaps (is disconnected, like ZDT3): sorted by f1, some step between
 * neighbours (in range-normalised units) is at least 3% of the range and 3× longer than both
 * adjacent steps. Smoothly sampled connected fronts (ZDT1, ZDT2, also their steep ends) never
 * reach that ratio.
 */
export function frontHasGaps(front: PointsLike): boolean {
  const p = asPoints(front, "frontHasGaps");
  if (p.n < 4 || p.m < 2) return false;
  const order = sortedBy(p, 0);
  const xs = order.map((i) => p.data[i * p.m]), ys = order.map((i) => p.data[i * p.m + 1]);
  const rx = Math.max(...xs) - Math.min(...xs) || 1, ry = Math.max(...ys) - Math.min(...ys) || 1;
  const d: number[] = [];
  for (let k = 1; k < xs.length; k++) d.push(Math.hypot((xs[k] - xs[k - 1]) / rx, (ys[k] - ys[k - 1]) / ry));
  for (let k = 0; k < d.length; k++) {
    const nb = Math.max(d[k - 1] ?? 0, d[k + 1] ?? 0);
    if (d[k] >= 0.03 && d[k] >= 3 * nb) return true;
  }
  return false;
}

function sortedBy(p: Points, j: number): number[] {
  const idx = Array.from({ length: p.n }, (_, i) => i);
  return idx.sort((a, b) =>
    p.data[a * p.m + j] - p.data[b * p.m + j] || p.data[a * p.m + 1] - p.data[b * p.m + 1]
  );
}

function seriesLegend(parsed: Parsed, truthItem?: LegendItem): LegendItem[] {
  const items: LegendItem[] = parsed.series.map((s) => ({
    label: s.label,
    color: s.color,
    symbol: s.style === "line" ? "line" : "circle",
  }));
  if (truthItem) items.push(truthItem);
  return parsed.labelled || items.length > 1 ? items : [];
}

/** The pixel maps of objectives `i` and `j` over every series and the truth, for thinning. */
function pixelMaps(
  parsed: Parsed,
  i: number,
  j: number,
  width: number,
  height: number,
  log = [false, false],
) {
  const all = [...parsed.series.map((s) => s.points), ...(parsed.truth ? [parsed.truth] : [])];
  const values = (k: number) => all.flatMap((p) => Array.from(column(p, k)));
  return { x: axisMap(values(i), width, log[0]), y: axisMap(values(j), height, log[1]) };
}

/**
 * Marks of every series for objectives (`i`, `j`), thinned to one mark per pixel: "line" series first, then
 * point series from the largest to the smallest, so that a dense set never hides a sparse one.
 */
function scatterMarks(
  parsed: Parsed,
  i: number,
  j: number,
  maps: { x: AxisMap; y: AxisMap },
  r = 3,
): Plot.Markish[] {
  const lines = parsed.series.filter((s) => s.style === "line").map((s) => {
    const order = sortedBy(s.points, i);
    const xs = order.map((k) => s.points.data[k * s.points.m + i]);
    const ys = order.map((k) => s.points.data[k * s.points.m + j]);
    const keep = thinLine(xs, ys, maps.x, maps.y);
    return Plot.line({ length: keep.length }, {
      x: keep.map((k) => xs[k]),
      y: keep.map((k) => ys[k]),
      stroke: s.color,
      strokeWidth: 2,
    });
  });
  const points = parsed.series.filter((s) => s.style === "points")
    .sort((a, b) => b.points.n - a.points.n)
    .map((s) => {
      const xs = column(s.points, i), ys = column(s.points, j);
      const keep = thinPoints(xs, ys, maps.x, maps.y, POINT_CELL);
      return Plot.dot({ length: keep.length }, {
        x: keep.map((k) => xs[k]),
        y: keep.map((k) => ys[k]),
        stroke: s.color,
        r,
        strokeWidth: 1.5,
      });
    });
  return [...lines, ...points];
}

/** Truth drawn as small faint dots for objectives (`i`, `j`), one per pixel. */
function truthDots(
  truth: Points,
  i: number,
  j: number,
  maps: { x: AxisMap; y: AxisMap },
  r = 1.5,
  opacity = 0.7,
): Plot.Markish {
  const xs = column(truth, i), ys = column(truth, j);
  const keep = thinPoints(xs, ys, maps.x, maps.y, TRUTH_CELL);
  return Plot.dot({ length: keep.length }, {
    x: keep.map((k) => xs[k]),
    y: keep.map((k) => ys[k]),
    fill: TRUTH_DOT_COLOR,
    fillOpacity: opacity,
    r,
  });
}

function axes(xLabel: string, yLabel: string, log: [boolean, boolean] = [false, false]) {
  // A log axis labels its ticks as plain numbers (0.001, 0.01, ...), not with SI prefixes (1m = 0.001).
  const scale = (isLog: boolean) =>
    (isLog ? { type: "log", tickFormat: ",~g" } : { type: "linear" }) as {
      type: "log" | "linear";
      tickFormat?: string;
    };
  return {
    x: {
      label: xLabel,
      labelAnchor: "center",
      labelArrow: "none",
      labelOffset: 34,
      nice: true,
      ...scale(log[0]),
    },
    y: {
      label: yLabel,
      labelAnchor: "center",
      labelArrow: "none",
      labelOffset: 44,
      nice: true,
      ...scale(log[1]),
    },
    grid: true,
  } as const;
}

/** Which axes of a 2-D front plot are logarithmic; every value on a log axis must be positive. */
function logAxes(parsed: Parsed, opts: FrontOptions): [boolean, boolean] {
  const log: [boolean, boolean] = [opts.xScale === "log", opts.yScale === "log"];
  for (const [k, name] of [[0, "xScale"], [1, "yScale"]] as const) {
    const scale = opts[name];
    if (scale !== undefined && scale !== "log" && scale !== "linear") {
      throw new RangeError(`plotFront: ${name} must be "linear" or "log", got ${JSON.stringify(scale)}`);
    }
    if (!log[k]) continue;
    for (const p of [...parsed.series.map((s) => s.points), ...(parsed.truth ? [parsed.truth] : [])]) {
      const bad = Array.from(column(p, k)).find((v) => !(v > 0));
      if (bad !== undefined) {
        throw new RangeError(`plotFront: ${name} "log" needs positive f${k + 1} values, got ${bad}`);
      }
    }
  }
  return log;
}

/**
 * Plots approximation sets in objective space, dispatching on the number of objectives m:
 * 2 → scatter with the true front ({@link plotFront2D}), 3 → pairwise grid ({@link plotFront3D}),
 * more → parallel coordinates ({@link plotParallel}). Accepts one point set or labelled series.
 *
 * @example A set against ZDT1's true front
 * ```ts
 * import { getProblem, plotFront } from "moolab";
 *
 * const zdt1 = getProblem("ZDT1");
 * const figure = plotFront([{ label: "three points", points: [[0.1, 0.8], [0.5, 0.4], [0.9, 0.1]] }], {
 *   truth: zdt1.paretoFront!(),
 *   title: "ZDT1",
 * });
 * if (!figure.svg.startsWith("<svg") || !figure.svg.includes("three points")) throw new Error("no legend");
 * // in a notebook, `figure` as a cell's last expression displays it; `await figure.save("zdt1.svg")` writes it
 * ```
 */
export function plotFront(series: ReadonlyArray<FrontSeries> | PointsLike, opts: FrontOptions = {}): Figure {
  const parsed = parse("plotFront", series, opts);
  if (parsed.m === 2) return front2D(parsed, opts);
  if (parsed.m === 3) return front3D(parsed, opts);
  return parallel(parsed, opts);
}

/** 2-D scatter of one or more approximation sets, with the true front as a line or dots. */
export function plotFront2D(
  series: ReadonlyArray<FrontSeries> | PointsLike,
  opts: FrontOptions = {},
): Figure {
  const parsed = parse("plotFront2D", series, opts);
  if (parsed.m !== 2) throw new RangeError(`plotFront2D: need 2 objectives, got ${parsed.m}`);
  return front2D(parsed, opts);
}

function front2D(parsed: Parsed, opts: FrontOptions): Figure {
  const [xl, yl] = objectiveNames(2, opts);
  const width = opts.width ?? DEFAULT_WIDTH, height = opts.height ?? DEFAULT_HEIGHT;
  const log = logAxes(parsed, opts);
  // The whole figure's size as the pixel grid: a little finer than the plotting area, so thinning is safe.
  const maps = pixelMaps(parsed, 0, 1, width, height, log);
  const marks: Plot.Markish[] = [];
  let truthItem: LegendItem | undefined;
  const truth = parsed.truth;
  if (truth) {
    const style = opts.truthStyle ?? "auto";
    const dots = style === "dots" || (style === "auto" && frontHasGaps(truth));
    const label = opts.truthLabel ?? "true front";
    if (dots) {
      marks.push(truthDots(truth, 0, 1, maps));
      truthItem = { label, color: TRUTH_DOT_COLOR, symbol: "dot" };
    } else {
      const order = sortedBy(truth, 0);
      const xs = order.map((i) => truth.data[i * 2]), ys = order.map((i) => truth.data[i * 2 + 1]);
      const keep = thinLine(xs, ys, maps.x, maps.y);
      marks.push(Plot.line({ length: keep.length }, {
        x: keep.map((k) => xs[k]),
        y: keep.map((k) => ys[k]),
        stroke: TRUTH_COLOR,
        strokeWidth: 1.5,
      }));
      truthItem = { label, color: TRUTH_COLOR, symbol: "line" };
    }
  }
  marks.push(...scatterMarks(parsed, 0, 1, maps));
  const svg = renderLayout({
    width,
    height,
    title: opts.title,
    legend: seriesLegend(parsed, truthItem),
    legendLeft: MARGIN.marginLeft,
    columns: [{ ...MARGIN, ...axes(xl, yl, log), marks }],
  });
  return new Figure(svg, opts.title);
}

/**
 * Three objectives as a row of pairwise scatter panels (f1–f2, f1–f3, f2–f3), the true front as
 * faint dots. Default size 900 × 340.
 */
export function plotFront3D(
  series: ReadonlyArray<FrontSeries> | PointsLike,
  opts: FrontOptions = {},
): Figure {
  const parsed = parse("plotFront3D", series, opts);
  if (parsed.m !== 3) throw new RangeError(`plotFront3D: need 3 objectives, got ${parsed.m}`);
  return front3D(parsed, opts);
}

function front3D(parsed: Parsed, opts: FrontOptions): Figure {
  const names = objectiveNames(3, { ...opts, xLabel: undefined, yLabel: undefined });
  const pairs: [number, number][] = [[0, 1], [0, 2], [1, 2]];
  const width = opts.width ?? 900, height = opts.height ?? 340;
  const columns = pairs.map(([i, j]) => {
    const maps = pixelMaps(parsed, i, j, width / pairs.length, height);
    const marks: Plot.Markish[] = [];
    if (parsed.truth) marks.push(truthDots(parsed.truth, i, j, maps, 1.2, 0.5));
    marks.push(...scatterMarks(parsed, i, j, maps, 2.5));
    return { ...MARGIN, marginLeft: 50, marginRight: 16, ...axes(names[i], names[j]), marks };
  });
  const truthItem: LegendItem | undefined = parsed.truth
    ? { label: opts.truthLabel ?? "true front", color: TRUTH_DOT_COLOR, symbol: "dot" }
    : undefined;
  const svg = renderLayout({
    width,
    height,
    title: opts.title,
    legend: seriesLegend(parsed, truthItem),
    legendLeft: 50,
    columns,
  });
  return new Figure(svg, opts.title);
}

const COS30 = Math.cos(Math.PI / 6), SIN30 = 0.5;

/** Isometric projection of 3-D objective vectors: x = (f1 − f2)·cos30°, y = f3 − (f1 + f2)·sin30°. */
export function isometric(f1: number, f2: number, f3: number): [number, number] {
  return [(f1 - f2) * COS30, f3 - (f1 + f2) * SIN30];
}

/**
 * Three objectives drawn in an isometric projection (equal scale on both screen axes), with the
 * objective axes drawn from the ideal corner and the true front as faint dots.
 */
export function plotFrontProjection(
  series: ReadonlyArray<FrontSeries> | PointsLike,
  opts: FrontOptions = {},
): Figure {
  const parsed = parse("plotFrontProjection", series, opts);
  if (parsed.m !== 3) throw new RangeError(`plotFrontProjection: need 3 objectives, got ${parsed.m}`);
  const names = objectiveNames(3, { ...opts, xLabel: undefined, yLabel: undefined });
  const all = [...parsed.series.map((s) => s.points), ...(parsed.truth ? [parsed.truth] : [])];
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const p of all) {
    for (let k = 0; k < p.data.length; k++) {
      const j = k % 3;
      lo[j] = Math.min(lo[j], p.data[k]);
      hi[j] = Math.max(hi[j], p.data[k]);
    }
  }
  // Axis triad from the ideal corner towards each objective's maximum.
  const o = isometric(lo[0], lo[1], lo[2]);
  const ends = [
    isometric(hi[0], lo[1], lo[2]),
    isometric(lo[0], hi[1], lo[2]),
    isometric(lo[0], lo[1], hi[2]),
  ];
  const project = (p: Points) => {
    const xs = new Float64Array(p.n), ys = new Float64Array(p.n);
    for (let i = 0; i < p.n; i++) {
      [xs[i], ys[i]] = isometric(p.data[i * 3], p.data[i * 3 + 1], p.data[i * 3 + 2]);
    }
    return { xs, ys };
  };
  // Axis names just beyond the arrow heads.
  const labelAt = ends.map((e) => [e[0] + (e[0] - o[0]) * 0.07, e[1] + (e[1] - o[1]) * 0.07]);
  const xsAll = [o[0], ...labelAt.map((e) => e[0])], ysAll = [o[1], ...labelAt.map((e) => e[1])];
  const projected = parsed.series.map((s) => ({ ...project(s.points), color: s.color, n: s.points.n }));
  const truth = parsed.truth ? project(parsed.truth) : undefined;
  for (const q of [...projected, ...(truth ? [truth] : [])]) {
    xsAll.push(...q.xs);
    ysAll.push(...q.ys);
  }
  const width = opts.width ?? DEFAULT_WIDTH, height = opts.height ?? DEFAULT_HEIGHT;
  const truthItem: LegendItem | undefined = parsed.truth
    ? { label: opts.truthLabel ?? "true front", color: TRUTH_DOT_COLOR, symbol: "dot" }
    : undefined;
  const legend = seriesLegend(parsed, truthItem);
  const margin = 28;
  // Equal units on both axes: widen the domain of the axis that has room to spare.
  let [x0, x1] = [Math.min(...xsAll), Math.max(...xsAll)];
  let [y0, y1] = [Math.min(...ysAll), Math.max(...ysAll)];
  const header = headerHeight(width, opts.title, legend, undefined, margin);
  const pw = width - 2 * margin, ph = Math.max(60, height - header - 2 * margin);
  const scale = Math.min(pw / (x1 - x0 || 1), ph / (y1 - y0 || 1));
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  [x0, x1] = [cx - pw / scale / 2, cx + pw / scale / 2];
  [y0, y1] = [cy - ph / scale / 2, cy + ph / scale / 2];
  const marks: Plot.Markish[] = [
    Plot.link(ends, {
      x1: () => o[0],
      y1: () => o[1],
      x2: (e: number[]) => e[0],
      y2: (e: number[]) => e[1],
      stroke: "#999",
      markerEnd: "arrow",
    }),
    Plot.text(labelAt, {
      x: (e: number[]) => e[0],
      y: (e: number[]) => e[1],
      text: (_: unknown, i: number) => names[i],
      fontSize: 11,
      fill: "#444",
    }),
  ];
  // One mark per pixel: the projection's own domains are the drawn ones.
  const mx: AxisMap = { min: x0, max: x1, pixels: width }, my: AxisMap = { min: y0, max: y1, pixels: height };
  if (truth) {
    const keep = thinPoints(truth.xs, truth.ys, mx, my, TRUTH_CELL);
    marks.push(Plot.dot({ length: keep.length }, {
      x: keep.map((k) => truth.xs[k]),
      y: keep.map((k) => truth.ys[k]),
      fill: TRUTH_DOT_COLOR,
      fillOpacity: 0.45,
      r: 1.2,
    }));
  }
  for (const q of [...projected].sort((a, b) => b.n - a.n)) {
    const keep = thinPoints(q.xs, q.ys, mx, my, POINT_CELL);
    marks.push(Plot.dot({ length: keep.length }, {
      x: keep.map((k) => q.xs[k]),
      y: keep.map((k) => q.ys[k]),
      stroke: q.color,
      r: 3,
      strokeWidth: 1.5,
    }));
  }
  const svg = renderLayout({
    width,
    height,
    title: opts.title,
    legend,
    legendLeft: margin,
    columns: [{
      margin,
      x: { domain: [x0, x1], axis: null },
      y: { domain: [y0, y1], axis: null },
      marks,
    }],
  });
  return new Figure(svg, opts.title);
}

/**
 * Parallel coordinates for any number of objectives: one polyline per point, each objective scaled
 * to [0, 1] over all series and the truth (whose lines are drawn faint grey underneath). The raw
 * minimum and maximum are printed at the ends of each axis.
 */
export function plotParallel(
  series: ReadonlyArray<FrontSeries> | PointsLike,
  opts: FrontOptions = {},
): Figure {
  return parallel(parse("plotParallel", series, opts), opts);
}

function parallel(parsed: Parsed, opts: FrontOptions): Figure {
  const m = parsed.m;
  const names = objectiveNames(m, { ...opts, xLabel: undefined, yLabel: undefined });
  const all = [...parsed.series.map((s) => s.points), ...(parsed.truth ? [parsed.truth] : [])];
  const lo = new Array(m).fill(Infinity), hi = new Array(m).fill(-Infinity);
  for (const p of all) {
    for (let k = 0; k < p.data.length; k++) {
      const j = k % m;
      lo[j] = Math.min(lo[j], p.data[k]);
      hi[j] = Math.max(hi[j], p.data[k]);
    }
  }
  const lines = (p: Points) => {
    const xs: string[] = [], ys: number[] = [], zs: number[] = [];
    for (let i = 0; i < p.n; i++) {
      for (let j = 0; j < m; j++) {
        const range = hi[j] - lo[j];
        xs.push(names[j]);
        ys.push(range > 0 ? (p.data[i * m + j] - lo[j]) / range : 0.5);
        zs.push(i);
      }
    }
    return { xs, ys, zs };
  };
  const marks: Plot.Markish[] = [Plot.ruleX(names, { stroke: "#bbb" })];
  if (parsed.truth) {
    const t = lines(parsed.truth);
    marks.push(Plot.line({ length: t.xs.length }, {
      x: t.xs,
      y: t.ys,
      z: t.zs,
      stroke: TRUTH_DOT_COLOR,
      strokeOpacity: 0.15,
      strokeWidth: 1,
    }));
  }
  for (const s of parsed.series) {
    const l = lines(s.points);
    marks.push(Plot.line({ length: l.xs.length }, {
      x: l.xs,
      y: l.ys,
      z: l.zs,
      stroke: s.color,
      strokeOpacity: 0.6,
      strokeWidth: 1.2,
    }));
  }
  const fmt = (v: number) => Number(v.toPrecision(3)).toString();
  marks.push(
    Plot.text(names, {
      x: (d: string) => d,
      y: () => 1,
      text: (_: string, j: number) => fmt(hi[j]),
      dy: -8,
      fill: "#444",
    }),
    Plot.text(names, {
      x: (d: string) => d,
      y: () => 0,
      text: (_: string, j: number) => fmt(lo[j]),
      dy: 8,
      fill: "#444",
    }),
  );
  const truthItem: LegendItem | undefined = parsed.truth
    ? { label: opts.truthLabel ?? "true front", color: TRUTH_DOT_COLOR, symbol: "line" }
    : undefined;
  const svg = renderLayout({
    width: opts.width ?? Math.max(DEFAULT_WIDTH, 80 * m),
    height: opts.height ?? DEFAULT_HEIGHT,
    title: opts.title,
    legend: seriesLegend(parsed, truthItem),
    legendLeft: 56,
    columns: [{
      marginLeft: 56,
      marginRight: 30,
      marginTop: 24,
      marginBottom: 40,
      x: { type: "point", domain: names, label: null, tickSize: 0, tickPadding: 20, axis: "bottom" },
      y: {
        domain: [0, 1],
        label: "normalised value",
        labelAnchor: "center",
        labelArrow: "none",
        labelOffset: 44,
      },
      marks,
    }],
  });
  return new Figure(svg, opts.title);
}
