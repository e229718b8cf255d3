/**
 * NSGA-II-LLM (paper 001: Liu, Chen & Tang, "Large Language Model Aided Multi-objective Evolutionary
 * Algorithm: a Low-cost Adaptive Approach"): the auxiliary score, the decision rule, elite selection,
 * the prompt, the LLM generator and the wrapper around any ask-and-tell MOEA.
 *
 * @example NSGA-II-LLM on ZDT1 with the `moolab-numeric` stand-in (a linear operator over the prompt's
 * elites, not an LLM: it shows the plumbing, not what an LLM would do)
 * ```ts
 * import { getProblem, NSGA2 } from "moolab";
 * import { llmConfig, openLLM } from "moolab/llm";
 * import { everyGenerationRule, llmSolutionGenerator, NSGA2LLM } from "moolab/nsga2-llm";
 *
 * const zdt1 = getProblem("ZDT1", { nVar: 5 });
 * const llm = await openLLM({ config: llmConfig({ loopback: true }) }); // offline, whatever the environment
 * try {
 *   const hybrid = new NSGA2LLM(new NSGA2(zdt1, { popSize: 20, seed: 1 }), {
 *     generator: llmSolutionGenerator(llm.model("moolab-numeric")),
 *     rule: everyGenerationRule({ warmup: 0 }), // the LLM in every generation (the authors': adaptiveRule)
 *   });
 *   const result = await hybrid.runAsync({ maxGenerations: 5 });
 *   const asked = hybrid.records.filter((r) => r.usedLLM && !r.fallback).length;
 *   // every generation after the first was bred with the stand-in's solutions, each call in the ledger
 *   if (asked !== result.generations - 1 || llm.ledger.totals().calls !== asked) {
 *     throw new Error(`${asked} LLM generations, ${llm.ledger.totals().calls} calls`);
 *   }
 * } finally {
 *   await llm.close();
 * }
 * ```
 *
 * @module
 */
export { type AuxiliaryScore, auxiliaryScore } from "./score.ts";
export {
  adaptiveRule,
  type AdaptiveRuleOptions,
  type DecisionRule,
  everyGenerationRule,
  neverRule,
  paperRule,
  type RuleInput,
  type ScoreComparison,
} from "./rule.ts";
export { recurringElites, replaceInFirstHalf, replaceRecurring } from "./elites.ts";
export {
  buildPrompt,
  describeBounds,
  formatNumber,
  type PromptFormat,
  type PromptInput,
  type PromptMessage,
  promptMessages,
  type PromptParts,
} from "./prompt.ts";
export {
  type GenerationRequest,
  type HybridBase,
  type LLMGenerationRecord,
  NSGA2LLM,
  type NSGA2LLMOptions,
  type SolutionGenerator,
} from "./algorithm.ts";
export {
  type LLMGeneratorOptions,
  llmSolutionGenerator,
  type ParseReplyOptions,
  parseSolutionReply,
} from "./generator.ts";
