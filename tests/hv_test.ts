/** Many-objective hypervolume: the 4-D sweep and WFG above it, against brute force and identities. */
import assert from "node:assert/strict";
import { Rng } from "../lib/core/rng.ts";
import {
  DEFAULT_MAX_HV_COST,
  estimatedHypervolumeCost,
  hypervolume,
  hypervolumeContributions,
  HypervolumeCostError,
  hypervolumeMonteCarlo,
} from "../lib/indicators/mod.ts";
import { hypervolumeWfg } from "../lib/indicators/hypervolume.ts";
import { hvQuick, QhvScratch } from "../lib/indicators/hv_qhv.ts";
import { hv4dRows, Hv4dScratch } from "../lib/indicators/hv4d.ts";
import { hv5Sweep, Sweep5Scratch } from "../lib/indicators/hv_sweep5.ts";
import { hvGrid, hvInclusionExclusion, randomSet, sphereFront } from "./_hv_reference.ts";

function close(a: number, b: number, tol: number, msg: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg}: expected ${b}, got ${a}`);
}

/** Sets with ties, duplicates and points not strictly dominating the reference. */
function messySet(rng: Rng, n: number, m: number, levels: number): number[][] {
  const P = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.int(levels + 1) / levels));
  for (let i = 0; i < n / 5; i++) P.push(P[rng.int(P.length)].slice());
  return P;
}

Deno.test("hypervolume 4-D sweep: grid brute force on sets with ties, duplicates and points beyond the reference", () => {
  const rng = new Rng(4);
  for (let trial = 0; trial < 40; trial++) {
    // The grid has one cell per distinct coordinate: keep continuous sets small.
    const P = trial % 2 ? messySet(rng, 5 + rng.int(80), 4, 5) : randomSet(rng, 3 + rng.int(16), 4, false);
    const r = Array.from({ length: 4 }, () => 0.8 + 0.3 * rng.random());
    close(hypervolume(P, r), hvGrid(P, r), 1e-12, `trial ${trial}`);
  }
});

Deno.test("hypervolume 4-D sweep: 600 points on a sphere equal the sum of 4-D slabs of the 3-D sweep", () => {
  // HV_4 = Σ_i (w_{i+1} − w_i) · HV_3({a : a_4 ≤ w_i}) with the 3-D sweep as an independent reference.
  const P = sphereFront(new Rng(7), 600, 4);
  const r = [1.1, 1.1, 1.1, 1.1];
  const ws = [...new Set(P.map((p) => p[3]))].sort((a, b) => a - b);
  let want = 0;
  for (let t = 0; t < ws.length; t++) {
    const below = P.filter((p) => p[3] <= ws[t]).map((p) => p.slice(0, 3));
    want += ((t + 1 < ws.length ? ws[t + 1] : r[3]) - ws[t]) * hypervolume(below, r.slice(0, 3));
  }
  close(hypervolume(P, r), want, 1e-12, "slabs");
});

Deno.test("hypervolume 5-D to 10-D: inclusion–exclusion on small sets with ties and duplicates", () => {
  const rng = new Rng(510);
  for (let m = 5; m <= 10; m++) {
    for (let trial = 0; trial < 25; trial++) {
      const P = trial % 2 ? messySet(rng, 1 + rng.int(9), m, 3) : randomSet(rng, 1 + rng.int(11), m, false);
      const r = Array.from({ length: m }, () => 0.7 + 0.4 * rng.random());
      close(hypervolume(P, r), hvInclusionExclusion(P, r), 1e-12, `m=${m} trial=${trial}`);
    }
  }
});

Deno.test("hypervolume 6-D and 8-D: grid brute force on coarse sets", () => {
  const rng = new Rng(68);
  for (const m of [6, 8]) {
    for (let trial = 0; trial < 6; trial++) {
      const P = messySet(rng, 10 + rng.int(25), m, 2);
      const r = new Array(m).fill(1.05);
      close(hypervolume(P, r), hvGrid(P, r), 1e-12, `m=${m} trial=${trial}`);
    }
  }
});

Deno.test("hypervolume 4-D to 10-D: union identity and objective permutation on larger fronts", () => {
  // λ(∪A ∪ ∪B) = λ(∪A) + λ(∪B) − λ(∪{max(a, b)}), and the value does not depend on the objectives' order.
  const rng = new Rng(1019);
  for (const [m, n] of [[4, 150], [5, 80], [6, 50], [8, 30], [10, 22]]) {
    const A = sphereFront(rng, n, m), B = sphereFront(rng, n, m);
    const r = new Array(m).fill(1.1);
    const meet = A.flatMap((a) => B.map((b) => a.map((v, j) => Math.max(v, b[j]))));
    const hA = hypervolume(A, r), hB = hypervolume(B, r), hAB = hypervolume([...A, ...B], r);
    close(hAB, hA + hB - hypervolume(meet, r), 1e-11, `union m=${m}`);
    const perm = Array.from({ length: m }, (_, j) => m - 1 - j);
    close(hypervolume(A.map((a) => perm.map((j) => a[j])), r), hA, 1e-12, `permuted m=${m}`);
  }
});

Deno.test("hypervolume cost guard: a named error above maxCost, computed below it", () => {
  const rng = new Rng(16);
  const P = sphereFront(rng, 40, 12);
  const r = new Array(12).fill(1.1);
  const est = estimatedHypervolumeCost(40, 12);
  assert.ok(est > 1e6 && est < DEFAULT_MAX_HV_COST, `estimate ${est}`);
  assert.throws(() => hypervolume(P, r, { maxCost: 1e6 }), (e: unknown) => {
    assert.ok(e instanceof HypervolumeCostError);
    assert.equal(e.name, "HypervolumeCostError");
    assert.equal(e.estimate, est);
    assert.match(e.message, /40 points in 12 objectives.*maxCost.*hypervolumeMonteCarlo/);
    return true;
  });
  // Points that do not dominate the reference do not count; the default admits this set.
  const h = hypervolume([...P, ...P.map((p) => p.map((v) => v + 1))], r);
  close(h, hypervolume(P, r, { maxCost: Infinity }), 0, "same value");
  assert.throws(() => hypervolume(sphereFront(rng, 2000, 16), new Array(16).fill(1.1)), HypervolumeCostError);
  assert.throws(() => hypervolume(P, r, { maxCost: 0 }), /maxCost must be a positive number/);
  assert.equal(estimatedHypervolumeCost(1000, 4), 1e6);
});

Deno.test("hypervolumeMonteCarlo: within its stated error on known values, seeded, validated", () => {
  // Known value by inclusion–exclusion: 8 points in 6-D.
  const rng = new Rng(61);
  const P = randomSet(rng, 8, 6, false);
  const r = new Array(6).fill(1);
  const exact = hvInclusionExclusion(P, r);
  const est = hypervolumeMonteCarlo(P, r, { samples: 200_000, seed: 3 });
  assert.ok(
    Math.abs(est.value - exact) <= 4 * est.standardError,
    `${est.value} vs ${exact} ± ${est.standardError}`,
  );
  // The stated error is the binomial one: check it against the exact p.
  const pTrue = exact / est.boxVolume;
  close(est.standardError, est.boxVolume * Math.sqrt(pTrue * (1 - pTrue) / 200_000), 0.05, "standard error");
  close(est.halfWidth95, 1.96 * est.standardError, 1e-15, "half-width");
  // Coverage over 40 seeds of the 95 % interval (binomial: P(fewer than 33 of 40) ≈ 0.001).
  let inside = 0;
  for (let seed = 0; seed < 40; seed++) {
    const e = hypervolumeMonteCarlo(P, r, { samples: 20_000, seed });
    if (Math.abs(e.value - exact) <= e.halfWidth95) inside++;
  }
  assert.ok(inside >= 33, `95 % intervals covered the exact value ${inside} times out of 40`);
  // 10-D front of 60 points: exact value from the WFG path.
  const F = sphereFront(new Rng(10), 60, 10);
  const r10 = new Array(10).fill(1.1);
  const e10 = hypervolumeMonteCarlo(F, r10, { samples: 100_000, seed: 1 });
  assert.ok(Math.abs(e10.value - hypervolume(F, r10)) <= 4 * e10.standardError);
  // Same seed, same bytes; a single box is exact; validation.
  assert.deepEqual(
    hypervolumeMonteCarlo(P, r, { samples: 1000, seed: 9 }),
    hypervolumeMonteCarlo(P, r, { samples: 1000, seed: 9 }),
  );
  const one = hypervolumeMonteCarlo([[0.5, 0.5, 0.5, 0.5]], [1, 1, 1, 1], { samples: 1000, seed: 1 });
  assert.equal(one.value, 0.0625);
  assert.equal(one.standardError, 0);
  assert.equal(hypervolumeMonteCarlo([[2, 2]], [1, 1], { seed: 1 }).value, 0);
  assert.throws(
    () => hypervolumeMonteCarlo(P, r, { samples: 0, seed: 1 }),
    /samples must be a positive integer/,
  );
  // deno-lint-ignore no-explicit-any
  assert.throws(() => hypervolumeMonteCarlo(P, r, {} as any), /seed is required/);
  assert.throws(() => hypervolumeMonteCarlo(P, [1, 1], { seed: 1 }), /reference point has 2 coordinates/);
});

Deno.test("hypervolumeContributions 4-D to 8-D: limit sets equal HV(A) − HV(A \\ {a_i}), 0 for weakly dominated", () => {
  const rng = new Rng(48);
  for (const m of [4, 5, 6, 8]) {
    for (let trial = 0; trial < 6; trial++) {
      const P = trial % 2 ? messySet(rng, 8 + rng.int(20), m, 3) : sphereFront(rng, 10 + rng.int(30), m);
      const r = new Array(m).fill(1.05);
      const c = hypervolumeContributions(P, r);
      const total = hypervolume(P, r);
      P.forEach((p, i) => {
        const weak = P.some((q, a) => a !== i && q.every((v, j) => v <= p[j]));
        const want = weak ? 0 : Math.max(0, total - hypervolume(P.filter((_, a) => a !== i), r));
        close(c[i], want, 1e-12, `m=${m} trial=${trial} point ${i}`);
      });
    }
  }
});

Deno.test("hypervolume 5-D to 10-D: QHV-II equals WFG on fronts and on sets with ties, duplicates and points beyond the reference", () => {
  const rng = new Rng(5100);
  for (const [m, n] of [[5, 200], [6, 120], [7, 80], [8, 60], [9, 40], [10, 35]]) {
    const r = new Array(m).fill(1.1);
    const F = sphereFront(rng, n, m);
    close(hypervolume(F, r), hypervolumeWfg(F, r), 1e-12, `front m=${m}`);
    // Convex mirror image of the front, and a coarse grid set: many equal coordinates, duplicates,
    // dominated points and points on or beyond the reference.
    const C = F.map((p) => p.map((v) => 1 - v));
    close(hypervolume(C, r), hypervolumeWfg(C, r), 1e-12, `convex front m=${m}`);
    const M = messySet(rng, n, m, 4).map((p) => p.map((v) => 1.2 * v));
    close(hypervolume(M, r), hypervolumeWfg(M, r), 1e-12, `messy m=${m}`);
  }
});

Deno.test("QHV-II: the depth limit hands sub-problems to the fallback with the same value", () => {
  const rng = new Rng(77);
  const s = new QhvScratch();
  const brute = (rows: Float64Array, k: number, m: number, ref: Float64Array) => {
    const P = Array.from({ length: k }, (_, i) => Array.from(rows.subarray(i * m, i * m + m)));
    return hvInclusionExclusion(P, Array.from(ref));
  };
  for (let trial = 0; trial < 30; trial++) {
    const m = 5 + (trial % 4);
    const P = trial % 2 ? messySet(rng, 4 + rng.int(8), m, 3) : randomSet(rng, 4 + rng.int(9), m, false);
    const r = new Array(m).fill(1.01);
    const inside = P.filter((p) => p.every((v, j) => v < r[j]));
    const rows = Float64Array.from(inside.flat());
    const want = hvInclusionExclusion(P, r);
    let used = 0;
    const counting = (a: Float64Array, k: number, mm: number, ref: Float64Array) => {
      used++;
      return brute(a, k, mm, ref);
    };
    for (const depth of [0, 1, 2, 400]) {
      close(
        hvQuick(rows, inside.length, m, r, s, counting, depth),
        want,
        1e-12,
        `trial ${trial} depth ${depth}`,
      );
    }
    // Sets measured by inclusion–exclusion (up to 3 rows, 5 from 8-D on) never reach the fallback.
    if (inside.length > (m >= 8 ? 5 : 3)) {
      assert.ok(used > 0, `trial ${trial}: the fallback was never called`);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// 4-D: HV4D+ (lib/indicators/hv4d.ts) against independent references

/** HV_4 as the sum of w-slabs of 3-D hypervolumes (the 3-D sweep is independent of the 4-D code). */
function hv4Slabs(P: number[][], r: number[]): number {
  const Q = P.filter((p) => p.every((v, j) => v < r[j]));
  const ws = [...new Set(Q.map((p) => p[3]))].sort((a, b) => a - b);
  let total = 0;
  for (let t = 0; t < ws.length; t++) {
    const below = Q.filter((p) => p[3] <= ws[t]).map((p) => p.slice(0, 3));
    total += ((t + 1 < ws.length ? ws[t + 1] : r[3]) - ws[t]) * hypervolume(below, r.slice(0, 3));
  }
  return total;
}

/** Rows (stride `stride`, extra columns filled with junk) of the points of P strictly inside r. */
function rowsOf(P: number[][], r: number[], stride: number): { rows: Float64Array; k: number } {
  const Q = P.filter((p) => p.every((v, j) => v < r[j]));
  const rows = new Float64Array(Q.length * stride).fill(-7);
  Q.forEach((p, i) => p.forEach((v, j) => (rows[i * stride + j] = v)));
  return { rows, k: Q.length };
}

Deno.test("hv4dRows (HV4D+): n = 0..3 equal inclusion–exclusion, with stride > 4 and a reused scratch", () => {
  const rng = new Rng(40);
  const s = new Hv4dScratch();
  for (let trial = 0; trial < 300; trial++) {
    const n = trial % 4;
    const P = trial % 3 ? messySet(rng, n, 4, 3).slice(0, n) : randomSet(rng, n, 4, false);
    const r = [1, 1, 1, 1];
    const { rows, k } = rowsOf(P, r, 4 + (trial % 3));
    const want = hvInclusionExclusion(P.filter((p) => p.every((v) => v < 1)), r);
    close(hv4dRows(rows, k, 4 + (trial % 3), 1, 1, 1, 1, s), want, 1e-12, `trial ${trial} n=${n}`);
  }
});

Deno.test("hv4dRows (HV4D+): grids with ties in every coordinate, duplicates and dominated rows equal 3-D slabs", () => {
  const rng = new Rng(41);
  const s = new Hv4dScratch();
  for (let trial = 0; trial < 400; trial++) {
    // Coarse grids (2..6 levels) force equal x, y, z and w; every fifth point a duplicate.
    const levels = 2 + (trial % 5);
    const P = messySet(rng, 4 + rng.int(60), 4, levels);
    const r = [1.05, 1.05, 1.05, 1.05];
    const { rows, k } = rowsOf(P, r, 4);
    close(hv4dRows(rows, k, 4, 1.05, 1.05, 1.05, 1.05, s), hv4Slabs(P, r), 1e-12, `trial ${trial}`);
  }
});

Deno.test("hv4dRows (HV4D+): continuous fronts plus dominated points, and a brute-force grid on small sets", () => {
  const rng = new Rng(42);
  const s = new Hv4dScratch();
  for (let trial = 0; trial < 30; trial++) {
    const F = sphereFront(rng, 20 + rng.int(200), 4);
    // Dominated copies (every coordinate pushed up) and exact duplicates of front points.
    const P = [...F, ...F.slice(0, 30).map((p) => p.map((v) => v + 0.05 * rng.random())), ...F.slice(0, 10)];
    for (let i = P.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [P[i], P[j]] = [P[j], P[i]];
    }
    const r = [1.1, 1.1, 1.1, 1.1];
    const { rows, k } = rowsOf(P, r, 4);
    close(hv4dRows(rows, k, 4, 1.1, 1.1, 1.1, 1.1, s), hv4Slabs(P, r), 1e-12, `front trial ${trial}`);
  }
  for (let trial = 0; trial < 60; trial++) {
    const P = randomSet(rng, 3 + rng.int(14), 4, trial % 2 === 0);
    const r = [1, 1, 1, 1];
    const { rows, k } = rowsOf(P, r, 4);
    close(hv4dRows(rows, k, 4, 1, 1, 1, 1, s), hvGrid(P, r), 1e-12, `grid trial ${trial}`);
  }
});

Deno.test("hypervolumeContributions 4-D (limit sets through the sorted 4-D sweep): HV(A) − HV(A \\ {a_i}) by 3-D slabs", () => {
  const rng = new Rng(43);
  for (let trial = 0; trial < 40; trial++) {
    const P = trial % 2
      ? messySet(rng, 5 + rng.int(30), 4, 2 + (trial % 4))
      : sphereFront(rng, 5 + rng.int(40), 4);
    const r = [1.05, 1.05, 1.05, 1.05];
    const c = hypervolumeContributions(P, r);
    const total = hv4Slabs(P, r);
    P.forEach((p, i) => {
      const inside = p.every((v, j) => v < r[j]);
      const weak = P.some((q, a) => a !== i && q.every((v, j) => v <= p[j]));
      const want = !inside || weak ? 0 : total - hv4Slabs(P.filter((_, a) => a !== i), r);
      close(c[i], want, 1e-12, `trial ${trial} point ${i}`);
      if (!inside || weak) assert.equal(c[i], 0);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 5-D dimension sweep (lib/indicators/hv_sweep5.ts), checked against independent methods

/** The rows of `P` strictly dominating `r`, flattened with `pad` extra columns per row (stride m + pad). */
function insideRows(P: number[][], r: number[], pad = 0): { rows: Float64Array; k: number } {
  const inside = P.filter((p) => p.every((v, j) => v < r[j]));
  const m = r.length;
  const rows = new Float64Array(inside.length * (m + pad)).fill(-7);
  inside.forEach((p, i) => rows.set(p, i * (m + pad)));
  return { rows, k: inside.length };
}

Deno.test("hypervolume 5-D sweep: inclusion–exclusion, WFG and QHV-II on small sets (n = 0..12) with ties, duplicates, dominated points and points beyond the reference", () => {
  const rng = new Rng(5005);
  const s = new Sweep5Scratch();
  const q = new QhvScratch();
  let nonzero = 0;
  for (let trial = 0; trial < 400; trial++) {
    const n = trial % 13;
    const P = trial % 3 === 0
      ? messySet(rng, n, 5, 2 + (trial % 3))
      : trial % 3 === 1
      ? randomSet(rng, n, 5, true)
      : randomSet(rng, n, 5, false);
    const r = trial % 2 ? [1, 1, 1, 1, 1] : [1.1, 0.9, 1, 0.95, 1.2];
    const want = hvInclusionExclusion(P, r);
    const { rows, k } = insideRows(P, r);
    const got = hv5Sweep(rows.slice(), k, 5, r, s);
    close(got, want, 1e-12, `trial ${trial} (n=${n}) against inclusion–exclusion`);
    close(got, hypervolumeWfg(P, r), 1e-12, `trial ${trial} against WFG`);
    close(
      got,
      k === 0 ? 0 : hvQuick(rows.slice(), k, 5, Float64Array.from(r), q, () => NaN),
      1e-12,
      `trial ${trial} against QHV-II`,
    );
    close(hypervolume(P, r), want, 1e-12, `trial ${trial}: hypervolume() dispatch`);
    if (want > 0) nonzero++;
  }
  assert.ok(nonzero > 300, `only ${nonzero} sets with a positive hypervolume`);
});

Deno.test("hypervolume 5-D sweep: WFG and QHV-II on larger fronts and messy sets, stride > 5, scratch reuse, objective permutations", () => {
  const rng = new Rng(5006);
  const s = new Sweep5Scratch();
  const q = new QhvScratch();
  const r = [1.1, 1.1, 1.1, 1.1, 1.1];
  const sets: [string, number[][]][] = [];
  for (const n of [40, 150, 300]) {
    const F = sphereFront(rng, n, 5);
    sets.push([`sphere ${n}`, F], [`convex ${n}`, F.map((p) => p.map((v) => 1 - v))]);
    sets.push([`messy ${n}`, messySet(rng, n, 5, 4).map((p) => p.map((v) => 1.2 * v))]);
    sets.push([`uniform ${n}`, randomSet(rng, n, 5, false)]);
  }
  // A front with many equal coordinates: points of a coarse simplex grid, shuffled.
  const grid: number[][] = [];
  for (let a = 0; a <= 6; a++) {
    for (let b = 0; a + b <= 6; b++) {
      for (let c = 0; a + b + c <= 6; c++) {
        for (let d = 0; a + b + c + d <= 6; d++) grid.push([a, b, c, d, 6 - a - b - c - d].map((v) => v / 6));
      }
    }
  }
  for (let i = grid.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [grid[i], grid[j]] = [grid[j], grid[i]];
  }
  sets.push(["simplex grid", grid]);
  for (const [name, P] of sets) {
    const want = hypervolumeWfg(P, r);
    const { rows, k } = insideRows(P, r);
    close(hvQuick(rows.slice(), k, 5, Float64Array.from(r), q, () => NaN), want, 1e-12, `${name}: QHV-II`);
    close(hv5Sweep(rows.slice(), k, 5, r, s), want, 1e-12, `${name}: sweep`);
    const wide = insideRows(P, r, 2);
    close(hv5Sweep(wide.rows, wide.k, 7, r, s), want, 1e-12, `${name}: sweep, stride 7`);
    close(hypervolume(P, r), want, 1e-12, `${name}: hypervolume()`);
    // The same set with the objectives permuted (the sweep runs over another pair of objectives).
    const perm = [3, 0, 4, 1, 2];
    close(hypervolume(P.map((p) => perm.map((j) => p[j])), r), want, 1e-12, `${name}: permuted`);
  }
  // The same scratch after a larger set gives the same value on a small one, byte for byte.
  const small = sphereFront(new Rng(9), 30, 5);
  const a = insideRows(small, r);
  const fresh = hv5Sweep(a.rows.slice(), a.k, 5, r, new Sweep5Scratch());
  assert.equal(hv5Sweep(a.rows.slice(), a.k, 5, r, s), fresh);
});

Deno.test("hypervolume 5-D sweep: coarse-grid sets (many points clipped exactly onto a point's corner and edges, equal heights) equal WFG", () => {
  // Coordinates in {0, 1/4, 2/4, 3/4}: within a 4-D contribution, many points clip onto the new point's
  // (x, y) corner at equal z, which exercises the floor walk's stop at the first corner point and the
  // skip of points at or above the lowest corner point.
  const rng = new Rng(5008);
  const s = new Sweep5Scratch();
  const r = [1, 1, 1, 1, 1];
  let nonzero = 0;
  for (let trial = 0; trial < 60; trial++) {
    const n = 20 + (trial % 4) * 15;
    const P: number[][] = [];
    for (let i = 0; i < n; i++) {
      // Mostly near a simplex (mutually non-dominated), some anywhere.
      const p = [0, 1, 2, 3, 4].map(() => rng.int(4) / 4);
      if (trial % 2 === 0) {
        const sum = p.reduce((a, v) => a + v, 0);
        if (sum < 1.5) p[rng.int(5)] = 0.75;
      }
      P.push(p);
    }
    const want = hypervolumeWfg(P, r);
    const { rows, k } = insideRows(P, r);
    close(hv5Sweep(rows.slice(), k, 5, r, s), want, 1e-12, `trial ${trial} (n=${n})`);
    if (want > 0) nonzero++;
  }
  assert.equal(nonzero, 60);
});

Deno.test("hypervolume 5-D sweep: sets with few levels in the 3rd and 4th objectives (bottom layers at a's z, points joining and pruning them) equal inclusion–exclusion and WFG", () => {
  // With the third and fourth objectives in {0, 1/3, 2/3}, many points of a 4-D contribution clip onto
  // the new point's z (the bottom layer of the clipped set): points found later in the sweep join that
  // layer, dominate parts of it, tie with it in x or y, or are dominated by it.
  const rng = new Rng(5009);
  const s = new Sweep5Scratch();
  let nonzero = 0;
  for (let trial = 0; trial < 240; trial++) {
    const n = trial < 160 ? 2 + (trial % 11) : 30 + (trial % 5) * 20;
    const fine = trial % 2 === 0;
    const P: number[][] = [];
    for (let i = 0; i < n; i++) {
      const p = [0, 1, 2, 3, 4].map((j) =>
        j === 2 || j === 3 ? rng.int(3) / 3 : fine ? 0.95 * rng.random() : rng.int(5) / 5
      );
      P.push(p);
      if (i % 6 === 5) P.push(P[rng.int(P.length)].slice());
    }
    // The coarse objectives in every role: the sweep runs over the 5th, the 4-D sweep over u or z.
    const perm = [[0, 1, 2, 3, 4], [2, 3, 0, 1, 4], [0, 2, 1, 3, 4]][trial % 3];
    const Q = P.map((p) => perm.map((j) => p[j]));
    const r = [1, 1, 1, 1, 1];
    const want = trial < 160 ? hvInclusionExclusion(Q, r) : hypervolumeWfg(Q, r);
    const { rows, k } = insideRows(Q, r);
    close(hv5Sweep(rows.slice(), k, 5, r, s), want, 1e-12, `trial ${trial} (n=${Q.length})`);
    if (want > 0) nonzero++;
  }
  assert.ok(nonzero > 220, `only ${nonzero} sets with a positive hypervolume`);
});

Deno.test("hypervolume 5-D sweep: 2,000 uniform random points (most dominated) equal WFG; the cost guard's 5-D scale", () => {
  const rng = new Rng(5007);
  const r = [1, 1, 1, 1, 1];
  const U = randomSet(rng, 2000, 5, false);
  close(hypervolume(U, r), hypervolumeWfg(U, r), 1e-12, "uniform 2,000");
  assert.equal(estimatedHypervolumeCost(300, 5), 5 * 300 * 300);
  assert.ok(estimatedHypervolumeCost(44000, 5) < DEFAULT_MAX_HV_COST);
  // 50,000 points strictly dominating the reference: refused before any work by default.
  const big = { data: new Float64Array(50000 * 5).fill(0.5), n: 50000, m: 5 };
  assert.throws(() => hypervolume(big, r), HypervolumeCostError);
  close(hypervolume(big, r, { maxCost: Infinity }), 0.5 ** 5, 1e-15, "50,000 copies of one point");
});
