/**
 * moolab-classifier keeps the prepared examples of the instructions it saw last (keyed by the prompt's
 * text before the query): its replies must equal a fresh read of every prompt, in any order, past the
 * cache's bound, and for the prompt whose example label is read from the query line.
 */
import assert from "node:assert/strict";
import {
  classifierStandIn,
  classify,
  handWrittenInstructions,
  type Instruction,
  readClassificationPrompt,
  splitTask,
  taskPrompt,
  toyTask,
} from "../lib/instoptima/mod.ts";
import { Rng } from "../lib/core/rng.ts";

const reply = (content: string) =>
  classifierStandIn.respond(
    { model: "moolab-classifier", messages: [{ role: "user", content }], temperature: 0, choice: 0 },
    new Rng(0),
  );
const fresh = (content: string) => {
  const p = readClassificationPrompt(content);
  if (!p) return "no query";
  return p.labels.length === 0 ? "no labels" : classify(p).label;
};

Deno.test("moolab-classifier with its cache answers as a fresh read of each prompt", () => {
  const task = toyTask(300, 3);
  const { dev, pool } = splitTask(task, 40, 0);
  const hand = handWrittenInstructions(task, pool, { k: [1, 2, 3, 4, 5], seed: 1 });
  const rng = new Rng(5);
  // 80 instructions (more than the cache holds), each with 1–6 random pool examples
  const insts: Instruction[] = Array.from({ length: 80 }, (_, i) => ({
    ...hand[i % hand.length],
    examples: Array.from({ length: 1 + rng.int(6) }, () => pool[rng.int(pool.length)]),
  }));
  let labelled = 0;
  for (let round = 0; round < 3; round++) {
    for (let k = 0; k < 600; k++) {
      const content = taskPrompt(insts[rng.int(insts.length)], dev[rng.int(dev.length)].text)[0].content;
      const r = reply(content);
      assert.equal(r, fresh(content), content);
      if (task.labels.includes(r)) labelled++;
    }
  }
  assert.ok(labelled > 1500, `${labelled} replies named a label`);
});

Deno.test("moolab-classifier reads an example followed directly by the query line as the fresh read does", () => {
  const a = "Classify.\ninput: gold rises\nup\ninput: gold falls\ninput: gold rises again";
  const b = "Classify.\ninput: gold rises\nup\ninput: gold falls\ninput: gold falls down";
  for (const c of [a, b, a, b]) assert.equal(reply(c), fresh(c));
  assert.equal(
    reply("no query here"),
    "I found no query in the prompt (expected a last line starting with input:).",
  );
  assert.match(reply("Classify.\ninput: x"), /no labelled example/);
});
