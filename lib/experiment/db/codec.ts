/**
 * Specs and records as text in the database. JSON cannot hold `-0`, `NaN` or `±Infinity`; they are
 * written as `{"$num": "-0"}` (and so on) and restored on reading, so a record read back from the
 * database is the same, number for number, as the one the worker computed (`JSON.stringify` of both
 * gives the same bytes). A row that does not decode is a {@link ForeignRowError}.
 *
 * @module
 */
import type { RunRecord, RunSpec } from "../run.ts";
import { ForeignRowError } from "./errors.ts";
import { algorithmNames } from "../../algorithms/registry.ts";
import { problems } from "../../problems/mod.ts";

/** The format of `spec` and `record` texts in `moolab.jobs`; rows of another format are foreign. */
export const JOB_FORMAT = 1;

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return undefined;
}

/** JSON text of a value, with non-finite numbers and -0 kept (see the module comment). */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _k: string, v: unknown) {
    if (typeof v === "number") {
      const s = special(v);
      if (s !== undefined) return { $num: s };
    }
    return v;
  });
}

/** The inverse of {@link encodeJson}. */
export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_k, v) => {
    if (
      v && typeof v === "object" && !Array.isArray(v) && typeof v.$num === "string" &&
      Object.keys(v).length === 1
    ) {
      return Number(v.$num);
    }
    return v;
  });
}

const isInt = (v: unknown) => typeof v === "number" && Number.isInteger(v);

/** Checks that `value` is a {@link RunSpec}; returns the problem, or undefined when it is one. */
export function specProblem(value: unknown): string | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "the spec is not an object";
  const s = value as Record<string, unknown>;
  if (typeof s.algorithm !== "string" || s.algorithm === "") return "spec.algorithm is not a name";
  if (typeof s.problem !== "string" || s.problem === "") return "spec.problem is not a name";
  if (!isInt(s.seed)) return "spec.seed is not an integer";
  if (!isInt(s.maxEvaluations) || (s.maxEvaluations as number) <= 0) {
    return "spec.maxEvaluations is not a positive integer";
  }
  for (const k of ["popSize", "nVar", "nObj", "curveEvery"]) {
    if (s[k] !== undefined && !isInt(s[k])) return `spec.${k} is not an integer`;
  }
  if (s.options !== undefined && (!s.options || typeof s.options !== "object" || Array.isArray(s.options))) {
    return "spec.options is not an object";
  }
  return undefined;
}

/**
 * A job row's spec; a {@link ForeignRowError} when the row's format is not ours, the spec does not parse,
 * or it names an algorithm or problem this library does not have.
 */
export function decodeSpec(row: { id: number; format: number; spec: string }): RunSpec {
  if (row.format !== JOB_FORMAT) {
    throw new ForeignRowError(
      "moolab.jobs",
      row.id,
      `format ${row.format}, this library reads format ${JOB_FORMAT}`,
    );
  }
  let value: unknown;
  try {
    value = decodeJson(row.spec);
  } catch (e) {
    throw new ForeignRowError("moolab.jobs", row.id, `spec is not JSON (${(e as Error).message})`);
  }
  const problem = specProblem(value);
  if (problem) throw new ForeignRowError("moolab.jobs", row.id, `${problem}: ${row.spec.slice(0, 120)}`);
  const spec = value as RunSpec;
  if (!algorithmNames.some((n) => n.toUpperCase() === spec.algorithm.toUpperCase())) {
    throw new ForeignRowError(
      "moolab.jobs",
      row.id,
      `no algorithm ${JSON.stringify(spec.algorithm)} in this library`,
    );
  }
  if (!Object.hasOwn(problems, spec.problem.toUpperCase())) {
    throw new ForeignRowError(
      "moolab.jobs",
      row.id,
      `no problem ${JSON.stringify(spec.problem)} in this library`,
    );
  }
  return spec;
}

/** A done job's record; a {@link ForeignRowError} when it is not a run record. */
export function decodeRecord(row: { id: number; format: number; record: string | null }): RunRecord {
  if (row.format !== JOB_FORMAT) {
    throw new ForeignRowError(
      "moolab.jobs",
      row.id,
      `format ${row.format}, this library reads format ${JOB_FORMAT}`,
    );
  }
  if (row.record === null) throw new ForeignRowError("moolab.jobs", row.id, "status done but no record");
  let value: unknown;
  try {
    value = decodeJson(row.record);
  } catch (e) {
    throw new ForeignRowError("moolab.jobs", row.id, `record is not JSON (${(e as Error).message})`);
  }
  const r = value as Partial<RunRecord>;
  if (
    !r || typeof r !== "object" || specProblem(r.spec) !== undefined || typeof r.HV !== "number" ||
    typeof r.IGD !== "number" || !Array.isArray(r.front) || !Array.isArray(r.curve)
  ) {
    throw new ForeignRowError(
      "moolab.jobs",
      row.id,
      `record is not a run record: ${row.record.slice(0, 120)}`,
    );
  }
  return r as RunRecord;
}
