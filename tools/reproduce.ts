/**
 * Re-runs the notebooks and regenerates their figures and HTML pages.
 *
 * ```sh
 * deno task reproduce [--full] [--kernel] [--no-html] [--out DIR] [--notebooks DIR] [notebook names...]
 * ```
 *
 * Runs every notebook in notebooks/ (sorted by name; or only the named ones, with or without `.ipynb`)
 * headlessly with `executeNotebook` (tools/notebook.ts) on the quick profile, or the full one with
 * `--full`. Executed notebooks go to `out/notebooks/<name>.ipynb`, figures to
 * `out/figures/<name>_<figure title>.svg` (`<name>_cell<k>_<i>.svg` without a title), and — where `jupyter nbconvert` is installed, unless `--no-html`
 * — each executed notebook as an HTML page `out/html/<name>.html` with its figures visible, plus
 * `out/html/index.html` linking them. With `--kernel` (or `MOOLAB_KERNEL=1`) each notebook also runs
 * through the real Deno Jupyter kernel (jupyter nbconvert) into `out/kernel/`, and its outputs must match
 * the headless run's cell by cell. A notebook that cannot be read or run is one failed row; the others
 * still run. Prints one line per run and a closing `N passed, N failed`; exits non-zero if any run failed.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { executeNotebook, executeWithKernel, listNotebooks, type Profile } from "./notebook.ts";
import { exportHtml, type IndexEntry, writeIndex } from "./notebook/html.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const USAGE = `usage: deno task reproduce [--full] [--kernel] [--no-html] [--out DIR] [notebook names...]
  --full     run the full profile (MOOLAB_PROFILE=full) instead of quick
  --kernel   also run each notebook through the Deno Jupyter kernel (also: MOOLAB_KERNEL=1)
  --no-html  do not write HTML pages (they need jupyter nbconvert)
  --out DIR  output folder (default: out/)
  --notebooks DIR  the notebooks' folder (default: notebooks/)
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
        notebooks: { type: "string", default: join(ROOT, "notebooks") },
        "no-html": { type: "boolean", default: false },
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

  const all = await listNotebooks(resolve(values.notebooks));
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
  const indent = (text: string) => text.split("\n").map((l) => "     " + l).join("\n");
  const htmlDir = join(out, "html");
  const html = !values["no-html"] && await hasNbconvert();
  const entries: IndexEntry[] = [];
  for (const path of selected) {
    const name = basename(path, ".ipynb");
    let r;
    try {
      r = await executeNotebook(path, {
        profile,
        outDir: join(out, "notebooks"),
        figuresDir: join(out, "figures"),
        timeoutSeconds,
      });
    } catch (e) {
      // executeNotebook reports notebook failures in its result; anything thrown is the runner's own
      // fault (e.g. an unwritable output folder): one failed row, and on to the next notebook.
      failed++;
      console.log(`FAIL ${name.padEnd(width)}  ${profile}  runner error: ${(e as Error).message}`);
      entries.push({ name, ok: false, seconds: 0, figures: [], note: (e as Error).message });
      continue;
    }
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
      console.log(indent(r.error!));
    }
    const entry: IndexEntry = {
      name: r.name,
      ok: r.ok,
      notebook: r.outputPath,
      seconds: r.seconds,
      figures: r.figures,
      ...(r.ok ? {} : { note: r.error!.split("\n")[0] }),
    };
    if (html && r.outputPath) {
      const page = await exportHtml(r.outputPath, htmlDir);
      if (page.ok) entry.page = page.path;
      else console.log(indent(`no HTML page: ${page.error}`));
    }
    entries.push(entry);
    if (kernel && r.codeCells > 0) {
      const k = await executeWithKernel(path, join(out, "kernel"), {
        profile,
        timeoutSeconds,
        ...(r.ok ? { compareWith: r.notebook } : {}),
      });
      console.log(
        `${k.ok ? "ok  " : "FAIL"} ${k.name.padEnd(width)}  kernel  ${k.seconds.toFixed(1).padStart(6)} s`,
      );
      if (k.ok) passed++;
      else {
        failed++;
        console.log(indent(k.error!));
      }
    }
  }
  console.log(`executed notebooks: ${join(out, "notebooks")}${kernel ? `, ${join(out, "kernel")}` : ""}`);
  console.log(`figures: ${join(out, "figures")}`);
  if (html) {
    const index = await writeIndex(htmlDir, entries, `moolab notebooks (${profile} profile)`);
    console.log(`HTML pages: ${index}`);
  } else if (!values["no-html"]) {
    console.log("HTML pages: not written (jupyter nbconvert is not available)");
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** Whether `jupyter nbconvert` runs here. */
async function hasNbconvert(): Promise<boolean> {
  try {
    const out = await new Deno.Command("jupyter", {
      args: ["nbconvert", "--version"],
      env: { PYDEVD_DISABLE_FILE_VALIDATION: "1" },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return out.code === 0;
  } catch {
    return false;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
