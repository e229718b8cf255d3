/**
 * Compares the outputs of two executions of one notebook cell by cell — the headless runner's and the
 * Deno Jupyter kernel's — so that an output the kernel lost (or added) fails a test.
 *
 * Per code cell, both runs must have
 * - the same rich outputs (`execute_result`, `display_data`, `error`) in the same order, each with the same
 *   output type and the same set of MIME types;
 * - the same standard output text and the same standard error text (each concatenated over the cell's
 *   stream outputs: the kernel splits a stream into chunks at random, and interleaves stdout and stderr
 *   in arrival order);
 * - for a deterministic cell, the same text in every text MIME type, after {@link normalizeText}.
 *
 * A cell whose output legitimately changes between runs (timings, a progress line with elapsed seconds) is
 * marked with the Jupyter cell tag `nondeterministic` (`metadata.tags`): its outputs are then compared by
 * kind and MIME types only, and its stream texts not at all (a progress bar may print a different number of
 * lines). An `error` output is compared by `ename` only (the kernel's traceback differs from the runner's).
 *
 * @module
 */

import type { Cell, Notebook, Output } from "./types.ts";
import { ANSI } from "./io.ts";

/** The tag that marks a cell whose output text may differ between runs. */
export const NONDETERMINISTIC_TAG = "nondeterministic";

/** Whether a cell carries the `nondeterministic` tag. */
export function isNondeterministic(cell: Cell): boolean {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) && tags.includes(NONDETERMINISTIC_TAG);
}

function joined(value: unknown): string {
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The text of an output as compared: ANSI colour codes removed (the kernel colours `text/plain`), only the
 * text after a line's last carriage return kept (as the runner stores progress lines), trailing
 * whitespace of lines dropped, durations (a number followed by `ms`, `s`, `seconds`, `min`) replaced by
 * `<duration>`, loopback ports and `/tmp/...` paths replaced by `<port>` and `<tmp>`, and the random ids Observable Plot gives an SVG's classes and clip paths
 * (`plot-1a2b3c`, `plot-clip-…`) replaced by a fixed name.
 */
export function normalizeText(text: string): string {
  return text.replace(ANSI, "").replace(/\r\n/g, "\n").split("\n")
    .map((line) => line.slice(line.lastIndexOf("\r") + 1).trimEnd())
    .join("\n")
    // Loopback ports and temporary folders (a stand-in server, a scratch cache) differ from run to run.
    .replace(/\b(127\.0\.0\.1|localhost|\[::1\]):\d+/g, "$1:<port>")
    .replace(/(^|[\s"'(=])\/tmp\/[^\s"'),]+/g, "$1<tmp>")
    // Durations (`1.2 s`, `340 ms`, `12 seconds`) differ from run to run in any cell.
    .replace(/\b\d+(?:[.,]\d+)*\s?(?:ms|s|sec|seconds?|min|minutes?)\b/g, "<duration>")
    .replace(/\bplot-[0-9a-f]{6}\b/g, "plot-*")
    .replace(/\bplot-clip-[\w-]+/g, "plot-clip-*")
    .trimEnd();
}

interface CellSummary {
  rich: { kind: string; mimes: string[]; texts: Record<string, string> }[];
  stdout: string;
  stderr: string;
}

function summarize(outputs: Output[]): CellSummary {
  const summary: CellSummary = { rich: [], stdout: "", stderr: "" };
  for (const out of outputs) {
    if (out.output_type === "stream") {
      summary[out.name === "stderr" ? "stderr" : "stdout"] += joined(out.text);
    } else if (out.output_type === "error") {
      summary.rich.push({ kind: `error ${out.ename}`, mimes: [], texts: {} });
    } else {
      const mimes = Object.keys(out.data).sort();
      const texts: Record<string, string> = {};
      for (const mime of mimes) {
        if (mime.startsWith("text/") || mime === "image/svg+xml" || mime.endsWith("json")) {
          texts[mime] = normalizeText(joined(out.data[mime]));
        }
      }
      summary.rich.push({ kind: out.output_type, mimes, texts });
    }
  }
  summary.stdout = normalizeText(summary.stdout);
  summary.stderr = normalizeText(summary.stderr);
  return summary;
}

function describe(rich: CellSummary["rich"]): string {
  return rich.length === 0
    ? "none"
    : rich.map((r) => `${r.kind}${r.mimes.length ? ` (${r.mimes.join(", ")})` : ""}`)
      .join("; ");
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const show = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 20), i + 40));
  return `at character ${i}: ${show(a)} vs ${show(b)}`;
}

/**
 * The differences between the code cells' outputs of two executions of the same notebook (`expected`,
 * e.g. the headless run, and `actual`, e.g. the kernel's), one message per difference naming the code
 * cell (1-based) and what differs; empty when they agree. Cells not executed in either run (after a
 * failure) are skipped. Whether a cell is deterministic is read from `expected`'s cell metadata.
 */
export function compareOutputs(
  expected: Notebook,
  actual: Notebook,
  labels: [string, string] = ["headless", "kernel"],
): string[] {
  const [la, lb] = labels;
  const codeA = expected.cells.filter((c) => c.cell_type === "code");
  const codeB = actual.cells.filter((c) => c.cell_type === "code");
  if (codeA.length !== codeB.length) {
    return [`the ${la} notebook has ${codeA.length} code cells, the ${lb} one ${codeB.length}`];
  }
  const problems: string[] = [];
  codeA.forEach((cellA, i) => {
    const cellB = codeB[i];
    if (cellA.execution_count == null || cellB.execution_count == null) return;
    const k = i + 1;
    const strict = !isNondeterministic(cellA);
    const a = summarize(cellA.outputs ?? []);
    const b = summarize(cellB.outputs ?? []);
    const kinds = (s: CellSummary) => s.rich.map((r) => `${r.kind}|${r.mimes.join(",")}`).join(";");
    if (kinds(a) !== kinds(b)) {
      problems.push(`cell ${k}: outputs differ: ${la} ${describe(a.rich)}; ${lb} ${describe(b.rich)}`);
      return;
    }
    if (!strict) return;
    a.rich.forEach((r, j) => {
      for (const mime of Object.keys(r.texts)) {
        const ta = r.texts[mime], tb = b.rich[j].texts[mime];
        if (ta !== tb) {
          problems.push(`cell ${k}: output ${j + 1} (${mime}) differs ${firstDifference(ta, tb ?? "")}`);
        }
      }
    });
    for (const name of ["stdout", "stderr"] as const) {
      if (a[name] !== b[name]) {
        problems.push(`cell ${k}: ${name} differs ${firstDifference(a[name], b[name])}`);
      }
    }
  });
  return problems;
}
