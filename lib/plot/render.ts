/**
 * The one place where Observable Plot meets a DOM: renders Plot specs to SVG strings with a
 * linkedom document, and composes panels, a title and a legend into one standalone SVG.
 *
 * Plot returns a bare `<svg>` for a plain chart but a `<figure>` (HTML) when it draws a legend or a
 * title. Neither is a standalone SVG file (Plot never sets `xmlns`), so every output of this module
 * goes through {@link composeSvg}: an outer `<svg xmlns=…>` with a white background, an optional
 * title, an optional legend drawn as SVG shapes and text, and the Plot chart(s) nested inside.
 * moolab's own plots never ask Plot for legends; they pass {@link LegendItem}s instead. A `<figure>`
 * from a spec with `color: {legend: true}` or `title` is still handled: its swatches and headings
 * are converted to the same SVG legend and title.
 *
 * Output is deterministic: Plot's class name is a fixed hash, and the counters Plot uses for
 * `clip-path`, pattern and marker ids are renumbered per document.
 */

import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/**
 * A specification for Observable Plot's `Plot.plot` (marks and options, see
 * https://observablehq.com/plot/features/plots), as {@link renderPlot} takes it.
 */
export type PlotOptions = Plot.PlotOptions;

/** A chart rendered by Plot: an `<svg>` element as a string (without `xmlns`) and its size. */
export interface RenderedPanel {
  /** The `<svg>` element, without `xmlns`. */
  readonly svg: string;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}

/** How a legend entry is drawn: an open circle, a short line, a filled dot or a filled band. */
export type LegendSymbol = "circle" | "line" | "dot" | "band" | "square";

/** One legend entry. */
export interface LegendItem {
  /** The text of the entry. */
  readonly label: string;
  /** Its colour (any CSS colour). */
  readonly color: string;
  /** The mark drawn beside the text. */
  readonly symbol: LegendSymbol;
}

/** A panel placed at (`x`, `y`) inside a composed SVG. */
export interface PlacedPanel extends RenderedPanel {
  /** Left edge in the composed SVG, in pixels. */
  readonly x: number;
  /** Top edge in the composed SVG, in pixels. */
  readonly y: number;
}

/** Default figure size. */
export const DEFAULT_WIDTH = 560;
export const DEFAULT_HEIGHT = 400;

const FONT = "system-ui, sans-serif";
const TITLE_SIZE = 14;
const LEGEND_SIZE = 11;
const LEGEND_ROW = 18;
const PAD = 8;

/** The parts of a DOM element this module reads (Deno's type environment has no DOM lib). */
interface DomElement {
  readonly tagName: string;
  readonly children: ArrayLike<DomElement>;
  readonly textContent: string | null;
  readonly outerHTML: string;
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

type PlotDocument = NonNullable<Plot.PlotOptions["document"]>;

let doc: PlotDocument | undefined;

/** The shared linkedom document Plot renders into. */
function plotDocument(): PlotDocument {
  if (doc === undefined) {
    const window = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>") as unknown as {
      document: PlotDocument;
    };
    doc = window.document;
  }
  return doc;
}

/**
 * `n` categorical colours, none repeated for up to 20 series: Plot's default "observable10" scheme, then
 * the same ten hues darkened (as light/dark pairs, like Tableau 20); beyond 20 the list cycles.
 */
export function categoricalColors(n: number): string[] {
  const base = Plot.scale({ color: { type: "categorical", domain: ["a"] } }).range as string[] | undefined;
  const scheme = base && base.length >= 10 ? base.slice(0, 10) : [
    "#4269d0",
    "#efb118",
    "#ff725c",
    "#6cc5b0",
    "#3ca951",
    "#ff8ab7",
    "#a463f2",
    "#97bbf5",
    "#9c6b4e",
    "#9498a0",
  ];
  const all = [...scheme, ...scheme.map((c) => darken(c, 0.55))];
  return Array.from({ length: n }, (_, i) => all[i % all.length]);
}

/** A `#rrggbb` colour with every channel multiplied by `factor`. */
function darken(hex: string, factor: number): string {
  const v = parseInt(hex.slice(1), 16);
  const channel = (shift: number) => Math.round(((v >> shift) & 0xff) * factor).toString(16).padStart(2, "0");
  return `#${channel(16)}${channel(8)}${channel(0)}`;
}

/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Rough width in pixels of `s` at `fontSize` in a sans-serif font (for legend layout). */
export function textWidth(s: string, fontSize: number): number {
  let w = 0;
  for (const ch of s) {
    if ("il.,:;|!'".includes(ch)) w += 0.3;
    else if ("mwMW".includes(ch)) w += 0.85;
    else if (ch >= "A" && ch <= "Z") w += 0.68;
    else if (ch.charCodeAt(0) > 0x2000) w += 0.9;
    else w += 0.56;
  }
  return w * fontSize;
}

/** Number formatting for SVG attributes: at most 2 decimals, no trailing zeros. */
function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

interface Rendered {
  readonly panels: RenderedPanel[];
  readonly title?: string;
  readonly subtitle?: string;
  readonly legend: LegendItem[];
}

/**
 * Renders a Plot spec. A bare `<svg>` gives one panel; a `<figure>` is taken apart into its
 * chart(s), headings and swatch legend entries.
 */
function renderParts(options: Plot.PlotOptions): Rendered {
  const el = Plot.plot({ ...options, document: plotDocument() }) as unknown as DomElement;
  const tag = el.tagName.toLowerCase();
  if (tag === "svg") return { panels: [panelOf(el)], legend: [] };
  if (tag !== "figure") throw new Error(`renderPlot: unexpected element <${tag}> from Plot`);
  const panels: RenderedPanel[] = [];
  const legend: LegendItem[] = [];
  let title: string | undefined, subtitle: string | undefined;
  for (const child of Array.from(el.children)) {
    const t = child.tagName.toLowerCase();
    if (t === "svg") panels.push(panelOf(child));
    else if (t === "h2") title = child.textContent ?? undefined;
    else if (t === "h3") subtitle = child.textContent ?? undefined;
    else if (t === "div") {
      for (const sw of Array.from(child.querySelectorAll("span"))) {
        const icon = sw.querySelector("svg");
        const color = icon?.getAttribute("fill") ?? icon?.getAttribute("stroke") ?? "currentColor";
        legend.push({ label: (sw.textContent ?? "").trim(), color, symbol: "square" });
      }
    }
  }
  if (panels.length === 0) throw new Error("renderPlot: Plot returned a <figure> without an <svg>");
  return { panels, title, subtitle, legend };
}

function panelOf(svg: DomElement): RenderedPanel {
  const width = Number(svg.getAttribute("width"));
  const height = Number(svg.getAttribute("height"));
  svg.removeAttribute("style");
  return { svg: svg.outerHTML, width, height };
}

/**
 * Renders a Plot spec to one chart panel (an `<svg>` string without `xmlns`, for composing). If Plot
 * returns a `<figure>`, only its chart is kept; use {@link renderPlot} to keep legends and titles.
 */
export function renderPanel(options: PlotOptions): RenderedPanel {
  const r = renderParts(options);
  if (r.panels.length === 1 && r.legend.length === 0 && r.title === undefined) return r.panels[0];
  return { ...r.panels[r.panels.length - 1] };
}

/**
 * Renders any Plot spec to a standalone SVG string. Legends and titles that Plot would put in an
 * HTML `<figure>` are drawn inside the SVG instead.
 *
 * @example Any Observable Plot marks: three points and a rule
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { Figure, renderPlot } from "moolab";
 *
 * const svg = renderPlot({
 *   marks: [Plot.dot([[1, 3], [2, 2], [3, 1]]), Plot.ruleY([0])],
 *   x: { label: "f1" },
 *   y: { label: "f2" },
 * });
 * const circles = svg.match(/<circle/g)?.length ?? 0;
 * if (!svg.startsWith("<svg") || circles !== 3) throw new Error(`${circles} circles`);
 * new Figure(svg, "three points"); // displays in a notebook; `save()` writes it
 * ```
 */
export function renderPlot(options: PlotOptions): string {
  const r = renderParts(options);
  const width = Math.max(...r.panels.map((p) => p.width));
  const header = headerHeight(width, r.title, r.legend, r.subtitle);
  let y = header;
  const placed: PlacedPanel[] = r.panels.map((p) => {
    const q = { ...p, x: 0, y };
    y += p.height;
    return q;
  });
  return composeSvg({
    width,
    height: y,
    title: r.title,
    subtitle: r.subtitle,
    legend: r.legend,
    panels: placed,
  });
}

/** Lays out legend items in rows that fit `width`; returns each item's position. */
function layoutLegend(items: readonly LegendItem[], width: number, left: number) {
  const out: { item: LegendItem; x: number; row: number }[] = [];
  let x = left, row = 0;
  for (const item of items) {
    const w = 22 + textWidth(item.label, LEGEND_SIZE) + 16;
    if (x > left && x + w > width - PAD) {
      row++;
      x = left;
    }
    out.push({ item, x, row });
    x += w;
  }
  return { entries: out, rows: items.length === 0 ? 0 : row + 1 };
}

/**
 * Height of the header (title, subtitle and legend rows) {@link composeSvg} draws above the panels,
 * so callers can size the panels to fill a fixed total height.
 */
export function headerHeight(
  width: number,
  title?: string,
  legend: readonly LegendItem[] = [],
  subtitle?: string,
  legendLeft = PAD,
): number {
  let h = 0;
  if (title) h += TITLE_SIZE + 10;
  if (subtitle) h += LEGEND_SIZE + 8;
  const rows = layoutLegend(legend, width, legendLeft).rows;
  if (rows > 0) h += rows * LEGEND_ROW + 4;
  return h === 0 ? 0 : h + PAD;
}

function legendSymbol(item: LegendItem, x: number, cy: number): string {
  const c = escapeXml(item.color);
  switch (item.symbol) {
    case "circle":
      return `<circle cx="${num(x + 7)}" cy="${
        num(cy)
      }" r="3.5" fill="none" stroke="${c}" stroke-width="1.5" />`;
    case "dot":
      return `<circle cx="${num(x + 7)}" cy="${num(cy)}" r="2" fill="${c}" />`;
    case "line":
      return `<line x1="${num(x)}" x2="${num(x + 16)}" y1="${num(cy)}" y2="${num(cy)}" stroke="${c}" ` +
        `stroke-width="2" />`;
    case "band":
      return `<rect x="${num(x)}" y="${
        num(cy - 5)
      }" width="16" height="10" fill="${c}" fill-opacity="0.2" />` +
        `<line x1="${num(x)}" x2="${num(x + 16)}" y1="${num(cy)}" y2="${num(cy)}" stroke="${c}" ` +
        `stroke-width="2" />`;
    case "square":
      return `<rect x="${num(x + 1)}" y="${num(cy - 6)}" width="12" height="12" fill="${c}" />`;
  }
}

/** Options of {@link composeSvg}. */
export interface ComposeOptions {
  /** Total width in pixels. */
  readonly width: number;
  /** Total height in pixels. */
  readonly height: number;
  /** Title at the top. */
  readonly title?: string;
  /** A smaller line under the title. */
  readonly subtitle?: string;
  /** Legend entries, under the title. */
  readonly legend?: readonly LegendItem[];
  /** x where the title and legend start (e.g. the plot's left margin); default 8. */
  readonly legendLeft?: number;
  /** The panels and where they go. */
  readonly panels: readonly PlacedPanel[];
  /** Extra SVG markup drawn above the panels (already escaped). */
  readonly overlay?: string;
}

/**
 * Builds a standalone SVG (`xmlns`, white background, `viewBox`) from Plot panels plus a title and a
 * legend drawn as SVG. Ids from Plot's global counters are renumbered so the output depends only on
 * the input.
 */
export function composeSvg(o: ComposeOptions): string {
  const w = Math.round(o.width), h = Math.round(o.height);
  const left = o.legendLeft ?? PAD;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" ` +
    (o.title ? `role="img" aria-label="${escapeXml(o.title)}" ` : "") +
    `font-family="${FONT}" font-size="10" fill="black" color="black">`,
    `<rect width="${w}" height="${h}" fill="white" />`,
  ];
  let y = PAD;
  if (o.title) {
    parts.push(
      `<text x="${num(left)}" y="${num(y + TITLE_SIZE - 2)}" font-size="${TITLE_SIZE}" font-weight="600">` +
        `${escapeXml(o.title)}</text>`,
    );
    y += TITLE_SIZE + 10;
  }
  if (o.subtitle) {
    parts.push(
      `<text x="${num(left)}" y="${num(y + LEGEND_SIZE - 2)}" font-size="${LEGEND_SIZE}" fill="#555">` +
        `${escapeXml(o.subtitle)}</text>`,
    );
    y += LEGEND_SIZE + 8;
  }
  const legend = o.legend ?? [];
  if (legend.length > 0) {
    const { entries } = layoutLegend(legend, w, left);
    parts.push(`<g aria-label="legend" font-size="${LEGEND_SIZE}">`);
    for (const { item, x, row } of entries) {
      const cy = y + row * LEGEND_ROW + LEGEND_ROW / 2;
      parts.push(
        `<g aria-label="legend item">${legendSymbol(item, x, cy)}` +
          `<text x="${num(x + 22)}" y="${num(cy)}" dy="0.35em">${escapeXml(item.label)}</text></g>`,
      );
    }
    parts.push(`</g>`);
  }
  for (const p of o.panels) {
    parts.push(`<g transform="translate(${num(p.x)},${num(p.y)})">${p.svg}</g>`);
  }
  if (o.overlay) parts.push(o.overlay);
  parts.push(`</svg>`);
  return normaliseIds(parts.join(""));
}

/** Renumbers Plot's `plot-clip-N`, `plot-pattern-N` and `plot-marker-N` ids in order of appearance. */
export function normaliseIds(svg: string): string {
  const map = new Map<string, string>();
  const counts = new Map<string, number>();
  return svg.replace(/plot-(clip|pattern|marker)-(\d+)/g, (id, kind: string) => {
    let out = map.get(id);
    if (out === undefined) {
      const k = (counts.get(kind) ?? 0) + 1;
      counts.set(kind, k);
      out = `plot-${kind}-${k}`;
      map.set(id, out);
    }
    return out;
  });
}

/** Options of {@link renderLayout}. */
export interface LayoutOptions {
  /** Total width and height of the SVG. */
  readonly width: number;
  /** Total height of the SVG (see `width`). */
  readonly height: number;
  /** Title at the top. */
  readonly title?: string;
  /** Legend entries, under the title. */
  readonly legend?: readonly LegendItem[];
  /** x where the title and legend start; default 8. */
  readonly legendLeft?: number;
  /** Plot specs laid out left to right, each given an equal share of the width (no width/height). */
  readonly columns: readonly PlotOptions[];
}

/**
 * Renders one or more Plot specs side by side under a title and legend, sized so the whole SVG is
 * exactly `width` × `height`.
 */
export function renderLayout(o: LayoutOptions): string {
  const legend = o.legend ?? [];
  const header = headerHeight(o.width, o.title, legend, undefined, o.legendLeft ?? PAD);
  const n = o.columns.length;
  const colWidth = Math.floor(o.width / n);
  const panelHeight = Math.max(60, Math.round(o.height - header));
  const panels = o.columns.map((spec, i) => {
    const p = renderPanel({ ...spec, width: colWidth, height: panelHeight });
    return { ...p, x: i * colWidth, y: header };
  });
  return composeSvg({
    width: o.width,
    height: header + panelHeight,
    title: o.title,
    legend,
    legendLeft: o.legendLeft,
    panels,
  });
}
