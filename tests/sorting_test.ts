/** Many-objective non-dominated sorting (the dominance bit-set sort) against Deb's brute-force sort. */
import assert from "node:assert/strict";
import { Rng } from "../lib/core/rng.ts";
import { nondominatedSort } from "../lib/core/sorting.ts";

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
