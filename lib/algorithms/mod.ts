/**
 * Multi-objective evolutionary algorithms, each with ask-and-tell, `run()` and exact resume.
 *
 * @module
 */
export type { AlgorithmState, AskTell, Rows } from "./algorithm.ts";
export { type BaseOptions, PopulationAlgorithm } from "./base.ts";
export {
  type Callback,
  type GenerationInfo,
  minimize,
  minimizeAsync,
  readCheckpoint,
  type RunOptions,
  writeCheckpoint,
} from "./minimize.ts";
export { type HistoryEntry, paretoOf, Result } from "./result.ts";
export { NSGA2, type NSGA2Options, rankAndCrowdingSurvival } from "./nsga2.ts";
export { sbx, type SbxOptions } from "../operators/sbx.ts";
export { type PmOptions, polynomialMutation } from "../operators/mutation.ts";
export { latinHypercubeSampling, randomSampling } from "../operators/sampling.ts";
export { clip, repair } from "../operators/repair.ts";
