/** Many-objective non-dominated sorting (the dominance bit-set sort) against Deb's brute-force sort. */
import assert from "node:assert/strict";
import { Rng } from "../lib/core/rng.ts";
import { nondominatedSort } from "../lib/core/sorting.ts";
import { sortIndices } from "../lib/core/sort_indices.ts";

/** Deb et al.'s fast non-dominated sort (2002), written plainly: domination counts, then peeling. */
function debRanks(F: number[][]): number[] {
  const n = F.length;
  const dominates = (a: number[], b: number[]) => a.every((v, j) => v <= b[j]) && a.some((v, j) => v < b[j]);
  const count = new Array(n).fill(0);
  const dominated: number[][] = F.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (dominates(F[i], F[j])) {
        dominated[i].push(j);
        count[j]++;
      }
    }
  }
  const rank = new Array(n).fill(-1);
  let front = F.map((_, i) => i).filter((i) => count[i] === 0);
  for (let r = 0; front.length > 0; r++) {
    const next: number[] = [];
    for (const i of front) {
      rank[i] = r;
      for (const j of dominated[i]) if (--count[j] === 0) next.push(j);
    }
    front = next;
  }
  return rank;
}

Deno.test("nondominatedSort 4-D to 10-D: equals Deb's sort on sets large enough to use the checkpoints", () => {
  const rng = new Rng(410);
  for (const m of [4, 5, 6, 8, 10]) {
    for (let trial = 0; trial < 4; trial++) {
      const n = 150 + rng.int(500);
      // Odd trials: few distinct values per objective, so ties and exact duplicates are common.
      const levels = trial % 2 ? 4 : 0;
      const F = Array.from(
        { length: n },
        () => Array.from({ length: m }, () => levels ? rng.int(levels) / levels : rng.random()),
      );
      for (let k = 0; k < n / 10; k++) F.push(F[rng.int(F.length)].slice());
      assert.deepEqual(
        Array.from(nondominatedSort(F).rank),
        debRanks(F),
        `m=${m} trial=${trial} n=${F.length}`,
      );
    }
  }
});

Deno.test("nondominatedSort 5-D: 3,000 uniform points equal Deb's sort; fronts list every point once", () => {
  const rng = new Rng(53);
  const F = Array.from({ length: 3000 }, () => Array.from({ length: 5 }, () => rng.random()));
  const { rank, fronts } = nondominatedSort(F);
  const want = debRanks(F);
  assert.deepEqual(Array.from(rank), want);
  assert.equal(fronts.length, Math.max(...want) + 1);
  assert.equal(fronts.reduce((s, f) => s + f.length, 0), 3000);
});

Deno.test("nondominatedSort 2-D: equals Deb's sort with ties, duplicates, infinities and constraints", () => {
  // The 2-D path sorts by (f1, f2) in one pass (f2 as the tie-break); with a non-finite value it falls
  // back to a comparator sort and orders runs of equal f1 afterwards.
  const rng = new Rng(202);
  for (let trial = 0; trial < 12; trial++) {
    const n = 40 + rng.int(300);
    const levels = trial % 3 === 0 ? 0 : 3 + rng.int(6);
    const F = Array.from(
      { length: n },
      () => [0, 1].map(() => levels ? rng.int(levels) / levels : rng.random()),
    );
    for (let k = 0; k < n / 8; k++) F.push(F[rng.int(F.length)].slice());
    if (trial % 4 === 1) {
      F[rng.int(F.length)][0] = Infinity;
      F[rng.int(F.length)][1] = -Infinity;
    }
    assert.deepEqual(Array.from(nondominatedSort(F).rank), debRanks(F), `trial ${trial}`);
    // Constraints: feasible points first, by Deb's sort among themselves.
    const cv = F.map(() => (rng.random() < 0.3 ? rng.int(3) : 0));
    const got = nondominatedSort(F, { cv }).rank;
    const feas = F.map((_, i) => i).filter((i) => cv[i] === 0);
    const want = debRanks(feas.map((i) => F[i]));
    feas.forEach((i, t) => assert.equal(got[i], want[t], `trial ${trial} feasible point ${i}`));
  }
});

// ---------------------------------------------------------------------------------------------
// The 2-D path (sortIndices, branch-free paired front search, fronts as views) and sortIndices

/** The fronts implied by a rank vector: indices ascending within a front, fronts in rank order. */
function frontsOf(rank: ArrayLike<number>): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rank.length; i++) {
    const r = rank[i];
    if (r < 0) continue;
    while (out.length <= r) out.push([]);
    out[r].push(i);
  }
  return out;
}

function check2d(F: number[][], what: string, cv?: number[]): void {
  const { rank, fronts } = nondominatedSort(F, cv ? { cv } : {});
  if (cv) {
    const feas = F.map((_, i) => i).filter((i) => cv[i] === 0);
    const want = debRanks(feas.map((i) => F[i]));
    feas.forEach((i, t) => assert.equal(rank[i], want[t], `${what}: feasible point ${i}`));
  } else assert.deepEqual(Array.from(rank), debRanks(F), what);
  assert.deepEqual(fronts.map((f) => Array.from(f)), frontsOf(rank), `${what}: fronts`);
}

Deno.test("nondominatedSort 2-D: every size 0..40 with heavy ties, adjacent duplicates and ±0", () => {
  // Points are searched in pairs; odd and even sizes, duplicates at either slot of a pair, and
  // duplicates of a point that opened a new front all take different branches.
  const rng = new Rng(2020);
  for (let n = 0; n <= 40; n++) {
    for (let trial = 0; trial < 6; trial++) {
      const levels = 2 + (trial % 4);
      const F: number[][] = [];
      while (F.length < n) {
        const p = [rng.int(levels) / levels, rng.int(levels) / levels].map((v) =>
          v === 0 && rng.random() < 0.5 ? -0 : v
        );
        F.push(p);
        if (F.length < n && rng.random() < 0.3) F.push(p.slice()); // adjacent exact duplicate
      }
      check2d(F, `n=${n} trial=${trial}`);
    }
  }
});

Deno.test("nondominatedSort 2-D: large random sets (radix paths) equal Deb's sort; infinities; -0 equals +0", () => {
  const rng = new Rng(2021);
  for (const n of [33, 1000, 1600, 2500]) {
    for (let trial = 0; trial < 3; trial++) {
      const levels = [0, 40, 7][trial];
      const F = Array.from(
        { length: n },
        () => [0, 1].map(() => levels ? rng.int(levels) / levels : rng.random()),
      );
      for (let k = 0; k < n / 10; k++) F.push(F[rng.int(F.length)].slice());
      check2d(F, `n=${n} levels=${levels}`);
      const cv = F.map(() => (rng.random() < 0.2 ? 1 + rng.int(3) : 0));
      check2d(F, `n=${n} levels=${levels} constrained`, cv);
    }
  }
  // Infinite coordinates in either objective. (5, ∞), (6, ∞), (7, ∞) come last in the sort, each
  // opening a front, so one searched pair holds two of them whatever the parity.
  for (const n of [60, 61]) {
    const F = Array.from({ length: n }, () => [rng.int(5), rng.int(5)]);
    F.push([1, Infinity], [-Infinity, 3], [0, -Infinity], [5, Infinity], [6, Infinity], [7, Infinity]);
    check2d(F, `infinities, n=${n}`);
    F.push([Infinity, Infinity], [Infinity, -Infinity]);
    check2d(F, `infinities, n=${n}`);
  }
  // -0 and +0 are the same value: (−0, 1) and (0, 1) are duplicates, (0, 0.5) dominates both.
  const Z: number[][] = [];
  for (let i = 0; i < 40; i++) Z.push([i / 40, 1 - i / 40]);
  Z.push([-0, 0.5], [0, 0.25], [-0, 1]);
  check2d(Z, "-0");
  assert.equal(nondominatedSort(Z).rank[40], 1);
});

Deno.test("nondominatedSort: maxCount keeps the fewest leading fronts; fronts are disjoint views", () => {
  const rng = new Rng(2022);
  const F = Array.from({ length: 500 }, () => [rng.random(), rng.random()]);
  const full = nondominatedSort(F);
  const cut = nondominatedSort(F, { maxCount: 30 });
  let kept = 0, k = 0;
  while (kept < 30) kept += full.fronts[k++].length;
  assert.equal(cut.fronts.length, k);
  for (let i = 0; i < F.length; i++) assert.equal(cut.rank[i], full.rank[i] < k ? full.rank[i] : -1);
  // Writing into one front must not change another.
  const f0 = Array.from(cut.fronts[1]);
  cut.fronts[0].fill(-7);
  assert.deepEqual(Array.from(cut.fronts[1]), f0);
  assert.deepEqual(nondominatedSort([]).fronts, []);
  assert.deepEqual(Array.from(nondominatedSort([[1, 2]]).rank), [0]);
});

Deno.test("sortIndices: the stable order by (key, tie) at every radix width; sorted, reversed, heavy-tailed, clustered inputs; ±0", () => {
  const rng = new Rng(2023);
  const out = new Uint32Array(30_000);
  for (const n of [0, 1, 2, 31, 33, 500, 1535, 1536, 5000, 24_575, 24_576, 30_000]) {
    for (let trial = 0; trial < 6; trial++) {
      const keys = new Float64Array(n), tie = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        keys[i] = trial === 1 ? rng.int(5) : trial === 2 ? Math.exp(40 * rng.random() - 20) : rng.random();
        tie[i] = rng.int(3);
        if (keys[i] === 0 && rng.random() < 0.5) keys[i] = -0;
      }
      if (trial === 1 && n > 0) keys[0] = 0; // the minimum is +0 and some keys are −0
      if (trial === 3) keys.sort(); // already in order: the early exit
      if (trial === 4) keys.sort().reverse();
      // A cluster of 60 distinct keys within 1e-12: too fine for the fixed-point keys (a run of
      // distinct keys after their passes), not crowded enough to be caught before them.
      if (trial === 5) { for (let i = 0; i < Math.min(n, 60); i++) keys[i] = 0.5 + i * 1e-14; }
      for (const t of [undefined, tie]) {
        const want = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
          keys[a] - keys[b] || (t ? t[a] - t[b] : 0) || a - b
        );
        sortIndices(keys, n, out, t);
        assert.deepEqual(
          Array.from(out.subarray(0, n)),
          want,
          `n=${n} trial=${trial} tie=${t !== undefined}`,
        );
      }
    }
  }
  // Sorted by key but not by tie: not the early exit.
  const keys = Float64Array.from({ length: 100 }, (_, i) => i >> 1),
    tie = Float64Array.from({ length: 100 }, (_, i) => 1 - (i & 1));
  sortIndices(keys, 100, out, tie);
  assert.deepEqual(Array.from(out.subarray(0, 4)), [1, 0, 3, 2]);
});
