/**
 * Experiments: runs described as data (run in worker threads, cached) or by values (an algorithm
 * factory, sync or async, a Problem object, indicator functions; run in this thread), records grouped
 * for tables and plots, statistics over runs, the tables the papers print, and pinned results for
 * notebooks.
 *
 * @example Two algorithms, three seeds, a rank-sum test
 * ```ts
 * import { mean, rankSum, runMany, runOne, type RunSpec } from "moolab";
 *
 * const specs: RunSpec[] = ["NSGA-II", "MOEA/D"].flatMap((algorithm) =>
 *   [1, 2, 3].map((seed) => ({ algorithm, problem: "ZDT1", seed, maxEvaluations: 2_000, popSize: 40 }))
 * );
 * const records = await runMany(specs, { workers: 1 }); // in the order of `specs`
 * const hv = (name: string) => records.filter((r) => r.spec.algorithm === name).map((r) => r.HV);
 * const { p } = rankSum(hv("NSGA-II"), hv("MOEA/D")); // two-sided, exact at these sizes (MATLAB's ranksum)
 * const summary = `NSGA-II ${mean(hv("NSGA-II"))}, MOEA/D ${mean(hv("MOEA/D"))}, p = ${p}`;
 * // Every run is seeded: run again alone, a spec gives the same record.
 * if (runOne(specs[4]).HV !== records[4].HV) throw new Error(`not reproducible: ${summary}`);
 * ```
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
export type { Sql } from "./db/connect.ts";
