/**
 * Executed notebooks as HTML pages that open without Jupyter, with their figures visible, and an index
 * page linking them.
 *
 * Pages are written by `jupyter nbconvert --to html` (the `lab` template). Debian's nbconvert 6.5.3
 * passes every SVG output through lxml's `clean_html`, which strips all elements inside `<svg>`, so each
 * figure would be an empty box; the export replaces that filter with the identity
 * (`--HTMLExporter.filters=clean_html=os.fspath`). The notebooks are the project's own, so their HTML
 * needs no sanitising.
 *
 * @module
 */

import { basename, join, relative, resolve } from "node:path";
import { mkdir, writeFile } from "node:fs/promises";

/** The result of {@link exportHtml}. */
export interface HtmlResult {
  ok: boolean;
  /** The written page. */
  path?: string;
  /** Why no page was written. */
  error?: string;
}

/** Arguments of `jupyter nbconvert` that write `<outDir>/<name>.html` from an executed notebook. */
export function nbconvertHtmlArgs(notebookPath: string, outDir: string): string[] {
  return [
    "nbconvert",
    "--to",
    "html",
    // Keep SVG figures: the default clean_html filter empties them (nbconvert 6.5).
    "--HTMLExporter.filters=clean_html=os.fspath",
    "--output-dir",
    resolve(outDir),
    resolve(notebookPath),
  ];
}

/** Writes an executed notebook as `<outDir>/<name>.html` (needs `jupyter nbconvert`). */
export async function exportHtml(notebookPath: string, outDir: string): Promise<HtmlResult> {
  await mkdir(outDir, { recursive: true });
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("jupyter", {
      args: nbconvertHtmlArgs(notebookPath, outDir),
      env: { PYDEVD_DISABLE_FILE_VALIDATION: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { ok: false, error: "jupyter is not on PATH" };
    throw e;
  }
  if (out.code !== 0) {
    const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
    return { ok: false, error: `jupyter nbconvert --to html failed: ${lines.slice(-3).join(" / ")}` };
  }
  return { ok: true, path: join(outDir, basename(notebookPath).replace(/\.ipynb$/, ".html")) };
}

/** One row of the index page. */
export interface IndexEntry {
  name: string;
  ok: boolean;
  /** The notebook's HTML page, if written. */
  page?: string;
  /** The executed notebook. */
  notebook?: string;
  seconds: number;
  figures: string[];
  /** One line on a failure. */
  note?: string;
}

function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** The index page: one row per notebook, linking its page, executed notebook and figures. */
export function indexHtml(entries: readonly IndexEntry[], dir: string, title: string): string {
  const link = (path: string | undefined, text: string) =>
    path ? `<a href="${escapeHtml(relative(dir, path).split("\\").join("/"))}">${escapeHtml(text)}</a>` : "";
  const rows = entries.map((e) =>
    `<tr><td>${e.page ? link(e.page, e.name) : escapeHtml(e.name)}</td>` +
    `<td class="${e.ok ? "ok" : "fail"}">${e.ok ? "ok" : "FAIL"}</td>` +
    `<td class="num">${e.seconds.toFixed(1)} s</td>` +
    `<td>${link(e.notebook, ".ipynb")}</td>` +
    `<td>${e.figures.map((f) => link(f, basename(f))).join("<br>")}</td>` +
    `<td>${e.note ? escapeHtml(e.note) : ""}</td></tr>`
  ).join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.8em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.ok { color: #1a7f37; } td.fail { color: #cf222e; font-weight: 600; }
</style></head>
<body><h1>${escapeHtml(title)}</h1>
<table><thead><tr><th>notebook</th><th>status</th><th>time</th><th>executed</th><th>figures</th><th>note</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}

/** Writes `<dir>/index.html` and returns its path. */
export async function writeIndex(
  dir: string,
  entries: readonly IndexEntry[],
  title: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, "index.html");
  await writeFile(path, indexHtml(entries, dir, title));
  return path;
}
