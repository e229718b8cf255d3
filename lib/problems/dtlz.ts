/**
 * The scalable DTLZ test suite: K. Deb, L. Thiele, M. Laumanns and E. Zitzler, "Scalable multi-objective
 * optimization test problems", Proc. IEEE CEC 2002, pp. 825–830 (extended in "Scalable test problems for
 * evolutionary multiobjective optimization", Evolutionary Multiobjective Optimization, Springer 2005).
 *
 * M objectives, n = M + k − 1 variables in [0,1]; x_M denotes the last k variables. Pareto fronts are sampled
 * as PlatEMO's `GetOptimum(N)` does.
 * @module
 */
import type { Problem } from "../core/problem.ts";
import type { Points } from "../core/points.ts";
import { checkInt, linspace, makeProblem, normaliseRows } from "./common.ts";
import { simplexLattice } from "./simplex_lattice.ts";

const PI = Math.PI;
const HALF_PI = Math.PI / 2;

/** Validates nObj/nVar, applies the default nVar = nObj + k − 1 and builds the [0,1]^n problem. */
function dtlz(
  name: string,
  nObj: number,
  nVar: number | undefined,
  k: number,
  make: (m: number, n: number) => {
    evaluate: (x: Float64Array, f: Float64Array) => void;
    front: (size: number) => Points;
  },
): Problem {
  checkInt(name, "nObj", nObj, 2);
  const n = nVar ?? nObj + k - 1;
  checkInt(name, "nVar", n, nObj);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n).fill(1);
  const { evaluate, front } = make(nObj, n);
  return makeProblem(name, nObj, lower, upper, evaluate, front);
}

/** UniformPoint(N, M) with PlatEMO's 1e-6 floor. */
function simplex(size: number, m: number): Points {
  return simplexLattice(m, { points: size, minValue: 1e-6 });
}

/** g of DTLZ1 and DTLZ3: 100·(k + Σ_{x_M} ((x_i − 0.5)² − cos(20π(x_i − 0.5)))). */
function gRastrigin(x: Float64Array, m: number, n: number): number {
  let s = 0;
  for (let i = m - 1; i < n; i++) {
    const d = x[i] - 0.5;
    s += d * d - Math.cos(20 * PI * d);
  }
  return 100 * (n - m + 1 + s);
}

/** g of DTLZ2, DTLZ4 and DTLZ5: Σ_{x_M} (x_i − 0.5)². */
function gSphere(x: Float64Array, m: number, n: number): number {
  let s = 0;
  for (let i = m - 1; i < n; i++) {
    const d = x[i] - 0.5;
    s += d * d;
  }
  return s;
}

/**
 * Writes the spherical objectives f_j = (1+g)·Π_{i<M−j} cos(θ_i)·sin(θ_{M−j}) (1-based j, no sine for j = 1),
 * with θ_i = (π/2)·x_i for DTLZ2/3, (π/2)·x_i^α for DTLZ4, and θ_i = π/(4(1+g))·(1 + 2g·x_i) for i ≥ 2 in
 * DTLZ5/6 (`mode` 0, `alpha`, 2 respectively).
 */
function sphere(x: Float64Array, f: Float64Array, m: number, g: number, mode: number, alpha: number): void {
  let prod = 1 + g;
  for (let i = 0; i < m - 1; i++) {
    let t = x[i];
    if (mode === 1) t = Math.pow(t, alpha);
    else if (mode === 2 && i > 0) t = (1 + 2 * g * t) / (2 + 2 * g);
    const a = HALF_PI * t;
    f[m - 1 - i] = prod * Math.sin(a);
    prod *= Math.cos(a);
  }
  f[0] = prod;
}

/** The positive unit sphere, PlatEMO style: UniformPoint(N, M) scaled to norm 1. */
function sphereFront(size: number, m: number): Points {
  return normaliseRows(simplex(size, m));
}

/**
 * DTLZ1 (Deb et al. 2002, eq. 7): g = 100·(|x_M| + Σ_{x_M} ((x_i − 0.5)² − cos(20π(x_i − 0.5)))),
 * f1 = ½ x1 x2 ⋯ x_{M−1} (1+g), f_j = ½ x1 ⋯ x_{M−j} (1 − x_{M−j+1}) (1+g), f_M = ½ (1 − x1)(1+g).
 * Linear front Σ f_j = ½ at x_M = 0.5 (PlatEMO: UniformPoint(N, M)/2). Default k = 5.
 * @throws RangeError when nObj < 2 or nVar < nObj.
 */
export function dtlz1(nObj = 3, nVar?: number): Problem {
  return dtlz("DTLZ1", nObj, nVar, 5, (m, n) => ({
    evaluate(x, f) {
      let prod = 0.5 * (1 + gRastrigin(x, m, n));
      for (let i = 0; i < m - 1; i++) {
        f[m - 1 - i] = prod * (1 - x[i]);
        prod *= x[i];
      }
      f[0] = prod;
    },
    front(size) {
      const p = simplex(size, m);
      for (let i = 0; i < p.data.length; i++) p.data[i] /= 2;
      return p;
    },
  }));
}

/**
 * DTLZ2 (Deb et al. 2002, eq. 9): g = Σ_{x_M} (x_i − 0.5)²,
 * f1 = (1+g) cos(x1π/2) ⋯ cos(x_{M−1}π/2), f_j = (1+g) cos(x1π/2) ⋯ cos(x_{M−j}π/2) sin(x_{M−j+1}π/2),
 * f_M = (1+g) sin(x1π/2). Spherical front Σ f_j² = 1 at x_M = 0.5 (PlatEMO: UniformPoint(N, M) scaled to
 * norm 1). Default k = 10.
 * @throws RangeError when nObj < 2 or nVar < nObj.
 */
export function dtlz2(nObj = 3, nVar?: number): Problem {
  return dtlz("DTLZ2", nObj, nVar, 10, (m, n) => ({
    evaluate(x, f) {
      sphere(x, f, m, gSphere(x, m, n), 0, 1);
    },
    front: (size) => sphereFront(size, m),
  }));
}

/**
 * DTLZ3 (Deb et al. 2002, eq. 10): the DTLZ2 objectives with the multimodal g of DTLZ1,
 * g = 100·(|x_M| + Σ_{x_M} ((x_i − 0.5)² − cos(20π(x_i − 0.5)))). Spherical front Σ f_j² = 1 at x_M = 0.5
 * (PlatEMO: UniformPoint(N, M) scaled to norm 1). Default k = 10.
 * @throws RangeError when nObj < 2 or nVar < nObj.
 */
export function dtlz3(nObj = 3, nVar?: number): Problem {
  return dtlz("DTLZ3", nObj, nVar, 10, (m, n) => ({
    evaluate(x, f) {
      sphere(x, f, m, gRastrigin(x, m, n), 0, 1);
    },
    front: (size) => sphereFront(size, m),
  }));
}

/** The α of DTLZ4. */
const DTLZ4_ALPHA = 100;

/**
 * DTLZ4 (Deb et al. 2002, eq. 11): DTLZ2 with x_i replaced by x_i^α (α = 100) in the position variables
 * x1..x_{M−1}, g = Σ_{x_M} (x_i − 0.5)². Spherical front Σ f_j² = 1 (PlatEMO: UniformPoint(N, M) scaled to
 * norm 1). Default k = 10.
 * @throws RangeError when nObj < 2 or nVar < nObj.
 */
export function dtlz4(nObj = 3, nVar?: number): Problem {
  return dtlz("DTLZ4", nObj, nVar, 10, (m, n) => ({
    evaluate(x, f) {
      sphere(x, f, m, gSphere(x, m, n), 1, DTLZ4_ALPHA);
    },
    front: (size) => sphereFront(size, m),
  }));
}

/**
 * PlatEMO's degenerate DTLZ5/DTLZ6 front: the quarter circle (t, 1 − t)/‖·‖ for t = 0, 1/(N−1), …, 1, with
 * its first coordinate repeated to fill M columns and the columns divided by √2^(M−2), √2^(M−2), √2^(M−3),
 * …, √2^0.
 */
function degenerateFront(size: number, m: number): Points {
  const data = new Float64Array(size * m);
  for (let i = 0; i < size; i++) {
    const t = size === 1 ? 0 : i / (size - 1);
    const r = Math.sqrt(t * t + (1 - t) * (1 - t));
    const a = t / r, b = (1 - t) / r;
    const o = i * m;
    for (let j = 0; j < m - 1; j++) {
      const p = j === 0 ? m - 2 : m - 1 - j;
      data[o + j] = a / Math.pow(Math.SQRT2, p);
    }
    data[o + m - 1] = b;
  }
  return { data, n: size, m };
}

/**
 * DTLZ5 (Deb et al. 2002, eq. 12): g = Σ_{x_M} (x_i − 0.5)², θ1 = x1π/2,
 * θ_i = π/(4(1+g))·(1 + 2g x_i) for i = 2..M−1, and f as in DTLZ2 with x_iπ/2 replaced by θ_i.
 * Degenerate curve front (for M > 3 this is the curve PlatEMO uses, although the true DTLZ5 front is not a
 * curve there). Default k = 10.
 * @throws RangeError when nObj < 2 or nVar < nObj.
 */
export function dtlz5(nObj = 3, nVar?: number): Problem {
  return dtlz("DTLZ5", nObj, nVar, 10, (m, n) => ({
    evaluate(x, f) {
      sphere(x, f, m, gSphere(x, m, n), 2, 1);
    },
    front: (size) => degenerateFront(size, m),
  }));
}

/**
 * DTLZ6 (Deb et al. 2002, eq. 13): DTLZ5 with g = Σ_{x_M} x_i^0.1 (optimum at x_M = 0). Same degenerate
 * front as DTLZ5 (PlatEMO). Default k = 10.
 * @throws RangeError when nObj < 2 or nVar < nObj.
 */
export function dtlz6(nObj = 3, nVar?: number): Problem {
  return dtlz("DTLZ6", nObj, nVar, 10, (m, n) => ({
    evaluate(x, f) {
      let g = 0;
      for (let i = m - 1; i < n; i++) g += Math.pow(x[i], 0.1);
      sphere(x, f, m, g, 2, 1);
    },
    front: (size) => degenerateFront(size, m),
  }));
}

/** The two x intervals whose product makes up the DTLZ7 front, as in PlatEMO. */
const DTLZ7_INTERVAL = [0, 0.251412, 0.631627, 0.859401] as const;

/**
 * PlatEMO's DTLZ7 `GetOptimum(N)`: grid points `UniformPoint(N, M−1, 'grid')` (linspace(0, 1, ⌈N^(1/(M−1))⌉)
 * in every coordinate, first coordinate varying fastest), each coordinate mapped piecewise-linearly onto
 * [0, 0.251412] ∪ [0.631627, 0.859401], and f_M = 2·(M − Σ f_i/2·(1 + sin(3π f_i))).
 */
function dtlz7Front(size: number, m: number): Points {
  const d = m - 1;
  const [a0, a1, b0, b1] = DTLZ7_INTERVAL;
  const median = (a1 - a0) / (b1 - b0 + a1 - a0);
  const gap = linspace(0, 1, Math.ceil(Math.pow(size, 1 / d)));
  for (let i = 0; i < gap.length; i++) {
    const v = gap[i];
    gap[i] = v <= median ? (v * (a1 - a0)) / median + a0 : ((v - median) * (b1 - b0)) / (1 - median) + b0;
  }
  const q = gap.length;
  const count = Math.pow(q, d);
  const data = new Float64Array(count * m);
  for (let r = 0; r < count; r++) {
    let rest = r, h = m;
    const o = r * m;
    for (let j = 0; j < d; j++) {
      const v = gap[rest % q];
      rest = Math.floor(rest / q);
      data[o + j] = v;
      h -= (v / 2) * (1 + Math.sin(3 * PI * v));
    }
    data[o + d] = 2 * h;
  }
  return { data, n: count, m };
}

/**
 * DTLZ7 (Deb et al. 2002, eq. 14): f_i = x_i for i < M, g = 1 + (9/|x_M|)·Σ_{x_M} x_i,
 * f_M = (1+g)·(M − Σ_{i<M} f_i/(1+g)·(1 + sin(3π f_i))). Disconnected front (2^(M−1) regions) at x_M = 0,
 * sampled as PlatEMO does (see {@link dtlz7Front}; no non-dominated filtering is needed since every sampled
 * coordinate lies in a non-dominated interval). Default k = 20.
 * @throws RangeError when nObj < 2 or nVar < nObj.
 */
export function dtlz7(nObj = 3, nVar?: number): Problem {
  return dtlz("DTLZ7", nObj, nVar, 20, (m, n) => ({
    evaluate(x, f) {
      let s = 0;
      for (let i = m - 1; i < n; i++) s += x[i];
      const g1 = 2 + (9 * s) / (n - m + 1);
      let h = m;
      for (let i = 0; i < m - 1; i++) {
        const v = x[i];
        f[i] = v;
        h -= (v / g1) * (1 + Math.sin(3 * PI * v));
      }
      f[m - 1] = g1 * h;
    },
    front: (size) => dtlz7Front(size, m),
  }));
}
