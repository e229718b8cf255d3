/**
 * The public surface: the front door (`moolab`, lib/mod.ts) and the subpaths of deno.json's `exports`,
 * mapped one for one in its import map; notebooks that import only through them; test machinery and
 * clashing short names kept out of the front door.
 */
import assert from "node:assert/strict";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const config = JSON.parse(await readFile(join(ROOT, "deno.json"), "utf8")) as {
  exports: Record<string, string>;
  imports: Record<string, string>;
};

Deno.test("every export of deno.json is mapped in its import map to the same file, and exists", async () => {
  const exported = Object.entries(config.exports).map((
    [k, v],
  ) => [k === "." ? "moolab" : `moolab${k.slice(1)}`, v]);
  const mapped = Object.entries(config.imports).filter(([k]) => k === "moolab" || k.startsWith("moolab/"));
  assert.deepEqual(Object.fromEntries(mapped), Object.fromEntries(exported));
  assert.ok(!("moolab/" in config.imports), "a prefix mapping would open every file of lib/");
  for (const [, path] of exported) assert.ok((await stat(join(ROOT, path))).isFile(), `${path} is missing`);
});

Deno.test("notebooks import the library only through moolab and its subpaths", async () => {
  const dir = join(ROOT, "notebooks");
  const names = (await readdir(dir)).filter((f) => f.endsWith(".ipynb")).sort();
  assert.ok(names.length >= 8, `found ${names.length} notebooks`);
  for (const name of names) {
    const nb = JSON.parse(await readFile(join(dir, name), "utf8")) as {
      cells: { cell_type: string; source: string | string[] }[];
    };
    const code = nb.cells.filter((c) => c.cell_type === "code")
      .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source)).join("\n");
    const specifiers = [...code.matchAll(/\bfrom\s+"([^"]+)"|\bimport\s*\(\s*"([^"]+)"/g)].map((m) =>
      m[1] ?? m[2]
    );
    assert.ok(specifiers.some((s) => s === "moolab" || s.startsWith("moolab/")), `${name} imports no moolab`);
    for (const s of specifiers) {
      const pub = s in config.imports || s.startsWith("node:");
      const data = s.startsWith("../data/") && s.endsWith(".json"); // the papers' tables, not library code
      assert.ok(pub || data, `${name} imports ${s}, outside the public surface`);
    }
  }
});

Deno.test("the front door holds no test machinery, no namespace objects and none of the clashing short names", async () => {
  const front = await import("../lib/mod.ts") as Record<string, unknown>;
  const names = Object.keys(front);
  for (const hidden of ["faultSequence", "loopbackHandler", "select", "take", "points", "median", "ask"]) {
    assert.ok(!names.includes(hidden), `lib/mod.ts exports ${hidden}`);
  }
  for (const name of names) {
    const v = front[name];
    const isNamespace = typeof v === "object" && v !== null &&
      Object.prototype.toString.call(v) === "[object Module]";
    assert.ok(!isNamespace, `lib/mod.ts exports the namespace ${name}`);
  }
  // what a first notebook needs is there
  for (
    const needed of [
      "NSGA2",
      "minimize",
      "getProblem",
      "defineProblem",
      "hypervolume",
      "plotFront",
      "runMany",
    ]
  ) {
    assert.ok(names.includes(needed), `lib/mod.ts lacks ${needed}`);
  }
  const testing = await import("../lib/llm/testing.ts");
  assert.equal(typeof testing.faultSequence, "function");
  const llm = await import("../lib/llm/mod.ts") as Record<string, unknown>;
  assert.ok(!("faultSequence" in llm) && !("loopbackHandler" in llm), "moolab/llm exports test machinery");
});
