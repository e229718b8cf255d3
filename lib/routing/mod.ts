/**
 * A routing benchmark beyond the OptLLM paper: OptLLM, FrugalGPT-style cascades, RouteLLM-style threshold
 * routers, random mixing and single LLMs on the same data and fronts. See notebooks/07_routing.ipynb.
 *
 * @module
 */
export * from "./routellm.ts";
export * from "./points.ts";
export * from "./metrics.ts";
export * from "./cascade.ts";
export * from "./threshold.ts";
export * from "./mixing.ts";
export * from "./benchmark.ts";
