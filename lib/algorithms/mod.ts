/**
 * Multi-objective evolutionary algorithms, each with ask-and-tell, `run()`/`runAsync()` and exact
 * resume from `toJSON()`; the operators they are built from; and a registry by name.
 *
 * @module
 */
export type { AlgorithmState, AskTell, Rows } from "./algorithm.ts";
export { type BaseOptions, estimateMemory, MemoryEstimateError, PopulationAlgorithm } from "./base.ts";
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
export {
  algorithmNames,
  describeAlgorithm,
  makeAlgorithm,
  resumeAlgorithm,
  type RunnableAlgorithm,
} from "./registry.ts";
export { NSGA2, type NSGA2Options, rankAndCrowdingSurvival } from "./nsga2.ts";
export { NSGA2ARSBX, type NSGA2ARSBXOptions } from "./nsga2_arsbx.ts";
export { NSGA3, type NSGA3Options } from "./nsga3.ts";
export { RNSGA2, type RNSGA2Options } from "./rnsga2.ts";
export {
  type Decomposition,
  DecompositionAlgorithm,
  type DecompositionOptions,
  DECOMPOSITIONS,
  neighbourhoods,
  scalarize,
} from "./decomposition.ts";
export { MOEAD, type MOEADOptions } from "./moead.ts";
export { MOEADDE, type MOEADDEOptions } from "./moead_de.ts";
export { MOEADDRA, type MOEADDRAOptions } from "./moead_dra.ts";
export {
  actionWeights,
  DQN_OPERATORS,
  fitnessImprovement,
  MOEADDQN,
  type MOEADDQNOptions,
  QNetwork,
  slidingReward,
} from "./moead_dqn.ts";
export { MOEADGen, type MOEADGenOptions } from "./moead_gen.ts";
export { SMSEMOA, type SMSEMOAOptions } from "./smsemoa.ts";
export { MOPSO, type MOPSOOptions } from "./mopso.ts";
export {
  type Crossover,
  de,
  type DifferentialVariation,
  type Mutation,
  type Operator,
  type OperatorSpec,
  platemoPm,
  pm,
  sbx,
  type VariableSpace,
  variableSpace,
} from "../operators/variation.ts";
export { type SbxOptions, simulatedBinaryCrossover } from "../operators/sbx.ts";
export { type PmOptions, polynomialMutation, polynomialMutationPlatEMO } from "../operators/mutation.ts";
export { type DeOptions, deRand1Bin } from "../operators/de.ts";
export {
  type ArsbxOptions,
  learnRotation,
  rotatedSbx,
  type Rotation,
  symmetricEigen,
} from "../operators/arsbx.ts";
export {
  bitFlipMutation,
  type BitFlipOptions,
  hasIntegerVariables,
  type IntegerPmOptions,
  integerPolynomialMutation,
  integerSbx,
  type IntegerSbxOptions,
  isBinaryProblem,
  isIntegerProblem,
  uniformCrossover,
  type UniformCrossoverOptions,
} from "../operators/integer.ts";
export { latinHypercubeSampling, randomSampling } from "../operators/sampling.ts";
export { clip, repair } from "../operators/repair.ts";
export { platemoDifferences, platemoOptions } from "./platemo_defaults.ts";
