/**
 * Headless execution of the project's Deno notebooks (`notebooks/*.ipynb`, nbformat 4), from Deno code or
 * from the command line.
 *
 * ## How a notebook is run
 *
 * {@link executeNotebook} takes the code cells in order and runs them as ONE program in a fresh
 * `deno run -A` subprocess, as the Deno Jupyter kernel does in one session: a top-level `const` of cell 1
 * is visible in cell 3, top-level `await` works, and static imports work in any cell. The program is a
 * temporary module written next to the notebook (and run with the notebook's folder as working
 * directory, the kernel's cwd), so relative imports such as `"../lib/mod.ts"`, the project's import map
 * and relative data paths resolve as in the kernel. It contains, for each code cell `k` (1-based count of
 * code cells), the marker `await globalThis.__nb.cell(k)` followed by the cell's source (the marker first
 * lets the event loop turn, so that an unhandled rejection or a timer error caused by cell `k - 1` is
 * reported, and attributed, before cell `k` starts — as in the kernel, which runs the event loop
 * between cells); the temporary module
 * is removed afterwards, also on failure. `tools/notebook_runtime.ts` is imported first and captures
 * `console.*` and `Deno.jupyter.display(...)` per cell (raw `Deno.stdout` writes stay on the child's stdout, as in
 * the kernel, where they never reach the notebook).
 *
 * Differences from the kernel: every cell is part of one module, so a name may be declared only once per
 * notebook (the kernel allows redeclaring); a syntax error in any cell stops the notebook before cell 1;
 * the kernel shows a cell's completion value, so a cell ending in a declaration can still show the value
 * of an earlier expression statement (e.g. the promise of a `Deno.jupyter.display(...)` without
 * `await`), which the runner does not.
 *
 * ## Display convention
 *
 * As in Jupyter, the value of a cell's final expression is displayed. The runner finds the start of the
 * cell's last statement (a small scanner that skips strings, template literals, comments and regular
 * expressions and tracks brackets, so multi-line final expressions count too); if that statement is an
 * expression statement — it does not begin with a declaration or control keyword (`const`, `let`, `var`,
 * `function`, `class`, `import`, `export`, `if`, `for`, `while`, `do`, `switch`, `try`, `return`,
 * `throw`, `type`, `interface`, `enum`, ...), nor with `{` or `}` — it is rewritten to
 * `await globalThis.__nb.display(k, (<expr>));`. A trailing `;` does NOT suppress the display: the Deno
 * kernel shows `x;` too, and `deno fmt` adds that semicolon to every notebook cell.
 *
 * The displayed value becomes an `execute_result` output:
 * - a value with a `[Symbol.for("Jupyter.display")]()` method (may be async): the MIME bundle it returns;
 * - a DOM-like element with `outerHTML` (e.g. from linkedom / Observable Plot): `image/svg+xml` when its
 *   `localName` is `svg`, else `text/html` (as the kernel does);
 * - `undefined`: nothing; anything else: `text/plain` = `Deno.inspect(value)` without colours.
 *
 * Console output becomes `stream` outputs (`stdout` for log/info/debug, `stderr` for warn/error); of each
 * line only the text after its last `\r` is kept, so progress bars do not flood the stored notebook.
 *
 * ## Outputs
 *
 * With `outDir`, the executed notebook (outputs and `execution_count` per code cell, an `error` output in
 * the failing cell) is written to `<outDir>/<name>.ipynb`, and every `image/svg+xml` output to
 * `<figuresDir>/<name>_<title>.svg`, named for what it shows ({@link figureSlug}: the figure's title,
 * `-2`, `-3` for repeats), or `<name>_cell<k>_<i>.svg` for a figure without a title (`figuresDir`
 * defaults to `<outDir>/figures`; `i` counts the images of cell `k` from 1). On the first error the run stops and the result's `error` reads
 * `notebook <name>: cell <k> failed: <message>`, followed by the cell's first line and the stack with
 * locations mapped back to notebook cells.
 *
 * The child gets `MOOLAB_PROFILE=quick|full` (see `lib/profile.ts`); the rest of the environment, such as
 * `MOOLAB_DATA_DIR`, is passed through.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import type { Notebook, Output, Profile } from "./types.ts";
import { ANSI, cellSource, firstLine, notebookName, readNotebook } from "./io.ts";
import { DISPLAY_PREFIX, lastStatement, rewriteDisplay } from "./display_rewrite.ts";

/** Options of {@link executeNotebook}. */
export interface ExecuteOptions {
  /** `MOOLAB_PROFILE` for the notebook; default `"quick"`. */
  profile?: Profile;
  /** Where to write the executed notebook `<name>.ipynb`; nothing is written when omitted. */
  outDir?: string;
  /** Where to write figures; default `<outDir>/figures` (no figures are written without either). */
  figuresDir?: string;
  /** Working directory of the child; default the notebook's folder (the kernel's cwd). */
  cwd?: string;
  /** Kill the child after this many seconds; default 1800. */
  timeoutSeconds?: number;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
  /** Rewrite cells' final expressions to display them (default true). */
  display?: boolean;
}

/** The result of {@link executeNotebook}. */
export interface NotebookResult {
  /** Notebook name: the file name without `.ipynb`. */
  name: string;
  ok: boolean;
  /** Number of code cells that ran to completion. */
  cells: number;
  /** Number of code cells in the notebook. */
  codeCells: number;
  /** 1-based number of the code cell that failed. */
  failedCell?: number;
  /** `notebook <name>: cell <k> failed: <message>` and details. */
  error?: string;
  /** Wall-clock seconds, including the child's start-up. */
  seconds: number;
  /** Seconds spent in each code cell (as measured in the child), by code cell index - 1. */
  cellSeconds: number[];
  /** The executed notebook. */
  notebook: Notebook;
  /** Path of the written executed notebook (with `outDir`). */
  outputPath?: string;
  /** Paths of the written figures. */
  figures: string[];
}

const RUNTIME_URL = new URL("../notebook_runtime.ts", import.meta.url).href;
const MAX_STREAM_CHARS = 200_000;

// ---------------------------------------------------------------------------------------------------------
// The generated program
// ---------------------------------------------------------------------------------------------------------

interface Program {
  code: string;
  /** 1-based line of each code cell's first line in the program, by cell index - 1. */
  startLine: number[];
  lineCount: number[];
  rewritten: boolean[];
  /** Per rewritten cell: the line (1-based, in the cell) and column (1-based) where the display call starts. */
  rewriteAt: ({ line: number; col: number } | undefined)[];
}

function buildProgram(sources: string[], noRewrite: Set<number>, display: boolean): Program {
  const lines = [`import ${JSON.stringify(RUNTIME_URL)};`];
  const startLine: number[] = [];
  const lineCount: number[] = [];
  const rewritten: boolean[] = [];
  const rewriteAt: ({ line: number; col: number } | undefined)[] = [];
  sources.forEach((src, index) => {
    const k = index + 1;
    lines.push(`;await globalThis.__nb.cell(${k});`);
    const rewrite = display && !noRewrite.has(k) ? rewriteDisplay(src, k) : undefined;
    rewritten.push(rewrite !== undefined);
    if (rewrite !== undefined) {
      const start = lastStatement(src)!.start;
      const before = src.slice(0, start);
      rewriteAt.push({ line: before.split("\n").length, col: start - before.lastIndexOf("\n") });
    } else rewriteAt.push(undefined);
    const cellLines = (rewrite ?? src).split("\n");
    startLine.push(lines.length + 1);
    lineCount.push(cellLines.length);
    lines.push(...cellLines);
  });
  lines.push(";await globalThis.__nb.finish();", "");
  return { code: lines.join("\n"), startLine, lineCount, rewritten, rewriteAt };
}

/** The code cell (1-based) and line within it of a program line, if the line belongs to a cell. */
function cellOfLine(program: Program, line: number): { k: number; line: number } | undefined {
  for (let i = 0; i < program.startLine.length; i++) {
    const first = program.startLine[i];
    if (line >= first && line < first + program.lineCount[i]) return { k: i + 1, line: line - first + 1 };
  }
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Replaces `<program>:L:C` locations in text with `<name>.ipynb cell k, line j:C`. */
function mapLocations(
  text: string,
  program: Program,
  programPath: string,
  name: string,
): { text: string; first?: { k: number; line: number } } {
  let first: { k: number; line: number } | undefined;
  const url = pathToFileURL(programPath).href;
  const pattern = new RegExp(`(?:${escapeRegExp(url)}|${escapeRegExp(programPath)}):(\\d+)(?::(\\d+))?`, "g");
  const mapped = text.replace(pattern, (match, l: string, c: string | undefined) => {
    const where = cellOfLine(program, Number(l));
    if (!where) {
      return match.replace(url, `${name}.ipynb (runner code)`).replace(programPath, `${name}.ipynb`);
    }
    first ??= where;
    let col = c === undefined ? undefined : Number(c);
    const at = program.rewriteAt[where.k - 1];
    if (col !== undefined && at && at.line === where.line && col >= at.col + DISPLAY_PREFIX(where.k).length) {
      col -= DISPLAY_PREFIX(where.k).length; // a column inside the rewritten final expression
    }
    return `${name}.ipynb cell ${where.k}, line ${where.line}${col !== undefined ? `:${col}` : ""}`;
  });
  return { text: mapped, first };
}

// ---------------------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------------------

interface Event {
  t: "cell" | "stream" | "display" | "error" | "done";
  k?: number;
  name?: "stdout" | "stderr";
  text?: string;
  kind?: "execute_result" | "display_data" | "update_display_data";
  data?: Record<string, unknown>;
  displayId?: string;
  message?: string;
  stack?: string;
  seconds?: number;
}

interface ChildRun {
  code: number;
  stdout: string;
  stderr: string;
  events: Event[];
  timedOut: boolean;
}

async function runChild(
  programPath: string,
  cwd: string,
  env: Record<string, string>,
  timeoutSeconds: number,
): Promise<ChildRun> {
  const eventsDir = await Deno.makeTempDir({ prefix: "moolab-nb-" });
  const eventsPath = join(eventsDir, "events.jsonl");
  try {
    await writeFile(eventsPath, "");
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", programPath],
      cwd,
      env: { ...env, MOOLAB_NB_EVENTS: eventsPath, NO_COLOR: "1" },
      // The child's stdin is a pipe whose write end only this process holds: when the runner dies (even
      // by SIGKILL) the child reads end-of-file and exits (tools/notebook_runtime.ts).
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
    }, timeoutSeconds * 1000);
    const stdin = child.stdin.getWriter();
    const [status, stdoutBytes, stderrBytes] = await Promise.all([
      child.status,
      new Response(child.stdout).arrayBuffer(),
      new Response(child.stderr).arrayBuffer(),
    ]);
    clearTimeout(timer);
    await stdin.close().catch(() => {});
    const out = {
      code: status.code,
      stdout: new Uint8Array(stdoutBytes),
      stderr: new Uint8Array(stderrBytes),
    };
    const decoder = new TextDecoder();
    const events: Event[] = [];
    for (const line of (await readFile(eventsPath, "utf8")).split("\n")) {
      if (line.trim() === "") continue;
      try {
        events.push(JSON.parse(line));
      } catch {
        // a line cut short by a killed child
      }
    }
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout).replace(ANSI, ""),
      stderr: withoutBacktrace(decoder.decode(out.stderr).replace(ANSI, "")),
      events,
      timedOut,
    };
  } finally {
    await rm(eventsDir, { recursive: true, force: true });
  }
}

/** Keeps, of each line, only the text after its last carriage return (progress bars). */
export function collapseCarriageReturns(text: string): string {
  return text.replace(/\r\n/g, "\n").split("\n").map((line) => {
    const cut = line.lastIndexOf("\r");
    return cut < 0 ? line : line.slice(cut + 1);
  }).join("\n");
}

function limitStream(text: string): string {
  if (text.length <= MAX_STREAM_CHARS) return text;
  const dropped = text.length - MAX_STREAM_CHARS;
  return text.slice(0, MAX_STREAM_CHARS / 2) + `\n... [${dropped} characters of output dropped] ...\n` +
    text.slice(text.length - MAX_STREAM_CHARS / 2);
}

function assembleOutputs(events: Event[], codeCells: number): { outputs: Output[][]; started: number } {
  const outputs: Output[][] = Array.from({ length: codeCells }, () => []);
  const displays = new Map<string, { data: Record<string, unknown> }[]>();
  let started = 0;
  for (const ev of events) {
    if (ev.t === "cell") started = Math.max(started, ev.k ?? 0);
    const k = Math.min(Math.max(ev.k ?? 1, 1), codeCells); // output before cell 1 (module loading) -> cell 1
    if (codeCells === 0) continue;
    const cell = outputs[k - 1];
    if (ev.t === "stream" && ev.text) {
      const last = cell[cell.length - 1];
      if (last?.output_type === "stream" && last.name === ev.name) last.text += ev.text;
      else cell.push({ output_type: "stream", name: ev.name ?? "stdout", text: ev.text });
    } else if (ev.t === "display" && ev.data) {
      if (ev.kind === "execute_result") {
        cell.push({ output_type: "execute_result", execution_count: k, data: ev.data, metadata: {} });
      } else if (ev.kind === "update_display_data") {
        // replace every earlier output shown with this display_id, in whichever cell it is
        const target = ev.displayId ? displays.get(ev.displayId) : undefined;
        if (target) { for (const out of target) out.data = ev.data; }
      } else {
        const out = { output_type: "display_data" as const, data: ev.data, metadata: {} };
        cell.push(out);
        if (ev.displayId) {
          if (!displays.has(ev.displayId)) displays.set(ev.displayId, []);
          displays.get(ev.displayId)!.push(out);
        }
      }
    }
  }
  for (const cell of outputs) {
    for (const out of cell) {
      if (out.output_type === "stream") out.text = limitStream(collapseCarriageReturns(out.text));
    }
  }
  return { outputs, started };
}

/** Deno's report without the (uninformative) Rust "Stack backtrace:" section. */
function withoutBacktrace(stderr: string): string {
  const cut = stderr.indexOf("\nStack backtrace:");
  return cut < 0 ? stderr : stderr.slice(0, cut);
}

/** The message line of Deno's report of an uncaught error on stderr. */
function stderrMessage(stderr: string): string | undefined {
  stderr = withoutBacktrace(stderr);
  const line = stderr.split("\n").find((l) => l.startsWith("error: "));
  if (!line) return undefined;
  return line.slice("error: ".length).replace(/^Uncaught (\(in promise\) )?/, "");
}

/**
 * Runs a notebook headlessly (see the module doc) and, with `outDir`, writes the executed notebook and its
 * figures. Never throws for a failing notebook: the result says what failed.
 */
export async function executeNotebook(path: string, options: ExecuteOptions = {}): Promise<NotebookResult> {
  const t0 = performance.now();
  const nbPath = resolve(path);
  const name = notebookName(nbPath);
  let nb: Notebook;
  try {
    nb = await readNotebook(nbPath);
  } catch (e) {
    // A bad notebook is a failed result like any other, with the reader's message and no stack trace.
    return {
      name,
      ok: false,
      cells: 0,
      codeCells: 0,
      error: `notebook ${name}: ${(e as Error).message}`,
      seconds: (performance.now() - t0) / 1000,
      cellSeconds: [],
      notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] },
      figures: [],
    };
  }
  const codeIndices = nb.cells.flatMap((cell, i) => cell.cell_type === "code" ? [i] : []);
  const sources = codeIndices.map((i) => cellSource(nb.cells[i]));
  const profile = options.profile ?? "quick";
  const nbDir = dirname(nbPath);
  const env: Record<string, string> = { ...options.env, MOOLAB_PROFILE: profile };

  const noRewrite = new Set<number>();
  let program: Program;
  let run: ChildRun;
  let programPath = "";
  for (;;) {
    program = buildProgram(sources, noRewrite, options.display ?? true);
    const suffix = crypto.randomUUID().slice(0, 8);
    programPath = join(nbDir, `.nbrun-${name.replace(/[^\w.-]/g, "_")}-${suffix}.ts`);
    await writeFile(programPath, program.code);
    try {
      run = await runChild(programPath, options.cwd ?? nbDir, env, options.timeoutSeconds ?? 1800);
    } finally {
      await rm(programPath, { force: true });
    }
    // A parse error in a cell whose final expression was rewritten: run again without that rewrite, in
    // case the heuristic rewrite itself broke the syntax.
    const started = run.events.some((e) => e.t === "cell");
    if (!started && run.code !== 0 && /could not be parsed|SyntaxError/i.test(run.stderr)) {
      const where = mapLocations(run.stderr, program, programPath, name).first;
      if (where && program.rewritten[where.k - 1] && !noRewrite.has(where.k)) {
        noRewrite.add(where.k);
        continue;
      }
    }
    break;
  }

  const { outputs, started } = assembleOutputs(run.events, sources.length);
  const done = run.events.some((e) => e.t === "done") && run.code === 0;
  const errorEvent = run.events.find((e) => e.t === "error");
  const cellStarts = run.events.filter((e) => e.t === "cell");
  const endSeconds = run.events.findLast((e) => e.seconds !== undefined)?.seconds ?? 0;
  const cellSeconds = sources.map((_, i) => {
    const s = cellStarts.find((e) => e.k === i + 1)?.seconds;
    const next = cellStarts.find((e) => (e.k ?? 0) > i + 1)?.seconds ?? endSeconds;
    return s === undefined ? 0 : Math.max(0, next - s);
  });

  let ok = done;
  let failedCell: number | undefined;
  let error: string | undefined;
  if (!done) {
    ok = false;
    const rawStack = errorEvent?.stack || run.stderr.trim();
    const mapped = mapLocations(rawStack, program, programPath, name);
    const mappedStderr = mapLocations(run.stderr, program, programPath, name);
    // The failing cell: the one running when the error was reported; before any cell ran (a syntax or
    // module-loading error), the cell the error location points to, else the first cell with an import.
    failedCell = errorEvent?.k || (started > 0 ? started : undefined) || mappedStderr.first?.k ||
      mapped.first?.k ||
      (sources.findIndex((s) => /^\s*import\s/m.test(s)) + 1 || 1);
    let message = errorEvent
      ? `${
        errorEvent.name && !errorEvent.message?.startsWith(errorEvent.name) ? errorEvent.name + ": " : ""
      }${errorEvent.message ?? ""}`
      : stderrMessage(run.stderr) ??
        `the notebook's process exited with code ${run.code} before the last cell finished (Deno.exit?)`;
    if (run.timedOut) message = `timed out after ${options.timeoutSeconds ?? 1800} s`;
    else if (!errorEvent && run.code === 0) message = "the notebook exited before its last cell finished";
    message = mapLocations(message, program, programPath, name).text;
    const src = sources[failedCell - 1] ?? "";
    const details = [
      `notebook ${name}: cell ${failedCell} failed: ${message}`,
      `  cell ${failedCell} begins: ${firstLine(src)}`,
    ];
    const where = mapped.first ?? mappedStderr.first;
    if (where && where.k === failedCell) {
      const line = src.split("\n")[where.line - 1];
      if (line !== undefined) details.push(`  at cell ${where.k}, line ${where.line}: ${line.trim()}`);
    }
    const stackText = (errorEvent ? mapped.text : mappedStderr.text).trim();
    if (stackText) details.push(stackText.split("\n").map((l) => "    " + l).join("\n"));
    if (!errorEvent && run.stdout.trim()) details.push("  child stdout:\n" + run.stdout.trim());
    error = details.join("\n");
    if (failedCell >= 1 && failedCell <= outputs.length) {
      const [ename, ...rest] = message.split(": ");
      outputs[failedCell - 1].push({
        output_type: "error",
        ename: rest.length > 0 && /^\w+$/.test(ename) ? ename : "Error",
        evalue: rest.length > 0 && /^\w+$/.test(ename) ? rest.join(": ") : message,
        traceback: stackText.split("\n"),
      });
    }
  }

  // The executed notebook.
  const executed: Notebook = structuredClone(nb);
  const executedCount = ok ? sources.length : (failedCell ?? 0);
  codeIndices.forEach((cellIndex, i) => {
    const cell = executed.cells[cellIndex];
    const ran = i < executedCount;
    cell.execution_count = ran ? i + 1 : null;
    cell.outputs = ran ? outputs[i] : [];
  });
  executed.metadata = {
    ...executed.metadata,
    moolab: { runner: "tools/notebook.ts", profile, ok, ...(failedCell ? { failedCell } : {}) },
  };

  const figures: string[] = [];
  let outputPath: string | undefined;
  const figuresDir = options.figuresDir ?? (options.outDir ? join(options.outDir, "figures") : undefined);
  if (figuresDir) {
    const used = new Set<string>();
    for (let i = 0; i < outputs.length; i++) {
      let count = 0;
      for (const out of outputs[i]) {
        if (out.output_type !== "display_data" && out.output_type !== "execute_result") continue;
        const svg = out.data["image/svg+xml"];
        const png = out.data["image/png"];
        if (svg === undefined && png === undefined) continue;
        count++;
        await mkdir(figuresDir, { recursive: true });
        const svgText = svg === undefined ? "" : Array.isArray(svg) ? svg.join("") : String(svg);
        let stem = `${name}_${figureSlug(svgText) ?? `cell${i + 1}_${count}`}`;
        for (let k = 2; used.has(stem); k++) stem = stem.replace(/(-\d+)?$/, `-${k}`);
        used.add(stem);
        const base = join(figuresDir, stem);
        if (svg !== undefined) {
          const file = base + ".svg";
          await writeFile(file, svgText);
          figures.push(file);
        }
        if (png !== undefined) {
          const file = base + ".png";
          const b64 = Array.isArray(png) ? png.join("") : String(png);
          await writeFile(file, Uint8Array.from(atob(b64.replace(/\s/g, "")), (ch) => ch.charCodeAt(0)));
          figures.push(file);
        }
      }
    }
  }
  if (options.outDir) {
    await mkdir(options.outDir, { recursive: true });
    outputPath = join(options.outDir, `${name}.ipynb`);
    await writeFile(outputPath, JSON.stringify(executed, null, 1) + "\n");
  }

  return {
    name,
    ok,
    cells: ok ? sources.length : Math.max(0, (failedCell ?? 1) - 1),
    codeCells: sources.length,
    ...(failedCell !== undefined ? { failedCell } : {}),
    ...(error !== undefined ? { error } : {}),
    seconds: (performance.now() - t0) / 1000,
    cellSeconds,
    notebook: executed,
    ...(outputPath ? { outputPath } : {}),
    figures,
  };
}

/**
 * A file-name stem saying what a figure shows: its title (the root `<svg>`'s `aria-label`, as lib/plot
 * writes it, else its first `<title>`), lower-cased, runs of other characters as `-`, at most 60
 * characters; undefined when the figure has no title.
 */
export function figureSlug(svg: string): string | undefined {
  const root = /^\s*<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const label = /\saria-label="([^"]*)"/.exec(root)?.[1] ?? /<title>([^<]*)<\/title>/.exec(svg)?.[1];
  if (!label) return undefined;
  const text = label.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(
    /&quot;/g,
    '"',
  )
    .replace(/&#(\d+);/g, (_, d) => String.fromCharCode(Number(d)));
  const slug = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
  return slug === "" ? undefined : slug;
}
