/**
 * Variation operators as values, pymoo-style: `new NSGA2(problem, { crossover: sbx({ eta: 15 }),
 * mutation: pm({ eta: 20 }) })`. An operator value is a small plain object: a `name`, its JSON-able
 * `options`, and one function on typed arrays that draws from the run's {@link Rng}:
 *
 * - a {@link Crossover} writes two children of two parents (`cross`);
 * - a {@link Mutation} changes one decision vector in place (`mutate`);
 * - a {@link DifferentialVariation} writes one child from a base vector and a difference (`vary`).
 *
 * Each function receives the {@link VariableSpace} (bounds and integer mask), so an operator decides
 * once, for every algorithm, how integer variables are treated: {@link sbx} and {@link pm} use the
 * integer forms of ./integer.ts (pymoo's: the real operator on [lb − ½, ub + ½], then rounding) when
 * some variable is integer, and their distribution index η defaults to 3 when every variable is
 * integer (pymoo's integer setting), else 20. {@link de} rounds integer variables (./de.ts).
 *
 * An algorithm saves its operators in its state as `{ name, ...options }` ({@link operatorSpec}); the
 * built-in names (`"sbx"`, `"pm"`, `"de"`) are rebuilt from that on resume and from plain-JSON options
 * (the registry's `{ crossover: { name: "sbx", eta: 15 } }`). A custom operator — any object with a
 * name and the function — is used as given; its code is not in the saved state, so resuming a run
 * that used one needs it passed again (the algorithm's `fromJSON(problem, state, { crossover })`).
 */
import type { Problem } from "../core/problem.ts";
import type { Rng } from "../core/rng.ts";
import { type SbxOptions, simulatedBinaryCrossover } from "./sbx.ts";
import { type PmOptions, polynomialMutation, polynomialMutationPlatEMO } from "./mutation.ts";
import { DE_REPAIRS, type DeOptions, deRand1Bin } from "./de.ts";
import { integerPolynomialMutation, integerSbx, roundIntoBounds, widenedBounds } from "./integer.ts";

/** What an operator knows about the variables: the bounds and which ones are integer. */
export interface VariableSpace {
  /** Lower bound of each variable. */
  readonly lower: Float64Array;
  /** Upper bound of each variable. */
  readonly upper: Float64Array;
  /** 1 where the variable is integer (absent: all real). */
  readonly integer?: Uint8Array;
  /** True when some variable is integer. */
  readonly anyInteger: boolean;
  /** True when every variable is integer. */
  readonly allInteger: boolean;
}

/** The variable space of a problem. */
export function variableSpace(problem: Problem): VariableSpace {
  const { lower, upper, integer, nVar } = problem;
  let count = 0;
  if (integer) { for (let j = 0; j < integer.length; j++) if (integer[j]) count++; }
  return {
    lower,
    upper,
    integer: count > 0 ? integer : undefined,
    anyInteger: count > 0,
    allInteger: count > 0 && count === nVar,
  };
}

/** What every operator value has: a name (saved in the state) and JSON-able options. */
export interface Operator {
  /** The operator's name, saved in the state ("sbx", "pm", "de", "platemo-pm" or a custom one's). */
  readonly name: string;
  /** The settings, saved in the state beside the name (plain JSON; default none). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A crossover: two children `c1`, `c2` (rows of length n) of parents `p1`, `p2`. */
export interface Crossover extends Operator {
  /** Writes the children of `p1` and `p2` into `c1` and `c2`, drawing from `rng`. */
  cross(
    rng: Rng,
    p1: ArrayLike<number>,
    p2: ArrayLike<number>,
    c1: Float64Array,
    c2: Float64Array,
    space: VariableSpace,
  ): void;
}

/** A mutation: changes the decision vector `x` in place. */
export interface Mutation extends Operator {
  /** Changes `x` in place, drawing from `rng`. */
  mutate(rng: Rng, x: Float64Array, space: VariableSpace): void;
}

/** A differential variation: `child` from base vector `base` and the difference `a − b`. */
export interface DifferentialVariation extends Operator {
  /** Writes into `child` the variation of `base` by the difference `a − b`, drawing from `rng`. */
  vary(
    rng: Rng,
    base: ArrayLike<number>,
    a: ArrayLike<number>,
    b: ArrayLike<number>,
    child: Float64Array,
    space: VariableSpace,
  ): void;
}

/** An operator as saved in a state or written in plain-JSON options: its name and its options. */
export type OperatorSpec = { name: string } & Record<string, unknown>;

/** The three kinds of operator, by the function each one has. */
export type OperatorKind = "crossover" | "mutation" | "differential";
const FUNCTION: Record<OperatorKind, string> = {
  crossover: "cross",
  mutation: "mutate",
  differential: "vary",
};

/**
 * A bad operator option, naming the operator (or the algorithm and its option) and the setting:
 * "sbx: prob must be in [0, 1], got 2", "SMS-EMOA: crossover.prob must be in [0, 1], got 2".
 */
export class OperatorOptionError extends RangeError {
  /** The option's name. */
  readonly option: string;
  /** What is wrong with its value. */
  readonly problem: string;
  /**
   * An error whose message is "where: option problem" (or "where problem" when `plain`).
   * @param where the operator, or "algorithm: key.option"
   * @param option the option's name
   * @param problem what is wrong with its value
   * @param plain `where` already names the option
   */
  constructor(where: string, option: string, problem: string, plain = false) {
    super(plain ? `${where} ${problem}` : `${where}: ${option} ${problem}`);
    this.option = option;
    this.problem = problem;
    this.name = "OperatorOptionError";
  }
}

function checkUnitOption(op: string, name: string, v: unknown): void {
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
    throw new OperatorOptionError(op, name, `must be in [0, 1], got ${v}`);
  }
}

function checkEtaOption(op: string, v: unknown): void {
  if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) {
    throw new OperatorOptionError(op, "eta", `must be a finite number ≥ 0, got ${v}`);
  }
}

function checkKeys(op: string, options: object, known: readonly string[]): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new RangeError(`${op}: options must be an object, got ${JSON.stringify(options)}`);
  }
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) {
      throw new OperatorOptionError(op, k, `is not an option of ${op} (known: ${known.join(", ")})`);
    }
  }
}

/** Drops the keys whose value is undefined (so that defaults apply and saved states stay small). */
function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * Simulated binary crossover as a value (see ./sbx.ts): `prob` (default 0.9) that a pair is crossed,
 * per-variable `probVar` (0.5), distribution index `eta` (default 20; 3 when every variable is
 * integer). With integer variables it is pymoo's integer SBX (./integer.ts).
 */
export function sbx(options: SbxOptions = {}): Crossover {
  checkKeys("sbx", options, ["prob", "eta", "probVar"]);
  const o = defined({ prob: 0.9, probVar: 0.5, ...options });
  checkUnitOption("sbx", "prob", o.prob);
  checkUnitOption("sbx", "probVar", o.probVar);
  if (o.eta !== undefined) checkEtaOption("sbx", o.eta);
  // the settings the kernels get, per kind of space (built once)
  const real: SbxOptions = { prob: o.prob, eta: o.eta ?? 20, probVar: o.probVar };
  let lastSpace: VariableSpace | null = null;
  let integerOptions: SbxOptions & { integer?: Uint8Array } = real;
  return {
    name: "sbx",
    options: Object.freeze({ ...o }),
    cross(rng, p1, p2, c1, c2, space) {
      if (!space.anyInteger) {
        simulatedBinaryCrossover(rng, p1, p2, c1, c2, space.lower, space.upper, real);
        return;
      }
      if (space !== lastSpace) {
        lastSpace = space;
        integerOptions = { ...real, eta: o.eta ?? (space.allInteger ? 3 : 20), integer: space.integer };
      }
      integerSbx(rng, p1, p2, c1, c2, space.lower, space.upper, integerOptions);
    },
  };
}

/**
 * Polynomial mutation as a value (see ./mutation.ts): per-variable `prob` (default 1/n), distribution
 * index `eta` (default 20; 3 when every variable is integer). With integer variables it is pymoo's
 * integer polynomial mutation (./integer.ts).
 */
export function pm(options: PmOptions = {}): Mutation {
  checkKeys("pm", options, ["prob", "eta"]);
  const o = defined({ ...options });
  if (o.prob !== undefined) checkUnitOption("pm", "prob", o.prob);
  if (o.eta !== undefined) checkEtaOption("pm", o.eta);
  const real: PmOptions = { prob: o.prob, eta: o.eta ?? 20 };
  let lastSpace: VariableSpace | null = null;
  let integerOptions: PmOptions & { integer?: Uint8Array } = real;
  return {
    name: "pm",
    options: Object.freeze({ ...o }),
    mutate(rng, x, space) {
      if (!space.anyInteger) {
        polynomialMutation(rng, x, space.lower, space.upper, real);
        return;
      }
      if (space !== lastSpace) {
        lastSpace = space;
        integerOptions = { prob: o.prob, eta: o.eta ?? (space.allInteger ? 3 : 20), integer: space.integer };
      }
      integerPolynomialMutation(rng, x, space.lower, space.upper, integerOptions);
    },
  };
}

/**
 * PlatEMO's polynomial mutation (`PolyMut.m`, ./mutation.ts) as a value, the default of MOEA/D-DQN:
 * per-variable `prob` (default 1/n), `eta` (default 20; 3 when every variable is integer). With
 * integer variables it acts on [lb − ½, ub + ½] and rounds, as the integer {@link pm}.
 */
export function platemoPm(options: PmOptions = {}): Mutation {
  checkKeys("platemo-pm", options, ["prob", "eta"]);
  const o = defined({ ...options });
  if (o.prob !== undefined) checkUnitOption("platemo-pm", "prob", o.prob);
  if (o.eta !== undefined) checkEtaOption("platemo-pm", o.eta);
  const real: PmOptions = { prob: o.prob, eta: o.eta ?? 20 };
  let lastSpace: VariableSpace | null = null;
  let integerOptions: PmOptions = real;
  return {
    name: "platemo-pm",
    options: Object.freeze({ ...o }),
    mutate(rng, x, space) {
      if (!space.anyInteger) {
        polynomialMutationPlatEMO(rng, x, space.lower, space.upper, real);
        return;
      }
      if (space !== lastSpace) {
        lastSpace = space;
        integerOptions = { prob: o.prob, eta: o.eta ?? (space.allInteger ? 3 : 20) };
      }
      const w = widenedBounds(space.lower, space.upper, space.integer);
      polynomialMutationPlatEMO(rng, x, w.lower, w.upper, integerOptions);
      roundIntoBounds(x, space.lower, space.upper, space.integer);
    },
  };
}

/**
 * DE/rand/1/bin as a value (see ./de.ts): scale factor `F` (default 0.5, finite, ≥ 0), crossover
 * rate `CR` (default 1, in [0, 1]), bound `repair` ("parent", "random" or "clip"; default "parent"),
 * `forceOne` (the forced index j_rand; default true). Integer variables are rounded into the bounds.
 */
export function de(options: DeOptions = {}): DifferentialVariation {
  checkKeys("de", options, ["F", "CR", "repair", "forceOne"]);
  const o = defined({ F: 0.5, CR: 1.0, repair: "parent" as const, ...options });
  if (typeof o.F !== "number" || !(o.F >= 0) || !Number.isFinite(o.F)) {
    throw new OperatorOptionError("de", "F", `must be a finite number ≥ 0, got ${o.F}`);
  }
  checkUnitOption("de", "CR", o.CR);
  if (!DE_REPAIRS.includes(o.repair as string)) {
    throw new OperatorOptionError("de", "repair", `must be "parent", "random" or "clip", got "${o.repair}"`);
  }
  if (o.forceOne !== undefined && typeof o.forceOne !== "boolean") {
    throw new OperatorOptionError("de", "forceOne", `must be true or false, got ${o.forceOne}`);
  }
  const settings: DeOptions = { ...o };
  return {
    name: "de",
    options: Object.freeze({ ...o }),
    vary(rng, base, a, b, child, space) {
      deRand1Bin(rng, base, a, b, child, space.lower, space.upper, settings, space.integer);
    },
  };
}

/** The built-in operators by kind and name, rebuilt from `{ name, ...options }`. */
const BUILT_IN: Record<OperatorKind, Record<string, (options: Record<string, unknown>) => Operator>> = {
  crossover: { sbx: (o) => sbx(o as SbxOptions) },
  mutation: { pm: (o) => pm(o as PmOptions), "platemo-pm": (o) => platemoPm(o as PmOptions) },
  differential: { de: (o) => de(o as DeOptions) },
};

/** True when `v` is an operator value of `kind` (an object with a name and the kind's function). */
export function isOperator(v: unknown, kind?: OperatorKind): v is Operator {
  if (v === null || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  if (kind) return typeof o[FUNCTION[kind]] === "function";
  return Object.values(FUNCTION).some((f) => typeof o[f] === "function");
}

/** The saved form of an operator: `{ name, ...options }`. */
export function operatorSpec(op: Operator): OperatorSpec {
  return { ...(op.options ?? {}), name: op.name };
}

/** `options` with every operator value replaced by its {@link operatorSpec} (for a saved state). */
export function operatorsToSpecs(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k] = isOperator(v) ? operatorSpec(v as Operator) : v;
  return out;
}

/**
 * The operator an algorithm uses for option `key`:
 * - undefined → `fallback` (the algorithm's default);
 * - an operator value of the right kind → itself (a custom operator included);
 * - `{ name, ...options }` → the built-in operator of that name with those options;
 * - options without a name (the older form, e.g. `crossover: { eta: 15 }`) → the default operator
 *   with those options over the default's.
 * Anything else is a RangeError naming the algorithm and the option.
 */
export function resolveOperator<T extends Operator>(
  algorithm: string,
  key: string,
  kind: OperatorKind,
  value: unknown,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  const where = `${algorithm}: ${key}`;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new RangeError(`${where} must be an operator value or its options, got ${JSON.stringify(value)}`);
  }
  if (isOperator(value)) {
    if (!isOperator(value, kind)) {
      throw new RangeError(
        `${where}: "${(value as Operator).name}" is not a ${kind} operator (it has no ${FUNCTION[kind]}())`,
      );
    }
    if (typeof (value as Operator).name !== "string" || (value as Operator).name === "") {
      throw new RangeError(`${where}: an operator needs a non-empty name (it is saved in the state)`);
    }
    return value as T;
  }
  const { name, ...rest } = value as Record<string, unknown>;
  const known = BUILT_IN[kind];
  const factory = known[(name ?? fallback.name) as string];
  if (name !== undefined && (typeof name !== "string" || !factory)) {
    throw new RangeError(
      `${where}: ${JSON.stringify(name)} is not a built-in ${kind} operator (built in: ${
        Object.keys(known).join(", ")
      }); a custom operator is not saved with a state — pass the operator value again ` +
        `(fromJSON(problem, state, { ${key}: … }))`,
    );
  }
  if (!factory) {
    throw new RangeError(
      `${where}: options without a name need the built-in default, not "${fallback.name}"`,
    );
  }
  const merged = name === undefined ? { ...(fallback.options ?? {}), ...rest } : rest;
  try {
    return factory(merged) as T;
  } catch (e) {
    // "SMS-EMOA: crossover.prob must be in [0, 1], got 2"
    if (e instanceof OperatorOptionError) {
      throw new OperatorOptionError(`${algorithm}: ${key}.${e.option}`, e.option, e.problem, true);
    }
    throw e;
  }
}

/**
 * Saved options with the operators given on resume put in place of their saved specs; each given
 * operator's name must be the saved one.
 */
export function withOperators<O>(algorithm: string, saved: O, operators: object = {}): O {
  const out = { ...saved } as Record<string, unknown>;
  for (const [key, op] of Object.entries(operators) as [string, Operator | undefined][]) {
    if (op === undefined) continue;
    const s = out[key] as { name?: unknown } | undefined;
    const savedName = s && typeof s === "object" ? s.name : undefined;
    if (savedName !== undefined && savedName !== op.name) {
      throw new RangeError(
        `${algorithm}: the saved state's ${key} is "${
          String(savedName)
        }", but the operator given is "${op.name}"`,
      );
    }
    out[key] = op;
  }
  return out as O;
}
