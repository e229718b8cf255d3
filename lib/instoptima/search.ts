/**
 * NSGA-II over instructions (InstOptima, Sec. 2.1 and Algorithm 1; the authors' evo_core/nsga2.py):
 *
 * 1. the initial population (hand-written instructions and mutations of them) is evaluated;
 * 2. each generation, for every member i of the population P: parent 1 is P[i], parent 2 is drawn by
 *    binary tournament (rank, then crowding distance), an operator is drawn (uniformly among the four
 *    by default, as the authors' `random.choice`), and the child is produced by the variation (the LLM
 *    operators for InstOptima and InstOptima-N, word and phrase edits for the text-editing baseline);
 * 3. P ∪ offspring, repeated instructions kept once, is cut back to N by non-dominated rank and crowding
 *    distance (lib/core `nondominatedSort`, `crowdingDistance`; lib/algorithms `rankAndCrowdingIndices`).
 *
 * Every instruction is evaluated once and cached by its text (an evaluation cache can also be shared by
 * several runs on the same task: the evaluation is deterministic). Random draws come from one seeded
 * {@link Rng}; the variation calls of a generation are drawn first and then run concurrently, so a run is
 * reproducible byte for byte given its seed and deterministic models. The state is a plain JSON object
 * ({@link InstructionSearch.toJSON}); `run({checkpoint})` writes it atomically after every generation and
 * {@link InstructionSearch.fromJSON} resumes from it.
 *
 * Two hypervolumes are tracked per generation: `populationHV`, of the first front of the current population
 * (the authors' measure, on the last generation), and `hv`, of the non-dominated instructions among all
 * evaluated so far (the archive; it cannot fall), objectives normalised by {@link normalisedObjectives} (length / 1000, perplexity / scale,
 * 1 / (acc + prec + rec + F1)), reference point (1.5, 1.5, 1.5) as the authors' hyper_volume.py.
 *
 * @module
 */
import { Rng } from "../core/rng.ts";
import { nondominatedSort } from "../core/sorting.ts";
import { crowdingDistance } from "../core/crowding.ts";
import { binaryTournament } from "../core/selection.ts";
import { makePopulation } from "../core/population.ts";
import { rankAndCrowdingIndices } from "../algorithms/nsga2.ts";
import { readCheckpoint, writeCheckpoint } from "../algorithms/minimize.ts";
import { hypervolume } from "../indicators/hypervolume.ts";
import { ReplyFormatError } from "../llm/errors.ts";
import { type Instruction, instructionKey } from "./instruction.ts";
import { type Evaluation, type Evaluator, normalisedObjectives, type ObjectiveScales } from "./objectives.ts";

/** The authors' hypervolume reference point. */
export const HV_REFERENCE = [1.5, 1.5, 1.5] as const;

/** An evaluated instruction. */
export interface Individual {
  /** The instruction. */
  instruction: Instruction;
  /** Its evaluation. */
  evaluation: Evaluation;
  /** Its key ({@link instructionKey}): equal keys, equal instructions. */
  key: string;
  /** The generation it was created in (0: initial population). */
  born: number;
  /** How it was made ("initial", an operator name, "parent copy" after a failed operator call). */
  operator: string;
}

/** One variation call. */
export interface VariationCall {
  /** The operator drawn. */
  operator: string;
  /** A seed drawn for this call from the run's generator. */
  seed: number;
  /** The generation being bred. */
  generation: number;
  /** The offspring slot within the generation. */
  index: number;
  /** A tag unique to the call within its run (cache sample id). */
  tag: string;
}

/** How offspring are made: the LLM operators, or a baseline's edits. */
export interface Variation {
  /** The variation's name (saved in the state). */
  readonly name: string;
  /** The operators to draw from. */
  readonly operators: readonly string[];
  /** Parents the operator takes (1 or 2). */
  arity(operator: string): 1 | 2;
  /** The child of `parents` (throws lib/llm ReplyFormatError when the operator's replies never parse). */
  apply(
    parents: readonly Individual[],
    call: VariationCall,
  ): Promise<{ child: Instruction; attempts?: number }>;
}

/** A cache of evaluations by instruction key (may be shared by runs on the same task and evaluator). */
export type EvaluationCache = Map<string, Promise<Evaluation>>;

/** Options of {@link InstructionSearch}. */
export interface SearchOptions {
  /** Evaluates an instruction. */
  evaluate: Evaluator;
  /** Makes the offspring. */
  variation: Variation;
  /** Population size N (default 30, the authors'). */
  popSize?: number;
  /** Seed of the run. */
  seed: number;
  /** Weights of the operators (default: uniform). */
  operatorWeights?: Record<string, number>;
  /** HV normalisation. */
  scales: ObjectiveScales;
  /** A shared evaluation cache (default: one per run). */
  cache?: EvaluationCache;
  /** Part of every call tag (e.g. the method and seed). */
  tag?: string;
  /**
   * Times a child that repeats an evaluated instruction is made again with a freshly drawn operator and
   * seed, same parents (default 0, the
   * authors': a repeat is kept and costs no evaluation). With retries, runs of different variations
   * spend (nearly) the same number of evaluations; {@link GenerationRecord.repeats} counts what is left.
   */
  distinctRetries?: number;
}

/** What is recorded after each generation. */
export interface GenerationRecord {
  /** The generation. */
  generation: number;
  /** Distinct instructions evaluated by the run so far. */
  evaluations: number;
  /** HV of the non-dominated instructions among all evaluated so far, the archive (normalised, reference 1.5³). */
  hv: number;
  /** Size of the archive's non-dominated set. */
  frontSize: number;
  /** Operator calls that failed after all re-asks (the child is then a copy of parent 1). */
  failures: number;
  /** Replies received beyond the first, summed over the generation's calls. */
  reAsks: number;
  /** Calls per operator in this generation (retries for distinct offspring included). */
  operators: Record<string, number>;
  /** Variation calls made in this generation (retries included). */
  variationCalls: number;
  /** Children that were already evaluated after all retries (no new evaluation spent). */
  repeats: number;
  /**
   * HV of the first front of the current population — the authors' measure (their hyper_volume.py on
   * the last generation's first front); it can fall, unlike {@link hv} of the archive.
   */
  populationHV: number;
}

/** Callback after each generation. */
export type GenerationCallback = (
  record: GenerationRecord,
  search: InstructionSearch,
) => void | Promise<void>;

/** The JSON state of a search. */
export interface SearchState {
  /** Format version. */
  version: 1;
  /** The variation's name. */
  variation: string;
  /** Population size. */
  popSize: number;
  /** Seed of the run. */
  seed: number;
  /** The run's tag. */
  tag: string;
  /** Generations done. */
  generation: number;
  /** The random generator's state. */
  rng: number[];
  /** Every instruction evaluated, in order of evaluation. */
  archive: Individual[];
  /** The population, by key. */
  population: string[];
  /** Every generation's record. */
  history: GenerationRecord[];
}

/** A cap for 1 / (acc + prec + rec + F1) when all four are 0 (keeps objective vectors finite). */
const CAP = 1e6;

/** Objective rows of individuals (raw, capped). */
export function objectiveRows(individuals: readonly Individual[]): number[][] {
  return individuals.map((d) => d.evaluation.objectives.map((v) => Math.min(v, CAP)));
}

/** The non-dominated individuals among `individuals` (order kept). */
export function paretoSet(individuals: readonly Individual[]): Individual[] {
  if (individuals.length === 0) return [];
  const { fronts } = nondominatedSort(objectiveRows(individuals));
  return Array.from(fronts[0], (i) => individuals[i]);
}

/** Hypervolume of individuals, objectives normalised, reference (1.5, 1.5, 1.5). */
export function instructionHypervolume(individuals: readonly Individual[], scales: ObjectiveScales): number {
  if (individuals.length === 0) return 0;
  return hypervolume(individuals.map((d) => normalisedObjectives(d.evaluation, scales)), HV_REFERENCE);
}

/** NSGA-II over instructions (see the module comment). */
export class InstructionSearch {
  /** Population size N. */
  readonly popSize: number;
  /** Seed of the run. */
  readonly seed: number;
  /** Part of every call tag. */
  readonly tag: string;
  /** The options the search was made with. */
  readonly options: SearchOptions;
  /** Generations done (0: the initial population). */
  generation = 0;
  /** The current population. */
  population: Individual[] = [];
  /** Every distinct instruction the run evaluated, by key, in order of evaluation. */
  readonly archive: Map<string, Individual> = new Map();
  /** Every generation's record, in order. */
  readonly history: GenerationRecord[] = [];
  #rng: Rng;
  #cache: EvaluationCache;
  #weights: number[];

  /** A search with these options; throws on a population size below 2. */
  constructor(options: SearchOptions) {
    this.options = options;
    this.popSize = options.popSize ?? 30;
    if (!Number.isInteger(this.popSize) || this.popSize < 2) {
      throw new RangeError(`InstructionSearch: popSize must be an integer ≥ 2, got ${options.popSize}`);
    }
    this.seed = options.seed;
    this.tag = options.tag ?? `${options.variation.name}/seed-${options.seed}`;
    this.#rng = new Rng(options.seed);
    this.#cache = options.cache ?? new Map();
    const ops = options.variation.operators;
    if (ops.length === 0) throw new RangeError("InstructionSearch: the variation has no operators");
    const w = options.operatorWeights;
    if (w) {
      for (const k of Object.keys(w)) {
        if (!ops.includes(k)) {
          throw new RangeError(`InstructionSearch: unknown operator ${k} (have ${ops.join(", ")})`);
        }
      }
    }
    this.#weights = ops.map((o) => (w ? w[o] ?? 0 : 1));
    if (this.#weights.some((x) => !(x >= 0)) || this.#weights.every((x) => x === 0)) {
      throw new RangeError("InstructionSearch: operator weights must be ≥ 0 and not all 0");
    }
  }

  /** The evaluation of an instruction, once per key (from the run's archive or the evaluation cache). */
  #evaluation(instruction: Instruction, key: string): Promise<Evaluation> {
    const known = this.archive.get(key);
    if (known) return Promise.resolve(known.evaluation);
    let p = this.#cache.get(key);
    if (!p) {
      p = this.options.evaluate(instruction);
      this.#cache.set(key, p);
      p.catch(() => this.#cache.delete(key));
    }
    return p;
  }

  /**
   * Evaluates instructions concurrently and records them in the archive in the order given (the first
   * occurrence of a repeated instruction wins), so the archive's order never depends on timing.
   */
  async evaluateAll(
    items: readonly { instruction: Instruction; born: number; operator: string }[],
  ): Promise<Individual[]> {
    const keys = items.map((x) => instructionKey(x.instruction));
    const evaluations = await Promise.all(items.map((x, i) => this.#evaluation(x.instruction, keys[i])));
    return items.map((x, i) => {
      const known = this.archive.get(keys[i]);
      if (known) return known;
      const ind: Individual = { ...x, evaluation: evaluations[i], key: keys[i] };
      this.archive.set(keys[i], ind);
      return ind;
    });
  }

  /** Evaluates the initial population (generation 0). */
  async initialize(initial: readonly Instruction[]): Promise<GenerationRecord> {
    if (this.generation !== 0 || this.population.length > 0) {
      throw new Error("InstructionSearch.initialize: the search has already started");
    }
    if (initial.length < this.popSize) {
      throw new RangeError(
        `InstructionSearch.initialize: ${initial.length} instructions for a population of ${this.popSize}`,
      );
    }
    this.population = await this.evaluateAll(
      initial.slice(0, this.popSize).map((instruction) => ({ instruction, born: 0, operator: "initial" })),
    );
    return this.#record({ failures: 0, reAsks: 0, operators: {}, variationCalls: 0, repeats: 0 });
  }

  #drawOperator(): string {
    const ops = this.options.variation.operators;
    const total = this.#weights.reduce((a, b) => a + b, 0);
    let u = this.#rng.random() * total;
    for (let i = 0; i < ops.length; i++) {
      u -= this.#weights[i];
      if (u < 0) return ops[i];
    }
    return ops[ops.length - 1];
  }

  /** One generation: variation of every member, evaluation, and NSGA-II survival. */
  async step(): Promise<GenerationRecord> {
    if (this.population.length === 0) throw new Error("InstructionSearch.step: call initialize first");
    const P = this.population;
    const N = P.length;
    const rows = objectiveRows(P);
    const { rank, fronts } = nondominatedSort(rows);
    const crowd = new Float64Array(N);
    const F = { data: Float64Array.from(rows.flat()), n: N, m: 3 };
    for (const f of fronts) crowdingDistance(F, f).forEach((d, t) => (crowd[f[t]] = d));
    const second = binaryTournament(this.#rng, N, rank, crowd);
    const gen = this.generation + 1;
    const calls = P.map((_, i) => {
      const operator = this.#drawOperator();
      const seed = this.#rng.int(1_000_000_000);
      return { operator, seed, generation: gen, index: i, tag: `${this.tag}/g${gen}/i${i}` };
    });
    const v = this.options.variation;
    const counts: Record<string, number> = {};
    let failures = 0, reAsks = 0, variationCalls = 0;
    const produce = async (call: VariationCall, i: number): Promise<Instruction | null> => {
      counts[call.operator] = (counts[call.operator] ?? 0) + 1;
      variationCalls++;
      const parents = v.arity(call.operator) === 1 ? [P[i]] : [P[i], P[second[i]]];
      try {
        const r = await v.apply(parents, call);
        reAsks += Math.max(0, (r.attempts ?? 1) - 1);
        return r.child;
      } catch (e) {
        if (!(e instanceof ReplyFormatError)) throw e;
        failures++;
        reAsks += e.replies.length - 1;
        return null; // the operator failed: parent 1 stands in for the child
      }
    };
    const children = await Promise.all(calls.map((call, i) => produce(call, i)));
    // distinct offspring: a child already evaluated (or made earlier in this generation) is made again
    // with a fresh operator and seed, up to `distinctRetries` times, so every run spends its evaluations on new instructions
    const isRepeat = () => {
      const seen = new Set<string>();
      return children.map((c) => {
        if (!c) return false;
        const k = instructionKey(c);
        const repeat = this.archive.has(k) || seen.has(k);
        seen.add(k);
        return repeat;
      });
    };
    for (let retry = 1; retry <= (this.options.distinctRetries ?? 0); retry++) {
      const redo = isRepeat().flatMap((r, i) => (r ? [i] : []));
      if (redo.length === 0) break;
      const again = redo.map((i) => ({
        ...calls[i],
        operator: this.#drawOperator(), // a fresh operator too: a crossover of twin parents repeats itself
        seed: this.#rng.int(1_000_000_000),
        tag: `${calls[i].tag}/r${retry}`,
      }));
      const made = await Promise.all(again.map((call, t) => produce(call, redo[t])));
      redo.forEach((i, t) => (children[i] = made[t]));
    }
    const repeats = isRepeat().filter((r) => r).length;
    const made = children.flatMap((
      child,
      i,
    ) => (child ? [{ instruction: child, born: gen, operator: calls[i].operator }] : []));
    const evaluated = await this.evaluateAll(made);
    let e = 0;
    const offspring = children.map((child, i) => (child ? evaluated[e++] : P[i]));
    // survival over P ∪ offspring, each instruction once
    const seen = new Set<string>();
    const merged: Individual[] = [];
    for (const d of [...P, ...offspring]) {
      if (!seen.has(d.key)) {
        seen.add(d.key);
        merged.push(d);
      }
    }
    let next: Individual[];
    if (merged.length >= N) {
      const mr = objectiveRows(merged);
      const pop = makePopulation(0, 3, 0, new Float64Array(0), Float64Array.from(mr.flat()));
      const idx = rankAndCrowdingIndices({ ...pop, size: merged.length }, N);
      next = Array.from(idx, (i) => merged[i]);
    } else {
      next = Array.from({ length: N }, (_, i) => merged[i % merged.length]);
    }
    this.population = next;
    this.generation = gen;
    return this.#record({ failures, reAsks, operators: counts, variationCalls, repeats });
  }

  #record(
    r: Pick<GenerationRecord, "failures" | "reAsks" | "operators" | "variationCalls" | "repeats">,
  ): GenerationRecord {
    const all = [...this.archive.values()];
    const front = paretoSet(all);
    const rec: GenerationRecord = {
      generation: this.generation,
      evaluations: all.length,
      hv: instructionHypervolume(front, this.options.scales),
      frontSize: front.length,
      populationHV: instructionHypervolume(paretoSet(this.population), this.options.scales),
      ...r,
    };
    this.history.push(rec);
    return rec;
  }

  /** The non-dominated instructions among all evaluated. */
  front(): Individual[] {
    return paretoSet([...this.archive.values()]);
  }

  /**
   * Runs until `maxGenerations` generations are done (the initial population must be evaluated first, or
   * given as `initial`), calling `onGeneration` after each and writing `checkpoint` (atomically) after each.
   */
  async run(o: {
    maxGenerations: number;
    initial?: readonly Instruction[];
    onGeneration?: GenerationCallback;
    checkpoint?: string;
  }): Promise<this> {
    if ("generations" in o) {
      throw new RangeError(
        "InstructionSearch.run: `generations` is now `maxGenerations` (the library's word)",
      );
    }
    if (!Number.isInteger(o.maxGenerations) || o.maxGenerations < 0) {
      throw new RangeError(
        `InstructionSearch.run: maxGenerations must be a non-negative integer, got ${o.maxGenerations}`,
      );
    }
    if (this.population.length === 0) {
      if (!o.initial) {
        throw new Error("InstructionSearch.run: give the initial instructions (or initialize first)");
      }
      const r = await this.initialize(o.initial);
      if (o.checkpoint) writeCheckpoint(o.checkpoint, this.toJSON());
      await o.onGeneration?.(r, this);
    }
    while (this.generation < o.maxGenerations) {
      const r = await this.step();
      if (o.checkpoint) writeCheckpoint(o.checkpoint, this.toJSON());
      await o.onGeneration?.(r, this);
    }
    return this;
  }

  /** The state as plain JSON. */
  toJSON(): SearchState {
    return {
      version: 1,
      variation: this.options.variation.name,
      popSize: this.popSize,
      seed: this.seed,
      tag: this.tag,
      generation: this.generation,
      rng: this.#rng.state(),
      archive: [...this.archive.values()].map((d) => ({
        ...d,
        evaluation: { ...d.evaluation, objectives: [...d.evaluation.objectives] },
      })),
      population: this.population.map((d) => d.key),
      history: this.history.map((h) => ({ ...h, operators: { ...h.operators } })),
    };
  }

  /** A search resumed from {@link toJSON}'s state (or a checkpoint file's path), with the same options. */
  static fromJSON(state: SearchState | string, options: SearchOptions): InstructionSearch {
    const s = typeof state === "string" ? readCheckpoint<SearchState>(state) : state;
    if (s?.version !== 1) throw new RangeError("InstructionSearch.fromJSON: not a version-1 search state");
    if (s.variation !== options.variation.name) {
      throw new RangeError(
        `InstructionSearch.fromJSON: the state is of variation ${s.variation}, the options give ${options.variation.name}`,
      );
    }
    const search = new InstructionSearch({ ...options, popSize: s.popSize, seed: s.seed, tag: s.tag });
    search.#rng.setState(s.rng);
    search.generation = s.generation;
    for (const d of s.archive) {
      if (instructionKey(d.instruction) !== d.key) {
        throw new RangeError(
          `InstructionSearch.fromJSON: archive entry ${d.key.slice(0, 60)}… does not match its instruction`,
        );
      }
      search.archive.set(d.key, d);
    }
    search.population = s.population.map((k, i) => {
      const d = search.archive.get(k);
      if (!d) {
        throw new RangeError(`InstructionSearch.fromJSON: population member ${i} is not in the archive`);
      }
      return d;
    });
    search.history.push(...s.history);
    return search;
  }
}
