/**
 * Exact 5-D hypervolume by a dimension sweep over the fifth objective with one 4-D exclusive
 * contribution per point, each computed by a sweep over the fourth objective with 3-D contributions.
 *
 * The outer sweep is the one of Fonseca, Paquete & López-Ibáñez (C. M. Fonseca, L. Paquete,
 * M. López-Ibáñez, "An improved dimension-sweep algorithm for the hypervolume indicator", IEEE CEC
 * 2006): with the points visited in increasing `w = a_5`,
 *
 *   `HV_5(A) = Σ_i V4_i · (w_{i+1} − w_i)`,  `V4_i = V4_{i−1} + c_4(a_i, S_{i−1})`,  `w_{n+1} = r_5`,
 *
 * where `S_i` holds the 4-D projections of the first i points and `c_4(a, S)` is the exclusive 4-D
 * contribution of `a` to `S`. `S` keeps only mutually non-dominated projections: a point weakly
 * dominated in 4-D by a later one stays covered in every later slice, and a point weakly dominated by
 * an earlier one contributes 0.
 *
 * The inner routine follows the idea of Guerreiro & Fonseca's one-contribution problem in 4-D
 * (A. P. Guerreiro, C. M. Fonseca, "Computing and updating hypervolume contributions in up to four
 * dimensions", IEEE TEVC 22(3), 2018): every `q ∈ S` is clipped to `a`'s box, `q' = max(q, a)`, and
 *
 *   `c_4(a, S) = ∫_{a_4}^{r_4} U(u) du`,  `U(u) = λ_3([a, r] \ ⋃{[q'_{1..3}, r] : q ∈ S, q_4 ≤ u})`,
 *
 * the uncovered 3-D volume of `a`'s box, is a step function of `u`. The points with `q_4 ≤ a_4` form
 * the floor: `U(a_4) = λ_3([a, r]) − HV_3(floor')`, computed by a sweep along the third objective. Above
 * `a_4`, in increasing `q_4`, each clipped point lowers `U` by its exclusive 3-D contribution to the
 * clipped points seen so far; the sweep stops at the first `q` that weakly dominates `a` in the first
 * three objectives (then `U = 0`). Each 3-D contribution is one sweep along the third objective over
 * the clipped set, with a 2-D staircase inside the point's box.
 *
 * Which of the fourth and third objectives is swept and which is the 3-D sweep axis is chosen per
 * point (the roles of u and z are symmetric): the one with more points of S at or below `a` is swept,
 * which leaves fewer points above `a` to sweep through. S is kept twice, sorted by z and by u, as plain
 * columns; the floor is the prefix of the u order, visited in z order.
 *
 * A clipped point at a's (x, y) corner covers the rest of a's (x, y) box from its z upwards: the floor
 * walk stops at the first one, and the lowest one's z rejects later points without a 3-D contribution.
 *
 * The clipped points at `z = a_3` (every point with `q_3 ≤ a_3`: most of the floor) form the clipped
 * set's bottom layer, which lies in the floor of every 3-D contribution. It is kept apart as a 2-D
 * staircase (x ascending, y descending): for a point `p`, the bottom points left of `p` bound the band
 * `y ≥ y_j` with `j` the last one with `x ≤ p_x` (one bisection, which also finds a dominating one), the
 * ones below `p` the band `x ≥` the x of the first one with `y ≤ p_y`, and the ones in `p`'s quadrant
 * are the run between; only the points above the layer are scanned one by one.
 *
 * Cost: O(n · |S|²) in the worst case; on fronts most 4-D contributions stop after a few points.
 * This is our own formulation over flat typed arrays (no linked lists, no "closest" pointers).
 * Work on front5_300: 35,539 points of S met by the floor passes, 17,588 floor points walked (5,251
 * kept; 11,057 of the 12,337 covered ones rejected by the staircase's two ends without a search),
 * 9,484 points swept through above, 4,322 3-D contributions (2,861 non-zero); their floor scans met
 * 45,159 points before the bottom layer was kept apart (37,455 of them bottom points), 7,347 after
 * (plus one bisection of the layer per contribution; 1,002 contributions end there, dominated).
 *
 * V8 boxes every double passed as an argument to, or returned from, a function it does not inline
 * (a heap-number allocation each); {@link sweep4} and {@link addContribution3} are over its bytecode
 * limit for inlining, so they take the point and the reference box through small Float64Arrays of
 * the scratch (`a4`, `io`) and pass only integers and arrays (against six and eight double arguments
 * and a double result: 0.92–0.94 and 0.91–0.95 of the time on front5_300, the garbage collector's
 * share of the profile 4.6% → 0.9%).
 *
 * Measured (same process, interleaved, median / minimum of 60 calls; 2-core shared machine): on the
 * 300-point 5-D sphere front of the side-by-side benchmark (bench/peers, front5_300) 0.43 of the time
 * of QHV-II (./hv_qhv.ts: 2.48 / 2.33 against 5.74 / 5.47 ms); 0.84–0.89 of the code before the
 * unboxed calls (0.90–0.91 on 3,000 uniform random points); against moocore's `hv` there (same minute,
 * alternating drivers) medians 2.29–2.42 against 1.87–2.54 ms (0.95–1.22×), fastest calls 2.05–2.08
 * against 1.68–2.07 ms (1.0–1.24×); before the unboxed calls medians 2.42–2.71 against 1.75–2.45 ms.
 * The ranks of `a` reused for the insertion into S and the staircase's end sentinel, same process
 * against the code before them: 0.966–0.970 (median) and 0.967–0.978 (fastest) on front5_300, 0.94 and
 * 0.97 on 3,000 uniform random points, 0.98 on a 1,000-point sphere front; against moocore's `hv` on
 * front5_300 after them (same minute, alternating drivers, three rounds each): medians 2.04–2.05
 * against 1.75–1.77 ms (1.16×), fastest 1.96–1.97 against 1.68–1.69 ms (1.17×).
 *
 * Branches: V8 compiles `c ? 1 : 0`, every `&&`/`||` and `Math.max`/`Math.min` of doubles to compares
 * and conditional jumps, which the random comparisons of a front mispredict. `+(c)` (a boolean to
 * 0/1) and `&`, `|` of such values compile without a jump. So the floor count is `+(zu ≤ au)`,
 * insertDropping's dominance filter writes every point and advances by the folded comparisons, the
 * floor walk's end test is one folded branch on the unclipped point, and the upper sweep tests `zc`
 * and the last dominating point on the unclipped point before any `Math.max`. Together, same process
 * against the code before them: 0.80–0.84 (median) and 0.83–0.84 (fastest) on front5_300, 0.88–0.90
 * on 5-D rand5_10000 (bench/peers); against moocore's `hv` on front5_300 after them (same minute,
 * alternating drivers, the rounds without a load spike): medians 1.71–1.73 against 1.76 ms (0.97–0.98×),
 * fastest 1.65–1.70 against 1.68–1.69 ms (0.98–1.01×). The dominance scan after a dominated point
 * folded the same way: 0.83–0.85 on rand5_10000 (most points dominated), 1.0 on front5_300.
 * The bottom layer, same process against the code before it: 0.88–0.93 on front5_300, 0.86–0.94 on
 * 1,000-point sphere, inverted-sphere and simplex fronts, 0.97–0.98 on 3,000 uniform random points.
 * Measured before the corner steps: 0.71 of QHV-II on a
 * 1,000-point sphere front, 0.55–0.8 on 300–1,000-point linear (simplex) fronts. QHV-II is faster on
 * two kinds of input: inverted sphere fronts (`1 − v/|v|`, 1.1–1.5× for 300–1,000 points) and uniform
 * random sets with most points dominated (about 2×: 1.1 against 0.56 ms for 3,000 points).
 *
 * Tried and slower or no faster on front5_300 (same-process A/B against the code then current):
 * sweeping over any of the four objectives (S kept four times, the 3-D sweep along the second-best or
 * the worst one): 1.0–1.5× (9,484 → 5,169 points swept through, but larger clipped sets); the edge
 * points of the clipped set kept apart so that a 3-D floor scan reads each edge's band off its top
 * point: 1.02–1.03; branch-free floor scans (comparisons folded with `&`, or selected indices into a
 * +∞ slot): 1.07–1.09; a staircase dominance pre-check before each floor insertion: 1.07;
 * `copyWithin` for the shifts of S: 1.0–1.02; skipping the scan of S for points `a` dominates when the
 * sweep saw none above `a`: 0.99–1.0; a linear instead of a bisection search in the staircases, and
 * walking the floor straight from the z order: 0.98–1.03 (noise). After the bottom layer: one
 * forward pass that both drops the points `a` dominates from a copy of S and shifts the rest (the
 * moved point carried in registers): 1.08 (slower); searching the copy of S with fewer points at or
 * above `a` for the points it dominates: 1.0–1.03; a bisection instead of the scan down for the floor
 * boundary above the bottom layer: 0.98–1.01; the floor collection stopped once all floor points are
 * found: 1.0. An HV4D+-style one-contribution step (Guerreiro & Fonseca 2018, moocore's onec4dplusU:
 * closest-neighbour links rebuilt by a walk over all points below in z) meets at least as many points
 * per 3-D contribution as these floor scans (it has no early stop at a dominating point), so it was
 * not built. After the unboxed calls: S kept as rows of 4 numbers (one array per copy, shifts by
 * `copyWithin` or by one scalar loop): 1.02–1.05 and 1.03–1.07 (slower); finding the first dominated
 * point of S before compacting (no writes before it): 1.0; the bottom layer's bisection (and the
 * rejection of points a bottom point dominates) moved out of addContribution3 into the caller, so that
 * 1,002 of its 4,322 calls are not made: 0.97–1.01; the results of the 3-D contribution (`cut`, the
 * dominating point) in a Float64Array instead of object fields: 1.0–1.01; the same unboxing for
 * contribution4 (not inlined into hv5Sweep either, but called once per point): 0.94–1.03 (noise);
 * the left band's end put first in the 3-D contribution's staircase instead of shifted in after the
 * inner points: 1.0; raising V8's inlining limits (`--max-inlined-bytecode-size=3000`) changes nothing
 * (0.98–1.02), so call overhead is not the cost. With the rank reuse and the end sentinel (each against the code
 * then current): S kept as two Int32 orders of
 * row offsets into the input instead of columns (an insertion shifts one integer instead of four
 * doubles, every read is one more indirection): 1.01–1.02; stairInsert's point and box passed through a
 * Float64Array like `io`: 1.02–1.03 (slower: its double arguments are not boxed); the floor count made
 * branch-free by `Math.sign`: 1.03; the floor collection unrolled by two: 0.99–1.0; the z copy's
 * dominance scan stopped once it has dropped as many points as the u copy: 0.99–1.0; stairInsert's
 * bisection skipped when the point is left of the first step: 1.0–1.02; a sentinel past the bottom
 * layer's end in addContribution3: 0.995–0.998 (noise); each point of S moved once per insertion (the
 * points before the first one `a` dominates shifted right, `a` in front, the rest squeezed): 0.99–1.01;
 * the u-or-z choice biased by ±4 ranks: 1.0. With the branch-free forms (each against the code then
 * current): stairInsert's bisection branch-free (fixed `len` halving, or `lo`/`hi` moved by
 * `+(c)` products) 1.02–1.05 and a count `Σ +(tx_i ≤ x)` instead of it 1.0–1.03 (slower); the scan
 * down of addContribution3 with `Math.min` over `+∞`-padded values or with its dominance test folded
 * 1.0 (noise); its upper sweep's drop flags written branch-free, and its closing and inner-point tests
 * folded: 1.0; the position above the floor counted branch-free: 1.0; the floor's `yl`/`xb` updates
 * selected through a two-slot Float64Array: 1.01–1.03 (slower); folded single branches for hv5Sweep's
 * 4-D dominance pre-check, the upper sweep's exit at a dominating point and addContribution3's test
 * for points p dominates: 0.98–1.0 each (not kept). Profile (front5_300, inlining off so that each
 * function keeps its own self time): sweep4 32%, addContribution3 28%, stairInsert 18%, insertDropping
 * 15%, rankOf 1.4%, the garbage collector 0.6–2.4%.
 * `hypervolume` (./hypervolume.ts) uses this sweep for every 5-D set.
 *
 * @module
 */

import { sortIndices } from "../core/sort_indices.ts";

/** Scratch space of {@link hv5Sweep}, grown on demand; one per concurrent computation. */
export class Sweep5Scratch {
  cap = 0;
  /** S twice, as columns: sorted by z (zx, zy, zz, zu) and sorted by u (ux, uy, uz, uu). */
  zx = new Float64Array(0);
  zy = new Float64Array(0);
  zz = new Float64Array(0);
  zu = new Float64Array(0);
  ux = new Float64Array(0);
  uy = new Float64Array(0);
  uz = new Float64Array(0);
  uu = new Float64Array(0);
  /** Positions (in z order) of the points of S with u ≤ a's. */
  floor = new Int32Array(0);
  /** The clipped 3-D set of one contribution, sorted by z, and its removal flags. */
  cx = new Float64Array(0);
  cy = new Float64Array(0);
  cz = new Float64Array(0);
  cdrop = new Uint8Array(0);
  inner = new Int32Array(0);
  /** The bottom layer of the clipped set (its points at z = a's z) as a 2-D staircase, and its size. */
  bx = new Float64Array(0);
  by = new Float64Array(0);
  nb = 0;
  /** The z of the bottom layer (a's z). */
  bz = 0;
  /** Whether the last 3-D contribution found its point dominated, and the dominating point. */
  d3 = false;
  d3x = 0;
  d3y = 0;
  d3z = 0;
  /** The point offered to {@link addContribution3} and its reference box, `[px, py, pz, r0, r1, r2]`
   * (passed through this array: doubles passed as arguments to a function V8 does not inline are
   * boxed as heap numbers, one allocation each). */
  io = new Float64Array(6);
  /** The same for {@link sweep4}: `[ax, ay, az, au, r0, r1, r2, r3]` in its order of the objectives,
   * and its result in `[8]`. */
  a4 = new Float64Array(9);
  /** A 2-D staircase (x ascending, y descending). */
  tx = new Float64Array(0);
  ty = new Float64Array(0);
  ord = new Uint32Array(0);
  keys = new Float64Array(0);
  /** The area the last staircase insertion newly covered, or the last 3-D contribution. */
  cut = 0;
  /** Index in the clipped set of the point that dominated the last point offered to it, or −1. */
  dom = -1;
  /** The copy of S `dom` refers to after a 4-D contribution found dominated: 0 by u, 1 by z. */
  domCopy = 0;
  /** The ranks of the last point offered to {@link contribution4} in S's u and z orders (points ≤). */
  ru = 0;
  rz = 0;
  /** Whether the last point was dominated: then the next one is first checked for dominance alone. */
  scanFirst = false;

  /** Makes room for `n` points. */
  ensure(n: number): void {
    if (this.cap >= n) return;
    let c = Math.max(64, this.cap);
    while (c < n) c *= 2;
    this.cap = c;
    this.zx = new Float64Array(c + 1);
    this.zy = new Float64Array(c + 1);
    this.zz = new Float64Array(c + 1);
    this.zu = new Float64Array(c + 1);
    this.ux = new Float64Array(c + 1);
    this.uy = new Float64Array(c + 1);
    this.uz = new Float64Array(c + 1);
    this.uu = new Float64Array(c + 1);
    this.floor = new Int32Array(c + 1);
    this.cx = new Float64Array(c + 1);
    this.cy = new Float64Array(c + 1);
    this.cz = new Float64Array(c + 1);
    this.cdrop = new Uint8Array(c + 1);
    this.inner = new Int32Array(c + 1);
    this.bx = new Float64Array(c + 1);
    this.by = new Float64Array(c + 1);
    this.tx = new Float64Array(c + 3);
    this.ty = new Float64Array(c + 3);
    this.ord = new Uint32Array(c);
    this.keys = new Float64Array(c);
  }
}

/**
 * 5-D hypervolume of `k` rows of `rows` (stride `stride` ≥ 5, objectives at offsets 0..4), every row
 * strictly dominating `r` (length ≥ 5). Dominated rows and duplicates are allowed.
 */
export function hv5Sweep(
  rows: Float64Array,
  k: number,
  stride: number,
  r: ArrayLike<number>,
  s: Sweep5Scratch,
): number {
  if (k === 0) return 0;
  s.ensure(k);
  const keys = s.keys, ord = s.ord;
  for (let i = 0; i < k; i++) keys[i] = rows[i * stride + 4];
  sortIndices(keys, k, ord);
  const r0 = r[0], r1 = r[1], r2 = r[2], r3 = r[3], r4 = r[4];
  let ns = 0; // |S|
  let v4 = 0;
  let hv = 0;
  // The last point found to dominate one in 4-D: in sets with many dominated points a few points
  // dominate most of them, so it is tried first. (It stays valid when it leaves S: whatever dominates
  // it then also dominates the points it dominates.)
  let dx = Infinity, dy = Infinity, dz = Infinity, du = Infinity;
  s.scanFirst = false;
  for (let t = 0; t < k; t++) {
    const o = ord[t] * stride;
    const ax = rows[o], ay = rows[o + 1], az = rows[o + 2], au = rows[o + 3], aw = rows[o + 4];
    const c = dx <= ax && dy <= ay && dz <= az && du <= au
      ? NaN
      : contribution4(s, ns, ax, ay, az, au, r0, r1, r2, r3);
    s.scanFirst = Number.isNaN(c);
    if (Number.isNaN(c)) {
      const e = s.dom;
      if (e >= 0) {
        const z = s.domCopy === 1;
        dx = z ? s.zx[e] : s.ux[e];
        dy = z ? s.zy[e] : s.uy[e];
        dz = z ? s.zz[e] : s.uz[e];
        du = z ? s.zu[e] : s.uu[e];
        s.dom = -1;
      }
    } else {
      v4 += c;
      // Drop the points of S that a weakly dominates in 4-D, then insert a in both orders.
      // (The z copy holds the same points: it needs the dominance test only when the u copy lost some.)
      const n1 = insertDropping(s.ux, s.uy, s.uz, s.uu, s.uu, ns, s.ru, ax, ay, az, au, au, true);
      ns = insertDropping(s.zx, s.zy, s.zz, s.zu, s.zz, ns, s.rz, ax, ay, az, au, az, n1 <= ns);
    }
    const wNext = t + 1 < k ? rows[ord[t + 1] * stride + 4] : r4;
    hv += v4 * (wNext - aw);
  }
  return hv;
}

/**
 * In the columns `X, Y, Z, U` (n points sorted by `key`, which is `U` or `Z`), drops the points that
 * `(ax, ay, az, au)` weakly dominates (when `drop`) and inserts it after every point with key ≤ `v`
 * (its own key). Returns the new size.
 */
function insertDropping(
  X: Float64Array,
  Y: Float64Array,
  Z: Float64Array,
  U: Float64Array,
  key: Float64Array,
  n: number,
  rank: number,
  ax: number,
  ay: number,
  az: number,
  au: number,
  v: number,
  drop: boolean,
): number {
  // Points with key < v cannot be dominated by a: they are the first `rank` (the points with
  // key ≤ v) less the ties.
  let lo = rank;
  while (lo > 0 && key[lo - 1] === v) lo--;
  let w = drop ? lo : n;
  for (let e = w; e < n; e++) {
    const x = X[e], y = Y[e], z = Z[e], u = U[e];
    X[w] = x;
    Y[w] = y;
    Z[w] = z;
    U[w] = u;
    // Branch-free: kept unless a dominates it (`&&` would be a mispredicted jump per comparison).
    w += 1 ^ (+(x >= ax) & +(y >= ay) & +(z >= az) & +(u >= au));
  }
  let at = lo;
  while (at < w && key[at] <= v) at++;
  for (let e = w; e > at; e--) {
    X[e] = X[e - 1];
    Y[e] = Y[e - 1];
    Z[e] = Z[e - 1];
    U[e] = U[e - 1];
  }
  X[at] = ax;
  Y[at] = ay;
  Z[at] = az;
  U[at] = au;
  return w + 1;
}

/**
 * The exclusive 4-D contribution of `a = (ax, ay, az, au)` to the `ns` points of `s` (inside the
 * reference box `r0..r3`), or NaN when a point of `s` weakly dominates `a`. The sweep of
 * {@link sweep4} runs over u or over z, whichever has more points of `s` at or below `a`: fewer points
 * above `a` to sweep through, each of which may need a 3-D contribution, against more points in the
 * floor, which cost less (on front5_300: 2,767 rather than 3,447 3-D contributions, 8,486 rather than
 * 12,619 points swept through, 22,578 rather than 15,961 floor points).
 */
function contribution4(
  s: Sweep5Scratch,
  ns: number,
  ax: number,
  ay: number,
  az: number,
  au: number,
  r0: number,
  r1: number,
  r2: number,
  r3: number,
): number {
  const ru = rankOf(s.uu, ns, au), rz = rankOf(s.zz, ns, az);
  s.ru = ru;
  s.rz = rz;
  const a = s.a4;
  a[0] = ax;
  a[1] = ay;
  a[4] = r0;
  a[5] = r1;
  let ok: boolean;
  if (ru >= rz) {
    a[2] = az;
    a[3] = au;
    a[6] = r2;
    a[7] = r3;
    ok = sweep4(s, ns, ru, false, s.ux, s.uy, s.uz, s.uu, s.zx, s.zy, s.zz, s.zu);
  } else {
    a[2] = au;
    a[3] = az;
    a[6] = r3;
    a[7] = r2;
    ok = sweep4(s, ns, rz, true, s.zx, s.zy, s.zu, s.zz, s.ux, s.uy, s.uu, s.uz);
  }
  return ok ? a[8] : NaN;
}

/** Number of the `n` sorted values of `key` that are ≤ `v`. */
function rankOf(key: Float64Array, n: number, v: number): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * {@link contribution4} with the sweep over u: `ux..uu` are the columns of S sorted by u, `zx..zu`
 * sorted by z, and `first` points have u ≤ au (`swapped`: u and z are the caller's z and u). The
 * point and the reference box are read from `s.a4`, and the contribution is left in `s.a4[8]`
 * (returns true); when a point of S weakly dominates `a`, returns false and leaves that point in
 * `s.dom` and `s.domCopy`.
 */
function sweep4(
  s: Sweep5Scratch,
  ns: number,
  first: number,
  swapped: boolean,
  ux: Float64Array,
  uy: Float64Array,
  uz: Float64Array,
  uu: Float64Array,
  zx: Float64Array,
  zy: Float64Array,
  zz: Float64Array,
  zu: Float64Array,
): boolean {
  const a = s.a4;
  const ax = a[0], ay = a[1], az = a[2], au = a[3], r0 = a[4], r1 = a[5], r2 = a[6], r3 = a[7];
  const cx = s.cx, cy = s.cy, cz = s.cz;
  // The points with u ≤ au are [0, first) in u order; if one of them weakly dominates a in (x, y, z),
  // a adds nothing. After a dominated point they are checked first, before any clipping (dominated
  // points come in runs in sets with many of them; on fronts the floor pass below finds them).
  if (s.scanFirst) {
    for (let e = 0; e < first; e++) {
      if ((+(ux[e] <= ax) & +(uy[e] <= ay) & +(uz[e] <= az)) !== 0) {
        s.dom = e;
        s.domCopy = swapped ? 1 : 0;
        return false;
      }
    }
  }
  // Floor: the points with u ≤ au, visited in increasing z, clipped to a's box. Each adds the area it
  // newly covers in (x, y) times its height (r2 − z'); one that covers nothing new is dominated in 3-D
  // by an earlier (lower) one and stays out of the clipped set. Their positions are collected first,
  // without a branch.
  const floor = s.floor;
  let nf = 0;
  for (let e = 0; e < ns; e++) {
    floor[nf] = e;
    nf += +(zu[e] <= au); // `+bool`: V8 compiles `c ? 1 : 0` here to a branch, mispredicted
  }
  let nt = 0; // staircase size
  let nc = 0; // clipped set size
  let covered = 0;
  // The lowest z of a clipped point at a's (x, y) corner: it dominates every clipped point at or
  // above that z (on front5_300, 1,390 of the 3,373 dominated points offered to the 3-D contributions).
  let zc = Infinity;
  // The floor points with z ≤ az all clip to z = az: they form the bottom layer, kept apart as the
  // staircase they leave (snapshot taken at the first higher point; −1 until then).
  let nb = -1;
  s.bz = az;
  // The staircase's ends: the least y of its points on a's left edge (x = ax) and the least x of those
  // on its bottom edge (y = ay); a clipped point with y ≥ yl or x ≥ xb is covered without a search
  // (on front5_300, 11,057 of the 12,337 covered floor points).
  let yl = r1, xb = r0;
  for (let f = 0; f < nf; f++) {
    const e = floor[f];
    const qx = zx[e], qy = zy[e], qz = zz[e];
    // The ends test the unclipped point: yl > ay and xb > ax until a corner point ends the walk, so
    // `max(q_y, a_y) ≥ yl` is `q_y ≥ yl` (and a dominating point is never rejected here). Math.max
    // is left for the points kept: V8 compiles it to compares and jumps, mispredicted on fronts.
    if ((+(qy >= yl) | +(qx >= xb)) !== 0) continue;
    if (qz > az) {
      if (nb < 0) nb = snapshotBottom(s, nt);
    } else if (qx <= ax && qy <= ay) {
      s.dom = e;
      s.domCopy = swapped ? 0 : 1;
      return false;
    }
    const px = Math.max(qx, ax), py = Math.max(qy, ay);
    nt = stairInsert(s, nt, px, py, r0, r1);
    const cut = s.cut;
    if (cut > 0) {
      if (px === ax) yl = py;
      if (py === ay) xb = px;
      const pz = nb >= 0 ? qz : az; // (the bottom layer ends at the first qz > az)
      covered += cut * (r2 - pz);
      if (nb >= 0) {
        cx[nc] = px;
        cy[nc] = py;
        cz[nc++] = pz;
      }
      // Clipped to a's corner: it covers the rest of a's (x, y) box, so every later (higher) floor
      // point is covered too (on front5_300 this skips 5,615 of 23,203 floor points).
      if (px === ax && py === ay) {
        zc = pz;
        break;
      }
    }
  }
  if (nb < 0) snapshotBottom(s, nt);
  let u3 = (r0 - ax) * (r1 - ay) * (r2 - az) - covered; // U(au)
  // Above au: the points with u > au, [first, ns) in u order.
  const io = s.io;
  io[3] = r0;
  io[4] = r1;
  io[5] = r2;
  let c4 = 0;
  let uPrev = au;
  // The clipped point that dominated the last dominated one: consecutive points tend to share it.
  let dx = Infinity, dy = Infinity, dz = Infinity;
  for (let e = first; e < ns; e++) {
    const qu = uu[e];
    c4 += u3 * (qu - uPrev);
    uPrev = qu;
    const qx = ux[e], qy = uy[e], qz = uz[e];
    if (qx <= ax && qy <= ay && qz <= az) {
      a[8] = c4; // U drops to 0 for good
      return true;
    }
    // zc > az (a corner point at z = az would dominate a), so `max(q_z, a_z) ≥ zc` is `q_z ≥ zc`.
    if (qz >= zc) continue;
    // `d ≤ max(q, a)` tested on the unclipped point, as one branch (Math.max is compares and jumps).
    const dq = (+(dx <= qx) | +(dx <= ax)) & (+(dy <= qy) | +(dy <= ay)) & (+(dz <= qz) | +(dz <= az));
    if (dq !== 0) continue;
    const px = Math.max(qx, ax), py = Math.max(qy, ay), pz = Math.max(qz, az);
    io[0] = px;
    io[1] = py;
    io[2] = pz;
    nc = addContribution3(s, nc);
    if (s.d3) {
      dx = s.d3x;
      dy = s.d3y;
      dz = s.d3z;
    } else {
      u3 -= s.cut;
      if (px === ax && py === ay) zc = pz;
    }
  }
  a[8] = c4 + u3 * (r3 - uPrev);
  return true;
}

/** Copies the staircase `s.tx/ty[0..nt)` into the bottom layer `s.bx/by`; returns its size. */
function snapshotBottom(s: Sweep5Scratch, nt: number): number {
  const tx = s.tx, ty = s.ty, bx = s.bx, by = s.by;
  for (let i = 0; i < nt; i++) {
    bx[i] = tx[i];
    by[i] = ty[i];
  }
  s.nb = nt;
  return nt;
}

/**
 * Adds `p = (px, py, pz)` to the clipped set and puts its exclusive 3-D contribution to that set in
 * `s.cut`; when a point of the set weakly dominates `p`, sets `s.d3` and that point in `s.d3x/d3y/d3z`
 * instead. The set is its bottom layer `s.bx/by[0..s.nb)` (the points at `z = s.bz`, a's z, as a 2-D
 * staircase) and the points above it, `s.cx/cy/cz[0..nc)` (sorted by z). Drops the points `p`
 * dominates. Returns the new `nc`.
 *
 * The bottom layer lies in every floor: its part left of `p` is read off by one bisection (the
 * staircase point with the largest x ≤ px bounds the band y ≥ its y), its part below `p` is the first
 * point past the inner ones, and its inner points form one run of the staircase (on front5_300, 37,455
 * of the 45,159 floor points met by the 3-D contributions were bottom points).
 */
function addContribution3(s: Sweep5Scratch, nc: number): number {
  const io = s.io;
  const px = io[0], py = io[1], pz = io[2], r0 = io[3], r1 = io[4], r2 = io[5];
  const cx = s.cx, cy = s.cy, cz = s.cz, drop = s.cdrop;
  const bx = s.bx, by = s.by, nb = s.nb, bz = s.bz;
  // Bottom layer: j is its last point with x ≤ px; the points from k on have y ≤ py.
  let lo = 0, hi = nb;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bx[mid] <= px) lo = mid + 1;
    else hi = mid;
  }
  const j = lo - 1;
  let Y = r1;
  if (j >= 0) {
    Y = by[j];
    if (Y <= py) {
      s.d3 = true;
      s.d3x = bx[j];
      s.d3y = Y;
      s.d3z = bz;
      s.cut = 0;
      return nc;
    }
  }
  let k = lo;
  while (k < nb && by[k] > py) k++;
  let X = k < nb ? bx[k] : r0;
  // The floor above the bottom layer: the points with bz < z ≤ pz, [0, at). A point left of p (x ≤ px)
  // covers the band y ≥ its y of p's box, one below p the band x ≥ its x; the others are inner points.
  // Scanned from the highest z down: most points offered are dominated, most often by a floor point
  // of high z, and the scan stops there.
  let at = nc;
  if (pz === bz) at = 0;
  else while (at > 0 && cz[at - 1] > pz) at--;
  const inner = s.inner;
  let nIn = 0;
  for (let f = at - 1; f >= 0; f--) {
    const qx = cx[f], qy = cy[f];
    if (qx <= px) {
      if (qy <= py) {
        s.d3 = true;
        s.d3x = qx;
        s.d3y = qy;
        s.d3z = cz[f];
        s.cut = 0;
        return nc;
      }
      if (qy < Y) Y = qy;
    } else if (qy <= py) {
      if (qx < X) X = qx;
    } else inner[nIn++] = f;
  }
  s.d3 = false;
  // The staircase of the inner points in the box [px, X) × [py, Y): the bottom layer's inner run
  // (those with x < X and y < Y, a sub-run), then the other inner points inserted one by one.
  const tx = s.tx, ty = s.ty;
  let i0 = j + 1;
  while (i0 < k && by[i0] >= Y) i0++;
  let nt = 0;
  let area = (X - px) * (Y - py);
  for (let i = i0; i < k; i++) {
    const qx = bx[i];
    if (qx >= X) break;
    tx[nt] = qx;
    ty[nt++] = by[i];
  }
  for (let i = 0; i < nt; i++) area -= ((i + 1 < nt ? tx[i + 1] : X) - tx[i]) * (Y - ty[i]);
  for (let f = 0; f < nIn; f++) {
    const q = inner[f];
    const qx = cx[q], qy = cy[q];
    if (qx < X && qy < Y) {
      nt = stairInsert(s, nt, qx, qy, X, Y);
      area -= s.cut;
    }
  }
  // The two bands as the staircase's ends, then the sweep up through the points above p.
  if (Y < r1) {
    for (let f = nt; f > 0; f--) {
      tx[f] = tx[f - 1];
      ty[f] = ty[f - 1];
    }
    tx[0] = px;
    ty[0] = Y;
    nt++;
  }
  if (X < r0) {
    tx[nt] = X;
    ty[nt++] = py;
  }
  let e = at;
  let vol = 0, zPrev = pz;
  let nDrop = 0;
  let closed = false;
  for (; e < nc; e++) {
    const qz = cz[e];
    vol += area * (qz - zPrev);
    zPrev = qz;
    const ox = cx[e], oy = cy[e];
    if (ox <= px && oy <= py) {
      closed = true;
      break;
    }
    if (ox >= px && oy >= py) {
      drop[e] = 1; // p dominates it (qz > pz)
      nDrop++;
    }
    nt = stairInsert(s, nt, Math.max(ox, px), Math.max(oy, py), r0, r1);
    area -= s.cut;
  }
  if (!closed) vol += area * (r2 - zPrev);
  s.cut = vol;
  if (pz === bz) {
    // p joins the bottom layer in place of the points there it dominates, [start, end).
    const start = j >= 0 && bx[j] === px ? j : j + 1;
    const end = k < nb && by[k] === py ? k + 1 : k;
    const d = 1 - (end - start);
    if (d > 0) {
      for (let i = nb; i > start; i--) {
        bx[i] = bx[i - 1];
        by[i] = by[i - 1];
      }
    } else if (d < 0) {
      for (let i = end; i < nb; i++) {
        bx[i + d] = bx[i];
        by[i + d] = by[i];
      }
    }
    bx[start] = px;
    by[start] = py;
    s.nb = nb + d;
    if (nDrop === 0) return nc;
    let w = 0;
    for (let f = 0; f < nc; f++) {
      if (drop[f] === 1) {
        drop[f] = 0;
        continue;
      }
      cx[w] = cx[f];
      cy[w] = cy[f];
      cz[w++] = cz[f];
    }
    return w;
  }
  // Insert p at `at`, dropping the flagged points.
  if (nDrop === 0) {
    for (let f = nc; f > at; f--) {
      cx[f] = cx[f - 1];
      cy[f] = cy[f - 1];
      cz[f] = cz[f - 1];
    }
    cx[at] = px;
    cy[at] = py;
    cz[at] = pz;
    return nc + 1;
  }
  // Squeeze the dropped points out of [at, nc), then shift the rest right by one.
  let w = at;
  for (let f = at; f < nc; f++) {
    if (drop[f] === 1) {
      drop[f] = 0;
      continue;
    }
    cx[w] = cx[f];
    cy[w] = cy[f];
    cz[w++] = cz[f];
  }
  for (let f = w; f > at; f--) {
    cx[f] = cx[f - 1];
    cy[f] = cy[f - 1];
    cz[f] = cz[f - 1];
  }
  cx[at] = px;
  cy[at] = py;
  cz[at] = pz;
  return nc - nDrop + 1;
}

/**
 * Inserts `(x, y)` into the staircase `s.tx/ty[0..nt)` (x strictly ascending, y strictly descending;
 * the covered region is `⋃_i [tx_i, r0) × [ty_i, r1)`). Puts the area it newly covers in `s.cut`
 * (0 when a staircase point weakly dominates it) and returns the new size.
 */
function stairInsert(s: Sweep5Scratch, nt: number, x: number, y: number, r0: number, r1: number): number {
  const tx = s.tx, ty = s.ty;
  // j: the last entry with tx ≤ x.
  let lo = 0, hi = nt;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tx[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  const j = lo - 1;
  let curH = r1;
  let start = lo; // first entry to replace
  if (j >= 0) {
    if (ty[j] <= y) {
      s.cut = 0;
      return nt;
    }
    curH = ty[j];
    if (tx[j] === x) start = j;
  }
  // A sentinel past the end: the right edge r0, below every y.
  tx[nt] = r0;
  ty[nt] = -Infinity;
  let curX = x, cut = 0, f = lo;
  while (ty[f] >= y) {
    cut += (tx[f] - curX) * (curH - y);
    curX = tx[f];
    curH = ty[f];
    f++;
  }
  cut += (tx[f] - curX) * (curH - y);
  s.cut = cut;
  const removed = f - start;
  if (removed === 0) {
    for (let i = nt; i > start; i--) {
      tx[i] = tx[i - 1];
      ty[i] = ty[i - 1];
    }
  } else if (removed > 1) {
    for (let i = f, w = start + 1; i < nt; i++, w++) {
      tx[w] = tx[i];
      ty[w] = ty[i];
    }
  }
  tx[start] = x;
  ty[start] = y;
  return nt - removed + 1;
}
