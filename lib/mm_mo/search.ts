/**
 * The MM-MO search (Li et al. 2024, Algorithm 1): multi-objective Bayesian optimisation of merging
 * configurations with a weak-to-strong enhanced acquisition and Fisher-information screening.
 *
 * Two procedures, `procedure: "authors"` (default) as the authors' `mm_mo.py` does it, and `"pooled"`,
 * this project's earlier reading of the paper:
 *
 * 1. `initial` configurations, evaluated: uniform random (authors, `random.uniform`) or Latin hypercube
 *    (pooled).
 * 2. For each of `batches` rounds:
 *    a. fit one GP per objective (errors of every task, and the L1 distance from the base unless the
 *       sparsity objective is off) on the configurations scaled to the unit cube;
 *    b. acquisition: candidates maximising qEHVI (sequential greedy, Monte Carlo) — authors: Q = 2q = 10
 *       of them; pooled: q;
 *    c. weak-to-strong: for each acquisition candidate a (the "weak" proposal), a DE/rand/1 mutant
 *       v = b_r1 + F (b_r2 − b_r3) from three distinct configurations among the `nBest` best evaluated
 *       ones (the "strong"), clipped to the box, and the binomial crossover of a with v (rate CR).
 *       Authors: best = highest sum of the task accuracies (`select_best_solutions`, sparsity left out),
 *       crossover takes v where u_j < CR and one random coordinate when none does, and every candidate is
 *       replaced by its trial (the pool is the Q trials). Pooled: best = non-dominated rank then crowding
 *       over all objectives, one coordinate always from v, and the pool is the q proposals plus the q
 *       trials;
 *    d. Fisher screening: the Fisher information of a GP's predictive Gaussian N(μ_k(x), σ_k²(x)) about
 *       its mean is 1/σ_k²(x); a candidate's information is Σ_k 1/σ_k²(x) (standardised units) and the q
 *       candidates of the pool with the lowest information are kept (`select_next_configuration`);
 *    e. evaluate the q kept configurations.
 *
 * Ablations: without weak-to-strong the pool is the Q (authors) or 2q (pooled) qEHVI candidates; without
 * Fisher screening q are chosen from the pool by greedy qEHVI; without both it is plain qEHVI with q
 * candidates; without sparsity the objectives are the task errors only.
 *
 * Evaluations go through `evaluate` (default: the in-process {@link MergeProblem.evaluate}), which may be
 * asynchronous and cached (lib/mm_mo/evaluation.ts): the search is deterministic given its seed and the
 * scores, so a re-run over a cache replays the scores already obtained.
 */
import { crowdingDistance } from "../core/crowding.ts";
import { Rng } from "../core/rng.ts";
import { nondominatedSort } from "../core/sorting.ts";
import { latinHypercubeSampling } from "../operators/sampling.ts";
import { makeQEHVI, optimizeQEHVI } from "./ehvi.ts";
import { fitGP, type GP, type GPOptions, posteriorStd } from "./gp.ts";
import { type MergeEvaluation, type MergeProblem, objectiveVector } from "./problem.ts";

/** One evaluated configuration of a search. */
export interface SearchRecord {
  /** The configuration (d_1, w_1, …, d_K, w_K[, λ]). */
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
  /** The search's name. */
  readonly name: string;
  /** The evaluated configurations, in evaluation order. */
  readonly records: SearchRecord[];
}

/** Options of {@link mmMO}. */
export interface MMMOOptions {
  /** Seed of the whole search (default 1). */
  seed?: number;
  /** Initial random configurations; default 10 (the authors' budget). */
  initial?: number;
  /** Rounds of batch evaluation; default 4. */
  batches?: number;
  /** Configurations per batch; default 5. */
  q?: number;
  /** "authors" (default) or "pooled"; see the module doc. */
  procedure?: "authors" | "pooled";
  /** qEHVI candidates per batch in the authors' procedure; default 2q (the authors' BATCH_SIZE 10). */
  acquisitionQ?: number;
  /** Evaluates a configuration (may be asynchronous and cached); default `problem.evaluate(x)`. */
  evaluate?: (x: Float64Array) => Promise<MergeEvaluation> | MergeEvaluation;
  /** Weak-to-strong enhancement of the acquisition (default true). */
  weakToStrong?: boolean;
  /** Fisher-information screening of the candidates (default true). */
  fisher?: boolean;
  /** ΔL1 as an objective beside the task errors (default true). */
  sparsity?: boolean;
  /** DE scale factor and crossover rate of weak-to-strong; default 0.5 and 0.5. */
  F?: number;
  /** DE crossover rate of weak-to-strong (default 0.5). */
  CR?: number;
  /** How many best configurations guide weak-to-strong; default 5. */
  nBest?: number;
  /** Monte Carlo samples of qEHVI; default 64. */
  samples?: number;
  /** Raw candidates per greedy choice; default 128. */
  raw?: number;
  /** Settings of the GPs (default {@link fitGP}'s). */
  gp?: GPOptions;
  /** Name of the result (default "MM-MO"). */
  name?: string;
  /** Called after the initial design and after every batch. */
  onBatch?: (batch: number, result: SearchResult) => void | Promise<void>;
}

async function record(
  evaluate: (x: Float64Array) => Promise<MergeEvaluation> | MergeEvaluation,
  x: Float64Array,
  batch: number,
): Promise<SearchRecord> {
  const e = await evaluate(x);
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

/** Indices of the `k` records with the highest sum of task accuracies (the authors' ranking; first on ties). */
export function bestBySum(records: readonly SearchRecord[], k: number): number[] {
  const sum = records.map((r) => r.accuracy.reduce((a, b) => a + b, 0));
  return records.map((_, i) => i).sort((a, b) => sum[b] - sum[a] || a - b).slice(0, k);
}

/**
 * The weak-to-strong trial of a candidate a: DE/rand/1 from the best configurations, binomial crossover.
 * `crossover: "binomial"` (default) always takes coordinate j_rand from the mutant; `"authors"` takes
 * the mutant where u_j < CR and, when no coordinate does, one random coordinate (`adjust_solution`).
 */
export function weakToStrong(
  a: Float64Array,
  best: readonly Float64Array[],
  rng: Rng,
  F = 0.5,
  CR = 0.5,
  crossover: "binomial" | "authors" = "binomial",
): Float64Array {
  if (best.length < 3) {
    throw new RangeError(`weakToStrong: needs ≥ 3 best configurations, got ${best.length}`);
  }
  const d = a.length;
  const perm = rng.permutation(best.length);
  const [b1, b2, b3] = [best[perm[0]], best[perm[1]], best[perm[2]]];
  const mutant = (j: number) => Math.min(1, Math.max(0, b1[j] + F * (b2[j] - b3[j])));
  const u = new Float64Array(d);
  if (crossover === "authors") {
    const take = Array.from({ length: d }, () => rng.random() < CR);
    if (!take.some((t) => t)) take[rng.int(d)] = true;
    for (let j = 0; j < d; j++) u[j] = take[j] ? mutant(j) : a[j];
    return u;
  }
  const jr = rng.int(d);
  for (let j = 0; j < d; j++) u[j] = j === jr || rng.random() < CR ? mutant(j) : a[j];
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
  const authors = (options.procedure ?? "authors") === "authors";
  if (options.procedure !== undefined && options.procedure !== "authors" && options.procedure !== "pooled") {
    throw new RangeError(`mmMO: procedure "${options.procedure}" is not "authors" or "pooled"`);
  }
  const Q = options.acquisitionQ ?? 2 * q;
  if (!(Number.isInteger(Q) && Q >= q)) {
    throw new RangeError(`mmMO: acquisitionQ ${Q} must be an integer ≥ q = ${q}`);
  }
  const evaluate = options.evaluate ?? ((x: Float64Array) => problem.evaluate(x));
  const d = problem.nVar;
  const rng = new Rng(seed);
  const result: SearchResult = { name: options.name ?? "MM-MO", records: [] };
  const unit = new Float64Array(d), one = new Float64Array(d).fill(1);
  const U0 = authors
    ? Float64Array.from({ length: initial * d }, () => rng.random())
    : latinHypercubeSampling(rng, initial, unit, one);
  for (let i = 0; i < initial; i++) {
    result.records.push(await record(evaluate, problem.fromUnit(U0.subarray(i * d, i * d + d)), 0));
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
    const acq = makeQEHVI(gps, Y, {
      samples: options.samples ?? 64,
      qMax: Math.max(2 * q, Q),
      seed: seed * 1000 + b,
    });
    const opt = { raw: options.raw ?? 128, seed: seed * 7919 + b };
    const pool: Float64Array[] = [];
    if (authors) {
      const A = optimizeQEHVI(acq, gps, w2s || fisher ? Q : q, opt).X;
      const best = w2s ? bestBySum(recs, Math.min(nBest, n)).map((i) => U.slice(i * d, i * d + d)) : [];
      for (let j = 0; j < A.length / d; j++) {
        const a = A.slice(j * d, j * d + d);
        pool.push(w2s ? weakToStrong(a, best, rng, F, CR, "authors") : a);
      }
    } else if (w2s) {
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
    for (const u of chosen) recs.push(await record(evaluate, problem.fromUnit(u), b));
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
