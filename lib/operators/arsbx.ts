/**
 * Rotation-based simulated binary crossover, the operator of ARSBX (L. Pan, W. Xu, L. Li, C. He &
 * R. Cheng, "Adaptive simulated binary crossover for rotated multi-objective optimization", Swarm and
 * Evolutionary Computation 60 (2021) 100759).
 *
 * SBX works variable by variable, so it is biased towards the coordinate axes and degrades when the
 * Pareto set is rotated. ARSBX learns a coordinate system from the population — the eigenvectors B of
 * the covariance matrix of the current (survivor) population, centred at its mean m — and applies
 * SBX to the coordinates y = Bᵀ(x − m), then maps the children back, x = B y + m, and clips them to the
 * bounds. The adaptive choice between plain and rotated SBX lives in the algorithm
 * (../algorithms/nsga2_arsbx.ts).
 *
 * The SBX used here is the unbounded form of PlatEMO's `OperatorGA` / `ARSBX.m` (the rotated space has
 * no box): per pair with probability `prob`, per variable with probability `probVar`,
 *   β = (2u)^{1/(η+1)} if u ≤ ½, else (2 − 2u)^{−1/(η+1)}, with a random sign,
 *   c1 = (p1 + p2)/2 + β (p1 − p2)/2,  c2 = (p1 + p2)/2 − β (p1 − p2)/2.
 * The eigen-decomposition ({@link symmetricEigen}, Householder + implicit QL) has no dependencies.
 */
import type { Rng } from "../core/rng.ts";

/** A learned coordinate system: orthonormal axes B (n × n, row-major, column k = axis k) and centre. */
export interface Rotation {
  /** Dimension. */
  readonly n: number;
  /** The axes, n × n row-major, column k = axis k. */
  readonly B: Float64Array;
  /** The centre of the coordinate system. */
  readonly center: Float64Array;
}

/** Settings of the (rotation-based) SBX. */
export interface ArsbxOptions {
  /** Probability that a pair is crossed at all (default 1, as PlatEMO's ARSBX). */
  prob?: number;
  /** Distribution index η_c (default 2, as PlatEMO's ARSBX). */
  eta?: number;
  /** Per-variable (per rotated coordinate) probability of crossing (default 0.5). */
  probVar?: number;
}

/**
 * Eigen-decomposition of a symmetric n × n matrix (row-major): Householder reduction to tridiagonal
 * form, then the implicit QL method (the tred2/tql2 pair of EISPACK, as in JAMA), O(n³) with a small
 * constant — several times faster than cyclic Jacobi at the sizes used here. Returns the eigenvalues in
 * descending order and the eigenvectors as the columns of `vectors` (row-major n × n,
 * `vectors[i * n + k]` = component i of eigenvector k), orthonormal. `A` is not modified; only its
 * lower triangle is read. Deterministic: the same matrix always gives the same vectors.
 */
export function symmetricEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  if (A.length !== n * n) throw new RangeError(`symmetricEigen: expected ${n}×${n} values, got ${A.length}`);
  const V = Float64Array.from(A);
  const d = new Float64Array(n), e = new Float64Array(n);
  if (n > 0) {
    tred2(V, d, e, n);
    tql2(V, d, e, n);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x] || x - y);
  const values = new Float64Array(n), vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const src = order[k];
    values[k] = d[src];
    for (let i = 0; i < n; i++) vectors[i * n + k] = V[i * n + src];
  }
  return { values, vectors };
}

/** Householder tridiagonalisation of the symmetric V (in place, becomes the transformation). */
function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0, h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // accumulate the transformations
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal (d, e), accumulating into V. */
function tql2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0, tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      for (let iter = 0; iter < 60; iter++) {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            const vi = V[k * n + i], vi1 = V[k * n + i + 1];
            V[k * n + i + 1] = s * vi + c * vi1;
            V[k * n + i] = c * vi - s * vi1;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]) > eps * tst1)) break;
      }
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** The identity coordinate system centred at the middle of the box (ARSBX before anything is learned). */
export function identityRotation(lower: Float64Array, upper: Float64Array): Rotation {
  const n = lower.length;
  const B = new Float64Array(n * n);
  for (let i = 0; i < n; i++) B[i * n + i] = 1;
  const center = new Float64Array(n);
  for (let i = 0; i < n; i++) center[i] = 0.5 * (lower[i] + upper[i]);
  return { n, B, center };
}

/**
 * The coordinate system of a population: the eigenvectors of the sample covariance of the `size` rows
 * of `X` (row-major, n columns), by descending eigenvalue, centred at the mean (PlatEMO's
 * `UpdateParameter`: `[B, E] = eig(cov(PopDec))`, `m = mean(PopDec)`).
 */
export function learnRotation(X: Float64Array, size: number, n: number): Rotation {
  if (size < 1 || X.length < size * n) {
    throw new RangeError(`learnRotation: need ${size} rows of ${n} values`);
  }
  const center = new Float64Array(n);
  for (let i = 0; i < size; i++) for (let j = 0; j < n; j++) center[j] += X[i * n + j];
  for (let j = 0; j < n; j++) center[j] /= size;
  const C = new Float64Array(n * n);
  const d = new Float64Array(n);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < n; j++) d[j] = X[i * n + j] - center[j];
    for (let p = 0; p < n; p++) {
      const dp = d[p];
      for (let q = p; q < n; q++) C[p * n + q] += dp * d[q];
    }
  }
  const div = size > 1 ? size - 1 : 1;
  for (let p = 0; p < n; p++) {
    for (let q = p; q < n; q++) {
      C[p * n + q] /= div;
      C[q * n + p] = C[p * n + q];
    }
  }
  return { n, B: symmetricEigen(C, n).vectors, center };
}

/**
 * Crosses `p1` and `p2` into `c1` and `c2` with SBX in the coordinate system `rotation` (null: the
 * original coordinates), then clips the children to the bounds. `work` (length ≥ 4n) avoids
 * allocations when given.
 */
export function rotatedSbx(
  rng: Rng,
  p1: ArrayLike<number>,
  p2: ArrayLike<number>,
  c1: Float64Array,
  c2: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  rotation: Rotation | null,
  options: ArsbxOptions = {},
  work?: Float64Array,
): void {
  const n = c1.length;
  const prob = options.prob ?? 1, eta = options.eta ?? 2, probVar = options.probVar ?? 0.5;
  if (rotation && rotation.n !== n) {
    throw new RangeError(`rotatedSbx: the rotation has dimension ${rotation.n}, the parents ${n}`);
  }
  const w = work && work.length >= 4 * n ? work : new Float64Array(4 * n);
  const y1 = w.subarray(0, n), y2 = w.subarray(n, 2 * n);
  const z1 = w.subarray(2 * n, 3 * n), z2 = w.subarray(3 * n, 4 * n);
  if (rotation) {
    // y = Bᵀ (p − m)
    const { B, center } = rotation;
    for (let k = 0; k < n; k++) {
      y1[k] = 0;
      y2[k] = 0;
    }
    for (let i = 0; i < n; i++) {
      const a = p1[i] - center[i], b = p2[i] - center[i];
      const row = i * n;
      for (let k = 0; k < n; k++) {
        y1[k] += a * B[row + k];
        y2[k] += b * B[row + k];
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      y1[i] = p1[i];
      y2[i] = p2[i];
    }
  }
  for (let k = 0; k < n; k++) {
    z1[k] = y1[k];
    z2[k] = y2[k];
  }
  if (rng.random() < prob) {
    const e = 1 / (eta + 1);
    for (let k = 0; k < n; k++) {
      if (rng.random() >= probVar) continue;
      const u = rng.random();
      let beta = u <= 0.5 ? Math.pow(2 * u, e) : Math.pow(2 - 2 * u, -e);
      if (rng.random() < 0.5) beta = -beta;
      const mid = 0.5 * (y1[k] + y2[k]), half = 0.5 * beta * (y1[k] - y2[k]);
      z1[k] = mid + half;
      z2[k] = mid - half;
    }
  }
  if (rotation) {
    // x = B z + m
    const { B, center } = rotation;
    for (let i = 0; i < n; i++) {
      let s1 = center[i], s2 = center[i];
      const row = i * n;
      for (let k = 0; k < n; k++) {
        s1 += B[row + k] * z1[k];
        s2 += B[row + k] * z2[k];
      }
      c1[i] = s1;
      c2[i] = s2;
    }
  } else {
    for (let i = 0; i < n; i++) {
      c1[i] = z1[i];
      c2[i] = z2[i];
    }
  }
  for (let i = 0; i < n; i++) {
    const lb = lower[i], ub = upper[i];
    if (c1[i] < lb) c1[i] = lb;
    else if (c1[i] > ub) c1[i] = ub;
    if (c2[i] < lb) c2[i] = lb;
    else if (c2[i] > ub) c2[i] = ub;
  }
}
