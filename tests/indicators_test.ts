import assert from "node:assert/strict";
import { Rng } from "../lib/core/rng.ts";
import { points } from "../lib/core/points.ts";
import {
  debSpread,
  gd,
  gdMean,
  gdPlus,
  generalizedSpread,
  hypervolume,
  hypervolumeContributions,
  igd,
  igdPlus,
  normalize,
  platemoHV,
  platemoNormalize,
  spread,
} from "../lib/indicators/mod.ts";

import { hvGrid, hvInclusionExclusion, randomSet, sphereFront } from "./_hv_reference.ts";

function close(a: number, b: number, tol: number, msg?: string) {
  assert.ok(Math.abs(a - b) <= tol, `${msg ?? ""} expected ${b}, got ${a} (|diff| = ${Math.abs(a - b)})`);
}

// ---------------------------------------------------------------------------------------------
// Hypervolume: hand examples

Deno.test("hypervolume: 1-D", () => {
  assert.equal(hypervolume([[3], [1], [2]], [5]), 4);
  assert.equal(hypervolume([[6]], [5]), 0);
});

Deno.test("hypervolume: 2-D hand example", () => {
  // Staircase (1,3), (2,2), (3,1) under (4,4): columns of height 1, 2, 3.
  assert.equal(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]), 6);
  assert.equal(hypervolume([[3, 1], [1, 3], [2, 2]], [4, 4]), 6);
  assert.equal(hypervolume([[0, 0]], [2, 3]), 6);
});

Deno.test("hypervolume: 3-D hand examples", () => {
  assert.equal(hypervolume([[0, 0, 0]], [1, 2, 3]), 6);
  // [0,2]²×[1,2] (4) ∪ [1,2]²×[0,2] (2), overlap [1,2]³ (1).
  assert.equal(hypervolume([[0, 0, 1], [1, 1, 0]], [2, 2, 2]), 5);
  // Unit vectors under 2: 3·4 − 3·2 + 1.
  assert.equal(hypervolume([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [2, 2, 2]), 7);
});

Deno.test("hypervolume: 4-D and 5-D hand examples", () => {
  assert.equal(hypervolume([[0, 0, 0, 1], [1, 1, 1, 0]], [2, 2, 2, 2]), 9);
  // Unit vectors under 2: 4·8 − 6·4 + 4·2 − 1.
  const e4 = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
  assert.equal(hypervolume(e4, [2, 2, 2, 2]), 15);
  // 5-D unit vectors under 2: Σ_k (−1)^{k+1} C(5,k) 2^{5−k} = 80 − 80 + 40 − 10 + 1.
  const e5 = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => (i === j ? 1 : 0)));
  assert.equal(hypervolume(e5, [2, 2, 2, 2, 2]), 31);
});

Deno.test("hypervolume: sampled ZDT1 front approaches the analytic 0.87667", () => {
  // Dominated area under (1.1, 1.1) of f2 = 1 − √f1, f1 ∈ [0, 1]: 0.1·1.1 + ∫0^1 (0.1 + √x) dx.
  const exact = 0.11 + 0.1 + 2 / 3;
  const n = 100_000;
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const x = i / (n - 1);
    data[2 * i] = x;
    data[2 * i + 1] = 1 - Math.sqrt(x);
  }
  const hv = hypervolume(points(data, 2), [1.1, 1.1]);
  assert.ok(hv < exact);
  close(hv, exact, 1e-4);
  // PlatEMO's convention on the front itself: divide by 1.1² (fmin = 0, fmax = 1).
  close(platemoHV(points(data, 2), points(data, 2)), exact / 1.21, 1e-4);
});

// ---------------------------------------------------------------------------------------------
// Hypervolume: brute force on random sets

Deno.test("hypervolume: matches inclusion–exclusion and grid brute force (2-D to 6-D)", () => {
  const rng = new Rng(20240611);
  for (const m of [2, 3, 4, 5, 6]) {
    for (let trial = 0; trial < 60; trial++) {
      const discrete = trial % 2 === 1;
      const n = 1 + rng.int(m >= 5 ? 9 : 11);
      const P = randomSet(rng, n, m, discrete);
      const r = Array.from({ length: m }, () => 0.8 + 0.4 * rng.random());
      const want = hvGrid(P, r);
      close(hvInclusionExclusion(P, r), want, 1e-12, "brute forces disagree");
      close(hypervolume(P, r), want, 1e-12, `m=${m} trial=${trial}`);
    }
  }
});

Deno.test("hypervolume: 2-D, 3-D sweeps and WFG agree when padded with a dummy objective", () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 10; trial++) {
    const n = 50 + rng.int(250);
    const P2 = trial % 2 ? sphereFront(rng, n, 2) : randomSet(rng, n, 2, trial % 3 === 0);
    const h2 = hypervolume(P2, [1.1, 1.1]);
    close(hypervolume(P2.map((p) => [...p, 0]), [1.1, 1.1, 1]), h2, 1e-12);
    const P3 = trial % 2 ? sphereFront(rng, n, 3) : randomSet(rng, n, 3, trial % 3 === 0);
    const h3 = hypervolume(P3, [1.1, 1.1, 1.1]);
    close(hypervolume(P3.map((p) => [...p, 0.5]), [1.1, 1.1, 1.1, 1.5]), h3, 1e-12);
    close(hypervolume(P3.map((p) => [p[0], 0.25, p[1], p[2]]), [1.1, 1.25, 1.1, 1.1]), h3, 1e-12);
    const P4 = sphereFront(rng, 40, 4);
    const h4 = hypervolume(P4, [1.1, 1.1, 1.1, 1.1]);
    close(hypervolume(P4.map((p) => [...p, 0]), [1.1, 1.1, 1.1, 1.1, 1]), h4, 1e-12);
  }
});

Deno.test("hypervolume: 3-D sweep against the grid on a larger set", () => {
  const rng = new Rng(99);
  const P = sphereFront(rng, 40, 3).concat(randomSet(rng, 20, 3, false));
  close(hypervolume(P, [1.1, 1, 1.2]), hvGrid(P, [1.1, 1, 1.2]), 1e-12);
});

Deno.test("hypervolume: large and clustered inputs (radix sort paths)", () => {
  const rng = new Rng(31);
  // 20,000 2-D points vs the 3-D sweep with a dummy objective.
  const P2 = sphereFront(rng, 20_000, 2).concat(randomSet(rng, 5000, 2, false));
  const h2 = hypervolume(P2, [1.1, 1.1]);
  close(hypervolume(P2.map((p) => [p[0], 0, p[1]]), [1.1, 1, 1.1]), h2, 1e-12);
  // 10,000 3-D points: permutation, dominated points and duplicates.
  const P3 = sphereFront(rng, 10_000, 3);
  const h3 = hypervolume(P3, [1.1, 1.1, 1.1]);
  const extra = P3.slice(0, 3000).map((p) => p.map((v) => v + 0.001)).concat(P3.slice(0, 2000));
  const all = P3.concat(extra);
  const perm = rng.permutation(all.length);
  close(hypervolume(Array.from(perm, (i) => all[i]), [1.1, 1.1, 1.1]), h3, 1e-12);
  // Small sets after a large one reuse (and must fully clear) the sweep's scratch structures.
  for (let t = 0; t < 20; t++) {
    const S = randomSet(rng, 40 + rng.int(40), 3, t % 2 === 0);
    close(hypervolume(S, [1, 1, 1]), hvGrid(S, [1, 1, 1]), 1e-12);
  }
  // Coordinates that agree to ~12 digits: the radix keys collide and the exact fix-up decides.
  const n = 3000;
  const C: number[][] = [];
  for (let i = 0; i < n; i++) C.push([1000 + i * 1e-10, 1000 - i * 1e-10 + (i % 7) * 1e-12]);
  let want = 0, prev = 1001;
  for (const [x, y] of C.slice().sort((a, b) => a[0] - b[0])) {
    if (y < prev) {
      want += (1001 - x) * (prev - y);
      prev = y;
    }
  }
  const perm2 = rng.permutation(n);
  assert.equal(hypervolume(Array.from(perm2, (i) => C[i]), [1001, 1001]), want);
});

// ---------------------------------------------------------------------------------------------
// Hypervolume: invariances and conventions

Deno.test("hypervolume: dominated points, duplicates and order do not change the value", () => {
  const rng = new Rng(5);
  for (const m of [2, 3, 4, 5]) {
    const P = sphereFront(rng, m >= 4 ? 60 : 500, m);
    const r = new Array(m).fill(1.1);
    const base = hypervolume(P, r);
    // Dominated: shift a random point up in every objective (still inside the box).
    const dominated = P.slice(0, 50).map((p) => p.map((v) => v + 0.01 + 0.05 * rng.random()));
    // Weakly dominated: equal in all but one coordinate.
    const weak = P.slice(0, 20).map((p) => p.map((v, j) => (j === 0 ? v + 0.01 : v)));
    const dup = P.slice(0, 30).map((p) => p.slice());
    const all = P.concat(dominated, weak, dup);
    close(hypervolume(all, r), base, 1e-12, `m=${m} extra`);
    const perm = rng.permutation(all.length);
    close(hypervolume(Array.from(perm, (i) => all[i]), r), base, 1e-12, `m=${m} permuted`);
  }
});

Deno.test("hypervolume: points not strictly dominating the reference are ignored", () => {
  const r = [1, 1, 1];
  const P = [[0.5, 0.5, 0.5]];
  const base = hypervolume(P, r);
  assert.equal(base, 0.125);
  assert.equal(hypervolume([...P, [1, 0, 0], [0, 2, 0], [0, 0, 1]], r), base);
  assert.equal(hypervolume([[1, 0], [0, 1]], [1, 1]), 0);
  assert.equal(hypervolume([[1, 0, 0, 0]], [1, 1, 1, 1]), 0);
});

Deno.test("hypervolume: input validation", () => {
  assert.equal(hypervolume([], [1, 1]), 0);
  assert.equal(hypervolume(points(new Float64Array(0), 3), [1, 1, 1]), 0);
  assert.throws(() => hypervolume([[0, 0, 0]], [1, 1]), RangeError);
  assert.throws(() => hypervolume([[0, 0], [0, NaN]], [1, 1]), (e: unknown) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /point 1/);
    return true;
  });
  assert.throws(() => hypervolume([[0, 0], [1, 2], [Infinity, 0]], [1, 1]), /point 2/);
  assert.throws(() => hypervolume([[0, 0]], [1, NaN]), RangeError);
  assert.throws(() => hypervolume([[0, 0]], [1, Infinity]), RangeError);
  // 2-D and 3-D fold the check into the filtering pass: every non-finite value is caught, inside or
  // beyond the reference, and named by its point.
  for (const m of [2, 3]) {
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const at of [0, m - 1]) {
        const P = [new Array(m).fill(0.5), new Array(m).fill(2), new Array(m).fill(0.2)];
        P[2][at] = bad;
        assert.throws(
          () => hypervolume(P, new Array(m).fill(1)),
          new RegExp(`point 2 has a non-finite value`),
        );
      }
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Contributions

function contribBrute(P: number[][], r: number[]): number[] {
  const all = hypervolume(P, r);
  return P.map((_, i) => all - hypervolume(P.filter((_, k) => k !== i), r));
}

Deno.test("hypervolumeContributions: 2-D hand example", () => {
  // Staircase (1,3), (2,2), (3,1) under (4,4): each point alone covers a unit square.
  assert.deepEqual(Array.from(hypervolumeContributions([[1, 3], [2, 2], [3, 1]], [4, 4])), [1, 1, 1]);
  // A duplicate zeroes both copies; a dominated point gets 0 and reduces its dominator's share.
  assert.deepEqual(Array.from(hypervolumeContributions([[1, 3], [2, 2], [2, 2]], [4, 4])), [1, 0, 0]);
  assert.deepEqual(
    Array.from(hypervolumeContributions([[1, 3], [2, 2], [3, 2.5], [5, 0]], [4, 4])),
    [1, 1.5, 0, 0],
  );
});

Deno.test("hypervolumeContributions: 2-D exact sweep equals HV(all) − HV(all minus i)", () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 40; trial++) {
    const n = 1 + rng.int(120);
    const P = trial % 2 ? randomSet(rng, n, 2, true) : sphereFront(rng, n, 2);
    // Add dominated points, duplicates and points outside the reference box.
    for (let k = 0; k < n / 4; k++) P.push(P[rng.int(n)].map((v) => v + 0.05 * rng.random()));
    for (let k = 0; k < n / 8; k++) P.push(P[rng.int(n)].slice());
    P.push([1.2, 0], [0, 1.1]);
    const r = [1.1, 1.1];
    const c = hypervolumeContributions(P, r);
    const want = contribBrute(P, r);
    for (let i = 0; i < P.length; i++) close(c[i], want[i], 1e-12, `trial ${trial} point ${i}`);
    for (let i = 0; i < P.length; i++) assert.ok(c[i] >= 0);
  }
  // On a non-dominated set without duplicates the contributions sum to at most HV.
  const F = sphereFront(rng, 200, 2);
  const c = hypervolumeContributions(F, [1.1, 1.1]);
  assert.ok(c.reduce((a, b) => a + b, 0) <= hypervolume(F, [1.1, 1.1]));
});

Deno.test("hypervolumeContributions: 3-D to 5-D against the grid brute force", () => {
  const rng = new Rng(12);
  for (const m of [3, 4, 5]) {
    for (let trial = 0; trial < 15; trial++) {
      const P = randomSet(rng, 2 + rng.int(7), m, trial % 2 === 0);
      if (trial % 3 === 0) P.push(P[0].slice());
      const r = new Array(m).fill(1.05);
      const c = hypervolumeContributions(P, r);
      const all = hvGrid(P, r);
      for (let i = 0; i < P.length; i++) {
        close(c[i], all - hvGrid(P.filter((_, k) => k !== i), r), 1e-12, `m=${m} point ${i}`);
      }
    }
  }
  assert.deepEqual(Array.from(hypervolumeContributions([], [1, 1, 1])), []);
});

// ---------------------------------------------------------------------------------------------
// PlatEMO HV and normalisation

Deno.test("platemoHV: hand examples", () => {
  const front = [[0, 1], [1, 0]];
  // fmin = 0, fmax = 1: (0.5, 0.5) → (0.5/1.1, 0.5/1.1); HV = (0.6/1.1)².
  close(platemoHV([[0.5, 0.5]], front), (0.6 / 1.1) ** 2, 1e-15);
  // Beyond 1.1 · fmax in one objective: dropped.
  assert.equal(platemoHV([[0.5, 1.2]], front), 0);
  // A negative objective lowers fmin: x' = (−1 − (−1)) / (2 · 1.1) = 0, y' = 0.5 / 1.1.
  close(platemoHV([[-1, 0.5]], front), 0.6 / 1.1, 1e-15);
  assert.equal(platemoHV([], front), 0);
  // 4-D is exact here (PlatEMO would use Monte Carlo).
  const f4 = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
  close(platemoHV([[0, 0, 0, 0]], f4), 1, 1e-15);
  const n = platemoNormalize([[0.5, 0.5]], front);
  assert.deepEqual(Array.from(n.fmin), [0, 0]);
  assert.deepEqual(Array.from(n.fmax), [1, 1]);
  assert.throws(() => platemoHV([[0, 0]], [[0, 0]]), RangeError);
  assert.throws(() => platemoHV([[0, 0, 0]], front), RangeError);
  assert.throws(() => platemoHV([[0, NaN]], front), /point 0/);
});

Deno.test("normalize: affine per objective", () => {
  const p = normalize([[1, 10], [3, 20]], [1, 10], [3, 30]);
  assert.deepEqual(Array.from(p.data), [0, 0, 1, 0.5]);
  assert.throws(() => normalize([[1, 2]], [0, 2], [1, 2]), RangeError);
  assert.throws(() => normalize([[1, 2]], [0], [1]), RangeError);
});

// ---------------------------------------------------------------------------------------------
// IGD, IGD+, GD

Deno.test("igd / igdPlus / gd / gdMean / gdPlus: hand examples", () => {
  const Z = [[0, 1], [1, 0]];
  // IGD: front points (0,1) and (1,0) are 1 and √5 from (0,2).
  close(igd([[0, 2]], Z), (1 + Math.sqrt(5)) / 2, 1e-15);
  // IGD+: d+((0,1), (0,2)) = 1; d+((1,0), (0,2)) = sqrt(0² + 2²) = 2.
  close(igdPlus([[0, 2]], Z), 1.5, 1e-15);
  // A point better than the front has IGD+ 0 but IGD > 0.
  assert.equal(igdPlus([[0, 0]], Z), 0);
  close(igd([[0, 0]], Z), 1, 1e-15);
  // GD (PlatEMO): distances 1, 1 → sqrt(1 + 1) / 2; gdMean (pymoo): 1.
  const A = [[0, 2], [2, 0]];
  close(gd(A, Z), Math.SQRT2 / 2, 1e-15);
  close(gdMean(A, Z), 1, 1e-15);
  close(gdPlus(A, Z), 1, 1e-15);
  // Distances 3 and 4 to the single front point: GD = 5/2, gdMean = 3.5.
  close(gd([[3, 0], [0, 4]], [[0, 0]]), 2.5, 1e-15);
  close(gdMean([[3, 0], [0, 4]], [[0, 0]]), 3.5, 1e-15);
  // Approximation set equal to the front.
  assert.equal(igd(Z, Z), 0);
  assert.equal(gd(Z, Z), 0);
});

Deno.test("igd family: empty sets and validation", () => {
  for (const f of [igd, igdPlus, gd, gdMean, gdPlus]) {
    assert.equal(f([], [[0, 1]]), Infinity);
    assert.throws(() => f([[0, 1]], []), RangeError);
    assert.throws(() => f([[0, 1, 2]], [[0, 1]]), RangeError);
    assert.throws(() => f([[0, 1], [NaN, 1]], [[0, 1]]), /point 1/);
    assert.throws(() => f([[0, 1]], [[0, 1], [0, 1], [Infinity, 1]]), /front: point 2/);
  }
});

// ---------------------------------------------------------------------------------------------
// Spread

Deno.test("spread: uniform fronts reaching the extremes give 0", () => {
  const F = Array.from({ length: 11 }, (_, i) => [i / 10, 1 - i / 10]);
  close(debSpread(F, F), 0, 1e-12);
  close(spread(F.slice().reverse(), F), 0, 1e-12);
  // Simplex lattice (H = 2) in 3-D: six points, every nearest-neighbour distance √2/2.
  const S = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  close(generalizedSpread(S, S), 0, 1e-12);
  close(spread(S, S), 0, 1e-12);
});

Deno.test("spread: hand examples", () => {
  const F = [[0, 1], [1, 0]];
  // d_f = 0, d_l = |(0.5,0.5) − (1,0)| = √0.5, one gap √0.5 → √0.5 / (2√0.5).
  close(debSpread([[0, 1], [0.5, 0.5]], F), 0.5, 1e-15);
  // Uneven gaps: points 0, 0.25, 1 on the line with extremes reached.
  // gaps √2·0.25, √2·0.75; mean √2·0.5; deviations √2·0.5 → 0.5 / 1.
  close(debSpread([[0, 1], [0.25, 0.75], [1, 0]], F), 0.5, 1e-15);
  assert.equal(debSpread([], F), Infinity);
  assert.equal(debSpread([[0.5, 0.5]], F), 1);
  // Generalised spread, 2-D: extremes (1,0) and (0,1); d1 = 0; nn = [√2/2, √2/2, √2/2]; N − m = 1 → 0.
  close(generalizedSpread([[0, 1], [0.5, 0.5], [1, 0]], F), 0, 1e-15);
  // Unreached extreme: points (0,1),(0.5,0.5),(0.75,0.25); e = (1,0) is √0.125 away from the last.
  const d1 = Math.sqrt(0.125), a = Math.SQRT1_2, b = Math.sqrt(0.125);
  const nn = [a, b, b], mean = (a + 2 * b) / 3;
  const want = (d1 + nn.reduce((s, v) => s + Math.abs(v - mean), 0)) / (d1 + 1 * mean);
  close(generalizedSpread([[0, 1], [0.5, 0.5], [0.75, 0.25]], F), want, 1e-15);
  assert.equal(generalizedSpread([[0, 1]], F), Infinity);
  assert.throws(() => debSpread([[0, 1, 2]], [[0, 1, 2]]), RangeError);
  assert.throws(() => spread([[0]], [[0]]), RangeError);
  assert.throws(() => spread([[0, 1]], [[0, 1, 2]]), RangeError);
  assert.throws(() => spread([[0, NaN]], F), /point 0/);
});

// ---------------------------------------------------------------------------------------------
// Hypervolume, 2-D and 3-D: inputs already in order (sortIndices' early exit), reversed, ±0

Deno.test("hypervolume 2-D/3-D: sorted, reversed and shuffled inputs with ties, duplicates and ±0 equal the grid", () => {
  const rng = new Rng(1919);
  for (const m of [2, 3]) {
    const r = m === 2 ? [1.1, 1.05] : [1.1, 1.05, 1.2];
    for (const n of [0, 1, 2, 3, 33, 90]) {
      for (let trial = 0; trial < 4; trial++) {
        // Discrete coordinates: ties in every objective, exact duplicates, points on the reference.
        const P = trial < 2 ? randomSet(rng, n, m, trial === 1) : sphereFront(rng, n, m);
        for (const p of P) for (let j = 0; j < m; j++) if (p[j] === 0 && rng.random() < 0.5) p[j] = -0;
        if (n > 2) P.push(P[0].slice(), P[0].map((v, j) => (j === 0 ? 1.1 : v)));
        const want = hvGrid(P, r);
        const byX = P.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        for (
          const [what, Q] of [["shuffled", P], ["sorted", byX], ["reversed", byX.slice().reverse()]] as const
        ) {
          close(hypervolume(Q, r), want, 1e-12 * Math.max(1, want), `m=${m} n=${n} trial=${trial} ${what}`);
        }
      }
    }
  }
});

Deno.test("hypervolume 2-D/3-D: a −0 coordinate counts as 0 when the smallest value is +0", () => {
  // More than 32 points, so the radix sort runs: −0 − (+0) = −0 once sorted after every other key.
  const P: number[][] = [[0, 0.9]];
  for (let i = 0; i < 40; i++) P.push([0.2 + i / 100, 0.4 - i / 200]);
  P.push([-0, 0.5]);
  const r = [1, 1];
  const want = hvGrid(P, r);
  assert.ok(want > hvGrid(P.slice(0, -1), r)); // (−0, 0.5) adds area
  close(hypervolume(P, r), want, 1e-14);
  close(hypervolume(P.map(([x, y]) => [x, y, 0]), [1, 1, 1]), want, 1e-14);
  close(
    hypervolume(P.map(([x, y]) => [0.5, y, x]), [1, 1, 1]),
    0.5 * hvGrid(P.map(([x, y]) => [y, x]), r),
    1e-14,
  );
});
