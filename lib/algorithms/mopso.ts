/**
 * MOPSO (Coello Coello, Pulido & Lechuga 2004, "Handling multiple objectives with particle swarm
 * optimization", IEEE TEC 8(3):256–279): a particle swarm whose leaders come from an external
 * repository of non-dominated solutions, organised by an adaptive hypercube grid.
 *
 * Every generation, for each particle i and variable j (paper, Section IV, steps 4–8):
 *   v_ij = W·v_ij + R1·(pbest_ij − x_ij) + R2·(rep_hj − x_ij),   x_ij = x_ij + v_ij,
 * with W = 0.4 and R1, R2 uniform in [0, 1] drawn per variable (as the reference C code). The leader h
 * is drawn by roulette over the occupied hypercubes with fitness x / (members in the hypercube), x = 10,
 * then uniformly inside the chosen hypercube. A position leaving the box is put on the bound and its
 * velocity component is reversed (multiplied by −1).
 * Mutation (Section IV-B, the "turbulence" operator, as in the reference C code): while
 * t < gmax·p_M (p_M = 0.5, the paper's mutation rate), each particle mutates with probability
 * (1 − t/(gmax·p_M))^1.5: one random variable is redrawn uniformly within ± that same factor times half
 * its range, clipped to the bounds. So both the share of mutated particles and the mutation range
 * shrink to zero at t = gmax·p_M. `gmax` is the planned number of generations (`horizon`, below).
 * Repository: after each generation the non-dominated solutions of repository ∪ swarm are kept
 * (constraint-domination when there are constraints; duplicates of an objective vector dropped, the
 * older kept). When a new member falls outside the grid, the grid is rebuilt around the repository.
 * When the repository exceeds its size, a random member of the most crowded hypercube is removed,
 * one at a time. Personal bests: the new position replaces the personal best when it dominates it,
 * is ignored when dominated, and replaces it with probability ½ otherwise.
 *
 * Choices where descriptions differ: the grid spans the repository's objective range widened by
 * 10 % on each side (Coello's Matlab code and Yarpiz's use this inflation; a degenerate range gets
 * ±0.5); grid cells per objective `divisions` = 30 (the paper's setting). The initial velocities are 0.
 *
 * Population and result: `population()` is the repository (the approximation set), so the `Result`
 * of `run()` reports the repository's non-dominated solutions. The swarm (positions, velocities,
 * personal bests), the grid and the mutation horizon are kept in the saved state (`extra`), so a run
 * resumes exactly. Each `ask()` returns the whole swarm (`popSize` particles).
 */
import { nondominatedSort } from "../core/sorting.ts";
import { concat, constraintViolation, type Population, select } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import { type AlgorithmState, stateCount, StateError, stateNumbers } from "./algorithm.ts";
import { type BaseOptions, PopulationAlgorithm, savedOptions } from "./base.ts";
import type { PmOptions } from "../operators/mutation.ts";
import {
  type Mutation,
  type OperatorSpec,
  pm,
  resolveOperator,
  withOperators,
} from "../operators/variation.ts";

/** MOPSO settings. */
export interface MOPSOOptions extends BaseOptions {
  /** Repository (external archive) size (default: popSize; the paper uses 100 with 100 particles). */
  archiveSize?: number;
  /** Grid divisions per objective (default 30, the paper's setting). */
  divisions?: number;
  /** Inertia weight W (default 0.4). */
  inertia?: number;
  /** The paper's mutation rate p_M: mutation acts while t < horizon·p_M (default 0.5; 0 disables it). */
  mutationRate?: number;
  /**
   * A mutation applied to every particle's new position in place of the paper's turbulence (whose
   * schedule makes it MOPSO's own, the default): an operator value such as `pm()`, a built-in's
   * `{ name, ...options }`, or PM settings. `mutationRate` then has no effect.
   */
  mutation?: Mutation | OperatorSpec | PmOptions;
  /** Leader-selection numerator x in x / (members of the hypercube) (default 10). */
  leaderFitness?: number;
  /**
   * The planned number of generations (gmax of the mutation schedule). Default: taken from the first
   * run's termination (`run`, `runAsync` or `minimize`) (maxGenerations, else maxEvaluations / popSize), or 100 when driven by
   * `ask()`/`tell()` alone; saved in the state once fixed.
   */
  horizon?: number;
}

interface MopsoExtra {
  horizon: number | null;
  iteration: number;
  pos: number[];
  vel: number[];
  pbest: { X: number[]; F: number[]; G: number[] } | null;
  gridLo: number[];
  gridHi: number[];
}

/** MOPSO with ask-and-tell, `run()`, and exact resume. */
export class MOPSO extends PopulationAlgorithm<MOPSOOptions> {
  /** "MOPSO". */
  readonly name: string = "MOPSO";
  /** Capacity of the external archive (the repository). */
  readonly archiveSize: number;
  #horizon: number | null;
  /** Swarm moves made so far (t of the mutation schedule). */
  #iteration = 0;
  #pos: Float64Array;
  #vel: Float64Array;
  #pbest: Population | null = null;
  #gridLo: Float64Array;
  #gridHi: Float64Array;

  /** MOPSO on `problem` with `options`. */
  constructor(problem: Problem, options: MOPSOOptions = {}) {
    super(problem, {
      ...options,
      divisions: options.divisions ?? 30,
      inertia: options.inertia ?? 0.4,
      mutationRate: options.mutationRate ?? 0.5,
      leaderFitness: options.leaderFitness ?? 10,
      ...(options.mutation === undefined
        ? {}
        : { mutation: resolveOperator("MOPSO", "mutation", "mutation", options.mutation, pm()) }),
    }, 1);
    const o = this.options;
    this.archiveSize = o.archiveSize ?? this.popSize;
    if (!Number.isInteger(this.archiveSize) || this.archiveSize < 1) {
      throw new RangeError(`MOPSO: archiveSize must be a positive integer, got ${o.archiveSize}`);
    }
    if (!Number.isInteger(o.divisions) || o.divisions! < 1) {
      throw new RangeError(`MOPSO: divisions must be a positive integer, got ${o.divisions}`);
    }
    if (!(Number.isFinite(o.inertia) && o.inertia! >= 0)) {
      throw new RangeError(`MOPSO: inertia must be a finite number ≥ 0, got ${o.inertia}`);
    }
    if (!(o.mutationRate! >= 0 && o.mutationRate! <= 1)) {
      throw new RangeError(`MOPSO: mutationRate must be in [0, 1], got ${o.mutationRate}`);
    }
    if (!(Number.isFinite(o.leaderFitness) && o.leaderFitness! > 0)) {
      throw new RangeError(`MOPSO: leaderFitness must be a finite number > 0, got ${o.leaderFitness}`);
    }
    if (o.horizon !== undefined && (!Number.isInteger(o.horizon) || o.horizon < 1)) {
      throw new RangeError(`MOPSO: horizon must be a positive integer, got ${o.horizon}`);
    }
    this.#horizon = o.horizon ?? null;
    const { nVar, nObj } = problem;
    this.#pos = new Float64Array(this.popSize * nVar);
    this.#vel = new Float64Array(this.popSize * nVar);
    this.#gridLo = new Float64Array(nObj);
    this.#gridHi = new Float64Array(nObj);
  }

  /** Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. */
  static fromJSON(problem: Problem, state: AlgorithmState, operators?: { mutation?: Mutation }): MOPSO {
    const options = withOperators("MOPSO", savedOptions<MOPSOOptions>(state), operators);
    return new MOPSO(problem, options).restore(state);
  }

  /** The mutation horizon gmax in use (null until fixed by the option, the first run() or ask()). */
  get horizon(): number | null {
    return this.#horizon;
  }

  /**
   * Fixes the mutation horizon from the first run's termination (maxGenerations, else
   * maxEvaluations / popSize) unless the option or an earlier run fixed it; called by `minimize`, so
   * `run`, `runAsync` and `minimize` agree.
   */
  begin(termination: { maxEvaluations?: number; maxGenerations?: number }): void {
    if (this.#horizon !== null) return;
    const g = termination.maxGenerations ??
      (termination.maxEvaluations !== undefined
        ? Math.floor(termination.maxEvaluations / this.popSize)
        : undefined);
    if (g !== undefined && g >= 1) this.#horizon = g;
  }

  /** The population is the repository: 1 to archiveSize solutions. */
  protected override populationSizeFits(size: number): boolean {
    return size >= 1 && size <= this.archiveSize;
  }

  /** The swarm: positions, velocities and personal bests (copies). */
  swarm(): { X: Float64Array; V: Float64Array; pbest: Population | null } {
    return { X: this.#pos.slice(), V: this.#vel.slice(), pbest: this.#pbest };
  }

  /** Velocity and position update with leaders from the repository, bounds, then mutation. */
  protected reproduce(rep: Population): Float64Array {
    if (this.#horizon === null) this.#horizon = 100;
    const { nVar, lower, upper } = this.problem;
    const N = this.popSize, rng = this.rng;
    const W = this.options.inertia!;
    const pos = this.#pos, vel = this.#vel, pb = this.#pbest!.X;
    const { members, cumulative } = this.#leaderWheel(rep);
    const total = cumulative[cumulative.length - 1];
    for (let i = 0; i < N; i++) {
      // roulette over occupied hypercubes, then a uniform member of the chosen one
      const u = rng.random() * total;
      let c = 0;
      while (c < cumulative.length - 1 && cumulative[c] <= u) c++;
      const cell = members[c];
      const h = cell[rng.int(cell.length)];
      const o = i * nVar, ho = h * nVar;
      for (let j = 0; j < nVar; j++) {
        const x = pos[o + j];
        const r1 = rng.random(), r2 = rng.random();
        let v = W * vel[o + j] + r1 * (pb[o + j] - x) + r2 * (rep.X[ho + j] - x);
        let y = x + v;
        if (y < lower[j]) {
          y = lower[j];
          v = -v;
        } else if (y > upper[j]) {
          y = upper[j];
          v = -v;
        }
        vel[o + j] = v;
        pos[o + j] = y;
      }
    }
    const pM = this.options.mutationRate!;
    const t = this.#iteration, span = this.#horizon * pM;
    const mutation = this.options.mutation as Mutation | undefined;
    if (mutation) {
      for (let i = 0; i < N; i++) mutation.mutate(rng, pos.subarray(i * nVar, (i + 1) * nVar), this.space);
    } else if (t < span) {
      const f = Math.pow(1 - t / span, 1.5);
      for (let i = 0; i < N; i++) {
        if (rng.random() >= f) continue;
        const j = rng.int(nVar);
        const range = (upper[j] - lower[j]) * f / 2;
        const x = pos[i * nVar + j];
        const lb = Math.max(lower[j], x - range), ub = Math.min(upper[j], x + range);
        pos[i * nVar + j] = lb + (ub - lb) * rng.random();
      }
    }
    this.#iteration++;
    return pos.slice();
  }

  /** Occupied hypercubes of the repository (members in order) and the cumulative leader fitness. */
  #leaderWheel(rep: Population): { members: number[][]; cumulative: Float64Array } {
    const cells = this.#cells(rep);
    const groups = new Map<string | number, number[]>();
    for (let i = 0; i < rep.size; i++) {
      const g = groups.get(cells[i]);
      if (g) g.push(i);
      else groups.set(cells[i], [i]);
    }
    const members = [...groups.values()];
    const cumulative = new Float64Array(members.length);
    const x = this.options.leaderFitness!;
    let s = 0;
    for (let c = 0; c < members.length; c++) cumulative[c] = s += x / members[c].length;
    return { members, cumulative };
  }

  /** The hypercube key of every repository member. */
  #cells(rep: Population): (string | number)[] {
    const m = rep.nObj, D = this.options.divisions!;
    const lo = this.#gridLo, hi = this.#gridHi;
    const numeric = Math.pow(D, m) <= Number.MAX_SAFE_INTEGER;
    const keys: (string | number)[] = new Array(rep.size);
    const idx = new Array<number>(m);
    for (let i = 0; i < rep.size; i++) {
      let key = 0;
      for (let k = 0; k < m; k++) {
        let c = Math.floor((rep.F[i * m + k] - lo[k]) / (hi[k] - lo[k]) * D);
        if (!(c >= 0)) c = 0;
        else if (c > D - 1) c = D - 1;
        idx[k] = c;
        key = key * D + c;
      }
      keys[i] = numeric ? key : idx.join(",");
    }
    return keys;
  }

  /** The grid around the repository's objective range, widened by 10 % on each side. */
  #buildGrid(rep: Population): void {
    const m = rep.nObj;
    for (let k = 0; k < m; k++) {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < rep.size; i++) {
        const v = rep.F[i * m + k];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const pad = hi > lo ? 0.1 * (hi - lo) : 0.5;
      this.#gridLo[k] = lo - pad;
      this.#gridHi[k] = hi + pad;
    }
  }

  /** The moved swarm updates the personal bests and the repository (the population returned). */
  protected override survive(rep: Population | null, batch: Population): Population {
    const { nVar } = this.problem;
    this.#pos.set(batch.X);
    if (!rep) {
      this.#vel.fill(0);
      this.#pbest = select(batch, Array.from({ length: batch.size }, (_, i) => i));
      const next = this.#updateRepository(null, batch);
      return next;
    }
    // personal bests
    const pb = this.#pbest!;
    const m = batch.nObj;
    for (let i = 0; i < batch.size; i++) {
      const d = constrainedDominance(batch, i, pb, i, m);
      const replace = d > 0 || (d === 0 && this.rng.random() < 0.5);
      if (replace) {
        pb.X.set(batch.X.subarray(i * nVar, (i + 1) * nVar), i * nVar);
        pb.F.set(batch.F.subarray(i * m, (i + 1) * m), i * m);
        pb.G.set(batch.G.subarray(i * batch.nConstr, (i + 1) * batch.nConstr), i * batch.nConstr);
        pb.CV[i] = batch.CV[i];
      }
    }
    return this.#updateRepository(rep, batch);
  }

  /** Non-dominated members of repository ∪ batch, grid update, then trimming to the archive size. */
  #updateRepository(rep: Population | null, batch: Population): Population {
    const all = rep ? concat(rep, batch) : batch;
    const oldCount = rep ? rep.size : 0;
    const m = all.nObj;
    const anyInfeasible = all.nConstr > 0 && all.CV.some((v) => v > 0);
    const { fronts } = nondominatedSort({ data: all.F, n: all.size, m }, {
      cv: anyInfeasible ? all.CV : undefined,
      maxCount: 1,
    });
    // keep the first copy of each objective vector (older members come first)
    const keep: number[] = [];
    const seen = new Set<string>();
    for (const i of fronts[0]) {
      const key = Array.prototype.join.call(all.F.subarray(i * m, (i + 1) * m), ",");
      if (seen.has(key)) continue;
      seen.add(key);
      keep.push(i);
    }
    let next = select(all, keep);
    // rebuild the grid when a new member falls outside it (or on the first repository)
    let outside = !rep;
    for (let t = 0; t < keep.length && !outside; t++) {
      if (keep[t] < oldCount) continue;
      for (let k = 0; k < m; k++) {
        const v = all.F[keep[t] * m + k];
        if (v < this.#gridLo[k] || v > this.#gridHi[k]) outside = true;
      }
    }
    if (outside) this.#buildGrid(next);
    if (next.size > this.archiveSize) next = this.#trim(next);
    return next;
  }

  /** Removes random members of the most crowded hypercube until the archive size is reached. */
  #trim(rep: Population): Population {
    const cells = this.#cells(rep);
    const alive = new Uint8Array(rep.size).fill(1);
    const count = new Map<string | number, number>();
    for (const c of cells) count.set(c, (count.get(c) ?? 0) + 1);
    let size = rep.size;
    while (size > this.archiveSize) {
      let best: string | number = cells[0], bestN = -1;
      for (const [c, n] of count) {
        if (n > bestN) {
          best = c;
          bestN = n;
        }
      }
      let pick = this.rng.int(bestN);
      for (let i = 0; i < rep.size; i++) {
        if (alive[i] && cells[i] === best && pick-- === 0) {
          alive[i] = 0;
          break;
        }
      }
      count.set(best, bestN - 1);
      size--;
    }
    const idx: number[] = [];
    for (let i = 0; i < rep.size; i++) if (alive[i]) idx.push(i);
    return select(rep, idx);
  }

  /** Saves the swarm (positions, velocities), the personal bests, the grid bounds and the move counter. */
  protected override saveExtra(): Record<string, unknown> {
    const pb = this.#pbest;
    const extra: MopsoExtra = {
      horizon: this.#horizon,
      iteration: this.#iteration,
      pos: Array.from(this.#pos),
      vel: Array.from(this.#vel),
      pbest: pb ? { X: Array.from(pb.X), F: Array.from(pb.F), G: Array.from(pb.G) } : null,
      gridLo: Array.from(this.#gridLo),
      gridHi: Array.from(this.#gridHi),
    };
    return extra as unknown as Record<string, unknown>;
  }

  /** Restores what {@link saveExtra} saved. */
  protected override loadExtra(extra: Record<string, unknown>): void {
    const e = extra as unknown as MopsoExtra;
    const { nVar, nObj, nConstr } = this.problem;
    const where = "MOPSO: the saved state";
    const pos = stateNumbers(where, "extra.pos", e.pos, this.popSize * nVar);
    const vel = stateNumbers(where, "extra.vel", e.vel, this.popSize * nVar);
    const gridLo = stateNumbers(where, "extra.gridLo", e.gridLo, nObj);
    const gridHi = stateNumbers(where, "extra.gridHi", e.gridHi, nObj);
    if (e.horizon !== null && (!Number.isInteger(e.horizon) || e.horizon < 1)) {
      throw new StateError(`${where}: extra.horizon must be null or a positive integer, got ${e.horizon}`);
    }
    const iteration = stateCount(where, "extra.iteration", e.iteration);
    this.#horizon = e.horizon;
    this.#iteration = iteration;
    this.#pos.set(pos);
    this.#vel.set(vel);
    this.#gridLo.set(gridLo);
    this.#gridHi.set(gridHi);
    if (e.pbest) {
      const X = stateNumbers(where, "extra.pbest.X", e.pbest.X, this.popSize * nVar);
      const size = this.popSize;
      const F = stateNumbers(where, "extra.pbest.F", e.pbest.F, size * nObj);
      const G = stateNumbers(where, "extra.pbest.G", e.pbest.G, size * nConstr, true);
      const CV = constraintViolation(G, nConstr, size);
      this.#pbest = { size, nVar, nObj, nConstr, X, F, G, CV };
    } else if (this.initialized) {
      throw new StateError(`${where}: extra.pbest is missing but the swarm has been evaluated`);
    }
  }
}

/**
 * Deb's constraint-domination between row i of a and row j of b: 1 when a_i dominates b_j, −1 when
 * b_j dominates a_i, 0 otherwise.
 */
function constrainedDominance(a: Population, i: number, b: Population, j: number, m: number): number {
  const ca = a.CV[i], cb = b.CV[j];
  if (ca > 0 || cb > 0) return ca < cb ? 1 : ca > cb ? -1 : 0;
  let better = false, worse = false;
  for (let k = 0; k < m; k++) {
    const x = a.F[i * m + k], y = b.F[j * m + k];
    if (x < y) better = true;
    else if (x > y) worse = true;
  }
  return better && !worse ? 1 : worse && !better ? -1 : 0;
}
