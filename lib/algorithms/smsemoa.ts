/**
 * SMS-EMOA (Beume, Naujoks & Emmerich 2007, "SMS-EMOA: Multiobjective selection based on dominated
 * hypervolume", European Journal of Operational Research 181(3):1653–1669): a steady-state (μ + 1)
 * algorithm. Every generation makes one offspring and removes one of the μ + 1 solutions: the
 * non-dominated sorting (Deb's constraint-domination when there are constraints) finds the worst
 * front, and its member with the smallest exclusive hypervolume contribution is removed.
 *
 * Choices where the paper, pymoo and PlatEMO differ:
 * - Variation: two distinct parents drawn uniformly at random (PlatEMO's `randperm(N, 2)`; the paper
 *   draws them at random too), SBX then polynomial mutation, the first SBX child kept. Defaults are the
 *   paper's: p_c 0.9, η_c 15, p_m 1/n, η_m 20 (pymoo: the same η; PlatEMO: p_c 1, η_c 20).
 * - The worst front is always reduced by hypervolume contribution, as in the paper's Algorithm 2. The
 *   paper's optional "number of dominating points" rule for the case of several fronts (Section 3.2,
 *   which pymoo does not use and PlatEMO does not use either) is not used.
 * - Reference point, 2 objectives: without a given `ref`, the two extreme points of the front get an
 *   infinite contribution (they are always kept) and an inner point i, with the front sorted by f1,
 *   gets (f1[i+1] − f1[i])·(f2[i−1] − f2[i]) — the paper's 2-D rule and PlatEMO's. With `ref` the
 *   extremes use `ref` as their missing neighbour.
 * - Reference point, 3 or more objectives: `ref` when given, else the worst value of each objective on
 *   the front + 1 (the paper's choice; PlatEMO uses 1.1 × the worst value and a Monte Carlo estimate;
 *   pymoo normalises and uses 1 + 10). Contributions are exact: for 3 objectives each point's
 *   contribution is the volume of its box minus the hypervolume of the "limit set"
 *   {max(a_i, a_j) : j ≠ i} (While, Bradstreet & Barone's WFG identity), computed with a dimension
 *   sweep (lib/indicators/hv_contrib3.ts); for 4+ objectives the same identity with the many-objective
 *   hypervolume, via `hypervolumeContributions` (lib/indicators/hypervolume.ts).
 * - Ties between equal contributions go to the first member in population order.
 *
 * Speed: the population lives in preallocated typed arrays of μ + 1 rows; the offspring goes into row μ
 * and the removed row is overwritten by it, so a step allocates almost nothing. While the population
 * is one non-dominated feasible front (the usual case after the first generations), the worst front of
 * the μ + 1 is found in O(μ·m) from the offspring's dominance relations alone; otherwise a full
 * non-dominated sort is done. `population()` returns a copy made when it is asked for (so a `Result`
 * is never changed by later steps).
 */
import { nondominatedSort } from "../core/sorting.ts";
import type { Population } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import type { SbxOptions } from "../operators/sbx.ts";
import type { PmOptions } from "../operators/mutation.ts";
import {
  type Crossover,
  type Mutation,
  type OperatorSpec,
  pm,
  resolveOperator,
  sbx,
  variableSpace,
  withOperators,
} from "../operators/variation.ts";
import { hypervolumeContributions } from "../indicators/hypervolume.ts";
import { Contrib3Scratch, contribution3 } from "../indicators/hv_contrib3.ts";

/** Re-exported from lib/indicators/hv_contrib3.ts, where the 3-objective kernel now lives. */
export { hypervolumeContributions3 } from "../indicators/hv_contrib3.ts";
import type { AlgorithmState } from "./algorithm.ts";
import { type BaseOptions, PopulationAlgorithm, savedOptions } from "./base.ts";

/** SMS-EMOA settings. */
export interface SMSEMOAOptions extends BaseOptions {
  /**
   * The crossover: an operator value (default `sbx({ prob: 0.9, eta: 15 })`; η 3 on all-integer
   * problems), a built-in's `{ name, ...options }`, or SBX settings over the default's.
   */
  crossover?: Crossover | OperatorSpec | SbxOptions;
  /**
   * The mutation: an operator value (default `pm()`: p 1/n, η 20, 3 on all-integer problems), a
   * built-in's `{ name, ...options }`, or PM settings over the default's.
   */
  mutation?: Mutation | OperatorSpec | PmOptions;
  /**
   * A fixed reference point for the hypervolume contributions (one value per objective). Default: none
   * (2 objectives: extremes kept; 3+: the worst point of the front + 1).
   */
  ref?: number[];
}

/** SMS-EMOA with ask-and-tell (one offspring per `ask()`), `run()`, and exact resume. */
export class SMSEMOA extends PopulationAlgorithm<SMSEMOAOptions> {
  /** "SMS-EMOA". */
  readonly name: string = "SMS-EMOA";
  #X: Float64Array;
  #F: Float64Array;
  #G: Float64Array;
  #CV: Float64Array;
  /** The live population: rows 0..μ−1 of the buffers. */
  #view: Population;
  #snapshot: Population | null = null;
  /** True when the μ members are feasible and mutually non-dominated. */
  #singleFront = false;
  readonly #crossover: Crossover;
  readonly #mutation: Mutation;
  #c1: Float64Array;
  #c2: Float64Array;
  // scratch for the selection
  #front: Int32Array;
  #order: Int32Array;
  #contrib: Float64Array;
  #limit: Contrib3Scratch;
  // 2 objectives: the rows sorted by (f1, f2, row), kept up to date step by step
  #sorted: Int32Array;
  #lastF2: Float64Array;
  #rank: Int32Array;

  /** SMS-EMOA on `problem` with `options`. */
  constructor(problem: Problem, options: SMSEMOAOptions = {}) {
    // η_c 15 (pymoo's SMS-EMOA) on real variables; on all-integer problems the operator's default (3)
    const eta = variableSpace(problem).allInteger ? {} : { eta: 15 };
    const crossover = resolveOperator("SMS-EMOA", "crossover", "crossover", options.crossover, sbx(eta));
    const mutation = resolveOperator("SMS-EMOA", "mutation", "mutation", options.mutation, pm());
    super(problem, { ...options, crossover, mutation }, 2);
    this.#crossover = crossover;
    this.#mutation = mutation;
    const { ref } = this.options;
    if (ref !== undefined) {
      if (!Array.isArray(ref) || ref.length !== problem.nObj || !ref.every((v) => Number.isFinite(v))) {
        throw new RangeError(
          `SMS-EMOA: ref must be an array of ${problem.nObj} finite numbers, got ${JSON.stringify(ref)}`,
        );
      }
    }
    const { nVar, nObj, nConstr } = problem;
    const cap = this.popSize + 1;
    this.#X = new Float64Array(cap * nVar);
    this.#F = new Float64Array(cap * nObj);
    this.#G = new Float64Array(cap * nConstr);
    this.#CV = new Float64Array(cap);
    const mu = this.popSize;
    this.#view = {
      size: mu,
      nVar,
      nObj,
      nConstr,
      X: this.#X.subarray(0, mu * nVar),
      F: this.#F.subarray(0, mu * nObj),
      G: this.#G.subarray(0, mu * nConstr),
      CV: this.#CV.subarray(0, mu),
    };
    this.#c1 = new Float64Array(nVar);
    this.#c2 = new Float64Array(nVar);
    this.#front = new Int32Array(cap);
    this.#order = new Int32Array(cap);
    this.#contrib = new Float64Array(cap);
    this.#limit = new Contrib3Scratch();
    this.#sorted = new Int32Array(cap);
    this.#lastF2 = new Float64Array(cap);
    this.#rank = new Int32Array(cap);
  }

  /** Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. */
  static fromJSON(
    problem: Problem,
    state: AlgorithmState,
    operators?: { crossover?: Crossover; mutation?: Mutation },
  ): SMSEMOA {
    const options = withOperators("SMS-EMOA", savedOptions<SMSEMOAOptions>(state), operators);
    return new SMSEMOA(problem, options).restore(state);
  }

  /** One offspring per generation (steady state). */
  protected override offspringSize(): number {
    return 1;
  }

  /** A copy of the current population (taken when asked for, then cached until the next step). */
  override population(): Population {
    if (!this.initialized) return super.population();
    if (!this.#snapshot) {
      const v = this.#view;
      this.#snapshot = {
        size: v.size,
        nVar: v.nVar,
        nObj: v.nObj,
        nConstr: v.nConstr,
        X: v.X.slice(),
        F: v.F.slice(),
        G: v.G.slice(),
        CV: v.CV.slice(),
      };
    }
    return this.#snapshot;
  }

  /** Two distinct random parents, SBX, the first child, polynomial mutation. */
  protected reproduce(_pop: Population): Float64Array {
    const { nVar } = this.problem;
    const mu = this.popSize;
    const a = this.rng.int(mu);
    let b = this.rng.int(mu - 1);
    if (b >= a) b++;
    const X = this.#X;
    const p1 = X.subarray(a * nVar, (a + 1) * nVar), p2 = X.subarray(b * nVar, (b + 1) * nVar);
    const child = new Float64Array(nVar);
    this.#crossover.cross(this.rng, p1, p2, this.#c1, this.#c2, this.space);
    child.set(this.#c1);
    this.#mutation.mutate(this.rng, child, this.space);
    return child;
  }

  /** Drops the cached ranks of the previous population. */
  protected override onPopulation(pop: Population): void {
    this.#snapshot = null;
    if (pop === this.#view) return;
    // restore (or a population from elsewhere): copy into the buffers
    if (pop.size !== this.popSize) {
      throw new RangeError(`SMS-EMOA: the population has ${pop.size} members, expected ${this.popSize}`);
    }
    this.#X.set(pop.X);
    this.#F.set(pop.F);
    this.#G.set(pop.G);
    this.#CV.set(pop.CV);
    this.#singleFront = this.#isSingleFront(this.popSize);
    this.#buildSorted();
  }

  /** (μ + 1) selection: remove the least hypervolume contributor of the worst front. */
  protected override survive(pop: Population | null, batch: Population): Population {
    const { nVar, nObj, nConstr } = this.problem;
    const mu = this.popSize;
    if (!pop) {
      this.#X.set(batch.X);
      this.#F.set(batch.F);
      this.#G.set(batch.G);
      this.#CV.set(batch.CV);
      this.#singleFront = this.#isSingleFront(mu);
      this.#buildSorted();
      return this.#view;
    }
    this.#X.set(batch.X, mu * nVar);
    this.#F.set(batch.F, mu * nObj);
    this.#G.set(batch.G, mu * nConstr);
    this.#CV[mu] = batch.CV[0];
    if (nObj === 2) this.#insertSorted(mu);
    const r = this.#selectWorst();
    if (nObj === 2) this.#removeSorted(r);
    if (r !== mu) {
      this.#X.copyWithin(r * nVar, mu * nVar, (mu + 1) * nVar);
      this.#F.copyWithin(r * nObj, mu * nObj, (mu + 1) * nObj);
      this.#G.copyWithin(r * nConstr, mu * nConstr, (mu + 1) * nConstr);
      this.#CV[r] = this.#CV[mu];
    }
    return this.#view;
  }

  /** Does row a sort before row b by (f1, f2, row)? (2 objectives) */
  #before(a: number, b: number): boolean {
    const F = this.#F;
    const d = F[2 * a] - F[2 * b];
    if (d !== 0) return d < 0;
    const e = F[2 * a + 1] - F[2 * b + 1];
    if (e !== 0) return e < 0;
    return a < b;
  }

  /** Sorts rows 0..μ−1 by (f1, f2, row). */
  #buildSorted(): void {
    if (this.problem.nObj !== 2) return;
    const mu = this.popSize, s = this.#sorted;
    for (let i = 0; i < mu; i++) s[i] = i;
    s.subarray(0, mu).sort((a, b) => (a === b ? 0 : this.#before(a, b) ? -1 : 1));
  }

  /** Inserts row `row` (= μ) into the sorted order of rows 0..μ−1. */
  #insertSorted(row: number): void {
    const s = this.#sorted, n = this.popSize;
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#before(s[mid], row)) lo = mid + 1;
      else hi = mid;
    }
    s.copyWithin(lo + 1, lo, n);
    s[lo] = row;
  }

  /** Removes row r from the sorted order of μ + 1 rows; row μ then moves to row r. */
  #removeSorted(r: number): void {
    const s = this.#sorted, mu = this.popSize;
    let p = s.indexOf(r);
    s.copyWithin(p, p + 1, mu + 1);
    if (r === mu) return;
    // row μ becomes row r: rename it and restore the tie order among equal objective vectors
    p = s.subarray(0, mu).indexOf(mu);
    s[p] = r;
    const F = this.#F;
    const same = (a: number, b: number) => F[2 * a] === F[2 * b] && F[2 * a + 1] === F[2 * b + 1];
    // compare against row μ's objectives (row r still holds the removed member's values until copied)
    while (p > 0 && same(s[p - 1], mu) && s[p - 1] > r) {
      s[p] = s[p - 1];
      s[--p] = r;
    }
    while (p + 1 < mu && same(s[p + 1], mu) && s[p + 1] < r) {
      s[p] = s[p + 1];
      s[++p] = r;
    }
  }

  /** Are the first `n` rows feasible and mutually non-dominated? */
  #isSingleFront(n: number): boolean {
    for (let i = 0; i < n; i++) if (this.#CV[i] > 0) return false;
    const { fronts } = nondominatedSort({
      data: this.#F.subarray(0, n * this.problem.nObj),
      n,
      m: this.problem.nObj,
    });
    return fronts.length === 1;
  }

  /** The row (0..μ) to remove; updates the single-front flag for the population after removal. */
  #selectWorst(): number {
    const mu = this.popSize, m = this.problem.nObj;
    const F = this.#F, CV = this.#CV;
    const front = this.#front;
    let k = 0;
    let feasible = true;
    for (let i = 0; i <= mu; i++) if (CV[i] > 0) feasible = false;
    if (m === 2 && feasible) return this.#selectWorst2();
    if (this.#singleFront && m !== 2) {
      if (CV[mu] > 0) return mu; // an infeasible offspring is alone in the last front
      const o = mu * m;
      for (let i = 0; i < mu; i++) {
        let better = false, worse = false;
        const p = i * m;
        for (let j = 0; j < m; j++) {
          const a = F[o + j], b = F[p + j];
          if (a < b) better = true;
          else if (a > b) worse = true;
        }
        if (worse && !better) return mu; // member i dominates the offspring
        if (better && !worse) front[k++] = i; // the offspring dominates member i
      }
      if (k === 0) {
        for (let i = 0; i <= mu; i++) front[i] = i;
        k = mu + 1;
      } else {
        // the dominated members form the second front; one of them leaves
        this.#singleFront = k === 1;
      }
    } else {
      const n = mu + 1;
      let anyInfeasible = false;
      for (let i = 0; i < n; i++) if (CV[i] > 0) anyInfeasible = true;
      const { fronts } = nondominatedSort({ data: F, n, m }, { cv: anyInfeasible ? CV : undefined });
      const last = fronts[fronts.length - 1];
      front.set(last);
      k = last.length;
      let feasibleAfter = true;
      if (anyInfeasible) {
        for (let i = 0; i < n; i++) {
          if (CV[i] > 0 && !(k === 1 && last[0] === i)) feasibleAfter = false;
        }
      }
      this.#singleFront = feasibleAfter && (fronts.length === 1 || (fronts.length === 2 && k === 1));
    }
    if (k === 1) return front[0];
    const c = this.#contributions(front, k);
    let best = 0;
    for (let t = 1; t < k; t++) if (c[t] < c[best]) best = t;
    // ties: the first member in population order
    let r = front[best];
    for (let t = 0; t < k; t++) if (c[t] === c[best] && front[t] < r) r = front[t];
    return r;
  }

  /**
   * 2 objectives, all feasible: ranks by one sweep over the maintained (f1, f2) order (Jensen 2003),
   * then the least contributor of the last front, whose members are consecutive in that order once
   * the other fronts are skipped.
   */
  #selectWorst2(): number {
    const n = this.popSize + 1, F = this.#F, s = this.#sorted, rank = this.#rank, lastF2 = this.#lastF2;
    let nFronts = 0;
    for (let t = 0; t < n; t++) {
      const i = s[t];
      const f2 = F[2 * i + 1];
      if (t > 0 && F[2 * i] === F[2 * s[t - 1]] && f2 === F[2 * s[t - 1] + 1]) {
        rank[t] = rank[t - 1]; // duplicates share a front
        continue;
      }
      let lo = 0, hi = nFronts;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (lastF2[mid] > f2) hi = mid;
        else lo = mid + 1;
      }
      if (lo === nFronts) nFronts++;
      lastF2[lo] = f2;
      rank[t] = lo;
    }
    const worst = nFronts - 1;
    const front = this.#front; // rows of the last front, in (f1, f2) order
    let k = 0;
    for (let t = 0; t < n; t++) if (rank[t] === worst) front[k++] = s[t];
    if (k === 1) return front[0];
    const ref = this.options.ref;
    let best = -1, bestC = Infinity;
    for (let t = 0; t < k; t++) {
      const i = front[t];
      let c: number;
      if (t === 0 || t === k - 1) {
        if (!ref) c = Infinity;
        else {
          const xNext = t + 1 < k ? F[2 * front[t + 1]] : ref[0];
          const yPrev = t > 0 ? F[2 * front[t - 1] + 1] : ref[1];
          c = (xNext - F[2 * i]) * (yPrev - F[2 * i + 1]);
        }
      } else c = (F[2 * front[t + 1]] - F[2 * i]) * (F[2 * front[t - 1] + 1] - F[2 * i + 1]);
      if (best < 0 || c < bestC || (c === bestC && i < best)) {
        best = i;
        bestC = c;
      }
    }
    return best;
  }

  /** Exclusive hypervolume contributions of the rows `front[0..k)`, in that order. */
  #contributions(front: Int32Array, k: number): Float64Array {
    const m = this.problem.nObj, F = this.#F;
    const c = this.#contrib;
    const ref = this.options.ref;
    if (m === 1) {
      for (let t = 0; t < k; t++) c[t] = (ref ? ref[0] : Infinity) - F[front[t]];
      return c;
    }
    if (m === 2) {
      // positions in `front`, sorted by (f1, f2)
      const ord = this.#order;
      for (let t = 0; t < k; t++) ord[t] = t;
      ord.subarray(0, k).sort((a, b) => {
        const i = 2 * front[a], j = 2 * front[b];
        return F[i] - F[j] || F[i + 1] - F[j + 1] || a - b;
      });
      for (let t = 0; t < k; t++) {
        const i = 2 * front[ord[t]];
        const xNext = t + 1 < k ? F[2 * front[ord[t + 1]]] : ref ? ref[0] : NaN;
        const yPrev = t > 0 ? F[2 * front[ord[t - 1]] + 1] : ref ? ref[1] : NaN;
        c[ord[t]] = Number.isNaN(xNext) || Number.isNaN(yPrev)
          ? Infinity
          : (xNext - F[i]) * (yPrev - F[i + 1]);
      }
      return c;
    }
    const r = new Float64Array(m);
    if (ref) r.set(ref);
    else {
      r.fill(-Infinity);
      for (let t = 0; t < k; t++) {
        for (let j = 0; j < m; j++) if (F[front[t] * m + j] > r[j]) r[j] = F[front[t] * m + j];
      }
      for (let j = 0; j < m; j++) r[j] += 1;
    }
    if (m === 3) {
      for (let t = 0; t < k; t++) c[t] = contribution3(F, front, k, t, r, this.#limit);
      return c;
    }
    const pts = new Float64Array(k * m);
    for (let t = 0; t < k; t++) pts.set(F.subarray(front[t] * m, front[t] * m + m), t * m);
    c.set(hypervolumeContributions({ data: pts, n: k, m }, r));
    return c;
  }
}
