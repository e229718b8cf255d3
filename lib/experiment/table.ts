/**
 * Tables for notebooks: plain rows of strings that display as HTML in Jupyter, as Markdown or plain
 * text elsewhere, and the PlatEMO-style comparison table of an indicator over runs.
 */
import { compareRuns, mean, std } from "./stats.ts";

/** A table of strings with a header row; displays inline in Jupyter. */
export class Table {
  readonly columns: string[];
  readonly rows: string[][];
  readonly title?: string;
  /** Cells to emphasise (e.g. the best value in a row), as "row,col" keys. */
  readonly bold: Set<string>;

  constructor(
    columns: string[],
    rows: string[][],
    options: { title?: string; bold?: Iterable<string> } = {},
  ) {
    for (const [i, r] of rows.entries()) {
      if (r.length !== columns.length) {
        throw new RangeError(`Table: row ${i} has ${r.length} cells, the header has ${columns.length}`);
      }
    }
    this.columns = columns;
    this.rows = rows;
    this.title = options.title;
    this.bold = new Set(options.bold ?? []);
  }

  /** GitHub-flavoured Markdown. */
  toMarkdown(): string {
    const esc = (s: string) => s.replaceAll("|", "\\|");
    const cell = (r: number, c: number, s: string) => (this.bold.has(`${r},${c}`) ? `**${esc(s)}**` : esc(s));
    const lines = [
      `| ${this.columns.map(esc).join(" | ")} |`,
      `| ${this.columns.map(() => "---").join(" | ")} |`,
      ...this.rows.map((row, r) => `| ${row.map((s, c) => cell(r, c, s)).join(" | ")} |`),
    ];
    return (this.title ? `**${esc(this.title)}**\n\n` : "") + lines.join("\n");
  }

  /** An HTML table. */
  toHTML(): string {
    const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
    const head = `<tr>${this.columns.map((c) => `<th>${esc(c)}</th>`).join("")}</tr>`;
    const body = this.rows.map((row, r) =>
      `<tr>${
        row.map((s, c) => `<td>${this.bold.has(`${r},${c}`) ? `<b>${esc(s)}</b>` : esc(s)}</td>`).join("")
      }</tr>`
    ).join("");
    const cap = this.title ? `<caption>${esc(this.title)}</caption>` : "";
    return `<table>${cap}<thead>${head}</thead><tbody>${body}</tbody></table>`;
  }

  /** Aligned plain text. */
  toString(): string {
    const all = [this.columns, ...this.rows];
    const widths = this.columns.map((_, c) => Math.max(...all.map((r) => r[c].length)));
    const line = (r: string[]) => r.map((s, c) => s.padEnd(widths[c])).join("  ").trimEnd();
    return [
      ...(this.title ? [this.title] : []),
      line(this.columns),
      widths.map((w) => "-".repeat(w)).join("  "),
      ...this.rows.map(line),
    ].join("\n");
  }

  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/html": this.toHTML(), "text/markdown": this.toMarkdown(), "text/plain": this.toString() };
  }
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
  /** Significance level of the rank-sum test (default 0.05). */
  alpha?: number;
  title?: string;
}

/** One cell of a comparison table, kept as data for notebook assertions. */
export interface ComparisonCell {
  mean: number;
  std: number;
  mark: "+" | "-" | "=" | "";
}

/**
 * A table laid out like Tables III–IV of the NSGA-II-LLM paper (and PlatEMO's): one row per problem,
 * one column per algorithm, "mean (std)" over runs, each non-reference cell followed by its
 * Wilcoxon rank-sum mark against the reference, the best mean of a row in bold, and a last row of
 * "+/−/=" counts. Returns the display table and the cells as numbers.
 */
export function comparisonTable(
  values: RunValues,
  options: ComparisonOptions,
): {
  table: Table;
  cells: Record<string, Record<string, ComparisonCell>>;
  counts: Record<string, [number, number, number]>;
} {
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
      row.push(`${sci(m)} (${sci(s, 2)})${mark ? ` ${mark}` : ""}`);
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
