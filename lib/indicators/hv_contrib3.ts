/**
 * Exclusive hypervolume contributions of 3-objective points, one point at a time: the kernel of
 * SMS-EMOA's (μ + 1) selection (lib/algorithms/smsemoa.ts), moved here so that every caller can use it.
 *
 * For a point a, the exclusive region lies in the box [a, b) where b_k is the least k-th coordinate
 * of the points no worse than a in the two other objectives (r_k if none); the contribution is the
 * volume of that box minus the hypervolume, inside it, of the limit set {max(a, a_j)} (While,
 * Bradstreet & Barone 2012, "A fast way of calculating exact hypervolumes", IEEE TEVC 16(1)). Only
 * the few points whose limit lies inside the box matter, and their hypervolume is a small z-sweep.
 *
 * No module-level buffers: the caller passes a {@link Contrib3Scratch} (one per concurrent use).
 *
 * @module
 */

import type { Points } from "../core/points.ts";

/** Scratch space of {@link contribution3}, grown on demand. */
export class Contrib3Scratch {
  /** Limit-set rows (stride 3). */
  limit = new Float64Array(0);
  idx = new Int32Array(0);
  sx = new Float64Array(0);
  sy = new Float64Array(0);

  /** Makes room for `k` points. */
  ensure(k: number): void {
    if (this.idx.length >= k) return;
    const c = Math.max(64, k);
    this.limit = new Float64Array(3 * c);
    this.idx = new Int32Array(c);
    this.sx = new Float64Array(c);
    this.sy = new Float64Array(c);
  }
}

/**
 * The exclusive contribution of point a = front[t] among the points front[0..k) (rows of F, 3 columns)
 * with reference point r. Its exclusive region lies in the box [a, b) where b_k is the least k-th
 * coordinate of the points no worse than a in the two other objectives (r_k if none); the contribution
 * is the volume of that box minus the hypervolume, inside it, of the limit set {max(a, a_j)} (While,
 * Bradstreet & Barone's identity). Only the few points whose limit lies inside the box matter.
 */
export function contribution3(
  F: Float64Array,
  front: Int32Array,
  k: number,
  t: number,
  r: Float64Array,
  s: Contrib3Scratch,
): number {
  s.ensure(k);
  const L = s.limit;
  const i = front[t] * 3;
  const x = F[i], y = F[i + 1], z = F[i + 2];
  if (!(x < r[0] && y < r[1] && z < r[2])) return 0;
  let bx = r[0], by = r[1], bz = r[2];
  for (let u = 0; u < k; u++) {
    if (u === t) continue;
    const j = front[u] * 3;
    const px = F[j], py = F[j + 1], pz = F[j + 2];
    const lx = px <= x, ly = py <= y, lz = pz <= z;
    if (lx && ly && lz) return 0; // weakly dominated (a duplicate included): nothing is exclusive
    if (ly && lz && px < bx) bx = px;
    if (lx && lz && py < by) by = py;
    if (lx && ly && pz < bz) bz = pz;
  }
  // limit set inside the box, kept non-dominated (rows of 3 in L)
  let n = 0;
  for (let u = 0; u < k; u++) {
    if (u === t) continue;
    const j = front[u] * 3;
    const qx = F[j] > x ? F[j] : x, qy = F[j + 1] > y ? F[j + 1] : y, qz = F[j + 2] > z ? F[j + 2] : z;
    if (qx >= bx || qy >= by || qz >= bz) continue;
    let covered = false;
    for (let s = 0; s < n; s++) {
      if (L[3 * s] <= qx && L[3 * s + 1] <= qy && L[3 * s + 2] <= qz) {
        covered = true;
        break;
      }
    }
    if (covered) continue;
    let w = 0;
    for (let s = 0; s < n; s++) {
      if (!(qx <= L[3 * s] && qy <= L[3 * s + 1] && qz <= L[3 * s + 2])) {
        if (w !== s) {
          L[3 * w] = L[3 * s];
          L[3 * w + 1] = L[3 * s + 1];
          L[3 * w + 2] = L[3 * s + 2];
        }
        w++;
      }
    }
    L[3 * w] = qx;
    L[3 * w + 1] = qy;
    L[3 * w + 2] = qz;
    n = w + 1;
  }
  return (bx - x) * (by - y) * (bz - z) - hv3small(L, n, bx, by, bz, s);
}

/** Hypervolume of n mutually non-dominated 3-D rows of L, all inside the box up to (rx, ry, rz). */
function hv3small(
  L: Float64Array,
  n: number,
  rx: number,
  ry: number,
  rz: number,
  scratch: Contrib3Scratch,
): number {
  if (n === 0) return 0;
  if (n === 1) return (rx - L[0]) * (ry - L[1]) * (rz - L[2]);
  const { idx, sx, sy } = scratch;
  // insertion sort of the rows by z (stable)
  for (let s = 0; s < n; s++) {
    let p = s;
    const zs = L[3 * s + 2];
    while (p > 0 && L[3 * idx[p - 1] + 2] > zs) {
      idx[p] = idx[p - 1];
      p--;
    }
    idx[p] = s;
  }
  // sweep in z over the 2-D staircase (x ascending, y descending) of the rows seen so far
  let m = 0, vol = 0;
  for (let q = 0; q < n; q++) {
    const s = idx[q];
    const px = L[3 * s], py = L[3 * s + 1];
    let dominated = false;
    for (let a = 0; a < m; a++) {
      if (sx[a] <= px && sy[a] <= py) {
        dominated = true;
        break;
      }
    }
    if (!dominated) {
      let w = 0;
      for (let a = 0; a < m; a++) {
        if (px <= sx[a] && py <= sy[a]) continue; // now dominated in 2-D
        sx[w] = sx[a];
        sy[w] = sy[a];
        w++;
      }
      let pos = w;
      while (pos > 0 && sx[pos - 1] > px) {
        sx[pos] = sx[pos - 1];
        sy[pos] = sy[pos - 1];
        pos--;
      }
      sx[pos] = px;
      sy[pos] = py;
      m = w + 1;
    }
    const zNext = q + 1 < n ? L[3 * idx[q + 1] + 2] : rz;
    const zs = L[3 * s + 2];
    if (zNext > zs) {
      let area = 0, prevY = ry;
      for (let a = 0; a < m; a++) {
        area += (rx - sx[a]) * (prevY - sy[a]);
        prevY = sy[a];
      }
      vol += area * (zNext - zs);
    }
  }
  return vol;
}

/**
 * Exact exclusive hypervolume contributions of 3-objective points (the kernel SMS-EMOA uses; exported
 * for tests and for users who need it): the same values as `hypervolumeContributions` up to round-off.
 */
export function hypervolumeContributions3(points: Points, ref: ArrayLike<number>): Float64Array {
  if (points.m !== 3 || ref.length !== 3) {
    throw new RangeError("hypervolumeContributions3: points and ref must have 3 objectives");
  }
  const k = points.n;
  const front = new Int32Array(k);
  for (let t = 0; t < k; t++) front[t] = t;
  const r = Float64Array.from(ref), s = new Contrib3Scratch(), out = new Float64Array(k);
  for (let t = 0; t < k; t++) out[t] = contribution3(points.data, front, k, t, r, s);
  return out;
}
