/** Brute-force hypervolume references and test sets shared by the indicator tests. */
import type { Rng } from "../lib/core/rng.ts";

// ---------------------------------------------------------------------------------------------
// Brute-force references

/** Inclusion–exclusion over all non-empty subsets (n ≤ ~14). */
export function hvInclusionExclusion(P: number[][], r: number[]): number {
  const n = P.length, m = r.length;
  let total = 0;
  for (let mask = 1; mask < 1 << n; mask++) {
    let vol = 1, bits = 0;
    for (let j = 0; j < m && vol > 0; j++) {
      let mx = -Infinity;
      for (let i = 0; i < n; i++) if (mask & (1 << i)) mx = Math.max(mx, P[i][j]);
      vol *= Math.max(0, r[j] - mx);
    }
    for (let i = 0; i < n; i++) if (mask & (1 << i)) bits++;
    total += bits % 2 ? vol : -vol;
  }
  return total;
}

/** Union of boxes on the grid of all coordinates: each grid cell is in or out. */
export function hvGrid(P: number[][], r: number[]): number {
  const m = r.length;
  const cs = r.map((rj, j) =>
    [...new Set([...P.map((p) => p[j]).filter((v) => v < rj), rj])].sort((a, b) => a - b)
  );
  let total = 0;
  const corner = new Array(m).fill(0);
  const rec = (j: number, vol: number) => {
    if (j === m) {
      if (P.some((p) => p.every((v, t) => v <= corner[t]))) total += vol;
      return;
    }
    for (let a = 0; a + 1 < cs[j].length; a++) {
      corner[j] = cs[j][a];
      rec(j + 1, vol * (cs[j][a + 1] - cs[j][a]));
    }
  };
  rec(0, 1);
  return total;
}

export function randomSet(rng: Rng, n: number, m: number, discrete: boolean): number[][] {
  return Array.from(
    { length: n },
    () => Array.from({ length: m }, () => discrete ? rng.int(6) / 5 : rng.random()),
  );
}

/** n points on the positive unit sphere mirrored into [0,1]^m (mutually non-dominated). */
export function sphereFront(rng: Rng, n: number, m: number): number[][] {
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: m }, () => Math.abs(rng.normal()));
    const s = Math.hypot(...v);
    return v.map((x) => 1 - x / s);
  });
}
