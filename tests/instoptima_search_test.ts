import assert from "node:assert/strict";
import { llmConfig, openLLM } from "../lib/llm/config.ts";
import { faultSequence } from "../lib/llm/testing.ts";
import { ReplyFormatError } from "../lib/llm/errors.ts";
import {
  applyOperator,
  type Evaluation,
  handWrittenInstructions,
  initialPopulation,
  instOptimaRegistry,
  type Instruction,
  instructionHypervolume,
  instructionPerplexity,
  InstructionSearch,
  llmVariation,
  makeEvaluator,
  materialOf,
  paretoSet,
  randomSearchVariation,
  splitTask,
  taskLanguageModel,
  textEditVariation,
  toyTask,
} from "../lib/instoptima/mod.ts";

const task = toyTask(80, 11);
const { dev, pool } = splitTask(task, 20, 0);
const lm = taskLanguageModel(pool);
const hand = handWrittenInstructions(task, pool, { k: [2, 3, 4], seed: 1 });
const scales = { length: 1000, perplexity: 1000 };

async function withSession<T>(
  fn: (s: Awaited<ReturnType<typeof openLLM>>) => Promise<T>,
  faults?: Parameters<typeof faultSequence>[0],
) {
  const llm = await openLLM({
    config: llmConfig({ loopback: true }),
    server: { registry: instOptimaRegistry(), ...(faults ? { faults: faultSequence(faults) } : {}) },
    runId: "test",
  });
  try {
    return await fn(llm);
  } finally {
    await llm.close();
  }
}

Deno.test("the task model's score depends on the instruction (the classifier stand-in behind HTTP)", async () => {
  await withSession(async (llm) => {
    const evaluate = makeEvaluator({
      model: llm.model("moolab-classifier"),
      dev,
      labels: task.labels,
      perplexity: (i) => instructionPerplexity(lm, i),
    });
    const examples = hand[2].examples;
    assert.deepEqual([...new Set(examples.map((e) => e.label))].sort(), ["down", "none", "up"]);
    const cues: Instruction = {
      definition:
        "Label the headline. If the price climbs, rallies, jumps, surges, rises, gains, advances or soars, " +
        "the answer is up. If it slides, falls, drops, tumbles, slumps, sinks, declines or plunges, the answer is down. " +
        "If exporters, traders, analysts, officials or firms meet, discuss, review, debate or report, the answer is none.",
      examples,
      endPrompt: "Answer:",
    };
    const bare: Instruction = { definition: "Classify the headline.", examples, endPrompt: "Answer:" };
    const poor: Instruction = {
      definition: "Classify.",
      examples: [{ text: "copper rises", label: "down" }],
      endPrompt: "Answer:",
    };
    const [c, b, p] = [await evaluate(cues), await evaluate(bare), await evaluate(poor)];
    assert.ok(
      c.accuracy >= b.accuracy + 0.2 && b.accuracy >= p.accuracy,
      `${c.accuracy}, ${b.accuracy}, ${p.accuracy}`,
    );
    assert.ok(c.objectives[2] < b.objectives[2] && c.objectives[2] < p.objectives[2]);
    assert.equal(c.objectives[0], c.characters);
    assert.ok(p.characters < b.characters && b.characters < c.characters);
    assert.ok(c.perplexity > 1 && Number.isFinite(c.perplexity));
  });
});

Deno.test("an operator re-asks after a malformed reply", async () => {
  await withSession(async (llm) => {
    const r = await applyOperator(
      llm.model("moolab-instop"),
      "example mutation",
      [{ instruction: hand[1] }],
      {
        labels: task.labels,
        promptSeed: 3,
        guided: false,
      },
    );
    assert.ok(r.attempts >= 2, "the first reply had no <inst> block");
    assert.ok(r.child.examples.length >= 1);
    assert.equal(r.child.definition, hand[1].definition);
  }, [{ kind: "reply", content: "Here you go: input: x" }]);
});

Deno.test("an operator fails with every reply after the last re-ask", async () => {
  await withSession(async (llm) => {
    await assert.rejects(
      () =>
        applyOperator(llm.model("moolab-instop"), "definition mutation", [{ instruction: hand[1] }], {
          labels: task.labels,
          promptSeed: 3,
          guided: false,
          reAsks: 1,
        }),
      (e: unknown) =>
        e instanceof ReplyFormatError && e.replies.length === 2 && /under two words/.test(e.message),
    );
  }, [{ kind: "reply", content: "no" }, { kind: "reply", content: "<inst>one</inst>" }]);
});

async function runSearch(
  kind: "guided" | "plain" | "edits" | "random",
  generations: number,
  counter?: { n: number },
  resumeAfter?: number,
) {
  return await withSession(async (llm) => {
    const base = makeEvaluator({
      model: llm.model("moolab-classifier"),
      dev,
      labels: task.labels,
      perplexity: (i) => instructionPerplexity(lm, i),
    });
    const evaluate = (i: Instruction): Promise<Evaluation> => {
      if (counter) counter.n++;
      return base(i);
    };
    const ops = llm.model("moolab-instop");
    const m = materialOf(hand, pool);
    const material = { examples: pool, phrases: m.phrases };
    const variation = kind === "guided"
      ? llmVariation(ops, { labels: task.labels, material })
      : kind === "plain"
      ? llmVariation(ops, { labels: task.labels, guided: false, material })
      : kind === "edits"
      ? textEditVariation(m)
      : randomSearchVariation(m);
    const initial = await initialPopulation(ops, hand, 6, { labels: task.labels, seed: 4 });
    const options = { evaluate, variation, popSize: 6, seed: 4, scales };
    let s = new InstructionSearch(options);
    if (resumeAfter !== undefined) {
      const file = await Deno.makeTempFile({ suffix: ".json" });
      await s.run({ maxGenerations: resumeAfter, initial, checkpoint: file });
      s = InstructionSearch.fromJSON(file, options);
      await Deno.remove(file);
    }
    // the termination word is the library's: the old `generations` and a missing bound are errors
    await assert.rejects(
      () => s.run({ generations, initial } as unknown as { maxGenerations: number }),
      /`generations` is now `maxGenerations`/,
    );
    await assert.rejects(
      () => s.run({ maxGenerations: -1, initial }),
      /maxGenerations must be a non-negative integer/,
    );
    await s.run({ maxGenerations: generations, initial });
    return s;
  });
}

Deno.test("NSGA-II over instructions: seeded, every instruction evaluated once, both HVs consistent", async () => {
  const counter = { n: 0 };
  const a = await runSearch("guided", 3, counter);
  const b = await runSearch("guided", 3);
  assert.deepEqual(
    JSON.stringify(a.toJSON()),
    JSON.stringify(b.toJSON()),
    "same seed, same run byte for byte",
  );
  assert.equal(counter.n, a.archive.size, "one evaluation per distinct instruction");
  assert.equal(a.history.length, 4);
  assert.equal(a.population.length, 6);
  assert.equal(new Set(a.population.map((d) => d.key)).size, 6);
  // the population is a subset of the archive, so its first front's HV (the authors') is at most the archive's
  for (const h of a.history) {
    assert.ok(h.populationHV <= h.hv + 1e-12 && h.populationHV > 0, JSON.stringify(h));
  }
  assert.equal(
    a.history.at(-1)!.populationHV,
    instructionHypervolume(paretoSet(a.population), scales),
    "the recorded population HV is that of the final population",
  );
  assert.equal(a.history.at(-1)!.evaluations, a.archive.size);
  assert.ok(a.archive.size > 6, "offspring were made");
  const ops = a.history.slice(1).reduce(
    (s, h) => s + Object.values(h.operators).reduce((x, y) => x + y, 0),
    0,
  );
  assert.equal(ops, 18, "one operator call per member and generation");
  const c = await runSearch("plain", 3);
  assert.notEqual(
    JSON.stringify(c.toJSON().archive),
    JSON.stringify(a.toJSON().archive),
    "InstOptima-N's prompts differ",
  );
});

Deno.test("a search resumed from its JSON checkpoint continues exactly as an uninterrupted one", async () => {
  for (const kind of ["guided", "edits"] as const) {
    const straight = await runSearch(kind, 3);
    const resumed = await runSearch(kind, 3, undefined, 1);
    assert.equal(JSON.stringify(resumed.toJSON()), JSON.stringify(straight.toJSON()), kind);
  }
  const r = await runSearch("random", 2);
  assert.equal(r.archive.size, 6 + 12, "random search: every call a new instruction");
  assert.throws(
    () =>
      InstructionSearch.fromJSON(r.toJSON(), {
        ...r.options,
        variation: { ...r.options.variation, name: "other" },
      }),
    /of variation random search/,
  );
});
