/**
 * Re-runs the notebooks and regenerates their figures.
 *
 * ```sh
 * deno task reproduce [--full] [--kernel] [--out DIR] [notebook names...]
 * ```
 *
 * Runs every notebook in notebooks/ (sorted by name; or only the named ones, with or without `.ipynb`)
 * headlessly with `executeNotebook` (tools/notebook.ts) on the quick profile, or the full one with
 * `--full`. Executed notebooks go to `out/notebooks/<name>.ipynb`, figures to
 * `out/figures/<name>_cell<k>_<i>.svg`. With `--kernel` (or `MOOLAB_KERNEL=1`) each notebook also runs
 * through the real Deno Jupyter kernel (jupyter nbconvert) into `out/kernel/`. Prints one line per run
 * and a closing `N passed, N failed`; exits non-zero if any run failed.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { executeNotebook, executeWithKernel, listNotebooks, type Profile } from "./notebook.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const USAGE = `usage: deno task reproduce [--full] [--kernel] [--out DIR] [notebook names...]
  --full     run the full profile (MOOLAB_PROFILE=full) instead of quick
  --kernel   also run each notebook through the Deno Jupyter kernel (also: MOOLAB_KERNEL=1)
  --out DIR  output folder (default: out/)
  --timeout S  seconds a notebook may take (default 1800 quick, 14400 full: the papers' budgets are long)`;

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        full: { type: "boolean", default: false },
        kernel: { type: "boolean", default: false },
        out: { type: "string", default: join(ROOT, "out") },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const profile: Profile = values.full ? "full" : "quick";
  const timeoutSeconds = values.timeout === undefined
    ? (values.full ? 14_400 : 1800)
    : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    console.error(`--timeout must be a positive number of seconds, got ${values.timeout}\n${USAGE}`);
    return 2;
  }
  const kernel = values.kernel || Deno.env.get("MOOLAB_KERNEL") === "1";
  const out = resolve(values.out);

  const all = await listNotebooks(join(ROOT, "notebooks"));
  let selected = all;
  if (positionals.length > 0) {
    const byName = new Map(all.map((p) => [basename(p, ".ipynb"), p]));
    const unknown: string[] = [];
    selected = positionals.flatMap((arg) => {
      const path = byName.get(basename(arg).replace(/\.ipynb$/, ""));
      if (!path) unknown.push(arg);
      return path ? [path] : [];
    });
    if (unknown.length > 0) {
      console.error(
        `unknown notebook(s): ${unknown.join(", ")}; known: ${[...byName.keys()].join(", ") || "none"}`,
      );
      return 2;
    }
  }
  if (selected.length === 0) {
    console.log("no notebooks in notebooks/");
    console.log("0 passed, 0 failed");
    return 0;
  }

  let passed = 0;
  let failed = 0;
  const width = Math.max(...selected.map((p) => basename(p, ".ipynb").length));
  for (const path of selected) {
    const r = await executeNotebook(path, {
      profile,
      outDir: join(out, "notebooks"),
      figuresDir: join(out, "figures"),
      timeoutSeconds,
    });
    const figures = r.figures.length > 0
      ? `, ${r.figures.length} figure${r.figures.length === 1 ? "" : "s"}`
      : "";
    console.log(
      `${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(width)}  ${profile}   ${
        r.seconds.toFixed(1).padStart(6)
      } s  ` +
        `${r.cells}/${r.codeCells} cells${figures}`,
    );
    if (r.ok) passed++;
    else {
      failed++;
      console.log(r.error!.split("\n").map((l) => "     " + l).join("\n"));
    }
    if (kernel) {
      const k = await executeWithKernel(path, join(out, "kernel"), { profile, timeoutSeconds });
      console.log(
        `${k.ok ? "ok  " : "FAIL"} ${k.name.padEnd(width)}  kernel  ${k.seconds.toFixed(1).padStart(6)} s`,
      );
      if (k.ok) passed++;
      else {
        failed++;
        console.log(k.error!.split("\n").map((l) => "     " + l).join("\n"));
      }
    }
  }
  console.log(`executed notebooks: ${join(out, "notebooks")}${kernel ? `, ${join(out, "kernel")}` : ""}`);
  console.log(`figures: ${join(out, "figures")}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
