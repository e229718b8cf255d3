/**
 * InstOptima's costs outside a real LLM: training the n-gram language model on HEADLINES' training
 * pool and the perplexity of one instruction; the classifier stand-in's answer computed in-process; one
 * instruction's evaluation on a 100-text dev split through the loopback server (HTTP, npm:openai); and
 * a whole search (population 10, 5 generations) with in-process operators and task model (text edits,
 * the classifier called directly), so the time is the search loop's own. Also: the operator stand-in
 * `moolab-instop`'s reply in-process, and the perplexity of one instruction from token log-probabilities
 * in-process against through the loopback server's `/v1/completions` (`moolab-ngram`).
 */
import { Rng } from "../lib/core/rng.ts";
import { llmConfig, openLLM } from "../lib/llm/config.ts";
import {
  classify,
  drawOffer,
  type Evaluation,
  handWrittenInstructions,
  instOperatorStandIn,
  instOptimaRegistry,
  type Instruction,
  instructionPerplexity,
  InstructionSearch,
  loadHeadlines,
  logprobPerplexity,
  makeEvaluator,
  materialOf,
  ngramStandIn,
  operatorPrompt,
  perplexityFromLogprobs,
  readClassificationPrompt,
  renderInstruction,
  scoreText,
  splitTask,
  taskLanguageModel,
  textEditVariation,
  toyTask,
} from "../lib/instoptima/mod.ts";
import { characterLength, tokenLength } from "../lib/instoptima/instruction.ts";
import {
  classificationMetrics,
  instructionPerplexity as ppl,
  reciprocalMetric,
} from "../lib/instoptima/objectives.ts";

const task = (await loadHeadlines()) ?? toyTask(400, 1);
const { dev, pool } = splitTask(task, 100, 0);
const lm = taskLanguageModel(pool);
const hand = handWrittenInstructions(task, pool, { k: [4, 4, 6, 3, 5] });
const llm = await openLLM({
  config: llmConfig({ loopback: true }),
  server: { registry: instOptimaRegistry(ngramStandIn(lm)) },
  concurrency: 8,
});
llm.server!.unref();
const evaluateHTTP = makeEvaluator({
  model: llm.model("moolab-classifier"),
  dev,
  labels: task.labels,
  perplexity: (i) => instructionPerplexity(lm, i),
});

/** The same evaluation with the classifier called in-process (no HTTP). */
function evaluateLocal(inst: Instruction): Promise<Evaluation> {
  const pred = dev.map((d) => classify(readClassificationPrompt(renderInstruction(inst, d.text))!).label);
  const m = classificationMetrics(dev.map((d) => d.label), pred, task.labels);
  const p = ppl(lm, inst);
  const characters = characterLength(inst);
  return Promise.resolve({
    ...m,
    characters,
    tokens: tokenLength(inst),
    perplexity: p,
    objectives: [characters, p, reciprocalMetric(m)],
  });
}

Deno.bench(`train the order-3 Kneser-Ney model on ${pool.length} ${task.name} texts`, { group: "lm" }, () => {
  taskLanguageModel(pool);
});
Deno.bench("perplexity of one hand-written instruction", { group: "lm" }, () => {
  instructionPerplexity(lm, hand[2]);
});
Deno.bench("classifier stand-in, one answer in-process", { group: "task model" }, () => {
  classify(readClassificationPrompt(renderInstruction(hand[2], dev[new Rng(1).int(dev.length)].text))!);
});
Deno.bench(`evaluate one instruction on ${dev.length} dev texts, in-process`, {
  group: "evaluation",
  baseline: true,
}, async () => {
  await evaluateLocal(hand[2]);
});
Deno.bench(`evaluate one instruction on ${dev.length} dev texts through the loopback server`, {
  group: "evaluation",
}, async () => {
  await evaluateHTTP(hand[2]);
});
Deno.bench(
  "search: population 10, 5 generations, text edits, in-process evaluation",
  { group: "search" },
  async () => {
    const s = new InstructionSearch({
      evaluate: evaluateLocal,
      variation: textEditVariation(materialOf(hand, pool)),
      popSize: 10,
      seed: 1,
      scales: { length: 1000, perplexity: 100 },
    });
    const initial = [...hand, ...hand.map((h) => ({ ...h, examples: h.examples.slice(1) }))];
    await s.run({ maxGenerations: 5, initial });
  },
);

const endpointPerplexity = logprobPerplexity({
  baseURL: llm.server!.baseURL,
  apiKey: "moolab-loopback",
  model: "moolab-ngram",
});
Deno.bench("perplexity of one instruction from token log-probabilities, in-process", {
  group: "logprobs",
  baseline: true,
}, () => {
  perplexityFromLogprobs(scoreText(lm, renderInstruction(hand[2])).logprobs);
});
Deno.bench(
  "perplexity of one instruction through the loopback /v1/completions",
  { group: "logprobs" },
  async () => {
    await endpointPerplexity(hand[2]);
  },
);
const m = materialOf(hand, pool);
const guided = operatorPrompt("example mutation", [{
  instruction: hand[2],
  evaluation: await evaluateLocal(hand[2]),
}], {
  labels: task.labels,
  promptSeed: 1,
  offer: drawOffer("example mutation", { examples: pool, phrases: m.phrases }, 1),
});
Deno.bench("moolab-instop: one guided example mutation reply, in-process", { group: "operator" }, () => {
  instOperatorStandIn.respond(
    { model: "moolab-instop", messages: guided, temperature: 1, choice: 0 },
    new Rng(1),
  );
});
