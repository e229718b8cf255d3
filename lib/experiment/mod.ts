/**
 * Experiments: runs described as data (run in worker threads, cached), statistics over runs, the
 * tables the papers print, and pinned results for notebooks.
 *
 * @module
 */
export { compareRuns, erfc, mean, median, normalCdf, rankSum, type RankSumResult, std } from "./stats.ts";
export {
  type CellValue,
  type ComparisonCell,
  type ComparisonOptions,
  comparisonTable,
  isNumeric,
  note,
  num,
  type RunValues,
  sci,
  Table,
} from "./table.ts";
export {
  libraryFingerprint,
  readCache,
  runMany,
  type RunManyOptions,
  runOne,
  type RunRecord,
  type RunSpec,
  specKey,
} from "./run.ts";
export { checkPins, type PinOptions, type PinReport } from "./pins.ts";
