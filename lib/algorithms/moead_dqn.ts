/**
 * MOEA/D-DQN (Y. Tian, X. Li, H. Ma, X. Zhang, K. C. Tan & Y. Jin, "Deep reinforcement learning based
 * adaptive operator selection for evolutionary multi-objective optimization", IEEE TETCI 7(4), 2023),
 * as PlatEMO implements it (`Algorithms/MOEA-D-DQN/`: MOEADDQN.m, RecRL.m, DQN.m): MOEA/D-DRA's
 * resource allocation with a deep Q-network, trained online during the run, choosing each child's
 * operator among four:
 *
 * 0. SBX (η 20) of x_i with a random member of the pool P, one child (either side, per-vector sign);
 * 1. M2M: x_i + r_c (x_i − x_r), r_c = (2u − 1)(1 − v^(−(1 − FE/(maxFE + N))^0.7));
 * 2. DE/rand/1: x_i + F (x_P1 − x_P2), F = 0.5;
 * 3. DE/rand/2: x_i + F (x_P1 − x_P2 + x_P3 − x_P4);
 *
 * then polynomial mutation (clip, p 1/n, η 20, clip). Each generation here is one of PlatEMO's five
 * inner rounds: the boundary subproblems plus 10-tournament winners on the utility π (⌊N/5⌋ draws,
 * duplicates removed, in ascending order). For each: P is the neighbourhood B(i) (T = ⌈N/10⌉, shuffled)
 * with probability 0.9, else the whole population shuffled; the child lowers z* and replaces every
 * member j of P with g^te(x_j) ≥ g^te(child) (Tchebycheff, zero weights kept at zero).
 *
 * **Learning** (RecRL.learn, DQN): the state of a choice is s = (x_i, λ_i), the next state s' = (child
 * before mutation, λ_i). When a child replaces at least one member, its reward is the fitness
 * improvement rate FIR = Σ_j (g_old,j − g_new,j)/g_old,j over the replaced members; the pair (action,
 * FIR) enters a sliding window of 4N entries and the transition (s, a, R, s') is stored with
 * R = the largest FIR of that action in the window; memory 512, and when more than 200 are stored, with
 * probability 0.2 the network takes one SGD step (learning rate 0.01) on a batch of 16 drawn with
 * replacement, loss ½·mean (Q(s, a) − (R + γ max_a' Q_target(s', a')))², γ = 0.95; the target network
 * is copied from the online one every 7 learning steps.
 *
 * **Choice**: until 300 transitions are stored, uniform at random; after, sampled with weights
 * (70, 28, 10, 8) by the Q-values' order — by default exactly as PlatEMO's `choose_action` indexes them
 * (`selection: "platemo"`: the weight of action k is table[n − o_k] where o_k is the operator with the
 * k-th smallest Q; this permutes the intended weights whenever the ascending order is not its own
 * inverse), or by rank (`selection: "rank"`: the action with the largest Q gets 70, the next 28, …);
 * an operator absent from the sliding window is chosen instead (the first such).
 *
 * **Utility**: every fifth generation, when ⌈FE/N⌉ is a multiple of 50, π_i = 1 where the relative
 * decrease Δ_i of g^te(x_i) since the last update is ≥ 0.001, else (0.95 + 0.05 Δ_i/0.001) π_i.
 *
 * Differences from PlatEMO: the network is smaller by default (`hidden` [64, 32] against PlatEMO's
 * [128, 256, 128, 64, 32]; both work, the default keeps a run well under a second); Glorot-uniform
 * initial weights from the run's seed; children of a generation are all bred from the population at its
 * start with the network as it stood then (ask-and-tell), while replacement and learning go child by
 * child in `tell()` as in PlatEMO. maxFE for M2M is `budget`, else `run()`'s termination; in plain
 * ask-and-tell without either FE/(maxFE + N) is taken as 0.
 */
import type { Population } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import type { Rng } from "../core/rng.ts";
import type { AlgorithmState } from "./algorithm.ts";
import type { PmOptions } from "../operators/mutation.ts";
import {
  type Mutation,
  type OperatorSpec,
  platemoPm,
  resolveOperator,
  withOperators,
} from "../operators/variation.ts";
import { savedOptions } from "./base.ts";
import {
  boundarySubproblems,
  checkInt,
  DecompositionAlgorithm,
  type DecompositionOptions,
} from "./decomposition.ts";

/** The four operators' names, in action order. */
export const DQN_OPERATORS: readonly string[] = Object.freeze(["SBX", "M2M", "DE/rand/1", "DE/rand/2"]);

/** PlatEMO's selection weights by order of Q (DQN.m `prob_table`). */
const PROB_TABLE = [70, 28, 10, 8];

/**
 * The selection weights of the actions given their Q-values (see the module comment): "platemo" as
 * DQN.m indexes them, "rank" by descending Q. Ties keep index order (MATLAB's sort is stable).
 */
export function actionWeights(q: ArrayLike<number>, selection: "platemo" | "rank"): number[] {
  const n = q.length;
  const asc = Array.from({ length: n }, (_, k) => k).sort((a, b) => q[a] - q[b] || a - b);
  const w = new Array<number>(n);
  if (selection === "platemo") {
    // idxs = n + 1 − (1-based operator at ascending position k); prob(k) = table(idxs(k)); 5 when n > 4
    for (let k = 0; k < n; k++) w[k] = n <= 4 ? PROB_TABLE[n - asc[k] - 1] : 5;
  } else {
    for (let r = 0; r < n; r++) w[asc[n - 1 - r]] = r < PROB_TABLE.length ? PROB_TABLE[r] : 5;
  }
  return w;
}

/** Draws an index with probability proportional to `w` (inverse CDF, one uniform number). */
function sample(rng: Rng, w: number[]): number {
  const total = w.reduce((a, b) => a + b, 0);
  let u = rng.random() * total;
  for (let k = 0; k < w.length; k++) {
    u -= w[k];
    if (u < 0) return k;
  }
  return w.length - 1;
}

/** A fully connected ReLU network (linear output) trained by plain SGD; weights as plain arrays. */
export class QNetwork {
  /** Layer sizes, input first. */
  readonly sizes: number[];
  /** Per layer: weights (out × in, row-major) and biases. */
  readonly W: Float64Array[];
  /** Per layer: biases. */
  readonly b: Float64Array[];

  /** A network of these layer sizes (input first), weights drawn from `rng` (zero without one). */
  constructor(sizes: number[], rng?: Rng) {
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new RangeError(`QNetwork: layer sizes must be positive integers, got ${sizes.join(", ")}`);
    }
    this.sizes = sizes.slice();
    this.W = [];
    this.b = [];
    for (let l = 1; l < sizes.length; l++) {
      const fanIn = sizes[l - 1], fanOut = sizes[l];
      const W = new Float64Array(fanOut * fanIn);
      if (rng) {
        const limit = Math.sqrt(6 / (fanIn + fanOut)); // Glorot uniform, MATLAB's default
        for (let k = 0; k < W.length; k++) W[k] = (2 * rng.random() - 1) * limit;
      }
      this.W.push(W);
      this.b.push(new Float64Array(fanOut));
    }
  }

  /** Activations of every layer for input `x` (the last is the output, Q). */
  activations(x: ArrayLike<number>): Float64Array[] {
    if (x.length !== this.sizes[0]) {
      throw new RangeError(`QNetwork: input has ${x.length} values, expected ${this.sizes[0]}`);
    }
    const acts = [Float64Array.from(x)];
    for (let l = 0; l < this.W.length; l++) {
      const a = acts[l], W = this.W[l], b = this.b[l], nIn = a.length, nOut = b.length;
      const z = new Float64Array(nOut);
      const last = l === this.W.length - 1;
      for (let o = 0; o < nOut; o++) {
        let s = b[o];
        for (let i = 0; i < nIn; i++) s += W[o * nIn + i] * a[i];
        z[o] = last || s > 0 ? s : 0;
      }
      acts.push(z);
    }
    return acts;
  }

  /** Q-values of state `x`. */
  predict(x: ArrayLike<number>): Float64Array {
    return this.activations(x).at(-1)!;
  }

  /**
   * One SGD step on the half mean squared error ½·(1/B) Σ_k (Q(s_k)[a_k] − t_k)² of a batch (MATLAB's
   * `mse` on a dlarray is this half-mean), learning rate `lr`. Returns the loss before the step.
   */
  train(states: ArrayLike<number>[], actions: number[], targets: number[], lr: number): number {
    const B = states.length;
    const gW = this.W.map((w) => new Float64Array(w.length)),
      gb = this.b.map((b) => new Float64Array(b.length));
    let loss = 0;
    for (let k = 0; k < B; k++) {
      const acts = this.activations(states[k]);
      const q = acts.at(-1)!;
      const err = q[actions[k]] - targets[k];
      loss += (err * err) / (2 * B);
      let delta = new Float64Array(q.length);
      delta[actions[k]] = err / B;
      for (let l = this.W.length - 1; l >= 0; l--) {
        const a = acts[l], W = this.W[l], nIn = a.length, nOut = delta.length;
        for (let o = 0; o < nOut; o++) {
          if (delta[o] === 0) continue;
          gb[l][o] += delta[o];
          for (let i = 0; i < nIn; i++) gW[l][o * nIn + i] += delta[o] * a[i];
        }
        if (l > 0) {
          const prev = new Float64Array(nIn);
          for (let i = 0; i < nIn; i++) {
            if (a[i] <= 0) continue; // ReLU'(z) = 0 where the activation is 0
            let s = 0;
            for (let o = 0; o < nOut; o++) s += W[o * nIn + i] * delta[o];
            prev[i] = s;
          }
          delta = prev;
        }
      }
    }
    for (let l = 0; l < this.W.length; l++) {
      for (let k = 0; k < this.W[l].length; k++) this.W[l][k] -= lr * gW[l][k];
      for (let k = 0; k < this.b[l].length; k++) this.b[l][k] -= lr * gb[l][k];
    }
    return loss;
  }

  /** Copies the weights of `other` (same sizes) into this network. */
  copyFrom(other: QNetwork): void {
    other.W.forEach((w, l) => this.W[l].set(w));
    other.b.forEach((b, l) => this.b[l].set(b));
  }

  /** The sizes and weights as plain arrays. */
  toJSON(): { sizes: number[]; W: number[][]; b: number[][] } {
    return { sizes: this.sizes, W: this.W.map((w) => Array.from(w)), b: this.b.map((b) => Array.from(b)) };
  }

  /** A network from {@link toJSON}'s output; throws on inconsistent sizes. */
  static fromJSON(s: { sizes: number[]; W: number[][]; b: number[][] }): QNetwork {
    const net = new QNetwork(s.sizes);
    if (s.W.length !== net.W.length || s.W.some((w, l) => w.length !== net.W[l].length)) {
      throw new RangeError("QNetwork: the saved weights do not fit the layer sizes");
    }
    s.W.forEach((w, l) => net.W[l].set(w));
    s.b.forEach((b, l) => net.b[l].set(b));
    return net;
  }
}

/** MOEA/D-DQN settings. */
export interface MOEADDQNOptions extends DecompositionOptions {
  /** Hidden layer sizes of the Q-network (default [64, 32]; PlatEMO: [128, 256, 128, 64, 32]). */
  hidden?: number[];
  /** How the Q-values pick an action (default "platemo"; see the module comment). */
  selection?: "platemo" | "rank";
  /** maxFE of the M2M operator's schedule (default: taken from `run()`). */
  budget?: number;
  /**
   * The mutation after the chosen operator: an operator value (default `platemoPm()`, PlatEMO's
   * PolyMut: clip, p 1/n, η 20, clip), a built-in's `{ name, ...options }`, or PM settings over the
   * default's. The four operators the network chooses from are the algorithm's own.
   */
  mutation?: Mutation | OperatorSpec | PmOptions;
}

interface Child {
  sub: number;
  pool: number[];
  action: number;
  state: number[];
  next: number[];
}

const MEMORY = 512, BATCH = 16, LR = 0.01, GAMMA = 0.95, TARGET_EVERY = 7;

/** MOEA/D-DQN with ask-and-tell, `run()`, and exact resume from `toJSON()`. */
export class MOEADDQN extends DecompositionAlgorithm<MOEADDQNOptions> {
  /** "MOEA/D-DQN". */
  readonly name: string = "MOEA/D-DQN";
  /** The online Q-network and the target network. */
  net: QNetwork;
  /** The target network, copied from `net` periodically. */
  target: QNetwork;
  /** How often each operator was chosen. */
  readonly counts: number[] = [0, 0, 0, 0];
  readonly #boundary: Int32Array;
  #pi: Float64Array;
  #oldG: Float64Array = new Float64Array(0);
  #budget: number | undefined;
  #candidates: Int32Array | null = null;
  #pending: Child[] | null = null;
  #round = 0;
  /** Sliding window of (action, reward), oldest first; action −1 = empty slot. */
  #swA: Int8Array;
  #swR: Float64Array;
  #memS: Float64Array;
  #memA: Int8Array;
  #memR: Float64Array;
  #memS2: Float64Array;
  #memCount = 0;
  #learnSteps = 0;

  /** MOEA/D-DQN on `problem` with `options`. */
  constructor(problem: Problem, options: MOEADDQNOptions = {}) {
    const N0 = options.popSize ?? 100;
    super(
      "MOEA/D-DQN",
      problem,
      {
        ...options,
        neighbours: options.neighbours ?? Math.max(2, Math.ceil(N0 / 10)),
        decomposition: "tchebycheff",
        hidden: options.hidden ?? [64, 32],
        selection: options.selection ?? "platemo",
        mutation: resolveOperator("MOEA/D-DQN", "mutation", "mutation", options.mutation, platemoPm()),
      },
      true,
      0,
    );
    const o = this.options;
    if (!Array.isArray(o.hidden) || o.hidden.some((h) => !Number.isInteger(h) || h < 1)) {
      throw new RangeError(`MOEA/D-DQN: hidden must be a list of positive integers, got ${o.hidden}`);
    }
    if (o.selection !== "platemo" && o.selection !== "rank") {
      throw new RangeError(`MOEA/D-DQN: selection must be "platemo" or "rank", got ${o.selection}`);
    }
    if (o.budget !== undefined) checkInt("MOEA/D-DQN", "budget", o.budget, 1);
    this.#budget = o.budget;
    this.#boundary = boundarySubproblems(this.weights);
    this.#pi = new Float64Array(this.weights.n).fill(1);
    const dim = problem.nVar + problem.nObj;
    this.net = new QNetwork([dim, ...o.hidden, 4], this.rng);
    this.target = new QNetwork(this.net.sizes);
    this.target.copyFrom(this.net);
    this.#swA = new Int8Array(4 * this.weights.n).fill(-1);
    this.#swR = new Float64Array(4 * this.weights.n);
    this.#memS = new Float64Array(MEMORY * dim);
    this.#memS2 = new Float64Array(MEMORY * dim);
    this.#memA = new Int8Array(MEMORY);
    this.#memR = new Float64Array(MEMORY);
  }

  /** Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. */
  static fromJSON(problem: Problem, state: AlgorithmState, operators?: { mutation?: Mutation }): MOEADDQN {
    const options = withOperators("MOEA/D-DQN", savedOptions<MOEADDQNOptions>(state), operators);
    return new MOEADDQN(problem, options).restore(state);
  }

  /** Transitions stored so far (PlatEMO's memory_counter). */
  get transitions(): number {
    return this.#memCount;
  }

  /** The utilities π (a copy). */
  get utility(): Float64Array {
    return this.#pi.slice();
  }

  /**
   * Fixes maxFE of the M2M schedule from the first run's termination unless `budget` or an earlier run
   * fixed it; called by `minimize`, so `run`, `runAsync` and `minimize` agree.
   */
  begin(termination: { maxEvaluations?: number; maxGenerations?: number }): void {
    if (this.#budget !== undefined) return;
    if (termination.maxEvaluations !== undefined) this.#budget = termination.maxEvaluations;
    else if (termination.maxGenerations !== undefined) {
      this.#budget = termination.maxGenerations * this.popSize;
    }
  }

  /** One child per selected subproblem. */
  protected override offspringSize(): number {
    return this.#selectCandidates().length;
  }

  /** Boundary subproblems plus ⌊N/5⌋ − |boundary| 10-tournament winners on π, unique, ascending. */
  #selectCandidates(): Int32Array {
    if (this.#candidates) return this.#candidates;
    const N = this.popSize, pi = this.#pi;
    const set = new Set<number>(this.#boundary);
    const draws = Math.floor(N / 5) - this.#boundary.length;
    for (let s = 0; s < draws; s++) {
      let best = this.rng.int(N);
      for (let t = 1; t < 10; t++) {
        const r = this.rng.int(N);
        if (pi[r] > pi[best]) best = r; // ties: the first drawn (MATLAB's min)
      }
      set.add(best);
    }
    this.#candidates = Int32Array.from([...set].sort((a, b) => a - b));
    return this.#candidates;
  }

  /** The action for state `s` (see the module comment); draws from the run's RNG. */
  chooseAction(s: ArrayLike<number>): number {
    let a: number;
    if (this.#memCount > 300) {
      a = sample(this.rng, actionWeights(this.net.predict(s), this.options.selection!));
      for (let op = 0; op < 4; op++) {
        if (!this.#swA.includes(op)) {
          a = op;
          break;
        }
      }
    } else a = this.rng.int(4);
    return a;
  }

  /** One child per selected subproblem, by the operator the Q-network chooses. */
  protected reproduce(pop: Population): Float64Array {
    const { nVar, nObj, lower, upper } = this.problem;
    const cands = this.#selectCandidates();
    const N = this.popSize, T = this.T, W = this.weights.data;
    const X = new Float64Array(cands.length * nVar);
    const children: Child[] = [];
    const fe = this.evaluations;
    const progress = this.#budget ? fe / (this.#budget + N) : 0;
    for (let c = 0; c < cands.length; c++) {
      const i = cands[c];
      let pool: number[];
      if (this.rng.random() < 0.9) {
        pool = Array.from(this.B.subarray(i * T, (i + 1) * T));
        this.rng.shuffle(pool);
      } else pool = Array.from(this.rng.permutation(N));
      const xi = Array.from(pop.X.subarray(i * nVar, (i + 1) * nVar));
      const lambda = Array.from(W.subarray(i * nObj, (i + 1) * nObj));
      const state = [...xi, ...lambda];
      const action = this.chooseAction(state);
      this.counts[action]++;
      const row = (j: number) => pop.X.subarray(j * nVar, (j + 1) * nVar);
      const child = operate(this.rng, action, xi, pool, row, progress);
      const next = [...child, ...lambda];
      // clipped before the mutation (PlatEMO's PolyMut clips first; any mutation then gets a child in the box)
      for (let d = 0; d < nVar; d++) child[d] = Math.min(Math.max(child[d], lower[d]), upper[d]);
      (this.options.mutation as Mutation).mutate(this.rng, child, this.space);
      X.set(child, c * nVar);
      children.push({ sub: i, pool, action, state, next });
    }
    this.#pending = children;
    this.#candidates = null;
    return X;
  }

  /** Neighbourhood replacement, with the rewards and utilities the Q-network learns from. */
  protected override survive(pop: Population | null, batch: Population): Population {
    if (!pop) {
      const first = super.survive(null, batch);
      const m = first.nObj;
      this.#pi.fill(1);
      this.#oldG = Float64Array.from({ length: first.size }, (_, i) => this.g(first.F, i * m, i));
      return first;
    }
    const children = this.#pending;
    if (!children || children.length !== batch.size) {
      throw new Error("MOEA/D-DQN: the pending batch's children are missing");
    }
    const next = this.clone(pop);
    const m = batch.nObj;
    for (let c = 0; c < batch.size; c++) {
      this.updateIdeal(batch.F, c * m);
      const { pool } = children[c];
      const gOld = pool.map((j) => this.g(next.F, j * m, j));
      const gNew = pool.map((j) => this.g(batch.F, c * m, j));
      const { fir, replaced } = fitnessImprovement(gOld, gNew);
      pool.forEach((j, t) => {
        if (replaced[t]) this.replace(batch, c, next, j);
      });
      const any = replaced.some((r) => r);
      if (any) this.#learn(children[c], fir);
    }
    this.#pending = null;
    this.#round++;
    if (this.#round % 5 === 0 && Math.ceil(this.evaluations / this.popSize) % 50 === 0) {
      this.#updateUtility(next);
    }
    return next;
  }

  /** RecRL.learn: the sliding window, the transition with the window's best reward, maybe a step. */
  #learn(child: Child, fir: number): void {
    this.store(child.state, child.action, this.recordReward(child.action, fir), child.next);
    if (this.#memCount > 200 && this.rng.random() < 0.2) this.learnStep();
  }

  /**
   * Pushes (action, FIR) into the sliding window of 4N (dropping the oldest) and returns the reward of
   * the transition: the largest FIR of that action in the window.
   */
  recordReward(action: number, fir: number): number {
    this.#swA.copyWithin(0, 1);
    this.#swR.copyWithin(0, 1);
    this.#swA[this.#swA.length - 1] = action;
    this.#swR[this.#swR.length - 1] = fir;
    return slidingReward(this.#swA, this.#swR, action);
  }

  /** Stores a transition (s, a, r, s') in the replay memory (ring of 512). */
  store(s: ArrayLike<number>, a: number, r: number, s2: ArrayLike<number>): void {
    const dim = this.net.sizes[0], k = this.#memCount % MEMORY;
    this.#memS.set(Array.from(s), k * dim);
    this.#memS2.set(Array.from(s2), k * dim);
    this.#memA[k] = a;
    this.#memR[k] = r;
    this.#memCount++;
  }

  /** DQN.learn: target copy every 7th step, a batch of 16 with replacement, one SGD step. */
  learnStep(): number {
    this.#learnSteps++;
    if (this.#learnSteps % TARGET_EVERY === 0) this.target.copyFrom(this.net);
    const dim = this.net.sizes[0], size = Math.min(MEMORY, this.#memCount);
    const states: Float64Array[] = [], actions: number[] = [], targets: number[] = [];
    for (let k = 0; k < BATCH; k++) {
      const j = this.rng.int(size);
      states.push(this.#memS.slice(j * dim, (j + 1) * dim));
      actions.push(this.#memA[j]);
      const qNext = this.target.predict(this.#memS2.subarray(j * dim, (j + 1) * dim));
      targets.push(this.#memR[j] + GAMMA * Math.max(...qNext));
    }
    return this.net.train(states, actions, targets, LR);
  }

  #updateUtility(pop: Population): void {
    const m = pop.nObj;
    for (let i = 0; i < pop.size; i++) {
      const gNew = this.g(pop.F, i * m, i), gOld = this.#oldG[i];
      const delta = (gOld - gNew) / gOld;
      this.#pi[i] = delta < 0.001 ? (0.95 + 0.05 * delta / 0.001) * this.#pi[i] : 1;
      this.#oldG[i] = gNew;
    }
  }

  /** Saves z*, both networks, the operator counts, the utilities and the state of the round in progress. */
  protected override saveExtra(): Record<string, unknown> {
    const extra = super.saveExtra();
    return {
      ...extra,
      net: this.net.toJSON(),
      target: this.target.toJSON(),
      counts: this.counts.slice(),
      pi: Array.from(this.#pi),
      oldG: Array.from(this.#oldG),
      budget: this.#budget ?? null,
      candidates: this.#candidates ? Array.from(this.#candidates) : null,
      pending: this.#pending,
      round: this.#round,
      swA: Array.from(this.#swA),
      swR: Array.from(this.#swR),
      memS: Array.from(this.#memS.subarray(0, Math.min(MEMORY, this.#memCount) * this.net.sizes[0])),
      memS2: Array.from(this.#memS2.subarray(0, Math.min(MEMORY, this.#memCount) * this.net.sizes[0])),
      memA: Array.from(this.#memA.subarray(0, Math.min(MEMORY, this.#memCount))),
      memR: Array.from(this.#memR.subarray(0, Math.min(MEMORY, this.#memCount))),
      memCount: this.#memCount,
      learnSteps: this.#learnSteps,
    };
  }

  /** Restores what {@link saveExtra} saved. */
  protected override loadExtra(extra: Record<string, unknown>): void {
    super.loadExtra(extra);
    if (!extra.net) return;
    const e = extra as Record<string, never>;
    this.net = QNetwork.fromJSON(e.net);
    this.target = QNetwork.fromJSON(e.target);
    (e.counts as number[]).forEach((v, k) => (this.counts[k] = v));
    this.#pi = Float64Array.from(e.pi as number[]);
    this.#oldG = Float64Array.from(e.oldG as number[]);
    this.#budget = typeof extra.budget === "number" ? extra.budget : undefined;
    this.#candidates = Array.isArray(extra.candidates) ? Int32Array.from(extra.candidates as number[]) : null;
    this.#pending = (extra.pending as Child[] | null) ?? null;
    this.#round = e.round;
    this.#swA = Int8Array.from(e.swA as number[]);
    this.#swR = Float64Array.from(e.swR as number[]);
    this.#memS.set(e.memS as number[]);
    this.#memS2.set(e.memS2 as number[]);
    this.#memA.set(e.memA as number[]);
    this.#memR.set(e.memR as number[]);
    this.#memCount = e.memCount;
    this.#learnSteps = e.learnSteps;
  }
}

/**
 * Which pool members a child replaces (g_old ≥ g_new) and its fitness improvement rate
 * FIR = Σ over those of (g_old − g_new)/g_old (terms with g_old = 0 count 0).
 */
export function fitnessImprovement(gOld: number[], gNew: number[]): { fir: number; replaced: boolean[] } {
  let fir = 0;
  const replaced = gOld.map((g, t) => g >= gNew[t]);
  replaced.forEach((r, t) => {
    if (r && gOld[t] !== 0) fir += (gOld[t] - gNew[t]) / gOld[t];
  });
  return { fir, replaced };
}

/** The reward of RecRL.learn: the largest reward of `action` in the sliding window. */
export function slidingReward(
  actions: ArrayLike<number>,
  rewards: ArrayLike<number>,
  action: number,
): number {
  let best = -Infinity;
  for (let k = 0; k < actions.length; k++) if (actions[k] === action && rewards[k] > best) best = rewards[k];
  return best;
}

/** One child of x_i by operator `action` (PlatEMO's Recsbx, RecM2m, DE_rand_1, DE_rand_2), unclipped. */
function operate(
  rng: Rng,
  action: number,
  xi: number[],
  pool: number[],
  row: (j: number) => Float64Array,
  progress: number,
): Float64Array {
  const D = xi.length, out = new Float64Array(D);
  if (action === 0) {
    const p1 = row(pool[rng.int(pool.length)]);
    const beta = new Float64Array(D);
    for (let d = 0; d < D; d++) {
      const mu = rng.random();
      beta[d] = mu <= 0.5 ? Math.pow(2 * mu, 1 / 21) : Math.pow(2 - 2 * mu, -1 / 21);
    }
    const sign = rng.random() < 0.5 ? -1 : 1;
    for (let d = 0; d < D; d++) beta[d] = rng.random() < 0.5 ? 1 : beta[d] * sign;
    const plus = rng.random() < 0.5;
    for (let d = 0; d < D; d++) {
      const mid = (xi[d] + p1[d]) / 2, half = beta[d] * (xi[d] - p1[d]) / 2;
      out[d] = plus ? mid + half : mid - half;
    }
  } else if (action === 1) {
    const p2 = row(pool[rng.int(pool.length)]);
    const rc = (2 * rng.random() - 1) * (1 - Math.pow(rng.random(), -Math.pow(1 - progress, 0.7)));
    for (let d = 0; d < D; d++) out[d] = xi[d] + rc * (xi[d] - p2[d]);
  } else {
    const [a, b, c, e] = [
      row(pool[0]),
      row(pool[1 % pool.length]),
      row(pool[2 % pool.length]),
      row(pool[3 % pool.length]),
    ];
    for (let d = 0; d < D; d++) {
      out[d] = xi[d] + 0.5 * (a[d] - b[d] + (action === 3 ? c[d] - e[d] : 0));
    }
  }
  return out;
}
