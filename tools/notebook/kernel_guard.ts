/**
 * A guard against the Deno Jupyter kernel's lost outputs, applied to the copy of a notebook that the runner
 * sends to the kernel (`executeWithKernel`).
 *
 * ## The fault (measured in Deno 2.9.0 and 2.9.6, not in 2.1.14 to 2.8.0)
 *
 * After evaluating a cell, the kernel (cli/tools/jupyter/server.rs, `publish_result`) calls the JavaScript
 * function `broadcastResult(executionCount, value)` (cli/js/40_jupyter.js) without awaiting the promise it
 * returns, sends `execute_reply`, sleeps 5 ms and publishes `status: idle`. `broadcastResult` awaits
 * `format(value)` and then sends `execute_result`; when the JavaScript thread is slow to get there (a
 * loaded machine), `idle` is published first. A Jupyter client takes `idle` as the end of the cell's
 * outputs, so nbclient (nbconvert) and JupyterLab drop the result. Console output goes through another
 * unsynchronised channel (the stdio task, same 5 ms sleep) and is lost the same way. Outputs broadcast
 * by an awaited `Deno.jupyter.display(...)` / `Deno.jupyter.broadcast(...)` inside the cell are late far
 * less often, but were still seen after `idle` in the first cells of a fresh kernel; a short wait at the
 * end of the cell removed that. `tools/kernel_probe.ts` measures the loss, `tools/kernel_order_probe.py`
 * is the minimal reproduction of the message order.
 *
 * ## The guard
 *
 * {@link guardNotebook} rewrites each code cell so that every output is sent by an awaited broadcast
 * inside the cell's own evaluation:
 * - a cell's final expression statement `expr;` becomes
 *   `await globalThis.__moolabKernel.result(k, (expr));`, which broadcasts the `execute_result` the
 *   kernel would have sent (same MIME bundle, from `Deno.jupyter.format`) and leaves `undefined` as the
 *   cell's value, so the kernel sends nothing late;
 * - `console.log/info/debug/warn/error` are replaced (by a prelude at the top of the first code cell) by
 *   functions that broadcast a `stream` message, and every cell ends with
 *   `await globalThis.__moolabKernel.flush();`, which waits for those broadcasts, then {@link SETTLE_MS} ms.
 * Line numbers of the cells are unchanged (the prelude is put on the first line of cell 1), so errors
 * still point at the right lines.
 *
 * Measured with `tools/kernel_probe.ts` (40 cells, 20 runs, Deno 2.9.6, loaded 2-core machine): 42 of 800
 * outputs lost unguarded, 0 of 800 guarded. `console.table`, `console.dir` and the like are not guarded.
 *
 * @module
 */

import type { Notebook } from "./types.ts";
import { isExpressionStatement, lastStatement } from "./display_rewrite.ts";

/**
 * Milliseconds each guarded cell waits at its end after its broadcasts completed. Measured need: without
 * it, even awaited broadcasts of the first cells of a fresh kernel arrived after `idle` (Deno 2.9.6).
 */
export const SETTLE_MS = 30;

/** The prelude that installs `globalThis.__moolabKernel` (idempotent: a re-run of cell 1 keeps the first). */
export const GUARD_PRELUDE = [
  "globalThis.__moolabKernel ??= (() => {",
  "const pending = [];",
  "const text = (args) => args.map((a) => typeof a === 'string' ? a : Deno.inspect(a, { colors: false })).join(' ');",
  "const send = (name) => (...args) => { pending.push(Deno.jupyter.broadcast('stream', { name, text: text(args) + '\\n' })); };",
  "console.log = console.info = console.debug = send('stdout'); console.warn = console.error = send('stderr');",
  "const flush = async () => { while (pending.length > 0) await Promise.all(pending.splice(0));",
  `await new Promise((resolve) => setTimeout(resolve, ${SETTLE_MS})); };`,
  "return { flush, async result(k, value) { await flush(); if (value === undefined) return;",
  "await Deno.jupyter.broadcast('execute_result', { execution_count: k, data: await Deno.jupyter.format(value), metadata: {} }); } };",
  "})();",
].join(" ");

/** A cell with its final expression shown through an awaited broadcast and a flush at its end. */
export function guardCell(src: string, k: number): string {
  const last = lastStatement(src);
  let body = src;
  if (last && isExpressionStatement(src.slice(last.start, last.end))) {
    body = src.slice(0, last.start) +
      `await globalThis.__moolabKernel.result(${k}, (${src.slice(last.start, last.end)}));` +
      src.slice(last.after);
  }
  return body.replace(/\s*$/, "") + "\n;await globalThis.__moolabKernel.flush();\n";
}

/**
 * A copy of a notebook with every code cell guarded ({@link guardCell}) and the prelude at the start of
 * the first code cell; `k` counts code cells from 1, as the kernel's execution count does when the
 * notebook runs top to bottom in a fresh kernel.
 */
export function guardNotebook(nb: Notebook): Notebook {
  const copy: Notebook = structuredClone(nb);
  let k = 0;
  for (const cell of copy.cells) {
    if (cell.cell_type !== "code") continue;
    k++;
    const src = Array.isArray(cell.source) ? cell.source.join("") : cell.source ?? "";
    const guarded = guardCell(src, k);
    cell.source = k === 1 ? `${GUARD_PRELUDE} ${guarded}` : guarded;
  }
  return copy;
}
