/**
 * The ZDT test suite: E. Zitzler, K. Deb and L. Thiele, "Comparison of multiobjective evolutionary
 * algorithms: Empirical results", Evolutionary Computation 8(2):173–195, 2000.
 *
 * All are two-objective: f1 = f1(x1), f2 = g(x2..xn)·h(f1, g). Pareto fronts are sampled as PlatEMO's
 * `GetOptimum(N)` does.
 * @module
 */
import type { Problem } from "../core/problem.ts";
import { boxBounds, checkInt, curve2, linspace, makeProblem, nonDominated2Sorted } from "./common.ts";

const PI = Math.PI;

/**
 * ZDT1 (Zitzler, Deb & Thiele 2000, eq. T1): x ∈ [0,1]^n,
 * f1 = x1, g = 1 + 9·Σ_{i≥2} x_i/(n−1), f2 = g·(1 − √(f1/g)).
 * Convex front f2 = 1 − √f1, f1 ∈ [0,1] (PlatEMO: f1 = linspace(0, 1, N)).
 * @throws RangeError when nVar is not an integer ≥ 2.
 */
export function zdt1(nVar = 30): Problem {
  checkInt("ZDT1", "nVar", nVar, 2);
  const { lower, upper } = boxBounds(nVar, 0, 0, 1, 0, 1);
  const c = 9 / (nVar - 1);
  return makeProblem("ZDT1", 2, lower, upper, (x, f) => {
    let s = 0;
    for (let i = 1; i < nVar; i++) s += x[i];
    const g = 1 + c * s;
    f[0] = x[0];
    f[1] = g * (1 - Math.sqrt(x[0] / g));
  }, (n) => curve2(linspace(0, 1, n), (t) => 1 - Math.sqrt(t)));
}

/**
 * ZDT2 (Zitzler, Deb & Thiele 2000, eq. T2): x ∈ [0,1]^n,
 * f1 = x1, g = 1 + 9·Σ_{i≥2} x_i/(n−1), f2 = g·(1 − (f1/g)²).
 * Concave front f2 = 1 − f1², f1 ∈ [0,1] (PlatEMO: f1 = linspace(0, 1, N)).
 * @throws RangeError when nVar is not an integer ≥ 2.
 */
export function zdt2(nVar = 30): Problem {
  checkInt("ZDT2", "nVar", nVar, 2);
  const { lower, upper } = boxBounds(nVar, 0, 0, 1, 0, 1);
  const c = 9 / (nVar - 1);
  return makeProblem("ZDT2", 2, lower, upper, (x, f) => {
    let s = 0;
    for (let i = 1; i < nVar; i++) s += x[i];
    const g = 1 + c * s;
    const r = x[0] / g;
    f[0] = x[0];
    f[1] = g * (1 - r * r);
  }, (n) => curve2(linspace(0, 1, n), (t) => 1 - t * t));
}

/**
 * ZDT3 (Zitzler, Deb & Thiele 2000, eq. T3): x ∈ [0,1]^n,
 * f1 = x1, g = 1 + 9·Σ_{i≥2} x_i/(n−1), f2 = g·(1 − √(f1/g) − (f1/g)·sin(10π f1)).
 * Disconnected front: the non-dominated part of f2 = 1 − √f1 − f1·sin(10π f1) (PlatEMO: f1 = linspace(0, 1, N),
 * then only the first non-dominated front is kept, so fewer than N points are returned).
 * @throws RangeError when nVar is not an integer ≥ 2.
 */
export function zdt3(nVar = 30): Problem {
  checkInt("ZDT3", "nVar", nVar, 2);
  const { lower, upper } = boxBounds(nVar, 0, 0, 1, 0, 1);
  const c = 9 / (nVar - 1);
  return makeProblem("ZDT3", 2, lower, upper, (x, f) => {
    let s = 0;
    for (let i = 1; i < nVar; i++) s += x[i];
    const g = 1 + c * s;
    const r = x[0] / g;
    f[0] = x[0];
    f[1] = g * (1 - Math.sqrt(r) - r * Math.sin(10 * PI * x[0]));
  }, (n) =>
    nonDominated2Sorted(
      curve2(linspace(0, 1, n), (t) => 1 - Math.sqrt(t) - t * Math.sin(10 * PI * t)),
    ));
}

/**
 * ZDT4 (Zitzler, Deb & Thiele 2000, eq. T4): x1 ∈ [0,1], x2..xn ∈ [−5,5],
 * f1 = x1, g = 1 + 10(n−1) + Σ_{i≥2} (x_i² − 10·cos(4π x_i)), f2 = g·(1 − √(f1/g)).
 * Multimodal (21^9 local fronts for n = 10); front f2 = 1 − √f1 at x2..xn = 0 (PlatEMO: f1 = linspace(0, 1, N)).
 * @throws RangeError when nVar is not an integer ≥ 2.
 */
export function zdt4(nVar = 10): Problem {
  checkInt("ZDT4", "nVar", nVar, 2);
  const { lower, upper } = boxBounds(nVar, 1, 0, 1, -5, 5);
  const g0 = 1 + 10 * (nVar - 1);
  return makeProblem("ZDT4", 2, lower, upper, (x, f) => {
    let s = 0;
    for (let i = 1; i < nVar; i++) {
      const v = x[i];
      s += v * v - 10 * Math.cos(4 * PI * v);
    }
    const g = g0 + s;
    f[0] = x[0];
    f[1] = g * (1 - Math.sqrt(x[0] / g));
  }, (n) => curve2(linspace(0, 1, n), (t) => 1 - Math.sqrt(t)));
}

/**
 * The smallest f1 on the ZDT6 front, exactly as PlatEMO's ZDT6 `GetOptimum` writes it (the true minimum of
 * 1 − exp(−4x)·sin⁶(6πx) is 0.2807753191…).
 */
export const ZDT6_MIN_F1 = 0.280775;

/**
 * ZDT6 (Zitzler, Deb & Thiele 2000, eq. T6): x ∈ [0,1]^n,
 * f1 = 1 − exp(−4x1)·sin⁶(6π x1), g = 1 + 9·(Σ_{i≥2} x_i/(n−1))^0.25, f2 = g·(1 − (f1/g)²).
 * Non-uniform concave front f2 = 1 − f1², f1 ∈ [0.280775, 1] (PlatEMO: f1 = linspace(0.280775, 1, N)).
 * @throws RangeError when nVar is not an integer ≥ 2.
 */
export function zdt6(nVar = 10): Problem {
  checkInt("ZDT6", "nVar", nVar, 2);
  const { lower, upper } = boxBounds(nVar, 0, 0, 1, 0, 1);
  return makeProblem("ZDT6", 2, lower, upper, (x, f) => {
    let s = 0;
    for (let i = 1; i < nVar; i++) s += x[i];
    const g = 1 + 9 * Math.pow(s / (nVar - 1), 0.25);
    const f1 = 1 - Math.exp(-4 * x[0]) * Math.pow(Math.sin(6 * PI * x[0]), 6);
    const r = f1 / g;
    f[0] = f1;
    f[1] = g * (1 - r * r);
  }, (n) => curve2(linspace(ZDT6_MIN_F1, 1, n), (t) => 1 - t * t));
}
