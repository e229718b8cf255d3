/**
 * The MOEA core: point sets, problems, populations, seeded random numbers, dominance, sorting,
 * crowding, selection, progress.
 *
 * @module
 */
export {
  asPoints,
  assertFinite,
  isPoints,
  type Points,
  points,
  type PointsLike,
  take,
  toRows,
} from "./points.ts";
export {
  defineProblem,
  ObjectiveValueError,
  type Problem,
  ProblemDefinitionError,
  type ProblemSpec,
  validateBounds,
  validateIntegerBounds,
} from "./problem.ts";
export {
  concat,
  constraintViolation,
  decisions,
  evaluatePopulation,
  makePopulation,
  objectives,
  type Population,
  select,
} from "./population.ts";
export { Rng } from "./rng.ts";
export { compareConstrained, compareDominance, dominates } from "./dominance.ts";
export { type Fronts, nondominatedIndices, nondominatedSort, type SortOptions } from "./sorting.ts";
export { crowdingDistance } from "./crowding.ts";
export { binaryTournament, crowdedBetter } from "./selection.ts";
export {
  countProgress,
  type CountProgressOptions,
  type DisplayFunction,
  formatProgress,
  type LineOptions,
  progress,
  type ProgressOptions,
} from "./progress.ts";
