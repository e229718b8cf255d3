/**
 * NSGA-III (Deb & Jain 2014, "An evolutionary many-objective optimization algorithm using
 * reference-point-based nondominated sorting approach, Part I", IEEE TEC 18(4): 577–601).
 *
 * Each generation: `popSize` offspring by random mating, SBX and polynomial mutation; then (μ + λ)
 * survival over parents and offspring: whole non-dominated fronts while they fit, and the last front
 * S_l filled by reference-direction niching:
 *
 * 1. the ideal point z* (smallest value of each objective seen so far), translation f' = f − z*;
 * 2. extreme points: for each axis j the member of the first front (or a previous extreme point)
 *    minimising ASF(f', e_j) = max_i f'_i / w_i with w_j = 1 and w_i = 1e-6 elsewhere;
 * 3. the hyperplane through the M extreme points gives the intercepts a_j, the nadir estimate
 *    z* + a, capped at the worst point seen so far. Fallbacks: when the system is singular, an
 *    intercept is ≤ 1e-6 or not finite, the worst point of the current first front; then, for any
 *    objective whose range is still ≤ 1e-6, the worst value in the merged population;
 * 4. normalisation f_n = f' / (nadir − z*), association of every member of S_t to the reference line
 *    with the smallest perpendicular distance;
 * 5. niching: repeatedly the reference direction with the smallest niche count ρ_j (ties at random)
 *    among those with candidates left in S_l; if ρ_j = 0 its closest candidate is taken, else a random
 *    one; ρ_j + 1.
 *
 * Choices where the paper, pymoo and PlatEMO differ:
 * - Mating is uniformly random (the paper, Section IV-E); pymoo uses a binary tournament by rank.
 *   With constraints a binary tournament on the constraint violation is used (Jain & Deb 2014, Part II;
 *   PlatEMO).
 * - The ideal point, the worst point and the extreme points are remembered across generations, as
 *   pymoo's `HyperplaneNormalization` does (the paper recomputes them from S_t); this memory is part of
 *   the saved state. Unlike pymoo no 1e-3 threshold is applied to f' before the ASF (the threshold is
 *   not scale-invariant), and pymoo's swapped fallback arguments are not copied: the first fallback is
 *   the worst point of the non-dominated front, the second the worst of the population, as documented.
 * - Constraints: when fewer than `popSize` solutions are feasible, all feasible ones survive and the
 *   rest are the least-violating infeasible ones (pymoo's survival with `filter_infeasible`).
 * - Defaults are the paper's: SBX p_c 1, η_c 30; PM p_m 1/n, η_m 20. Reference directions default to
 *   PlatEMO's `UniformPoint(popSize ?? 100, M)`; the population size defaults to the smallest multiple
 *   of 4 at least the number of directions (e.g. 91 → 92, 100 → 100).
 */
import type { Points } from "../core/points.ts";
import { concat, type Population, select } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import { nondominatedSort } from "../core/sorting.ts";
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
import type { AlgorithmState } from "./algorithm.ts";
import { type BaseOptions, checkPopulationMemory, PopulationAlgorithm, savedOptions } from "./base.ts";
import { simplexLattice } from "../problems/simplex_lattice.ts";

/** NSGA-III settings. */
export interface NSGA3Options extends BaseOptions {
  /**
   * The reference directions (rows of M non-negative numbers, not all 0). Overrides `divisions` and
   * `nRefDirs`.
   */
  refDirs?: number[][] | Points;
  /**
   * Das–Dennis divisions H, or [H1, H2] for Deb & Jain's two layers (e.g. 12 for 91 directions in 3-D):
   * the word of {@link simplexLattice}.
   */
  divisions?: number | [number, number];
  /** @deprecated The former name of {@link NSGA3Options.divisions}; giving both is an error. */
  partitions?: number | [number, number];
  /** About this many directions by PlatEMO's UniformPoint rule (default: popSize, else 100). */
  nRefDirs?: number;
  /**
   * The crossover: an operator value (default `sbx({ prob: 1, eta: 30 })`; η 3 on all-integer
   * problems), a built-in's `{ name, ...options }`, or SBX settings over the default's.
   */
  crossover?: Crossover | OperatorSpec | SbxOptions;
  /**
   * The mutation: an operator value (default `pm()`: p 1/n, η 20, 3 on all-integer problems), a
   * built-in's `{ name, ...options }`, or PM settings over the default's.
   */
  mutation?: Mutation | OperatorSpec | PmOptions;
}

/** NSGA-III with ask-and-tell, `run()`, and exact resume from `toJSON()`. */
export class NSGA3 extends PopulationAlgorithm<NSGA3Options> {
  /** "NSGA-III". */
  readonly name: string = "NSGA-III";
  /** The reference directions (row-major, K × M). */
  readonly refDirs: Points;
  #ideal: Float64Array;
  #worst: Float64Array;
  /** Remembered extreme points (M × M, row j for axis j); empty until the first survival. */
  #extreme: Float64Array | null = null;
  #nadir: Float64Array;

  /** NSGA-III on `problem` with `options`. */
  constructor(problem: Problem, options: NSGA3Options = {}) {
    const { opts, dirs } = prepare(problem, options);
    super(problem, opts, 4);
    this.refDirs = dirs;
    const M = problem.nObj;
    this.#ideal = new Float64Array(M).fill(Infinity);
    this.#worst = new Float64Array(M).fill(-Infinity);
    this.#nadir = new Float64Array(M).fill(NaN);
  }

  /** Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. */
  static fromJSON(
    problem: Problem,
    state: AlgorithmState,
    operators?: { crossover?: Crossover; mutation?: Mutation },
  ): NSGA3 {
    const options = withOperators("NSGA-III", savedOptions<NSGA3Options>(state), operators);
    return new NSGA3(problem, options).restore(state);
  }

  /** The current ideal point (smallest objective values seen). */
  get idealPoint(): Float64Array {
    return Float64Array.from(this.#ideal);
  }
  /** The nadir estimate of the last survival (NaN before the first). */
  get nadirPoint(): Float64Array {
    return Float64Array.from(this.#nadir);
  }

  /** Random mating (binary tournament on the violation under constraints), SBX, then mutation. */
  protected reproduce(pop: Population): Float64Array {
    const { nVar } = this.problem;
    const N = this.popSize, n = pop.size;
    const X = new Float64Array(N * nVar);
    const { crossover, mutation } = this.options as { crossover: Crossover; mutation: Mutation };
    const { space, rng } = this;
    const constrained = pop.nConstr > 0;
    const pick = (): number => {
      const a = this.rng.int(n);
      if (!constrained) return a;
      const b = this.rng.int(n);
      return pop.CV[b] < pop.CV[a] ? b : a;
    };
    for (let k = 0; k < N; k += 2) {
      const a = pick(), b = pick();
      const c1 = X.subarray(k * nVar, (k + 1) * nVar);
      const c2 = X.subarray((k + 1) * nVar, (k + 2) * nVar);
      crossover.cross(
        rng,
        pop.X.subarray(a * nVar, (a + 1) * nVar),
        pop.X.subarray(b * nVar, (b + 1) * nVar),
        c1,
        c2,
        space,
      );
      mutation.mutate(rng, c1, space);
      mutation.mutate(rng, c2, space);
    }
    return X;
  }

  /** Non-dominated sorting, then niching on the reference directions for the last front. */
  protected override survive(parents: Population | null, offspring: Population): Population {
    const merged = parents ? concat(parents, offspring) : offspring;
    const N = this.popSize;
    if (merged.size <= N) {
      // the initial population: only update the memory
      this.#select(merged, merged.size);
      return merged;
    }
    return select(merged, this.#select(merged, N));
  }

  /** Indices of the N survivors of `pop` (feasible first; NSGA-III niching among the feasible). */
  #select(pop: Population, N: number): Int32Array {
    const size = pop.size;
    let feasible: Int32Array;
    if (pop.nConstr > 0) {
      const f: number[] = [], inf: number[] = [];
      for (let i = 0; i < size; i++) (pop.CV[i] === 0 ? f : inf).push(i);
      if (f.length < N) {
        inf.sort((a, b) => pop.CV[a] - pop.CV[b] || a - b);
        const out = new Int32Array(N);
        out.set(f);
        for (let t = f.length; t < N; t++) out[t] = inf[t - f.length];
        if (f.length > 0) {
          const fi = Int32Array.from(f);
          const { fronts } = nondominatedSort(take(pop, fi), { maxCount: 1 });
          this.#normalize(pop, Int32Array.from(fronts[0], (t) => fi[t]), fi, fi);
        }
        return out;
      }
      feasible = Int32Array.from(f);
    } else {
      feasible = new Int32Array(size);
      for (let i = 0; i < size; i++) feasible[i] = i;
    }
    return this.#niching(pop, feasible, N);
  }

  /** NSGA-III survival of N members among `idx` (all feasible). */
  #niching(pop: Population, idx: Int32Array, N: number): Int32Array {
    const { fronts } = nondominatedSort(take(pop, idx), { maxCount: N });
    const first = Int32Array.from(fronts[0], (t) => idx[t]);
    // S_t: the fronts up to and including the one that overflows N
    let sCount = 0;
    for (const f of fronts) sCount += f.length;
    const S = new Int32Array(sCount);
    let c = 0;
    for (const f of fronts) for (let t = 0; t < f.length; t++) S[c++] = idx[f[t]];
    this.#normalize(pop, first, S, idx);
    if (sCount <= N || N === idx.length) return S.subarray(0, Math.min(N, sCount));
    const last = fronts[fronts.length - 1];
    const nBefore = sCount - last.length;
    // associate S_t to the reference lines
    const K = this.refDirs.n;
    const niche = new Int32Array(sCount), dist = new Float64Array(sCount);
    this.#associate(pop, S, niche, dist);
    const count = new Int32Array(K);
    for (let t = 0; t < nBefore; t++) count[niche[t]]++;
    // candidates of the last front, grouped by niche
    const L = last.length;
    const start = new Int32Array(K + 1);
    for (let t = nBefore; t < sCount; t++) start[niche[t] + 1]++;
    for (let j = 0; j < K; j++) start[j + 1] += start[j];
    const left = new Int32Array(K); // candidates left per niche
    const cand = new Int32Array(L); // positions in S, grouped by niche
    const fill = Int32Array.from(start.subarray(0, K));
    for (let t = nBefore; t < sCount; t++) cand[fill[niche[t]]++] = t;
    for (let j = 0; j < K; j++) left[j] = start[j + 1] - start[j];
    const out = new Int32Array(N);
    out.set(S.subarray(0, nBefore));
    let k = nBefore;
    const ties = new Int32Array(K);
    while (k < N) {
      let min = Infinity, nt = 0;
      for (let j = 0; j < K; j++) {
        if (left[j] === 0) continue;
        if (count[j] < min) {
          min = count[j];
          nt = 0;
        }
        if (count[j] === min) ties[nt++] = j;
      }
      const j = nt === 1 ? ties[0] : ties[this.rng.int(nt)];
      const s = start[j], n = left[j];
      let pos: number;
      if (count[j] === 0) {
        pos = s;
        for (let q = s + 1; q < s + n; q++) {
          if (dist[cand[q]] < dist[cand[pos]]) pos = q;
        }
      } else pos = s + this.rng.int(n);
      out[k++] = S[cand[pos]];
      cand[pos] = cand[s + n - 1];
      left[j]--;
      count[j]++;
    }
    return out;
  }

  /** Updates the ideal, worst and extreme points and the nadir estimate from `pop`. */
  #normalize(pop: Population, first: Int32Array, S: Int32Array, all: Int32Array): void {
    const M = pop.nObj, F = pop.F;
    const ideal = this.#ideal, worst = this.#worst;
    for (let t = 0; t < S.length; t++) {
      const o = S[t] * M;
      for (let j = 0; j < M; j++) {
        const v = F[o + j];
        if (v < ideal[j]) ideal[j] = v;
      }
    }
    const worstPop = new Float64Array(M).fill(-Infinity);
    for (let t = 0; t < all.length; t++) {
      const o = all[t] * M;
      for (let j = 0; j < M; j++) {
        const v = F[o + j];
        if (v > worstPop[j]) worstPop[j] = v;
        if (v > worst[j]) worst[j] = v;
      }
    }
    const worstFront = new Float64Array(M).fill(-Infinity);
    for (let t = 0; t < first.length; t++) {
      for (let j = 0; j < M; j++) {
        const v = F[first[t] * M + j];
        if (v > worstFront[j]) worstFront[j] = v;
      }
    }
    const E = extremePoints(F, M, first, ideal, this.#extreme);
    this.#extreme = E;
    this.#nadir = nadirPoint(E, ideal, worst, worstFront, worstPop);
  }

  /** niche[t], dist[t]: the closest reference line of S[t] and the perpendicular distance to it. */
  #associate(pop: Population, S: Int32Array, niche: Int32Array, dist: Float64Array): void {
    const M = pop.nObj, K = this.refDirs.n, W = this.refDirs.data;
    const ideal = this.#ideal, nadir = this.#nadir;
    const scale = new Float64Array(M);
    for (let j = 0; j < M; j++) {
      const d = nadir[j] - ideal[j];
      scale[j] = d > 0 ? 1 / d : 1e12;
    }
    const norm2 = new Float64Array(K);
    for (let r = 0; r < K; r++) {
      let s = 0;
      for (let j = 0; j < M; j++) s += W[r * M + j] * W[r * M + j];
      norm2[r] = s;
    }
    const f = new Float64Array(M);
    for (let t = 0; t < S.length; t++) {
      const o = S[t] * M;
      let ff = 0;
      for (let j = 0; j < M; j++) {
        f[j] = (pop.F[o + j] - ideal[j]) * scale[j];
        ff += f[j] * f[j];
      }
      let best = 0, bd = Infinity;
      for (let r = 0; r < K; r++) {
        let dot = 0;
        for (let j = 0; j < M; j++) dot += f[j] * W[r * M + j];
        const d2 = ff - dot * dot / norm2[r];
        if (d2 < bd) {
          bd = d2;
          best = r;
        }
      }
      niche[t] = best;
      dist[t] = Math.sqrt(bd > 0 ? bd : 0);
    }
  }

  /** Saves the ideal, worst, nadir and extreme points of the normalisation. */
  protected override saveExtra(): Record<string, unknown> {
    const arr = (
      a: Float64Array | null,
    ) => (a ? Array.from(a, (v) => (Number.isFinite(v) ? v : String(v))) : null);
    return {
      ideal: arr(this.#ideal),
      worst: arr(this.#worst),
      nadir: arr(this.#nadir),
      extreme: arr(this.#extreme),
    };
  }

  /** Restores what {@link saveExtra} saved. */
  protected override loadExtra(extra: Record<string, unknown>): void {
    const M = this.problem.nObj;
    const arr = (v: unknown, len: number, what: string): Float64Array => {
      if (!Array.isArray(v) || v.length !== len) {
        throw new RangeError(`NSGA-III: the saved ${what} must have ${len} values`);
      }
      return Float64Array.from(v, (x) => (typeof x === "string" ? Number(x) : x));
    };
    if (extra.ideal !== undefined) this.#ideal = arr(extra.ideal, M, "ideal point");
    if (extra.worst !== undefined) this.#worst = arr(extra.worst, M, "worst point");
    if (extra.nadir !== undefined) this.#nadir = arr(extra.nadir, M, "nadir point");
    if (extra.extreme !== undefined) {
      this.#extreme = extra.extreme === null ? null : arr(extra.extreme, M * M, "extreme points");
    }
  }
}

/**
 * The extreme point of every axis j (rows of an M × M array): among the members `idx` of `F` and the
 * previous extreme points, the one minimising max_i (f_i − z*_i) / w_i with w_j = 1, w_i = 1e-6 else.
 */
export function extremePoints(
  F: Float64Array,
  M: number,
  idx: ArrayLike<number>,
  ideal: Float64Array,
  previous: Float64Array | null,
): Float64Array {
  const E = new Float64Array(M * M);
  for (let j = 0; j < M; j++) {
    let best = Infinity, bestRow = -1, fromPrev = false;
    const asf = (data: Float64Array, o: number): number => {
      let mx = -Infinity;
      for (let i = 0; i < M; i++) {
        const v = (data[o + i] - ideal[i]) * (i === j ? 1 : 1e6);
        if (v > mx) mx = v;
      }
      return mx;
    };
    if (previous) {
      for (let r = 0; r < M; r++) {
        const a = asf(previous, r * M);
        if (a < best) {
          best = a;
          bestRow = r;
          fromPrev = true;
        }
      }
    }
    for (let t = 0; t < idx.length; t++) {
      const a = asf(F, idx[t] * M);
      if (a < best) {
        best = a;
        bestRow = idx[t];
        fromPrev = false;
      }
    }
    const src = fromPrev ? previous! : F;
    E.set(src.subarray(bestRow * M, (bestRow + 1) * M), j * M);
  }
  return E;
}

/**
 * The nadir estimate from the hyperplane through the extreme points `E` (M × M): z* + intercepts,
 * capped at `worst`; `worstFront` when the hyperplane is degenerate; then `worstPop` in every
 * objective whose range is still ≤ 1e-6.
 */
export function nadirPoint(
  E: Float64Array,
  ideal: Float64Array,
  worst: Float64Array,
  worstFront: Float64Array,
  worstPop: Float64Array,
): Float64Array {
  const M = ideal.length;
  const A = new Float64Array(M * M);
  for (let r = 0; r < M; r++) for (let j = 0; j < M; j++) A[r * M + j] = E[r * M + j] - ideal[j];
  const plane = solve(A, M, new Float64Array(M).fill(1));
  let nadir: Float64Array | null = null;
  if (plane) {
    // residual check, as numpy's allclose(M·plane, 1)
    let ok = true;
    for (let r = 0; r < M && ok; r++) {
      let s = 0;
      for (let j = 0; j < M; j++) s += A[r * M + j] * plane[j];
      if (!(Math.abs(s - 1) <= 1e-8 + 1e-5)) ok = false;
    }
    if (ok) {
      nadir = new Float64Array(M);
      for (let j = 0; j < M; j++) {
        const a = 1 / plane[j];
        if (!(a > 1e-6) || !Number.isFinite(a)) {
          nadir = null;
          break;
        }
        const v = ideal[j] + a;
        nadir[j] = v > worst[j] ? worst[j] : v;
      }
    }
  }
  if (!nadir) nadir = Float64Array.from(worstFront);
  for (let j = 0; j < M; j++) if (!(nadir[j] - ideal[j] > 1e-6)) nadir[j] = worstPop[j];
  return nadir;
}

/** Solves A x = b (A row-major n × n) by Gaussian elimination with partial pivoting; null if singular. */
function solve(A0: Float64Array, n: number, b0: Float64Array): Float64Array | null {
  const A = Float64Array.from(A0), b = Float64Array.from(b0);
  let maxAbs = 0;
  for (let k = 0; k < A.length; k++) maxAbs = Math.max(maxAbs, Math.abs(A[k]));
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return null;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c]) > Math.abs(A[p * n + c])) p = r;
    if (Math.abs(A[p * n + c]) <= 1e-14 * maxAbs) return null;
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        const t = A[c * n + j];
        A[c * n + j] = A[p * n + j];
        A[p * n + j] = t;
      }
      const t = b[c];
      b[c] = b[p];
      b[p] = t;
    }
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c] / A[c * n + c];
      if (f === 0) continue;
      for (let j = c; j < n; j++) A[r * n + j] -= f * A[c * n + j];
      b[r] -= f * b[c];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let j = r + 1; j < n; j++) s -= A[r * n + j] * x[j];
    x[r] = s / A[r * n + r];
  }
  return x;
}

/** The objective vectors of the members `idx` of `pop`. */
function take(pop: Population, idx: Int32Array): Points {
  const M = pop.nObj;
  const data = new Float64Array(idx.length * M);
  for (let t = 0; t < idx.length; t++) data.set(pop.F.subarray(idx[t] * M, (idx[t] + 1) * M), t * M);
  return { data, n: idx.length, m: M };
}

/** Validates the options, builds the directions, and fills in the population size. */
function prepare(problem: Problem, options: NSGA3Options): { opts: NSGA3Options; dirs: Points } {
  const M = problem.nObj;
  if (!Number.isInteger(M) || M < 2) {
    throw new RangeError(`NSGA-III: needs at least 2 objectives, the problem has ${M}`);
  }
  const given = options.popSize;
  if (typeof given === "number") checkPopulationMemory("NSGA-III", given, problem);
  let dirs: Points;
  const opts: NSGA3Options = { ...options };
  if (options.refDirs !== undefined) {
    const r = options.refDirs;
    const rows: number[][] = Array.isArray(r)
      ? r.map((row) => Array.from(row))
      : Array.from({ length: (r as Points).n }, (_, i) =>
        Array.from((r as Points).data.subarray(i * M, (i + 1) * M)));
    if (rows.length === 0) throw new RangeError("NSGA-III: refDirs is empty");
    const data = new Float64Array(rows.length * M);
    rows.forEach((row, i) => {
      if (row.length !== M) {
        throw new RangeError(
          `NSGA-III: reference direction ${i} has ${row.length} values, the problem has ${M} objectives`,
        );
      }
      let s = 0;
      row.forEach((v, j) => {
        if (!Number.isFinite(v) || v < 0) {
          throw new RangeError(
            `NSGA-III: reference direction ${i} has an invalid value ${v} (need finite and ≥ 0)`,
          );
        }
        s += v;
        data[i * M + j] = v;
      });
      if (!(s > 0)) throw new RangeError(`NSGA-III: reference direction ${i} is all zeros`);
    });
    dirs = { data, n: rows.length, m: M };
    opts.refDirs = rows;
  } else if (options.divisions !== undefined || options.partitions !== undefined) {
    if (options.divisions !== undefined && options.partitions !== undefined) {
      throw new RangeError("NSGA-III: give divisions or its former name partitions, not both");
    }
    const p = options.divisions ?? options.partitions;
    const ok = (h: unknown) => Number.isInteger(h) && (h as number) >= 1;
    if (typeof p === "number" ? !ok(p) : !(Array.isArray(p) && p.length === 2 && p.every(ok))) {
      throw new RangeError(
        `NSGA-III: divisions must be a positive integer or two positive integers [H1, H2], got ${
          JSON.stringify(p)
        }`,
      );
    }
    dirs = simplexLattice(M, { divisions: p });
  } else {
    const n = options.nRefDirs ?? given ?? 100;
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`NSGA-III: nRefDirs must be a positive integer, got ${n}`);
    }
    dirs = simplexLattice(M, { points: n });
    opts.nRefDirs = n;
  }
  if (given === undefined) opts.popSize = Math.max(4, Math.ceil(dirs.n / 4) * 4);
  else if (!Number.isInteger(given) || given < 4 || given % 2 !== 0) {
    throw new RangeError(
      `NSGA-III: population size must be an even integer of at least 4 (offspring come in pairs), got ${given}`,
    );
  }
  // η_c 30 (Deb & Jain) on real variables; on all-integer problems the operator's integer default
  const eta = variableSpace(problem).allInteger ? {} : { eta: 30 };
  opts.crossover = resolveOperator(
    "NSGA-III",
    "crossover",
    "crossover",
    options.crossover,
    sbx({ prob: 1, ...eta }),
  );
  opts.mutation = resolveOperator("NSGA-III", "mutation", "mutation", options.mutation, pm());
  return { opts, dirs };
}
