/**
 * R-NSGA-II (Deb & Sundar 2006, "Reference point based multi-objective optimization using evolutionary
 * algorithms", GECCO 2006: 635–642): NSGA-II whose crowding distance is replaced by a preference
 * distance to user-given reference points, so the front concentrates around the regions of the Pareto
 * front closest to those points.
 *
 * Survival over parents and offspring, front by front (Deb's constraint-domination for fronts):
 * 1. the normalised distance of every solution to every reference point,
 *      d(f, r) = sqrt(M · Σ_i w_i ((f_i − r_i) / (z^nad_i − z*_i))²),
 *    with weights w (default 1/M each) and z*, z^nad from `normalization`;
 * 2. within a front, each solution's rank by distance to each reference point (0 = closest); its
 *    preference rank is the smallest of these (so the closest solution to every point comes first);
 * 3. a front that fits survives whole; the front that overflows is ε-cleared: taking solutions in order
 *    of preference rank, every not yet visited solution within normalised distance ε of the taken one
 *    gets its preference rank increased by round(|front| / 2); the front is then cut by ascending
 *    (modified) preference rank.
 * Mating is NSGA-II's binary tournament: lower front first, then lower preference rank.
 *
 * This follows pymoo's `RNSGA2` (`RankAndModifiedCrowdingSurvival`) with these differences, all
 * deliberate: ties in the sorts are broken by index (stable) instead of numpy's unstable quicksort;
 * with `extremePointsAsReferencePoints` the current extreme points are added each generation instead of
 * being appended to the reference points for ever (pymoo's list grows every generation); a zero or
 * undefined normalisation range counts as 1; infeasible solutions survive only when fewer than
 * `popSize` are feasible, least violation first (pymoo's `filter_infeasible`).
 * Defaults: ε 0.001, normalisation "front", SBX p 0.9 η 20, PM p 1/n η 20.
 */
import type { Points } from "../core/points.ts";
import { concat, type Population, select } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import { nondominatedSort } from "../core/sorting.ts";
import type { AlgorithmState } from "./algorithm.ts";
import { savedOptions } from "./base.ts";
import { NSGA2, type NSGA2Operators, type NSGA2Options } from "./nsga2.ts";
import { withOperators } from "../operators/variation.ts";
import { extremePoints } from "./nsga3.ts";

/** R-NSGA-II settings. */
export interface RNSGA2Options extends NSGA2Options {
  /** The reference (aspiration) points, one row of M objective values each. Required. */
  refPoints: number[][] | Points;
  /** ε of the ε-clearing, in normalised objective units (default 0.001). */
  epsilon?: number;
  /** Objective weights of the distance (default 1/M each); non-negative, not all 0. */
  weights?: number[];
  /**
   * How objectives are normalised for the distances: "front" (default; the range of the current first
   * front, kept when that front has a single member), "ever" (the range of everything seen), "no".
   */
  normalization?: "front" | "ever" | "no";
  /** Also use the extreme points of the current population as reference points (default false). */
  extremePointsAsReferencePoints?: boolean;
}

/** R-NSGA-II with ask-and-tell, `run()`, and exact resume from `toJSON()`. */
export class RNSGA2 extends NSGA2<RNSGA2Options> {
  /** "R-NSGA-II". */
  override readonly name: string = "R-NSGA-II";
  /** The name in errors raised before an instance exists (resume). */
  static override readonly label: string = "R-NSGA-II";
  /** The reference points (row-major, R × M). */
  readonly refPoints: Points;
  readonly #weights: Float64Array;
  #ideal: Float64Array;
  #nadir: Float64Array;

  /** R-NSGA-II on `problem` with `options` (the reference points are required). */
  constructor(problem: Problem, options: RNSGA2Options) {
    const { opts, refs, weights } = prepare(problem, options);
    super(problem, opts);
    this.refPoints = refs;
    this.#weights = weights;
    const M = problem.nObj;
    this.#ideal = new Float64Array(M).fill(Infinity);
    this.#nadir = new Float64Array(M).fill(-Infinity);
  }

  /** Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. */
  static override fromJSON(problem: Problem, state: AlgorithmState, operators?: NSGA2Operators): RNSGA2 {
    const options = withOperators("R-NSGA-II", savedOptions<RNSGA2Options>(state), operators);
    return new RNSGA2(problem, options).restore(state);
  }

  /** Rank and preference rank are set by the survival (and restored from the state). */
  protected override onPopulation(_pop: Population): void {}

  /** Non-dominated sorting, then the distance to the reference points with ε-clearing for the last front. */
  protected override survive(parents: Population | null, offspring: Population): Population {
    const merged = parents ? concat(parents, offspring) : offspring;
    const N = parents ? this.popSize : merged.size;
    const { chosen, rank, pref } = this.#select(merged, N);
    this.rank = rank;
    this.crowding = pref;
    return select(merged, chosen);
  }

  /** The N survivors with their front and (negated) preference rank, for the tournament. */
  #select(pop: Population, N: number): { chosen: Int32Array; rank: Int32Array; pref: Float64Array } {
    const size = pop.size;
    const feas: number[] = [], inf: number[] = [];
    for (let i = 0; i < size; i++) (pop.nConstr === 0 || pop.CV[i] === 0 ? feas : inf).push(i);
    const nFeas = Math.min(N, feas.length);
    const chosen = new Int32Array(N), rank = new Int32Array(N), pref = new Float64Array(N);
    let nFronts = 0;
    if (nFeas > 0) nFronts = this.#preferenceSurvival(pop, Int32Array.from(feas), nFeas, chosen, rank, pref);
    if (nFeas < N) {
      inf.sort((a, b) => pop.CV[a] - pop.CV[b] || a - b);
      let r = nFronts - 1, prev = NaN;
      for (let t = nFeas; t < N; t++) {
        const i = inf[t - nFeas];
        if (pop.CV[i] !== prev) {
          r++;
          prev = pop.CV[i];
        }
        chosen[t] = i;
        rank[t] = r;
      }
    }
    return { chosen, rank, pref };
  }

  /** Fills the first n entries of chosen/rank/pref from the members idx; returns the fronts used. */
  #preferenceSurvival(
    pop: Population,
    idx: Int32Array,
    n: number,
    chosen: Int32Array,
    rank: Int32Array,
    pref: Float64Array,
  ): number {
    const M = pop.nObj, F = pop.F;
    const sub = new Float64Array(idx.length * M);
    for (let t = 0; t < idx.length; t++) sub.set(F.subarray(idx[t] * M, (idx[t] + 1) * M), t * M);
    const { fronts } = nondominatedSort({ data: sub, n: idx.length, m: M }, { maxCount: n });
    this.#updateNormalization(sub, M, idx.length, fronts[0]);
    const ideal = this.#ideal, nadir = this.#nadir, w = this.#weights;
    const scale = new Float64Array(M);
    for (let j = 0; j < M; j++) {
      const d = nadir[j] - ideal[j];
      scale[j] = d > 0 && Number.isFinite(d) ? 1 / d : 1;
    }
    // reference points: the given ones, plus the current extreme points when asked
    let R = this.refPoints.n, refs = this.refPoints.data;
    if (this.options.extremePointsAsReferencePoints) {
      const all = new Int32Array(idx.length);
      for (let t = 0; t < all.length; t++) all[t] = t;
      const E = extremePoints(sub, M, all, ideal, null);
      refs = new Float64Array((R + M) * M);
      refs.set(this.refPoints.data);
      refs.set(E, R * M);
      R += M;
    }
    const dist = (a: Float64Array, ao: number, b: Float64Array, bo: number): number => {
      let s = 0;
      for (let j = 0; j < M; j++) {
        const d = (a[ao + j] - b[bo + j]) * scale[j];
        s += d * d * w[j];
      }
      return Math.sqrt(s * M);
    };
    let c = 0, k = 0;
    for (; k < fronts.length && c < n; k++) {
      const f = fronts[k], L = f.length;
      // preference rank: the best rank by distance over the reference points
      const ranking = new Int32Array(L).fill(0x7fffffff);
      const d = new Float64Array(L), order = new Int32Array(L);
      for (let r = 0; r < R; r++) {
        for (let t = 0; t < L; t++) {
          d[t] = dist(sub, f[t] * M, refs, r * M);
          order[t] = t;
        }
        order.sort((a, b) => d[a] - d[b] || a - b);
        for (let q = 0; q < L; q++) if (q < ranking[order[q]]) ranking[order[q]] = q;
      }
      const remaining = n - c;
      if (L <= remaining) {
        for (let t = 0; t < L; t++) {
          chosen[c] = idx[f[t]];
          rank[c] = k;
          pref[c++] = -ranking[t];
        }
        continue;
      }
      // ε-clearing of the overflowing front
      const crowd = new Float64Array(L);
      const visited = new Uint8Array(L);
      const byRank = Array.from(ranking.keys()).sort((a, b) => ranking[a] - ranking[b] || a - b);
      const penalty = roundHalfEven(L / 2);
      const eps = this.options.epsilon!;
      for (let q = 0; q < L; q++) {
        const a = byRank[q];
        if (visited[a]) continue;
        visited[a] = 1;
        crowd[a] = ranking[a];
        for (let p = q + 1; p < L; p++) {
          const b = byRank[p];
          if (visited[b]) continue;
          if (dist(sub, f[a] * M, sub, f[b] * M) < eps) {
            crowd[b] = ranking[b] + penalty;
            visited[b] = 1;
          }
        }
      }
      const cut = Array.from(crowd.keys()).sort((a, b) => crowd[a] - crowd[b] || a - b);
      for (let t = 0; t < remaining; t++) {
        const a = cut[t];
        chosen[c] = idx[f[a]];
        rank[c] = k;
        pref[c++] = -crowd[a];
      }
    }
    return k;
  }

  #updateNormalization(F: Float64Array, M: number, n: number, first: Int32Array): void {
    const mode = this.options.normalization;
    if (mode === "no") {
      this.#ideal.fill(0);
      this.#nadir.fill(1);
    } else if (mode === "ever") {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < M; j++) {
          const v = F[i * M + j];
          if (v < this.#ideal[j]) this.#ideal[j] = v;
          if (v > this.#nadir[j]) this.#nadir[j] = v;
        }
      }
    } else if (first.length > 1) {
      this.#ideal.fill(Infinity);
      this.#nadir.fill(-Infinity);
      for (const i of first) {
        for (let j = 0; j < M; j++) {
          const v = F[i * M + j];
          if (v < this.#ideal[j]) this.#ideal[j] = v;
          if (v > this.#nadir[j]) this.#nadir[j] = v;
        }
      }
    }
  }

  /** Saves the normalisation bounds (ideal, nadir), the ranks and the preference distances. */
  protected override saveExtra(): Record<string, unknown> {
    const enc = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : String(v)));
    return {
      ideal: enc(this.#ideal),
      nadir: enc(this.#nadir),
      rank: Array.from(this.rank),
      pref: Array.from(this.crowding),
    };
  }

  /** Restores what {@link saveExtra} saved. */
  protected override loadExtra(extra: Record<string, unknown>): void {
    const M = this.problem.nObj;
    const dec = (v: unknown, len: number | null, what: string): Float64Array => {
      if (!Array.isArray(v) || (len !== null && v.length !== len)) {
        throw new RangeError(`R-NSGA-II: the saved ${what} is missing or has the wrong length`);
      }
      return Float64Array.from(v, (x) => (typeof x === "string" ? Number(x) : x));
    };
    if (extra.ideal !== undefined) this.#ideal = dec(extra.ideal, M, "ideal point");
    if (extra.nadir !== undefined) this.#nadir = dec(extra.nadir, M, "nadir point");
    if (extra.rank !== undefined) {
      const size = this.initialized ? this.population().size : 0;
      this.rank = Int32Array.from(dec(extra.rank, size, "rank"));
      this.crowding = dec(extra.pref, size, "preference rank");
    }
  }
}

/** numpy's round: half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function prepare(
  problem: Problem,
  options: RNSGA2Options,
): { opts: RNSGA2Options; refs: Points; weights: Float64Array } {
  const M = problem.nObj;
  if (!options || options.refPoints === undefined) {
    throw new RangeError("R-NSGA-II: the option refPoints (one or more reference points) is required");
  }
  const r = options.refPoints;
  const rows: number[][] = Array.isArray(r)
    ? r.map((row) => Array.from(row as ArrayLike<number>))
    : Array.from({ length: (r as Points).n }, (_, i) =>
      Array.from((r as Points).data.subarray(i * M, (i + 1) * M)));
  if (rows.length === 0) throw new RangeError("R-NSGA-II: refPoints is empty");
  const data = new Float64Array(rows.length * M);
  rows.forEach((row, i) => {
    if (row.length !== M) {
      throw new RangeError(
        `R-NSGA-II: reference point ${i} has ${row.length} values, the problem has ${M} objectives`,
      );
    }
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(`R-NSGA-II: reference point ${i} has a non-finite value ${v} in objective ${j}`);
      }
      data[i * M + j] = v;
    });
  });
  const epsilon = options.epsilon ?? 0.001;
  if (typeof epsilon !== "number" || !(epsilon >= 0) || !Number.isFinite(epsilon)) {
    throw new RangeError(`R-NSGA-II: epsilon must be a finite number ≥ 0, got ${epsilon}`);
  }
  let weights: Float64Array;
  if (options.weights !== undefined) {
    const w = options.weights;
    if (!Array.isArray(w) || w.length !== M) {
      throw new RangeError(`R-NSGA-II: weights must have ${M} values (one per objective)`);
    }
    if (w.some((v) => typeof v !== "number" || !Number.isFinite(v) || v < 0) || !w.some((v) => v > 0)) {
      throw new RangeError(`R-NSGA-II: weights must be finite, ≥ 0 and not all 0, got ${JSON.stringify(w)}`);
    }
    weights = Float64Array.from(w);
  } else weights = new Float64Array(M).fill(1 / M);
  const normalization = options.normalization ?? "front";
  if (!["front", "ever", "no"].includes(normalization)) {
    throw new RangeError(`R-NSGA-II: normalization must be "front", "ever" or "no", got ${normalization}`);
  }
  const popSize = options.popSize ?? 100;
  if (!Number.isInteger(popSize) || popSize < 4 || popSize % 2 !== 0) {
    throw new RangeError(
      `R-NSGA-II: population size must be an even integer of at least 4 (offspring come in pairs), got ${popSize}`,
    );
  }
  const opts: RNSGA2Options = {
    ...options,
    refPoints: rows,
    epsilon,
    normalization,
    extremePointsAsReferencePoints: options.extremePointsAsReferencePoints ?? false,
  };
  return { opts, refs: { data, n: rows.length, m: M }, weights };
}
