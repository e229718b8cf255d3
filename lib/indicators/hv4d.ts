/**
 * Exact 4-D hypervolume by a sweep over the fourth objective that keeps the 3-D hypervolume of the
 * points seen so far up to date through one 3-D contribution per point.
 *
 * The algorithm is Guerreiro & Fonseca's HV4D+ (A. P. Guerreiro, C. M. Fonseca, "Computing and
 * updating hypervolume contributions in up to four dimensions", IEEE TEVC 22(3), 2018):
 * with the points visited in increasing `w = a_4`,
 *
 *   `HV_4(A) = Σ_i V_i · (w_{i+1} − w_i)`,  `V_i = HV_3(S_i)`,  `V_i = V_{i−1} + c_3(a_i, S_{i−1})`
 *
 * where `S_i` holds the projections (first three objectives) of the first i points, `w_{n+1} = r_4`,
 * and `c_3(a, S)` is the exclusive 3-D contribution of `a` to `S`. `S` keeps only its mutually
 * non-dominated points (a point weakly dominated in 3-D stays dominated for every later `w`) in a list
 * sorted by `(z, y, x)`. Every point `q` of `S` carries its two "closest" neighbours among the points
 * of `S` before it in that order: `R(q)`, the one with `y < q_y` and least `(x, y)` (right of `q` in
 * the (x, y)-plane), and `L(q)`, the one with `x < q_x` and least `(y, x)` (above it). They make
 * every step O(1):
 *
 * - the floor: walking `S` up to `a` in `(z, y, x)` order and linking each `q` between `R(q)` and `L(q)`
 *   rebuilds the (x, y) staircase of the points below `a` (the points between them are the ones `q`
 *   dominates in (x, y)); on that staircase `L(a)` is the last node with `x < a_x`, `R(a)` the first
 *   with `y < a_y`, and `a` is weakly dominated when a node has `x ≤ a_x` and `y ≤ a_y`. (HV4D+
 *   finds `R(a)`, `L(a)` by comparisons during the walk; reading them off the staircase instead keeps
 *   the walk free of data-dependent branches: 1,000 points 1.6 → 0.6 ms);
 * - the area `a` covers alone at `z = a_3`: the strips between `R(a)` and `L(a)` on that staircase;
 * - the sweep upward over the points after `a`, each linked in O(1) through its own `R`, `L` and
 *   lowering the area by the part it newly covers inside `a`'s quadrant, until one dominates `a` in
 *   (x, y) (the area is 0 from there on);
 * - the same upward walk removes the points `a` dominates and makes `a` the closest neighbour of
 *   the points for which it now is.
 *
 * Cost O(n²) in the worst case (each step walks `S`). Our own formulation with index-linked lists in
 * typed arrays (nodes 0–2 are the sentinels `(−∞, r_2, −∞)`, `(r_1, −∞, −∞)`, `(−∞, −∞, r_3)`);
 * the authors' C code (moocore's hv4d) was read, not copied.
 *
 * @module
 */

import { sortIndices } from "../core/sort_indices.ts";

/** A stand-in for −∞ whose products with 0 stay 0. */
const NEG = -Number.MAX_VALUE;

/** Scratch space of {@link hv4dRows}; reusable across calls, one per concurrent computation. */
export class Hv4dScratch {
  cap = 0;
  /** Node coordinates; nodes 0..2 are the sentinels, node 3 + t the t-th point in `w` order. */
  x = new Float64Array(0);
  y = new Float64Array(0);
  z = new Float64Array(0);
  /** The `(z, y, x)`-sorted circular list of S: next and previous node. */
  nx = new Int32Array(0);
  pv = new Int32Array(0);
  /** Closest neighbours R(q) (right, y < q_y) and L(q) (left, x < q_x) among the nodes before q. */
  cr = new Int32Array(0);
  cl = new Int32Array(0);
  /** Current (x, y) staircase links: towards larger x (sr) and towards larger y (sl). */
  sr = new Int32Array(0);
  sl = new Int32Array(0);
  ord = new Uint32Array(0);
  keys = new Float64Array(0);

  /** Makes room for `n` points. */
  ensure(n: number): void {
    if (this.cap >= n) return;
    let c = Math.max(64, this.cap);
    while (c < n) c *= 2;
    this.cap = c;
    this.x = new Float64Array(c + 3);
    this.y = new Float64Array(c + 3);
    this.z = new Float64Array(c + 3);
    this.nx = new Int32Array(c + 3);
    this.pv = new Int32Array(c + 3);
    this.cr = new Int32Array(c + 3);
    this.cl = new Int32Array(c + 3);
    this.sr = new Int32Array(c + 3);
    this.sl = new Int32Array(c + 3);
    this.ord = new Uint32Array(c);
    this.keys = new Float64Array(c);
  }
}

/**
 * 4-D hypervolume of `k` rows of `rows` (stride `stride` ≥ 4, objectives at offsets 0..3), every row
 * strictly dominating `(r0, r1, r2, r3)`. Dominated rows and duplicates are allowed. `sorted`: the rows
 * are already in ascending fourth objective (skips the sort).
 */
export function hv4dRows(
  rows: Float64Array,
  k: number,
  stride: number,
  r0: number,
  r1: number,
  r2: number,
  r3: number,
  s: Hv4dScratch,
  sorted = false,
): number {
  if (k === 0) return 0;
  s.ensure(k);
  const keys = s.keys, ord = s.ord;
  if (sorted) {
    for (let i = 0; i < k; i++) ord[i] = i;
  } else {
    for (let i = 0; i < k; i++) keys[i] = rows[i * stride + 3];
    sortIndices(keys, k, ord);
  }
  const X = s.x, Y = s.y, Z = s.z;
  const nx = s.nx, pv = s.pv, cr = s.cr, cl = s.cl, sr = s.sr, sl = s.sl;
  for (let t = 0; t < k; t++) {
    const o = ord[t] * stride;
    X[t + 3] = rows[o];
    Y[t + 3] = rows[o + 1];
    Z[t + 3] = rows[o + 2];
    keys[t] = rows[o + 3];
  }
  // Sentinels: 0 = (−∞, r1, −∞) left wall, 1 = (r0, −∞, −∞) bottom wall, 2 = (−∞, −∞, r2) top.
  X[0] = NEG, Y[0] = r1, Z[0] = NEG;
  X[1] = r0, Y[1] = NEG, Z[1] = NEG;
  X[2] = NEG, Y[2] = NEG, Z[2] = r2;
  nx[0] = 1, nx[1] = 2, nx[2] = 0;
  pv[0] = 2, pv[1] = 0, pv[2] = 1;
  cr[0] = 1, cl[0] = 0, cr[1] = 1, cl[1] = 0, cr[2] = 1, cl[2] = 0;
  let v3 = 0; // HV_3(S)
  let hv = 0;
  for (let t = 0; t < k; t++) {
    const p = t + 3;
    const px = X[p], py = Y[p], pz = Z[p];
    // Floor: rebuild the staircase of the nodes before p, find R(p), L(p) and p's place.
    sr[0] = 1;
    sl[1] = 0;
    let q = nx[1];
    for (;;) {
      const qz = Z[q];
      if (qz > pz || (qz === pz && (Y[q] > py || (Y[q] === py && X[q] > px)))) break;
      const a = cr[q], b = cl[q];
      sr[q] = a;
      sl[q] = b;
      sl[a] = q;
      sr[b] = q;
      q = nx[q];
    }
    // On that staircase (x increasing, y decreasing): L(p) is the last node with x < px, R(p) the
    // first with y < py; a node with x ≤ px and y ≤ py dominates p (weakly, in 3-D).
    let bL = 0, u = sr[0];
    while (X[u] < px) {
      bL = u;
      u = sr[u];
    }
    const dominated = Y[bL] <= py || (X[u] === px && Y[u] <= py);
    while (Y[u] >= py) u = sr[u];
    const bR = u;
    if (!dominated) {
      cr[p] = bR;
      cl[p] = bL;
      sr[p] = bR;
      sl[p] = bL;
      // The area p covers alone at z = pz: strips from R(p) up to L(p).
      let area = stripsUp(X, Y, sl, px, py, bR);
      // Link p before q in the z-list.
      const before = pv[q];
      nx[before] = p;
      pv[p] = before;
      nx[p] = q;
      pv[q] = p;
      // Sweep up through the nodes after p.
      let vol = 0, zPrev = pz;
      for (;;) {
        const qx = X[q], qy = Y[q], qz = Z[q];
        vol += area * (qz - zPrev);
        zPrev = qz;
        const next = nx[q];
        if (qx <= px && qy <= py) {
          // q dominates p in (x, y): nothing of p's quadrant is left from here up. q (and anything
          // after it) may still need p as a closest neighbour only if q has p's (x, y) exactly.
          if (qx === px && qy === py) {
            unlink(nx, pv, q); // p dominates q in 3-D
            updateAfter(X, Y, Z, nx, pv, cr, cl, p, next);
          }
          break;
        }
        const a = cr[q], b = cl[q];
        sr[q] = a;
        sl[q] = b;
        if (qx < px) {
          // Left of p (qy > py): lowers p's upper bound when below the current one.
          if (qy <= Y[sl[p]]) {
            area -= stripsRight(X, Y, sr, px, qy, sl[p]);
            sl[q] = sl[p];
            sl[a] = q;
            sl[p] = q;
          }
          // p is right of q and below it: a candidate for R(q).
          if (py < qy && lexLess(px, py, pz, X[a], Y[a], Z[a])) cr[q] = p;
        } else if (qy < py) {
          // Below p (qx ≥ px): lowers p's right bound when left of the current one.
          if (qx <= X[sr[p]]) {
            area -= stripsUp(X, Y, sl, qx, py, sr[p]);
            sr[q] = sr[p];
            sr[b] = q;
            sr[p] = q;
          }
          if (px < qx && lexLess(py, px, pz, Y[b], X[b], Z[b])) cl[q] = p;
        } else {
          // Inside p's quadrant: covers its own strips; p dominates q in 3-D.
          area -= stripsUp(X, Y, sl, qx, qy, a);
          sl[a] = q;
          sr[b] = q;
          unlink(nx, pv, q);
        }
        q = next;
      }
      v3 += vol;
    }
    const wNext = t + 1 < k ? keys[t + 1] : r3;
    hv += v3 * (wNext - keys[t]);
  }
  return hv;
}

/** `(a1, a2, a3) < (b1, b2, b3)` lexicographically. */
function lexLess(a1: number, a2: number, a3: number, b1: number, b2: number, b3: number): boolean {
  return a1 < b1 || (a1 === b1 && (a2 < b2 || (a2 === b2 && a3 < b3)));
}

/** Removes node q from the z-list. */
function unlink(nx: Int32Array, pv: Int32Array, q: number): void {
  const a = pv[q], b = nx[q];
  nx[a] = b;
  pv[b] = a;
}

/**
 * Area of the points with x ≥ tx, y ≥ ty left uncovered by the staircase, walking from node `q`
 * (y < ty, the first staircase node right of tx) upward through `sl` while the nodes stay right of tx.
 */
function stripsUp(
  X: Float64Array,
  Y: Float64Array,
  sl: Int32Array,
  tx: number,
  ty: number,
  q: number,
): number {
  let u = sl[q];
  let area = (X[q] - tx) * (Y[u] - ty);
  while (tx < X[u]) {
    q = u;
    u = sl[u];
    area += (X[q] - tx) * (Y[u] - Y[q]);
  }
  return area;
}

/** The mirror of {@link stripsUp}: from node `q` (x < tx) rightward through `sr` while above ty. */
function stripsRight(
  X: Float64Array,
  Y: Float64Array,
  sr: Int32Array,
  tx: number,
  ty: number,
  q: number,
): number {
  let u = sr[q];
  let area = (Y[q] - ty) * (X[u] - tx);
  while (ty < Y[u]) {
    q = u;
    u = sr[u];
    area += (Y[q] - ty) * (X[u] - X[q]);
  }
  return area;
}

/**
 * After p joined S: from node q on (the nodes after p in z), removes the nodes p dominates and makes p
 * the closest neighbour where it is, until a node dominates p in (x, y) (strictly in one coordinate).
 */
function updateAfter(
  X: Float64Array,
  Y: Float64Array,
  Z: Float64Array,
  nx: Int32Array,
  pv: Int32Array,
  cr: Int32Array,
  cl: Int32Array,
  p: number,
  q: number,
): void {
  const px = X[p], py = Y[p], pz = Z[p];
  for (;;) {
    const qx = X[q], qy = Y[q];
    if (qx <= px && qy <= py && (qx < px || qy < py)) return;
    if (px <= qx) {
      if (py <= qy) unlink(nx, pv, q);
      else if (px < qx) {
        const b = cl[q];
        if (lexLess(py, px, pz, Y[b], X[b], Z[b])) cl[q] = p;
      }
    } else if (py < qy) {
      const a = cr[q];
      if (lexLess(px, py, pz, X[a], Y[a], Z[a])) cr[q] = p;
    }
    q = nx[q];
  }
}

/**
 * Exclusive 4-D contributions `c_i = HV(A) − HV(A \ {a_i})` of `k` rows (stride 4, each strictly
 * dominating `r`), written to `out[orig[i]]`: by the limit-set identity of While, Bradstreet & Barone
 * (2012), `c_i = Π_j (r_j − a_ij) − HV({max(a_k, a_i) : k ≠ i})`, each limit set by {@link hv4dRows}.
 * The rows are sorted by the fourth objective once; `max(·, a_i4)` keeps that order, so no limit set
 * is sorted again. A row weakly dominated by another (every copy of a duplicate included) gets 0.
 */
export function hv4dContributions(
  rows: Float64Array,
  k: number,
  r: ArrayLike<number>,
  orig: Uint32Array,
  out: Float64Array,
  s: Hv4dScratch,
): void {
  if (k === 0) return;
  const r0 = r[0], r1 = r[1], r2 = r[2], r3 = r[3];
  const keys = new Float64Array(k), ord = new Uint32Array(k);
  for (let i = 0; i < k; i++) keys[i] = rows[4 * i + 3];
  sortIndices(keys, k, ord);
  const a = new Float64Array(4 * k);
  for (let t = 0; t < k; t++) a.set(rows.subarray(4 * ord[t], 4 * ord[t] + 4), 4 * t);
  const lim = new Float64Array(4 * k);
  for (let i = 0; i < k; i++) {
    const x = a[4 * i], y = a[4 * i + 1], z = a[4 * i + 2], w = a[4 * i + 3];
    let weak = false;
    let o = 0;
    for (let t = 0; t < k; t++) {
      if (t === i) continue;
      const u = a[4 * t], v = a[4 * t + 1], q = a[4 * t + 2], e = a[4 * t + 3];
      if (u <= x && v <= y && q <= z && e <= w) {
        weak = true;
        break;
      }
      lim[o] = u > x ? u : x;
      lim[o + 1] = v > y ? v : y;
      lim[o + 2] = q > z ? q : z;
      lim[o + 3] = e > w ? e : w;
      o += 4;
    }
    if (weak) continue;
    const c = (r0 - x) * (r1 - y) * (r2 - z) * (r3 - w) - hv4dRows(lim, k - 1, 4, r0, r1, r2, r3, s, true);
    out[orig[ord[i]]] = c > 0 ? c : 0;
  }
}
