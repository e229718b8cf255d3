/**
 * NSGA-II-LLM (paper 001: Liu, Chen & Tang, "Large Language Model Aided Multi-objective Evolutionary
 * Algorithm: a Low-cost Adaptive Approach"): the auxiliary score, the decision rule, elite selection,
 * the prompt, the LLM generator and the wrapper around any ask-and-tell MOEA.
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
