import assert from "node:assert/strict";
import { Rng } from "../lib/core/rng.ts";
import { ParseError } from "../lib/llm/errors.ts";
import {
  characterLength,
  classificationMetrics,
  classifierStandIn,
  classify,
  describeFitness,
  type Evaluation,
  type Instruction,
  instructionKey,
  loadHeadlines,
  materialOf,
  operatorPrompt,
  parseExamples,
  parseHeadlines,
  parseOperatorReply,
  parsePrediction,
  randomInstruction,
  readClassificationPrompt,
  reciprocalMetric,
  renderExamples,
  renderInstruction,
  splitTask,
  taskPrompt,
  TEXT_EDITS,
  textEdit,
  toyTask,
} from "../lib/instoptima/mod.ts";
import { readInstructionPrompt } from "../lib/llm/standins/text.ts";

const inst: Instruction = {
  definition:
    "Classify the headline. If gold rises or gains, the answer is up. If gold falls, the answer is down.",
  examples: [
    { text: "gold climbs to a record", label: "up" },
    { text: "gold slides on strong dollar", label: "down" },
    { text: "miners meet in Denver", label: "none" },
  ],
  endPrompt: "The answer is",
};
const labels = ["up", "down", "none"];

Deno.test("HEADLINES rows, with errors naming file, row and column", () => {
  const rows = parseHeadlines('"Q: Gold  rises\nA:",up,7\n"Q: gold falls\nA:",down,8\n', "t.csv");
  assert.deepEqual(rows, [{ text: "Gold rises", label: "up", id: "7" }, {
    text: "gold falls",
    label: "down",
    id: "8",
  }]);
  assert.throws(
    () => parseHeadlines('"Q: x\nA:",sideways,1\n', "t.csv"),
    /t\.csv, row 1 \(line 1\), column 2 \(label\): "sideways"/,
  );
  assert.throws(() => parseHeadlines('"gold\nA:",up,1\n', "t.csv"), /row 1 \(line 1\), column 1 \(query\)/);
  assert.throws(() => parseHeadlines('"Q: x\nA:",up\n', "t.csv"), /row 1 \(line 1\): expected 3 columns/);
});

Deno.test("toy task and the split are seeded and disjoint", () => {
  const t = toyTask(40, 3);
  assert.deepEqual(t, toyTask(40, 3));
  assert.notDeepEqual(t.train, toyTask(40, 4).train);
  const { dev, pool } = splitTask(t, 10, 1);
  assert.equal(dev.length, 10);
  assert.equal(pool.length, 30);
  assert.equal(new Set([...dev, ...pool].map((d) => d.id)).size, 40);
  assert.throws(() => splitTask(t, 40), /devSize must be an integer in \[1, 39\]/);
});

Deno.test("render, length and the examples' round trip", () => {
  const text = renderInstruction(inst, "gold rallies");
  assert.ok(text.startsWith(inst.definition + "\ninput: gold climbs to a record\nThe answer is up\n\n"));
  assert.ok(text.endsWith("\n\ninput: gold rallies\nThe answer is"));
  assert.equal(
    characterLength(inst),
    inst.definition.length + renderExamples(inst.examples, inst.endPrompt).length + inst.endPrompt.length,
  );
  assert.deepEqual(parseExamples(renderExamples(inst.examples, inst.endPrompt), labels), inst.examples);
  // lenient on the end prompt and the "input:" prefix, strict on the label
  assert.deepEqual(parseExamples("gold up again\nLabel: UP.\n\ninput: x\ny down", labels), [
    { text: "gold up again", label: "up" },
    { text: "x", label: "down" },
  ]);
  assert.throws(
    () => parseExamples("input: a\nThe answer is sideways", labels),
    /ends with "sideways", which is not a label/,
  );
  assert.throws(() => parseExamples("input: a b c", labels), ParseError);
  assert.throws(() => parseExamples("   ", labels), /no examples/);
  assert.notEqual(instructionKey(inst), instructionKey({ ...inst, endPrompt: "Answer:" }));
});

Deno.test("macro metrics as scikit-learn (zero_division = 0), predictions from replies", () => {
  const truth = ["up", "up", "down", "none", "down", "up"];
  const pred = ["up", "down", "down", null, "down", "up"];
  const m = classificationMetrics(truth, pred, labels);
  assert.equal(m.accuracy, 4 / 6);
  // up: P 1, R 2/3; down: P 2/3, R 1; none: P 0, R 0
  assert.ok(Math.abs(m.precision - (1 + 2 / 3) / 3) < 1e-15);
  assert.ok(Math.abs(m.recall - (2 / 3 + 1) / 3) < 1e-15);
  assert.ok(Math.abs(m.f1 - (0.8 + 0.8) / 3) < 1e-15);
  assert.equal(reciprocalMetric(m), 1 / (m.accuracy + m.precision + m.recall + m.f1));
  assert.equal(reciprocalMetric({ accuracy: 0, precision: 0, recall: 0, f1: 0 }), 1e6);
  assert.equal(parsePrediction("The label is: Down.", labels), "down");
  assert.equal(parsePrediction("sideways", labels), null);
  assert.throws(() => classificationMetrics(["up"], [], labels), /1 true labels but 0 predictions/);
});

Deno.test("the classifier stand-in reads examples and definition cues, and the instruction changes its answer", () => {
  const p = readClassificationPrompt(taskPrompt(inst, "gold rises after data")[0].content)!;
  assert.deepEqual(p.labels, labels);
  assert.equal(p.query, "gold rises after data");
  assert.equal(p.examples.filter((e) => e.fromDefinition).length, 2, "the two sentences naming one label");
  const answer = (i: Instruction, q: string) =>
    classifierStandIn.respond(
      { model: "moolab-classifier", messages: taskPrompt(i, q), temperature: 0, choice: 0 },
      new Rng(0),
    );
  assert.equal(answer(inst, "gold rises after data"), "up"); // via the cue "If gold rises or gains, the answer is up."
  assert.equal(answer(inst, "silver slides on weak demand"), "down"); // nearest example "gold slides …"
  assert.equal(answer(inst, "miners meet in Perth"), "none");
  // without the cue sentences and the matching example, the answer falls back to the most frequent label
  const bare: Instruction = {
    ...inst,
    definition: "Classify.",
    examples: [inst.examples[1], inst.examples[2], inst.examples[1]],
  };
  assert.equal(answer(bare, "gold rises after data"), "down");
  assert.deepEqual(classify({ examples: [], labels: ["a"], query: "x" }).label, "a");
  assert.match(
    classifierStandIn.respond({
      model: "m",
      messages: [{ role: "user", content: "hello" }],
      temperature: 0,
      choice: 0,
    }, new Rng(0)),
    /no query/,
  );
});

const evaluation: Evaluation = {
  accuracy: 0.5,
  precision: 0.4,
  recall: 0.3,
  f1: 0.2,
  characters: 321,
  tokens: 80,
  perplexity: 55.5,
  objectives: [321, 55.5, 1 / 1.4],
};

Deno.test("operator prompts: parents in <inst>, fitness only when guided, read right by the text stand-in", () => {
  for (const op of ["definition mutation", "example mutation"] as const) {
    const guided = operatorPrompt(op, [{ instruction: inst, evaluation }], { labels, promptSeed: 42 });
    const plain = operatorPrompt(op, [{ instruction: inst }], { labels, promptSeed: 42, guided: false });
    const g = guided.map((m) => m.content).join("\n\n"), n = plain.map((m) => m.content).join("\n\n");
    assert.ok(g.includes(describeFitness(evaluation)) && g.includes("321 characters"));
    assert.ok(!n.includes("objective values") && !n.includes("321 characters"));
    assert.ok(g.includes("random seed: 42") && g.includes("<inst> and </inst>"));
    const read = readInstructionPrompt(g);
    assert.equal(read.parents.length, 1);
    assert.equal(read.operator, "mutation");
    assert.equal(read.examples, op === "example mutation");
    assert.equal(read.edit, undefined, "the prompt names no particular edit: the stand-in draws one");
    assert.equal(read.count, 1);
  }
  const other: Instruction = { ...inst, definition: "Label gold headlines. Rises are up." };
  const x = operatorPrompt("definition crossover", [{ instruction: inst, evaluation }, {
    instruction: other,
    evaluation,
  }], {
    labels,
    promptSeed: 1,
  });
  const read = readInstructionPrompt(x.map((m) => m.content).join("\n\n"));
  assert.equal(read.operator, "crossover");
  assert.deepEqual(read.parents, [inst.definition, other.definition]);
  assert.throws(
    () => operatorPrompt("example crossover", [{ instruction: inst }], { labels, promptSeed: 1 }),
    /needs 2 parent/,
  );
  assert.throws(
    () => operatorPrompt("definition mutation", [{ instruction: inst }], { labels, promptSeed: 1 }),
    /needs parent 1's evaluation/,
  );
});

Deno.test("operator replies are parsed strictly into a child that keeps the other genes", () => {
  const d = parseOperatorReply("definition mutation", "<inst>Label the gold\nheadline.</inst>", inst, {
    labels,
  });
  assert.deepEqual(d, { ...inst, definition: "Label the gold headline." });
  const e = parseOperatorReply(
    "example crossover",
    "Sure!\n<inst>input: gold up\nThe answer is up</inst>",
    inst,
    { labels },
  );
  assert.deepEqual(e, { ...inst, examples: [{ text: "gold up", label: "up" }] });
  assert.throws(() => parseOperatorReply("definition mutation", "Label it.", inst, { labels }), /no <inst>/);
  assert.throws(
    () => parseOperatorReply("definition mutation", "<inst>Label</inst>", inst, { labels }),
    /under two words/,
  );
  assert.throws(
    () => parseOperatorReply("definition mutation", "<inst>a b input: c</inst>", inst, { labels }),
    /"input:"/,
  );
  assert.throws(
    () =>
      parseOperatorReply("definition mutation", `<inst>${"word ".repeat(50)}</inst>`, inst, {
        labels,
        maxDefinition: 100,
      }),
    /at most 100/,
  );
  assert.throws(
    () => parseOperatorReply("example mutation", "<inst>input: a\nanswer: maybe</inst>", inst, { labels }),
    ParseError,
  );
});

Deno.test("text edits and random instructions: seeded, valid, and each edit does what it says", () => {
  const t = toyTask(30, 1);
  const m = materialOf([inst], t.train);
  for (const edit of TEXT_EDITS) {
    const a = textEdit(inst, edit, m, new Rng(5));
    assert.deepEqual(a, textEdit(inst, edit, m, new Rng(5)));
    assert.ok(a.examples.length >= 1 && a.definition.length > 0);
    if (edit.endsWith("example")) assert.equal(a.definition, inst.definition);
    else assert.deepEqual(a.examples, inst.examples);
  }
  assert.equal(textEdit(inst, "drop example", m, new Rng(1)).examples.length, 2);
  assert.equal(textEdit(inst, "add example", m, new Rng(1)).examples.length, 4);
  assert.equal(
    textEdit(inst, "delete word", m, new Rng(1)).definition.split(" ").length,
    inst.definition.split(" ").length - 1,
  );
  assert.ok(textEdit(inst, "delete phrase", m, new Rng(1)).definition.length < inst.definition.length);
  assert.throws(() => textEdit(inst, "rewrite", m, new Rng(1)), /unknown edit rewrite/);
  const r = randomInstruction(m, new Rng(3));
  assert.deepEqual(r, randomInstruction(m, new Rng(3)));
  assert.ok(r.examples.length >= 1 && r.examples.length <= 8);
  assert.ok(m.endPrompts.includes(r.endPrompt));
});

Deno.test("HEADLINES from the data directory (when present), verified; absent data gives undefined", async () => {
  assert.equal(await loadHeadlines(await Deno.makeTempDir()), undefined);
  const t = await loadHeadlines();
  if (!t) return; // no data directory on this machine: the notebook falls back to the toy task
  assert.equal(t.train.length, 5000);
  assert.equal(t.test.length, 5000);
  const count = (l: string) => t.train.filter((d) => d.label === l).length;
  assert.deepEqual(t.labels.map(count), [2092, 1804, 175, 929]);
  assert.equal(t.train[0].text, "Feb. gold loses $12.50, or 1.1%, to trade at $1,159.90/bbl");
});
