/**
 * Agreement plots: values we computed against values a paper printed (or any two measurements of the
 * same quantities), one point per quantity, coloured by series, with the line y = x.
 */

import * as Plot from "@observablehq/plot";
import { Figure } from "./figure.ts";
import { categoricalColors, DEFAULT_HEIGHT, DEFAULT_WIDTH, type LegendItem, renderLayout } from "./render.ts";

/** One labelled set of (x, y) pairs. */
export interface AgreementSeries {
  /** Legend label. */
  readonly label: string;
  /** The x values (e.g. published figures). */
  readonly x: ArrayLike<number>;
  /** The y values, pairwise with `x` (e.g. ours). */
  readonly y: ArrayLike<number>;
}

/** Options of {@link plotAgreement}. */
export interface AgreementOptions {
  /** Title above the plot. */
  readonly title?: string;
  /** Axis label of x. */
  readonly xLabel?: string;
  /** Axis label of y. */
  readonly yLabel?: string;
  /** Width in pixels. */
  readonly width?: number;
  /** Height in pixels. */
  readonly height?: number;
}

/** A scatter of y against x per series, on equal axes, with the diagonal y = x. */
export function plotAgreement(series: ReadonlyArray<AgreementSeries>, opts: AgreementOptions = {}): Figure {
  if (!Array.isArray(series) || series.length === 0) throw new RangeError("plotAgreement: no series given");
  const colors = categoricalColors(series.length);
  let lo = Infinity, hi = -Infinity;
  const marks: Plot.Markish[] = [];
  series.forEach((s, i) => {
    const what = `plotAgreement: series "${s.label}"`;
    if (s.x.length !== s.y.length) {
      throw new RangeError(`${what}: x has ${s.x.length} values but y has ${s.y.length}`);
    }
    if (s.x.length === 0) throw new RangeError(`${what} is empty`);
    for (let k = 0; k < s.x.length; k++) {
      if (!Number.isFinite(s.x[k]) || !Number.isFinite(s.y[k])) {
        throw new RangeError(`${what}: point ${k} is not finite (${s.x[k]}, ${s.y[k]})`);
      }
      lo = Math.min(lo, s.x[k], s.y[k]);
      hi = Math.max(hi, s.x[k], s.y[k]);
    }
    marks.push(
      Plot.dot({ length: s.x.length }, { x: Array.from(s.x), y: Array.from(s.y), stroke: colors[i], r: 3.5 }),
    );
  });
  const pad = (hi - lo) * 0.04 || 0.05;
  const domain: [number, number] = [lo - pad, hi + pad];
  marks.unshift(
    Plot.line([[domain[0], domain[0]], [domain[1], domain[1]]], { stroke: "#999", strokeDasharray: "4 3" }),
  );
  const legend: LegendItem[] = [
    ...series.map((s, i) => ({ label: s.label, color: colors[i], symbol: "circle" as const })),
    { label: "y = x", color: "#999", symbol: "line" as const },
  ];
  const marginLeft = 60;
  const svg = renderLayout({
    width: opts.width ?? DEFAULT_WIDTH,
    height: opts.height ?? DEFAULT_HEIGHT,
    title: opts.title,
    legend,
    legendLeft: marginLeft,
    columns: [{
      marginLeft,
      marginRight: 20,
      marginTop: 14,
      marginBottom: 42,
      grid: true,
      x: {
        domain,
        label: opts.xLabel ?? "published",
        labelAnchor: "center",
        labelArrow: "none",
        labelOffset: 34,
      },
      y: { domain, label: opts.yLabel ?? "ours", labelAnchor: "center", labelArrow: "none", labelOffset: 48 },
      marks,
    }],
  });
  return new Figure(svg, opts.title);
}
