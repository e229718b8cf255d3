/**
 * `deno task bench:peers`: the side-by-side timing of moolab against pagmo2 and moocore (and DEAP),
 * using the drivers and runner in `../shared/anchors/side/` (read-only) for the 2-D to 5-D cases, and
 * the drivers beside this file for the 8-D and 10-D cases (HV of 200 points, sorting of 10,000).
 * Not part of CI: it needs Debian's libpagmo-dev, python3-deap, python3-numpy, g++ and make.
 *
 * Usage: deno task bench:peers [--rounds 5] [--max-load 2.5] [--no-deap] [--only-many] [--moocore-hv]
 *   --rounds      interleaved rounds (each round runs every driver once, order rotated per round)
 *   --max-load    passed to run_side.py, which waits (up to 10 min per driver) for a lower load
 *   --only-many   skip the 2-D to 5-D cases of run_side.py
 *   --moocore-hv  also time moocore's HV on the 8-D/10-D fronts (exponential: hours per call)
 * Environment: SIDE_DIR (the drivers, default ../shared/anchors/side), SIDE_WORK (default out/side),
 * MOOLAB_PROJECT (the checkout to time, default the current directory), SIDE_QUICK=1 (smoke test).
 * Output: SIDE_WORK/results/table.md (run_side.py), SIDE_WORK/results/many.md and many.json (here).
 *
 * @module
 */
import { parseArgs } from "node:util";

const project = Deno.env.get("MOOLAB_PROJECT") ?? Deno.cwd();
const side = Deno.env.get("SIDE_DIR") ?? `${project}/../shared/anchors/side`;
const work = Deno.env.get("SIDE_WORK") ?? `${project}/out/side`;
const here = new URL(".", import.meta.url).pathname;
const { values: opt } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "5" },
    "max-load": { type: "string", default: "2.5" },
    "no-deap": { type: "boolean", default: false },
    "only-many": { type: "boolean", default: false },
    "moocore-hv": { type: "boolean", default: false },
  },
});
const rounds = Number(opt.rounds);

function run(cmd: string[], env: Record<string, string> = {}, quiet = false): string {
  const out = new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd: project,
    env: { ...env, MOOLAB_PROJECT: project, SIDE_WORK: work },
    stdout: quiet ? "piped" : "inherit",
    stderr: "inherit",
  }).outputSync();
  if (!out.success) throw new Error(`bench:peers: ${cmd.join(" ")} failed (exit ${out.code})`);
  return quiet ? new TextDecoder().decode(out.stdout) : "";
}

function has(cmd: string[]): boolean {
  try {
    return new Deno.Command(cmd[0], { args: cmd.slice(1), stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

// Prerequisites.
const missing: string[] = [];
if (!has(["g++", "--version"]) || !has(["gcc", "--version"])) missing.push("g++");
if (!has(["make", "--version"])) missing.push("make");
if (!has(["python3", "-c", "import numpy"])) missing.push("python3-numpy");
// The DEAP driver runs under /usr/bin/python3 (Debian's), whatever python3 is first on PATH.
if (!opt["no-deap"] && !has(["/usr/bin/python3", "-c", "import deap"])) missing.push("python3-deap");
try {
  Deno.statSync("/usr/include/pagmo/pagmo.hpp");
} catch {
  missing.push("libpagmo-dev");
}
try {
  Deno.statSync(`${side}/run_side.py`);
} catch {
  console.error(`bench:peers: no side-by-side drivers at ${side} (set SIDE_DIR)`);
  Deno.exit(1);
}
if (missing.length > 0) {
  console.error(
    `bench:peers: missing ${missing.join(", ")}; install with\n  apt-get install -y ${missing.join(" ")}`,
  );
  Deno.exit(1);
}

// Inputs and drivers.
run(["python3", `${side}/gen_data.py`]);
run([Deno.execPath(), "run", "-A", `${here}gen_many.ts`]);
run(["sh", `${side}/build.sh`]);
const mc = `${side}/moocore-c`;
run([
  "g++",
  "-O2",
  "-std=c++17",
  `${here}pagmo_many.cpp`,
  "-o",
  `${work}/pagmo_many`,
  "-lpagmo",
  "-ltbb",
  "-lboost_serialization",
]);
run([
  "gcc",
  "-std=gnu11",
  "-O2",
  "-DNDEBUG",
  "-DDEBUG=0",
  `-I${mc}`,
  `${here}moocore_many.c`,
  ...["hv.c", "hv3dplus.c", "hv4d.c", "hvc3d.c", "hv_contrib.c", "pareto.c", "avl.c", "libutil.c"].map((f) =>
    `${mc}/${f}`
  ),
  "-lm",
  "-o",
  `${work}/moocore_many`,
]);

// 2-D to 5-D, NSGA-II and MOEA/D-DE: the shared runner.
if (!opt["only-many"]) {
  run([
    "python3",
    `${side}/run_side.py`,
    "--rounds",
    String(rounds),
    "--max-load",
    opt["max-load"],
    ...(opt["no-deap"] ? ["--no-deap"] : []),
  ]);
}

// 8-D and 10-D: the same protocol, interleaved, order rotated each round.
const data = `${work}/data`;
const HV = ["hv8_200", "hv10_200"], NDS = ["nds8_10000", "nds10_10000"];
const drivers: Record<string, string[]> = {
  pagmo: [`${work}/pagmo_many`, data],
  moocore: [`${work}/moocore_many`, data, ...(opt["moocore-hv"] ? [] : NDS)],
  moolab: [Deno.execPath(), "run", "-A", `${here}moolab_many.ts`, data],
};
const names = Object.keys(drivers);
const load1 = () => Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
type Row = Record<string, string>;
const res: Record<string, Record<string, Row[]>> = {};
const loads: number[] = [];
const started = new Date().toISOString();
for (let r = 0; r < rounds; r++) {
  const dump = `${work}/results/dumps_many/round${r + 1}`;
  Deno.mkdirSync(dump, { recursive: true });
  const order = [...names.slice(r % names.length), ...names.slice(0, r % names.length)];
  for (const d of order) {
    loads.push(load1());
    const t0 = performance.now();
    const text = run(drivers[d], { SIDE_DUMP: dump }, true);
    loads.push(load1());
    for (const line of text.split("\n")) {
      if (!line.startsWith("CASE ")) continue;
      const [, kase, ...kv] = line.split(" ");
      ((res[d] ??= {})[kase] ??= []).push(Object.fromEntries(kv.map((s) => s.split("=", 2))));
    }
    console.log(`round ${r + 1} ${d}: ${((performance.now() - t0) / 1000).toFixed(1)} s, load ${load1()}`);
  }
}
const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y), k = s.length;
  return k % 2 ? s[(k - 1) / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
};
const lines = [
  `8-D and 10-D side by side, ${rounds} interleaved rounds, ${started} – ${new Date().toISOString()}. ` +
  `Cells: median over rounds of the per-round median, ms. 1-min load average around the driver runs: ` +
  `min ${Math.min(...loads)}, median ${median(loads)}, max ${Math.max(...loads)}.`,
  "",
  "| case | pagmo 2.18 | moocore -O2 | moolab | moolab / best peer | agree? |",
  "|---|---|---|---|---|---|",
];
const summary: Record<string, unknown> = { started, rounds, loads };
for (const kase of [...HV, ...NDS]) {
  const med: Record<string, number> = {};
  for (const d of names) {
    const rows = res[d]?.[kase];
    if (rows?.length) med[d] = median(rows.map((x) => Number(x.median_ms)));
  }
  const peers = ["pagmo", "moocore"].filter((d) => d in med);
  const best = peers.length ? peers.reduce((a, b) => (med[a] <= med[b] ? a : b)) : undefined;
  const ratio = best && "moolab" in med ? med.moolab / med[best] : NaN;
  let agree: string;
  if (kase.startsWith("hv")) {
    const vals = names.flatMap((d) => (res[d]?.[kase] ?? []).map((x) => Number(x.hv)));
    const diff = Math.max(...vals) - Math.min(...vals);
    agree = `${diff <= 1e-10 ? "yes" : "**NO**"}, max diff ${diff.toExponential(1)}`;
  } else {
    let same = true;
    for (let r = 0; r < rounds; r++) {
      const texts = new Set<string>();
      for (const d of names) {
        try {
          texts.add(
            Deno.readTextFileSync(`${work}/results/dumps_many/round${r + 1}/${d}_${kase}.txt`).trim(),
          );
        } catch {
          same = false;
        }
      }
      same &&= texts.size === 1;
    }
    const f = res.moolab?.[kase]?.[0];
    agree = `${same ? "yes, same ranks" : "**NO**"}${f ? `, ${f.fronts} fronts / first ${f.first}` : ""}`;
  }
  const cell = (d: string) => (d in med ? med[d].toPrecision(3) : "–");
  lines.push(
    `| ${kase} | ${cell("pagmo")} | ${cell("moocore")} | ${cell("moolab")} | ` +
      `${Number.isFinite(ratio) ? `${ratio.toFixed(2)} vs ${best}` : "–"} | ${agree} |`,
  );
  summary[kase] = { medians: med, best, ratio, agree };
}
if (!opt["moocore-hv"]) {
  lines.push(
    "",
    "moocore's HV is not timed in 8-D/10-D (--moocore-hv to force it): its recursion is exponential in m " +
      "(100 points in 8-D took 4.5 s and 50 points in 10-D 6.6 s on this machine).",
  );
}
Deno.mkdirSync(`${work}/results`, { recursive: true });
Deno.writeTextFileSync(`${work}/results/many.md`, lines.join("\n") + "\n");
Deno.writeTextFileSync(`${work}/results/many.json`, JSON.stringify({ summary, raw: res }, null, 1));
console.log(lines.join("\n"));
