/**
 * Every algorithm by name, so that experiments can be described as plain data (and run in workers):
 * `makeAlgorithm("NSGA-II", problem, { popSize: 100, seed: 1 })`, and `resumeAlgorithm` for a saved state.
 * Operators are plain data there too: `{ crossover: { name: "sbx", eta: 15 }, mutation: { name: "pm" } }`
 * (the built-in names of ../operators/variation.ts); operator values are accepted as well.
 * Names are case-insensitive (`"nsga-ii"` is `"NSGA-II"`), the same rule as `getProblem`'s; an unknown
 * name's error lists the known ones.
 */
import type { Problem } from "../core/problem.ts";
import type { AlgorithmState, AskTell } from "./algorithm.ts";
import type { Result } from "./result.ts";
import type { Operator } from "../operators/variation.ts";
import type { RunOptions } from "./minimize.ts";
import { NSGA2 } from "./nsga2.ts";
import { NSGA2ARSBX } from "./nsga2_arsbx.ts";
import { NSGA3 } from "./nsga3.ts";
import { RNSGA2 } from "./rnsga2.ts";
import { MOEAD } from "./moead.ts";
import { MOEADDE } from "./moead_de.ts";
import { MOEADDRA } from "./moead_dra.ts";
import { MOEADDQN } from "./moead_dqn.ts";
import { MOEADGen } from "./moead_gen.ts";
import { SMSEMOA } from "./smsemoa.ts";
import { MOPSO } from "./mopso.ts";

/** An algorithm that can also run itself (every algorithm in moolab). */
export interface RunnableAlgorithm extends AskTell {
  /** Runs to the termination in `options` (see {@link minimize}). */
  run(options: RunOptions): Result;
  /** As `run`, awaiting callbacks and LLM work (see {@link minimizeAsync}). */
  runAsync(options: RunOptions): Promise<Result>;
}

interface Entry {
  make: (problem: Problem, options: Record<string, unknown>) => RunnableAlgorithm;
  resume: (problem: Problem, state: AlgorithmState, operators: AnyOptions) => RunnableAlgorithm;
  /** One line for tables and help. */
  description: string;
}

// deno-lint-ignore no-explicit-any
type AnyOptions = any;

const entries: Record<string, Entry> = {
  "NSGA-II": {
    make: (p, o) => new NSGA2(p, o as AnyOptions),
    resume: (p, s, o) => NSGA2.fromJSON(p, s, o),
    description: "Deb et al. 2002: non-dominated sorting, crowding distance, SBX + PM",
  },
  "NSGA-II-ARSBX": {
    make: (p, o) => new NSGA2ARSBX(p, o as AnyOptions),
    resume: (p, s, o) => NSGA2ARSBX.fromJSON(p, s, o),
    description: "NSGA-II with the adaptive rotation-based SBX of Pan et al. (PlatEMO's ARSBX)",
  },
  "NSGA-III": {
    make: (p, o) => new NSGA3(p, o as AnyOptions),
    resume: (p, s, o) => NSGA3.fromJSON(p, s, o),
    description: "Deb & Jain 2014: reference directions, normalisation, niching",
  },
  "R-NSGA-II": {
    make: (p, o) => new RNSGA2(p, o as AnyOptions),
    resume: (p, s, o) => RNSGA2.fromJSON(p, s, o),
    description: "Deb & Sundar 2006: reference points with epsilon-clearing",
  },
  "MOEA/D": {
    make: (p, o) => new MOEAD(p, o as AnyOptions),
    resume: (p, s, o) => MOEAD.fromJSON(p, s, o),
    description: "Zhang & Li 2007: decomposition (Tchebycheff or PBI), SBX + PM",
  },
  "MOEA/D-DE": {
    make: (p, o) => new MOEADDE(p, o as AnyOptions),
    resume: (p, s, o) => MOEADDE.fromJSON(p, s, o),
    description: "Li & Zhang 2009: DE operator, mating probability delta, at most nr replacements",
  },
  "MOEA/D-DRA": {
    make: (p, o) => new MOEADDRA(p, o as AnyOptions),
    resume: (p, s, o) => MOEADDRA.fromJSON(p, s, o),
    description: "Zhang, Liu & Li 2009 (CEC 2009 winner): dynamic resource allocation",
  },
  "MOEA/D-DQN": {
    make: (p, o) => new MOEADDQN(p, o as AnyOptions),
    resume: (p, s, o) => MOEADDQN.fromJSON(p, s, o),
    description: "Tian et al. 2023 (PlatEMO): MOEA/D-DRA with a deep Q-network choosing among four operators",
  },
  "MOEA/D-GEN": {
    make: (p, o) => new MOEADGen(p, o as AnyOptions),
    resume: (p, s, o) => MOEADGen.fromJSON(p, s, o),
    description: "pagmo's generational MOEA/D (moead_gen)",
  },
  "SMS-EMOA": {
    make: (p, o) => new SMSEMOA(p, o as AnyOptions),
    resume: (p, s, o) => SMSEMOA.fromJSON(p, s, o),
    description: "Beume, Naujoks & Emmerich 2007: steady state, hypervolume-contribution selection",
  },
  "MOPSO": {
    make: (p, o) => new MOPSO(p, o as AnyOptions),
    resume: (p, s, o) => MOPSO.fromJSON(p, s, o),
    description: "Coello Coello, Pulido & Lechuga 2004: external archive with an adaptive grid",
  },
};

/** The registered algorithm names. */
export const algorithmNames: readonly string[] = Object.freeze(Object.keys(entries));

/** A one-line description of each algorithm. */
export function describeAlgorithm(name: string): string {
  return entry(name).description;
}

/** The registered names by their upper-case form, for the case-insensitive lookup. */
const byUpperCase: ReadonlyMap<string, string> = new Map(algorithmNames.map((n) => [n.toUpperCase(), n]));

/** The registered spelling of `name` (case-insensitive): `algorithmName("moea/d-de")` is `"MOEA/D-DE"`. */
export function algorithmName(name: string): string {
  const known = byUpperCase.get(String(name).toUpperCase());
  if (known === undefined) {
    throw new RangeError(`unknown algorithm ${JSON.stringify(name)}; known: ${algorithmNames.join(", ")}`);
  }
  return known;
}

function entry(name: string): Entry {
  return entries[algorithmName(name)];
}

/** A new algorithm by name (case-insensitive). */
export function makeAlgorithm(
  name: string,
  problem: Problem,
  options: Record<string, unknown> = {},
): RunnableAlgorithm {
  return entry(name).make(problem, options);
}

/**
 * An algorithm restored from a state saved with `toJSON()` (the state names the algorithm); custom
 * operators the run used are passed again in `operators` (e.g. `{ crossover: myCrossover }`).
 */
export function resumeAlgorithm(
  problem: Problem,
  state: AlgorithmState,
  operators: Record<string, Operator> = {},
): RunnableAlgorithm {
  return entry(state.algorithm).resume(problem, state, operators);
}
