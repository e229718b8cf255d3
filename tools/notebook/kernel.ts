/**
 * Running a notebook through the real Deno Jupyter kernel with `jupyter nbconvert --execute`, and checking
 * its outputs against the headless runner's.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { mkdir, rm, writeFile } from "node:fs/promises";
import type { Notebook, Profile } from "./types.ts";
import { ANSI, cellSource, firstLine, notebookName, readNotebook } from "./io.ts";
import { compareOutputs } from "./compare.ts";
import { guardNotebook } from "./kernel_guard.ts";

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
  /** The executed notebook (when nbconvert wrote one). */
  notebook?: Notebook;
  /** With `compareWith`: the differences found by {@link compareOutputs} (empty: the runs agree). */
  differences?: string[];
}

/** Options of {@link executeWithKernel}. */
export interface KernelOptions {
  profile?: Profile;
  timeoutSeconds?: number;
  /**
   * The same notebook as executed by the headless runner: the kernel's outputs must agree with it cell by
   * cell ({@link compareOutputs}), else the result is a failure listing the differences — the way a lost
   * output (issue 11: the Deno kernel can report a cell finished before its result is sent) is caught.
   */
  compareWith?: Notebook;
  /**
   * Send the kernel the guarded copy of the notebook (tools/notebook/kernel_guard.ts), whose outputs the
   * kernel cannot lose; default true. False runs the notebook as a user would, to measure the loss.
   */
  guard?: boolean;
}

/**
 * Runs a notebook through the real Deno Jupyter kernel:
 * `jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=1800
 * --ExecutePreprocessor.kernel_name=deno --output-dir <outDir> <path>`; the executed notebook is
 * `<outDir>/<name>.ipynb` (with the user's cell sources). The kernel inherits `MOOLAB_PROFILE` (default
 * quick). Unless `guard` is false, the kernel runs the guarded copy of the notebook
 * (tools/notebook/kernel_guard.ts), so that the Deno kernel's race between a cell's result and its
 * end (Deno 2.1-2.9.6) cannot drop outputs; with `compareWith`, every cell's outputs are checked against
 * the headless run.
 */
export async function executeWithKernel(
  path: string,
  outDir: string,
  options: KernelOptions = {},
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
  const original = await readNotebook(nbPath);
  const sent = options.guard === false ? original : guardNotebook(original);
  // The guarded copy sits next to the notebook: nbconvert runs the kernel in the input's folder, so
  // relative imports and data paths resolve as for the notebook itself.
  const sentPath = options.guard === false ? nbPath : join(
    dirname(nbPath),
    `.nbkernel-${name.replace(/[^\w.-]/g, "_")}-${crypto.randomUUID().slice(0, 8)}.ipynb`,
  );
  if (sentPath !== nbPath) await writeFile(sentPath, JSON.stringify(sent, null, 1) + "\n");
  let result;
  try {
    result = await run("jupyter", [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      `--ExecutePreprocessor.timeout=${options.timeoutSeconds ?? 1800}`,
      "--ExecutePreprocessor.kernel_name=deno",
      "--output-dir",
      resolve(outDir),
      "--output",
      name,
      sentPath,
    ], {
      MOOLAB_PROFILE: options.profile ?? "quick",
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
      NO_COLOR: "1",
    });
  } finally {
    if (sentPath !== nbPath) await rm(sentPath, { force: true });
  }
  const outputPath = join(outDir, `${name}.ipynb`);
  if (result.code === 0) {
    const notebook = await readNotebook(outputPath);
    if (sent !== original) {
      // Show the user's cells, not the guarded ones.
      notebook.cells.forEach((cell, i) => (cell.source = original.cells[i]?.source ?? cell.source));
      await writeFile(outputPath, JSON.stringify(notebook, null, 1) + "\n");
    }
    if (!options.compareWith) return { name, ok: true, seconds: seconds(), outputPath, notebook };
    const differences = compareOutputs(options.compareWith, notebook);
    return {
      name,
      ok: differences.length === 0,
      ...(differences.length > 0
        ? {
          error: `notebook ${name}: the Deno kernel's outputs differ from the headless run's:\n` +
            differences.map((d) => "  " + d).join("\n"),
        }
        : {}),
      seconds: seconds(),
      outputPath,
      notebook,
      differences,
    };
  }

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
      const code = sent.cells.filter((c) => c.cell_type === "code").map((c) => cellSource(c).trim());
      const index = code.indexOf(failedSource);
      if (index >= 0) failedCell = index + 1;
      const originalSource = original.cells.filter((c) => c.cell_type === "code")[index];
      const message = m[2].trim().split("\n").filter((l) => l.trim() !== "");
      const head = message[0] ?? "error";
      const rest = message.slice(1).filter((l) => l.trim() !== head.trim()).map((l) => "    " + l.trim());
      detail = [
        head,
        `  cell ${failedCell ?? "?"} begins: ${
          firstLine(originalSource ? cellSource(originalSource) : failedSource)
        }`,
        ...rest,
      ].join("\n");
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
