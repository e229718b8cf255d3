/**
 * moolab: multi-objective optimisation with large language models, for Deno notebooks.
 *
 * The front door: what a notebook needs to define or pick a problem, run an algorithm on it, measure and
 * plot the result, and run experiments of many runs. Everything else is imported by subpath, each one
 * module of the library:
 *
 * | subpath | what |
 * | --- | --- |
 * | `moolab/core` | point sets, populations, dominance, sorting, crowding, selection, progress |
 * | `moolab/algorithms` | the algorithms with their operators, reference directions, PlatEMO's defaults |
 * | `moolab/problems` | ZDT, UF, DTLZ by factory, the problem registry, `simplexLattice` |
 * | `moolab/indicators` | every indicator, normalisation, hypervolume cost guard |
 * | `moolab/plot` | every plot and the rendering door (`renderPlot`, `renderLayout`) |
 * | `moolab/experiment` | runs as data, statistics, tables, pins |
 * | `moolab/llm` | the LLM layer: client, `openLLM`, cache, ledger, prices, loopback stand-ins |
 * | `moolab/llm/testing` | fault injection for the loopback server |
 * | `moolab/nsga2-llm` | paper 001: NSGA-II-LLM |
 * | `moolab/instoptima` | paper 000: InstOptima |
 * | `moolab/mm-mo` | paper 002: MM-MO |
 * | `moolab/optllm` | paper 003: OptLLM |
 * | `moolab/routing` | the LLM-routing benchmark beyond OptLLM |
 * | `moolab/data` | the external data folder, checksums, `LOGPAI_SYSTEMS` |
 * | `moolab/csv` | the CSV reader of the data loaders |
 *
 * @example A benchmark problem, NSGA-II, the hypervolume of the front
 * ```ts
 * import { getProblem, hypervolume, minimize, NSGA2 } from "moolab";
 *
 * const zdt1 = getProblem("ZDT1");
 * const result = minimize(new NSGA2(zdt1, { popSize: 100, seed: 1 }), { maxEvaluations: 10_000 });
 * // The true front f2 = 1 − √f1 has hypervolume 0.11 + 0.1 + 2/3 = 0.8767 to (1.1, 1.1).
 * const hv = hypervolume(result.front, [1.1, 1.1]);
 * if (!(hv > 0.85 && hv < 0.11 + 0.1 + 2 / 3)) throw new Error(`HV ${hv}`);
 * ```
 *
 * @module
 */
export {
  asPoints,
  countProgress,
  type CountProgressOptions,
  crowdingDistance,
  decisions,
  defineProblem,
  type DisplayFunction,
  dominates,
  type Fronts,
  nondominatedIndices,
  nondominatedSort,
  objectives,
  ObjectiveValueError,
  type Points,
  type PointsLike,
  type Problem,
  ProblemDefinitionError,
  type ProblemSpec,
  progress,
  type ProgressOptions,
  Rng,
  toRows,
} from "./core/mod.ts";
export {
  algorithmNames,
  type AlgorithmState,
  type AskTell,
  type BaseOptions,
  type Callback,
  describeAlgorithm,
  type GenerationInfo,
  type HistoryEntry,
  makeAlgorithm,
  minimize,
  minimizeAsync,
  MOEAD,
  MOEADDE,
  type MOEADDEOptions,
  MOEADDQN,
  type MOEADDQNOptions,
  MOEADDRA,
  type MOEADDRAOptions,
  MOEADGen,
  type MOEADGenOptions,
  type MOEADOptions,
  MOPSO,
  type MOPSOOptions,
  NSGA2,
  NSGA2ARSBX,
  type NSGA2ARSBXOptions,
  type NSGA2Options,
  NSGA3,
  type NSGA3Options,
  readCheckpoint,
  Result,
  resumeAlgorithm,
  RNSGA2,
  type RNSGA2Options,
  type RunnableAlgorithm,
  type RunOptions,
  SMSEMOA,
  type SMSEMOAOptions,
  writeCheckpoint,
} from "./algorithms/mod.ts";
export {
  type Crossover,
  de,
  type DifferentialVariation,
  type Mutation,
  pm,
  sbx,
} from "./operators/variation.ts";
export {
  getProblem,
  type ProblemOptions,
  simplexLattice,
  type SimplexLatticeOptions,
} from "./problems/mod.ts";
export {
  gd,
  gdPlus,
  hypervolume,
  hypervolumeContributions,
  hypervolumeMonteCarlo,
  igd,
  igdPlus,
  type MonteCarloHV,
  type MonteCarloOptions,
  platemoHV,
  spread,
} from "./indicators/mod.ts";
export {
  type AgreementOptions,
  type AgreementSeries,
  type Curve,
  type CurveOptions,
  type CurveSeries,
  Figure,
  type FrontOptions,
  type FrontSeries,
  plotAgreement,
  plotConvergence,
  plotFront,
  plotParallel,
  renderPlot,
  type RunsSeries,
  type TruthStyle,
} from "./plot/mod.ts";
export {
  type AlgorithmFactory,
  type AnyRunRecord,
  type AnyRunSpec,
  checkPins,
  compareRuns,
  type ComparisonOptions,
  comparisonTable,
  convergenceSeries,
  groupRecords,
  mean,
  medianRun,
  metricOf,
  metricValues,
  note,
  num,
  type PinOptions,
  type PinReport,
  rankSum,
  type RankSumResult,
  type RecordComparisonOptions,
  type RunIndicator,
  runMany,
  type RunManyOptions,
  runOne,
  runOneAsync,
  type RunRecord,
  type RunSpec,
  sci,
  std,
  Table,
} from "./experiment/mod.ts";
export { pick, type Profile, profile } from "./profile.ts";
