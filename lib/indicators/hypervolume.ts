/**
 * Exact hypervolume (S-metric, Zitzler & Thiele 1998) and exclusive hypervolume contributions.
 *
 * The hypervolume of a point set `A` with respect to a reference point `r` is the Lebesgue measure
 * of the region dominated by `A` and bounded by `r`: `HV(A, r) = λ(⋃_{a ∈ A} [a, r])`. All objectives
 * are minimised, so only points that strictly dominate `r` (`a_j < r_j` for every `j`) contribute;
 * the others are ignored, as are dominated points and duplicates (they add nothing to the union).
 *
 * Algorithms, chosen by the number of objectives `m`:
 * - m = 1: `r − min a`.
 * - m = 2: sort by the first objective and sweep the staircase, O(n log n).
 * - m = 3: the dimension-sweep algorithm of Fonseca, Paquete & López-Ibáñez (2006) and Beume,
 *   Fonseca, López-Ibáñez, Paquete & Vahrenhold (2009), "On the complexity of computing the
 *   hypervolume indicator", IEEE TEVC 13(5): points are visited in increasing third objective while
 *   the 2-D staircase of the visited points is kept in an ordered set, O(n log n). The ordered set is
 *   a 32-ary bit tree over the points' ranks along the first objective instead of a balanced tree.
 * - m = 4: a sweep over the fourth objective keeping the 3-D hypervolume of the points seen so far
 *   up to date with one 3-D contribution per point (Guerreiro & Fonseca's HV4D+, 2018, with linked
 *   lists and per-point closest neighbours; see ./hv4d.ts), O(n²); 4-D contributions by limit sets
 *   through the same sweep.
 * - m = 5: a sweep over the fifth objective with one 4-D exclusive contribution per point, each a sweep
 *   over the fourth objective with 3-D contributions (Fonseca, Paquete & López-Ibáñez 2006; Guerreiro &
 *   Fonseca 2018; see ./hv_sweep5.ts), O(n³) at worst; 0.43 of the time of QHV-II on the 300-point
 *   5-D sphere front of bench/peers (0.97–0.98× moocore's there, medians, same minute), up to 1.5–2× slower than
 *   QHV-II on inverted fronts and on sets with most points dominated (see the module for the
 *   measurements).
 * - m ≥ 6: QHV-II, Jaszkiewicz's pivot partitioning (2018; see ./hv_qhv.ts), which measured faster
 *   than WFG on every front of bench/ (CPU time per call, 5-D 300 points: 5.4 against 14.0 ms; 8-D 200
 *   points: 42 against 388 ms); beyond 400 levels of its recursion a sub-problem goes to WFG.
 * - WFG (for those sub-problems, and {@link hypervolumeWfg}): the algorithm of While, Bradstreet &
 *   Barone (2012), "A fast way of calculating exact
 *   hypervolumes", IEEE TEVC 16(1): points are sorted by the last objective and
 *   `HV = Σ_i (r_m − a_{i,m}) · (Π_{j<m}(r_j − a_{i,j}) − HV_{m−1}(nds(limit_i)))`, where
 *   `limit_i = {max(a_k, a_i) : k < i}` projected on the first m − 1 objectives and `nds` keeps its
 *   non-dominated points; limit sets of one or two points are measured directly (inclusion–exclusion),
 *   4-D limit sets of at least 24 points go to the 4-D sweep, and the recursion ends in the 3-D
 *   algorithm.
 *
 * @module
 */

import { asPoints, assertFinite, type Points, type PointsLike } from "../core/points.ts";
import { RankSet } from "./_bitset.ts";
import { sortIndices } from "../core/sort_indices.ts";
import { hv4dContributions, hv4dRows, Hv4dScratch } from "./hv4d.ts";
import { Contrib3Scratch, contribution3 } from "./hv_contrib3.ts";
import { hvQuick, QhvScratch } from "./hv_qhv.ts";
import { hv5Sweep, Sweep5Scratch } from "./hv_sweep5.ts";
import { DEFAULT_MAX_HV_COST, estimatedHypervolumeCost, HypervolumeCostError } from "./hv_cost.ts";

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * Checks points and reference point for {@link hypervolume} and friends. Returns the points and the
 * reference as a Float64Array, or `null` points when the set is empty.
 */
export function checkHvInput(
  points: PointsLike,
  ref: ArrayLike<number>,
  fn: string,
  pointsChecked = true,
): { p: Points | null; r: Float64Array } {
  const p = asPoints(points, `${fn}: points`);
  if (ref === null || ref === undefined || typeof ref.length !== "number" || ref.length < 1) {
    throw new RangeError(`${fn}: reference point must be a non-empty array of numbers`);
  }
  const r = Float64Array.from(ref);
  for (let j = 0; j < r.length; j++) {
    if (!Number.isFinite(r[j])) {
      throw new RangeError(`${fn}: reference point has a non-finite value ${r[j]} in coordinate ${j}`);
    }
  }
  if (p.n === 0) return { p: null, r };
  if (p.m !== r.length) {
    throw new RangeError(
      `${fn}: points have ${p.m} objectives but the reference point has ${r.length} coordinates`,
    );
  }
  if (pointsChecked) assertFinite(p, `${fn}: points`);
  return { p, r };
}

// ---------------------------------------------------------------------------------------------
// Scratch buffers (grown on demand, reused across calls; the kernels below are not re-entrant except
// WFG, which keeps its own per-depth buffers).

let idxA = new Uint32Array(256);
let idxB = new Uint32Array(256);
let idxC = new Uint32Array(256);
let fA = new Float64Array(256);
let fB = new Float64Array(256);
let colX = new Float64Array(256);
let colY = new Float64Array(256);
let colZ = new Float64Array(256);
const rankSet = new RankSet();

function grow(n: number): void {
  if (idxA.length >= n) return;
  let c = idxA.length;
  while (c < n) c *= 2;
  idxA = new Uint32Array(c);
  idxB = new Uint32Array(c);
  idxC = new Uint32Array(c);
  fA = new Float64Array(c);
  fB = new Float64Array(c);
  colX = new Float64Array(c);
  colY = new Float64Array(c);
  colZ = new Float64Array(c);
}

// ---------------------------------------------------------------------------------------------
// 2-D

/** HV of `k` points `(xs[i], ys[i])`, all strictly dominating `(rx, ry)`. */
function hv2d(xs: Float64Array, ys: Float64Array, k: number, rx: number, ry: number): number {
  if (k === 0) return 0;
  grow(k);
  const ord = idxA;
  sortIndices(xs, k, ord);
  // Ties in x need no tie-break: the terms for equal x telescope.
  let h = 0;
  let prevY = ry;
  for (let t = 0; t < k; t++) {
    const i = ord[t];
    const y = ys[i];
    if (y < prevY) {
      h += (rx - xs[i]) * (prevY - y);
      prevY = y;
    }
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// 3-D

/** HV of `k` points `(xs[i], ys[i], zs[i])`, all strictly dominating `(rx, ry, rz)`. */
function hv3d(
  xs: Float64Array,
  ys: Float64Array,
  zs: Float64Array,
  k: number,
  rx: number,
  ry: number,
  rz: number,
): number {
  if (k === 0) return 0;
  if (k === 1) return (rx - xs[0]) * (ry - ys[0]) * (rz - zs[0]);
  grow(k);
  const ord = idxA, rank = idxB, zord = idxC, X = fA, Y = fB;
  // Rank by (x, y) so that the predecessor of a point in the staircase has x < its x or weakly
  // dominates it, and its successors have x ≥ its x.
  sortIndices(xs, k, ord, ys);
  for (let r = 0; r < k; r++) {
    const i = ord[r];
    rank[i] = r;
    X[r] = xs[i];
    Y[r] = ys[i];
  }
  sortIndices(zs, k, zord);
  const set = rankSet;
  set.reset(k);
  let area = 0;
  let vol = 0;
  let i = zord[0];
  let z = zs[i];
  for (let t = 0; t < k; t++) {
    const r = rank[i];
    const px = X[r], py = Y[r];
    const pr = set.pred(r);
    if (pr < 0 || Y[pr] > py) {
      // Not dominated in (x, y): add the area it newly covers and drop the points it dominates.
      let curH = pr < 0 ? ry : Y[pr];
      let curX = px;
      let added = 0;
      let s = set.succ(r);
      while (s >= 0 && Y[s] >= py) {
        const sx = X[s];
        added += (sx - curX) * (curH - py);
        curX = sx;
        curH = Y[s];
        set.delete(s);
        s = set.succ(s);
      }
      added += ((s < 0 ? rx : X[s]) - curX) * (curH - py);
      area += added;
      set.insert(r);
    }
    let zNext: number;
    if (t + 1 < k) {
      i = zord[t + 1];
      zNext = zs[i];
    } else zNext = rz;
    vol += area * (zNext - z);
    z = zNext;
  }
  return vol;
}

// ---------------------------------------------------------------------------------------------
// 4-D and more: WFG

/** Below this many points a 4-D limit set goes to WFG's slicing into 3-D rather than the 4-D sweep. */
const HV4D_MIN = 24;
const h4Top = new Hv4dScratch();

interface WfgCtx {
  ref: Float64Array;
  /** lim[d]: limit-set rows of dimension d (stride d), capacity n rows. */
  lim: Float64Array[];
  /** tmp[d]: rows of dimension d for permuting after a sort. */
  tmp: Float64Array[];
  keys: Float64Array[];
  idx: Uint32Array[];
  q: Float64Array;
  xs: Float64Array;
  ys: Float64Array;
  zs: Float64Array;
  h4: Hv4dScratch;
}

function makeCtx(n: number, m: number, ref: Float64Array): WfgCtx {
  const lim: Float64Array[] = [], tmp: Float64Array[] = [], keys: Float64Array[] = [];
  const idx: Uint32Array[] = [];
  for (let d = 0; d <= m; d++) {
    const ok = d >= 3;
    lim.push(new Float64Array(ok ? n * d : 0));
    tmp.push(new Float64Array(ok && d >= 4 ? n * d : 0));
    keys.push(new Float64Array(ok && d >= 4 ? n : 0));
    idx.push(new Uint32Array(ok && d >= 4 ? n : 0));
  }
  return {
    ref,
    lim,
    tmp,
    keys,
    idx,
    q: new Float64Array(m),
    xs: new Float64Array(n),
    ys: new Float64Array(n),
    zs: new Float64Array(n),
    h4: new Hv4dScratch(),
  };
}

/**
 * WFG on `k` rows of dimension `d` (stride `d`) in `rows`, each strictly dominating the reference in
 * its first `d` coordinates. `rows` is reordered in place.
 */
function wfg(rows: Float64Array, k: number, d: number, c: WfgCtx): number {
  const ref = c.ref;
  if (k === 0) return 0;
  if (k === 1) {
    let v = 1;
    for (let j = 0; j < d; j++) v *= ref[j] - rows[j];
    return v;
  }
  if (k === 2) {
    // Inclusion–exclusion: |A ∪ B| = |A| + |B| − |A ∩ B|.
    let a = 1, b = 1, ab = 1;
    for (let j = 0; j < d; j++) {
      const x = rows[j], y = rows[d + j], rj = ref[j];
      a *= rj - x;
      b *= rj - y;
      ab *= rj - (x > y ? x : y);
    }
    return a + b - ab;
  }
  if (k === 3) {
    // Inclusion–exclusion over the 7 non-empty subsets of three boxes.
    let a = 1, b = 1, cc = 1, ab = 1, ac = 1, bc = 1, abc = 1;
    for (let j = 0; j < d; j++) {
      const x = rows[j], y = rows[d + j], z = rows[2 * d + j], rj = ref[j];
      const xy = x > y ? x : y, xz = x > z ? x : z, yz = y > z ? y : z;
      a *= rj - x;
      b *= rj - y;
      cc *= rj - z;
      ab *= rj - xy;
      ac *= rj - xz;
      bc *= rj - yz;
      abc *= rj - (xy > z ? xy : z);
    }
    return a + b + cc - ab - ac - bc + abc;
  }
  if (d === 4 && k >= HV4D_MIN) return hv4dRows(rows, k, 4, ref[0], ref[1], ref[2], ref[3], c.h4);
  if (d === 3) {
    const xs = c.xs, ys = c.ys, zs = c.zs;
    for (let i = 0, o = 0; i < k; i++, o += 3) {
      xs[i] = rows[o];
      ys[i] = rows[o + 1];
      zs[i] = rows[o + 2];
    }
    return hv3d(xs, ys, zs, k, ref[0], ref[1], ref[2]);
  }
  if (d === 2) {
    const xs = c.xs, ys = c.ys;
    for (let i = 0; i < k; i++) {
      xs[i] = rows[2 * i];
      ys[i] = rows[2 * i + 1];
    }
    return hv2d(xs, ys, k, ref[0], ref[1]);
  }
  // Sort rows by the last coordinate, ascending.
  const last = d - 1;
  const keys = c.keys[d], idx = c.idx[d], tmp = c.tmp[d];
  for (let i = 0; i < k; i++) keys[i] = rows[i * d + last];
  sortIndices(keys, k, idx);
  tmp.set(rows.subarray(0, k * d));
  for (let i = 0; i < k; i++) {
    const s = idx[i] * d, o = i * d;
    for (let j = 0; j < d; j++) rows[o + j] = tmp[s + j];
  }

  const e = d - 1; // dimension of the limit sets
  const lim = c.lim[e];
  const q = c.q;
  let vol = 0;
  for (let i = 0; i < k; i++) {
    const pi = i * d;
    let incl = 1;
    for (let j = 0; j < e; j++) incl *= ref[j] - rows[pi + j];
    let excl = incl;
    if (i > 0) {
      // Build the non-dominated limit set of the points before i.
      let cnt = 0;
      let covered = false;
      // Nearest points in the last objective first: their limit points tend to dominate the rest.
      for (let a = i - 1; a >= 0 && !covered; a--) {
        const pa = a * d;
        let same = true;
        for (let j = 0; j < e; j++) {
          const u = rows[pa + j], v = rows[pi + j];
          if (u > v) {
            q[j] = u;
            same = false;
          } else q[j] = v;
        }
        if (same) {
          covered = true; // a weakly dominates i in the first e objectives
          break;
        }
        // Insert q into the non-dominated set lim[0..cnt).
        let dominated = false;
        for (let t = 0; t < cnt; t++) {
          const pt = t * e;
          let qLeq = true, tLeq = true;
          for (let j = 0; j < e; j++) {
            const qv = q[j], tv = lim[pt + j];
            if (qv < tv) {
              tLeq = false;
              if (!qLeq) break;
            } else if (qv > tv) {
              qLeq = false;
              if (!tLeq) break;
            }
          }
          if (tLeq) {
            dominated = true;
            break;
          }
          if (qLeq) {
            // q dominates row t: replace it by the last row and re-examine position t.
            cnt--;
            const pl = cnt * e;
            for (let j = 0; j < e; j++) lim[pt + j] = lim[pl + j];
            t--;
          }
        }
        if (!dominated) {
          const o = cnt * e;
          for (let j = 0; j < e; j++) lim[o + j] = q[j];
          cnt++;
        }
      }
      excl = covered ? 0 : incl - wfg(lim, cnt, e, c);
    }
    vol += (ref[last] - rows[pi + last]) * excl;
  }
  return vol;
}

// ---------------------------------------------------------------------------------------------
// Dispatch on a validated, non-empty point set

/** From this many objectives on, QHV-II (./hv_qhv.ts) rather than WFG; chosen by measurement (bench/). */
const QHV_MIN_M = 5;
const qhvScratch = new QhvScratch();
const sweep5Scratch = new Sweep5Scratch();

/** Rows of `p` that strictly dominate `r`, compacted into a new buffer (stride m). */
function filterRef(p: Points, r: Float64Array): { rows: Float64Array; k: number; idx: Uint32Array } {
  const { data, n, m } = p;
  const rows = new Float64Array(n * m);
  const idx = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    let ok = true;
    for (let j = 0; j < m; j++) {
      if (!(data[o + j] < r[j])) {
        ok = false;
        break;
      }
    }
    if (ok) {
      const w = k * m;
      for (let j = 0; j < m; j++) rows[w + j] = data[o + j];
      idx[k++] = i;
    }
  }
  return { rows, k, idx };
}

/** Removes dominated points and duplicates from `k` rows (stride m) in place; returns the new count. */
function nondominatedInPlace(rows: Float64Array, k: number, m: number): number {
  let cnt = 0;
  for (let i = 0; i < k; i++) {
    const pi = i * m;
    let dominated = false;
    for (let t = 0; t < cnt; t++) {
      const pt = t * m;
      let iLeq = true, tLeq = true;
      for (let j = 0; j < m; j++) {
        const a = rows[pi + j], b = rows[pt + j];
        if (a < b) tLeq = false;
        else if (a > b) iLeq = false;
      }
      if (tLeq) {
        dominated = true;
        break;
      }
      if (iLeq) {
        cnt--;
        rows.copyWithin(pt, cnt * m, cnt * m + m);
        t--;
      }
    }
    if (!dominated) {
      rows.copyWithin(cnt * m, pi, pi + m);
      cnt++;
    }
  }
  return cnt;
}

/** HV of `k` rows (stride m) all strictly dominating `r`. May reorder `rows`. */
function hvRows(rows: Float64Array, k: number, m: number, r: Float64Array): number {
  if (k === 0) return 0;
  if (m === 1) {
    let mn = Infinity;
    for (let i = 0; i < k; i++) if (rows[i] < mn) mn = rows[i];
    return r[0] - mn;
  }
  if (m === 2 || m === 3) {
    grow(k);
    const xs = colX, ys = colY, zs = colZ;
    for (let i = 0, o = 0; i < k; i++, o += m) {
      xs[i] = rows[o];
      ys[i] = rows[o + 1];
      if (m === 3) zs[i] = rows[o + 2];
    }
    return m === 2 ? hv2d(xs, ys, k, r[0], r[1]) : hv3d(xs, ys, zs, k, r[0], r[1], r[2]);
  }
  if (m === 4) return hv4dRows(rows, k, 4, r[0], r[1], r[2], r[3], h4Top);
  if (m === 5) return hv5Sweep(rows, k, 5, r, sweep5Scratch);
  if (m >= QHV_MIN_M) return hvQuick(rows, k, m, r, qhvScratch, hvWfg);
  return hvWfg(rows, k, m, r);
}

/** WFG on `k` rows (stride m) all strictly dominating `r`, after removing dominated rows. */
function hvWfg(rows: Float64Array, k: number, m: number, r: Float64Array): number {
  const kk = nondominatedInPlace(rows, k, m);
  return wfg(rows, kk, m, makeCtx(kk, m, r));
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Exact hypervolume of `points` with respect to the reference point `ref` (all objectives minimised).
 *
 * `HV(A, r) = λ_m(⋃_{a ∈ A, a ≺ r} [a_1, r_1] × … × [a_m, r_m])` — Zitzler & Thiele (1998), "Multiobjective
 * optimization using evolutionary algorithms — a comparative case study", PPSN V (the "size of the
 * space covered"). Points that do not strictly dominate `ref` in every coordinate are ignored;
 * dominated points and duplicates do not change the value.
 *
 * Complexity: O(n log n) for m = 2 and m = 3 (dimension sweep, Beume et al. 2009); O(n²) for m = 4
 * (the 4-D sweep); O(n³) at worst for m = 5 (the 5-D sweep); QHV-II (Jaszkiewicz 2018) for m ≥ 6,
 * exponential in m in the worst case.
 *
 * Cost guard (m ≥ 5): before computing, the cost is estimated with {@link estimatedHypervolumeCost}
 * from the number of points strictly dominating `ref`; above `options.maxCost` (default
 * {@link DEFAULT_MAX_HV_COST}) a {@link HypervolumeCostError} is thrown that names the estimate and the
 * two ways out (a larger `maxCost`, or `hypervolumeMonteCarlo` for an estimate with a stated error).
 *
 * @param points n points of dimension m (a {@link Points} or `number[][]`).
 * @param ref the reference point, m finite numbers.
 * @param options `maxCost`: the limit of the cost guard (`Infinity` turns it off).
 * @returns the hypervolume; 0 for an empty set or when no point strictly dominates `ref`.
 * @throws RangeError when `ref` has a different dimension from the points, when a point has a NaN or
 *   infinite coordinate (the error names the point index) or when `ref` is not finite;
 *   HypervolumeCostError (a RangeError) when the estimated cost exceeds `maxCost`.
 *
 * @example A staircase of three points, and two boxes in 3-D (areas and volumes counted by hand)
 * ```ts
 * import { hypervolume } from "moolab";
 *
 * const area = hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]); // 1·1 + 1·2 + 1·3
 * const volume = hypervolume([[1, 2, 3], [3, 2, 1]], [4, 4, 4]); // 6 + 6 − the shared 1·2·1
 * if (area !== 6 || volume !== 10) throw new Error(`${area}, ${volume}`);
 * ```
 */
export function hypervolume(
  points: PointsLike,
  ref: ArrayLike<number>,
  options?: { maxCost?: number },
): number {
  const P = asPoints(points, "hypervolume: points");
  const { data, m } = P;
  const low = m === 2 || m === 3;
  // Two and three objectives: the finiteness check is folded into the filtering pass below.
  const { p, r } = checkHvInput(P, ref, "hypervolume", !low);
  if (p === null) return 0;
  const n = p.n;
  if (low) {
    // Filter straight into column buffers; a point failing the test is checked for NaN and ±∞ there.
    grow(n);
    const xs = colX, ys = colY, zs = colZ;
    const rx = r[0], ry = r[1];
    const len = n * m;
    let k = 0;
    if (m === 2) {
      for (let o = 0; o < len; o += 2) {
        const x = data[o], y = data[o + 1];
        if (x < rx && y < ry && x > -Infinity && y > -Infinity) {
          xs[k] = x;
          ys[k] = y;
          k++;
        } else if (!(Number.isFinite(x) && Number.isFinite(y))) assertFinite(p, "hypervolume: points");
      }
      return hv2d(xs, ys, k, rx, ry);
    }
    const rz = r[2];
    for (let o = 0; o < len; o += 3) {
      const x = data[o], y = data[o + 1], z = data[o + 2];
      if (x < rx && y < ry && z < rz && x > -Infinity && y > -Infinity && z > -Infinity) {
        xs[k] = x;
        ys[k] = y;
        zs[k] = z;
        k++;
      } else if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) {
        assertFinite(p, "hypervolume: points");
      }
    }
    return hv3d(xs, ys, zs, k, rx, ry, rz);
  }
  const f = filterRef(p, r);
  if (m >= 5) {
    const limit = options?.maxCost ?? DEFAULT_MAX_HV_COST;
    if (!(limit > 0)) throw new RangeError(`hypervolume: maxCost must be a positive number, got ${limit}`);
    const estimate = estimatedHypervolumeCost(f.k, m);
    if (estimate > limit) throw new HypervolumeCostError(f.k, m, estimate, limit);
  }
  return hvRows(f.rows, f.k, m, r);
}

/**
 * The same value as {@link hypervolume} by the WFG algorithm alone for m ≥ 2 (no cost guard): the
 * reference that QHV-II is checked against in tests/hv_test.ts and timed against in bench/.
 */
export function hypervolumeWfg(points: PointsLike, ref: ArrayLike<number>): number {
  const { p, r } = checkHvInput(points, ref, "hypervolumeWfg");
  if (p === null) return 0;
  const f = filterRef(p, r);
  if (f.k === 0) return 0;
  return p.m === 1 ? hvRows(f.rows, f.k, 1, r) : hvWfg(f.rows, f.k, p.m, r);
}

/**
 * Exclusive hypervolume contributions: `c_i = HV(A, r) − HV(A \ {a_i}, r)` for each point, in input
 * order (Emmerich, Beume & Naujoks 2005, SMS-EMOA; Bringmann & Friedrich 2009).
 *
 * Consequences of the definition: a point that does not strictly dominate `ref`, a point weakly
 * dominated by another point, and every copy of a duplicated point get 0. A dominated point can still
 * lower the contribution of the point dominating it (it keeps covering part of that point's region).
 *
 * Algorithms: m = 2 is exact in O(n log n) (one sort; each staircase point's exclusive rectangle
 * minus the staircase of the points only it dominates). m = 3: the per-point box and limit-set kernel
 * of ./hv_contrib3.ts (SMS-EMOA's). m ≥ 4: each point's box minus the hypervolume of its non-dominated
 * limit set `{max(a_k, a_i) : k ≠ i}` (While, Bradstreet & Barone 2012), with the algorithms of
 * {@link hypervolume}; tiny negative round-off is clamped to 0.
 *
 * @returns a Float64Array of length n (empty for an empty set).
 * @throws RangeError as {@link hypervolume}.
 */
export function hypervolumeContributions(points: PointsLike, ref: ArrayLike<number>): Float64Array {
  const { p, r } = checkHvInput(points, ref, "hypervolumeContributions");
  if (p === null) return new Float64Array(0);
  const out = new Float64Array(p.n);
  const f = filterRef(p, r);
  const { rows, k, idx } = f;
  const m = p.m;
  if (k === 0) return out;
  if (m === 2) {
    contrib2d(rows, k, idx, r[0], r[1], out);
    return out;
  }
  if (m === 3) {
    const front = new Int32Array(k);
    for (let t = 0; t < k; t++) front[t] = t;
    const s = new Contrib3Scratch();
    for (let t = 0; t < k; t++) out[idx[t]] = contribution3(rows, front, k, t, r, s);
    return out;
  }
  if (m === 4) {
    hv4dContributions(rows, k, r, idx, out, h4Top);
    return out;
  }
  // m ≥ 4: c_i = Π_j (r_j − a_ij) − HV(nds({max(a_k, a_i) : k ≠ i})), the limit-set identity of While,
  // Bradstreet & Barone (2012); a point weakly dominated by another (every copy of a duplicate
  // included) gets exactly 0.
  const lim = new Float64Array((k - 1) * m);
  for (let i = 0; i < k; i++) {
    const pi = i * m;
    let weak = false;
    let cnt = 0;
    for (let a = 0; a < k && !weak; a++) {
      if (a === i) continue;
      const pa = a * m;
      let leq = true;
      const o = cnt * m;
      for (let j = 0; j < m; j++) {
        const u = rows[pa + j], v = rows[pi + j];
        if (u > v) {
          leq = false;
          lim[o + j] = u;
        } else lim[o + j] = v;
      }
      weak = leq;
      cnt++;
    }
    if (weak) continue;
    let box = 1;
    for (let j = 0; j < m; j++) box *= r[j] - rows[pi + j];
    const c = box - hvRows(lim, cnt, m, r);
    out[idx[i]] = c > 0 ? c : 0;
  }
  return out;
}

function contrib2d(
  rows: Float64Array,
  k: number,
  orig: Uint32Array,
  rx: number,
  ry: number,
  out: Float64Array,
): void {
  const xs = new Float64Array(k), ys = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    xs[i] = rows[2 * i];
    ys[i] = rows[2 * i + 1];
  }
  const ord = new Uint32Array(k);
  sortIndices(xs, k, ord, ys); // x ascending, ties by y ascending
  // Positions (in sorted order) of the staircase points.
  const stair = new Uint32Array(k + 1);
  let ns = 0;
  let minY = ry;
  for (let t = 0; t < k; t++) {
    const y = ys[ord[t]];
    if (y < minY) {
      stair[ns++] = t;
      minY = y;
    }
  }
  stair[ns] = k;
  let yUp = ry;
  for (let a = 0; a < ns; a++) {
    const t0 = stair[a], t1 = stair[a + 1];
    const s = ord[t0];
    const xRight = t1 < k ? xs[ord[t1]] : rx;
    const rect = (xRight - xs[s]) * (yUp - ys[s]);
    // Points between this staircase point and the next are dominated by it alone (or by an earlier
    // one when their y ≥ yUp); those below yUp cover part of its exclusive rectangle.
    let covered = 0;
    let prevY = yUp;
    for (let t = t0 + 1; t < t1; t++) {
      const q = ord[t];
      const y = ys[q];
      if (y < prevY) {
        covered += (xRight - xs[q]) * (prevY - y);
        prevY = y;
      }
    }
    out[orig[s]] = rect - covered;
    yUp = ys[s];
  }
}
