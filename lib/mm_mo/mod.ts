/**
 * MM-MO (paper 002: "It's Morphing Time: Unleashing the Potential of Multiple LLMs via Multi-objective
 * Optimization"), done for real on small models we train ourselves: tasks, an MLP classifier, merge
 * methods (linear, task arithmetic, TIES, DARE, DARE-TIES), Gaussian processes, qEHVI, the search with
 * weak-to-strong and Fisher screening, the baselines, resumable (cached, asynchronous) evaluations,
 * safetensors checkpoints merged tensor by tensor, and mergekit YAML export.
 *
 * @module
 */
export * from "./features.ts";
export * from "./tasks.ts";
export * from "./mlp.ts";
export * from "./merge.ts";
export * from "./gp.ts";
export * from "./ehvi.ts";
export * from "./problem.ts";
export * from "./search.ts";
export * from "./baselines.ts";
export * from "./evaluation.ts";
export * from "./chat_evaluator.ts";
export * from "./safetensors.ts";
export * from "./checkpoint.ts";
export * from "./mergekit.ts";
