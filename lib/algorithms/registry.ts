/**
 * Every algorithm by name, so that experiments can be described as plain data (and run in workers):
 * `makeAlgorithm("NSGA-II", problem, { popSize: 100, seed: 1 })`, and `resumeAlgorithm` for a saved state.
 */
import type { Problem } from "../core/problem.ts";
import type { AlgorithmState, AskTell } from "./algorithm.ts";
import type { Result } from "./result.ts";
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
  resume: (problem: Problem, state: AlgorithmState) => RunnableAlgorithm;
  /** One line for tables and help. */
  description: string;
}

// deno-lint-ignore no-explicit-any
type AnyOptions = any;

const entries: Record<string, Entry> = {
  "NSGA-II": {
    make: (p, o) => new NSGA2(p, o as AnyOptions),
    resume: (p, s) => NSGA2.fromJSON(p, s),
    description: "Deb et al. 2002: non-dominated sorting, crowding distance, SBX + PM",
  },
  "NSGA-II-ARSBX": {
    make: (p, o) => new NSGA2ARSBX(p, o as AnyOptions),
    resume: (p, s) => NSGA2ARSBX.fromJSON(p, s),
    description: "NSGA-II with the adaptive rotation-based SBX of Pan et al. (PlatEMO's ARSBX)",
  },
  "NSGA-III": {
    make: (p, o) => new NSGA3(p, o as AnyOptions),
    resume: (p, s) => NSGA3.fromJSON(p, s),
    description: "Deb & Jain 2014: reference directions, normalisation, niching",
  },
  "R-NSGA-II": {
    make: (p, o) => new RNSGA2(p, o as AnyOptions),
    resume: (p, s) => RNSGA2.fromJSON(p, s),
    description: "Deb & Sundar 2006: reference points with epsilon-clearing",
  },
  "MOEA/D": {
    make: (p, o) => new MOEAD(p, o as AnyOptions),
    resume: (p, s) => MOEAD.fromJSON(p, s),
    description: "Zhang & Li 2007: decomposition (Tchebycheff or PBI), SBX + PM",
  },
  "MOEA/D-DE": {
    make: (p, o) => new MOEADDE(p, o as AnyOptions),
    resume: (p, s) => MOEADDE.fromJSON(p, s),
    description: "Li & Zhang 2009: DE operator, mating probability delta, at most nr replacements",
  },
  "MOEA/D-DRA": {
    make: (p, o) => new MOEADDRA(p, o as AnyOptions),
    resume: (p, s) => MOEADDRA.fromJSON(p, s),
    description: "Zhang, Liu & Li 2009 (CEC 2009 winner): dynamic resource allocation",
  },
  "MOEA/D-DQN": {
    make: (p, o) => new MOEADDQN(p, o as AnyOptions),
    resume: (p, s) => MOEADDQN.fromJSON(p, s),
    description: "Tian et al. 2023 (PlatEMO): MOEA/D-DRA with a deep Q-network choosing among four operators",
  },
  "MOEA/D-GEN": {
    make: (p, o) => new MOEADGen(p, o as AnyOptions),
    resume: (p, s) => MOEADGen.fromJSON(p, s),
    description: "pagmo's generational MOEA/D (moead_gen)",
  },
  "SMS-EMOA": {
    make: (p, o) => new SMSEMOA(p, o as AnyOptions),
    resume: (p, s) => SMSEMOA.fromJSON(p, s),
    description: "Beume, Naujoks & Emmerich 2007: steady state, hypervolume-contribution selection",
  },
  "MOPSO": {
    make: (p, o) => new MOPSO(p, o as AnyOptions),
    resume: (p, s) => MOPSO.fromJSON(p, s),
    description: "Coello Coello, Pulido & Lechuga 2004: external archive with an adaptive grid",
  },
};

/** The registered algorithm names. */
export const algorithmNames: readonly string[] = Object.freeze(Object.keys(entries));

/** A one-line description of each algorithm. */
export function describeAlgorithm(name: string): string {
  return entry(name).description;
}

function entry(name: string): Entry {
  const e = entries[name];
  if (!e) {
    throw new RangeError(`unknown algorithm ${JSON.stringify(name)}; known: ${algorithmNames.join(", ")}`);
  }
  return e;
}

/** A new algorithm by name. */
export function makeAlgorithm(
  name: string,
  problem: Problem,
  options: Record<string, unknown> = {},
): RunnableAlgorithm {
  return entry(name).make(problem, options);
}

/** An algorithm restored from a state saved with `toJSON()` (the state names the algorithm). */
export function resumeAlgorithm(problem: Problem, state: AlgorithmState): RunnableAlgorithm {
  return entry(state.algorithm).resume(problem, state);
}
