/**
 * Measures how often the Deno Jupyter kernel loses a cell's output (issue 11, item 2), and whether the
 * runner's guard (tools/notebook/kernel_guard.ts) removes the loss.
 *
 * ```sh
 * deno run -A tools/kernel_probe.ts [--runs 20] [--cells 40] [--no-guard] [--out DIR]
 * ```
 *
 * Writes a probe notebook of `cells` trivial code cells — odd cells end in an expression (`k + 1;`, shown as
 * an `execute_result`), even cells print a line (`console.log(...)`, a `stream`) — runs it `runs` times
 * through `jupyter nbconvert --execute` with the Deno kernel (guarded copy unless `--no-guard`), and counts
 * the cells whose output is missing or wrong. It prints one line per run and the total; exits 1 if any
 * output was lost. This is also the minimal reproduction of the kernel's fault: with `--no-guard`, on a
 * busy machine, some results arrive after the kernel has published `status: idle` for their cell and
 * nbconvert drops them.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { executeWithKernel, kernelAvailable } from "./notebook/kernel.ts";
import type { Cell, Notebook } from "./notebook/types.ts";
import { ANSI } from "./notebook/io.ts";

/** The probe notebook: odd code cells `k + 1;`, even ones `console.log("line k");`. */
export function probeNotebook(cells: number): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
      language_info: { name: "typescript" },
    },
    cells: Array.from({ length: cells }, (_, i): Cell => ({
      cell_type: "code",
      id: `probe-${i + 1}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source: (i + 1) % 2 === 1 ? `${i + 1} + 1;\n` : `console.log("line ${i + 1}");\n`,
    })),
  };
}

/** The 1-based code cells of an executed probe whose output is not exactly the expected one. */
export function lostCells(executed: Notebook): number[] {
  const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v)).replace(ANSI, "");
  return executed.cells.flatMap((cell, i) => {
    const k = i + 1;
    const outs = cell.outputs ?? [];
    const ok = k % 2 === 1
      ? outs.length === 1 && outs[0].output_type === "execute_result" &&
        text(outs[0].data["text/plain"]) === String(k + 1)
      : outs.length === 1 && outs[0].output_type === "stream" && text(outs[0].text) === `line ${k}\n`;
    return ok ? [] : [k];
  });
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      runs: { type: "string", default: "20" },
      cells: { type: "string", default: "40" },
      "no-guard": { type: "boolean", default: false },
      out: { type: "string" },
    },
  });
  const runs = Number(values.runs), cells = Number(values.cells);
  if (!(Number.isInteger(runs) && runs > 0 && Number.isInteger(cells) && cells > 0)) {
    console.error("--runs and --cells must be positive integers");
    return 2;
  }
  const status = await kernelAvailable();
  if (!status.ok) {
    console.error(`the Deno kernel cannot be used: ${status.reason}`);
    return 2;
  }
  const dir = await mkdtemp(join(tmpdir(), "moolab-probe-"));
  const out = values.out ?? join(dir, "out");
  let lost = 0;
  try {
    const path = join(dir, "probe.ipynb");
    await writeFile(path, JSON.stringify(probeNotebook(cells), null, 1));
    for (let r = 1; r <= runs; r++) {
      const k = await executeWithKernel(path, join(out, `run${r}`), { guard: !values["no-guard"] });
      if (!k.notebook) {
        console.log(`run ${r}: kernel run failed: ${k.error}`);
        lost += cells;
        continue;
      }
      const bad = lostCells(k.notebook);
      lost += bad.length;
      console.log(
        `run ${r}: ${bad.length}/${cells} cells lost or wrong${bad.length ? ` (${bad.join(", ")})` : ""}`,
      );
    }
  } finally {
    if (!values.out) await rm(dir, { recursive: true, force: true });
  }
  console.log(
    `kernel ${status.argv?.[0]}, ${values["no-guard"] ? "unguarded" : "guarded"}: ` +
      `${lost}/${runs * cells} outputs lost (${(100 * lost / (runs * cells)).toFixed(2)}%) over ${runs} runs`,
  );
  return lost === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
