/**
 * The MM-MO search (Li et al. 2024, Algorithm 1): multi-objective Bayesian optimisation of merging
 * configurations with a weak-to-strong enhanced acquisition and Fisher-information screening.
 *
 * 1. `initial` configurations by Latin hypercube sampling, evaluated.
 * 2. For each of `batches` rounds:
 *    a. fit one GP per objective (errors of every task, and the L1 distance from the base unless the
 *       sparsity objective is off) on the configurations scaled to the unit cube;
 *    b. acquisition: q candidates maximising qEHVI (sequential greedy, Monte Carlo);
 *    c. weak-to-strong: for each acquisition candidate a (the "weak" proposal), a DE/rand/1 mutant
 *       v = b_r1 + F (b_r2 − b_r3) from three distinct configurations among the `nBest` best evaluated
 *       ones (the "strong"; best = non-dominated rank, then crowding distance), and the binomial
 *       crossover of a with v (rate CR, one coordinate always from v) — q trial configurations pulled
 *       toward the best ones; the candidate pool is the q proposals plus the q trials;
 *    d. Fisher screening: the Fisher information of a GP's predictive Gaussian N(μ_k(x), σ_k²(x))
 *       about its mean is 1/σ_k²(x); a candidate's information is Σ_k 1/σ_k²(x) (standardised units so
 *       the objectives are comparable), and the q candidates with the lowest information — those the
 *       surrogates know least about, where an evaluation teaches the most — are kept;
 *    e. evaluate the q kept configurations.
 *
 * Ablations: without weak-to-strong the pool is 2q qEHVI candidates (the greedy continued); without
 * Fisher screening q are chosen from the pool by greedy qEHVI; without both it is plain qEHVI with
 * q candidates; without sparsity the objectives are the task errors only.
 */
import { crowdingDistance } from "../core/crowding.ts";
import { Rng } from "../core/rng.ts";
import { nondominatedSort } from "../core/sorting.ts";
import { latinHypercubeSampling } from "../operators/sampling.ts";
import { makeQEHVI, optimizeQEHVI } from "./ehvi.ts";
import { fitGP, type GP, type GPOptions, posteriorStd } from "./gp.ts";
import { type MergeProblem, objectiveVector } from "./problem.ts";

/** One evaluated configuration of a search. */
export interface SearchRecord {
  /** The configuration (d_1, w_1, …, d_K, w_K). */
  readonly x: number[];
  /** Validation accuracy per task. */
  readonly accuracy: number[];
  /** Σ|θ_merged − θ_base|. */
  readonly deltaL1: number;
  /** 0 for the initial design, b for the b-th batch (or NSGA-II generation). */
  readonly batch: number;
}

/** The evaluated configurations of a search, in evaluation order. */
export interface SearchResult {
  readonly name: string;
  readonly records: SearchRecord[];
}

/** Options of {@link mmMO}. */
export interface MMMOOptions {
  seed?: number;
  /** Initial random configurations; default 10 (the authors' budget). */
  initial?: number;
  /** Rounds of batch evaluation; default 4. */
  batches?: number;
  /** Configurations per batch; default 5. */
  q?: number;
  weakToStrong?: boolean;
  fisher?: boolean;
  sparsity?: boolean;
  /** DE scale factor and crossover rate of weak-to-strong; default 0.5 and 0.5. */
  F?: number;
  CR?: number;
  /** How many best configurations guide weak-to-strong; default 5. */
  nBest?: number;
  /** Monte Carlo samples of qEHVI; default 64. */
  samples?: number;
  /** Raw candidates per greedy choice; default 128. */
  raw?: number;
  gp?: GPOptions;
  name?: string;
  /** Called after the initial design and after every batch. */
  onBatch?: (batch: number, result: SearchResult) => void | Promise<void>;
}

function record(problem: MergeProblem, x: Float64Array, batch: number): SearchRecord {
  const e = problem.evaluate(x);
  return { x: Array.from(x), accuracy: Array.from(e.accuracy), deltaL1: e.deltaL1, batch };
}

/** The minimised objectives of records, n × m row-major. */
export function objectiveMatrix(records: readonly SearchRecord[], sparsity = true): Float64Array {
  const m = records[0].accuracy.length + (sparsity ? 1 : 0);
  const out = new Float64Array(records.length * m);
  records.forEach((r, i) =>
    out.set(objectiveVector({ accuracy: Float64Array.from(r.accuracy), deltaL1: r.deltaL1 }, sparsity), i * m)
  );
  return out;
}

/** Indices of the `k` best rows of F (n × m, minimised): by non-dominated rank, then crowding distance. */
export function bestIndices(F: Float64Array, m: number, k: number): number[] {
  const n = F.length / m;
  const P = { data: F, n, m };
  const { fronts } = nondominatedSort(P);
  const out: number[] = [];
  for (const front of fronts) {
    if (out.length >= k) break;
    const cd = crowdingDistance(P, front);
    const idx = Array.from(front, (_, i) => i).sort((a, b) => cd[b] - cd[a] || front[a] - front[b]);
    for (const i of idx) if (out.length < k) out.push(front[i]);
  }
  return out;
}

/** The weak-to-strong trial of a candidate a: DE/rand/1 from the best configurations, binomial crossover. */
export function weakToStrong(
  a: Float64Array,
  best: readonly Float64Array[],
  rng: Rng,
  F = 0.5,
  CR = 0.5,
): Float64Array {
  if (best.length < 3) {
    throw new RangeError(`weakToStrong: needs ≥ 3 best configurations, got ${best.length}`);
  }
  const d = a.length;
  const perm = rng.permutation(best.length);
  const [b1, b2, b3] = [best[perm[0]], best[perm[1]], best[perm[2]]];
  const jr = rng.int(d);
  const u = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    if (j === jr || rng.random() < CR) u[j] = Math.min(1, Math.max(0, b1[j] + F * (b2[j] - b3[j])));
    else u[j] = a[j];
  }
  return u;
}

/** Σ_k 1/σ_k²(x): the Fisher information of the GPs' predictive Gaussians about their means. */
export function fisherInformation(gps: readonly GP[], u: ArrayLike<number>): number {
  let s = 0;
  for (const gp of gps) s += 1 / posteriorStd(gp, u).cov[0];
  return s;
}

/** MM-MO: multi-objective Bayesian optimisation of merging configurations (see the module doc). */
export async function mmMO(problem: MergeProblem, options: MMMOOptions = {}): Promise<SearchResult> {
  const seed = options.seed ?? 1;
  const initial = options.initial ?? 10, batches = options.batches ?? 4, q = options.q ?? 5;
  const w2s = options.weakToStrong ?? true,
    fisher = options.fisher ?? true,
    sparsity = options.sparsity ?? true;
  const F = options.F ?? 0.5, CR = options.CR ?? 0.5, nBest = options.nBest ?? 5;
  const d = problem.nVar;
  const rng = new Rng(seed);
  const result: SearchResult = { name: options.name ?? "MM-MO", records: [] };
  const unit = new Float64Array(d), one = new Float64Array(d).fill(1);
  const U0 = latinHypercubeSampling(rng, initial, unit, one);
  for (let i = 0; i < initial; i++) {
    result.records.push(record(problem, problem.fromUnit(U0.subarray(i * d, i * d + d)), 0));
  }
  await options.onBatch?.(0, result);
  for (let b = 1; b <= batches; b++) {
    const recs = result.records;
    const n = recs.length;
    const U = new Float64Array(n * d);
    recs.forEach((r, i) => U.set(problem.toUnit(r.x), i * d));
    const Y = objectiveMatrix(recs, sparsity);
    const m = Y.length / n;
    const gps = Array.from(
      { length: m },
      (_, k) =>
        fitGP(U, Float64Array.from({ length: n }, (_, i) => Y[i * m + k]), d, {
          ...options.gp,
          seed: seed * 1000 + b * 10 + k,
        }),
    );
    const acq = makeQEHVI(gps, Y, { samples: options.samples ?? 64, qMax: 2 * q, seed: seed * 1000 + b });
    const opt = { raw: options.raw ?? 128, seed: seed * 7919 + b };
    const pool: Float64Array[] = [];
    if (w2s) {
      const A = optimizeQEHVI(acq, gps, q, opt).X;
      const best = bestIndices(Y, m, Math.min(nBest, n)).map((i) => U.slice(i * d, i * d + d));
      for (let j = 0; j < q; j++) pool.push(A.slice(j * d, j * d + d));
      for (let j = 0; j < q; j++) pool.push(weakToStrong(A.slice(j * d, j * d + d), best, rng, F, CR));
    } else {
      const A = optimizeQEHVI(acq, gps, fisher ? 2 * q : q, opt).X;
      for (let j = 0; j < A.length / d; j++) pool.push(A.slice(j * d, j * d + d));
    }
    let chosen: Float64Array[];
    if (pool.length === q) chosen = pool;
    else if (fisher) {
      const info = pool.map((u) => fisherInformation(gps, u));
      chosen = pool.map((_, i) => i).sort((a, c) => info[a] - info[c] || a - c).slice(0, q).map((i) =>
        pool[i]
      );
    } else {
      // Greedy qEHVI over the pool.
      chosen = [];
      const left = pool.map((_, i) => i);
      while (chosen.length < q) {
        let arg = 0, top = -Infinity;
        for (let li = 0; li < left.length; li++) {
          const batch = new Float64Array((chosen.length + 1) * d);
          chosen.forEach((c, i) => batch.set(c, i * d));
          batch.set(pool[left[li]], chosen.length * d);
          const v = acq.value(batch);
          if (v > top) {
            top = v;
            arg = li;
          }
        }
        chosen.push(pool[left[arg]]);
        left.splice(arg, 1);
      }
    }
    for (const u of chosen) recs.push(record(problem, problem.fromUnit(u), b));
    await options.onBatch?.(b, result);
  }
  return result;
}

/** The index of the record with the highest mean validation accuracy (first on ties). */
export function bestByAverage(records: readonly SearchRecord[]): number {
  let arg = 0, top = -Infinity;
  records.forEach((r, i) => {
    const a = r.accuracy.reduce((s, v) => s + v, 0) / r.accuracy.length;
    if (a > top) {
      top = a;
      arg = i;
    }
  });
  return arg;
}
