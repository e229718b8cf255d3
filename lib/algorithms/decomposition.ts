/**
 * What the decomposition-based algorithms (MOEA/D and its variants) share: weight vectors,
 * neighbourhoods, scalarizing functions and the ideal point, on top of {@link PopulationAlgorithm}.
 *
 * - Weight vectors: the simplex-lattice design of Das & Dennis (1998), `simplexLattice(nObj, { points:
 *   popSize })` (PlatEMO's `UniformPoint`, with its second, inner layer only when the outer one has no interior
 *   point). For 2 objectives there are exactly `popSize` of them; for 3 and more the largest lattice
 *   count not above `popSize` (e.g. 91 for 100 and 3 objectives), and the population size becomes that
 *   count, as in PlatEMO (`[W, N] = UniformPoint(N, M)`).
 * - Neighbourhood B(i): the T weight vectors nearest to λ_i in Euclidean distance (ties by index),
 *   λ_i itself first (Zhang & Li 2007), or without λ_i (pagmo's `kNN`, used by MOEA/D-GEN).
 * - Scalarizing functions, with the ideal point z*:
 *   Tchebycheff g(x|λ, z*) = max_i λ_i |f_i − z*_i|, a zero λ_i replaced by a small value (1e-6 as in
 *   Zhang & Li's code and PlatEMO's `max(W, 1e-6)`; pagmo uses 1e-4);
 *   PBI g = d1 + θ d2 with d1 = (f − z*)·λ/‖λ‖, d2 = ‖f − (z* + d1 λ/‖λ‖)‖ (θ = 5);
 *   weighted sum g = Σ λ_i f_i.
 * - Replacement comparison: with constraints, the smaller constraint violation wins and the scalarized
 *   value decides only between equal violations (Deb's feasibility rule applied per subproblem); without
 *   constraints it is the scalarized value alone.
 */
import type { Points } from "../core/points.ts";
import type { Population } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import { simplexLattice } from "../problems/simplex_lattice.ts";
import { type BaseOptions, checkPopulationMemory, PopulationAlgorithm } from "./base.ts";

/** The scalarizing functions. */
export type Decomposition = "tchebycheff" | "pbi" | "weighted";

/** The accepted {@link Decomposition} names. */
export const DECOMPOSITIONS: readonly Decomposition[] = ["tchebycheff", "pbi", "weighted"];

/** Options every decomposition-based algorithm takes. */
export interface DecompositionOptions extends BaseOptions {
  /** Neighbourhood size T (default 20, or the most there are: N, or N − 1 when B(i) leaves i out). */
  neighbours?: number;
  /** Scalarizing function (default "tchebycheff"). */
  decomposition?: Decomposition;
  /** PBI penalty θ (default 5). */
  theta?: number;
}

/**
 * The boundary subproblems of MOEA/D-DRA (Zhang, Liu & Li 2009): weight vectors with all but one
 * coordinate below 1e-3, which resource allocation always selects.
 */
export function boundarySubproblems(W: Points): Int32Array {
  const { n, m, data } = W;
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    let small = 0;
    for (let k = 0; k < m; k++) if (data[i * m + k] < 1e-3) small++;
    if (small === m - 1) b.push(i);
  }
  return Int32Array.from(b);
}

/**
 * The T nearest weight vectors of each weight vector (Euclidean distance, ties broken by index), as
 * an N×T row-major array. With `includeSelf` (default) row i starts with i itself.
 */
export function neighbourhoods(W: Points, T: number, includeSelf = true): Int32Array {
  const { n, m, data } = W;
  const max = includeSelf ? n : n - 1;
  if (!Number.isInteger(T) || T < 1 || T > max) {
    throw new RangeError(`neighbourhoods: T must be an integer in [1, ${max}], got ${T}`);
  }
  const B = new Int32Array(n * T);
  const d = new Float64Array(n);
  const idx: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) {
        const t = data[i * m + k] - data[j * m + k];
        s += t * t;
      }
      d[j] = s;
      idx[j] = j;
    }
    d[i] = includeSelf ? -1 : Infinity; // self first, or last (never among the first n − 1)
    idx.sort((a, b) => d[a] - d[b] || a - b);
    for (let t = 0; t < T; t++) B[i * T + t] = idx[t];
  }
  return B;
}

/**
 * The scalarized value of objective vector `f` for weight `w` and ideal point `z`
 * (Tchebycheff's zero weights replaced by `zeroWeight`, default 1e-6).
 */
export function scalarize(
  f: ArrayLike<number>,
  w: ArrayLike<number>,
  z: ArrayLike<number>,
  decomposition: Decomposition = "tchebycheff",
  theta = 5,
  zeroWeight = 1e-6,
): number {
  const m = f.length;
  if (decomposition === "tchebycheff") {
    let g = -Infinity;
    for (let k = 0; k < m; k++) {
      const t = (w[k] === 0 ? zeroWeight : w[k]) * Math.abs(f[k] - z[k]);
      if (t > g) g = t;
    }
    return g;
  }
  if (decomposition === "weighted") {
    let g = 0;
    for (let k = 0; k < m; k++) g += w[k] * f[k];
    return g;
  }
  if (decomposition === "pbi") {
    let nw = 0;
    for (let k = 0; k < m; k++) nw += w[k] * w[k];
    nw = Math.sqrt(nw);
    let d1 = 0;
    for (let k = 0; k < m; k++) d1 += (f[k] - z[k]) * w[k] / nw;
    let d2 = 0;
    for (let k = 0; k < m; k++) {
      const t = f[k] - z[k] - d1 * w[k] / nw;
      d2 += t * t;
    }
    return d1 + theta * Math.sqrt(d2);
  }
  throw new RangeError(
    `scalarize: unknown decomposition "${decomposition}" (expected ${DECOMPOSITIONS.join(", ")})`,
  );
}

/** Copies `n` values of `from` starting at `i` to `to` starting at `k`. */
function copyRow(from: Float64Array, i: number, to: Float64Array, k: number, n: number): void {
  for (let t = 0; t < n; t++) to[k + t] = from[i + t];
}

/** Throws a RangeError naming `algorithm` and `name` unless `v` is in [0, 1]. */
export function checkUnit(algorithm: string, name: string, v: unknown): void {
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
    throw new RangeError(`${algorithm}: ${name} must be in [0, 1], got ${v}`);
  }
}

/** Throws a RangeError naming `algorithm` and `name` unless `v` is an integer in [min, max]. */
export function checkInt(algorithm: string, name: string, v: unknown, min: number, max = Infinity): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Infinity ? `at least ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${algorithm}: ${name} must be an integer ${range}, got ${v}`);
  }
}

/** The weight vectors for a run, with the population size and objective count checked first. */
function weightsFor(algorithm: string, problem: Problem, popSize: unknown): Points {
  if (problem.nObj < 2) {
    throw new RangeError(`${algorithm}: needs at least 2 objectives, the problem has ${problem.nObj}`);
  }
  const N = popSize ?? 100;
  checkInt(algorithm, "population size", N, 3);
  const W = simplexLattice(problem.nObj, { points: N as number });
  if (W.n < 3) {
    throw new RangeError(
      `${algorithm}: population size ${N} gives only ${W.n} weight vectors for ${problem.nObj} objectives`,
    );
  }
  return W;
}

/**
 * Base of the MOEA/D family: the population member i is the current solution of subproblem i
 * (weight vector i). Holds the weights, neighbourhoods, scalarizing function and ideal point z*, saves
 * z* in the state, and offers the replacement test and row copying used by `survive`.
 */
export abstract class DecompositionAlgorithm<O extends DecompositionOptions> extends PopulationAlgorithm<O> {
  /** The weight vectors (N × nObj), one per subproblem and population member. */
  readonly weights: Points;
  /** Neighbourhood size T. */
  readonly T: number;
  /** Neighbourhoods, N × T row-major. */
  protected readonly B: Int32Array;
  /** The ideal point z* (minimum of every objective seen so far). */
  protected z: Float64Array;
  readonly #kind: number;
  readonly #theta: number;
  /** Tchebycheff weights (zeros replaced) or PBI unit weights, N × nObj. */
  readonly #Wg: Float64Array;
  readonly #algo: string;

  /**
   * Builds the weights, neighbourhoods and scalarizing function of a decomposition algorithm.
   *
   * @param algorithm the algorithm's name, for errors
   * @param includeSelf whether B(i) contains i (Zhang & Li) or not (pagmo)
   * @param zeroWeight the Tchebycheff replacement of a zero weight
   */
  constructor(
    algorithm: string,
    problem: Problem,
    options: O,
    includeSelf: boolean,
    zeroWeight: number,
  ) {
    if (typeof options.popSize === "number") checkPopulationMemory(algorithm, options.popSize, problem);
    const W = weightsFor(algorithm, problem, options.popSize);
    super(problem, { ...options, popSize: W.n }, 3);
    this.#algo = algorithm;
    const N = W.n;
    const maxT = includeSelf ? N : N - 1;
    const T = options.neighbours ?? Math.min(20, maxT);
    checkInt(algorithm, "neighbours (T)", T, 2, maxT);
    const decomposition = options.decomposition ?? "tchebycheff";
    if (!DECOMPOSITIONS.includes(decomposition)) {
      throw new RangeError(
        `${algorithm}: unknown decomposition "${decomposition}" (expected "tchebycheff", "pbi" or "weighted")`,
      );
    }
    const theta = options.theta ?? 5;
    if (typeof theta !== "number" || !(theta >= 0) || !Number.isFinite(theta)) {
      throw new RangeError(`${algorithm}: theta must be a finite number ≥ 0, got ${theta}`);
    }
    (this.options as DecompositionOptions).neighbours = T;
    (this.options as DecompositionOptions).decomposition = decomposition;
    if (decomposition === "pbi") (this.options as DecompositionOptions).theta = theta;
    this.weights = W;
    this.T = T;
    this.B = neighbourhoods(W, T, includeSelf);
    this.#kind = decomposition === "tchebycheff" ? 0 : decomposition === "pbi" ? 1 : 2;
    this.#theta = theta;
    const m = W.m;
    const Wg = Float64Array.from(W.data);
    for (let i = 0; i < N; i++) {
      if (this.#kind === 0) {
        for (let k = 0; k < m; k++) if (Wg[i * m + k] === 0) Wg[i * m + k] = zeroWeight;
      } else if (this.#kind === 1) {
        let s = 0;
        for (let k = 0; k < m; k++) s += Wg[i * m + k] * Wg[i * m + k];
        s = Math.sqrt(s);
        for (let k = 0; k < m; k++) Wg[i * m + k] /= s;
      }
    }
    this.#Wg = Wg;
    this.z = new Float64Array(m).fill(Infinity);
  }

  /** The scalarized value, on subproblem j, of the objective row of `F` starting at `off`. */
  protected g(F: Float64Array, off: number, j: number): number {
    const m = this.weights.m, W = this.#Wg, z = this.z, o = j * m;
    if (this.#kind === 0) {
      let g = -Infinity;
      for (let k = 0; k < m; k++) {
        const t = W[o + k] * Math.abs(F[off + k] - z[k]);
        if (t > g) g = t;
      }
      return g;
    }
    if (this.#kind === 1) {
      let d1 = 0;
      for (let k = 0; k < m; k++) d1 += (F[off + k] - z[k]) * W[o + k];
      let d2 = 0;
      for (let k = 0; k < m; k++) {
        const t = F[off + k] - z[k] - d1 * W[o + k];
        d2 += t * t;
      }
      return d1 + this.#theta * Math.sqrt(d2);
    }
    const Wr = this.weights.data;
    let g = 0;
    for (let k = 0; k < m; k++) g += Wr[o + k] * F[off + k];
    return g;
  }

  /** Lowers the ideal point to the objective row of `F` starting at `off`. */
  protected updateIdeal(F: Float64Array, off: number): void {
    const z = this.z;
    for (let k = 0; k < z.length; k++) if (F[off + k] < z[k]) z[k] = F[off + k];
  }

  /**
   * True when member c of `batch` should replace member j of `pop` on subproblem j: a smaller
   * constraint violation, or an equal one and a scalarized value ≤ (or <, when `strict`) member j's.
   */
  protected improves(batch: Population, c: number, pop: Population, j: number, strict: boolean): boolean {
    const cc = batch.CV[c], cj = pop.CV[j];
    if (cc !== cj) return cc < cj;
    const m = this.weights.m;
    let gc: number, gj: number;
    if (this.#kind === 0) {
      // Tchebycheff, both values in one loop (the same operations as g(); the hot path of MOEA/D)
      const W = this.#Wg, z = this.z, Fc = batch.F, Fj = pop.F, oc = c * m, o = j * m;
      gc = -Infinity;
      gj = -Infinity;
      for (let k = 0; k < m; k++) {
        const w = W[o + k], zk = z[k];
        const t = w * Math.abs(Fc[oc + k] - zk), u = w * Math.abs(Fj[o + k] - zk);
        if (t > gc) gc = t;
        if (u > gj) gj = u;
      }
    } else {
      gc = this.g(batch.F, c * m, j);
      gj = this.g(pop.F, j * m, j);
    }
    return strict ? gc < gj : gc <= gj;
  }

  /** Copies member c of `batch` over member j of `pop` (decisions, objectives, constraints). */
  protected replace(batch: Population, c: number, pop: Population, j: number): void {
    const { nVar, nObj, nConstr } = pop;
    // element loops: rows are short, and set() on subarray views made two views per replacement
    copyRow(batch.X, c * nVar, pop.X, j * nVar, nVar);
    copyRow(batch.F, c * nObj, pop.F, j * nObj, nObj);
    if (nConstr > 0) copyRow(batch.G, c * nConstr, pop.G, j * nConstr, nConstr);
    pop.CV[j] = batch.CV[c];
  }

  /** A copy of `pop` to update in place. */
  protected clone(pop: Population): Population {
    return { ...pop, X: pop.X.slice(), F: pop.F.slice(), G: pop.G.slice(), CV: pop.CV.slice() };
  }

  /** Two distinct members drawn uniformly from B(i) (`whole` false) or from the population. */
  protected pickTwo(i: number, whole: boolean, out: Int32Array): void {
    const T = this.T, N = this.popSize, B = this.B, rng = this.rng;
    const a = whole ? rng.int(N) : B[i * T + rng.int(T)];
    let b: number;
    do b = whole ? rng.int(N) : B[i * T + rng.int(T)]; while (b === a);
    out[0] = a;
    out[1] = b;
  }

  /** The initial ideal point is the minimum of the initial population. */
  protected override survive(pop: Population | null, batch: Population): Population {
    if (pop) throw new Error(`${this.#algo}: survive() must be implemented`);
    this.z.fill(Infinity);
    for (let c = 0; c < batch.size; c++) this.updateIdeal(batch.F, c * batch.nObj);
    return batch;
  }

  /** Saves the ideal point z*. */
  protected override saveExtra(): Record<string, unknown> {
    return this.initialized ? { z: Array.from(this.z) } : {};
  }

  /** Restores the ideal point z*. */
  protected override loadExtra(extra: Record<string, unknown>): void {
    const z = extra.z as number[] | undefined;
    if (z) {
      if (!Array.isArray(z) || z.length !== this.weights.m) {
        throw new RangeError(`${this.#algo}: the saved ideal point does not fit the problem`);
      }
      this.z = Float64Array.from(z);
    }
  }
}
