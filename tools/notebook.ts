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
 * code cells), the marker `globalThis.__nb.cell(k)` followed by the cell's source; the temporary module
 * is removed afterwards, also on failure. `tools/notebook_runtime.ts` is imported first and captures
 * `console.*`, `Deno.stdout`/`Deno.stderr` writes and `Deno.jupyter.display(...)` per cell.
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
 * `<figuresDir>/<name>_cell<k>_<i>.svg` (`figuresDir` defaults to `<outDir>/figures`; `i` counts the
 * images of cell `k` from 1). On the first error the run stops and the result's `error` reads
 * `notebook <name>: cell <k> failed: <message>`, followed by the cell's first line and the stack with
 * locations mapped back to notebook cells.
 *
 * The child gets `MOOLAB_PROFILE=quick|full` (see `lib/profile.ts`); the rest of the environment, such as
 * `MOOLAB_DATA_DIR`, is passed through.
 *
 * {@link executeWithKernel} runs a notebook through the real Deno Jupyter kernel with
 * `jupyter nbconvert --execute` (needs `jupyter` on PATH and the kernel from `deno jupyter --install`).
 *
 * ## CLI
 *
 * ```sh
 * deno run -A tools/notebook.ts [--full] [--kernel] [--out DIR] notebook.ipynb...
 * deno run -A tools/notebook.ts --normalize notebook.ipynb|folder...   # see normalizeNotebook
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { basename, dirname, join, resolve } from "node:path";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

/** The run profiles (mirrors `lib/profile.ts`). */
export type Profile = "quick" | "full";

/** One output of an nbformat 4 code cell. */
export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | {
    output_type: "execute_result";
    execution_count: number;
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
  }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** An nbformat 4 cell (only the fields the runner uses are typed). */
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
  [key: string]: unknown;
}

/** An nbformat 4 notebook. */
export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

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

const RUNTIME_URL = new URL("./notebook_runtime.ts", import.meta.url).href;
const MAX_STREAM_CHARS = 200_000;

// ---------------------------------------------------------------------------------------------------------
// Reading notebooks
// ---------------------------------------------------------------------------------------------------------

/** A cell's source as one string. */
export function cellSource(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source ?? "";
}

/** Reads and minimally validates an nbformat 4 notebook. */
export async function readNotebook(path: string): Promise<Notebook> {
  const text = await readFile(path, "utf8");
  let nb: Notebook;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not a JSON notebook: ${(e as Error).message}`);
  }
  if (nb?.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new Error(`${path}: not an nbformat 4 notebook (nbformat=${JSON.stringify(nb?.nbformat)})`);
  }
  return nb;
}

/** The `.ipynb` files of a folder, sorted by name; an empty list when the folder is missing. */
export async function listNotebooks(dir: string): Promise<string[]> {
  const paths: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".ipynb") && !entry.name.startsWith(".")) {
        paths.push(join(dir, entry.name));
      }
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return paths.sort();
}

/**
 * Makes every non-empty cell's source end with a newline (stored as a list of lines, as Jupyter does).
 * Returns whether anything changed.
 *
 * Why: `deno fmt --check` (Deno 2.9.6) reports a notebook as "not formatted", with an empty diff, when a
 * markdown cell or a TypeScript code cell does not end with a newline — and `deno fmt` itself writes the
 * cells it reformats without one. Formatting and then normalizing (`deno task nbfmt`) gives notebooks
 * that pass `deno fmt --check` on a fresh clone.
 */
export function normalizeNotebook(nb: Notebook): boolean {
  let changed = false;
  for (const cell of nb.cells) {
    const src = cellSource(cell);
    if (src === "") continue;
    const fixed = src.endsWith("\n") ? src : src + "\n";
    const lines = fixed.split(/(?<=\n)/);
    if (!Array.isArray(cell.source) || cell.source.join("\u0000") !== lines.join("\u0000")) {
      cell.source = lines;
      changed = true;
    }
  }
  return changed;
}

/** {@link normalizeNotebook} on a file, rewritten (JSON with one-space indent, as Jupyter writes) if needed. */
export async function normalizeNotebookFile(path: string): Promise<boolean> {
  const nb = await readNotebook(path);
  if (!normalizeNotebook(nb)) return false;
  await writeFile(path, JSON.stringify(nb, null, 1) + "\n");
  return true;
}

function notebookName(path: string): string {
  return basename(path).replace(/\.ipynb$/, "");
}

// ---------------------------------------------------------------------------------------------------------
// Display rewriting
// ---------------------------------------------------------------------------------------------------------

/** Where a cell's last top-level statement is: `[start, end)` without its `;`, `after` past the `;`. */
export interface LastStatement {
  start: number;
  end: number;
  after: number;
}

const REGEX_AFTER_WORD = new Set([
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "await",
  "yield",
  "instanceof",
]);
// A line ending in one of these continues on the next line.
const CONTINUES_LINE = new Set([
  ",",
  "(",
  "[",
  "{",
  "=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "&",
  "|",
  "^",
  "!",
  "~",
  "?",
  ":",
  "<",
  ">",
  ".",
]);
// A line beginning with one of these continues the previous line.
const CONTINUES_FROM = new Set([
  ".",
  ",",
  ")",
  "]",
  "}",
  "?",
  ":",
  "=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "&",
  "|",
  "^",
  "<",
  ">",
]);

/**
 * Finds a cell's last top-level statement, or undefined when the scan fails (unbalanced brackets or an
 * unterminated string, comment or template) or the cell has no code. A heuristic tokenizer: it knows
 * strings, template literals with `${}`, comments and regular expressions, tracks bracket depth, and
 * starts a statement after a top-level `;`, or at a new line whose previous line cannot continue.
 */
export function lastStatement(src: string): LastStatement | undefined {
  const stack: string[] = [];
  let i = 0;
  const n = src.length;
  let lastSig = -1; // index of the last significant character
  let lastWord = "";
  let stmtStart = -1;
  let startNext = true; // the next significant top-level character starts a statement
  let newlineSeen = false; // a newline at depth 0 since the last significant character
  let lastSemicolon = -1;

  const significant = (at: number) => {
    if (stack.length === 0) {
      const c = src[at];
      const prev = lastSig >= 0 ? src[lastSig] : "";
      const continues = CONTINUES_FROM.has(c) ||
        /^(as|satisfies|in|instanceof)\b/.test(src.slice(at, at + 11));
      if (startNext || (newlineSeen && !CONTINUES_LINE.has(prev) && !continues)) stmtStart = at;
    }
    startNext = false;
    newlineSeen = false;
    lastSig = at;
  };

  const scanTemplate = (): boolean => {
    // i is just past a backtick or a closing "}" of ${...}; scan to the closing backtick or "${".
    while (i < n) {
      const c = src[i];
      if (c === "\\") {
        i += 2;
      } else if (c === "`") {
        i++;
        return true;
      } else if (c === "$" && src[i + 1] === "{") {
        stack.push("${");
        i += 2;
        return true;
      } else i++;
    }
    return false;
  };

  while (i < n) {
    const c = src[i];
    if (c === "\n") {
      if (stack.length === 0) newlineSeen = true;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const close = src.indexOf("*/", i + 2);
      if (close < 0) return undefined;
      for (let j = i; j < close; j++) if (src[j] === "\n" && stack.length === 0) newlineSeen = true;
      i = close + 2;
      continue;
    }
    const at = i;
    if (c === "'" || c === '"') {
      significant(at);
      i++;
      while (i < n && src[i] !== c) {
        if (src[i] === "\n") return undefined;
        i += src[i] === "\\" ? 2 : 1;
      }
      if (i >= n) return undefined;
      i++;
      lastSig = i - 1;
      lastWord = "";
      continue;
    }
    if (c === "`") {
      significant(at);
      i++;
      if (!scanTemplate()) return undefined;
      lastSig = i - 1;
      lastWord = "";
      continue;
    }
    if (c === "/") {
      const prev = lastSig >= 0 ? src[lastSig] : "";
      const regexAllowed = lastSig < 0 || "(,=:[!&|?{};+-*%<>~^".includes(prev) ||
        (lastWord !== "" && REGEX_AFTER_WORD.has(lastWord) && /[\w$]/.test(prev));
      significant(at);
      i++;
      if (regexAllowed) {
        let inClass = false;
        while (i < n) {
          const r = src[i];
          if (r === "\n") return undefined;
          if (r === "\\") i += 2;
          else {
            i++;
            if (r === "[") inClass = true;
            else if (r === "]") inClass = false;
            else if (r === "/" && !inClass) break;
          }
        }
        lastSig = i - 1;
      }
      lastWord = "";
      continue;
    }
    if (/[\w$]/.test(c)) {
      significant(at);
      let j = i;
      while (j < n && /[\w$]/.test(src[j])) j++;
      lastWord = src.slice(i, j);
      lastSig = j - 1;
      i = j;
      continue;
    }
    // Punctuation.
    significant(at);
    lastWord = "";
    i++;
    if (c === "(" || c === "[" || c === "{") stack.push(c);
    else if (c === ")" || c === "]" || c === "}") {
      const open = stack.pop();
      if (open === undefined) return undefined;
      if (open === "${") {
        if (c !== "}" || !scanTemplate()) return undefined;
        lastSig = i - 1;
      } else if ((open === "(" && c !== ")") || (open === "[" && c !== "]") || (open === "{" && c !== "}")) {
        return undefined;
      }
    } else if (c === ";" && stack.length === 0) {
      startNext = true;
      lastSemicolon = at;
    }
  }
  if (stack.length > 0 || lastSig < 0 || stmtStart < 0) return undefined;
  if (lastSemicolon === lastSig) {
    // The cell ends with ";": the last statement is the one that semicolon closes.
    if (stmtStart >= lastSemicolon) return undefined; // an empty statement
    return { start: stmtStart, end: lastSemicolon, after: lastSemicolon + 1 };
  }
  return { start: stmtStart, end: lastSig + 1, after: lastSig + 1 };
}

const NOT_AN_EXPRESSION = new RegExp(
  "^(?:" + [
    "(?:const|var|function|class|export|if|for|while|do|switch|try|return|throw|break|continue|debugger|with)\\b",
    "let\\s*[\\w$\\[{]",
    "import\\b(?!\\s*[(.])",
    "(?:type|interface|enum|namespace|module|declare|abstract)\\s+[\\w$]",
    "async\\s+function\\b",
    "(?:await\\s+)?using\\s+[\\w$]",
    "[{}@;]",
    "[\\w$]+\\s*:(?!:)", // a label
  ].join("|") + ")",
);

/** Whether a statement's text can be an expression statement whose value the kernel would show. */
export function isExpressionStatement(statement: string): boolean {
  const s = statement.trim();
  return s.length > 0 && !NOT_AN_EXPRESSION.test(s);
}

/**
 * Rewrites a cell so that the value of its final expression statement is displayed (see the module doc):
 * `<expr>;` becomes `await globalThis.__nb.display(k, (<expr>));`. Returns undefined when the cell does not
 * end with an expression statement. Line numbers are preserved.
 */
export function rewriteDisplay(src: string, k: number): string | undefined {
  const last = lastStatement(src);
  if (!last) return undefined;
  const statement = src.slice(last.start, last.end);
  if (!isExpressionStatement(statement)) return undefined;
  return src.slice(0, last.start) + `${DISPLAY_PREFIX(k)}${statement}));` + src.slice(last.after);
}

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

const DISPLAY_PREFIX = (k: number) => `await globalThis.__nb.display(${k}, (`;

function buildProgram(sources: string[], noRewrite: Set<number>, display: boolean): Program {
  const lines = [`import ${JSON.stringify(RUNTIME_URL)};`];
  const startLine: number[] = [];
  const lineCount: number[] = [];
  const rewritten: boolean[] = [];
  const rewriteAt: ({ line: number; col: number } | undefined)[] = [];
  sources.forEach((src, index) => {
    const k = index + 1;
    lines.push(`;globalThis.__nb.cell(${k});`);
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

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

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
      stdin: "null",
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
    const out = await child.output();
    clearTimeout(timer);
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

function firstLine(src: string): string {
  const line = src.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 100 ? line.slice(0, 97) + "..." : line.trim();
}

/**
 * Runs a notebook headlessly (see the module doc) and, with `outDir`, writes the executed notebook and its
 * figures. Never throws for a failing notebook: the result says what failed.
 */
export async function executeNotebook(path: string, options: ExecuteOptions = {}): Promise<NotebookResult> {
  const t0 = performance.now();
  const nbPath = resolve(path);
  const name = notebookName(nbPath);
  const nb = await readNotebook(nbPath);
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
    for (let i = 0; i < outputs.length; i++) {
      let count = 0;
      for (const out of outputs[i]) {
        if (out.output_type !== "display_data" && out.output_type !== "execute_result") continue;
        const svg = out.data["image/svg+xml"];
        const png = out.data["image/png"];
        if (svg === undefined && png === undefined) continue;
        count++;
        await mkdir(figuresDir, { recursive: true });
        const base = join(figuresDir, `${name}_cell${i + 1}_${count}`);
        if (svg !== undefined) {
          const file = base + ".svg";
          await writeFile(file, Array.isArray(svg) ? svg.join("") : String(svg));
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

// ---------------------------------------------------------------------------------------------------------
// The real kernel
// ---------------------------------------------------------------------------------------------------------

/** Whether notebooks can run through the Deno Jupyter kernel here, and if not, why. */
export interface KernelStatus {
  ok: boolean;
  reason?: string;
  /** The kernel's command line from its kernelspec. */
  argv?: string[];
}

async function run(cmd: string, args: string[], env?: Record<string, string>) {
  try {
    const out = await new Deno.Command(cmd, { args, env, stdin: "null", stdout: "piped", stderr: "piped" })
      .output();
    const d = new TextDecoder();
    return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return { code: -1, stdout: "", stderr: `${cmd}: not found on PATH` };
    }
    throw e;
  }
}

let kernelStatus: Promise<KernelStatus> | undefined;

/**
 * Checks that `jupyter` is on PATH, `jupyter nbconvert` works and the `deno` kernelspec is installed
 * (`deno jupyter --install`) with an existing executable. The answer is cached for the process.
 */
export function kernelAvailable(): Promise<KernelStatus> {
  kernelStatus ??= (async (): Promise<KernelStatus> => {
    const env = { PYDEVD_DISABLE_FILE_VALIDATION: "1" };
    const specs = await run("jupyter", ["kernelspec", "list", "--json"], env);
    if (specs.code !== 0) {
      return { ok: false, reason: `jupyter kernelspec list failed: ${specs.stderr.trim()}` };
    }
    let argv: string[] | undefined;
    try {
      const json = JSON.parse(specs.stdout.slice(specs.stdout.indexOf("{")));
      argv = json.kernelspecs?.deno?.spec?.argv;
    } catch {
      return { ok: false, reason: "cannot parse `jupyter kernelspec list --json`" };
    }
    if (!argv) {
      return { ok: false, reason: "the Deno kernel is not installed (run `deno jupyter --install`)" };
    }
    try {
      const info = await Deno.stat(argv[0]);
      if (!info.isFile) throw new Error("not a file");
    } catch {
      return { ok: false, reason: `the Deno kernel's executable ${argv[0]} does not exist`, argv };
    }
    const nbconvert = await run("jupyter", ["nbconvert", "--version"], env);
    if (nbconvert.code !== 0) {
      return { ok: false, reason: `jupyter nbconvert is not available: ${nbconvert.stderr.trim()}` };
    }
    return { ok: true, argv };
  })();
  return kernelStatus;
}

/** The result of {@link executeWithKernel}. */
export interface KernelResult {
  name: string;
  ok: boolean;
  /** 1-based code cell that failed, when it could be identified from nbconvert's report. */
  failedCell?: number;
  error?: string;
  seconds: number;
  outputPath?: string;
}

/**
 * Runs a notebook through the real Deno Jupyter kernel:
 * `jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=1800
 * --ExecutePreprocessor.kernel_name=deno --output-dir <outDir> <path>`; the executed notebook is
 * `<outDir>/<name>.ipynb`. The kernel inherits `MOOLAB_PROFILE` (default quick).
 */
export async function executeWithKernel(
  path: string,
  outDir: string,
  options: { profile?: Profile; timeoutSeconds?: number } = {},
): Promise<KernelResult> {
  const t0 = performance.now();
  const nbPath = resolve(path);
  const name = notebookName(nbPath);
  const seconds = () => (performance.now() - t0) / 1000;
  const status = await kernelAvailable();
  if (!status.ok) {
    return {
      name,
      ok: false,
      error: `notebook ${name}: kernel unavailable: ${status.reason}`,
      seconds: seconds(),
    };
  }
  await mkdir(outDir, { recursive: true });
  const result = await run("jupyter", [
    "nbconvert",
    "--to",
    "notebook",
    "--execute",
    `--ExecutePreprocessor.timeout=${options.timeoutSeconds ?? 1800}`,
    "--ExecutePreprocessor.kernel_name=deno",
    "--output-dir",
    resolve(outDir),
    nbPath,
  ], {
    MOOLAB_PROFILE: options.profile ?? "quick",
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
    NO_COLOR: "1",
  });
  const outputPath = join(outDir, `${name}.ipynb`);
  if (result.code === 0) return { name, ok: true, seconds: seconds(), outputPath };

  // nbconvert reports "An error occurred while executing the following cell:\n------\n<source>\n------\n<error>".
  const stderr = result.stderr.replace(ANSI, "");
  const marker = stderr.lastIndexOf("An error occurred while executing the following cell:");
  let failedCell: number | undefined;
  let detail = stderr.trim().split("\n").slice(-15).join("\n");
  if (marker >= 0) {
    detail = stderr.slice(marker).trim();
    const m = /^-{6,}\n([\s\S]*?)\n-{6,}\n([\s\S]*)$/m.exec(stderr.slice(marker));
    if (m) {
      const failedSource = m[1].trim();
      const nb = await readNotebook(nbPath);
      const code = nb.cells.filter((c) => c.cell_type === "code").map((c) => cellSource(c).trim());
      const index = code.indexOf(failedSource);
      if (index >= 0) failedCell = index + 1;
      const message = m[2].trim().split("\n").filter((l) => l.trim() !== "");
      const head = message[0] ?? "error";
      const rest = message.slice(1).filter((l) => l.trim() !== head.trim()).map((l) => "    " + l.trim());
      detail = [head, `  cell ${failedCell ?? "?"} begins: ${firstLine(failedSource)}`, ...rest].join("\n");
    }
  }
  return {
    name,
    ok: false,
    ...(failedCell !== undefined ? { failedCell } : {}),
    error: `notebook ${name}: ${
      failedCell !== undefined ? `cell ${failedCell} failed` : "failed"
    } (Deno kernel): ${detail}`,
    seconds: seconds(),
  };
}

// ---------------------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------------------

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      full: { type: "boolean", default: false },
      kernel: { type: "boolean", default: false },
      normalize: { type: "boolean", default: false },
      out: { type: "string", default: "out/notebooks" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log("usage: deno run -A tools/notebook.ts [--full] [--kernel] [--out DIR] notebook.ipynb...");
    console.log("       deno run -A tools/notebook.ts --normalize notebook.ipynb|folder...");
    return values.help ? 0 : 2;
  }
  if (values.normalize) {
    for (const arg of positionals) {
      const isDir = (await Deno.stat(arg)).isDirectory;
      for (const path of isDir ? await listNotebooks(arg) : [arg]) {
        if (await normalizeNotebookFile(path)) console.log(`normalized ${path}`);
      }
    }
    return 0;
  }
  const profile: Profile = values.full ? "full" : "quick";
  let failed = 0;
  for (const path of positionals) {
    const r = await executeNotebook(path, { profile, outDir: values.out });
    console.log(
      `${r.ok ? "ok  " : "FAIL"} ${r.name} (${profile}) ${r.cells}/${r.codeCells} cells ${
        r.seconds.toFixed(1)
      }s`,
    );
    if (!r.ok) {
      failed++;
      console.log(r.error);
    }
    if (values.kernel) {
      const k = await executeWithKernel(path, join(values.out, "kernel"), { profile });
      console.log(`${k.ok ? "ok  " : "FAIL"} ${k.name} (Deno kernel) ${k.seconds.toFixed(1)}s`);
      if (!k.ok) {
        failed++;
        console.log(k.error);
      }
    }
  }
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
