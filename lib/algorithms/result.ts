/**
 * The result of a run: the final population, its non-dominated (feasible) set, and the history.
 *
 * Names as in pymoo, where `res.F` is the non-dominated set: `result.front` holds the objectives of the
 * non-dominated feasible solutions (pymoo's `res.F`), `result.paretoSet` their decisions, row for row
 * (pymoo's `res.X`), and `result.population` the whole final population (pymoo's `res.pop`; its points
 * are `objectives(result.population)` and `decisions(result.population)`).
 */
import type { Points } from "../core/points.ts";
import type { Population } from "../core/population.ts";
import { nondominatedSort } from "../core/sorting.ts";

/** One generation's record. */
export interface HistoryEntry {
  /** The generation (1 for the first after the initial population, as the algorithm counts). */
  generation: number;
  /** Evaluations used up to and including that generation. */
  evaluations: number;
  /** The tracked indicator (RunOptions.indicator) on that generation's non-dominated set. */
  value?: number;
}

/**
 * What a run returns. Displayable in Jupyter as a one-line summary.
 *
 * @example The front, its decisions and the population
 * ```ts
 * import { decisions, getProblem, NSGA2 } from "moolab";
 *
 * const result = new NSGA2(getProblem("ZDT1"), { popSize: 20, seed: 1 }).run({ maxEvaluations: 400 });
 * result.front; // objectives of the non-dominated solutions, result.front.n × 2
 * result.paretoSet; // their decisions, row for row, result.paretoSet.n × 30
 * decisions(result.population); // the whole final population, 20 × 30
 * if (result.front.n !== result.paretoSet.n || result.population.size !== 20) throw new Error("shape");
 * ```
 */
export class Result {
  /** The algorithm's name, e.g. "NSGA-II". */
  readonly algorithm: string;
  /** The problem's name, e.g. "ZDT1". */
  readonly problem: string;
  /** The whole final population (pymoo's `res.pop`), dominated members included. */
  readonly population: Population;
  /**
   * Objectives of the non-dominated feasible members of the final population (the approximation of the
   * Pareto front; pymoo's `res.F`). When no member is feasible: the members of least constraint violation.
   */
  readonly front: Points;
  /** Decisions of the same members, row k giving row k of {@link front} (the Pareto set; pymoo's `res.X`). */
  readonly paretoSet: Points;
  /** One entry per generation, in order. */
  readonly history: HistoryEntry[];
  /** Evaluations used by the run (those of its last history entry). */
  readonly evaluations: number;
  /** Generations run (that of its last history entry). */
  readonly generations: number;

  /** A result from the final population and the history; the front is computed here ({@link paretoOf}). */
  constructor(algorithm: string, problem: string, population: Population, history: HistoryEntry[]) {
    this.algorithm = algorithm;
    this.problem = problem;
    this.population = population;
    this.history = history;
    const last = history[history.length - 1];
    this.evaluations = last?.evaluations ?? 0;
    this.generations = last?.generation ?? 0;
    const { set, front } = paretoOf(population);
    this.paretoSet = set;
    this.front = front;
  }

  /**
   * The same points as {@link front}, under the name it had before issue 17; kept so that scripts written
   * against it (the peers' side-by-side driver in `../shared/anchors/side/`) keep running.
   * @deprecated Use {@link front}.
   */
  get paretoFront(): Points {
    return this.front;
  }

  /** One line: algorithm, problem, generations, evaluations, front size and the final indicator. */
  toString(): string {
    const v = this.history[this.history.length - 1]?.value;
    return `${this.algorithm} on ${this.problem}: ${this.generations} generations, ${this.evaluations} evaluations, ` +
      `${this.front.n} non-dominated solutions` +
      (v === undefined ? "" : `, final indicator ${v.toFixed(6)}`);
  }

  /** The Jupyter display: {@link toString} as text. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
}

/** The non-dominated feasible members of a population (all rank-0 members when none is feasible). */
export function paretoOf(pop: Population): { set: Points; front: Points; index: Int32Array } {
  const F = { data: pop.F, n: pop.size, m: pop.nObj };
  const { fronts } = nondominatedSort(F, { cv: pop.nConstr > 0 ? pop.CV : undefined, maxCount: 1 });
  const index = fronts[0] ?? new Int32Array(0);
  const set = new Float64Array(index.length * pop.nVar);
  const front = new Float64Array(index.length * pop.nObj);
  index.forEach((i, k) => {
    set.set(pop.X.subarray(i * pop.nVar, (i + 1) * pop.nVar), k * pop.nVar);
    front.set(pop.F.subarray(i * pop.nObj, (i + 1) * pop.nObj), k * pop.nObj);
  });
  return {
    set: { data: set, n: index.length, m: pop.nVar },
    front: { data: front, n: index.length, m: pop.nObj },
    index,
  };
}
