import assert from "node:assert/strict";
import type { Problem } from "../lib/core/problem.ts";
import type { Points } from "../lib/core/points.ts";
import {
  DEFAULT_FRONT_SIZE,
  dtlz1,
  dtlz2,
  dtlz3,
  dtlz4,
  dtlz5,
  dtlz6,
  dtlz7,
  getProblem,
  nChooseK,
  problems,
  simplexLattice,
  uf1,
  uf10,
  uf2,
  uf3,
  uf4,
  uf5,
  uf6,
  uf7,
  uf8,
  uf9,
  zdt1,
  zdt2,
  zdt3,
  zdt4,
  zdt6,
} from "../lib/problems/mod.ts";

const TOL = 1e-12;
const PI = Math.PI;

function evalAt(p: Problem, x: ArrayLike<number>): Float64Array {
  const f = new Float64Array(p.nObj);
  p.evaluate(Float64Array.from(x), f, new Float64Array(p.nConstr));
  return f;
}

function close(actual: number, expected: number, tol = TOL, what = ""): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: got ${actual}, expected ${expected}`,
  );
}

function row(p: Points, i: number): Float64Array {
  return p.data.subarray(i * p.m, (i + 1) * p.m);
}

/** Asserts that no point of `p` dominates another (O(n²)). */
function assertMutuallyNonDominated(p: Points, what: string): void {
  const { data, n, m } = p;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (a === b) continue;
      let better = false, worse = false;
      for (let j = 0; j < m; j++) {
        const d = data[a * m + j] - data[b * m + j];
        if (d < 0) better = true;
        else if (d > 0) worse = true;
      }
      assert.ok(!(better && !worse), `${what}: point ${a} dominates point ${b}`);
    }
  }
}

function assertShape(p: Points, n: number, m: number, what: string): void {
  assert.equal(p.m, m, `${what}: m`);
  assert.equal(p.n, n, `${what}: n`);
  assert.equal(p.data.length, n * m, `${what}: data length`);
  for (const v of p.data) assert.ok(Number.isFinite(v), `${what}: non-finite value`);
}

/** Deterministic sample values in [0, 1] including the ends. */
const T = [0, 0.013, 0.1, 0.2, 0.25, 0.31, 0.37, 0.5, 0.62, 0.75, 0.8, 0.93, 1];

// ---------------------------------------------------------------- simplexLattice

Deno.test("nChooseK", () => {
  assert.equal(nChooseK(5, 2), 10);
  assert.equal(nChooseK(14, 2), 91);
  assert.equal(nChooseK(12, 9), 220);
  assert.equal(nChooseK(52, 5), 2598960);
  assert.equal(nChooseK(7, 0), 1);
  assert.equal(nChooseK(3, 5), 0);
  assert.throws(() => nChooseK(2.5, 1), RangeError);
});

Deno.test("simplexLattice { points }: PlatEMO counts and the simplex", () => {
  const cases: [number, number, number][] = [
    [91, 3, 91], // H1 = 12
    [100, 3, 91],
    [10000, 3, 9870], // H1 = 139
    [275, 10, 275], // H1 = 3 (220) + H2 = 2 (55)
    [105, 5, 105], // H1 = 4 (70) + H2 = 3 (35)
    [100, 2, 100],
    [2, 3, 3], // H1 is at least 1
  ];
  for (const [N, M, expected] of cases) {
    const w = simplexLattice(M, { points: N });
    assertShape(w, expected, M, `simplexLattice(${M}, { points: ${N} })`);
    const seen = new Set<string>();
    for (let i = 0; i < w.n; i++) {
      const r = row(w, i);
      let s = 0;
      for (const v of r) {
        assert.ok(v >= 0, "non-negative");
        s += v;
      }
      close(s, 1, 1e-12, `simplexLattice(${M}, { points: ${N} }) row ${i} sum`);
      const key = Array.from(r, (v) => v.toFixed(9)).join(",");
      assert.ok(!seen.has(key), `duplicate row ${key}`);
      seen.add(key);
    }
  }
  // The first row is (0, …, 0, 1), as PlatEMO's nchoosek ordering gives.
  assert.deepEqual(Array.from(row(simplexLattice(3, { points: 91 }), 0)), [0, 0, 1]);
  // The inner layer of (275, 10): H2 = 2 shrunk by 1/2 and shifted by 1/20, so its coordinates lie in
  // [0.05, 0.55].
  const w = simplexLattice(10, { points: 275 });
  for (let i = 220; i < 275; i++) {
    for (const v of row(w, i)) assert.ok(v >= 0.05 - 1e-15 && v <= 0.55 + 1e-15);
  }
  assert.ok(row(w, 220).some((v) => Math.abs(v - 0.55) < 1e-15));
});

/** PlatEMO's lattice by its own recipe: nchoosek(1:H+M−1, M−1) in lexicographic order, minus 0:M−2 and 1, diff. */
function platemoLattice(M: number, H: number): number[][] {
  const rows: number[][] = [];
  const c: number[] = [];
  const visit = (from: number) => {
    if (c.length === M - 1) {
      const s = c.map((v, j) => v - j - 1);
      const ext = [0, ...s, H];
      rows.push(ext.slice(1).map((v, j) => (v - ext[j]) / H));
      return;
    }
    for (let v = from; v <= H + M - 1; v++) {
      c.push(v);
      visit(v + 1);
      c.pop();
    }
  };
  visit(1);
  return rows;
}

Deno.test("simplexLattice { divisions }: PlatEMO's recipe row for row, and the two layers", () => {
  for (const [M, H] of [[2, 7], [3, 12], [4, 5], [5, 3], [8, 2], [3, 1]]) {
    const w = simplexLattice(M, { divisions: H });
    const expected = platemoLattice(M, H);
    assert.equal(w.n, expected.length);
    assert.equal(w.n, nChooseK(H + M - 1, M - 1));
    assert.deepEqual(Array.from(w.data), expected.flat(), `M = ${M}, H = ${H}`);
  }
  // { divisions: H } is the { points } lattice that H fills
  assert.deepEqual(simplexLattice(3, { divisions: 12 }).data, simplexLattice(3, { points: 91 }).data);
  assert.deepEqual(simplexLattice(2, { divisions: 99 }).data, simplexLattice(2, { points: 100 }).data);
  // two layers: [3, 2] for 8 objectives is what 156 points give, the inner layer halved towards 1/8
  const two = simplexLattice(8, { divisions: [3, 2] });
  assert.equal(two.n, 120 + 36);
  assert.deepEqual(two.data, simplexLattice(8, { points: 156 }).data);
  const inner = platemoLattice(8, 2).flat().map((v) => v * 0.5 + 1 / 16);
  assert.deepEqual(Array.from(two.data.subarray(120 * 8)), inner);
  assert.deepEqual(simplexLattice(10, { points: 275 }).data, simplexLattice(10, { divisions: [3, 2] }).data);
  // the minValue floor applies to both forms
  assert.equal(Math.min(...simplexLattice(3, { divisions: 4, minValue: 1e-6 }).data), 1e-6);
});

Deno.test("simplexLattice: minValue floor and bad arguments", () => {
  const w = simplexLattice(3, { points: 91, minValue: 1e-6 });
  assert.equal(Math.min(...w.data), 1e-6);
  assert.throws(() => simplexLattice(3, { points: 0 }), /points must be a positive integer, got 0/);
  assert.throws(() => simplexLattice(3, { points: 10.5 }), /points must be a positive integer/);
  assert.throws(
    () => simplexLattice(1, { points: 10 }),
    /number of objectives must be an integer ≥ 2, got 1/,
  );
  assert.throws(() => simplexLattice(3, { points: 10, minValue: NaN }), /minValue must be finite/);
  assert.throws(() => simplexLattice(3, {}), /exactly one of points and divisions/);
  assert.throws(() => simplexLattice(3, { points: 10, divisions: 2 }), /exactly one of points and divisions/);
  assert.throws(() => simplexLattice(3, { divisions: 0 }), /divisions must be a positive integer H or two/);
  assert.throws(
    () => simplexLattice(3, { divisions: [2, 1.5] as unknown as [number, number] }),
    /divisions must be .* got \[2,1.5\]/,
  );
  assert.throws(() => simplexLattice(10, { divisions: 40 }), /would give \d+ points \(at most 10000000\)/);
});

// ---------------------------------------------------------------- ZDT

Deno.test("ZDT: known values", () => {
  const z = new Array(30).fill(0);
  assert.deepEqual(Array.from(evalAt(zdt1(), z)), [0, 1]);
  assert.deepEqual(Array.from(evalAt(zdt2(), z)), [0, 1]);
  assert.deepEqual(Array.from(evalAt(zdt3(), z)), [0, 1]);
  assert.deepEqual(Array.from(evalAt(zdt4(), new Array(10).fill(0))), [0, 1]);
  assert.deepEqual(Array.from(evalAt(zdt6(), new Array(10).fill(0))), [1, 0]);
  // All ones: g = 10.
  const one = new Array(30).fill(1);
  let f = evalAt(zdt1(), one);
  close(f[0], 1);
  close(f[1], 10 * (1 - Math.sqrt(0.1)));
  f = evalAt(zdt2(), one);
  close(f[1], 10 * (1 - 0.01));
  f = evalAt(zdt3(), one);
  close(f[1], 10 * (1 - Math.sqrt(0.1) - 0.1 * Math.sin(10 * PI)));
  // ZDT4 at x = (0.5, 1, …, 1): g = 1 + 90 + 9·(1 − 10) = 10.
  f = evalAt(zdt4(), [0.5, ...new Array(9).fill(1)]);
  close(f[1], 10 * (1 - Math.sqrt(0.05)));
  // ZDT6 at ones: g = 10, f1 = 1 − e^{−4}·sin⁶(6π) ≈ 1.
  f = evalAt(zdt6(), new Array(10).fill(1));
  const f1 = 1 - Math.exp(-4) * Math.sin(6 * PI) ** 6;
  close(f[0], f1);
  close(f[1], 10 * (1 - (f1 / 10) ** 2));
});

Deno.test("ZDT: Pareto-optimal solutions lie on the analytic front", () => {
  const fronts: [Problem, (x: number) => [number, number]][] = [
    [zdt1(), (t) => [t, 1 - Math.sqrt(t)]],
    [zdt2(), (t) => [t, 1 - t * t]],
    [zdt3(), (t) => [t, 1 - Math.sqrt(t) - t * Math.sin(10 * PI * t)]],
    [zdt4(), (t) => [t, 1 - Math.sqrt(t)]],
    [zdt1(7), (t) => [t, 1 - Math.sqrt(t)]],
  ];
  for (const [p, pf] of fronts) {
    for (const t of T) {
      const x = new Array(p.nVar).fill(0);
      x[0] = t;
      const f = evalAt(p, x);
      const [e1, e2] = pf(t);
      close(f[0], e1, TOL, `${p.name} f1 at ${t}`);
      close(f[1], e2, TOL, `${p.name} f2 at ${t}`);
    }
  }
  const p = zdt6();
  for (const t of T) {
    const f = evalAt(p, [t, ...new Array(9).fill(0)]);
    close(f[1], 1 - f[0] * f[0], TOL, `ZDT6 at ${t}`);
    assert.ok(f[0] >= 0.2807753 && f[0] <= 1);
  }
});

Deno.test("ZDT: fronts as PlatEMO samples them", () => {
  const check = (p: Problem, n: number, h: (t: number) => number, lo: number) => {
    const fr = p.paretoFront!(n);
    assertShape(fr, n, 2, p.name);
    close(fr.data[0], lo, 0, `${p.name} first f1`);
    close(fr.data[2 * n - 2], 1, 0, `${p.name} last f1`);
    for (let i = 0; i < n; i++) close(fr.data[2 * i + 1], h(fr.data[2 * i]), TOL, `${p.name} point ${i}`);
    assertMutuallyNonDominated(fr, p.name);
  };
  check(zdt1(), 500, (t) => 1 - Math.sqrt(t), 0);
  check(zdt2(), 500, (t) => 1 - t * t, 0);
  check(zdt4(), 500, (t) => 1 - Math.sqrt(t), 0);
  check(zdt6(), 500, (t) => 1 - t * t, 0.280775);
  assert.equal(zdt1().paretoFront!().n, DEFAULT_FRONT_SIZE);
  close(zdt1().paretoFront!(11).data[2], 0.1, 0);

  // ZDT3: the non-dominated part of linspace(0, 1, N); five disconnected pieces.
  const fr = zdt3().paretoFront!();
  assert.equal(fr.m, 2);
  assert.ok(fr.n > 2000 && fr.n < DEFAULT_FRONT_SIZE);
  for (let i = 0; i < fr.n; i++) {
    const t = fr.data[2 * i];
    close(fr.data[2 * i + 1], 1 - Math.sqrt(t) - t * Math.sin(10 * PI * t), TOL);
    // every kept f1 is a linspace(0, 1, 10000) value
    close(t * 9999, Math.round(t * 9999), 1e-9);
  }
  assertMutuallyNonDominated(fr, "ZDT3");
  let pieces = 1;
  for (let i = 1; i < fr.n; i++) if (fr.data[2 * i] - fr.data[2 * i - 2] > 0.01) pieces++;
  assert.equal(pieces, 5);
  close(fr.data[2 * fr.n - 2], 0.8518, 2e-4, "ZDT3 largest f1");
});

Deno.test("ZDT: bounds, defaults and bad arguments", () => {
  assert.equal(zdt1().nVar, 30);
  assert.equal(zdt2().nVar, 30);
  assert.equal(zdt3().nVar, 30);
  assert.equal(zdt4().nVar, 10);
  assert.equal(zdt6().nVar, 10);
  const p = zdt4();
  assert.deepEqual([p.lower[0], p.upper[0], p.lower[1], p.upper[1], p.lower[9], p.upper[9]], [
    0,
    1,
    -5,
    5,
    -5,
    5,
  ]);
  assert.deepEqual([zdt1().lower[5], zdt1().upper[5]], [0, 1]);
  assert.equal(p.nObj, 2);
  assert.equal(p.nConstr, 0);
  assert.throws(() => zdt1(1), /ZDT1: nVar/);
  assert.throws(() => zdt4(2.5), /ZDT4: nVar/);
  assert.throws(() => zdt6(0), RangeError);
  assert.throws(() => zdt1().paretoFront!(0), /ZDT1: paretoFront n/);
});

// ---------------------------------------------------------------- UF

/** Reference UF objectives written from the report with explicit index sets (1-based j). */
function ufReference(name: string, x: number[]): number[] {
  const n = x.length;
  const X = (j: number) => x[j - 1];
  const range = (from: number, step: number) => {
    const r: number[] = [];
    for (let j = from; j <= n; j += step) r.push(j);
    return r;
  };
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const x1 = X(1), x2 = X(2);
  const ySin = (j: number) => X(j) - Math.sin(6 * PI * x1 + (j * PI) / n);
  const J1 = range(3, 2), J2 = range(2, 2);
  const uf36 = (J: number[], y: (j: number) => number) =>
    (2 / J.length) *
    (4 * J.reduce((s, j) => s + y(j) ** 2, 0) -
      2 * J.reduce((p, j) => p * Math.cos((20 * y(j) * PI) / Math.sqrt(j)), 1) + 2);
  switch (name) {
    case "UF1":
      return [
        x1 + 2 * mean(J1.map((j) => ySin(j) ** 2)),
        1 - Math.sqrt(x1) + 2 * mean(J2.map((j) => ySin(j) ** 2)),
      ];
    case "UF2": {
      const a = (j: number) => 0.3 * x1 * x1 * Math.cos(24 * PI * x1 + (4 * j * PI) / n) + 0.6 * x1;
      const y1 = (j: number) => X(j) - a(j) * Math.cos(6 * PI * x1 + (j * PI) / n);
      const y2 = (j: number) => X(j) - a(j) * Math.sin(6 * PI * x1 + (j * PI) / n);
      return [
        x1 + 2 * mean(J1.map((j) => y1(j) ** 2)),
        1 - Math.sqrt(x1) + 2 * mean(J2.map((j) => y2(j) ** 2)),
      ];
    }
    case "UF3": {
      const y = (j: number) => X(j) - x1 ** (0.5 * (1 + (3 * (j - 2)) / (n - 2)));
      return [x1 + uf36(J1, y), 1 - Math.sqrt(x1) + uf36(J2, y)];
    }
    case "UF4": {
      const h = (t: number) => Math.abs(t) / (1 + Math.exp(2 * Math.abs(t)));
      return [x1 + 2 * mean(J1.map((j) => h(ySin(j)))), 1 - x1 * x1 + 2 * mean(J2.map((j) => h(ySin(j))))];
    }
    case "UF5": {
      const h = (t: number) => 2 * t * t - Math.cos(4 * PI * t) + 1;
      const b = (1 / 20 + 0.1) * Math.abs(Math.sin(20 * PI * x1));
      return [x1 + b + 2 * mean(J1.map((j) => h(ySin(j)))), 1 - x1 + b + 2 * mean(J2.map((j) => h(ySin(j))))];
    }
    case "UF6": {
      const b = Math.max(0, 2 * (1 / 4 + 0.1) * Math.sin(4 * PI * x1));
      return [x1 + b + uf36(J1, ySin), 1 - x1 + b + uf36(J2, ySin)];
    }
    case "UF7":
      return [
        x1 ** 0.2 + 2 * mean(J1.map((j) => ySin(j) ** 2)),
        1 - x1 ** 0.2 + 2 * mean(J2.map((j) => ySin(j) ** 2)),
      ];
  }
  const K1 = range(4, 3), K2 = range(5, 3), K3 = range(3, 3);
  const y = (j: number) => X(j) - 2 * x2 * Math.sin(2 * PI * x1 + (j * PI) / n);
  const h = name === "UF10" ? (t: number) => 4 * t * t - Math.cos(8 * PI * t) + 1 : (t: number) => t * t;
  const g = (J: number[]) => 2 * mean(J.map((j) => h(y(j))));
  if (name === "UF9") {
    const m = Math.max(0, 1.1 * (1 - 4 * (2 * x1 - 1) ** 2));
    return [0.5 * (m + 2 * x1) * x2 + g(K1), 0.5 * (m - 2 * x1 + 2) * x2 + g(K2), 1 - x2 + g(K3)];
  }
  return [
    Math.cos(0.5 * PI * x1) * Math.cos(0.5 * PI * x2) + g(K1),
    Math.cos(0.5 * PI * x1) * Math.sin(0.5 * PI * x2) + g(K2),
    Math.sin(0.5 * PI * x1) + g(K3),
  ];
}

/** A small deterministic generator for test points. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const UFS = [uf1, uf2, uf3, uf4, uf5, uf6, uf7, uf8, uf9, uf10];

Deno.test("UF: objectives match the report's formulas at random points", () => {
  const rand = lcg(7);
  for (const make of UFS) {
    for (const nVar of [30, 10, 5]) {
      const p = make(nVar);
      for (let r = 0; r < 20; r++) {
        const x = Array.from({ length: nVar }, (_, i) => p.lower[i] + rand() * (p.upper[i] - p.lower[i]));
        const f = evalAt(p, x);
        const e = ufReference(p.name, x);
        assert.equal(f.length, e.length);
        for (let j = 0; j < e.length; j++) close(f[j], e[j], 1e-12, `${p.name} (n=${nVar}) f${j + 1}`);
      }
    }
  }
});

/** The Pareto set of the report: x_j for j ≥ 2 (two-objective) or j ≥ 3 (three-objective), 1-based. */
function ufParetoSolution(name: string, n: number, x1: number, x2 = 0): number[] {
  const x = new Array(n).fill(0);
  x[0] = x1;
  if (["UF8", "UF9", "UF10"].includes(name)) {
    x[1] = x2;
    for (let j = 3; j <= n; j++) x[j - 1] = 2 * x2 * Math.sin(2 * PI * x1 + (j * PI) / n);
    return x;
  }
  for (let j = 2; j <= n; j++) {
    const t = 6 * PI * x1 + (j * PI) / n;
    if (name === "UF2") {
      const a = 0.3 * x1 * x1 * Math.cos(24 * PI * x1 + (4 * j * PI) / n) + 0.6 * x1;
      x[j - 1] = a * (j % 2 === 1 ? Math.cos(t) : Math.sin(t));
    } else if (name === "UF3") {
      x[j - 1] = x1 ** (0.5 * (1 + (3 * (j - 2)) / (n - 2)));
    } else {
      x[j - 1] = Math.sin(t);
    }
  }
  return x;
}

Deno.test("UF: Pareto-optimal solutions lie on the analytic front", () => {
  const two: [Problem, (t: number) => number, number[]][] = [
    [uf1(), (t) => 1 - Math.sqrt(t), T],
    [uf2(), (t) => 1 - Math.sqrt(t), T],
    [uf3(), (t) => 1 - Math.sqrt(t), T],
    [uf4(), (t) => 1 - t * t, T],
    [uf5(), (t) => 1 - t, Array.from({ length: 21 }, (_, i) => i / 20)],
    [uf6(), (t) => 1 - t, [0, 0.25, 0.3, 0.41, 0.5, 0.75, 0.8, 0.99, 1]],
    [uf7(), (t) => 1 - t, T],
    [uf1(3), (t) => 1 - Math.sqrt(t), T],
  ];
  for (const [p, h, xs] of two) {
    for (const x1 of xs) {
      const x = ufParetoSolution(p.name, p.nVar, x1);
      for (let i = 0; i < p.nVar; i++) {
        assert.ok(x[i] >= p.lower[i] && x[i] <= p.upper[i], "PS inside bounds");
      }
      const f = evalAt(p, x);
      const f1 = p.name === "UF7" ? x1 ** 0.2 : x1;
      close(f[0], f1, TOL, `${p.name} f1 at x1=${x1}`);
      close(f[1], h(f[0]), TOL, `${p.name} f2 at x1=${x1}`);
    }
  }
  for (const make of [uf8, uf9, uf10]) {
    const p = make();
    for (const x1 of T) {
      for (const x2 of T) {
        if (p.name === "UF9" && x1 > 0.25 && x1 < 0.75) continue;
        const x = ufParetoSolution(p.name, p.nVar, x1, x2);
        for (let i = 0; i < p.nVar; i++) assert.ok(x[i] >= p.lower[i] && x[i] <= p.upper[i]);
        const f = evalAt(p, x);
        if (p.name === "UF9") {
          close(f[0] + f[1] + f[2], 1, TOL, `UF9 plane at (${x1}, ${x2})`);
          close(f[0], x1 * x2, TOL, "UF9 f1");
          close(f[2], 1 - x2, TOL, "UF9 f3");
        } else {
          close(f[0] ** 2 + f[1] ** 2 + f[2] ** 2, 1, TOL, `${p.name} sphere at (${x1}, ${x2})`);
          close(f[2], Math.sin(0.5 * PI * x1), TOL);
        }
      }
    }
  }
});

Deno.test("UF: fronts as PlatEMO samples them", () => {
  const two: [Problem, (t: number) => number][] = [
    [uf1(), (t) => 1 - Math.sqrt(t)],
    [uf2(), (t) => 1 - Math.sqrt(t)],
    [uf3(), (t) => 1 - Math.sqrt(t)],
    [uf4(), (t) => 1 - t * t],
    [uf7(), (t) => 1 - t],
  ];
  for (const [p, h] of two) {
    const fr = p.paretoFront!(400);
    assertShape(fr, 400, 2, p.name);
    for (let i = 0; i < fr.n; i++) {
      close(fr.data[2 * i], i / 399, 1e-15);
      close(fr.data[2 * i + 1], h(fr.data[2 * i]), TOL);
    }
    assertMutuallyNonDominated(fr, p.name);
    assert.equal(p.paretoFront!().n, DEFAULT_FRONT_SIZE);
  }
  // UF5: the 21 points whatever the requested size.
  for (const n of [undefined, 5, 10000]) {
    const fr = uf5().paretoFront!(n);
    assertShape(fr, 21, 2, "UF5");
    for (let i = 0; i < 21; i++) {
      close(fr.data[2 * i], i / 20, 1e-15);
      close(fr.data[2 * i + 1], 1 - i / 20, 1e-15);
    }
  }
  // UF6: linspace(0, 1, N) without (0, 1/4) and (1/2, 3/4).
  const f6 = uf6().paretoFront!(101);
  const kept = Array.from({ length: 101 }, (_, i) => i / 100).filter((t) =>
    !((t > 0 && t < 0.25) || (t > 0.5 && t < 0.75))
  );
  assertShape(f6, kept.length, 2, "UF6");
  for (let i = 0; i < f6.n; i++) {
    close(f6.data[2 * i], kept[i], 1e-15);
    close(f6.data[2 * i + 1], 1 - kept[i], 1e-15);
  }
  assertMutuallyNonDominated(f6, "UF6");
  // UF8, UF10: UniformPoint(N, 3) on the unit sphere.
  for (const p of [uf8(), uf10()]) {
    const fr = p.paretoFront!(300);
    assertShape(fr, simplexLattice(3, { points: 300 }).n, 3, p.name);
    for (let i = 0; i < fr.n; i++) {
      const r = row(fr, i);
      close(r[0] ** 2 + r[1] ** 2 + r[2] ** 2, 1, TOL);
      assert.ok(r[0] > 0 && r[1] > 0 && r[2] > 0);
    }
    assertMutuallyNonDominated(fr, p.name);
    assert.equal(p.paretoFront!().n, 9870);
  }
  // UF9: the simplex without (1 − f3)/4 < f1 < 3(1 − f3)/4.
  const f9 = uf9().paretoFront!(300);
  assert.equal(f9.m, 3);
  let expected = 0;
  const w = simplexLattice(3, { points: 300, minValue: 1e-6 });
  for (let i = 0; i < w.n; i++) {
    const r = row(w, i);
    if (!(r[0] > (1 - r[2]) / 4 && r[0] < ((1 - r[2]) * 3) / 4)) expected++;
  }
  assert.equal(f9.n, expected);
  assert.ok(f9.n > 0 && f9.n < w.n);
  for (let i = 0; i < f9.n; i++) {
    const r = row(f9, i);
    close(r[0] + r[1] + r[2], 1, 1e-5);
    const s = 1 - r[2];
    assert.ok(r[0] <= s / 4 + 1e-12 || r[0] >= (3 * s) / 4 - 1e-12);
  }
  assertMutuallyNonDominated(f9, "UF9");
});

Deno.test("UF: bounds, defaults and bad arguments", () => {
  const expectBounds = (p: Problem, b: [number, number][]) => {
    for (let i = 0; i < p.nVar; i++) {
      const [lo, hi] = b[Math.min(i, b.length - 1)];
      assert.equal(p.lower[i], lo, `${p.name} lower[${i}]`);
      assert.equal(p.upper[i], hi, `${p.name} upper[${i}]`);
    }
  };
  for (const make of [uf1, uf2, uf5, uf6, uf7]) expectBounds(make(), [[0, 1], [-1, 1]]);
  expectBounds(uf3(), [[0, 1]]);
  expectBounds(uf4(), [[0, 1], [-2, 2]]);
  for (const make of [uf8, uf9, uf10]) {
    const p = make();
    expectBounds(p, [[0, 1], [0, 1], [-2, 2]]);
    assert.equal(p.nObj, 3);
  }
  for (const make of UFS) {
    const p = make();
    assert.equal(p.nVar, 30);
    assert.equal(p.nConstr, 0);
  }
  assert.throws(() => uf1(2), /UF1: nVar must be an integer ≥ 3/);
  assert.throws(() => uf3(2), /UF3: nVar/);
  assert.throws(() => uf8(4), /UF8: nVar must be an integer ≥ 5/);
  assert.throws(() => uf10(NaN), /UF10: nVar/);
  assert.throws(() => uf9().paretoFront!(-1), /UF9: paretoFront n/);
});

// ---------------------------------------------------------------- DTLZ

Deno.test("DTLZ: known values", () => {
  // DTLZ1 at x = 0.5 everywhere: g = 0, f = ½·(¼, ¼, ½).
  let f = evalAt(dtlz1(), new Array(7).fill(0.5));
  assert.deepEqual(Array.from(f), [0.125, 0.125, 0.25]);
  // DTLZ1 at zeros: g = 100·(5 + 5·(0.25 − cos(10π))) = 125, f = (0, 0, ½·126).
  f = evalAt(dtlz1(), new Array(7).fill(0));
  close(f[0], 0);
  close(f[1], 0);
  close(f[2], 63);
  // DTLZ2 at zeros: g = 10·0.25, f = (3.5, 0, 0).
  f = evalAt(dtlz2(), new Array(12).fill(0));
  close(f[0], 3.5);
  close(f[1], 0);
  close(f[2], 0);
  // DTLZ3 at zeros: g = 100·(10 + 10·(0.25 − 1)) = 250.
  f = evalAt(dtlz3(), new Array(12).fill(0));
  close(f[0], 251);
  // DTLZ4 at x1 = 0.5: 0.5^100 ≈ 0 so f1 ≈ 1 on the front.
  f = evalAt(dtlz4(), [0.5, 0.5, ...new Array(10).fill(0.5)]);
  close(f[0], Math.cos((PI / 2) * 0.5 ** 100) ** 2);
  // DTLZ6 at ones: g = 10, θ2 = π/44·21.
  f = evalAt(dtlz6(), new Array(12).fill(1));
  const th2 = (PI / (4 * 11)) * 21;
  close(f[0], 11 * Math.cos(PI / 2) * Math.cos(th2), 1e-12);
  close(f[1], 11 * Math.cos(PI / 2) * Math.sin(th2), 1e-12);
  close(f[2], 11);
  // DTLZ7 at zeros: f = (0, 0, 2·3).
  assert.deepEqual(Array.from(evalAt(dtlz7(), new Array(22).fill(0))), [0, 0, 6]);
  // DTLZ7 at ones: g = 10, f3 = 11·(3 − 2·(1/11)·(1 + sin 3π)).
  f = evalAt(dtlz7(), new Array(22).fill(1));
  close(f[2], 11 * (3 - (2 / 11) * (1 + Math.sin(3 * PI))));
});

Deno.test("DTLZ: Pareto-optimal solutions lie on the analytic front", () => {
  const rand = lcg(11);
  for (const m of [2, 3, 5, 8]) {
    for (let r = 0; r < 30; r++) {
      const pos = Array.from({ length: m - 1 }, () => rand());
      const opt = (p: Problem, v: number) => [...pos, ...new Array(p.nVar - m + 1).fill(v)];
      let p = dtlz1(m);
      let f = evalAt(p, opt(p, 0.5));
      close(f.reduce((s, v) => s + v, 0), 0.5, TOL, `DTLZ1 M=${m}`);
      for (const make of [dtlz2, dtlz3, dtlz4]) {
        p = make(m);
        f = evalAt(p, opt(p, 0.5));
        close(f.reduce((s, v) => s + v * v, 0), 1, TOL, `${p.name} M=${m}`);
      }
      for (const [make, v] of [[dtlz5, 0.5], [dtlz6, 0]] as const) {
        p = make(m);
        f = evalAt(p, opt(p, v));
        close(f.reduce((s, u) => s + u * u, 0), 1, TOL, `${p.name} M=${m}`);
        if (m > 2) close(f[0], f[1], TOL, `${p.name} degenerate f1 = f2`);
        // θ_i = π/4 for i ≥ 2: successive objectives grow by √2 from f2 to f_{M-1}.
        for (let j = 2; j < m - 1; j++) close(f[j], f[j - 1] * Math.SQRT2, TOL, `${p.name} ratio`);
      }
      p = dtlz7(m);
      f = evalAt(p, opt(p, 0));
      let h = m;
      for (let i = 0; i < m - 1; i++) {
        close(f[i], pos[i], 0);
        h -= (pos[i] / 2) * (1 + Math.sin(3 * PI * pos[i]));
      }
      close(f[m - 1], 2 * h, TOL, `DTLZ7 M=${m}`);
    }
  }
});

Deno.test("DTLZ: fronts as PlatEMO samples them", () => {
  for (const m of [2, 3, 5]) {
    const w = simplexLattice(m, { points: 200 }).n;
    const f1 = dtlz1(m).paretoFront!(200);
    assertShape(f1, w, m, `DTLZ1 M=${m}`);
    for (let i = 0; i < f1.n; i++) close(row(f1, i).reduce((s, v) => s + v, 0), 0.5, 1e-5);
    assertMutuallyNonDominated(f1, "DTLZ1");
    for (const make of [dtlz2, dtlz3, dtlz4]) {
      const fr = make(m).paretoFront!(200);
      assertShape(fr, w, m, `DTLZ2-4 M=${m}`);
      for (let i = 0; i < fr.n; i++) close(row(fr, i).reduce((s, v) => s + v * v, 0), 1, TOL);
      assertMutuallyNonDominated(fr, "DTLZ2-4");
    }
    for (const make of [dtlz5, dtlz6]) {
      const fr = make(m).paretoFront!(300);
      assertShape(fr, 300, m, `${make.name} M=${m}`);
      for (let i = 0; i < fr.n; i++) {
        const r = row(fr, i);
        close(r.reduce((s, v) => s + v * v, 0), 1, TOL);
        if (m > 2) close(r[0], r[1], TOL);
        for (let j = 2; j < m - 1; j++) close(r[j], r[j - 1] * Math.SQRT2, TOL);
      }
      // endpoints: t = 0 gives (0, …, 0, 1); t = 1 gives f_M = 0
      assert.equal(fr.data[m - 1], 1);
      assert.equal(fr.data[300 * m - 1], 0);
      assertMutuallyNonDominated(fr, "DTLZ5/6");
    }
  }
  assert.equal(dtlz2().paretoFront!().n, 9870);
  assert.equal(dtlz1().paretoFront!().n, 9870);
  assert.equal(dtlz5().paretoFront!().n, 10000);
  // PlatEMO's 1e-6 floor on UniformPoint.
  assert.equal(Math.min(...dtlz1().paretoFront!(91).data), 5e-7);
});

Deno.test("DTLZ7: front is PlatEMO's mapped grid", () => {
  const inA = (v: number) => v >= -1e-15 && v <= 0.251412 + 1e-15;
  const inB = (v: number) => v >= 0.631627 - 1e-15 && v <= 0.859401 + 1e-15;
  for (const [m, n, expected] of [[2, 500, 500], [3, 900, 900], [3, 10000, 10000], [4, 10000, 22 ** 3]]) {
    const fr = dtlz7(m).paretoFront!(n);
    assertShape(fr, expected, m, `DTLZ7 M=${m}`);
    for (let i = 0; i < fr.n; i++) {
      const r = row(fr, i);
      let h = m;
      for (let j = 0; j < m - 1; j++) {
        assert.ok(inA(r[j]) || inB(r[j]), `DTLZ7 coordinate ${r[j]}`);
        h -= (r[j] / 2) * (1 + Math.sin(3 * PI * r[j]));
      }
      close(r[m - 1], 2 * h, TOL);
    }
    if (fr.n <= 1000) assertMutuallyNonDominated(fr, `DTLZ7 M=${m}`);
  }
  // Grid order: first coordinate varies fastest; ends of the intervals are present.
  const fr = dtlz7(3).paretoFront!(100);
  assert.equal(fr.n, 100);
  assert.equal(fr.data[0], 0);
  assert.equal(fr.data[1], 0);
  close(fr.data[9 * 3], 0.859401, 1e-15);
  assert.equal(fr.data[9 * 3 + 1], 0);
  close(fr.data[10 * 3 + 1], fr.data[3], 1e-15);
  assert.equal(dtlz7(2).paretoFront!().n, 10000);
});

Deno.test("DTLZ: defaults and bad arguments", () => {
  const defaults: [Problem, number][] = [
    [dtlz1(), 7],
    [dtlz2(), 12],
    [dtlz3(), 12],
    [dtlz4(), 12],
    [dtlz5(), 12],
    [dtlz6(), 12],
    [dtlz7(), 22],
    [dtlz1(5), 9],
    [dtlz2(10), 19],
    [dtlz7(2), 21],
    [dtlz2(3, 3), 3],
  ];
  for (const [p, nVar] of defaults) {
    assert.equal(p.nVar, nVar, p.name);
    assert.ok(p.lower.every((v) => v === 0) && p.upper.every((v) => v === 1));
    assert.equal(p.nConstr, 0);
  }
  assert.equal(dtlz3(6).nObj, 6);
  assert.throws(() => dtlz1(1), /DTLZ1: nObj must be an integer ≥ 2/);
  assert.throws(() => dtlz2(3.5), /DTLZ2: nObj/);
  assert.throws(() => dtlz5(4, 3), /DTLZ5: nVar must be an integer ≥ 4/);
  assert.throws(() => dtlz7(3, 2.5), /DTLZ7: nVar/);
  assert.throws(() => dtlz4().paretoFront!(1.5), /DTLZ4: paretoFront n/);
});

// ---------------------------------------------------------------- registry and evaluate contract

Deno.test("registry: getProblem and problems", () => {
  const names = Object.keys(problems);
  assert.equal(names.length, 22);
  for (const name of names) {
    const p = getProblem(name);
    assert.equal(p.name, name);
    assert.equal(getProblem(name.toLowerCase()).name, name);
  }
  assert.equal(getProblem("DTLZ2", { nObj: 5 }).nObj, 5);
  assert.equal(getProblem("DTLZ2", { nObj: 5, nVar: 20 }).nVar, 20);
  assert.equal(getProblem("zdt1", { nVar: 10 }).nVar, 10);
  assert.equal(getProblem("UF9", { nObj: 3 }).nObj, 3);
  assert.throws(() => getProblem("ZDT5"), (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /unknown problem "ZDT5"; known: ZDT1, ZDT2.*UF10.*DTLZ7/);
    return true;
  });
  assert.throws(() => getProblem("toString"), /unknown problem/);
  assert.throws(() => getProblem("ZDT1", { nObj: 3 }), /ZDT1: nObj must be 2/);
  assert.throws(() => getProblem("UF8", { nObj: 2 }), /UF8: nObj must be 3/);
  assert.throws(() => getProblem("DTLZ1", { nObj: 1 }), RangeError);
});

Deno.test("evaluate: deterministic, leaves x untouched, fills every objective", () => {
  const rand = lcg(3);
  for (const make of Object.values(problems)) {
    const p = make();
    const x = new Float64Array(p.nVar);
    for (let i = 0; i < p.nVar; i++) x[i] = p.lower[i] + rand() * (p.upper[i] - p.lower[i]);
    const copy = x.slice();
    const f1 = new Float64Array(p.nObj).fill(NaN), f2 = new Float64Array(p.nObj).fill(NaN);
    const g = new Float64Array(0);
    p.evaluate(x, f1, g);
    p.evaluate(x, f2, g);
    assert.deepEqual(x, copy, `${p.name} changed x`);
    assert.deepEqual(f1, f2, p.name);
    for (const v of f1) assert.ok(Number.isFinite(v), `${p.name} objective ${v}`);
  }
});
