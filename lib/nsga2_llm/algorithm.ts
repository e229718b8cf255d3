/**
 * NSGA-II-LLM (Liu, Chen & Tang, Algorithm 1): an MOEA that asks an LLM for solutions only in the
 * generations where the auxiliary score says so, and breeds the LLM's solutions with its own operators
 * (hybrid reproduction).
 *
 * Each generation (after the initial population):
 * 1. S = score(P) (Eq. 6); the rule decides from the generation and two scores (Eq. 8; see rule.ts for
 *    the authors' `pre`/`now` with its reset, the default, and the paper's S_t, S_{t−1}).
 * 2. LLM generation (hybrid base): the mating pool M is drawn by binary tournament; its l most
 *    recurring members are the elites; the four-part prompt with them asks for s solutions; these enter
 *    the pool (authors: solution i replaces elite i's copies in the first half of the pool; paper:
 *    every elite position, cycling) and the base's own crossover and mutation breed the offspring from
 *    it. When the reply is still invalid after the generator's re-ask budget, the generation is bred
 *    from the same pool without LLM solutions (recorded as a fallback).
 * 3. Otherwise the base algorithm breeds the offspring itself.
 * 4. The base's survival on P ∪ Q.
 *
 * `procedure: "authors"` (default) is `NSGAIILLM2Q.m`: the rule with its reset, first-half replacement
 * and full-precision space-separated prompts; run it on NSGA-II-ARSBX, the authors' base.
 * `procedure: "paper"` is the paper read literally: Eq. 8 on consecutive populations in every
 * generation, replacement of every elite position, the example prompt's 3 decimals and commas.
 *
 * The wrapper works with any ask-and-tell algorithm. With a base that exposes
 * `matingPool()`/`askFromPool()` (NSGA-II, NSGA-II-ARSBX), step 2 is the hybrid reproduction. With
 * another base the s LLM solutions replace the first s members of the base's own batch (injection).
 *
 * The LLM call is asynchronous: `prepare()` makes it before `ask()`, so run with `runAsync()`. The
 * state (`toJSON`) holds the base algorithm's state and the rule's memory; with the LLM layer's
 * response cache in replay mode, a resumed run repeats the same prompts, gets the same answers and the
 * same front.
 */
import type { AlgorithmState, AskTell, Rows } from "../algorithms/algorithm.ts";
import { minimize, minimizeAsync, type RunOptions } from "../algorithms/minimize.ts";
import type { Result } from "../algorithms/result.ts";
import { resumeAlgorithm } from "../algorithms/registry.ts";
import type { Population } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import { nondominatedSort } from "../core/sorting.ts";
import { crowdingDistance } from "../core/crowding.ts";
import { type AuxiliaryScore, auxiliaryScore } from "./score.ts";
import { adaptiveRule, type DecisionRule, paperRule, type ScoreComparison } from "./rule.ts";
import { recurringElites, replaceInFirstHalf, replaceRecurring } from "./elites.ts";
import {
  buildPrompt,
  type PromptFormat,
  type PromptMessage,
  promptMessages,
  type PromptParts,
} from "./prompt.ts";

/** What the solution generator is asked for. */
export interface GenerationRequest {
  /** The generation being bred (the initial population is generation 1). */
  generation: number;
  /** s: how many solutions. */
  count: number;
  /** Number of decision variables. */
  nVar: number;
  /** Lower bounds of the variables. */
  lower: Float64Array;
  /** Upper bounds of the variables. */
  upper: Float64Array;
  /** The prompt's parts, for logs and notebooks. */
  parts: PromptParts;
}

/**
 * Turns a prompt into `count` solutions (row-major, count × nVar, inside the bounds), or `null` when no
 * valid reply came within its re-ask budget (the generation then falls back to plain reproduction).
 * `llmSolutionGenerator` implements it over any OpenAI-compatible endpoint.
 */
export type SolutionGenerator = (
  messages: PromptMessage[],
  request: GenerationRequest,
) => Promise<Float64Array | null>;

/** A base algorithm that lets NSGA-II-LLM take part in its mating (NSGA-II does). */
export interface HybridBase extends AskTell {
  /** The next mating pool: population indices drawn by the base's selection. */
  matingPool(): Int32Array;
  /** The next batch bred from `pool`; indices from the population size on refer to the rows of `extra`. */
  askFromPool(pool: ArrayLike<number>, extra?: Float64Array): Float64Array;
  /** Rank (0 = non-dominated) and crowding distance of each member of the population. */
  selectionData(): { rank: Int32Array; crowding: Float64Array };
}

function isHybrid(a: AskTell): a is HybridBase {
  const h = a as Partial<HybridBase>;
  return typeof h.matingPool === "function" && typeof h.askFromPool === "function" &&
    typeof h.selectionData === "function";
}

/** Settings of {@link NSGA2LLM}. */
export interface NSGA2LLMOptions {
  /** The LLM (or any generator of solutions from the prompt). */
  generator: SolutionGenerator;
  /** l: elite examples in the prompt (default 5). */
  examples?: number;
  /** s: solutions asked of the LLM (default 3). */
  proposals?: number;
  /**
   * "authors" (default: `NSGAIILLM2Q.m`) or "paper" (the literal reading); sets the defaults of `rule`,
   * `comparison`, `replacement` and `format` (see the module comment).
   */
  procedure?: "authors" | "paper";
  /** When to use the LLM (default: {@link adaptiveRule} δ 0.1 for "authors", {@link paperRule} for "paper"). */
  rule?: DecisionRule;
  /** Which two scores the rule compares (default: the procedure's). */
  comparison?: ScoreComparison;
  /** How the LLM solutions enter the mating pool (default: the procedure's). */
  replacement?: "first-half" | "all";
  /** How the prompt writes numbers (default: the procedure's). */
  format?: PromptFormat;
  /** The auxiliary score (default: the paper's Eq. 6). */
  score?: AuxiliaryScore;
}

/** One generation's record. */
export interface LLMGenerationRecord {
  /** The generation bred. */
  generation: number;
  /** The score of the population this generation was bred from. */
  score: number;
  /** The two scores the rule compared (`pre`, `now` in the authors' code; S_{t−1}, S_t in the paper). */
  previousScore: number;
  /** The other score the rule compared (`now`, S_t). */
  compared: number;
  /** The rule asked for the LLM. */
  usedLLM: boolean;
  /** The LLM gave no valid reply within the re-ask budget: bred by plain reproduction instead. */
  fallback: boolean;
}

interface Plan {
  generation: number;
  score: number;
  previousScore: number;
  compared: number;
  usedLLM: boolean;
  fallback: boolean;
  pool?: Int32Array;
  elites?: Int32Array;
  solutions?: Float64Array;
}

/** The memory of the decision: the last population's score and whether its step used the LLM. */
interface Memory {
  lastScore: number;
  lastUsedLLM: boolean;
  lastStepScore: number;
}

/** NSGA-II-LLM around any ask-and-tell base algorithm (NSGA-II in the paper). */
export class NSGA2LLM implements AskTell {
  /** The base algorithm wrapped. */
  readonly base: AskTell;
  readonly name: string;
  /** l: elite examples in the prompt. */
  readonly examples: number;
  /** s: solutions asked of the LLM. */
  readonly proposals: number;
  /** Every generation's score and decision, in order. */
  readonly records: LLMGenerationRecord[] = [];
  /** The prompt of the last LLM generation (for notebooks). */
  lastPrompt?: PromptParts;
  /** "authors" (their MATLAB code) or "paper" (the literal reading). */
  readonly procedure: "authors" | "paper";
  /** Which two scores the rule compares. */
  readonly comparison: ScoreComparison;
  /** How the LLM's solutions enter the mating pool. */
  readonly replacement: "first-half" | "all";
  /** How numbers are written in the prompt. */
  readonly format: PromptFormat;
  #generator: SolutionGenerator;
  #rule: DecisionRule;
  #score: AuxiliaryScore;
  #memory: Memory = { lastScore: 0, lastUsedLLM: false, lastStepScore: 0 };
  #plan: Plan | null = null;

  /** NSGA-II-LLM around `base` (a {@link HybridBase} for the hybrid reproduction) with `options`. */
  constructor(base: AskTell, options: NSGA2LLMOptions) {
    if (!options || typeof options.generator !== "function") {
      throw new TypeError("NSGA2LLM: options.generator (the LLM) is required");
    }
    this.base = base;
    this.name = `${base.name}-LLM`;
    this.examples = options.examples ?? 5;
    this.proposals = options.proposals ?? 3;
    for (const [k, v] of [["examples", this.examples], ["proposals", this.proposals]] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(`NSGA2LLM: ${k} must be a positive integer, got ${v}`);
      }
    }
    const procedure = options.procedure ?? "authors";
    if (procedure !== "authors" && procedure !== "paper") {
      throw new RangeError(
        `NSGA2LLM: procedure must be "authors" or "paper", got ${JSON.stringify(procedure)}`,
      );
    }
    this.procedure = procedure;
    const authors = procedure === "authors";
    this.comparison = options.comparison ?? (authors ? "authors" : "paper");
    this.replacement = options.replacement ?? (authors ? "first-half" : "all");
    this.format = options.format ?? (authors ? "authors" : "paper");
    if (this.comparison !== "authors" && this.comparison !== "paper") {
      throw new RangeError(`NSGA2LLM: comparison must be "authors" or "paper", got ${this.comparison}`);
    }
    if (this.replacement !== "first-half" && this.replacement !== "all") {
      throw new RangeError(`NSGA2LLM: replacement must be "first-half" or "all", got ${this.replacement}`);
    }
    this.#generator = options.generator;
    this.#rule = options.rule ?? (authors ? adaptiveRule() : paperRule());
    this.#score = options.score ?? auxiliaryScore;
  }

  /** The base algorithm's problem. */
  get problem(): Problem {
    return this.base.problem;
  }
  get generation(): number {
    return this.base.generation;
  }
  get evaluations(): number {
    return this.base.evaluations;
  }
  get batchSize(): number {
    return this.base.batchSize;
  }
  /** How many generations used LLM solutions so far (fallbacks excluded). */
  get llmGenerations(): number {
    return this.records.filter((r) => r.usedLLM && !r.fallback).length;
  }

  /** How many generations asked the LLM but fell back to plain reproduction. */
  get fallbacks(): number {
    return this.records.filter((r) => r.fallback).length;
  }

  population(): Population {
    return this.base.population();
  }

  /** Decides this generation (once) and, when the LLM is used, asks it; resolves when ask() can run. */
  prepare(): Promise<void> | undefined {
    if (this.generation === 0 || this.#plan || (this.base as { pending?: boolean }).pending) return undefined;
    const plan = this.#decide();
    if (!plan.usedLLM) {
      this.#plan = plan;
      return undefined;
    }
    return this.#askLLM(plan).then((p) => {
      this.#plan = p;
    });
  }

  #decide(): Plan {
    const pop = this.base.population();
    const F = { data: pop.F, n: pop.size, m: pop.nObj };
    const score = this.#score(F, pop.nConstr > 0 ? pop.CV : undefined);
    const generation = this.generation + 1;
    const m = this.#memory;
    // authors: after a plain generation pre = 0, now = 1; after an LLM one, the scores around that step
    const [previousScore, compared] = this.comparison === "paper"
      ? [m.lastScore, score]
      : m.lastUsedLLM
      ? [m.lastStepScore, score]
      : [0, 1];
    const usedLLM = this.#rule({ generation, score: compared, previousScore });
    return { generation, score, previousScore, compared, usedLLM, fallback: false };
  }

  async #askLLM(plan: Plan): Promise<Plan> {
    const pop = this.base.population();
    const { nVar, nObj, lower, upper } = this.problem;
    let pool: Int32Array | undefined, elites: Int32Array;
    if (isHybrid(this.base)) {
      pool = this.base.matingPool();
      const { rank, crowding } = this.base.selectionData();
      elites = recurringElites(pool, Math.min(this.examples, pop.size), rank, crowding);
    } else {
      const { rank, crowding } = rankAndCrowding(pop);
      const order = Array.from(rank.keys()).sort((a, b) =>
        rank[a] - rank[b] || crowding[b] - crowding[a] || a - b
      );
      elites = Int32Array.from(order.slice(0, this.examples));
    }
    const solutions = new Float64Array(elites.length * nVar),
      objectives = new Float64Array(elites.length * nObj);
    elites.forEach((i, k) => {
      solutions.set(pop.X.subarray(i * nVar, (i + 1) * nVar), k * nVar);
      objectives.set(pop.F.subarray(i * nObj, (i + 1) * nObj), k * nObj);
    });
    const parts = buildPrompt({
      solutions,
      objectives,
      nVar,
      nObj,
      count: this.proposals,
      lower,
      upper,
      format: this.format,
    });
    this.lastPrompt = parts;
    const proposed = await this.#generator(promptMessages(parts), {
      generation: plan.generation,
      count: this.proposals,
      nVar,
      lower,
      upper,
      parts,
    });
    if (proposed === null) return { ...plan, pool, elites, fallback: true };
    if (proposed.length !== this.proposals * nVar) {
      throw new RangeError(
        `NSGA2LLM: the generator returned ${proposed.length} values, expected ${this.proposals} × ${nVar}`,
      );
    }
    for (let k = 0; k < proposed.length; k++) {
      const j = k % nVar;
      if (!(proposed[k] >= lower[j] && proposed[k] <= upper[j])) {
        throw new RangeError(
          `NSGA2LLM: generated value ${proposed[k]} of variable ${j} is outside the bounds`,
        );
      }
    }
    return { ...plan, pool, elites, solutions: proposed };
  }

  ask(): Float64Array {
    if (this.generation === 0 || (this.base as { pending?: boolean }).pending) return this.base.ask();
    if (!this.#plan) {
      const plan = this.#decide();
      if (plan.usedLLM) {
        throw new Error(
          `${this.name}: generation ${plan.generation} asks the LLM; await prepare() first or use runAsync()`,
        );
      }
      this.#plan = plan;
    }
    const plan = this.#plan;
    if (!plan.usedLLM) return this.base.ask();
    const size = this.base.population().size;
    if (plan.pool && isHybrid(this.base)) {
      if (plan.fallback) return this.base.askFromPool(plan.pool);
      const replace = this.replacement === "all" ? replaceRecurring : replaceInFirstHalf;
      const { pool } = replace(plan.pool, plan.elites!, size, this.proposals);
      return this.base.askFromPool(pool, plan.solutions);
    }
    if (plan.fallback) return this.base.ask();
    const X = this.base.ask();
    X.set(plan.solutions!.subarray(0, Math.min(plan.solutions!.length, X.length)));
    return X;
  }

  tell(F: Rows, G?: Rows): void {
    const plan = this.#plan;
    this.base.tell(F, G);
    if (plan) {
      this.records.push({
        generation: plan.generation,
        score: plan.score,
        previousScore: plan.previousScore,
        compared: plan.compared,
        usedLLM: plan.usedLLM,
        fallback: plan.fallback,
      });
      // a fallback generation was bred plainly: the authors' reset applies
      this.#memory = {
        lastScore: plan.score,
        lastUsedLLM: plan.usedLLM && !plan.fallback,
        lastStepScore: plan.score,
      };
      this.#plan = null;
    }
  }

  toJSON(): AlgorithmState {
    if (this.#plan) {
      throw new Error(`${this.name}: save the state between generations (after tell), not within one`);
    }
    return {
      algorithm: this.name,
      problem: this.problem.name,
      nVar: this.problem.nVar,
      nObj: this.problem.nObj,
      version: 1,
      // format of this wrapper's own fields (2: the rule's memory replaces the single previous score)
      wrapperVersion: 2,
      base: this.base.toJSON(),
      procedure: this.procedure,
      memory: { ...this.#memory },
      records: this.records,
    };
  }

  /**
   * Restores a state saved with {@link toJSON} into this wrapper, whose base must be a fresh algorithm
   * restored from `state.base` (e.g. `NSGA2.fromJSON(problem, state.base)`).
   */
  restore(state: AlgorithmState): this {
    if (state.algorithm !== this.name) {
      throw new RangeError(`${this.name}: the state was saved by ${state.algorithm}`);
    }
    if (state.wrapperVersion !== 2) {
      throw new RangeError(
        `${this.name}: state format ${state.wrapperVersion ?? 1} is not supported (expected 2)`,
      );
    }
    const m = state.memory as Memory;
    if (!m || typeof m.lastUsedLLM !== "boolean") {
      throw new RangeError(`${this.name}: the state has no memory`);
    }
    const num = (v: unknown) => (typeof v === "number" ? v : v === null ? -Infinity : NaN);
    this.#memory = {
      lastScore: num(m.lastScore),
      lastUsedLLM: m.lastUsedLLM,
      lastStepScore: num(m.lastStepScore),
    };
    this.records.splice(0, this.records.length, ...(state.records as LLMGenerationRecord[]));
    return this;
  }

  /**
   * A run restored from {@link toJSON}: the base algorithm from `state.base` (by name, through the
   * algorithm registry), then this wrapper's own state.
   */
  static fromJSON(problem: Problem, state: AlgorithmState, options: NSGA2LLMOptions): NSGA2LLM {
    return new NSGA2LLM(resumeAlgorithm(problem, state.base as AlgorithmState), options).restore(state);
  }

  /** Passes the run's termination on to the base algorithm (e.g. MOPSO's mutation horizon). */
  begin(termination: { maxEvaluations?: number; maxGenerations?: number }): void {
    this.base.begin?.(termination);
  }

  /** Runs synchronously: only possible while no generation needs the LLM; use {@link runAsync}. */
  run(options: RunOptions): Result {
    return minimize(this, options);
  }

  /** Runs, awaiting the LLM calls. */
  runAsync(options: RunOptions): Promise<Result> {
    return minimizeAsync(this, options);
  }
}

function rankAndCrowding(pop: Population): { rank: Int32Array; crowding: Float64Array } {
  const F = { data: pop.F, n: pop.size, m: pop.nObj };
  const { rank, fronts } = nondominatedSort(F, { cv: pop.nConstr > 0 ? pop.CV : undefined });
  const crowding = new Float64Array(pop.size);
  for (const f of fronts) {
    const d = crowdingDistance(F, f);
    f.forEach((i, t) => (crowding[i] = d[t]));
  }
  return { rank, crowding };
}
