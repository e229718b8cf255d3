/**
 * Run records grouped for tables and plots: the algorithm and problem a record belongs to, one metric
 * of a record by name, records grouped by algorithm, problem or seed, the values an indicator takes per
 * algorithm and problem (what {@link comparisonTable} lays out), the median run of a group (the run a
 * front plot shows), and the convergence curves of a group (what `plotConvergence` draws).
 *
 * @module
 */
import type { AnyRunSpec, RunRecord } from "./run.ts";

/** A record of any spec. */
export type AnyRunRecord = RunRecord<AnyRunSpec>;

/** The algorithm's name of a spec: its name, or the name of its algorithm factory. */
export function algorithmName(spec: AnyRunSpec): string {
  return typeof spec.algorithm === "string" ? spec.algorithm : spec.algorithm.name;
}

/** The problem's name of a spec: its name, or the name of its problem object. */
export function problemName(spec: AnyRunSpec): string {
  return typeof spec.problem === "string" ? spec.problem : spec.problem.name;
}

/**
 * One number of a record by name: `HV`, `IGD`, `evaluations`, `generations`, one of the spec's
 * `indicators`, or a number the algorithm factory kept in `details`. An unknown name is an error
 * listing the names the record has.
 */
export function metricOf(record: AnyRunRecord, metric: string): number {
  if (metric === "HV" || metric === "IGD" || metric === "evaluations" || metric === "generations") {
    return record[metric];
  }
  const v = record.indicators?.[metric] ?? record.details?.[metric];
  if (typeof v === "number") return v;
  const have = [
    "HV",
    "IGD",
    "evaluations",
    "generations",
    ...Object.keys(record.indicators ?? {}),
    ...Object.entries(record.details ?? {}).filter(([, x]) => typeof x === "number").map(([k]) => k),
  ];
  throw new RangeError(
    `metricOf: the record of ${algorithmName(record.spec)} on ${
      problemName(record.spec)
    } has no number "${metric}" ` +
      `(it has ${have.join(", ")})`,
  );
}

/** What {@link groupRecords} groups by: a part of the spec, or a function giving the group's name. */
export type GroupBy<R extends AnyRunRecord> = "algorithm" | "problem" | "seed" | ((record: R) => string);

function keyOf<R extends AnyRunRecord>(by: GroupBy<R>): (record: R) => string {
  if (typeof by === "function") return by;
  if (by === "algorithm") return (r) => algorithmName(r.spec);
  if (by === "problem") return (r) => problemName(r.spec);
  if (by === "seed") return (r) => String(r.spec.seed);
  throw new RangeError(
    `groupRecords: cannot group by ${String(by)} (use algorithm, problem, seed or a function)`,
  );
}

/**
 * The records grouped by algorithm, problem, seed or a function of the record: groups in the order
 * their first record appears, records in each group in their given order.
 */
export function groupRecords<R extends AnyRunRecord>(
  records: readonly R[],
  by: GroupBy<R>,
): Map<string, R[]> {
  const key = keyOf(by);
  const groups = new Map<string, R[]>();
  for (const r of records) {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

/**
 * The values of one metric ({@link metricOf}) by algorithm and problem: `values[algorithm][problem]`
 * is one value per run, in the records' order. The input of {@link comparisonTable}.
 */
export function metricValues(
  records: readonly AnyRunRecord[],
  metric: string,
): Record<string, Record<string, number[]>> {
  const v: Record<string, Record<string, number[]>> = {};
  for (const r of records) {
    ((v[algorithmName(r.spec)] ??= {})[problemName(r.spec)] ??= []).push(metricOf(r, metric));
  }
  return v;
}

/**
 * The median run of a group by a metric (default HV): the runs sorted by it (ties keep their order),
 * the one at ⌊(n − 1)/2⌋ — with an even count the lower of the two middle runs, a run that exists.
 */
export function medianRun<R extends AnyRunRecord>(records: readonly R[], metric = "HV"): R {
  if (records.length === 0) throw new RangeError("medianRun: no records");
  const sorted = [...records].sort((a, b) => metricOf(a, metric) - metricOf(b, metric));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** A record's curve as `{ x: evaluations, y: indicator }` (empty arrays when it has none). */
export function curveOf(record: AnyRunRecord): { x: number[]; y: number[] } {
  return { x: record.curve.map((p) => p[0]), y: record.curve.map((p) => p[1]) };
}

/**
 * The convergence curves of the records, one series per algorithm (in order of first appearance)
 * holding every run's curve: what `plotConvergence` draws as mean lines over min–max bands. Records
 * without a curve (`curveEvery` unset) are an error naming the run.
 */
export function convergenceSeries(
  records: readonly AnyRunRecord[],
): { label: string; runs: { x: number[]; y: number[] }[] }[] {
  return [...groupRecords(records, "algorithm")].map(([label, runs]) => ({
    label,
    runs: runs.map((r) => {
      if (r.curve.length === 0) {
        throw new RangeError(
          `convergenceSeries: the run of ${label} on ${
            problemName(r.spec)
          } (seed ${r.spec.seed}) has no curve: ` +
            `set curveEvery in its spec`,
        );
      }
      return curveOf(r);
    }),
  }));
}
