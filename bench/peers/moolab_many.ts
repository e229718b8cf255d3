/**
 * moolab on the many-objective side-by-side cases (8-D and 10-D), timed in-process with the protocol
 * of ../shared/anchors/side/moolab_side.ts (which covers 2-D to 5-D).
 * Run from the checkout: deno run -A bench/peers/moolab_many.ts DATA_DIR [CASE ...] (default: every case)
 * Cases: hypervolume(points, ref) on front{8,10}_200 (hv8_200, hv10_200; reference 1.1) and
 * nondominatedSort(points) on rand{8,10}_10000 (nds8_10000, nds10_10000).
 * Protocol: warm-up until >= 2 calls and >= 0.2 s, then timed calls until >= 5 calls and >= 0.5 s
 * (at most 500); prints `CASE <case> median_ms=.. min_ms=.. reps=.. [hv=..] [fronts=.. first=..]`.
 * SIDE_QUICK=1: one warm-up and one timed call per case. SIDE_DUMP=DIR: ranks into DIR/moolab_<case>.txt.
 * MOOLAB_PROJECT: the checkout whose lib/mod.ts is timed (default: the current directory).
 */
const root = Deno.env.get("MOOLAB_PROJECT") ?? Deno.cwd();
const { hypervolume, nondominatedSort } = await import(`file://${root}/lib/mod.ts`);

const [dir, ...only] = Deno.args;
if (!dir) throw new Error("usage: moolab_many.ts DATA_DIR [CASE ...]");
const dump = Deno.env.get("SIDE_DUMP");
const quick = Number(Deno.env.get("SIDE_QUICK") ?? 0) > 0;
const wanted = (name: string) => only.length === 0 || only.includes(name);

function readRows(file: string): { data: Float64Array; n: number; m: number } {
  const lines = Deno.readTextFileSync(`${dir}/${file}.csv`).trim().split("\n");
  const m = lines[0].split(",").length;
  const data = new Float64Array(lines.length * m);
  lines.forEach((l, i) => l.split(",").forEach((v, j) => (data[i * m + j] = Number(v))));
  return { data, n: lines.length, m };
}

function timed(name: string, fn: () => void, extra: string): void {
  const [warm, totalMin, wMin, rMin] = quick ? [0, 0, 1, 1] : [200, 500, 2, 5];
  const t0 = performance.now();
  for (let w = 0; w < 1000 && (w < wMin || performance.now() - t0 < warm); w++) fn();
  const t: number[] = [];
  let total = 0;
  while (t.length < 500 && (t.length < rMin || total < totalMin)) {
    const a = performance.now();
    fn();
    const s = performance.now() - a;
    t.push(s);
    total += s;
  }
  t.sort((x, y) => x - y);
  const r = t.length;
  const med = r % 2 ? t[(r - 1) / 2] : 0.5 * (t[r / 2 - 1] + t[r / 2]);
  console.log(`CASE ${name} median_ms=${med.toFixed(6)} min_ms=${t[0].toFixed(6)} reps=${r} ${extra}`);
}

for (const [name, file] of [["hv8_200", "front8_200"], ["hv10_200", "front10_200"]]) {
  if (!wanted(name)) continue;
  const P = readRows(file);
  const ref = new Array(P.m).fill(1.1);
  let v = hypervolume(P, ref);
  timed(name, () => {
    v = hypervolume(P, ref);
  }, `n=${P.n} hv=${v.toPrecision(17)}`);
}
for (const [name, file] of [["nds8_10000", "rand8_10000"], ["nds10_10000", "rand10_10000"]]) {
  if (!wanted(name)) continue;
  const P = readRows(file);
  let res = nondominatedSort(P);
  if (dump) Deno.writeTextFileSync(`${dump}/moolab_${name}.txt`, Array.from(res.rank).join("\n") + "\n");
  timed(name, () => {
    res = nondominatedSort(P);
  }, `n=${P.n} fronts=${res.fronts.length} first=${res.fronts[0].length}`);
}
