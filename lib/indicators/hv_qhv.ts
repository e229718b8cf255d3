/**
 * Exact hypervolume by pivot partitioning: the quick hypervolume algorithm QHV-II of Jaszkiewicz
 * (A. Jaszkiewicz, "Improved quick hypervolume algorithm", Computers & Operations Research 90, 2018,
 * after Russo & Francisco's QHV, 2014).
 *
 * For a set `S` of points strictly dominating the reference `r` (all objectives minimised), take the
 * pivot `p ∈ S` with the largest box `Π_j (r_j − p_j)`. The part of the union `⋃_{s∈S} [s, r]` outside
 * `[p, r]` splits into m disjoint boxes, one per objective taken in an order `j_1, …, j_m`:
 *
 *   `B_u = {x : x_{j_v} ≥ p_{j_v} for v < u,  x_{j_u} < p_{j_u}}`,
 *
 * so `HV(S, r) = Π_j (r_j − p_j) + Σ_u HV(S_u, r^u)`, where `S_u` holds the points `s` with
 * `s_{j_u} < p_{j_u}`, each raised to `max(s_{j_v}, p_{j_v})` in the objectives `j_v`, v < u, and `r^u`
 * is `r` with `r^u_{j_u} = p_{j_u}`. A point of `S` enters every `S_u` where it is better than the
 * pivot; the pivot itself, its duplicates and the points it dominates enter none. Sets of one, two or
 * three points (up to five from 8 objectives on) are measured directly by inclusion–exclusion.
 *
 * The order of the objectives is ours (the paper leaves it open): fewest points below the pivot first,
 * so that the largest sub-problems come last and are raised in the most objectives, which makes more
 * of their points coincide; on the 8-D benchmark front (bench/peers/gen_many.ts) it lowers the number of
 * points handled over the recursion by a fifth against the natural order. Dominated points are not
 * removed from the sub-problems: a quadratic filter costs more than it saves.
 *
 * The recursion depth is at most the number of points; beyond `maxDepth` levels a sub-problem goes to
 * the `fallback` algorithm instead (the caller's WFG), which keeps the call stack bounded on adversarial
 * sets.
 *
 * @module
 */

/** Scratch space of {@link hvQuick}, grown on demand; one per concurrent computation. */
export class QhvScratch {
  /** Point rows of every level of the recursion, stacked. */
  rows: Float64Array<ArrayBuffer> = new Float64Array(4096);
  /** Reference points of every level, stacked (m per level). */
  refs: Float64Array<ArrayBuffer> = new Float64Array(256);
  /** Objective order and its keys, m per level. */
  ord = new Int32Array(256);
  keys: Float64Array<ArrayBuffer> = new Float64Array(256);

  rowsFor(n: number): Float64Array {
    if (this.rows.length < n) this.rows = growF64(this.rows, n);
    return this.rows;
  }
  levelsFor(n: number): void {
    if (this.refs.length < n) {
      this.refs = growF64(this.refs, n);
      this.keys = growF64(this.keys, this.refs.length);
      const o = new Int32Array(this.refs.length);
      o.set(this.ord);
      this.ord = o;
    }
  }
}

function growF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  let c = a.length;
  while (c < n) c *= 2;
  const b = new Float64Array(c);
  b.set(a);
  return b;
}

/** Called for a sub-problem below `maxDepth`: HV of `k` rows (stride m) with reference `ref`. */
export type HvFallback = (rows: Float64Array, k: number, m: number, ref: Float64Array) => number;

/**
 * Hypervolume of `k` rows of `rows` (stride `m`), every row strictly dominating `ref`; dominated rows
 * and duplicates are allowed. `rows` is not modified.
 */
export function hvQuick(
  rows: Float64Array,
  k: number,
  m: number,
  ref: ArrayLike<number>,
  s: QhvScratch,
  fallback: HvFallback,
  maxDepth = 400,
): number {
  if (k === 0) return 0;
  const A = s.rowsFor(k * m);
  A.set(rows.subarray(0, k * m));
  s.levelsFor(m);
  for (let j = 0; j < m; j++) s.refs[j] = ref[j];
  return level(s, 0, k, m, 0, fallback, maxDepth);
}

/** HV of the `k` rows at `s.rows[off..]` with the reference at `s.refs[ro..ro+m)`. */
function level(
  s: QhvScratch,
  off: number,
  k: number,
  m: number,
  ro: number,
  fallback: HvFallback,
  depthLeft: number,
): number {
  const A = s.rows, R = s.refs;
  if (k <= 3) return inclusionExclusion(A, off, k, m, R, ro);
  if (m >= 8 && k <= IE_MAX_8) return inclusionExclusionDfs(s, off, k, m, ro);
  if (depthLeft === 0) {
    return fallback(A.slice(off, off + k * m), k, m, R.slice(ro, ro + m));
  }
  // Pivot: the largest box.
  let box = -1, po = off;
  for (let i = 0, o = off; i < k; i++, o += m) {
    let v = 1;
    for (let j = 0; j < m; j++) v *= R[ro + j] - A[o + j];
    if (v > box) {
      box = v;
      po = o;
    }
  }
  // Objective order: ascending number of points below the pivot (insertion sort, m is small).
  const ord = s.ord, keys = s.keys;
  for (let j = 0; j < m; j++) {
    const pj = A[po + j];
    let c = 0;
    for (let o = off + j; o < off + k * m; o += m) if (A[o] < pj) c++;
    keys[ro + j] = c;
    let b = j - 1;
    while (b >= 0 && keys[ro + ord[ro + b]] > c) {
      ord[ro + b + 1] = ord[ro + b];
      b--;
    }
    ord[ro + b + 1] = j;
  }
  let hv = box;
  const top = off + k * m, ro2 = ro + m;
  for (let u = 0; u < m; u++) {
    const j = ord[ro + u];
    if (keys[ro + j] === 0) continue;
    // Sub-problem u: rows below the pivot in objective j, raised to the pivot in the objectives before.
    const B = s.rowsFor(top + keys[ro + j] * m);
    s.levelsFor(ro2 + m);
    const Ru = s.refs, ordU = s.ord;
    const pj = B[po + j];
    let w = top;
    for (let o = off; o < top; o += m) {
      if (!(B[o + j] < pj)) continue;
      for (let t = 0; t < m; t++) B[w + t] = B[o + t];
      for (let v = 0; v < u; v++) {
        const t = ordU[ro + v];
        const pt = B[po + t];
        if (B[w + t] < pt) B[w + t] = pt;
      }
      w += m;
    }
    for (let t = 0; t < m; t++) Ru[ro2 + t] = Ru[ro + t];
    Ru[ro2 + j] = pj;
    hv += level(s, top, (w - top) / m, m, ro2, fallback, depthLeft - 1);
  }
  return hv;
}

/**
 * From 8 objectives on, sets of up to this many rows are measured by inclusion–exclusion (2^k − 1
 * boxes) rather than partitioned: measured on bench/peers/gen_many.ts's fronts, 5 takes a fifth off
 * 8-D and 10-D against 3, and no size above 3 helps in 5-D.
 */
const IE_MAX_8 = 5;
const idxBuf = new Int32Array(IE_MAX_8 + 1);

/**
 * HV of `k` rows by inclusion–exclusion, `Σ_{∅≠T⊆S} (−1)^{|T|+1} Π_j (r_j − max_{t∈T} t_j)`, the subsets
 * enumerated depth-first with the running componentwise max of each depth kept above the rows.
 */
function inclusionExclusionDfs(s: QhvScratch, off: number, k: number, m: number, ro: number): number {
  const top = off + k * m;
  const B = s.rowsFor(top + (k + 1) * m);
  const R = s.refs;
  let pos = 0, neg = 0;
  const idx = idxBuf;
  let d = 0;
  idx[0] = 0;
  while (d >= 0) {
    const i = idx[d];
    if (i >= k) {
      d--;
      if (d >= 0) idx[d]++;
      continue;
    }
    const o = off + i * m, w = top + d * m;
    let v = 1;
    if (d === 0) {
      for (let j = 0; j < m; j++) {
        const x = B[o + j];
        B[w + j] = x;
        v *= R[ro + j] - x;
      }
    } else {
      const pw = w - m;
      for (let j = 0; j < m; j++) {
        const x = B[o + j], y = B[pw + j];
        const z = x > y ? x : y;
        B[w + j] = z;
        v *= R[ro + j] - z;
      }
    }
    if (d & 1) neg += v;
    else pos += v;
    if (i + 1 < k) {
      d++;
      idx[d] = i + 1;
    } else idx[d]++;
  }
  return pos - neg;
}

/** HV of 1 to 3 rows by inclusion–exclusion over the boxes `[a, r]`. */
function inclusionExclusion(
  A: Float64Array,
  off: number,
  k: number,
  m: number,
  R: Float64Array,
  ro: number,
): number {
  if (k === 1) {
    let v = 1;
    for (let j = 0; j < m; j++) v *= R[ro + j] - A[off + j];
    return v;
  }
  if (k === 2) {
    let a = 1, b = 1, ab = 1;
    for (let j = 0, o2 = off + m; j < m; j++) {
      const x = A[off + j], y = A[o2 + j], rj = R[ro + j];
      a *= rj - x;
      b *= rj - y;
      ab *= rj - (x > y ? x : y);
    }
    return a + b - ab;
  }
  let a = 1, b = 1, c = 1, ab = 1, ac = 1, bc = 1, abc = 1;
  for (let j = 0, o2 = off + m, o3 = off + 2 * m; j < m; j++) {
    const x = A[off + j], y = A[o2 + j], z = A[o3 + j], rj = R[ro + j];
    const xy = x > y ? x : y, xz = x > z ? x : z, yz = y > z ? y : z;
    a *= rj - x;
    b *= rj - y;
    c *= rj - z;
    ab *= rj - xy;
    ac *= rj - xz;
    bc *= rj - yz;
    abc *= rj - (xy > z ? xy : z);
  }
  return a + b + c - ab - ac - bc + abc;
}
