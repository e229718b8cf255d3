/**
 * Inputs of the many-objective side-by-side cases (beside ../shared/anchors/side/gen_data.py, which
 * covers 2-D to 5-D): writes CSV files (no header, 17 significant digits) into `<SIDE_WORK>/data`
 * (default `out/side/data` of the current directory), seeded, so every peer reads the same numbers.
 *
 * - `front{8,10}_200`: 200 mutually non-dominated points on the positive orthant of the unit sphere
 *   mirrored into the unit cube (`1 − |g| / ‖g‖` for standard normal g; a concave front, the
  construction of bench/indicators_bench.ts). On the convex mirror image (`|g| / ‖g‖`, gen_data.py's
  `front4_1000`) at 200 points pagmo's WFG needs minutes in 10-D and moocore hours in 8-D.
 * - `rand{8,10}_10000`: 10,000 uniform random points in [0,1]^m, for non-dominated sorting.
 *
 * Run: `deno run -A bench/peers/gen_many.ts`. Reference point for the HV cases: 1.1 in every objective.
 */
import { Rng } from "../../lib/core/rng.ts";

const work = Deno.env.get("SIDE_WORK") ?? `${Deno.cwd()}/out/side`;
const dir = `${work}/data`;
Deno.mkdirSync(dir, { recursive: true });

function save(name: string, rows: number[][]): void {
  const text = rows.map((r) => r.map((v) => v.toPrecision(17)).join(",")).join("\n") + "\n";
  Deno.writeTextFileSync(`${dir}/${name}.csv`, text);
}

function sphere(n: number, m: number, rng: Rng): number[][] {
  return Array.from({ length: n }, () => {
    const g = Array.from({ length: m }, () => Math.abs(rng.normal()));
    const s = Math.hypot(...g);
    return g.map((v) => 1 - v / s);
  });
}

const rng = new Rng(20261130);
for (const m of [8, 10]) save(`front${m}_200`, sphere(200, m, rng));
for (const m of [8, 10]) {
  save(`rand${m}_10000`, Array.from({ length: 10_000 }, () => Array.from({ length: m }, () => rng.random())));
}
console.log(`wrote front8_200, front10_200, rand8_10000, rand10_10000 into ${dir}`);
