import assert from "node:assert/strict";
import { Rng } from "../lib/core/rng.ts";
import { llmConfig, openLLM } from "../lib/llm/config.ts";
import { requestRng } from "../lib/llm/standins/mod.ts";
import {
  describeFitness,
  drawOffer,
  type Evaluation,
  guidanceEffect,
  guidanceTarget,
  handWrittenInstructions,
  instOperatorStandIn,
  instOptimaRegistry,
  instructionKey,
  instructionPerplexity,
  makeEvaluator,
  materialOf,
  operatorPrompt,
  OPERATORS,
  parseOperatorReply,
  readOperatorPrompt,
  renderExamples,
  signTest,
  splitCorpus,
  splitTask,
  structureProblem,
  taskLanguageModel,
  textEdit,
  toyTask,
} from "../lib/instoptima/mod.ts";

const task = toyTask(120, 5);
const { dev, pool: rest } = splitTask(task, 30, 0);
const { examples: pool, corpus } = splitCorpus(rest, 0.5, 0);
// hand-written definitions with label cues (the material the definition operators may add from)
const definitions: [string, string][] = [
  ["Label the commodity headline. When the price climbs or rallies the answer is up.", "Answer:"],
  ["Read the headline and name the move. When the price slides or drops the answer is down.", "Label:"],
  ["Classify it. When traders discuss or firms report the answer is none. Gains mean up.", "Move:"],
];
const hand = handWrittenInstructions(task, pool, { k: [2, 3, 4], seed: 1, definitions });
const material = { examples: pool, phrases: materialOf(hand, pool).phrases };

/** An evaluation with chosen performance sum and length (the rest does not matter to the prompts). */
function fakeEvaluation(perf: number, characters: number, perplexity = 50): Evaluation {
  const q = perf / 4;
  return {
    accuracy: q,
    precision: q,
    recall: q,
    f1: q,
    characters,
    tokens: 10,
    perplexity,
    objectives: [characters, perplexity, 1 / perf],
  };
}

Deno.test("guidance rule and sign test against hand-derived values", () => {
  // 1/perf = 0.5; length 600 → 0.6 is worse; 400 → 0.4 is better
  assert.equal(guidanceTarget([{ performance: 2, characters: 600, perplexity: 1 }]), "length");
  assert.equal(guidanceTarget([{ performance: 2, characters: 400, perplexity: 1 }]), "performance");
  assert.equal(guidanceTarget([{ performance: 2, characters: 500, perplexity: 1 }]), "performance", "tie");
  // the mean of two parents: perf 1.6 → 0.625, chars 650 → 0.65
  assert.equal(
    guidanceTarget([{ performance: 1.2, characters: 300, perplexity: 1 }, {
      performance: 2,
      characters: 1000,
      perplexity: 1,
    }]),
    "length",
  );
  assert.throws(() => guidanceTarget([]), /no parents/);
  // 2 (1 + 12 + 66) / 2^12
  assert.ok(Math.abs(signTest(10, 2) - 158 / 4096) < 1e-12);
  assert.ok(Math.abs(signTest(2, 10) - 158 / 4096) < 1e-12);
  assert.equal(signTest(0, 0), 1);
  assert.equal(signTest(3, 3), 1);
  assert.ok(Math.abs(signTest(5, 0) - 2 / 32) < 1e-12);
});

Deno.test("moolab-instop reads every prompt form the library makes and keeps the structure", () => {
  const A = { instruction: hand[2], evaluation: fakeEvaluation(1.2, 900) }; // length is worst (0.9 > 0.83)
  const B = { instruction: hand[1], evaluation: fakeEvaluation(1.0, 300) }; // performance is worst (1 > 0.3)
  let changed = 0, total = 0;
  for (const op of OPERATORS) {
    for (const guided of [true, false]) {
      for (const withOffer of [true, false]) {
        for (let seed = 0; seed < 6; seed++) {
          const parents = op.endsWith("crossover") ? [A, B] : [seed % 2 ? A : B];
          const offer = withOffer ? drawOffer(op, material, seed) : undefined;
          const messages = operatorPrompt(op, parents, {
            labels: task.labels,
            guided,
            promptSeed: seed,
            ...(offer ? { offer } : {}),
          });
          const text = messages.map((m) => m.content).join("\n");
          const r = readOperatorPrompt(text)!;
          assert.equal(r.operator, op);
          assert.equal(r.parents.length, parents.length);
          assert.equal(r.fitness.length, guided ? parents.length : 0);
          if (guided) {
            assert.deepEqual(r.fitness[0], {
              performance: Number(
                (parents[0].evaluation.accuracy * 4).toFixed(3),
              ),
              characters: parents[0].evaluation.characters,
              perplexity: Number(parents[0].evaluation.perplexity.toFixed(1)),
            }, describeFitness(parents[0].evaluation));
          }
          if (offer?.examples) assert.deepEqual(r.offeredExamples, offer.examples);
          if (offer?.phrases) assert.deepEqual(r.offeredPhrases, offer.phrases);
          if (op.startsWith("example")) {
            assert.equal(r.endPrompt, parents[0].instruction.endPrompt);
            assert.deepEqual(r.labels, task.labels);
          }
          const request = { model: "moolab-instop", messages, temperature: 1, seed: 3, choice: 0 };
          const reply = instOperatorStandIn.respond(request, requestRng(request));
          const child = parseOperatorReply(op, reply, parents[0].instruction, { labels: task.labels });
          assert.equal(structureProblem(op, parents[0].instruction, child, task.labels), undefined, reply);
          total++;
          if (instructionKey(child) !== instructionKey(parents[0].instruction)) changed++;
          // new examples come only from the parents and the offer
          const allowed = new Set(
            [...parents.flatMap((p) => p.instruction.examples), ...(offer?.examples ?? [])].map((e) =>
              `${e.text}|${e.label}`
            ),
          );
          for (const e of child.examples) assert.ok(allowed.has(`${e.text}|${e.label}`), e.text);
          // the guided mutations act on the named objective
          if (guided && op === "example mutation") {
            const p = parents[0];
            if (p === A && p.instruction.examples.length > 1) {
              assert.equal(child.examples.length, p.instruction.examples.length - 1, "length: drop");
            }
            if (p === B && offer) {
              assert.equal(child.examples.length, p.instruction.examples.length + 1, "performance: add");
            }
          }
          if (guided && op === "definition mutation" && parents[0] === A) {
            assert.ok(child.definition.length < A.instruction.definition.length, "length: shorter");
          }
        }
      }
    }
  }
  assert.ok(changed >= 0.8 * total, `${changed} of ${total} children differ from parent 1`);
  const none = instOperatorStandIn.respond(
    {
      model: "moolab-instop",
      messages: [{ role: "user", content: "Mutate it." }],
      temperature: 1,
      choice: 0,
    },
    new Rng(1),
  );
  assert.match(none, /no operation/);
});

Deno.test("a structure problem is named", () => {
  const p = hand[1];
  assert.equal(
    structureProblem("definition mutation", p, { ...p, definition: "Label it now." }, task.labels),
    undefined,
  );
  assert.match(
    structureProblem("definition mutation", p, { ...p, examples: p.examples.slice(1) }, task.labels)!,
    /changed the examples/,
  );
  assert.match(
    structureProblem("example mutation", p, { ...p, definition: "Other words here." }, task.labels)!,
    /changed the definition/,
  );
  assert.match(
    structureProblem("example mutation", p, { ...p, endPrompt: "Other:" }, task.labels)!,
    /end prompt/,
  );
  assert.match(
    structureProblem(
      "example mutation",
      p,
      { ...p, examples: [{ text: "x", label: "sideways" }] },
      task.labels,
    )!,
    /sideways/,
  );
  // an edit that needs pool material and has none leaves the instruction as it was
  const same = textEdit(p, "add example", { pool: [], phrases: [], words: [] }, new Rng(1));
  assert.equal(renderExamples(same.examples, same.endPrompt), renderExamples(p.examples, p.endPrompt));
});

Deno.test("the LM corpus is disjoint from the example pool, by text", () => {
  const a = splitCorpus(rest, 0.5, 0), b = splitCorpus(rest, 0.5, 0);
  assert.deepEqual(a, b, "seeded");
  const inPool = new Set(pool.map((t) => t.text.trim().toLowerCase()));
  assert.ok(corpus.length > 0 && corpus.every((t) => !inPool.has(t.text.trim().toLowerCase())));
  assert.ok(pool.length + corpus.length <= rest.length);
  assert.throws(() => splitCorpus(rest, 1), /corpusShare/);
});

Deno.test("guided operators move the named objective more often than unguided ones (measured)", async () => {
  const llm = await openLLM({
    config: llmConfig({ loopback: true }),
    server: { registry: instOptimaRegistry() },
    runId: "test",
    concurrency: 8,
  });
  try {
    const lm = taskLanguageModel(corpus);
    const evaluate = makeEvaluator({
      model: llm.model("moolab-classifier"),
      dev,
      labels: task.labels,
      perplexity: (i) => instructionPerplexity(lm, i),
    });
    // a fixed set of parents: the hand-written ones with 1 and 8 examples, and a long one with 12
    const rng = new Rng(9);
    const more = (k: number) =>
      Array.from({ length: k }, () => pool[rng.int(pool.length)]).map((e) => ({
        text: e.text,
        label: e.label,
      }));
    const fixed = hand.flatMap((h) => [
      { ...h, examples: h.examples.slice(0, 1) },
      { ...h, examples: more(8) },
      { ...h, definition: definitions.map((d) => d[0]).join(" "), examples: more(12) },
    ]);
    const parents = await Promise.all(
      fixed.map(async (instruction) => ({ instruction, evaluation: await evaluate(instruction) })),
    );
    const g = await guidanceEffect(llm.model("moolab-instop"), parents, {
      labels: task.labels,
      evaluate,
      material,
      seed: 2,
    });
    assert.equal(g.total.trials, parents.length * 4);
    assert.ok(g.trials.every((t) => t.problems.every((p) => p === undefined)), "structure kept");
    assert.ok(
      g.total.guidedMoves > g.total.unguidedMoves && g.total.onlyGuided > g.total.onlyUnguided,
      JSON.stringify(g.total),
    );
    // both targets occur, and each is moved more often with guidance
    for (const target of ["performance", "length"]) {
      const ts = g.trials.filter((t) => t.target === target);
      assert.ok(ts.length >= 4, `${ts.length} trials target ${target}`);
      const gm = ts.filter((t) => t.guided).length, um = ts.filter((t) => t.unguided).length;
      assert.ok(gm > um, `${target}: guided ${gm}, unguided ${um} of ${ts.length}`);
    }
  } finally {
    await llm.close();
  }
});
