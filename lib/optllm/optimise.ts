/**
 * The optimisation component of OptLLM (Section IV-B): two extreme solutions, then destruction and
 * reconstruction toward each other, archiving the non-dominated solutions (Algorithms 1–3).
 *
 * Terms (per query i and LLM k, with cost c_{i,k} and predicted accuracy p_{i,k}):
 * - The *staircase* of a query: its LLMs that no other LLM dominates in (cost ↓, accuracy ↑), sorted by
 *   cost; along it both cost and accuracy strictly increase. Any other LLM is dominated; moving a query
 *   off a dominated LLM is the "+∞ score" move of the authors' code, applied before anything else.
 * - Initialization (Alg. 1 line 4, Lemma IV.1): s_c sends every query to its cheapest LLM (ties: the
 *   more accurate), s_h to its most accurate (ties: the cheaper) — the two ends of each staircase.
 * - Grid (Alg. 1 lines 5–6): Δcost = (f_cost(s_h) − f_cost(s_c))/GN, Δacc = (f_acc(s_h) − f_acc(s_c))/GN.
 * - Destruction (Alg. 2): toward cost, reassign queries to their cheapest LLM in decreasing order of the
 *   saving cs_i until Δcost is released; toward accuracy, reassign queries to their most accurate LLM
 *   in decreasing order of the gain ai_i until the mean accuracy rose by Δacc. When the queries cannot
 *   release the gap the direction stops (the authors' code returns None and breaks).
 * - Reconstruction (Alg. 3, Lemma IV.2): score⁺_i = the best accuracy gained per dollar by moving query i
 *   to a dearer LLM, score⁻_i = the least accuracy lost per dollar saved by moving it to a cheaper one.
 *   While max score⁺ > min score⁻, apply both moves (the upgrade alone when they concern the same
 *   query) and update the two scores of the moved queries. Each reconstructed solution joins the archive.
 * - Loop (Alg. 1 lines 9–15): s_1 starts at s_h and is destructed toward cost, s_2 starts at s_c and is
 *   destructed toward accuracy, each GN − 1 times (the authors' `for i in range(1, density)`), so that
 *   the archive holds at most 2·GN solutions (Table VII's N = 100 at GN = 50).
 * - Archive: the non-dominated solutions of s_c, s_h and all reconstructions.
 *
 * Implementation: per (query, LLM) tables computed once (staircase position, best upgrade and
 * downgrade with their ratios), running sums of the objectives, two binary heaps with lazy deletion
 * for the scores, and a radix sort of the destruction keys — O(n m²) set-up and O(n) to O(n log n) per
 * iteration, so 31,360 queries × 8 LLMs with GN = 50 take well under a second (bench/optllm_bench.ts).
 *
 * @module
 */
import { sortIndices } from "../core/sort_indices.ts";
import { type Allocation, evaluateAssignment } from "./problem.ts";

/** Per (query, LLM) tables of the staircases and the reconstruction moves. */
export interface MoveTables {
  /** Staircase LLMs of query i at [i·m, i·m + len_i), cheapest first. */
  readonly stair: Int32Array;
  /** len_i: the staircase's length for query i. */
  readonly stairLen: Int32Array;
  /** The staircase LLM that replaces LLM k of query i (k itself when k is on the staircase). */
  readonly repair: Int32Array;
  /** Best accuracy gained per dollar by an upgrade from k (−∞ when none), and its target LLM. */
  readonly upRatio: Float64Array;
  /** The LLM that upgrade leads to. */
  readonly upTarget: Int32Array;
  /** Least accuracy lost per dollar saved by a downgrade from k (+∞ when none), and its target. */
  readonly downRatio: Float64Array;
  /** The LLM that downgrade leads to. */
  readonly downTarget: Int32Array;
}

/** Builds the {@link MoveTables} of an instance (O(n m²)). */
export function moveTables(inst: Allocation): MoveTables {
  const { n, m, cost, acc } = inst;
  const stair = new Int32Array(n * m), stairLen = new Int32Array(n), repair = new Int32Array(n * m);
  const upRatio = new Float64Array(n * m).fill(-Infinity), upTarget = new Int32Array(n * m).fill(-1);
  const downRatio = new Float64Array(n * m).fill(Infinity), downTarget = new Int32Array(n * m).fill(-1);
  const order = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let k = 0; k < m; k++) order[k] = k;
    // insertion sort by cost ascending, accuracy descending, index ascending
    for (let a = 1; a < m; a++) {
      const k = order[a];
      let b = a - 1;
      while (b >= 0) {
        const j = order[b];
        const before = cost[o + j] < cost[o + k] ||
          (cost[o + j] === cost[o + k] && (acc[o + j] > acc[o + k] || (acc[o + j] === acc[o + k] && j < k)));
        if (before) break;
        order[b + 1] = j;
        b--;
      }
      order[b + 1] = k;
    }
    let len = 0, best = -Infinity;
    for (let a = 0; a < m; a++) {
      const k = order[a];
      if (acc[o + k] > best) {
        stair[o + len++] = k;
        best = acc[o + k];
      }
      repair[o + k] = stair[o + len - 1]; // the dearest staircase LLM not dearer than k: it dominates k
    }
    stairLen[i] = len;
    for (let a = 0; a < len; a++) {
      const k = stair[o + a];
      for (let b = a + 1; b < len; b++) {
        const t = stair[o + b];
        const r = (acc[o + t] - acc[o + k]) / (cost[o + t] - cost[o + k]);
        if (r > upRatio[o + k]) upRatio[o + k] = r, upTarget[o + k] = t;
      }
      for (let b = 0; b < a; b++) {
        const t = stair[o + b];
        const r = (acc[o + k] - acc[o + t]) / (cost[o + k] - cost[o + t]);
        if (r < downRatio[o + k]) downRatio[o + k] = r, downTarget[o + k] = t;
      }
    }
  }
  return { stair, stairLen, repair, upRatio, upTarget, downRatio, downTarget };
}

/** A solution: the assignment and its objectives (f_cost, f_acc) under the instance's accuracies. */
export interface Solution {
  /** a_i: the LLM of each query. */
  readonly assign: Uint8Array;
  /** f_cost (Eq. 2). */
  readonly cost: number;
  /** f_acc (Eq. 3), under the instance's accuracies. */
  readonly acc: number;
}

function solution(inst: Allocation, assign: Uint8Array): Solution {
  const { cost, acc } = evaluateAssignment(inst, assign);
  return { assign, cost, acc };
}

/** s_c (every query on its cheapest LLM) and s_h (every query on its most accurate LLM), Alg. 1 line 4. */
export function initialSolutions(
  inst: Allocation,
  tables: MoveTables = moveTables(inst),
): { sc: Solution; sh: Solution } {
  const { n, m } = inst;
  const sc = new Uint8Array(n), sh = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    sc[i] = tables.stair[i * m];
    sh[i] = tables.stair[i * m + tables.stairLen[i] - 1];
  }
  return { sc: solution(inst, sc), sh: solution(inst, sh) };
}

const keyBuf = { keys: new Float64Array(0), idx: new Uint32Array(0), cand: new Int32Array(0) };
function buffers(n: number) {
  if (keyBuf.keys.length < n) {
    keyBuf.keys = new Float64Array(n);
    keyBuf.idx = new Uint32Array(n);
    keyBuf.cand = new Int32Array(n);
  }
  return keyBuf;
}

/**
 * Destruction (Alg. 2): a copy of `s` with queries moved to their cheapest LLM (`toward` = "cost",
 * largest saving first) until the cost fell by `gap`, or to their most accurate LLM (`toward` = "acc",
 * largest gain first) until the mean accuracy rose by `gap`. Returns null when the gap cannot be met.
 */
export function destruction(
  inst: Allocation,
  s: Solution,
  toward: "cost" | "acc",
  gap: number,
  tables: MoveTables = moveTables(inst),
): Solution | null {
  const { n, m, cost, acc } = inst;
  const { keys, idx, cand } = buffers(n);
  const a = s.assign.slice();
  let nc = 0;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const end = toward === "cost" ? tables.stair[o] : tables.stair[o + tables.stairLen[i] - 1];
    const v = toward === "cost" ? cost[o + a[i]] - cost[o + end] : acc[o + end] - acc[o + a[i]];
    if (v > 0) {
      keys[nc] = -v;
      cand[nc++] = i;
    }
  }
  sortIndices(keys, nc, idx);
  const need = toward === "cost" ? gap : gap * n;
  let got = 0;
  for (let r = 0; r < nc; r++) {
    const i = cand[idx[r]], o = i * m;
    const end = toward === "cost" ? tables.stair[o] : tables.stair[o + tables.stairLen[i] - 1];
    got += -keys[idx[r]];
    a[i] = end;
    if (got >= need) return solution(inst, a);
  }
  return null;
}

/** A binary min-heap of (key, query, version) with lazy deletion. */
class Heap {
  key = new Float64Array(0);
  q = new Int32Array(0);
  ver = new Int32Array(0);
  size = 0;
  reset(cap: number) {
    if (this.key.length < cap) {
      this.key = new Float64Array(cap);
      this.q = new Int32Array(cap);
      this.ver = new Int32Array(cap);
    }
    this.size = 0;
  }
  #grow() {
    const c = Math.max(16, this.key.length * 2);
    const k = new Float64Array(c), q = new Int32Array(c), v = new Int32Array(c);
    k.set(this.key), q.set(this.q), v.set(this.ver);
    this.key = k, this.q = q, this.ver = v;
  }
  #swap(a: number, b: number) {
    const k = this.key[a], q = this.q[a], v = this.ver[a];
    this.key[a] = this.key[b], this.q[a] = this.q[b], this.ver[a] = this.ver[b];
    this.key[b] = k, this.q[b] = q, this.ver[b] = v;
  }
  #less(a: number, b: number) {
    return this.key[a] < this.key[b] || (this.key[a] === this.key[b] && this.q[a] < this.q[b]);
  }
  #down(i: number) {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let s = i;
      if (l < this.size && this.#less(l, s)) s = l;
      if (r < this.size && this.#less(r, s)) s = r;
      if (s === i) return;
      this.#swap(i, s);
      i = s;
    }
  }
  /** Appends without ordering; call heapify() after a batch of appends. */
  append(key: number, q: number, ver: number) {
    if (this.size === this.key.length) this.#grow();
    this.key[this.size] = key, this.q[this.size] = q, this.ver[this.size] = ver;
    this.size++;
  }
  heapify() {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.#down(i);
  }
  push(key: number, q: number, ver: number) {
    this.append(key, q, ver);
    let i = this.size - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(i, p)) break;
      this.#swap(i, p);
      i = p;
    }
  }
  pop() {
    this.size--;
    if (this.size > 0) {
      this.#swap(0, this.size);
      this.#down(0);
    }
  }
}

const up = new Heap(), down = new Heap();

/**
 * Reconstruction (Alg. 3): from `s`, first moves every query off a dominated LLM, then, while the best
 * upgrade gains more accuracy per dollar than the best downgrade loses, applies both (Lemma IV.2).
 * `maxMoves` bounds the exchanges (default 8·n·m; never reached in our runs).
 */
export function reconstruction(
  inst: Allocation,
  s: Solution,
  tables: MoveTables = moveTables(inst),
  maxMoves = 8 * inst.n * inst.m,
): Solution {
  const { n, m } = inst;
  const a = s.assign.slice();
  const ver = new Int32Array(n);
  up.reset(n), down.reset(n);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    a[i] = tables.repair[o + a[i]];
    const k = a[i];
    if (tables.upTarget[o + k] >= 0) up.append(-tables.upRatio[o + k], i, 0);
    if (tables.downTarget[o + k] >= 0) down.append(tables.downRatio[o + k], i, 0);
  }
  up.heapify(), down.heapify();
  const refresh = (i: number) => {
    const o = i * m, k = a[i], v = ++ver[i];
    if (tables.upTarget[o + k] >= 0) up.push(-tables.upRatio[o + k], i, v);
    if (tables.downTarget[o + k] >= 0) down.push(tables.downRatio[o + k], i, v);
  };
  let moves = 0;
  while (moves < maxMoves) {
    while (up.size > 0 && up.ver[0] !== ver[up.q[0]]) up.pop();
    while (down.size > 0 && down.ver[0] !== ver[down.q[0]]) down.pop();
    if (up.size === 0 || down.size === 0) break;
    const r1 = -up.key[0], r2 = down.key[0];
    if (!(r1 > r2 && r1 > 0 && r2 > 0)) break;
    const i1 = up.q[0], i2 = down.q[0];
    a[i1] = tables.upTarget[i1 * m + a[i1]];
    refresh(i1);
    if (i2 !== i1) {
      a[i2] = tables.downTarget[i2 * m + a[i2]];
      refresh(i2);
    }
    moves++;
  }
  return solution(inst, a);
}

/** The non-dominated solutions (least cost, most accuracy), sorted by cost; duplicates dropped. */
export function nondominatedSolutions(sols: readonly Solution[]): Solution[] {
  const order = [...sols].sort((x, y) => x.cost - y.cost || y.acc - x.acc);
  const out: Solution[] = [];
  let best = -Infinity;
  for (const s of order) {
    if (s.acc > best) {
      out.push(s);
      best = s.acc;
    }
  }
  return out;
}

/** Options of {@link optllm}. */
export interface OptLLMOptions {
  /** The grid parameter GN (default 50, as the paper's tables). */
  GN?: number;
  /**
   * The authors' code's variant (`igs/OptLLM_robust.py`, `run`): the same queries and costs with other
   * predicted accuracies — there the base model's, no bootstrap, no σ — for the walk toward accuracy
   * from s_c (its Δacc, destructions and reconstructions, and the accuracies it archives), while the walk
   * toward cost from s_h keeps the instance's (robust) accuracies; the archive is then filtered on the
   * mixed values, as the code's `is_pareto_` does. Absent (default): one predicted accuracy throughout,
   * as the paper's Algorithm 1.
   */
  towardAcc?: Allocation;
}

/** What {@link optllm} returns. */
export interface OptLLMResult {
  /** The archive: non-dominated solutions under the instance's (predicted) accuracies, by cost. */
  readonly solutions: Solution[];
  /** s_c: every query on its cheapest LLM. */
  readonly sc: Solution;
  /** s_h: every query on its most accurate LLM. */
  readonly sh: Solution;
  /** Reconstructions done in each direction before the stop. */
  readonly iterations: { towardCost: number; towardAcc: number };
}

/**
 * OptLLM's optimisation component (Algorithm 1) on an instance.
 *
 * @example Four queries, three LLMs, checked against all 3⁴ assignments
 * ```ts
 * import { allocation, optllm } from "moolab/optllm";
 *
 * // The cost and predicted success of each pair (row-major, query × LLM).
 * const cost = Float64Array.of(1, 2, 5, 1, 3, 6, 2, 2, 4, 1, 2, 8);
 * const acc = Float64Array.of(0.2, 0.6, 0.9, 0.5, 0.7, 0.8, 0.1, 0.4, 0.95, 0.3, 0.3, 0.9);
 * const { solutions } = optllm(allocation(4, 3, cost, acc), { GN: 10 });
 *
 * // Brute force: no assignment beats a solution OptLLM returns on both objectives.
 * const all: [number, number][] = [];
 * for (let code = 0; code < 81; code++) {
 *   let c = 0, a = 0;
 *   for (let i = 0, rest = code; i < 4; i++, rest = Math.floor(rest / 3)) {
 *     c += cost[3 * i + (rest % 3)];
 *     a += acc[3 * i + (rest % 3)] / 4; // f_acc is the mean (Eq. 3)
 *   }
 *   all.push([c, a]);
 * }
 * const eps = 1e-12;
 * for (const s of solutions) {
 *   const better = all.find(([c, a]) =>
 *     c <= s.cost + eps && a >= s.acc - eps && (c < s.cost - eps || a > s.acc + eps)
 *   );
 *   if (better) throw new Error(`(${s.cost}, ${s.acc}) is dominated by (${better})`);
 * }
 * ```
 */
export function optllm(inst: Allocation, options: OptLLMOptions = {}): OptLLMResult {
  const GN = options.GN ?? 50;
  if (!Number.isInteger(GN) || GN < 1) {
    throw new RangeError(`optllm: GN must be a positive integer, got ${GN}`);
  }
  const tables = moveTables(inst);
  const { sc, sh } = initialSolutions(inst, tables);
  const alt = options.towardAcc;
  if (alt && (alt.n !== inst.n || alt.m !== inst.m || alt.cost.some((c, j) => c !== inst.cost[j]))) {
    throw new RangeError("optllm: towardAcc must have the instance's queries, LLMs and costs");
  }
  const instA = alt ?? inst, tablesA = alt ? moveTables(alt) : tables;
  const scA = alt ? solution(alt, sc.assign) : sc, shA = alt ? solution(alt, sh.assign) : sh;
  const dCost = (sh.cost - sc.cost) / GN, dAcc = (shA.acc - scA.acc) / GN;
  const archive: Solution[] = [scA, shA];
  let s1: Solution = sh, s2: Solution = scA;
  let towardCost = 0, towardAcc = 0;
  let go1 = dCost > 0, go2 = dAcc > 0;
  for (let it = 1; it < GN && (go1 || go2); it++) {
    if (go1) {
      const d = destruction(inst, s1, "cost", dCost, tables);
      if (d === null) go1 = false;
      else {
        s1 = reconstruction(inst, d, tables);
        archive.push(s1);
        towardCost++;
      }
    }
    if (go2) {
      const d = destruction(instA, s2, "acc", dAcc, tablesA);
      if (d === null) go2 = false;
      else {
        s2 = reconstruction(instA, d, tablesA);
        archive.push(s2);
        towardAcc++;
      }
    }
  }
  return { solutions: nondominatedSolutions(archive), sc, sh, iterations: { towardCost, towardAcc } };
}
