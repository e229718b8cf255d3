/**
 * Gaussian-process regression for one objective (Rasmussen & Williams 2006, Algorithm 2.1), the
 * surrogate of multi-objective Bayesian optimisation.
 *
 * Inputs are expected in the unit cube; outputs are standardised (zero mean, unit variance) before
 * fitting and predictions are returned in the original units. The kernel is s² κ(r) with
 * r² = Σ_i (x_i − x'_i)² / ℓ_i², κ the Matérn 5/2 (1 + √5 r + 5r²/3) e^{−√5 r} (BoTorch's default) or
 * the RBF e^{−r²/2}, with one length scale per input (ARD) or one shared; plus Gaussian noise σ_n².
 * The hyperparameters maximise the log marginal likelihood (R&W Eq. 2.30)
 *
 *   log p(y | X) = −½ yᵀ K⁻¹ y − Σ_i log L_ii − (n/2) log 2π,   K = L Lᵀ,
 *
 * by Adam on their logarithms with the analytic gradient ½ tr((ααᵀ − K⁻¹) ∂K/∂θ) (R&W Eq. 5.9), from
 * a default start and a few seeded random restarts, within box bounds. Cholesky factorisations
 * (ml-matrix) add jitter, growing tenfold from 1e-9 × mean diagonal, until K is positive definite.
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";

/** A dense matrix of `npm:ml-matrix` (the GP's Cholesky factor). */
export type DenseMatrix = Matrix;
import { Rng } from "../core/rng.ts";

/** Kernel families. */
export type KernelName = "matern52" | "rbf";

/** Options of {@link fitGP}. */
export interface GPOptions {
  /** The kernel (default "matern52"). */
  kernel?: KernelName;
  /** One length scale per input (default) or one shared. */
  ard?: boolean;
  /** Random restarts besides the default start; default 3. */
  restarts?: number;
  /** Adam iterations per start; default 100. */
  iterations?: number;
  /** Seed of the random restarts (default 0). */
  seed?: number;
  /** Bounds of the length scales, signal variance and noise variance (standardised units). */
  lengthscaleBounds?: [number, number];
  /** Bounds of the signal variance (default [0.05, 20]). */
  signalBounds?: [number, number];
  /** Bounds of the noise variance (default [1e-6, 1]). */
  noiseBounds?: [number, number];
}

/** Kernel hyperparameters. */
export interface GPHyper {
  /** Length scale of each input (or one shared). */
  readonly lengthscales: Float64Array;
  /** Signal variance. */
  readonly signal: number;
  /** Noise variance. */
  readonly noise: number;
}

/** A fitted Gaussian process. */
export interface GP {
  /** The kernel. */
  readonly kernel: KernelName;
  /** Training points. */
  readonly n: number;
  /** Input dimension. */
  readonly d: number;
  /** Training inputs, n × d row-major. */
  readonly X: Float64Array;
  /** Mean of the training targets (they are standardised with it). */
  readonly yMean: number;
  /** Standard deviation of the training targets. */
  readonly yStd: number;
  /** The fitted hyperparameters. */
  readonly hyper: GPHyper;
  /** Lower Cholesky factor of K + σ_n² I (+ jitter). */
  readonly L: DenseMatrix;
  /** K⁻¹ y (standardised y). */
  readonly alpha: Float64Array;
  /** The maximised log marginal likelihood (standardised y). */
  readonly logML: number;
}

const SQRT5 = Math.sqrt(5);

/** κ(r²) for the kernel family. */
function kappa(kernel: KernelName, r2: number): number {
  if (kernel === "rbf") return Math.exp(-0.5 * r2);
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** ∂κ/∂(r²)·(−2), i.e. the factor g with ∂k/∂log ℓ_i = s² g Δ_i²/ℓ_i². */
function kappaGrad(kernel: KernelName, r2: number): number {
  if (kernel === "rbf") return Math.exp(-0.5 * r2);
  const r = Math.sqrt(r2);
  return (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

function sqDist(a: Float64Array, i: number, b: Float64Array, j: number, d: number, ls: Float64Array): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = (a[i * d + k] - b[j * d + k]) / ls[ls.length === 1 ? 0 : k];
    s += t * t;
  }
  return s;
}

/** Cholesky of a symmetric matrix with growing jitter until it is positive definite. */
export function choleskyWithJitter(K: DenseMatrix, what = "K"): { L: DenseMatrix; jitter: number } {
  const n = K.rows;
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += K.get(i, i);
  meanDiag = n > 0 ? meanDiag / n : 1;
  let jitter = 0;
  for (let attempt = 0; attempt < 10; attempt++) {
    const A = jitter === 0 ? K : K.clone();
    if (jitter > 0) { for (let i = 0; i < n; i++) A.set(i, i, A.get(i, i) + jitter); }
    const c = new CholeskyDecomposition(A);
    if (c.isPositiveDefinite()) return { L: c.lowerTriangularMatrix, jitter };
    jitter = jitter === 0 ? 1e-9 * Math.max(meanDiag, 1e-12) : jitter * 10;
  }
  throw new Error(`${what}: not positive definite even with jitter ${jitter} (NaN or infinite entries?)`);
}

/** Solves L z = b (forward substitution), L lower triangular. */
function forward(L: Matrix, b: Float64Array): Float64Array {
  const n = b.length, z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L.get(i, k) * z[k];
    z[i] = s / L.get(i, i);
  }
  return z;
}

/** Solves Lᵀ z = b (back substitution). */
function backward(L: Matrix, b: Float64Array): Float64Array {
  const n = b.length, z = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L.get(k, i) * z[k];
    z[i] = s / L.get(i, i);
  }
  return z;
}

interface Evaluated {
  logML: number;
  grad: Float64Array;
  L: Matrix;
  alpha: Float64Array;
}

/** Log marginal likelihood and its gradient w.r.t. [log ℓ…, log s², log σ_n²]. */
function marginal(
  kernel: KernelName,
  X: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
  theta: Float64Array,
  nl: number,
): Evaluated {
  const ls = Float64Array.from(theta.subarray(0, nl), Math.exp);
  const s2 = Math.exp(theta[nl]), sn2 = Math.exp(theta[nl + 1]);
  const K = new Matrix(n, n);
  const R2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const r2 = i === j ? 0 : sqDist(X, i, X, j, d, ls);
      R2[i * n + j] = R2[j * n + i] = r2;
      const k = s2 * kappa(kernel, r2) + (i === j ? sn2 : 0);
      K.set(i, j, k);
      K.set(j, i, k);
    }
  }
  const { L } = choleskyWithJitter(K, "GP covariance");
  const alpha = backward(L, forward(L, y));
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += Math.log(L.get(i, i));
  let yAy = 0;
  for (let i = 0; i < n; i++) yAy += y[i] * alpha[i];
  const logML = -0.5 * yAy - logDet - 0.5 * n * Math.log(2 * Math.PI);
  // K⁻¹ column by column.
  const Kinv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    e.fill(0);
    e[c] = 1;
    const col = backward(L, forward(L, e));
    for (let r = 0; r < n; r++) Kinv[r * n + c] = col[r];
  }
  const grad = new Float64Array(nl + 2);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = 0.5 * (alpha[i] * alpha[j] - Kinv[i * n + j]);
      const r2 = R2[i * n + j];
      grad[nl] += w * s2 * kappa(kernel, r2);
      if (i === j) {
        grad[nl + 1] += w * sn2;
        continue;
      }
      const g = w * s2 * kappaGrad(kernel, r2);
      for (let k = 0; k < d; k++) {
        const l = ls[nl === 1 ? 0 : k];
        const t = (X[i * d + k] - X[j * d + k]) / l;
        grad[nl === 1 ? 0 : k] += g * t * t;
      }
    }
  }
  return { logML, grad, L, alpha };
}

/**
 * Fits a GP to n points X (n × d, row-major, inputs in the unit cube) with outputs y.
 * Throws on NaN/infinite data or mismatched sizes.
 */
export function fitGP(X: ArrayLike<number>, y: ArrayLike<number>, d: number, options: GPOptions = {}): GP {
  const n = y.length;
  if (!(Number.isInteger(d) && d > 0)) throw new RangeError(`fitGP: d must be a positive integer, got ${d}`);
  if (X.length !== n * d) throw new RangeError(`fitGP: X has ${X.length} values, expected ${n} × ${d}`);
  if (n < 2) throw new RangeError(`fitGP: needs at least 2 points, got ${n}`);
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) throw new RangeError(`fitGP: X[${Math.floor(i / d)}][${i % d}] is ${X[i]}`);
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i])) throw new RangeError(`fitGP: y[${i}] is ${y[i]}`);
  const kernel = options.kernel ?? "matern52";
  const nl = options.ard === false ? 1 : d;
  const [lsLo, lsHi] = options.lengthscaleBounds ?? [0.02, 20];
  const [sLo, sHi] = options.signalBounds ?? [0.05, 20];
  const [nLo, nHi] = options.noiseBounds ?? [1e-6, 1];
  const lo = new Float64Array(nl + 2), hi = new Float64Array(nl + 2);
  for (let k = 0; k < nl; k++) {
    lo[k] = Math.log(lsLo);
    hi[k] = Math.log(lsHi);
  }
  lo[nl] = Math.log(sLo);
  hi[nl] = Math.log(sHi);
  lo[nl + 1] = Math.log(nLo);
  hi[nl + 1] = Math.log(nHi);
  const Xc = Float64Array.from(X);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (y[i] - mean) ** 2;
  const std = Math.sqrt(v / Math.max(1, n - 1)) || 1;
  const ys = Float64Array.from({ length: n }, (_, i) => (y[i] - mean) / std);

  const rng = new Rng(options.seed ?? 0);
  const restarts = options.restarts ?? 3;
  const iterations = options.iterations ?? 100;
  let best: { theta: Float64Array; ev: Evaluated } | undefined;
  for (let s = 0; s <= restarts; s++) {
    const theta = new Float64Array(nl + 2);
    if (s === 0) {
      theta.fill(Math.log(0.5), 0, nl);
      theta[nl] = 0;
      theta[nl + 1] = Math.log(1e-2);
    } else {
      for (let k = 0; k < nl + 2; k++) theta[k] = lo[k] + (hi[k] - lo[k]) * rng.random();
    }
    // Adam ascent on the log hyperparameters, projected onto the box.
    const m = new Float64Array(nl + 2), vv = new Float64Array(nl + 2);
    let ev = marginal(kernel, Xc, ys, n, d, theta, nl);
    let bestHere = { theta: Float64Array.from(theta), ev };
    for (let t = 1; t <= iterations; t++) {
      for (let k = 0; k < nl + 2; k++) {
        const g = ev.grad[k];
        m[k] = 0.9 * m[k] + 0.1 * g;
        vv[k] = 0.999 * vv[k] + 0.001 * g * g;
        const step = 0.1 * (m[k] / (1 - 0.9 ** t)) / (Math.sqrt(vv[k] / (1 - 0.999 ** t)) + 1e-8);
        theta[k] = Math.min(hi[k], Math.max(lo[k], theta[k] + step));
      }
      ev = marginal(kernel, Xc, ys, n, d, theta, nl);
      if (ev.logML > bestHere.ev.logML) bestHere = { theta: Float64Array.from(theta), ev };
    }
    if (!best || bestHere.ev.logML > best.ev.logML) best = bestHere;
  }
  const th = best!.theta;
  return {
    kernel,
    n,
    d,
    X: Xc,
    yMean: mean,
    yStd: std,
    hyper: {
      lengthscales: Float64Array.from(th.subarray(0, nl), Math.exp),
      signal: Math.exp(th[nl]),
      noise: Math.exp(th[nl + 1]),
    },
    L: best!.ev.L,
    alpha: best!.ev.alpha,
    logML: best!.ev.logML,
  };
}

/** The posterior of the latent function at q points (q × d): mean and covariance (standardised units). */
export function posteriorStd(gp: GP, Xs: ArrayLike<number>): { mean: Float64Array; cov: Float64Array } {
  const { d, n, X, hyper, kernel, L, alpha } = gp;
  const q = Xs.length / d;
  if (!Number.isInteger(q)) {
    throw new RangeError(`posterior: ${Xs.length} values is not a multiple of d = ${d}`);
  }
  const xs = Float64Array.from(Xs);
  const ls = hyper.lengthscales, s2 = hyper.signal;
  const mean = new Float64Array(q);
  const V: Float64Array[] = [];
  for (let a = 0; a < q; a++) {
    const ks = new Float64Array(n);
    for (let i = 0; i < n; i++) ks[i] = s2 * kappa(kernel, sqDist(xs, a, X, i, d, ls));
    let mu = 0;
    for (let i = 0; i < n; i++) mu += ks[i] * alpha[i];
    mean[a] = mu;
    V.push(forward(L, ks));
  }
  const cov = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b <= a; b++) {
      let c = s2 * kappa(kernel, a === b ? 0 : sqDist(xs, a, xs, b, d, ls));
      const va = V[a], vb = V[b];
      for (let i = 0; i < n; i++) c -= va[i] * vb[i];
      if (a === b) c = Math.max(c, 1e-12 * s2);
      cov[a * q + b] = cov[b * q + a] = c;
    }
  }
  return { mean, cov };
}

/** The posterior mean and covariance at q points in the original units of y. */
export function posterior(gp: GP, Xs: ArrayLike<number>): { mean: Float64Array; cov: Float64Array } {
  const p = posteriorStd(gp, Xs);
  const s = gp.yStd;
  return {
    mean: p.mean.map((m) => m * s + gp.yMean),
    cov: p.cov.map((c) => c * s * s),
  };
}

/**
 * The log marginal likelihood of standardised outputs `y` and its gradient w.r.t. the log
 * hyperparameters θ = [log ℓ_1…, log s², log σ_n²] (one ℓ when θ has 3 entries and d > 1).
 */
export function logMarginalLikelihood(
  X: ArrayLike<number>,
  y: ArrayLike<number>,
  d: number,
  theta: ArrayLike<number>,
  kernel: KernelName = "matern52",
): { logML: number; grad: Float64Array } {
  const nl = theta.length - 2;
  if (nl !== 1 && nl !== d) {
    throw new RangeError(`logMarginalLikelihood: θ has ${theta.length} entries for d = ${d}`);
  }
  const ev = marginal(
    kernel,
    Float64Array.from(X),
    Float64Array.from(y),
    y.length,
    d,
    Float64Array.from(theta),
    nl,
  );
  return { logML: ev.logML, grad: ev.grad };
}
