/** Many-objective hypervolume: the 4-D sweep and WFG above it, against brute force and identities. */
import assert from "node:assert/strict";
import { Rng } from "../lib/core/rng.ts";
import { hypervolume } from "../lib/indicators/mod.ts";
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
