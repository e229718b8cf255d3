/**
 * Experiments: statistics over runs and the tables the papers print.
 *
 * @module
 */
export { compareRuns, erfc, mean, median, normalCdf, rankSum, type RankSumResult, std } from "./stats.ts";
export {
  type ComparisonCell,
  type ComparisonOptions,
  comparisonTable,
  type RunValues,
  sci,
  Table,
} from "./table.ts";
