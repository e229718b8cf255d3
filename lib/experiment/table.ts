/**
 * Tables for notebooks: plain rows of strings that display as HTML in Jupyter, as Markdown or plain
 * text elsewhere, and the PlatEMO-style comparison table of an indicator over runs.
 */
import { compareRuns, mean, std } from "./stats.ts";
import { algorithmName, type AnyRunRecord, metricValues, problemName } from "./group.ts";

/** A table cell as given: text, or a number (formatted with {@link num}). */
export type CellValue = string | number;

/**
 * Whether a cell's text reads as a number (possibly with a unit, a trailing mark or a parenthesised
 * spread, e.g. `0.8524`, `10,000`, `5.5441e-1 (2.1e-3) +`, `$1.25`, `87.5%`): such cells are right-aligned,
 * all others left-aligned.
 */
export function isNumeric(text: string): boolean {
  return /^[$€£]?[-+−]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:e[-+−]?\d+|×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?\s*(?:%|s|ms|USD)?(?:\s*\([^)]*\))?(?:\s*[-+=−])?$/
    .test(text.trim());
}

/** A table of text with a header row; displays inline in Jupyter (HTML), as Markdown or as plain text. */
export class Table {
  /** The header row. */
  readonly columns: string[];
  /** The rows, each as long as the header. */
  readonly rows: string[][];
  /** A title above the table. */
  readonly title?: string;
  /** Cells to emphasise (e.g. the best value in a row), as "row,col" keys. */
  readonly bold: Set<string>;

  /**
   * Cells are strings, or numbers (shown with {@link num}: readable, with thousands separators). Anything
   * else (an object, `undefined`) is an error naming the cell, instead of a raw dump in the table.
   */
  constructor(
    columns: string[],
    rows: CellValue[][],
    options: { title?: string; bold?: Iterable<string> } = {},
  ) {
    for (const [i, r] of rows.entries()) {
      if (!Array.isArray(r)) throw new TypeError(`Table: row ${i} is not a list of cells`);
      if (r.length !== columns.length) {
        throw new RangeError(`Table: row ${i} has ${r.length} cells, the header has ${columns.length}`);
      }
      r.forEach((v, c) => {
        if (typeof v !== "string" && typeof v !== "number") {
          throw new TypeError(
            `Table: row ${i}, column "${columns[c]}" is ${
              v === null ? "null" : typeof v
            }, not text or a number ` +
              `(format it first, e.g. with num() or JSON.stringify)`,
          );
        }
      });
    }
    this.columns = columns;
    this.rows = rows.map((r) => r.map((v) => (typeof v === "number" ? num(v) : v)));
    this.title = options.title;
    this.bold = new Set(options.bold ?? []);
  }

  /** Whether column `c` holds numbers: every non-empty cell reads as a number. */
  numericColumn(c: number): boolean {
    const cells = this.rows.map((r) => r[c]).filter((s) => s.trim() !== "");
    return cells.length > 0 && cells.every(isNumeric);
  }

  /** GitHub-flavoured Markdown (numeric columns right-aligned). */
  toMarkdown(): string {
    const esc = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", "<br>");
    const cell = (r: number, c: number, s: string) => (this.bold.has(`${r},${c}`) ? `**${esc(s)}**` : esc(s));
    const lines = [
      `| ${this.columns.map(esc).join(" | ")} |`,
      `| ${this.columns.map((_, c) => (this.numericColumn(c) ? "---:" : ":---")).join(" | ")} |`,
      ...this.rows.map((row, r) => `| ${row.map((s, c) => cell(r, c, s)).join(" | ")} |`),
    ];
    return (this.title ? `**${esc(this.title)}**\n\n` : "") + lines.join("\n");
  }

  /**
   * An HTML table: text left-aligned and wrapped (long prompts stay inside the page), numbers
   * right-aligned in tabular figures. Jupyter's stylesheet right-aligns every cell, so the alignment is
   * set on each cell.
   */
  toHTML(): string {
    const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
    const numeric = this.columns.map((_, c) => this.numericColumn(c));
    const style = (c: number) =>
      numeric[c]
        ? ' style="text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap"'
        : ' style="text-align: left; white-space: pre-wrap; overflow-wrap: anywhere; max-width: 60em"';
    const head = `<tr>${this.columns.map((c, i) => `<th${style(i)}>${esc(c)}</th>`).join("")}</tr>`;
    const body = this.rows.map((row, r) =>
      `<tr>${
        row.map((s, c) => `<td${style(c)}>${this.bold.has(`${r},${c}`) ? `<b>${esc(s)}</b>` : esc(s)}</td>`)
          .join("")
      }</tr>`
    ).join("");
    const cap = this.title
      ? `<caption style="text-align: left; font-weight: 600">${esc(this.title)}</caption>`
      : "";
    return `<table>${cap}<thead>${head}</thead><tbody>${body}</tbody></table>`;
  }

  /** Aligned plain text (numeric columns right-aligned; a multi-line cell shows its first line and "…"). */
  toString(): string {
    const flat = (s: string) => (s.includes("\n") ? s.slice(0, s.indexOf("\n")) + " …" : s);
    const all = [this.columns, ...this.rows].map((r) => r.map(flat));
    const numeric = this.columns.map((_, c) => this.numericColumn(c));
    const widths = this.columns.map((_, c) => Math.max(...all.map((r) => r[c].length)));
    const line = (r: string[]) =>
      r.map((s, c) => (numeric[c] ? s.padStart(widths[c]) : s.padEnd(widths[c]))).join("  ").trimEnd();
    return [
      ...(this.title ? [this.title] : []),
      line(all[0]),
      widths.map((w) => "-".repeat(w)).join("  "),
      ...all.slice(1).map(line),
    ].join("\n");
  }

  /** Displays the table as HTML, Markdown and plain text. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/html": this.toHTML(), "text/markdown": this.toMarkdown(), "text/plain": this.toString() };
  }
}

const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/**
 * A number as a reader wants it in a table: integers with thousands separators (`10,000`); other values
 * with `digits` significant digits (`0.8524`, `1,234.6`), trailing zeros dropped; values below 0.001 or
 * from 1e9 on as `1.23×10⁻⁴`; `NaN` and infinities as `NaN`, `∞`, `−∞`.
 */
export function num(v: number, digits = 4): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e9) return v.toLocaleString("en-US");
  if (a < 1e-3 || a >= 1e9) {
    const [mantissa, exponent] = v.toExponential(Math.max(0, digits - 2)).split("e");
    const m = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
    const e = String(Number(exponent)).split("").map((ch) => SUPERSCRIPT[ch]).join("");
    return `${m}×10${e}`;
  }
  const rounded = Number(v.toPrecision(digits));
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(rounded))));
  return rounded.toLocaleString("en-US", { maximumFractionDigits: decimals, useGrouping: true });
}

/**
 * A line of text to show as a cell's result: displays as plain text, not as a quoted (and, in the
 * Deno kernel, coloured) JavaScript string.
 */
export function note(text: string): { readonly text: string; toString(): string } {
  const value = String(text);
  return {
    text: value,
    toString: () => value,
    [Symbol.for("Jupyter.display")]: () => ({ "text/plain": value }),
  } as { readonly text: string; toString(): string };
}

/** PlatEMO's number format: 4 decimals in scientific notation, e.g. 5.5441e-1. */
export function sci(v: number, digits = 4): string {
  return Number.isFinite(v) ? v.toExponential(digits) : String(v);
}

/** The values of one indicator: `values[algorithm][problem]` = one value per run. */
export type RunValues = Record<string, Record<string, number[]>>;

/** Options of {@link comparisonTable}. */
export interface ComparisonOptions {
  /** The algorithm every other is compared with (PlatEMO: the last column). */
  reference: string;
  /** Column order (default: insertion order of `values`, the reference moved last). */
  algorithms?: string[];
  /** Row order (default: insertion order of the reference's problems). */
  problems?: string[];
  /** True for HV (larger is better), false for IGD, GD, Δ. */
  higherIsBetter: boolean;
  /**
   * How means and standard deviations are written: `"readable"` (default) with {@link num}
   * (`0.8524 (0.0021) +`), or `"platemo"` as PlatEMO's tables and the papers print them
   * (`8.5243e-1 (2.1e-3) +`, {@link sci}).
   */
  format?: "readable" | "platemo";
  /** Significance level of the rank-sum test (default 0.05). */
  alpha?: number;
  /** A title above the table. */
  title?: string;
}

/** One cell of a comparison table, kept as data for notebook assertions. */
export interface ComparisonCell {
  /** Mean over the runs. */
  mean: number;
  /** Standard deviation over the runs. */
  std: number;
  /**
   * Rank-sum mark against the reference: "+" better, "-" worse, "=" no significant difference, "" the
   * reference itself.
   */
  mark: "+" | "-" | "=" | "";
}

/** Options of {@link comparisonTable} given run records: the metric by name, its direction by default. */
export interface RecordComparisonOptions extends Omit<ComparisonOptions, "higherIsBetter"> {
  /** `HV`, `IGD`, or a name of the records' `indicators` or numeric `details`. */
  metric: string;
  /** Default: true for HV, false for IGD; required for any other metric. */
  higherIsBetter?: boolean;
}

/** What {@link comparisonTable} returns: the display table and the cells as numbers. */
export interface Comparison {
  /** The display table. */
  table: Table;
  /** `cells[problem][algorithm]`: mean, std and mark as numbers. */
  cells: Record<string, Record<string, ComparisonCell>>;
  /** `counts[algorithm]`: how many problems are marked +, − and = against the reference. */
  counts: Record<string, [number, number, number]>;
}

/**
 * A table laid out like Tables III–IV of the NSGA-II-LLM paper (and PlatEMO's): one row per problem,
 * one column per algorithm, "mean (std)" over runs, each non-reference cell followed by its
 * Wilcoxon rank-sum mark against the reference, the best mean of a row in bold, and a last row of
 * "+/−/=" counts. Returns the display table and the cells as numbers.
 *
 * Given run records (from `runMany`), the metric is named and the runs are grouped by algorithm and
 * problem; columns follow the records' order with the reference last, rows the records' order. Given
 * {@link RunValues}, the values are used as they are (any grouping: InstOptima's methods × HV kinds).
 *
 * @example Three seeds of NSGA-II and MOEA/D on ZDT1, HV compared with NSGA-II
 * ```ts
 * import { comparisonTable, runMany, type RunSpec } from "moolab";
 * import assert from "node:assert/strict";
 *
 * const specs: RunSpec[] = ["MOEA/D", "NSGA-II"].flatMap((algorithm) =>
 *   [1, 2, 3].map((seed) => ({ algorithm, problem: "ZDT1", nVar: 10, seed, maxEvaluations: 2000, popSize: 40 }))
 * );
 * const records = await runMany(specs, { workers: 1 });
 * const hv = comparisonTable(records, { metric: "HV", reference: "NSGA-II" });
 * assert.deepEqual(hv.table.columns, ["Problem", "MOEA/D", "NSGA-II"]);
 * const runs = records.filter((r) => r.spec.algorithm === "NSGA-II").map((r) => r.HV);
 * assert.equal(hv.cells.ZDT1["NSGA-II"].mean, runs.reduce((a, b) => a + b) / 3);
 * assert.deepEqual(hv.counts["MOEA/D"].reduce((a, b) => a + b), 1); // one problem: one mark
 * ```
 */
export function comparisonTable(
  records: readonly AnyRunRecord[],
  options: RecordComparisonOptions,
): Comparison;
/** The comparison table of values already grouped as `values[algorithm][problem]` (one per run). */
export function comparisonTable(values: RunValues, options: ComparisonOptions): Comparison;
export function comparisonTable(
  input: RunValues | readonly AnyRunRecord[],
  options: ComparisonOptions | RecordComparisonOptions,
): Comparison {
  if (Array.isArray(input)) {
    const { metric, ...rest } = options as RecordComparisonOptions;
    if (typeof metric !== "string") {
      throw new RangeError("comparisonTable: give the metric to compare by name");
    }
    const higherIsBetter = rest.higherIsBetter ??
      (metric === "HV" ? true : metric === "IGD" ? false : undefined);
    if (higherIsBetter === undefined) {
      throw new RangeError(`comparisonTable: say whether a higher ${metric} is better (higherIsBetter)`);
    }
    const records = input as readonly AnyRunRecord[];
    const algorithms = [...new Set(records.map((r) => algorithmName(r.spec)))];
    return comparisonOfValues(metricValues(records, metric), {
      ...rest,
      higherIsBetter,
      algorithms: rest.algorithms ?? [...algorithms.filter((a) => a !== rest.reference), rest.reference],
      problems: rest.problems ?? [...new Set(records.map((r) => problemName(r.spec)))],
    });
  }
  if (typeof (options as ComparisonOptions).higherIsBetter !== "boolean") {
    throw new RangeError("comparisonTable: say whether higher values are better (higherIsBetter)");
  }
  return comparisonOfValues(input as RunValues, options as ComparisonOptions);
}

function comparisonOfValues(values: RunValues, options: ComparisonOptions): Comparison {
  const { reference, higherIsBetter } = options;
  if (!values[reference]) throw new RangeError(`comparisonTable: no values for the reference ${reference}`);
  const algorithms = options.algorithms ??
    [...Object.keys(values).filter((a) => a !== reference), reference];
  const problems = options.problems ?? Object.keys(values[reference]);
  const cells: Record<string, Record<string, ComparisonCell>> = {};
  const counts: Record<string, [number, number, number]> = {};
  const rows: string[][] = [];
  const bold: string[] = [];
  for (const a of algorithms) {
    if (!values[a]) throw new RangeError(`comparisonTable: no values for algorithm ${a}`);
    counts[a] = [0, 0, 0];
  }
  problems.forEach((p, r) => {
    const row = [p];
    let best = -1, bestMean = NaN;
    algorithms.forEach((a, c) => {
      const v = values[a][p];
      if (!v || v.length === 0) throw new RangeError(`comparisonTable: no runs of ${a} on ${p}`);
      const m = mean(v), s = std(v);
      let mark: ComparisonCell["mark"] = "";
      if (a !== reference) {
        mark = compareRuns(v, values[reference][p], higherIsBetter, options.alpha);
        counts[a][mark === "+" ? 0 : mark === "-" ? 1 : 2]++;
      }
      (cells[p] ??= {})[a] = { mean: m, std: s, mark };
      const [ms, ss] = options.format === "platemo" ? [sci(m), sci(s, 2)] : [num(m), num(s, 2)];
      row.push(`${ms} (${ss})${mark ? ` ${mark}` : ""}`);
      if (best < 0 || (higherIsBetter ? m > bestMean : m < bestMean)) {
        best = c;
        bestMean = m;
      }
    });
    bold.push(`${r},${best + 1}`);
    rows.push(row);
  });
  rows.push(["+/−/=", ...algorithms.map((a) => (a === reference ? "" : counts[a].join("/")))]);
  const table = new Table(["Problem", ...algorithms], rows, { title: options.title, bold });
  return { table, cells, counts };
}
