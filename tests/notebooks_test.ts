/**
 * The notebooks in notebooks/ as regression tests — each one run headlessly (tools/notebook.ts, quick
 * profile) and, where jupyter and the Deno kernel are installed, through the real kernel with nbconvert
 * (required when CI=true) — plus tests of the runner itself on tests/fixtures/*.ipynb.
 *
 * Executed notebooks go to out/test/.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import {
  collapseCarriageReturns,
  compareOutputs,
  executeNotebook,
  executeWithKernel,
  figureSlug,
  guardNotebook,
  kernelAvailable,
  lastStatement,
  listNotebooks,
  normalizeNotebook,
  type Notebook,
  type Output,
  readNotebook,
  rewriteDisplay,
} from "../tools/notebook.ts";
import { exportHtml, indexHtml } from "../tools/notebook/html.ts";
import { decodePng, type Image, inkInBox } from "./fixtures/png.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NOTEBOOKS = join(ROOT, "notebooks");
const FIXTURES = join(ROOT, "tests", "fixtures");
const OUT = join(ROOT, "out", "test");
const IN_CI = Deno.env.get("CI") === "true";

function codeOutputs(nb: Notebook): Output[][] {
  return nb.cells.filter((c) => c.cell_type === "code").map((c) => c.outputs ?? []);
}

function streamText(outputs: Output[], name: "stdout" | "stderr"): string {
  return outputs.flatMap((o) => o.output_type === "stream" && o.name === name ? [o.text] : []).join("");
}

function multiline(value: unknown): string {
  return Array.isArray(value) ? value.join("") : String(value);
}

/** The kernel's availability; in CI its absence is an error, elsewhere the caller skips. */
async function requireKernel(): Promise<boolean> {
  const status = await kernelAvailable();
  if (status.ok) return true;
  if (IN_CI) throw new Error(`CI=true but the Deno Jupyter kernel cannot be used: ${status.reason}`);
  console.log(`note: skipping runs through the Deno Jupyter kernel: ${status.reason}`);
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// The project's notebooks
// ---------------------------------------------------------------------------------------------------------

// The headless runs, kept for the kernel test to compare with (it runs a notebook headlessly itself when
// the headless test did not, e.g. under --filter).
const headlessRuns = new Map<string, Notebook>();

Deno.test("notebooks/*.ipynb run headlessly (quick profile)", async (t) => {
  const notebooks = await listNotebooks(NOTEBOOKS);
  if (notebooks.length === 0) console.log("note: notebooks/ has no notebooks yet");
  for (const path of notebooks) {
    await t.step(path.slice(NOTEBOOKS.length + 1), async () => {
      const r = await executeNotebook(path, { profile: "quick", outDir: join(OUT, "headless") });
      assert.ok(r.ok, r.error);
      assert.equal(r.cells, r.codeCells);
      headlessRuns.set(path, r.notebook);
    });
  }
});

Deno.test("notebooks/*.ipynb run in the Deno Jupyter kernel with the same outputs (quick profile)", async (t) => {
  if (!await requireKernel()) return;
  const notebooks = await listNotebooks(NOTEBOOKS);
  if (notebooks.length === 0) console.log("note: notebooks/ has no notebooks yet");
  for (const path of notebooks) {
    await t.step(path.slice(NOTEBOOKS.length + 1), async () => {
      let headless = headlessRuns.get(path);
      if (!headless) {
        const h = await executeNotebook(path, { profile: "quick" });
        assert.ok(h.ok, h.error);
        headless = h.notebook;
      }
      // Every cell's outputs must match the headless run's: a lost output fails here.
      const r = await executeWithKernel(path, join(OUT, "kernel"), {
        profile: "quick",
        compareWith: headless,
      });
      assert.ok(r.ok, r.error);
    });
  }
});

Deno.test("notebooks have the Deno kernelspec and TypeScript language_info", async () => {
  for (const path of [...await listNotebooks(NOTEBOOKS), ...await listNotebooks(FIXTURES)]) {
    const nb = await readNotebook(path);
    const spec = nb.metadata.kernelspec as Record<string, unknown> | undefined;
    assert.deepEqual(
      { name: spec?.name, display_name: spec?.display_name, language: spec?.language },
      { name: "deno", display_name: "Deno", language: "typescript" },
      path,
    );
    assert.equal(
      (nb.metadata.language_info as Record<string, unknown> | undefined)?.name,
      "typescript",
      path,
    );
  }
});

Deno.test("notebook cells end with a newline (else `deno fmt --check` fails; fix: `deno task nbfmt`)", async () => {
  for (const path of [...await listNotebooks(NOTEBOOKS), ...await listNotebooks(FIXTURES)]) {
    const nb = await readNotebook(path);
    const bad = nb.cells.flatMap((cell, i) => {
      const src = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      return src !== "" && !src.endsWith("\n") ? [i + 1] : [];
    });
    assert.deepEqual(
      bad,
      [],
      `${path}: cells ${bad.join(", ")} do not end with a newline; run \`deno task nbfmt\``,
    );
  }
});

// ---------------------------------------------------------------------------------------------------------
// The runner
// ---------------------------------------------------------------------------------------------------------

Deno.test("runner: finds a cell's last statement", () => {
  const last = (src: string) => {
    const s = lastStatement(src);
    return s && src.slice(s.start, s.end);
  };
  assert.equal(last("const a = 1;\na;"), "a");
  assert.equal(last("const a = 1\na"), "a");
  assert.equal(last("f(\n  1,\n  2,\n);\n// done\n"), "f(\n  1,\n  2,\n)");
  assert.equal(last("const o = {\n  a: 1,\n};\no\n  .a;"), "o\n  .a");
  assert.equal(last("const t = `x;\n${`y;`}`;\nt.length"), "t.length");
  assert.equal(last("const r = /[;}]/g;\n'a;b'.split(r)"), "'a;b'.split(r)");
  assert.equal(last("function f() {\n  return 1;\n}\nf()"), "f()");
  assert.equal(last("x = 1 / 2 / 3; y"), "y");
  assert.equal(last("/* a; */ x /* b; */"), "x");
  assert.equal(last("// nothing"), undefined);
  assert.equal(last("f(;"), undefined);
  assert.equal(last("'unterminated"), undefined);
});

Deno.test("runner: rewrites only final expression statements for display", () => {
  assert.equal(rewriteDisplay("const a = 1;\na;", 2), "const a = 1;\nawait globalThis.__nb.display(2, (a));");
  assert.equal(
    rewriteDisplay("a + 1 // shown\n", 1),
    "await globalThis.__nb.display(1, (a + 1)); // shown\n",
  );
  assert.equal(
    rewriteDisplay("plot({\n  x: 1,\n});", 3),
    "await globalThis.__nb.display(3, (plot({\n  x: 1,\n})));",
  );
  for (
    const src of [
      "const a = 1;",
      "let b = 2",
      "function f() {}",
      "class C {}",
      'import { x } from "./x.ts";',
      "export const e = 1;",
      "if (a) {\n  b();\n}",
      "for (const x of xs) f(x);",
      "while (false) {}",
      "try {\n  f();\n} catch {\n  g();\n}",
      "throw new Error()",
      "type T = number;",
      "interface I {\n  a: number;\n}",
      "enum E { A }",
      "{\n  f();\n}",
      "",
      "// comment only",
    ]
  ) {
    assert.equal(rewriteDisplay(src, 1), undefined, src);
  }
});

Deno.test("runner: keeps only the text after the last carriage return of a line", () => {
  assert.equal(collapseCarriageReturns("a\rb\rc\nd\r\ne\r"), "c\nd\n");
  assert.equal(collapseCarriageReturns("10%\r20%\r100%\ndone\n"), "100%\ndone\n");
});

Deno.test("compare: a lost or changed output is reported by cell, a nondeterministic cell only by kind", () => {
  const nb = (cells: Output[][], tags: string[][] = []): Notebook => ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map((outputs, i) => ({
      cell_type: "code",
      source: "",
      metadata: tags[i] ? { tags: tags[i] } : {},
      execution_count: i + 1,
      outputs,
    })),
  });
  const result = (text: string): Output => ({
    output_type: "execute_result",
    execution_count: 1,
    data: { "text/plain": text },
    metadata: {},
  });
  const out = (name: "stdout" | "stderr", text: string): Output => ({ output_type: "stream", name, text });
  const headless = nb([[result("18")], [out("stdout", "a\nb\n")], [result("took 1.2 s")]], [[], [], [
    "nondeterministic",
  ]]);
  // Same outputs, with the kernel's ANSI colours and stream chunks: no difference.
  assert.deepEqual(
    compareOutputs(
      headless,
      nb([[result("\x1b[33m18\x1b[39m")], [out("stdout", "a\n"), out("stdout", "b\n")], [
        result("took 3.4 s"),
      ]]),
    ),
    [],
  );
  // Durations are masked in any cell.
  assert.deepEqual(
    compareOutputs(
      nb([[result("ran in 1.25 s, 340 ms per call")]]),
      nb([[result("ran in 2 s, 12 ms per call")]]),
    ),
    [],
  );
  // So are loopback ports and temporary folders.
  assert.deepEqual(
    compareOutputs(
      nb([[result("server at http://127.0.0.1:35251/v1, cache /tmp/moolab-02-487d9 (auto)")]]),
      nb([[result("server at http://127.0.0.1:42263/v1, cache /tmp/moolab-02-2ca6b (auto)")]]),
    ),
    [],
  );
  // A lost result, a lost line, a changed value.
  assert.deepEqual(compareOutputs(headless, nb([[], [out("stdout", "a\n")], [result("x")]])), [
    "cell 1: outputs differ: headless execute_result (text/plain); kernel none",
    'cell 2: stdout differs at character 1: "a\\nb" vs "a"',
  ]);
  assert.match(
    compareOutputs(headless, nb([[result("19")], [out("stdout", "a\nb\n")], []]))[0],
    /^cell 1: output 1 \(text\/plain\) differs/,
  );
  assert.match(
    compareOutputs(headless, nb([[result("18")], [out("stdout", "a\nb\n")], []]))[0],
    /^cell 3: outputs differ/,
  );
});

Deno.test("kernel guard: final expressions and console output go through awaited broadcasts", () => {
  const guarded = guardNotebook({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", source: "# t\n", metadata: {} },
      { cell_type: "code", source: 'import { x } from "./x.ts";\nx + 1;\n', metadata: {} },
      { cell_type: "code", source: ["const a = 1;\n"], metadata: {} },
    ],
  });
  const [md, c1, c2] = guarded.cells.map((c) => Array.isArray(c.source) ? c.source.join("") : c.source);
  assert.equal(md, "# t\n");
  // The prelude shares line 1 with the cell's first line: line numbers are unchanged.
  assert.match(c1, /^globalThis\.__moolabKernel \?\?= .* import \{ x \} from "\.\/x\.ts";\n/);
  assert.match(
    c1,
    /\nawait globalThis\.__moolabKernel\.result\(1, \(x \+ 1\)\);\n;await globalThis\.__moolabKernel\.flush\(\);\n$/,
  );
  assert.equal(c2, "const a = 1;\n;await globalThis.__moolabKernel.flush();\n");
});

Deno.test("runner: a notebook that succeeds", async () => {
  const outDir = join(OUT, "fixtures");
  const r = await executeNotebook(join(FIXTURES, "good.ipynb"), { outDir });
  assert.ok(r.ok, r.error);
  assert.equal(r.failedCell, undefined);
  assert.equal(r.cells, 6);
  assert.equal(r.codeCells, 6);
  assert.equal(r.cellSeconds.length, 6);

  // The executed notebook on disk is the one returned.
  assert.equal(r.outputPath, join(outDir, "good.ipynb"));
  const written: Notebook = JSON.parse(await readFile(r.outputPath!, "utf8"));
  assert.deepEqual(written, r.notebook);
  assert.equal((written.metadata.kernelspec as { name: string }).name, "deno");
  const code = written.cells.filter((c) => c.cell_type === "code");
  assert.deepEqual(code.map((c) => c.execution_count), [1, 2, 3, 4, 5, 6]);
  const outs = codeOutputs(written);

  // Cell 1: relative imports resolve from the notebook's folder; console output is captured; quick profile.
  assert.equal(streamText(outs[0], "stdout"), "profile: quick\n");
  // Cell 2: state from cell 1, top-level await, stderr, \r progress lines collapsed; a raw Deno.stdout
  // write is not notebook output (in the kernel it goes to the kernel process's stdout).
  assert.equal(streamText(outs[1], "stderr"), "a warning on stderr\n");
  assert.equal(streamText(outs[1], "stdout"), "total computed\nstep 3/3 done\n");
  assert.ok(outs[1].every((o) => o.output_type === "stream"));
  // Cell 3: the final expression `triple(total);` is displayed (a trailing ";" does not hide it).
  assert.deepEqual(outs[2], [{
    output_type: "execute_result",
    execution_count: 3,
    data: { "text/plain": "18" },
    metadata: {},
  }]);
  // Cell 4: Symbol.for("Jupyter.display") -> image/svg+xml, also written as a figure.
  const fig = outs[3][0];
  assert.equal(fig.output_type, "execute_result");
  assert.ok(fig.output_type === "execute_result" && multiline(fig.data["image/svg+xml"]).startsWith("<svg"));
  assert.deepEqual(r.figures, [join(outDir, "figures", "good_cell4_1.svg")]);
  assert.match(await readFile(r.figures[0], "utf8"), /^<svg [^>]*><circle /);
  // Cell 5: a multi-line final expression.
  assert.deepEqual(outs[4], [{
    output_type: "execute_result",
    execution_count: 5,
    data: { "text/plain": "{ sum: 6, n: 3 }" },
    metadata: {},
  }]);
  // Cell 6: Deno.jupyter.display(); a cell ending in a declaration shows nothing else.
  assert.deepEqual(outs[5], [{
    output_type: "display_data",
    data: { "text/markdown": "**shown with Deno.jupyter.display**" },
    metadata: {},
  }]);
});

Deno.test("runner: the profile reaches the notebook", async () => {
  const r = await executeNotebook(join(FIXTURES, "good.ipynb"), { profile: "full" });
  assert.ok(r.ok, r.error);
  assert.equal(streamText(codeOutputs(r.notebook)[0], "stdout"), "profile: full\n");
  assert.equal(r.outputPath, undefined);
});

Deno.test("runner: a failing notebook names the failing cell", async () => {
  const r = await executeNotebook(join(FIXTURES, "failing.ipynb"), { outDir: join(OUT, "fixtures") });
  assert.equal(r.ok, false);
  assert.equal(r.failedCell, 3);
  assert.equal(r.cells, 2);
  assert.match(r.error!, /^notebook failing: cell 3 failed: Error: deliberate failure\n/);
  assert.match(r.error!, /cell 3 begins: function explode\(\): never \{/);
  assert.match(r.error!, /at cell 3, line 2: throw new Error\("deliberate failure"\);/);
  assert.match(r.error!, /at explode \(failing\.ipynb cell 3, line 2:9\)/);
  const code = r.notebook.cells.filter((c) => c.cell_type === "code");
  assert.deepEqual(code.map((c) => c.execution_count), [1, 2, 3, null]);
  assert.equal(streamText(code[1].outputs!, "stdout"), "before the failure 1\n");
  assert.deepEqual(code[2].outputs!.map((o) => o.output_type), ["error"]);
  assert.deepEqual(code[3].outputs, []);
  // No generated program is left next to the notebook.
  assert.deepEqual((await readdir(FIXTURES)).filter((f) => f.startsWith(".nbrun-")), []);
});

Deno.test("runner: errors before the first cell runs are located in their cell", async () => {
  const dir = await mkdtemp(join(tmpdir(), "moolab-nbtest-"));
  try {
    const write = (name: string, cells: string[]) =>
      writeFile(
        join(dir, name),
        JSON.stringify({
          nbformat: 4,
          nbformat_minor: 5,
          metadata: {},
          cells: cells.map((source) => ({
            cell_type: "code",
            metadata: {},
            outputs: [],
            execution_count: null,
            source,
          })),
        }),
      );
    await write("syntax.ipynb", ["const a = 1;", "const = ;", "a"]);
    await write("missing.ipynb", ["const a = 1;", 'import { x } from "./nope.ts";\nx;']);
    await write("exits.ipynb", ["console.log(1);", "Deno.exit(3);", "2"]);
    await write("empty.ipynb", []);

    const syntax = await executeNotebook(join(dir, "syntax.ipynb"));
    assert.equal(syntax.failedCell, 2, syntax.error);
    assert.match(syntax.error!, /^notebook syntax: cell 2 failed: SyntaxError/);
    const missing = await executeNotebook(join(dir, "missing.ipynb"));
    assert.equal(missing.failedCell, 2, missing.error);
    assert.match(missing.error!, /^notebook missing: cell 2 failed: Module not found/);
    const exits = await executeNotebook(join(dir, "exits.ipynb"));
    assert.equal(exits.failedCell, 2, exits.error);
    assert.match(exits.error!, /exited with code 3/);
    const empty = await executeNotebook(join(dir, "empty.ipynb"));
    assert.ok(empty.ok, empty.error);
    assert.equal(empty.cells, 0);
    assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith(".nbrun-")), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

Deno.test("runner: the Deno kernel agrees with the headless runner on the fixtures", async () => {
  if (!await requireKernel()) return;
  const outDir = join(OUT, "fixtures-kernel");
  const good = await executeWithKernel(join(FIXTURES, "good.ipynb"), outDir);
  assert.ok(good.ok, good.error);
  const headless = await executeNotebook(join(FIXTURES, "good.ipynb"));
  // Same outputs cell by cell: kinds, MIME types, texts (the display convention matches the kernel's).
  assert.deepEqual(compareOutputs(headless.notebook, good.notebook!), []);
  const written: Notebook = JSON.parse(await readFile(good.outputPath!, "utf8"));
  // The executed notebook shows the user's cells, not the guarded copy the kernel ran.
  assert.deepEqual(
    written.cells.map((c) => c.source),
    (await readNotebook(join(FIXTURES, "good.ipynb"))).cells.map((c) => c.source),
  );

  const failing = await executeWithKernel(join(FIXTURES, "failing.ipynb"), outDir);
  assert.equal(failing.ok, false);
  assert.equal(failing.failedCell, 3, failing.error);
  assert.match(failing.error!, /^notebook failing: cell 3 failed \(Deno kernel\): Error: deliberate failure/);
});

// ---------------------------------------------------------------------------------------------------------
// Runner faults (issue 16, item 8)
// ---------------------------------------------------------------------------------------------------------

async function withNotebooks(
  notebooks: Record<string, unknown>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "moolab-nbfault-"));
  try {
    for (const [name, nb] of Object.entries(notebooks)) {
      await writeFile(join(dir, name), typeof nb === "string" ? nb : JSON.stringify(nb));
    }
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function codeNotebook(sources: string[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: sources.map((source, i) => ({
      cell_type: "code",
      id: `c${i + 1}`,
      metadata: {},
      outputs: [],
      execution_count: null,
      source,
    })),
  };
}

Deno.test("runner: an unhandled rejection is attributed to the cell that raised it", async () => {
  await withNotebooks({
    "reject.ipynb": codeNotebook([
      "const a = 1;",
      'Promise.reject(new Error("rejected in cell 2"));\nconst b = 2;',
      'console.log("cell 3 ran");',
      "a + b;",
    ]),
  }, async (dir) => {
    const r = await executeNotebook(join(dir, "reject.ipynb"));
    assert.equal(r.ok, false);
    assert.equal(r.failedCell, 2, r.error);
    assert.match(r.error!, /^notebook reject: cell 2 failed: Error: rejected in cell 2/);
    const code = codeOutputs(r.notebook);
    assert.deepEqual(code[1].map((o) => o.output_type), ["error"]);
    assert.deepEqual(code[2], []);
  });
});

Deno.test("runner: a malformed notebook fails with a clear message, no stack trace", async () => {
  const cell = { cell_type: "code", metadata: {}, outputs: [], execution_count: null };
  await withNotebooks({
    "numeric_source.ipynb": {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ ...cell, source: 42 }],
    },
    "no_cells.ipynb": { nbformat: 4, nbformat_minor: 5, metadata: {} },
    "v3.ipynb": { nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] },
    "not_json.ipynb": "{ nbformat: 4",
    "bad_cell.ipynb": { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [null] },
  }, async (dir) => {
    const expected: Record<string, RegExp> = {
      numeric_source: /cell 1: "source" must be a string or a list of strings, not a number/,
      no_cells: /has no "cells" list/,
      v3: /nbformat 3; only nbformat 4/,
      not_json: /not a JSON notebook/,
      bad_cell: /cell 1 is null, not an object/,
    };
    for (const [name, pattern] of Object.entries(expected)) {
      const r = await executeNotebook(join(dir, `${name}.ipynb`));
      assert.equal(r.ok, false, name);
      assert.match(r.error!, new RegExp(`^notebook ${name}: `), r.error);
      assert.match(r.error!, pattern, r.error);
      assert.doesNotMatch(r.error!, /\n\s+at /, `no stack trace: ${r.error}`);
      await assert.rejects(readNotebook(join(dir, `${name}.ipynb`)), pattern);
    }
    const noCells = await executeNotebook(join(dir, "no_cells.ipynb"));
    assert.doesNotMatch(noCells.error!, /nbformat=4/);
  });
});

Deno.test("reproduce: a malformed notebook is one failed row and the others still run", async () => {
  await withNotebooks({
    "a_bad.ipynb": {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: "code", source: 42 }],
    },
    "b_good.ipynb": codeNotebook(['console.log("b ran");']),
  }, async (dir) => {
    const out = join(dir, "out");
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(ROOT, "tools", "reproduce.ts"), "--notebooks", dir, "--out", out],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(child.stdout);
    const stderr = new TextDecoder().decode(child.stderr);
    assert.equal(child.code, 1, stdout + stderr);
    assert.match(stdout, /^FAIL a_bad .*\n.*cell 1: "source" must be a string/m);
    assert.match(stdout, /^ok +b_good /m);
    assert.match(stdout, /1 passed, 1 failed/);
    assert.doesNotMatch(stdout + stderr, /\n\s+at /);
    if (/^HTML pages: .*index\.html$/m.test(stdout)) {
      // The index page lists both, links the good one's page, and says why the bad one failed.
      const index = await readFile(join(out, "html", "index.html"), "utf8");
      assert.match(index, /<a href="b_good\.html">b_good<\/a><\/td><td class="ok">ok/);
      assert.match(index, /<td>a_bad<\/td><td class="fail">FAIL<\/td>.*&quot;source&quot; must be a string/);
      assert.match(await readFile(join(out, "html", "b_good.html"), "utf8"), /b ran/);
    } else {
      assert.match(stdout, /HTML pages: not written/);
    }
  });
});

Deno.test("runner: the notebook's process dies with the runner", async () => {
  await withNotebooks({
    "sleeps.ipynb": codeNotebook([
      'await Deno.writeTextFile("pid.txt", String(Deno.pid));',
      "await new Promise((resolve) => setTimeout(resolve, 60_000));",
    ]),
  }, async (dir) => {
    const runner = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        join(ROOT, "tools", "notebook.ts"),
        "--out",
        join(dir, "out"),
        join(dir, "sleeps.ipynb"),
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const alive = async (pid: number) =>
      (await new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" }).output()).code === 0;
    let pid = 0;
    for (let i = 0; i < 300 && pid === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      pid = Number(await readFile(join(dir, "pid.txt"), "utf8").catch(() => "0"));
    }
    assert.ok(pid > 0, "the notebook did not start within 30 s");
    runner.kill("SIGKILL");
    await runner.status;
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      await new Promise((r) => setTimeout(r, 100));
      gone = !await alive(pid);
    }
    if (!gone) Deno.kill(pid, "SIGKILL");
    assert.ok(gone, "the notebook's process outlived the runner by 10 s");
  });
});

// ---------------------------------------------------------------------------------------------------------
// HTML pages (issue 11, item 3)
// ---------------------------------------------------------------------------------------------------------

/** Whether headless Chromium and nbconvert are here; in CI their absence is an error. */
async function requireBrowser(): Promise<boolean> {
  const ok = async (cmd: string, args: string[]) => {
    try {
      return (await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output()).code === 0;
    } catch {
      return false;
    }
  };
  const missing = [
    ...(await ok("chromium", ["--version"]) ? [] : ["chromium"]),
    ...(await ok("jupyter", ["nbconvert", "--version"]) ? [] : ["jupyter nbconvert"]),
  ];
  if (missing.length === 0) return true;
  if (IN_CI) throw new Error(`CI=true but ${missing.join(" and ")} cannot be run`);
  console.log(`note: skipping the HTML page test: ${missing.join(" and ")} not available`);
  return false;
}

/** A screenshot of `page` in headless Chromium (bounded to 90 s), decoded. */
async function screenshot(page: string, dir: string, size = [800, 600]): Promise<Image> {
  const png = join(dir, `shot-${crypto.randomUUID().slice(0, 8)}.png`);
  const child = new Deno.Command("chromium", {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--hide-scrollbars",
      `--user-data-dir=${join(dir, "chromium-profile")}`,
      `--window-size=${size[0]},${size[1]}`,
      `--screenshot=${png}`,
      pathToFileURL(page).href,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  const out = await child.output();
  clearTimeout(timer);
  const bytes = await readFile(png).catch(() => undefined);
  assert.ok(
    bytes,
    `chromium wrote no screenshot (exit ${out.code}): ${new TextDecoder().decode(out.stderr)}`,
  );
  return decodePng(bytes);
}

/** The page with everything hidden but its figures, pinned to the top-left corner. */
async function figureOnly(page: string, to: string): Promise<void> {
  const html = await readFile(page, "utf8");
  const style = "<style>body { visibility: hidden; margin: 0; } .jp-RenderedSVG { visibility: visible; " +
    "position: fixed; top: 0; left: 0; margin: 0; padding: 0; background: white; }</style>";
  await writeFile(to, html.replace("</head>", `${style}</head>`));
}

Deno.test("html: an exported page shows its figure in headless Chromium", async () => {
  if (!await requireBrowser()) return;
  const dir = await mkdtemp(join(tmpdir(), "moolab-html-"));
  try {
    const r = await executeNotebook(join(FIXTURES, "figure.ipynb"), { outDir: join(dir, "nb") });
    assert.ok(r.ok, r.error);
    // The figure is named for its title.
    assert.deepEqual(r.figures, [join(dir, "nb", "figures", "figure_fixture-front.svg")]);
    const page = await exportHtml(r.outputPath!, join(dir, "html"));
    assert.ok(page.ok, page.error);
    const html = await readFile(page.path!, "utf8");
    // The figure's SVG keeps its children (nbconvert's default clean_html would empty it).
    assert.match(html, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*><rect /);
    await figureOnly(page.path!, join(dir, "figure.html"));
    const shot = await screenshot(join(dir, "figure.html"), dir);
    const box = { x: 0, y: 0, width: 560, height: 400 }; // plotFront's default size
    const seen = inkInBox(shot, box);
    assert.ok(
      seen.ink > 0.005 * seen.pixels && seen.colours > 8,
      `figure box looks blank: ${JSON.stringify(seen)}`,
    );

    // Control: the same notebook through nbconvert's default filter gives an empty box, which this check sees.
    const blank = await new Deno.Command("jupyter", {
      args: [
        "nbconvert",
        "--to",
        "html",
        "--output",
        "default",
        "--output-dir",
        join(dir, "html"),
        r.outputPath!,
      ],
      env: { PYDEVD_DISABLE_FILE_VALIDATION: "1" },
      stdout: "null",
      stderr: "null",
    }).output();
    assert.equal(blank.code, 0);
    await figureOnly(join(dir, "html", "default.html"), join(dir, "default-figure.html"));
    const control = inkInBox(await screenshot(join(dir, "default-figure.html"), dir), box);
    assert.ok(
      control.ink < 0.005 * control.pixels,
      `the control should be blank: ${JSON.stringify(control)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

Deno.test("figures are named for their title", () => {
  assert.equal(
    figureSlug('<svg xmlns="x" role="img" aria-label="Figure 1 — LogPai: cost &amp; accuracy">'),
    "figure-1-logpai-cost-accuracy",
  );
  assert.equal(figureSlug('<svg xmlns="x"><title>Pareté front</title></svg>'), "parete-front");
  assert.equal(figureSlug('<svg xmlns="x"><circle/></svg>'), undefined);
  assert.equal(figureSlug(`<svg aria-label="${"x".repeat(100)}">`)!.length, 60);
});

Deno.test("html: the index page links every notebook", () => {
  const html = indexHtml(
    [
      {
        name: "00_a",
        ok: true,
        page: "/o/html/00_a.html",
        notebook: "/o/notebooks/00_a.ipynb",
        seconds: 1.25,
        figures: ["/o/figures/00_a_front.svg"],
      },
      {
        name: "01_b",
        ok: false,
        notebook: "/o/notebooks/01_b.ipynb",
        seconds: 0,
        figures: [],
        note: "notebook 01_b: cell 2 failed: <boom>",
      },
    ],
    "/o/html",
    "notebooks",
  );
  assert.match(html, /<a href="00_a\.html">00_a<\/a><\/td><td class="ok">ok<\/td><td class="num">1\.3 s/);
  assert.match(html, /<a href="\.\.\/figures\/00_a_front\.svg">00_a_front\.svg<\/a>/);
  assert.match(html, /<td>01_b<\/td><td class="fail">FAIL<\/td>/);
  assert.match(html, /cell 2 failed: &lt;boom&gt;/);
});

Deno.test("normalize: stable unique cell ids and nbformat 4.5", () => {
  const nb = (): Notebook => ({
    nbformat: 4,
    nbformat_minor: 4,
    metadata: {},
    cells: [
      { cell_type: "markdown", source: "# title", metadata: {} },
      { cell_type: "code", source: ["1 + 1;\n"], metadata: {}, outputs: [], execution_count: null },
      { cell_type: "code", source: ["1 + 1;\n"], metadata: {}, outputs: [], execution_count: null },
      { cell_type: "code", source: "x;\n", metadata: {}, id: "keep-me", outputs: [], execution_count: null },
      { cell_type: "code", source: "y;\n", metadata: {}, id: "keep-me", outputs: [], execution_count: null },
    ],
  });
  const a = nb(), b = nb();
  assert.equal(normalizeNotebook(a), true);
  normalizeNotebook(b);
  const ids = a.cells.map((c) => c.id!);
  assert.deepEqual(ids, b.cells.map((c) => c.id)); // same notebook, same ids
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-zA-Z0-9_-]{1,64}$/);
  assert.equal(ids[3], "keep-me");
  assert.equal(ids[2], `${ids[1]}-2`);
  assert.equal(a.nbformat_minor, 5);
  assert.deepEqual(a.cells[0].source, ["# title\n"]);
  assert.equal(normalizeNotebook(a), false); // idempotent
});

Deno.test("notebooks 00 and 06 and the fixtures have cell ids (nbformat 4.5)", async () => {
  const paths = [
    join(NOTEBOOKS, "00_quickstart.ipynb"),
    join(NOTEBOOKS, "06_llm_layer.ipynb"),
    ...await listNotebooks(FIXTURES),
  ];
  for (const path of paths) {
    const nb = await readNotebook(path);
    assert.ok(nb.nbformat_minor >= 5, path);
    const ids = nb.cells.map((c) => c.id);
    assert.ok(ids.every((id) => typeof id === "string" && /^[a-zA-Z0-9_-]{1,64}$/.test(id)), path);
    assert.equal(new Set(ids).size, ids.length, path);
  }
});
