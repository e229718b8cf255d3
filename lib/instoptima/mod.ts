/**
 * InstOptima (paper 000: "InstOptima: Evolutionary Multi-objective Instruction Optimization via Large
 * Language Model-based Instruction Operators", arXiv 2310.17630): instructions (definition, examples,
 * end prompt), the four LLM operators with objective-guided prompts, the objectives (performance of a
 * task model, length, n-gram perplexity), NSGA-II over instructions, the text-editing and random-search
 * baselines, the HEADLINES task and the `moolab-classifier` stand-in.
 *
 * @module
 */
export * from "./data.ts";
export * from "./instruction.ts";
export * from "./ngram.ts";
export * from "./objectives.ts";
export * from "./operators.ts";
export * from "./classifier_standin.ts";
export * from "./operator_standin.ts";
export * from "./guidance.ts";
export * from "./logprobs.ts";
export * from "./roles.ts";
export * from "./budget.ts";
export * from "./initial.ts";
export * from "./search.ts";
export * from "./baselines.ts";
