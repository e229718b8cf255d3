/**
 * Reading, listing and normalizing nbformat 4 notebooks, and small text helpers shared by the runners.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { basename, join } from "node:path";
import { readFile, writeFile } from "node:fs/promises";
import type { Cell, Notebook } from "./types.ts";

/** ANSI colour and cursor codes. */
// deno-lint-ignore no-control-regex
export const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** A cell's first non-blank line, trimmed and cut to 100 characters. */
export function firstLine(src: string): string {
  const line = src.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 100 ? line.slice(0, 97) + "..." : line.trim();
}

// ---------------------------------------------------------------------------------------------------------
// Reading notebooks
// ---------------------------------------------------------------------------------------------------------

/** A cell's source as one string. */
export function cellSource(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source ?? "";
}

/** What a JSON value is, for error messages ("a number", "null", "a list", ...). */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * Checks that a parsed JSON value is an nbformat 4 notebook as far as the runners rely on it: an object
 * with `nbformat` 4, a `cells` list of objects, each with a `cell_type` string and a `source` that is a
 * string or a list of strings. Returns the problem (naming the cell, 1-based among all cells), or undefined.
 */
export function notebookProblem(nb: unknown): string | undefined {
  if (nb === null || typeof nb !== "object" || Array.isArray(nb)) {
    return `is ${kindOf(nb)}, not a notebook object`;
  }
  const o = nb as Record<string, unknown>;
  if (o.nbformat !== 4) {
    return o.nbformat === undefined
      ? `has no "nbformat" field (only nbformat 4 notebooks are supported)`
      : `is nbformat ${JSON.stringify(o.nbformat)}; only nbformat 4 notebooks are supported`;
  }
  if (!Array.isArray(o.cells)) {
    return o.cells === undefined
      ? `has no "cells" list`
      : `has "cells" that is ${kindOf(o.cells)}, not a list`;
  }
  for (const [i, cell] of o.cells.entries()) {
    if (cell === null || typeof cell !== "object" || Array.isArray(cell)) {
      return `cell ${i + 1} is ${kindOf(cell)}, not an object`;
    }
    const c = cell as Record<string, unknown>;
    if (typeof c.cell_type !== "string") {
      return `cell ${i + 1}: "cell_type" must be a string, not ${kindOf(c.cell_type)}`;
    }
    const src = c.source;
    if (typeof src !== "string" && !(Array.isArray(src) && src.every((line) => typeof line === "string"))) {
      return `cell ${i + 1}: "source" must be a string or a list of strings, not ${kindOf(src)}`;
    }
    if (c.metadata !== undefined && (c.metadata === null || typeof c.metadata !== "object")) {
      return `cell ${i + 1}: "metadata" must be an object, not ${kindOf(c.metadata)}`;
    }
  }
  return undefined;
}

/**
 * Reads and validates an nbformat 4 notebook ({@link notebookProblem}); a bad file is an error whose
 * message names the file and the problem.
 */
export async function readNotebook(path: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new Error(`${path}: cannot read the notebook: ${(e as Error).message}`);
  }
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not a JSON notebook: ${(e as Error).message}`);
  }
  const problem = notebookProblem(nb);
  if (problem) throw new Error(`${path}: ${problem}`);
  const notebook = nb as Notebook;
  notebook.metadata ??= {};
  for (const cell of notebook.cells) cell.metadata ??= {};
  return notebook;
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

/** A valid nbformat 4.5 cell id: 1 to 64 letters, digits, `-` or `_`. */
const CELL_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * A stable id for a cell without one: the first 8 hex digits of the SHA-1 of its type and source (so
 * normalizing the same notebook twice gives the same ids), with `-2`, `-3`, ... for repeats.
 */
function newCellId(cell: Cell, taken: Set<string>): string {
  const base = createHash("sha1").update(`${cell.cell_type}\n${cellSource(cell)}`).digest("hex").slice(0, 8);
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  return id;
}

/**
 * Normalizes a notebook in place; returns whether anything changed:
 * - every non-empty cell's source ends with a newline (stored as a list of lines, as Jupyter does);
 * - every cell has a unique, valid `id` (nbformat 4.5; existing valid ids are kept, others replaced by
 *   stable ones derived from the cell's content), and `nbformat_minor` is at least 5 — without ids,
 *   nbconvert warns on every run and will refuse such notebooks in a future nbformat.
 *
 * Why the newline: `deno fmt --check` (Deno 2.9.6) reports a notebook as "not formatted", with an empty
 * diff, when a markdown cell or a TypeScript code cell does not end with a newline — and `deno fmt` itself
 * writes the cells it reformats without one. Formatting and then normalizing (`deno task nbfmt`) gives
 * notebooks that pass `deno fmt --check` on a fresh clone.
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
  const taken = new Set<string>();
  for (const cell of nb.cells) {
    if (typeof cell.id === "string" && CELL_ID.test(cell.id) && !taken.has(cell.id)) {
      taken.add(cell.id);
      continue;
    }
    cell.id = newCellId(cell, taken);
    taken.add(cell.id);
    changed = true;
  }
  if (!(nb.nbformat_minor >= 5)) {
    nb.nbformat_minor = 5;
    changed = true;
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

export function notebookName(path: string): string {
  return basename(path).replace(/\.ipynb$/, "");
}
