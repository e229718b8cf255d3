/**
 * runMany beyond plain-JSON specs: an asynchronous algorithm (NSGA-II-LLM with a local generator that
 * awaits), a Problem object with and without a known front, indicator functions, specs of both kinds
 * in one call (order, cache), and the errors a wrong spec gets.
 */
import assert from "node:assert/strict";
import {
  type AlgorithmFactory,
  type AnyRunSpec,
  isJsonSpec,
  readCache,
  runMany,
  runOne,
  runOneAsync,
  type RunSpec,
} from "../lib/experiment/run.ts";
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { NSGA2LLM } from "../lib/nsga2_llm/algorithm.ts";
import { defineProblem } from "../lib/core/problem.ts";
import { getProblem } from "../lib/problems/mod.ts";
import { platemoHV } from "../lib/indicators/normalize.ts";
import { igd } from "../lib/indicators/igd.ts";
import { hypervolume } from "../lib/indicators/hypervolume.ts";
import { asPoints } from "../lib/core/points.ts";

const small = { problem: "ZDT1", nVar: 8, maxEvaluations: 600, popSize: 20 } as const;

/** NSGA-II by a factory: the same runs as the named "NSGA-II" with the same seed and size. */
const nsga2: AlgorithmFactory<NSGA2> = {
  name: "NSGA-II (factory)",
  create: (problem, spec) => new NSGA2(problem, { popSize: spec.popSize, seed: spec.seed }),
};

Deno.test("runMany: an algorithm factory gives the named algorithm's record, in this thread", async () => {
  const named: RunSpec[] = [1, 2].map((seed) => ({ ...small, algorithm: "NSGA-II", seed, curveEvery: 3 }));
  const byValue: AnyRunSpec[] = named.map((s) => ({ ...s, algorithm: nsga2 }));
  const [a, b] = [await runMany(named, { workers: 2 }), await runMany(byValue, { workers: 2 })];
  for (let i = 0; i < a.length; i++) {
    assert.deepEqual(b[i].front, a[i].front);
    assert.equal(b[i].HV, a[i].HV);
    assert.equal(b[i].IGD, a[i].IGD);
    assert.deepEqual(b[i].curve, a[i].curve);
    assert.equal(b[i].spec, byValue[i]); // the spec as given, functions and all
  }
});

/** A generator that awaits (as an LLM call does) and proposes the midpoint of the box, shifted by generation. */
const awaitingGenerator = async (_: unknown, req: { generation: number; count: number; nVar: number }) => {
  await new Promise((r) => setTimeout(r, 0));
  const x = new Float64Array(req.count * req.nVar);
  for (let i = 0; i < x.length; i++) x[i] = ((i + req.generation) % 7) / 7;
  return x;
};

Deno.test("runMany: an asynchronous algorithm (NSGA-II-LLM) is awaited; runOne refuses it", async () => {
  let created = 0;
  const llm: AlgorithmFactory<NSGA2LLM> = {
    name: "NSGA-II-LLM",
    create: (problem, spec) => {
      created++;
      return new NSGA2LLM(new NSGA2(problem, { popSize: 20, seed: spec.seed }), {
        generator: awaitingGenerator,
      });
    },
    details: (a) => ({ llmGenerations: a.llmGenerations, fallbacks: a.fallbacks, note: "local generator" }),
  };
  const specs: AnyRunSpec[] = [3, 4].map((seed) => ({
    ...small,
    maxEvaluations: 20 * 30,
    algorithm: llm,
    seed,
  }));
  const records = await runMany(specs);
  assert.equal(created, 2);
  for (const r of records) {
    assert.ok(r.evaluations <= 600 && r.evaluations >= 580, `${r.evaluations}`);
    assert.ok((r.details!.llmGenerations as number) > 0, "the LLM step ran");
    assert.equal(r.details!.fallbacks, 0);
    assert.equal(r.details!.note, "local generator");
    const truth = getProblem("ZDT1", { nVar: 8 }).paretoFront!();
    assert.equal(r.HV, platemoHV(asPoints(r.front), truth));
  }
  // the same seed gives the same record, byte for byte (up to the wall time)
  const again = await runOneAsync(specs[0]);
  assert.deepEqual({ ...again, seconds: 0 }, { ...records[0], seconds: 0 });
  assert.throws(() => runOne(specs[0]), /asynchronous work.*runAsync/);
});

Deno.test("runMany: an async run beside worker runs gives the record it gives alone (notebook 02's pattern)", async () => {
  const llm: AlgorithmFactory<NSGA2LLM> = {
    name: "NSGA-II-LLM",
    create: (problem, spec) =>
      new NSGA2LLM(new NSGA2(problem, { popSize: 20, seed: spec.seed }), { generator: awaitingGenerator }),
  };
  const async: AnyRunSpec[] = [5, 6].map((seed) => ({ ...small, algorithm: llm, seed, curveEvery: 5 }));
  const alone = await runMany(async);
  const mixed = await runMany([
    ...[1, 2, 3, 4].map((seed) => ({ ...small, algorithm: "NSGA-II", seed })),
    ...async,
  ], { workers: 2 });
  assert.deepEqual(
    mixed.slice(4).map((r) => ({ ...r, seconds: 0 })),
    alone.map((r) => ({ ...r, seconds: 0 })),
  );
  assert.deepEqual(mixed.slice(0, 4).map((r) => r.spec.algorithm), [
    "NSGA-II",
    "NSGA-II",
    "NSGA-II",
    "NSGA-II",
  ]);
});

/** Schaffer's problem N.1 on [0, 2]: front f2 = (√f1 − 2)², known in closed form. */
const schaffer = (withFront: boolean) =>
  defineProblem({
    name: "Schaffer",
    lower: [-10],
    upper: [10],
    nObj: 2,
    objectives: (x) => [x[0] ** 2, (x[0] - 2) ** 2],
    paretoFront: withFront
      ? (n = 1000) =>
        asPoints(Array.from({ length: n }, (_, i) => [(2 * i / (n - 1)) ** 2, (2 * i / (n - 1) - 2) ** 2]))
      : undefined,
  });

Deno.test("runMany: a Problem object, with a known front (HV, IGD) and without (NaN; its own indicators)", async () => {
  const withFront = schaffer(true), without = schaffer(false);
  const hv44 = (f: Parameters<typeof hypervolume>[0]) => hypervolume(f, [4, 4]);
  const [a, b] = await runMany([
    { algorithm: "NSGA-II", problem: withFront, seed: 1, maxEvaluations: 1000, popSize: 20, curveEvery: 10 },
    {
      algorithm: "NSGA-II",
      problem: without,
      seed: 1,
      maxEvaluations: 1000,
      popSize: 20,
      indicators: { HV44: hv44, size: (f) => f.n },
      curveEvery: 10,
      curveIndicator: "HV44",
    },
  ]);
  const truth = withFront.paretoFront!();
  assert.equal(a.HV, platemoHV(asPoints(a.front), truth));
  assert.equal(a.IGD, igd(asPoints(a.front), truth));
  assert.ok(a.IGD < 0.2, `IGD ${a.IGD}`); // 20 points on a front of arc length ≈ 5.9
  assert.deepEqual(b.front, a.front, "same algorithm, seed and objectives: the same run");
  assert.ok(Number.isNaN(b.HV) && Number.isNaN(b.IGD));
  // the indicator on the final front; the whole true front's is ∫₀⁴ (4√u − u) du = 40/3
  assert.equal(b.indicators!.HV44, hv44(asPoints(b.front)));
  assert.equal(b.indicators!.size, b.front.length);
  assert.ok(b.indicators!.HV44 > 12.5 && b.indicators!.HV44 < 40 / 3, `${b.indicators!.HV44}`);
  assert.equal(b.curve.at(-1)![1], b.indicators!.HV44, "the curve ends at the final value");
  // generation 1, every 10th (200, 400, … evaluations) and the last: 1000 evaluations in 50 generations
  assert.deepEqual(b.curve.map(([e]) => e), [20, 200, 400, 600, 800, 1000]);
});

Deno.test("runMany: clear errors for a wrong spec", async () => {
  const without = schaffer(false);
  await assert.rejects(
    runMany([{
      algorithm: "NSGA-II",
      problem: without,
      seed: 1,
      maxEvaluations: 100,
      popSize: 20,
      curveEvery: 5,
    }]),
    /Schaffer has no known Pareto front for HV; give indicators and a curveIndicator/,
  );
  await assert.rejects(
    runMany([{ ...small, algorithm: "NSGA-II", seed: 1, curveEvery: 5, curveIndicator: "spread" }]),
    /curveIndicator spread is not HV, IGD or one of the spec's indicators/,
  );
  await assert.rejects(
    runMany([{ ...small, algorithm: { name: "x" } as unknown as AlgorithmFactory, seed: 1 }]),
    /neither a name nor \{ name, create \}/,
  );
  await assert.rejects(
    runMany([{ ...small, problem: { name: "p" } as never, algorithm: "NSGA-II", seed: 1 }]),
    /neither a name nor a Problem object/,
  );
  await assert.rejects(
    runMany([{ ...small, problem: getProblem("ZDT1"), algorithm: "NSGA-II", seed: 1 }]),
    /nVar and nObj size a named problem; ZDT1 is an object of its own size/,
  );
});

Deno.test("isJsonSpec: options of JSON values only; a function or class instance keeps the run in this thread", () => {
  const base: RunSpec = { ...small, algorithm: "NSGA-II", seed: 1 };
  assert.ok(isJsonSpec(base));
  assert.ok(isJsonSpec({ ...base, options: { crossover: { eta: 15, prob: 0.9 }, refPoints: [[0.5, 0.5]] } }));
  assert.ok(!isJsonSpec({ ...base, options: { crossover: { apply: () => 0 } } }));
  assert.ok(!isJsonSpec({ ...base, options: { weights: new Float64Array(2) } }));
  assert.ok(!isJsonSpec({ ...base, options: { eta: NaN } }));
  assert.ok(!isJsonSpec({ ...base, indicators: { n: (f) => f.n } }));
  assert.ok(!isJsonSpec({ ...base, problem: getProblem("ZDT1") } as AnyRunSpec));
});

Deno.test("runMany: JSON and by-value specs together keep their order; only JSON records are cached", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cache = `${dir}/runs.jsonl`;
    const specs: AnyRunSpec[] = [1, 2, 3].flatMap((seed) => [
      { ...small, algorithm: "NSGA-II", seed },
      { ...small, algorithm: nsga2, seed },
    ]);
    const seen: number[] = [];
    const records = await runMany(specs, { workers: 2, cache, onRecord: (_, done) => void seen.push(done) });
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
    records.forEach((r, i) => assert.deepEqual(r.spec, specs[i]));
    for (let i = 1; i < 6; i += 2) assert.equal(records[i].spec, specs[i], "by-value specs as given");
    for (let i = 0; i < 6; i += 2) assert.deepEqual(records[i + 1].front, records[i].front);
    const stored = readCache(cache);
    assert.equal(stored.size, 3, "the three named runs");
    // a second call takes the named runs from the cache and runs the others again
    const again = await runMany(specs, { workers: 2, cache });
    again.forEach((r, i) => assert.equal(r.HV, records[i].HV));
    assert.equal(readCache(cache).size, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runMany: a failing run in this thread rejects, and the workers stop", async () => {
  const broken: AlgorithmFactory = {
    name: "broken",
    create: () => {
      throw new Error("cannot build");
    },
  };
  const specs: AnyRunSpec[] = [
    ...[1, 2, 3, 4].map((seed) => ({ ...small, algorithm: "NSGA-II", seed })),
    { ...small, algorithm: broken, seed: 1 },
  ];
  await assert.rejects(runMany(specs, { workers: 2 }), /cannot build/);
});
