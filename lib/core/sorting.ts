/**
 * Non-dominated sorting: the rank (front number, 0 = non-dominated) of every point.
 *
 * - 2 objectives: O(N log N) (sort by f1, then binary search over the fronts' last f2; Jensen 2003;
 *   branch-free, four points at a time).
 * - 3 objectives: sort by f1, then binary search over fronts, each front keeping a staircase of its
 *   (f2, f3) minima (O(N log² N) when staircases stay small, as for random sets).
 * - 4+ objectives, up to 40,000 points: dominance bit sets. In lexicographic order only earlier points
 *   can dominate a point; the set `D(p) = {q before p : q_j ≤ p_j ∀j}` is the AND over objectives
 *   2..M of prefix bit sets (objective 1 is implied by the order), built by one pass per objective over
 *   the points sorted by it; then `rank(p) = 1 + max_{q ∈ D(p)} rank(q)` (0 for an empty set). The
 *   bit-set idea is that of the dominance-degree and bit-set sorts (e.g. Zhou et al. 2017, "Ranking
 *   vectors by means of the dominance degree matrix", IEEE TEVC 21(1)); O(M N²/64) word operations
 *   with O(M N²/K) bits of memory (checkpoint bit sets every K points of each objective's order).
 * - 4+ objectives, more points: efficient non-dominated sort with sequential search (ENS-SS, Zhang
 *   et al. 2015), O(M N²) worst case but far fewer comparisons than Deb's sort in practice.
 *
 * All three give exactly the ranks of Deb et al.'s fast non-dominated sort (NSGA-II, 2002): equal
 * points share a rank. With constraint violations, Deb's constraint-domination applies: every feasible
 * point ranks before every infeasible one, and infeasible points are ranked by violation alone
 * (equal violations share a rank).
 */
import { asPoints, type Points, type PointsLike } from "./points.ts";
import { sortIndices } from "./sort_indices.ts";

/** The result of {@link nondominatedSort}. */
export interface Fronts {
  /** rank[i] = front number of point i (0 = non-dominated); -1 for points cut off by `maxCount`. */
  readonly rank: Int32Array;
  /**
   * The indices in each front, fronts in order, indices ascending within a front (views into one
   * Int32Array, one after the other).
   */
  readonly fronts: Int32Array[];
}

/** Options of {@link nondominatedSort}. */
export interface SortOptions {
  /** Constraint violation per point (0 = feasible); enables Deb's constraint-domination. */
  cv?: ArrayLike<number>;
  /**
   * Keep only the fewest leading fronts that hold at least this many points; the others get rank -1.
   * Default: keep all.
   */
  maxCount?: number;
}

/**
 * Ranks all points into non-dominated fronts (see the module doc for the algorithms used).
 *
 * @example Three fronts, by hand
 * ```ts
 * import { nondominatedSort } from "moolab";
 *
 * // (1, 4), (2, 2), (4, 1) trade off; (3, 3) is dominated by (2, 2); (4, 4) by every other point
 * const { rank, fronts } = nondominatedSort([[1, 4], [3, 3], [2, 2], [4, 4], [4, 1]]);
 * if (rank.join() !== "0,1,0,2,0" || fronts.map((f) => f.join(" ")).join(" | ") !== "0 2 4 | 1 | 3") {
 *   throw new Error(`${rank} / ${fronts.join(" | ")}`);
 * }
 * ```
 */
export function nondominatedSort(points: PointsLike, options: SortOptions = {}): Fronts {
  const P = asPoints(points);
  const { n } = P;
  const rank = new Int32Array(n).fill(-1);
  const maxCount = options.maxCount ?? n;
  const cv = options.cv;
  if (cv && cv.length !== n) {
    throw new RangeError(`nondominatedSort: cv has ${cv.length} values for ${n} points`);
  }

  let feasible: Int32Array;
  let infeasible: Int32Array | undefined;
  if (cv) {
    let nf = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(cv[i]) || cv[i] < 0) {
        throw new RangeError(`nondominatedSort: constraint violation of point ${i} is ${cv[i]}`);
      }
      if (cv[i] === 0) nf++;
    }
    feasible = new Int32Array(nf);
    infeasible = new Int32Array(n - nf);
    let a = 0, b = 0;
    for (let i = 0; i < n; i++) {
      if (cv[i] === 0) feasible[a++] = i;
      else infeasible[b++] = i;
    }
  } else {
    feasible = new Int32Array(n);
    for (let i = 0; i < n; i++) feasible[i] = i;
  }

  let nFronts = 0;
  if (feasible.length > 0 && P.m > 0) {
    const sub = lexOrder(P, feasible);
    if (P.m === 1) nFronts = sort1(P, sub, rank);
    else if (P.m === 2) nFronts = sort2(P, sub, rank);
    else if (P.m === 3) nFronts = sort3(P, sub, rank);
    else if (sub.length <= BITSET_MAX) nFronts = sortBitset(P, sub, rank);
    else nFronts = sortENS(P, sub, rank);
  }
  if (infeasible && infeasible.length > 0) {
    const order = Array.from(infeasible).sort((a, b) => cv![a] - cv![b] || a - b);
    let r = nFronts - 1, prev = NaN;
    for (const i of order) {
      if (cv![i] !== prev) {
        r++;
        prev = cv![i];
      }
      rank[i] = r;
    }
    nFronts = r + 1;
  }
  const fronts = groupFronts(rank, nFronts);
  if (maxCount < n) {
    // keep the fewest leading fronts that hold at least maxCount points
    let kept = 0, k = 0;
    while (k < fronts.length && kept < maxCount) kept += fronts[k++].length;
    for (let j = k; j < fronts.length; j++) for (const i of fronts[j]) rank[i] = -1;
    fronts.length = k;
  }
  return { rank, fronts };
}

/** Indices of the non-dominated points (rank 0), ascending. */
export function nondominatedIndices(points: PointsLike, cv?: ArrayLike<number>): Int32Array {
  const P = asPoints(points);
  if (P.n === 0) return new Int32Array(0);
  return nondominatedSort(P, { cv, maxCount: 1 }).fronts[0] ?? new Int32Array(0);
}

/**
 * The fronts as views into one Int32Array: a counting sort of the indices by rank (indices ascend
 * within a front because they are visited in order).
 */
function groupFronts(rank: Int32Array, nFronts: number): Int32Array[] {
  const start = new Int32Array(nFronts + 1);
  for (let i = 0; i < rank.length; i++) start[rank[i] + 1]++; // rank -1 lands in start[0], unused
  start[0] = 0;
  for (let r = 0; r < nFronts; r++) start[r + 1] += start[r];
  const flat = new Int32Array(start[nFronts]);
  const fill = start.slice(0, nFronts);
  for (let i = 0; i < rank.length; i++) {
    const r = rank[i];
    if (r >= 0) flat[fill[r]++] = i;
  }
  const fronts: Int32Array[] = [];
  for (let r = 0; r < nFronts; r++) {
    if (start[r + 1] > start[r]) fronts.push(flat.subarray(start[r], start[r + 1]));
  }
  return fronts;
}

// Scratch of lexOrder and sort2 (grown on demand, reused across calls).
let lexKeys = new Float64Array(256);
let lexTie = new Float64Array(256);
let lexPerm = new Uint32Array(256);
let lastF2 = new Float64Array(257);

function grow(n: number): void {
  if (lexKeys.length >= n) return;
  let c = lexKeys.length;
  while (c < n) c *= 2;
  lexKeys = new Float64Array(c);
  lexTie = new Float64Array(c);
  lexPerm = new Uint32Array(c);
  lastF2 = new Float64Array(c + 1);
}

/** The indices `idx` sorted lexicographically by their objective vectors (ties by index). */
function lexOrder(P: Points, idx: Int32Array): Int32Array {
  const { data, m } = P;
  if (m === 0) return Int32Array.from(idx);
  // Sort by the first objective (radix sort for finite keys), then order runs of equal f1 below.
  const n = idx.length;
  const all = n === P.n; // idx is 0..n-1 (no constraint split)
  grow(n);
  const keys = lexKeys;
  // Two objectives: the second is the sort's tie-break, so no run needs resolving afterwards.
  const tie = m === 2 ? lexTie : undefined;
  let finite = true;
  for (let k = 0; k < n; k++) {
    const o = (all ? k : idx[k]) * m;
    const v = data[o];
    keys[k] = v;
    if (tie !== undefined) {
      const w = data[o + 1];
      tie[k] = w;
      if (!Number.isFinite(w)) finite = false;
    }
    if (!Number.isFinite(v)) finite = false;
  }
  const perm = lexPerm;
  if (finite) sortIndices(keys, n, perm, tie);
  else perm.set(sortedPermutation(keys.subarray(0, n)));
  const sorted = new Int32Array(n);
  if (all) sorted.set(perm.subarray(0, n));
  else for (let k = 0; k < n; k++) sorted[k] = idx[perm[k]];
  if (finite && tie !== undefined) return sorted;
  // Resolve runs of equal f1 by the remaining objectives.
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const v = data[sorted[start] * m];
    while (end < n && data[sorted[end] * m] === v) end++;
    if (end - start > 1) {
      const run = Array.from(sorted.subarray(start, end)).sort((a, b) => {
        for (let k = 1; k < m; k++) {
          const d = data[a * m + k] - data[b * m + k];
          if (d !== 0) return d;
        }
        return a - b;
      });
      sorted.set(run, start);
    }
    start = end;
  }
  return sorted;
}

/**
 * The permutation that sorts `keys` ascending, stable. Uses a Float64Array sort of the keys with the
 * position packed into an index array sorted by key; O(n log n).
 */
export function sortedPermutation(keys: Float64Array): Int32Array {
  const n = keys.length;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  perm.sort((a, b) => keys[a] - keys[b] || a - b);
  return perm;
}

function sameRow(data: Float64Array, m: number, a: number, b: number): boolean {
  for (let k = 0; k < m; k++) if (data[a * m + k] !== data[b * m + k]) return false;
  return true;
}

function sort1(P: Points, order: Int32Array, rank: Int32Array): number {
  // One objective: every distinct value is its own front.
  let r = -1, prev = NaN;
  for (const i of order) {
    const v = P.data[i];
    if (v !== prev) {
      r++;
      prev = v;
    }
    rank[i] = r;
  }
  return r + 1;
}

function sort2(P: Points, order: Int32Array, rank: Int32Array): number {
  const d = P.data;
  const n = order.length;
  grow(n);
  // last[k] = f2 of the most recently added point of front k (its minimum f2, since f1 ascends);
  // non-decreasing in k, with last[nFronts] = +∞ as a sentinel. A point's front is the first k with
  // last[k] > f2, i.e. the number of fronts with last[k] ≤ f2: a member of every earlier front
  // dominates it, no member of front k does (Jensen 2003). An exact duplicate of the previous point
  // shares its front. The binary search is branch-free (the comparison becomes a mask: its branches
  // are unpredictable), and four consecutive points are searched together on the same `last`, for
  // instruction-level parallelism; then each point's count is corrected for the updates of the
  // points before it in the group: an update that lowered last[r] from o to y adds one to the count
  // of a later y' exactly when y ≤ y' < o (o above every value when it opened a front, w = 1; no
  // update: o = −∞). (`!(last > y)` rather than `last ≤ y` sends a NaN f2 to a new front.)
  const last = lastF2;
  last[0] = Infinity;
  let nFronts = 0;
  let r = 0, px = NaN, py = NaN;
  let t = 0;
  for (; t + 3 < n; t += 4) {
    const i0 = order[t], i1 = order[t + 1], i2 = order[t + 2], i3 = order[t + 3];
    const x0 = d[2 * i0], y0 = d[2 * i0 + 1], x1 = d[2 * i1], y1 = d[2 * i1 + 1];
    const x2 = d[2 * i2], y2 = d[2 * i2 + 1], x3 = d[2 * i3], y3 = d[2 * i3 + 1];
    let b0 = 0, b1 = 0, b2 = 0, b3 = 0, len = nFronts + 1;
    while (len > 1) {
      const h = len >>> 1;
      b0 += h & -+!(last[b0 + h - 1] > y0);
      b1 += h & -+!(last[b1 + h - 1] > y1);
      b2 += h & -+!(last[b2 + h - 1] > y2);
      b3 += h & -+!(last[b3 + h - 1] > y3);
      len -= h;
    }
    let r0 = r, o0 = -Infinity, w0 = 0;
    if (x0 !== px || y0 !== py) {
      r0 = b0;
      w0 = +(r0 === nFronts);
      o0 = last[r0];
      last[r0] = y0;
      if (w0) last[++nFronts] = Infinity;
    }
    let r1 = r0, o1 = -Infinity, w1 = 0;
    if (x1 !== x0 || y1 !== y0) {
      r1 = b1 + (+(y0 <= y1) & (w0 | +(y1 < o0)));
      w1 = +(r1 === nFronts);
      o1 = last[r1];
      last[r1] = y1;
      if (w1) last[++nFronts] = Infinity;
    }
    let r2 = r1, o2 = -Infinity, w2 = 0;
    if (x2 !== x1 || y2 !== y1) {
      r2 = b2 + (+(y0 <= y2) & (w0 | +(y2 < o0))) + (+(y1 <= y2) & (w1 | +(y2 < o1)));
      w2 = +(r2 === nFronts);
      o2 = last[r2];
      last[r2] = y2;
      if (w2) last[++nFronts] = Infinity;
    }
    r = r2;
    if (x3 !== x2 || y3 !== y2) {
      r = b3 + (+(y0 <= y3) & (w0 | +(y3 < o0))) + (+(y1 <= y3) & (w1 | +(y3 < o1))) +
        (+(y2 <= y3) & (w2 | +(y3 < o2)));
      last[r] = y3;
      if (r === nFronts) last[++nFronts] = Infinity;
    }
    rank[i0] = r0;
    rank[i1] = r1;
    rank[i2] = r2;
    rank[i3] = r;
    px = x3;
    py = y3;
  }
  for (; t < n; t++) {
    const i = order[t];
    const x = d[2 * i], y = d[2 * i + 1];
    if (x !== px || y !== py) {
      let b = 0, len = nFronts + 1;
      while (len > 1) {
        const h = len >>> 1;
        b += h & -+!(last[b + h - 1] > y);
        len -= h;
      }
      r = b;
      last[r] = y;
      if (r === nFronts) last[++nFronts] = Infinity;
      px = x;
      py = y;
    }
    rank[i] = r;
  }
  return nFronts;
}

function sort3(P: Points, order: Int32Array, rank: Int32Array): number {
  const d = P.data;
  // Per front: staircase of (f2, f3) non-dominated minima, as parallel arrays sorted by f2 ascending
  // (f3 then strictly descending).
  const stairF2: number[][] = [];
  const stairF3: number[][] = [];
  let prev = -1;
  for (const i of order) {
    const f2 = d[3 * i + 1], f3 = d[3 * i + 2];
    let r: number;
    if (prev >= 0 && sameRow(d, 3, i, prev)) {
      r = rank[prev];
    } else {
      let lo = 0, hi = stairF2.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (stairDominates(stairF2[mid], stairF3[mid], f2, f3)) lo = mid + 1;
        else hi = mid;
      }
      r = lo;
      if (r === stairF2.length) {
        stairF2.push([]);
        stairF3.push([]);
      }
      stairInsert(stairF2[r], stairF3[r], f2, f3);
    }
    rank[i] = r;
    prev = i;
  }
  return stairF2.length;
}

/** Is (f2, f3) weakly dominated by some staircase point (q2 ≤ f2 and q3 ≤ f3)? */
function stairDominates(s2: number[], s3: number[], f2: number, f3: number): boolean {
  // last index with s2 <= f2
  let lo = 0, hi = s2.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s2[mid] <= f2) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && s3[lo - 1] <= f3;
}

function stairInsert(s2: number[], s3: number[], f2: number, f3: number): void {
  // position of the first entry with s2 > f2 (or equal f2 replaced if f3 smaller)
  let lo = 0, hi = s2.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s2[mid] < f2) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && s3[lo - 1] <= f3) return; // already covered
  // remove entries with s2 >= f2 and s3 >= f3 (now dominated in the staircase)
  let end = lo;
  while (end < s2.length && s3[end] >= f3) end++;
  s2.splice(lo, end - lo, f2);
  s3.splice(lo, end - lo, f3);
}

function sortENS(P: Points, order: Int32Array, rank: Int32Array): number {
  const { data, m } = P;
  const fronts: number[][] = [];
  let prev = -1;
  for (const i of order) {
    let r: number;
    if (prev >= 0 && sameRow(data, m, i, prev)) r = rank[prev];
    else {
      r = 0;
      for (; r < fronts.length; r++) {
        const f = fronts[r];
        let dominated = false;
        // search from the most recent member backwards (ENS-SS)
        for (let k = f.length - 1; k >= 0; k--) {
          if (weaklyBefore(data, m, f[k], i)) {
            dominated = true;
            break;
          }
        }
        if (!dominated) break;
      }
      if (r === fronts.length) fronts.push([]);
      fronts[r].push(i);
    }
    rank[i] = r;
    prev = i;
  }
  return fronts.length;
}

/** q precedes p in lexicographic order; q dominates p iff q ≤ p in every objective (and q ≠ p). */
function weaklyBefore(d: Float64Array, m: number, q: number, p: number): boolean {
  const a = q * m, b = p * m;
  for (let k = 0; k < m; k++) if (d[a + k] > d[b + k]) return false;
  return true;
}

/** Largest input of {@link sortBitset} (O(M N²/32) word operations; ENS-SS above). */
const BITSET_MAX = 40_000;

function sortBitset(P: Points, order: Int32Array, rank: Int32Array): number {
  const { data, m } = P;
  const n = order.length;
  const W = (n + 31) >>> 5;
  // Per objective j ≥ 2 (index jj = j − 2): the lexicographic positions sorted by objective j (perm),
  // the end of each position's group of equal values in that order (end), and checkpoint bit sets
  // C[c] = the first c·K positions of the order, so that {q : q_j ≤ p_j} = C[⌊e/K⌋] ∪ perm[⌊e/K⌋K .. e).
  const K = Math.max(64, Math.ceil(n / 128));
  const nC = Math.floor(n / K) + 1;
  const M1 = m - 1;
  const perm = new Uint32Array(M1 * n);
  const end = new Int32Array(M1 * n);
  const C = new Int32Array(M1 * nC * W);
  const keys = new Float64Array(n);
  const run = new Int32Array(W);
  for (let jj = 0; jj < M1; jj++) {
    const j = jj + 1;
    for (let t = 0; t < n; t++) keys[t] = data[order[t] * m + j];
    const pj = perm.subarray(jj * n, jj * n + n);
    sortIndices(keys, n, pj);
    const ej = jj * n;
    for (let a = 0; a < n;) {
      const v = keys[pj[a]];
      let b = a + 1;
      while (b < n && keys[pj[b]] === v) b++;
      for (let u = a; u < b; u++) end[ej + pj[u]] = b;
      a = b;
    }
    run.fill(0);
    const base = jj * nC * W;
    for (let c = 0; c < nC; c++) {
      C.set(run, base + c * W);
      for (let u = c * K, stop = Math.min(n, u + K); u < stop; u++) run[pj[u] >>> 5] |= 1 << (pj[u] & 31);
    }
  }
  // acc = D(p): positions before p (objective 1 is non-decreasing along the order) that are ≤ p in
  // every other objective. G[r]: positions of rank ≥ r so far; rank(p) = 1 + the largest r with
  // D(p) ∩ G[r] ≠ ∅ (binary search: G[r] shrinks as r grows), 0 when D(p) is empty.
  const acc = new Int32Array(W);
  const keep = new Uint32Array(K);
  const G: Int32Array[] = [];
  let prevRank = 0;
  let nFronts = 0;
  for (let t = 0; t < n; t++) {
    let r = 0;
    if (t > 0 && sameRow(data, m, order[t], order[t - 1])) r = prevRank;
    else if (t > 0) {
      const last = t >>> 5;
      acc.fill(-1, 0, last);
      acc[last] = (1 << (t & 31)) - 1;
      for (let jj = 0; jj < M1; jj++) {
        const e = end[jj * n + t];
        const c = Math.floor(e / K);
        // Keep the members of perm[cK .. e) that are in acc, AND with C[c], put them back.
        let nk = 0;
        for (let u = jj * n + c * K, stop = jj * n + e; u < stop; u++) {
          const q = perm[u];
          if (q < t && (acc[q >>> 5] & (1 << (q & 31))) !== 0) keep[nk++] = q;
        }
        const row = (jj * nC + c) * W;
        for (let w = 0; w <= last; w++) acc[w] &= C[row + w];
        for (let i = 0; i < nk; i++) acc[keep[i] >>> 5] |= 1 << (keep[i] & 31);
      }
      let lo = 0, hi = nFronts;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const g = G[mid];
        let hit = false;
        for (let w = 0; w <= last; w++) {
          if ((acc[w] & g[w]) !== 0) {
            hit = true;
            break;
          }
        }
        if (hit) lo = mid + 1;
        else hi = mid;
      }
      r = lo;
    }
    if (r === nFronts) {
      G.push(new Int32Array(W));
      nFronts++;
    }
    const w = t >>> 5, bit = 1 << (t & 31);
    for (let s = 0; s <= r; s++) G[s][w] |= bit;
    rank[order[t]] = r;
    prevRank = r;
  }
  return nFronts;
}
