/**
 * Hypervolume benchmarks. Points lie on the positive unit sphere mirrored into [0,1]^m
 * (`1 − |g| / ‖g‖` for Gaussian g), so they are mutually non-dominated; reference point 1.1^m.
 */
import { Rng } from "../lib/core/rng.ts";
import { type Points, points } from "../lib/core/points.ts";
import { hypervolume, hypervolumeContributions } from "../lib/indicators/mod.ts";
import { hypervolumeWfg } from "../lib/indicators/hypervolume.ts";

function sphereFront(n: number, m: number, seed: number): Points {
  const rng = new Rng(seed);
  const d = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) {
      const v = Math.abs(rng.normal());
      d[i * m + j] = v;
      s += v * v;
    }
    s = Math.sqrt(s);
    for (let j = 0; j < m; j++) d[i * m + j] = 1 - d[i * m + j] / s;
  }
  return points(d, m);
}

const cases: [number, number, string][] = [
  [1_000, 2, "hv 2-D"],
  [10_000, 2, "hv 2-D"],
  [100_000, 2, "hv 2-D"],
  [1_000, 3, "hv 3-D"],
  [10_000, 3, "hv 3-D"],
  [1_000, 4, "hv 4-D sweep"],
  [10_000, 4, "hv 4-D sweep"],
  [300, 5, "hv 5-D QHV-II"],
  [200, 8, "hv 8-D QHV-II"],
  [200, 10, "hv 10-D QHV-II"],
];
for (const [n, m, name] of cases) {
  const P = sphereFront(n, m, 42 + n + m);
  const ref = new Array(m).fill(1.1);
  Deno.bench(`${name}, ${n} points`, { group: `hv${m}` }, () => {
    hypervolume(P, ref);
  });
}

// The per-dimension choice of hypervolume.ts (QHV-II from 5 objectives on) against WFG on the same
// fronts; 10-D WFG is left out (seconds per call).
for (const [n, m] of [[300, 5], [120, 6], [200, 8]]) {
  const P = sphereFront(n, m, 42 + n + m);
  const ref = new Array(m).fill(1.1);
  Deno.bench(`hv ${m}-D WFG, ${n} points`, { group: `hv${m}` }, () => {
    hypervolumeWfg(P, ref);
  });
  if (m === 6) {
    Deno.bench(`hv ${m}-D QHV-II, ${n} points`, { group: `hv${m}`, baseline: true }, () => {
      hypervolume(P, ref);
    });
  }
}

const C2 = sphereFront(10_000, 2, 7);
Deno.bench("contributions 2-D, 10000 points", { group: "contrib" }, () => {
  hypervolumeContributions(C2, [1.1, 1.1]);
});

const C4 = sphereFront(100, 4, 9);
Deno.bench("contributions 4-D, 100 points", { group: "contrib" }, () => {
  hypervolumeContributions(C4, [1.1, 1.1, 1.1, 1.1]);
});
