/**
 * The notebook tools' entry point: headless execution of the project's Deno notebooks
 * (`notebooks/*.ipynb`, nbformat 4), runs through the real Deno Jupyter kernel, and normalization.
 * The code is split by concern under tools/notebook/:
 *
 * - `types.ts`: the nbformat shapes; `io.ts`: reading, listing, normalizing notebooks;
 * - `display_rewrite.ts`: the display convention (a cell's final expression is shown);
 * - `headless.ts`: {@link executeNotebook}, the headless runner (its module doc describes how a notebook
 *   is run, what is displayed and what is written);
 * - `kernel.ts`: {@link executeWithKernel}, the run through the Deno kernel with nbconvert, and
 *   `kernel_guard.ts`, the guard against the kernel's lost outputs;
 * - `compare.ts`: cell-by-cell comparison of two executions (a lost output fails);
 * - `html.ts`: executed notebooks as HTML pages with visible figures.
 *
 * ## CLI
 *
 * ```sh
 * deno run -A tools/notebook.ts [--full] [--kernel] [--out DIR] notebook.ipynb...
 * deno run -A tools/notebook.ts --normalize notebook.ipynb|folder...   # see normalizeNotebook
 * ```
 *
 * With `--kernel`, each notebook also runs through the Deno kernel and must give the same outputs as the
 * headless run (tools/notebook/compare.ts).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import type { Profile } from "./notebook/types.ts";
import { executeNotebook } from "./notebook/headless.ts";
import { executeWithKernel } from "./notebook/kernel.ts";
import { listNotebooks, normalizeNotebookFile } from "./notebook/io.ts";

export type { Cell, Notebook, Output, Profile } from "./notebook/types.ts";
export {
  cellSource,
  listNotebooks,
  normalizeNotebook,
  normalizeNotebookFile,
  notebookName,
  readNotebook,
} from "./notebook/io.ts";
export {
  isExpressionStatement,
  type LastStatement,
  lastStatement,
  rewriteDisplay,
} from "./notebook/display_rewrite.ts";
export {
  collapseCarriageReturns,
  executeNotebook,
  type ExecuteOptions,
  figureSlug,
  type NotebookResult,
} from "./notebook/headless.ts";
export {
  executeWithKernel,
  kernelAvailable,
  type KernelOptions,
  type KernelResult,
  type KernelStatus,
} from "./notebook/kernel.ts";
export {
  compareOutputs,
  isNondeterministic,
  NONDETERMINISTIC_TAG,
  normalizeText,
} from "./notebook/compare.ts";
export { guardNotebook } from "./notebook/kernel_guard.ts";

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
      const k = await executeWithKernel(path, join(values.out, "kernel"), {
        profile,
        ...(r.ok ? { compareWith: r.notebook } : {}),
      });
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
