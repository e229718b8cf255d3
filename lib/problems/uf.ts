/**
 * The unconstrained problems UF1–UF10 of the CEC 2009 competition: Q. Zhang, A. Zhou, S. Zhao,
 * P. N. Suganthan, W. Liu and S. Tiwari, "Multiobjective optimization test instances for the CEC 2009
 * special session and competition", Technical Report CES-487, University of Essex, 2009 (revised 2009).
 *
 * Indices below are 1-based as in the report: J1 = {j odd, 3 ≤ j ≤ n}, J2 = {j even, 2 ≤ j ≤ n} for the
 * two-objective UF1–UF7; J1 = {4 ≤ j ≤ n : j ≡ 1 mod 3}, J2 = {j ≡ 2 mod 3}, J3 = {j ≡ 0 mod 3} for UF8–UF10.
 * Pareto fronts are sampled as PlatEMO's `GetOptimum(N)` does.
 * @module
 */
import type { Problem } from "../core/problem.ts";
import type { Points } from "../core/points.ts";
import { boxBounds, checkInt, curve2, filterRows, linspace, makeProblem, normaliseRows } from "./common.ts";
import { simplexLattice } from "./simplex_lattice.ts";

const PI = Math.PI;

/** UniformPoint(N, 3) with PlatEMO's 1e-6 floor. */
function simplex3(n: number): Points {
  return simplexLattice(3, { points: n, minValue: 1e-6 });
}

/** Two-objective UF: x1 ∈ [0,1], others [lo, hi]; needs n ≥ 3 so that J1 and J2 are non-empty. */
function uf2obj(
  name: string,
  nVar: number,
  lo: number,
  hi: number,
  evaluate: (x: Float64Array, f: Float64Array) => void,
  front: (n: number) => Points,
): Problem {
  checkInt(name, "nVar", nVar, 3);
  const { lower, upper } = boxBounds(nVar, 1, 0, 1, lo, hi);
  return makeProblem(name, 2, lower, upper, evaluate, front);
}

/**
 * UF1 (Zhang et al. 2009): x1 ∈ [0,1], x2..xn ∈ [−1,1], y_j = x_j − sin(6π x1 + jπ/n),
 * f1 = x1 + (2/|J1|)·Σ_{J1} y_j², f2 = 1 − √x1 + (2/|J2|)·Σ_{J2} y_j².
 * PS: x_j = sin(6π x1 + jπ/n); PF: f2 = 1 − √f1, f1 ∈ [0,1] (PlatEMO: f1 = linspace(0, 1, N)).
 * @throws RangeError when nVar is not an integer ≥ 3.
 */
export function uf1(nVar = 30): Problem {
  const n = nVar;
  return uf2obj("UF1", n, -1, 1, (x, f) => {
    const x1 = x[0];
    let s1 = 0, s2 = 0, c1 = 0, c2 = 0;
    for (let j = 2; j <= n; j++) {
      const y = x[j - 1] - Math.sin(6 * PI * x1 + (j * PI) / n);
      if (j % 2 === 1) {
        s1 += y * y;
        c1++;
      } else {
        s2 += y * y;
        c2++;
      }
    }
    f[0] = x1 + (2 * s1) / c1;
    f[1] = 1 - Math.sqrt(x1) + (2 * s2) / c2;
  }, (m) => curve2(linspace(0, 1, m), (t) => 1 - Math.sqrt(t)));
}

/**
 * UF2 (Zhang et al. 2009): x1 ∈ [0,1], x2..xn ∈ [−1,1],
 * y_j = x_j − [0.3 x1² cos(24π x1 + 4jπ/n) + 0.6 x1]·cos(6π x1 + jπ/n) for j ∈ J1,
 * y_j = x_j − [0.3 x1² cos(24π x1 + 4jπ/n) + 0.6 x1]·sin(6π x1 + jπ/n) for j ∈ J2,
 * f1 = x1 + (2/|J1|)·Σ_{J1} y_j², f2 = 1 − √x1 + (2/|J2|)·Σ_{J2} y_j².
 * PS: y_j = 0; PF: f2 = 1 − √f1, f1 ∈ [0,1] (PlatEMO: f1 = linspace(0, 1, N)).
 * @throws RangeError when nVar is not an integer ≥ 3.
 */
export function uf2(nVar = 30): Problem {
  const n = nVar;
  return uf2obj("UF2", n, -1, 1, (x, f) => {
    const x1 = x[0];
    let s1 = 0, s2 = 0, c1 = 0, c2 = 0;
    for (let j = 2; j <= n; j++) {
      const a = 0.3 * x1 * x1 * Math.cos(24 * PI * x1 + (4 * j * PI) / n) + 0.6 * x1;
      const t = 6 * PI * x1 + (j * PI) / n;
      if (j % 2 === 1) {
        const y = x[j - 1] - a * Math.cos(t);
        s1 += y * y;
        c1++;
      } else {
        const y = x[j - 1] - a * Math.sin(t);
        s2 += y * y;
        c2++;
      }
    }
    f[0] = x1 + (2 * s1) / c1;
    f[1] = 1 - Math.sqrt(x1) + (2 * s2) / c2;
  }, (m) => curve2(linspace(0, 1, m), (t) => 1 - Math.sqrt(t)));
}

/**
 * UF3 (Zhang et al. 2009): x ∈ [0,1]^n, y_j = x_j − x1^{0.5(1 + 3(j−2)/(n−2))},
 * f1 = x1 + (2/|J1|)·(4 Σ_{J1} y_j² − 2 Π_{J1} cos(20 y_j π/√j) + 2),
 * f2 = 1 − √x1 + (2/|J2|)·(4 Σ_{J2} y_j² − 2 Π_{J2} cos(20 y_j π/√j) + 2).
 * PS: x_j = x1^{0.5(1 + 3(j−2)/(n−2))}; PF: f2 = 1 − √f1 (PlatEMO: f1 = linspace(0, 1, N)).
 * @throws RangeError when nVar is not an integer ≥ 3.
 */
export function uf3(nVar = 30): Problem {
  const n = nVar;
  return uf2obj("UF3", n, 0, 1, (x, f) => {
    const x1 = x[0];
    let s1 = 0, s2 = 0, p1 = 1, p2 = 1, c1 = 0, c2 = 0;
    for (let j = 2; j <= n; j++) {
      const y = x[j - 1] - Math.pow(x1, 0.5 * (1 + (3 * (j - 2)) / (n - 2)));
      const c = Math.cos((20 * y * PI) / Math.sqrt(j));
      if (j % 2 === 1) {
        s1 += y * y;
        p1 *= c;
        c1++;
      } else {
        s2 += y * y;
        p2 *= c;
        c2++;
      }
    }
    f[0] = x1 + (2 / c1) * (4 * s1 - 2 * p1 + 2);
    f[1] = 1 - Math.sqrt(x1) + (2 / c2) * (4 * s2 - 2 * p2 + 2);
  }, (m) => curve2(linspace(0, 1, m), (t) => 1 - Math.sqrt(t)));
}

/**
 * UF4 (Zhang et al. 2009): x1 ∈ [0,1], x2..xn ∈ [−2,2], y_j = x_j − sin(6π x1 + jπ/n), h(t) = |t|/(1 + e^{2|t|}),
 * f1 = x1 + (2/|J1|)·Σ_{J1} h(y_j), f2 = 1 − x1² + (2/|J2|)·Σ_{J2} h(y_j).
 * PS: x_j = sin(6π x1 + jπ/n); PF: f2 = 1 − f1² (PlatEMO: f1 = linspace(0, 1, N)).
 * @throws RangeError when nVar is not an integer ≥ 3.
 */
export function uf4(nVar = 30): Problem {
  const n = nVar;
  return uf2obj("UF4", n, -2, 2, (x, f) => {
    const x1 = x[0];
    let s1 = 0, s2 = 0, c1 = 0, c2 = 0;
    for (let j = 2; j <= n; j++) {
      const a = Math.abs(x[j - 1] - Math.sin(6 * PI * x1 + (j * PI) / n));
      const h = a / (1 + Math.exp(2 * a));
      if (j % 2 === 1) {
        s1 += h;
        c1++;
      } else {
        s2 += h;
        c2++;
      }
    }
    f[0] = x1 + (2 * s1) / c1;
    f[1] = 1 - x1 * x1 + (2 * s2) / c2;
  }, (m) => curve2(linspace(0, 1, m), (t) => 1 - t * t));
}

/** N of UF5 (number of Pareto-optimal points is 2N + 1). */
const UF5_N = 10;
/** ε of UF5 and UF6. */
const UF_EPS = 0.1;

/**
 * UF5 (Zhang et al. 2009), with N = 10 and ε = 0.1: x1 ∈ [0,1], x2..xn ∈ [−1,1],
 * y_j = x_j − sin(6π x1 + jπ/n), h(t) = 2t² − cos(4πt) + 1,
 * f1 = x1 + (1/(2N) + ε)|sin(2Nπ x1)| + (2/|J1|)·Σ_{J1} h(y_j),
 * f2 = 1 − x1 + (1/(2N) + ε)|sin(2Nπ x1)| + (2/|J2|)·Σ_{J2} h(y_j).
 * PF: the 2N + 1 points (i/(2N), 1 − i/(2N)), i = 0..2N (PlatEMO returns these 21 points whatever the
 * requested size).
 * @throws RangeError when nVar is not an integer ≥ 3.
 */
export function uf5(nVar = 30): Problem {
  const n = nVar;
  const amp = 1 / (2 * UF5_N) + UF_EPS;
  return uf2obj("UF5", n, -1, 1, (x, f) => {
    const x1 = x[0];
    let s1 = 0, s2 = 0, c1 = 0, c2 = 0;
    for (let j = 2; j <= n; j++) {
      const y = x[j - 1] - Math.sin(6 * PI * x1 + (j * PI) / n);
      const h = 2 * y * y - Math.cos(4 * PI * y) + 1;
      if (j % 2 === 1) {
        s1 += h;
        c1++;
      } else {
        s2 += h;
        c2++;
      }
    }
    const b = amp * Math.abs(Math.sin(2 * UF5_N * PI * x1));
    f[0] = x1 + b + (2 * s1) / c1;
    f[1] = 1 - x1 + b + (2 * s2) / c2;
  }, () => {
    const k = 2 * UF5_N + 1;
    const f1 = new Float64Array(k);
    for (let i = 0; i < k; i++) f1[i] = i / (2 * UF5_N);
    return curve2(f1, (t) => 1 - t);
  });
}

/** N of UF6 (the front has N disconnected segments plus the point (0, 1)). */
const UF6_N = 2;

/**
 * UF6 (Zhang et al. 2009), with N = 2 and ε = 0.1: x1 ∈ [0,1], x2..xn ∈ [−1,1], y_j = x_j − sin(6π x1 + jπ/n),
 * f1 = x1 + max{0, 2(1/(2N) + ε) sin(2Nπ x1)} + (2/|J1|)·(4 Σ_{J1} y_j² − 2 Π_{J1} cos(20 y_j π/√j) + 2),
 * f2 = 1 − x1 + max{0, 2(1/(2N) + ε) sin(2Nπ x1)} + (2/|J2|)·(4 Σ_{J2} y_j² − 2 Π_{J2} cos(20 y_j π/√j) + 2).
 * PF: f2 = 1 − f1 for f1 ∈ {0} ∪ [1/4, 1/2] ∪ [3/4, 1] (PlatEMO: f1 = linspace(0, 1, N), then the points
 * with 0 < f1 < 1/4 or 1/2 < f1 < 3/4 are dropped).
 * @throws RangeError when nVar is not an integer ≥ 3.
 */
export function uf6(nVar = 30): Problem {
  const n = nVar;
  const amp = 2 * (1 / (2 * UF6_N) + UF_EPS);
  return uf2obj("UF6", n, -1, 1, (x, f) => {
    const x1 = x[0];
    let s1 = 0, s2 = 0, p1 = 1, p2 = 1, c1 = 0, c2 = 0;
    for (let j = 2; j <= n; j++) {
      const y = x[j - 1] - Math.sin(6 * PI * x1 + (j * PI) / n);
      const c = Math.cos((20 * y * PI) / Math.sqrt(j));
      if (j % 2 === 1) {
        s1 += y * y;
        p1 *= c;
        c1++;
      } else {
        s2 += y * y;
        p2 *= c;
        c2++;
      }
    }
    const b = Math.max(0, amp * Math.sin(2 * UF6_N * PI * x1));
    f[0] = x1 + b + (2 / c1) * (4 * s1 - 2 * p1 + 2);
    f[1] = 1 - x1 + b + (2 / c2) * (4 * s2 - 2 * p2 + 2);
  }, (m) =>
    filterRows(curve2(linspace(0, 1, m), (t) => 1 - t), (d, o) => {
      const t = d[o];
      return !((t > 0 && t < 1 / 4) || (t > 1 / 2 && t < 3 / 4));
    }));
}

/**
 * UF7 (Zhang et al. 2009): x1 ∈ [0,1], x2..xn ∈ [−1,1], y_j = x_j − sin(6π x1 + jπ/n),
 * f1 = x1^{1/5} + (2/|J1|)·Σ_{J1} y_j², f2 = 1 − x1^{1/5} + (2/|J2|)·Σ_{J2} y_j².
 * PS: x_j = sin(6π x1 + jπ/n); PF: f2 = 1 − f1 (PlatEMO: f1 = linspace(0, 1, N)).
 * @throws RangeError when nVar is not an integer ≥ 3.
 */
export function uf7(nVar = 30): Problem {
  const n = nVar;
  return uf2obj("UF7", n, -1, 1, (x, f) => {
    const x1 = x[0];
    let s1 = 0, s2 = 0, c1 = 0, c2 = 0;
    for (let j = 2; j <= n; j++) {
      const y = x[j - 1] - Math.sin(6 * PI * x1 + (j * PI) / n);
      if (j % 2 === 1) {
        s1 += y * y;
        c1++;
      } else {
        s2 += y * y;
        c2++;
      }
    }
    const r = Math.pow(x1, 0.2);
    f[0] = r + (2 * s1) / c1;
    f[1] = 1 - r + (2 * s2) / c2;
  }, (m) => curve2(linspace(0, 1, m), (t) => 1 - t));
}

/** Three-objective UF: x1, x2 ∈ [0,1], others [−2,2]; needs n ≥ 5 so that J1, J2, J3 are non-empty. */
function uf3obj(
  name: string,
  nVar: number,
  evaluate: (x: Float64Array, f: Float64Array) => void,
  front: (n: number) => Points,
): Problem {
  checkInt(name, "nVar", nVar, 5);
  const { lower, upper } = boxBounds(nVar, 2, 0, 1, -2, 2);
  return makeProblem(name, 3, lower, upper, evaluate, front);
}

/**
 * UF8 (Zhang et al. 2009): x1, x2 ∈ [0,1], x3..xn ∈ [−2,2], y_j = x_j − 2x2 sin(2π x1 + jπ/n),
 * f1 = cos(0.5π x1) cos(0.5π x2) + (2/|J1|)·Σ_{J1} y_j², f2 = cos(0.5π x1) sin(0.5π x2) + (2/|J2|)·Σ_{J2} y_j²,
 * f3 = sin(0.5π x1) + (2/|J3|)·Σ_{J3} y_j².
 * PS: x_j = 2x2 sin(2π x1 + jπ/n); PF: the unit sphere in the positive orthant (PlatEMO: UniformPoint(N, 3)
 * scaled to norm 1).
 * @throws RangeError when nVar is not an integer ≥ 5.
 */
export function uf8(nVar = 30): Problem {
  const n = nVar;
  return uf3obj("UF8", n, (x, f) => {
    const x1 = x[0], x2 = x[1];
    let s1 = 0, s2 = 0, s3 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (let j = 3; j <= n; j++) {
      const y = x[j - 1] - 2 * x2 * Math.sin(2 * PI * x1 + (j * PI) / n);
      const r = j % 3;
      if (r === 1) {
        s1 += y * y;
        c1++;
      } else if (r === 2) {
        s2 += y * y;
        c2++;
      } else {
        s3 += y * y;
        c3++;
      }
    }
    const a = 0.5 * PI * x1, b = 0.5 * PI * x2;
    f[0] = Math.cos(a) * Math.cos(b) + (2 * s1) / c1;
    f[1] = Math.cos(a) * Math.sin(b) + (2 * s2) / c2;
    f[2] = Math.sin(a) + (2 * s3) / c3;
  }, (m) => normaliseRows(simplex3(m)));
}

/** ε of UF9. */
const UF9_EPS = 0.1;

/**
 * UF9 (Zhang et al. 2009), with ε = 0.1: x1, x2 ∈ [0,1], x3..xn ∈ [−2,2], y_j = x_j − 2x2 sin(2π x1 + jπ/n),
 * f1 = 0.5[max{0, (1 + ε)(1 − 4(2x1 − 1)²)} + 2x1]·x2 + (2/|J1|)·Σ_{J1} y_j²,
 * f2 = 0.5[max{0, (1 + ε)(1 − 4(2x1 − 1)²)} − 2x1 + 2]·x2 + (2/|J2|)·Σ_{J2} y_j²,
 * f3 = 1 − x2 + (2/|J3|)·Σ_{J3} y_j².
 * PS: x_j = 2x2 sin(2π x1 + jπ/n) with x1 ∈ [0, 1/4] ∪ [3/4, 1]; PF: two parts of the plane f1 + f2 + f3 = 1
 * (PlatEMO: UniformPoint(N, 3), dropping the points with (1 − f3)/4 < f1 < 3(1 − f3)/4).
 * @throws RangeError when nVar is not an integer ≥ 5.
 */
export function uf9(nVar = 30): Problem {
  const n = nVar;
  return uf3obj("UF9", n, (x, f) => {
    const x1 = x[0], x2 = x[1];
    let s1 = 0, s2 = 0, s3 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (let j = 3; j <= n; j++) {
      const y = x[j - 1] - 2 * x2 * Math.sin(2 * PI * x1 + (j * PI) / n);
      const r = j % 3;
      if (r === 1) {
        s1 += y * y;
        c1++;
      } else if (r === 2) {
        s2 += y * y;
        c2++;
      } else {
        s3 += y * y;
        c3++;
      }
    }
    const u = 2 * x1 - 1;
    const m = Math.max(0, (1 + UF9_EPS) * (1 - 4 * u * u));
    f[0] = 0.5 * (m + 2 * x1) * x2 + (2 * s1) / c1;
    f[1] = 0.5 * (m - 2 * x1 + 2) * x2 + (2 * s2) / c2;
    f[2] = 1 - x2 + (2 * s3) / c3;
  }, (m) =>
    filterRows(simplex3(m), (d, o) => {
      const w = 1 - d[o + 2];
      return !(d[o] > w / 4 && d[o] < (w * 3) / 4);
    }));
}

/**
 * UF10 (Zhang et al. 2009): x1, x2 ∈ [0,1], x3..xn ∈ [−2,2], y_j = x_j − 2x2 sin(2π x1 + jπ/n),
 * h(t) = 4t² − cos(8πt) + 1, f1 = cos(0.5π x1) cos(0.5π x2) + (2/|J1|)·Σ_{J1} h(y_j),
 * f2 = cos(0.5π x1) sin(0.5π x2) + (2/|J2|)·Σ_{J2} h(y_j), f3 = sin(0.5π x1) + (2/|J3|)·Σ_{J3} h(y_j).
 * PS: x_j = 2x2 sin(2π x1 + jπ/n); PF: the unit sphere in the positive orthant (PlatEMO: UniformPoint(N, 3)
 * scaled to norm 1).
 * @throws RangeError when nVar is not an integer ≥ 5.
 */
export function uf10(nVar = 30): Problem {
  const n = nVar;
  return uf3obj("UF10", n, (x, f) => {
    const x1 = x[0], x2 = x[1];
    let s1 = 0, s2 = 0, s3 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (let j = 3; j <= n; j++) {
      const y = x[j - 1] - 2 * x2 * Math.sin(2 * PI * x1 + (j * PI) / n);
      const h = 4 * y * y - Math.cos(8 * PI * y) + 1;
      const r = j % 3;
      if (r === 1) {
        s1 += h;
        c1++;
      } else if (r === 2) {
        s2 += h;
        c2++;
      } else {
        s3 += h;
        c3++;
      }
    }
    const a = 0.5 * PI * x1, b = 0.5 * PI * x2;
    f[0] = Math.cos(a) * Math.cos(b) + (2 * s1) / c1;
    f[1] = Math.cos(a) * Math.sin(b) + (2 * s2) / c2;
    f[2] = Math.sin(a) + (2 * s3) / c3;
  }, (m) => normaliseRows(simplex3(m)));
}
