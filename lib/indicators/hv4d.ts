/**
 * Exact 4-D hypervolume by a sweep over the fourth objective that keeps the 3-D hypervolume of the
 * points seen so far up to date through one 3-D contribution per point.
 *
 * The idea is Guerreiro & Fonseca's HV4D (A. P. Guerreiro, C. M. Fonseca, "Computing and updating
 * hypervolume contributions in up to four dimensions", IEEE TEVC 22(3), 2018): with the points
 * visited in increasing `w = a_4`,
 *
 *   `HV_4(A) = Σ_i V_i · (w_{i+1} − w_i)`,  `V_i = HV_3(S_i)`,  `V_i = V_{i−1} + c_3(a_i, S_{i−1})`
 *
 * where `S_i` holds the projections (first three objectives) of the first i points, `w_{n+1} = r_4`,
 * and `c_3(a, S)` is the exclusive 3-D contribution of `a` to `S`. `S` keeps only its mutually
 * non-dominated points (a point weakly dominated in 3-D stays dominated for every later `w`), sorted
 * by the third objective `z`. Each contribution is one sweep along `z` inside the box `[a, r]`:
 *
 * - points of `S` with `z ≤ a_3` form the floor: those left of `a` (x ≤ a_x) clip to a horizontal band,
 *   those below it (y ≤ a_y) to a vertical band, the others enter a 2-D staircase of the box; a point
 *   with both x ≤ a_x and y ≤ a_y dominates `a` (contribution 0);
 * - points with `z > a_3`, in increasing `z`, are clipped to the box and inserted into the staircase,
 *   each insertion lowering the uncovered area by the part it newly covers; the sweep stops at the
 *   first one dominating `a` in (x, y), where the uncovered area reaches 0.
 *
 * The uncovered area of the staircase `s_0 = (a_x, Y), …, s_t = (X, a_y)` (x increasing, y decreasing)
 * is `Σ_k (x_{k+1} − x_k) · (y_k − a_y)`. Cost: O(n · |S|) in the worst case, O(n²) for n points.
 * This is our own formulation (flat typed arrays, no linked lists); it shares the sweep of HV4D, not its
 * data structures.
 *
 * @module
 */

import { sortIndices } from "../core/sort_indices.ts";

/** Scratch space of {@link hv4dRows}; reusable across calls, one per concurrent computation. */
export class Hv4dScratch {
  cap = 0;
  /** S as (x, y, z) triples, and a second buffer for rebuilding it. */
  a = new Float64Array(0);
  b = new Float64Array(0);
  sx = new Float64Array(0);
  sy = new Float64Array(0);
  inner = new Uint32Array(0);
  drop = new Uint8Array(0);
  ord = new Uint32Array(0);
  keys = new Float64Array(0);
  /** The area the last staircase insertion newly covered. */
  cut = 0;

  /** Makes room for `n` points. */
  ensure(n: number): void {
    if (this.cap >= n) return;
    let c = Math.max(64, this.cap);
    while (c < n) c *= 2;
    this.cap = c;
    this.a = new Float64Array(3 * c);
    this.b = new Float64Array(3 * c);
    this.sx = new Float64Array(c + 2);
    this.sy = new Float64Array(c + 2);
    this.inner = new Uint32Array(c);
    this.drop = new Uint8Array(c);
    this.ord = new Uint32Array(c);
    this.keys = new Float64Array(c);
  }
}

/**
 * 4-D hypervolume of `k` rows of `rows` (stride `stride` ≥ 4, objectives at offsets 0..3), every row
 * strictly dominating `(r0, r1, r2, r3)`. Dominated rows and duplicates are allowed.
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
): number {
  if (k === 0) return 0;
  s.ensure(k);
  const keys = s.keys, ord = s.ord;
  for (let i = 0; i < k; i++) keys[i] = rows[i * stride + 3];
  sortIndices(keys, k, ord);
  let A = s.a, B = s.b;
  const sx = s.sx, sy = s.sy, inner = s.inner, drop = s.drop;
  let na = 0; // size of S
  let v3 = 0; // HV_3(S)
  let hv = 0;
  for (let t = 0; t < k; t++) {
    const o = ord[t] * stride;
    const px = rows[o], py = rows[o + 1], pz = rows[o + 2], pw = rows[o + 3];
    // Floor: points of S with z ≤ pz.
    let X = r0, Y = r1;
    let dominated = false;
    let nIn = 0, nDrop = 0;
    let e = 0;
    for (; e < na; e++) {
      const qz = A[3 * e + 2];
      if (qz > pz) break;
      const qx = A[3 * e], qy = A[3 * e + 1];
      if (qx <= px) {
        if (qy <= py) {
          dominated = true;
          break;
        }
        if (qy < Y) Y = qy;
      } else if (qy <= py) {
        if (qx < X) X = qx;
      } else {
        inner[nIn++] = e;
        if (qz === pz) {
          drop[e] = 1; // a weakly dominates q in 3-D
          nDrop++;
        }
      }
    }
    if (!dominated) {
      // Staircase of the box [px, X) × [py, Y).
      sx[0] = px;
      sy[0] = Y;
      sx[1] = X;
      sy[1] = py;
      let ns = 2;
      let area = (X - px) * (Y - py);
      for (let u = 0; u < nIn; u++) {
        const q = inner[u];
        const qx = A[3 * q], qy = A[3 * q + 1];
        ns = insertStep(s, ns, qx, qy);
        area -= s.cut;
      }
      // Sweep up through the points with z > pz.
      let vol = 0, zPrev = pz;
      let e2 = e;
      let closed = false;
      for (; e2 < na; e2++) {
        const qz = A[3 * e2 + 2];
        vol += area * (qz - zPrev);
        zPrev = qz;
        let qx = A[3 * e2], qy = A[3 * e2 + 1];
        if (qx <= px) {
          if (qy <= py) {
            closed = true;
            break;
          }
          qx = px;
        } else if (qy <= py) qy = py;
        else {
          drop[e2] = 1; // a dominates q in 3-D (qz > pz)
          nDrop++;
        }
        ns = insertStep(s, ns, qx, qy);
        area -= s.cut;
      }
      if (!closed) vol += area * (r2 - zPrev);
      v3 += vol;
      // Insert a into S at position e (after every z ≤ pz), dropping the points it dominates.
      if (nDrop === 0) {
        A.copyWithin(3 * e + 3, 3 * e, 3 * na);
        A[3 * e] = px;
        A[3 * e + 1] = py;
        A[3 * e + 2] = pz;
        na++;
      } else {
        let w = 0;
        for (let u = 0; u < na; u++) {
          if (u === e) {
            B[3 * w] = px;
            B[3 * w + 1] = py;
            B[3 * w++ + 2] = pz;
          }
          if (drop[u] === 1) {
            drop[u] = 0;
            continue;
          }
          B[3 * w] = A[3 * u];
          B[3 * w + 1] = A[3 * u + 1];
          B[3 * w++ + 2] = A[3 * u + 2];
        }
        if (e === na) {
          B[3 * w] = px;
          B[3 * w + 1] = py;
          B[3 * w++ + 2] = pz;
        }
        na = w;
        const tmp = A;
        A = B;
        B = tmp;
      }
    } else if (nDrop > 0) {
      // Cannot happen (S is mutually non-dominated), but keep the flags clean.
      for (let u = 0; u < na; u++) drop[u] = 0;
    }
    const wNext = t + 1 < k ? rows[ord[t + 1] * stride + 3] : r3;
    hv += v3 * (wNext - pw);
  }
  // Keep the (possibly swapped) buffers for the next call.
  s.a = A;
  s.b = B;
  return hv;
}

/**
 * Inserts (qx, qy) into the staircase `s.sx`/`s.sy` of size `ns` (x ascending, y descending): nothing when a
 * staircase point weakly dominates it, else the area it newly covers goes to `s.cut` and the staircase points
 * it dominates are replaced by it. Returns the new size.
 */
function insertStep(s: Hv4dScratch, ns: number, qx: number, qy: number): number {
  const sx = s.sx, sy = s.sy;
  s.cut = 0;
  let lo = 0, hi = ns;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sx[mid] < qx) lo = mid + 1;
    else hi = mid;
  }
  const j = lo < ns && sx[lo] === qx ? lo : lo - 1;
  if (sy[j] <= qy) return ns;
  let curX = qx, curH = lo > 0 ? sy[lo - 1] : sy[0];
  let f = lo, cut = 0;
  while (f < ns && sy[f] >= qy) {
    cut += (sx[f] - curX) * (curH - qy);
    curX = sx[f];
    curH = sy[f];
    f++;
  }
  if (f < ns) cut += (sx[f] - curX) * (curH - qy);
  s.cut = cut;
  return splice(sx, sy, ns, lo, f, qx, qy);
}

/** Replaces staircase entries [lo, f) by (x, y); returns the new size. */
function splice(
  sx: Float64Array,
  sy: Float64Array,
  ns: number,
  lo: number,
  f: number,
  x: number,
  y: number,
): number {
  // Plain loops: the staircases are short, and a copyWithin call costs more than the moves.
  const removed = f - lo;
  if (removed === 0) {
    for (let t = ns; t > lo; t--) {
      sx[t] = sx[t - 1];
      sy[t] = sy[t - 1];
    }
  } else if (removed > 1) {
    for (let t = f, w = lo + 1; t < ns; t++, w++) {
      sx[w] = sx[t];
      sy[w] = sy[t];
    }
  }
  sx[lo] = x;
  sy[lo] = y;
  return ns - removed + 1;
}
