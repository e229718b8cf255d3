/**
 * OptLLM (paper 003): predicting each LLM's success per query and the cost/accuracy front of assignments
 * of queries to LLMs. See notebooks/03_optllm.ipynb.
 *
 * @module
 */
export * from "./datasets.ts";
export * from "./synthetic.ts";
export * from "./features.ts";
export * from "./prediction.ts";
export * from "./problem.ts";
export * from "./optimise.ts";
export * from "./truefront.ts";
export * from "./bound.ts";
export * from "./experiment.ts";
