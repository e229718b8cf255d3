/**
 * The result of a run: the final population, its non-dominated (feasible) set, and the history.
 */
import type { Points } from "../core/points.ts";
import type { Population } from "../core/population.ts";
import { nondominatedSort } from "../core/sorting.ts";

/** One generation's record. */
export interface HistoryEntry {
  /** The generation (the initial population is generation 1). */
  generation: number;
  /** Evaluations up to and including it. */
  evaluations: number;
  /** The tracked indicator (RunOptions.indicator) on that generation's non-dominated set. */
  value?: number;
}

/** What a run returns. Displayable in Jupyter as a one-line summary. */
export class Result {
  /** The algorithm's name. */
  readonly algorithm: string;
  /** The problem's name. */
  readonly problem: string;
  /** The final population (decisions, objectives, constraints). */
  readonly population: Population;
  /** Decisions of the non-dominated feasible solutions (the approximation of the Pareto set). */
  readonly paretoSet: Points;
  /** Objectives of the same solutions (the approximation of the Pareto front). */
  readonly paretoFront: Points;
  /** One entry per generation. */
  readonly history: HistoryEntry[];
  /** Evaluations spent. */
  readonly evaluations: number;
  /** Generations run. */
  readonly generations: number;

  /** The result of a run of `algorithm` on `problem` ending with `population`. */
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
    this.paretoFront = front;
  }

  /** Final population objectives. */
  get F(): Points {
    return { data: this.population.F, n: this.population.size, m: this.population.nObj };
  }

  /** Final population decisions. */
  get X(): Points {
    return { data: this.population.X, n: this.population.size, m: this.population.nVar };
  }

  /** One line: algorithm, problem, generations, evaluations, non-dominated solutions. */
  toString(): string {
    const v = this.history[this.history.length - 1]?.value;
    return `${this.algorithm} on ${this.problem}: ${this.generations} generations, ${this.evaluations} evaluations, ` +
      `${this.paretoFront.n} non-dominated solutions` +
      (v === undefined ? "" : `, final indicator ${v.toFixed(6)}`);
  }

  /** Displays the one-line summary. */
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
