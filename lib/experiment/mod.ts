/**
 * Experiments: runs described as data (run in worker threads, cached) or by values (an algorithm
 * factory, sync or async, a Problem object, indicator functions; run in this thread), records grouped
 * for tables and plots, statistics over runs, the tables the papers print, and pinned results for
 * notebooks.
 *
 * @module
 */
export { compareRuns, erfc, mean, median, normalCdf, rankSum, type RankSumResult, std } from "./stats.ts";
export {
  type CellValue,
  type Comparison,
  type ComparisonCell,
  type ComparisonOptions,
  comparisonTable,
  isNumeric,
  note,
  num,
  type RecordComparisonOptions,
  type RunValues,
  sci,
  Table,
} from "./table.ts";
export {
  type AlgorithmFactory,
  type AnyRunSpec,
  isJsonSpec,
  libraryFingerprint,
  readCache,
  type RunIndicator,
  runMany,
  type RunManyOptions,
  runOne,
  runOneAsync,
  type RunRecord,
  type RunSpec,
  specKey,
} from "./run.ts";
export {
  algorithmName,
  type AnyRunRecord,
  convergenceSeries,
  curveOf,
  type GroupBy,
  groupRecords,
  medianRun,
  metricOf,
  metricValues,
  problemName,
} from "./group.ts";
export { checkPins, type PinOptions, type PinReport } from "./pins.ts";
export type { DbRunOptions } from "./db/run_db.ts";
