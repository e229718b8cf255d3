import assert from "node:assert/strict";
import { isNumeric, note, num, Table } from "../lib/experiment/table.ts";

Deno.test("num: readable numbers, thousands separators, no raw exponent", () => {
  assert.equal(num(0.852427849452876), "0.8524");
  assert.equal(num(10000), "10,000");
  assert.equal(num(25100), "25,100");
  assert.equal(num(1234.5678), "1,235");
  assert.equal(num(12.5), "12.5");
  assert.equal(num(-0.00012345), "-1.23×10⁻⁴");
  assert.equal(num(3.2e12), "3.2×10¹²");
  assert.equal(num(0), "0");
  assert.equal(num(NaN), "NaN");
  assert.equal(num(-Infinity), "−∞");
  assert.equal(num(0.1 + 0.2), "0.3");
  assert.equal(num(0.86935, 5), "0.86935");
});

Deno.test("Table: text left, numbers right, numbers formatted, no object dumps, long text wraps", () => {
  const t = new Table(["indicator", "value"], [
    ["HV, raw", 0.852427849452876],
    ["evaluations", 10000],
    ["a long prompt line ".repeat(20).trim(), "25,100"],
  ], { title: "T" });
  assert.deepEqual(t.rows.map((r) => r[1]), ["0.8524", "10,000", "25,100"]);
  assert.equal(t.numericColumn(0), false);
  assert.equal(t.numericColumn(1), true);
  const html = t.toHTML();
  assert.match(
    html,
    /<td style="text-align: left; white-space: pre-wrap; overflow-wrap: anywhere[^"]*">HV, raw<\/td>/,
  );
  assert.match(html, /<td style="text-align: right;[^"]*">0\.8524<\/td>/);
  assert.match(t.toMarkdown(), /\| :--- \| ---: \|/);
  assert.match(t.toString(), /^evaluations {8,}10,000$/m);
  assert.throws(
    () => new Table(["a", "b"], [["x", { v: 1 } as unknown as string]]),
    /row 0, column "b" is object, not text or a number/,
  );
  for (const s of ["0.8524", "10,000", "5.5441e-1 (2.1e-3) +", "$1.25", "87.5%", "1.2×10⁻⁴", "−3"]) {
    assert.ok(isNumeric(s), s);
  }
  for (const s of ["NSGA-II", "ZDT1", "0.5 / 0.3", "HV, raw", "seed 1"]) assert.ok(!isNumeric(s), s);
});

Deno.test("note: a string result shown as plain text, not a quoted JS string", () => {
  const n = note("all checks passed");
  const bundle = (n as unknown as Record<symbol, () => Record<string, string>>)
    [Symbol.for("Jupyter.display")]();
  assert.deepEqual(bundle, { "text/plain": "all checks passed" });
  assert.equal(`${n}`, "all checks passed");
});
