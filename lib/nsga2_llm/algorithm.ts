/**
 * NSGA-II-LLM (Liu, Chen & Tang, Algorithm 1): an MOEA that asks an LLM for solutions only in the
 * generations where the auxiliary score says it helps, and breeds the LLM's solutions with its own
 * operators (hybrid reproduction).
 *
 * Each generation t (after the initial population):
 * 1. S_t = score(P_t); the rule decides from (t, S_t, S_{t−1}) whether to use the LLM (Eq. 8).
 * 2. LLM generation (NSGA-II base): the mating pool M_t is drawn by binary tournament; its l most
 *    recurring members are the elites p_t; the four-part prompt with p_t asks for s solutions o_t;
 *    the positions of p_t in M_t are taken by o_t; SBX and polynomial mutation breed Q_t from M_t.
 * 3. Otherwise the base algorithm breeds Q_t itself.
 * 4. P_{t+1} = the base algorithm's survival on P_t ∪ Q_t; S_{t−1} ← S_t.
 *
 * The wrapper works with any ask-and-tell algorithm. With NSGA-II (or any base that exposes
 * `matingPool()`/`askFromPool()`), step 2 is the paper's hybrid reproduction. With another base the
 * s LLM solutions replace the first s members of the base's own batch (injection), since its mating
 * is internal; the notebook says when this applies.
 *
 * The LLM call is asynchronous: `prepare()` makes it before `ask()`, so run with `runAsync()`. The
 * state (`toJSON`) holds the base algorithm's state and S_{t−1}; with the LLM layer's response cache in
 * replay mode, a resumed run repeats the same prompts, gets the same answers and the same front.
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
import { adaptiveRule, type DecisionRule } from "./rule.ts";
import { recurringElites, replaceRecurring } from "./elites.ts";
import { buildPrompt, type PromptMessage, promptMessages, type PromptParts } from "./prompt.ts";

/** What the solution generator is asked for. */
export interface GenerationRequest {
  /** The generation being bred (the initial population is generation 1). */
  generation: number;
  /** s: how many solutions. */
  count: number;
  nVar: number;
  lower: Float64Array;
  upper: Float64Array;
  /** The prompt's parts, for logs and notebooks. */
  parts: PromptParts;
}

/**
 * Turns a prompt into `count` solutions (row-major, count × nVar, inside the bounds). The LLM layer's
 * `llmSolutionGenerator` implements it over any OpenAI-compatible endpoint; the reply is parsed,
 * validated, re-asked when malformed, and clipped to the bounds there.
 */
export type SolutionGenerator = (
  messages: PromptMessage[],
  request: GenerationRequest,
) => Promise<Float64Array>;

/** A base algorithm that lets NSGA-II-LLM take part in its mating (NSGA-II does). */
export interface HybridBase extends AskTell {
  matingPool(): Int32Array;
  askFromPool(pool: ArrayLike<number>, extra?: Float64Array): Float64Array;
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
  /** When to use the LLM (default: the paper's adaptive rule, δ 0.1, with the authors' warm-up). */
  rule?: DecisionRule;
  /** The auxiliary score (default: the paper's Eq. 6). */
  score?: AuxiliaryScore;
  /** Decimals of the numbers in the prompt (default 3). */
  decimals?: number;
}

/** One generation's record. */
export interface LLMGenerationRecord {
  generation: number;
  score: number;
  previousScore: number;
  usedLLM: boolean;
}

interface Plan {
  generation: number;
  score: number;
  usedLLM: boolean;
  pool?: Int32Array;
  elites?: Int32Array;
  solutions?: Float64Array;
}

/** NSGA-II-LLM around any ask-and-tell base algorithm (NSGA-II in the paper). */
export class NSGA2LLM implements AskTell {
  readonly base: AskTell;
  readonly name: string;
  readonly examples: number;
  readonly proposals: number;
  /** Every generation's score and decision, in order. */
  readonly records: LLMGenerationRecord[] = [];
  /** The prompt of the last LLM generation (for notebooks). */
  lastPrompt?: PromptParts;
  #generator: SolutionGenerator;
  #rule: DecisionRule;
  #score: AuxiliaryScore;
  #decimals: number;
  #previousScore = 0;
  #plan: Plan | null = null;

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
    this.#generator = options.generator;
    this.#rule = options.rule ?? adaptiveRule();
    this.#score = options.score ?? auxiliaryScore;
    this.#decimals = options.decimals ?? 3;
  }

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
  /** How many generations used the LLM so far. */
  get llmGenerations(): number {
    return this.records.filter((r) => r.usedLLM).length;
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
    const usedLLM = this.#rule({ generation, score, previousScore: this.#previousScore });
    return { generation, score, usedLLM };
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
      decimals: this.#decimals,
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
      const { pool } = replaceRecurring(plan.pool, plan.elites!, size, this.proposals);
      return this.base.askFromPool(pool, plan.solutions);
    }
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
        previousScore: this.#previousScore,
        usedLLM: plan.usedLLM,
      });
      this.#previousScore = plan.score;
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
      base: this.base.toJSON(),
      previousScore: this.#previousScore,
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
    const prev = state.previousScore;
    this.#previousScore = typeof prev === "number" ? prev : prev === null ? -Infinity : 0;
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
