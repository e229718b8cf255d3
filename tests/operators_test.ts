// Variation operators as values (lib/operators/variation.ts): custom operators are used, integer
// handling is the operator's in every algorithm, option errors are clear, and resume works with them.
import assert from "node:assert/strict";
import { defineProblem, type Problem } from "../lib/core/problem.ts";
import { Rng } from "../lib/core/rng.ts";
import { zdt1 } from "../lib/problems/zdt.ts";
import { dtlz2 } from "../lib/problems/dtlz.ts";
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { NSGA2ARSBX } from "../lib/algorithms/nsga2_arsbx.ts";
import { NSGA3 } from "../lib/algorithms/nsga3.ts";
import { RNSGA2 } from "../lib/algorithms/rnsga2.ts";
import { MOEAD } from "../lib/algorithms/moead.ts";
import { MOEADDE } from "../lib/algorithms/moead_de.ts";
import { MOEADDRA } from "../lib/algorithms/moead_dra.ts";
import { MOEADGen } from "../lib/algorithms/moead_gen.ts";
import { SMSEMOA } from "../lib/algorithms/smsemoa.ts";
import { MOEADDQN } from "../lib/algorithms/moead_dqn.ts";
import { MOPSO } from "../lib/algorithms/mopso.ts";
import { makeAlgorithm, resumeAlgorithm } from "../lib/algorithms/registry.ts";
import type { AlgorithmState } from "../lib/algorithms/algorithm.ts";
import {
  type Crossover,
  de,
  type DifferentialVariation,
  type Mutation,
  pm,
  sbx,
  variableSpace,
} from "../lib/operators/variation.ts";
import { integerPolynomialMutation, integerSbx } from "../lib/operators/integer.ts";
import { simulatedBinaryCrossover } from "../lib/operators/sbx.ts";
import { polynomialMutation } from "../lib/operators/mutation.ts";

/** Children are copies of the parents. */
const copy: Crossover = {
  name: "copy",
  cross(_rng, p1, p2, c1, c2) {
    c1.set(p1);
    c2.set(p2);
  },
};
/** Leaves the vector alone. */
const none: Mutation = { name: "none", mutate() {} };
/** The child is the base vector. */
const baseOnly: DifferentialVariation = {
  name: "base-only",
  vary: (_rng, base, _a, _b, child) => child.set(base),
};

/** Every row of `X` is a row of the population. */
function rowsArePopulationRows(X: Float64Array, pop: Float64Array, n: number): boolean {
  const rows = new Set<string>();
  for (let i = 0; i < pop.length; i += n) rows.add(pop.subarray(i, i + n).join(","));
  for (let i = 0; i < X.length; i += n) if (!rows.has(X.subarray(i, i + n).join(","))) return false;
  return true;
}

interface Algo {
  ask(): Float64Array;
  tell(F: Float64Array): void;
  population(): { X: Float64Array };
  toJSON(): AlgorithmState;
  problem: Problem;
}

function evaluate(problem: Problem, X: Float64Array): Float64Array {
  const n = X.length / problem.nVar, F = new Float64Array(n * problem.nObj);
  for (let i = 0; i < n; i++) {
    problem.evaluate(
      X.subarray(i * problem.nVar, (i + 1) * problem.nVar),
      F.subarray(i * problem.nObj, (i + 1) * problem.nObj),
      new Float64Array(0),
    );
  }
  return F;
}

/** Runs `times` ask/tell steps; returns every batch asked, one after the other. */
function step(a: Algo, times = 1): number[] {
  const asked: number[] = [];
  for (let t = 0; t < times; t++) {
    const X = a.ask();
    asked.push(...X);
    a.tell(evaluate(a.problem, X));
  }
  return asked;
}

Deno.test("a custom crossover passed as a value is used: copying parents gives children equal to parents", () => {
  const p = zdt1(6), q = dtlz2(3, 7);
  const makers: [string, () => Algo][] = [
    ["NSGA-II", () => new NSGA2(p, { popSize: 12, crossover: copy, mutation: none })],
    [
      "R-NSGA-II",
      () => new RNSGA2(p, { popSize: 12, refPoints: [[0.3, 0.6]], crossover: copy, mutation: none }),
    ],
    ["NSGA-III", () => new NSGA3(q, { popSize: 16, divisions: 4, crossover: copy, mutation: none })],
    ["MOEA/D", () => new MOEAD(p, { popSize: 12, neighbours: 4, crossover: copy, mutation: none })],
    ["SMS-EMOA", () => new SMSEMOA(p, { popSize: 12, crossover: copy, mutation: none })],
    ["MOEA/D-DE", () => new MOEADDE(p, { popSize: 12, neighbours: 4, de: baseOnly, mutation: none })],
    ["MOEA/D-DRA", () => new MOEADDRA(p, { popSize: 12, neighbours: 4, de: baseOnly, mutation: none })],
    ["MOEA/D-GEN", () => new MOEADGen(p, { popSize: 12, neighbours: 4, de: baseOnly, mutation: none })],
  ];
  for (const [name, make] of makers) {
    const a = make();
    step(a);
    const X = a.ask();
    assert.ok(rowsArePopulationRows(X, a.population().X, a.problem.nVar), `${name}: a child is not a parent`);
    // and the default operators do change them
  }
  const a = new NSGA2(p, { popSize: 12 });
  step(a);
  assert.ok(!rowsArePopulationRows(a.ask(), a.population().X, p.nVar), "NSGA-II's default operators copy");
  // NSGA-II-ARSBX's crossover is its own; its mutation is a value
  const b = new NSGA2ARSBX(p, { popSize: 12, mutation: none, crossover: { prob: 0 } });
  step(b);
  assert.ok(
    rowsArePopulationRows(b.ask(), b.population().X, p.nVar),
    "NSGA-II-ARSBX with p 0 and no mutation",
  );
  assert.throws(() => new NSGA2ARSBX(p, { crossover: sbx() as never }), /ARSBX's own/);
  // MOEA/D-DQN's operators are its own; its mutation is a value, applied once per child
  let calls = 0;
  const counting: Mutation = {
    name: "counting",
    mutate: (_rng, x, s) => {
      calls++;
      for (let j = 0; j < x.length; j++) x[j] = Math.min(s.upper[j], Math.max(s.lower[j], x[j]));
    },
  };
  const q2 = new MOEADDQN(p, { popSize: 10, mutation: counting });
  step(q2);
  const X = q2.ask();
  assert.equal(calls, X.length / p.nVar);
  // MOPSO: a mutation value replaces the paper's turbulence, once per particle
  calls = 0;
  const swarm = new MOPSO(p, { popSize: 10, mutation: counting });
  step(swarm);
  swarm.ask();
  assert.equal(calls, 10);
});

/** All-integer and mixed problems. */
const allInt = defineProblem({
  name: "int6",
  lower: 0,
  upper: 7,
  nVar: 6,
  nObj: 2,
  integer: true,
  objectives: (v) => [v[0] + v[1] + v[2], 14 - v[0] + (v[3] - 3) ** 2 + v[4] * v[5] / 7],
});
const mixed = defineProblem({
  name: "mix4",
  lower: 0,
  upper: 7,
  nVar: 4,
  nObj: 2,
  integer: [true, false, true, false],
  objectives: (v) => [v[0] + v[1], 14 - v[0] + (v[2] - v[3]) ** 2],
});

/** The integer forms written out by hand, as custom operators (η as pymoo's: 3 when all integer). */
function handIntegerOperators(problem: Problem, eta: number): { crossover: Crossover; mutation: Mutation } {
  const integer = problem.integer!, mutationEta = variableSpace(problem).allInteger ? 3 : 20;
  return {
    crossover: {
      name: "hand-integer-sbx",
      cross: (rng, p1, p2, c1, c2, s) =>
        integerSbx(rng, p1, p2, c1, c2, s.lower, s.upper, { prob: 1, eta, probVar: 0.5, integer }),
    },
    mutation: {
      name: "hand-integer-pm",
      mutate: (rng, x, s) =>
        integerPolynomialMutation(rng, x, s.lower, s.upper, { eta: mutationEta, integer }),
    },
  };
}

Deno.test("integer variables get the integer SBX/PM in algorithms that used to round real operators", () => {
  for (const problem of [allInt, mixed]) {
    const eta = variableSpace(problem).allInteger ? 3 : 20;
    const hand = handIntegerOperators(problem, eta);
    // MOEA/D and NSGA-III: the defaults equal the hand-written integer forms byte for byte
    const pairs: [string, (o: Record<string, unknown>) => Algo][] = [
      ["MOEA/D", (o) => new MOEAD(problem, { popSize: 10, neighbours: 4, seed: 5, ...o })],
      ["MOEA/D-GEN", (o) => new MOEADGen(problem, { popSize: 10, neighbours: 4, seed: 5, ...o })],
      ["MOEA/D-DE", (o) => new MOEADDE(problem, { popSize: 10, neighbours: 4, seed: 5, ...o })],
    ];
    for (const [name, make] of pairs) {
      const given = name === "MOEA/D" ? hand : { mutation: hand.mutation };
      const a = make({}), b = make(given);
      const askedA = step(a, 25);
      assert.deepEqual(step(b, 25), askedA, `${name} on ${problem.name}`);
      // and not what the real operators with rounding give
      const realPm: Mutation = {
        name: "real-pm",
        mutate: (rng, x, s) => polynomialMutation(rng, x, s.lower, s.upper, { eta: 20 }),
      };
      const realSbx: Crossover = {
        name: "real-sbx",
        cross: (rng, p1, p2, c1, c2, s) =>
          simulatedBinaryCrossover(rng, p1, p2, c1, c2, s.lower, s.upper, { prob: 1, eta: 20 }),
      };
      const c = make(name === "MOEA/D" ? { crossover: realSbx, mutation: realPm } : { mutation: realPm });
      assert.notDeepEqual(step(c, 25), askedA, `${name} on ${problem.name} still rounds`);
    }
  }
  // at the operator: sbx() on an all-integer space is integer SBX with η 3, on a real one SBX with η 20
  const s = variableSpace(allInt), p1 = [0, 1, 2, 3, 4, 5], p2 = [7, 6, 5, 4, 3, 2];
  const got = [new Float64Array(6), new Float64Array(6)], want = [new Float64Array(6), new Float64Array(6)];
  const r1 = new Rng(9), r2 = new Rng(9);
  for (let t = 0; t < 50; t++) {
    sbx({ prob: 1 }).cross(r1, p1, p2, got[0], got[1], s);
    integerSbx(r2, p1, p2, want[0], want[1], s.lower, s.upper, { prob: 1, eta: 3, integer: allInt.integer });
    assert.deepEqual(got, want);
  }
  for (const v of got[0]) assert.ok(Number.isInteger(v));
});

Deno.test("operator options are checked by the operator, with errors naming the option", () => {
  assert.throws(
    () => sbx({ prob: 2 }),
    /^RangeError: sbx: prob must be in \[0, 1\], got 2$|sbx: prob must be in \[0, 1\], got 2/,
  );
  assert.throws(() => sbx({ probVar: -0.1 }), /sbx: probVar must be in \[0, 1\], got -0.1/);
  assert.throws(() => sbx({ eta: -1 }), /sbx: eta must be a finite number ≥ 0, got -1/);
  assert.throws(() => pm({ eta: Infinity }), /pm: eta must be a finite number ≥ 0, got Infinity/);
  assert.throws(() => pm({ prob: 1.5 }), /pm: prob must be in \[0, 1\], got 1.5/);
  assert.throws(() => de({ F: NaN }), /de: F must be a finite number ≥ 0, got NaN/);
  assert.throws(() => de({ CR: 2 }), /de: CR must be in \[0, 1\], got 2/);
  assert.throws(() => de({ repair: "wrap" as never }), /de: repair must be "parent", "random" or "clip"/);
  assert.throws(
    () => sbx({ etta: 3 } as never),
    /sbx: etta is not an option of sbx \(known: prob, eta, probVar\)/,
  );
  // within an algorithm: the algorithm and its option are named
  const p = zdt1(4);
  assert.throws(
    () => new SMSEMOA(p, { crossover: { prob: 2 } }),
    /SMS-EMOA: crossover.prob must be in \[0, 1\], got 2/,
  );
  assert.throws(() => new NSGA3(p, { mutation: { eta: -1 } }), /NSGA-III: mutation.eta must be a finite/);
  assert.throws(
    () => new MOEAD(p, { crossover: { name: "blend" } }),
    /MOEA\/D: crossover: "blend" is not a built-in/,
  );
  assert.throws(() => new NSGA2(p, { crossover: none as never }), /"none" is not a crossover operator/);
  assert.throws(
    () => new NSGA2(p, { mutation: 3 as never }),
    /mutation must be an operator value or its options/,
  );
  assert.throws(() => new NSGA2(p, { crossover: { ...copy, name: "" } }), /needs a non-empty name/);
});

Deno.test("built-in operators as values, as plain JSON ({ name, ...options }) and as older plain settings agree", () => {
  const p = zdt1(5);
  const run = (a: Algo) => (step(a, 6), a.population().X);
  const value = run(new NSGA2(p, { popSize: 10, crossover: sbx({ eta: 15 }), mutation: pm({ eta: 30 }) }));
  const json = run(
    makeAlgorithm("NSGA-II", p, {
      popSize: 10,
      crossover: { name: "sbx", eta: 15 },
      mutation: { name: "pm", eta: 30 },
    }) as unknown as Algo,
  );
  const older = run(new NSGA2(p, { popSize: 10, crossover: { eta: 15 }, mutation: { eta: 30 } }));
  assert.deepEqual(json, value);
  assert.deepEqual(older, value);
  assert.notDeepEqual(run(new NSGA2(p, { popSize: 10 })), value, "the operators' options have no effect");
  // every algorithm that takes operators builds them from plain JSON as from the values
  const q = dtlz2(3, 6);
  const cases: [string, Problem, Record<string, unknown>, Record<string, unknown>][] = [
    ["R-NSGA-II", p, { refPoints: [[0.2, 0.6]] }, {}],
    ["NSGA-III", q, { divisions: 4 }, {}],
    ["MOEA/D", p, { neighbours: 4 }, {}],
    ["SMS-EMOA", p, {}, {}],
    ["NSGA-II-ARSBX", p, { budget: 200 }, { crossover: undefined }],
    ["MOEA/D-DE", p, { neighbours: 4 }, { crossover: undefined, de: de({ F: 0.7 }) }],
    ["MOEA/D-DRA", p, { neighbours: 4 }, { crossover: undefined, de: de({ F: 0.7 }) }],
    ["MOEA/D-GEN", p, { neighbours: 4 }, { crossover: undefined, de: de({ F: 0.7 }) }],
    ["MOEA/D-DQN", p, { hidden: [4] }, { crossover: undefined, mutation: pm({ eta: 30 }) }],
    ["MOPSO", p, {}, { crossover: undefined }],
  ];
  for (const [name, problem, extra, override] of cases) {
    const asValues = { crossover: sbx({ eta: 15 }), mutation: pm({ eta: 30 }), ...override };
    const asJSON = JSON.parse(
      JSON.stringify(asValues, (_k, v) => v && v.name ? { ...v.options, name: v.name } : v),
    );
    const a = makeAlgorithm(name, problem, { popSize: 12, ...extra, ...asValues }) as unknown as Algo;
    const b = makeAlgorithm(name, problem, { popSize: 12, ...extra, ...asJSON }) as unknown as Algo;
    assert.deepEqual(step(b, 5), step(a, 5), name);
  }
  // MOEA/D-GEN: MOEA/D-DE's spellings and pagmo's (deprecated) give the same run
  const a = run(
    new MOEADGen(p, { popSize: 10, neighbours: 4, de: { F: 0.7, CR: 0.5 }, mutation: { eta: 10 } }),
  );
  const b = run(new MOEADGen(p, { popSize: 10, neighbours: 4, F: 0.7, CR: 0.5, etaM: 10 }));
  const c = run(
    new MOEADGen(p, {
      popSize: 10,
      neighbours: 4,
      de: de({ F: 0.7, CR: 0.5, forceOne: false }),
      mutation: pm({ eta: 10 }),
    }),
  );
  assert.deepEqual(a, b);
  assert.deepEqual(a, c);
  const d = run(new MOEADGen(p, { popSize: 10, neighbours: 4, delta: 0.5, nr: 1 }));
  const e = run(new MOEADGen(p, { popSize: 10, neighbours: 4, realb: 0.5, limit: 1 }));
  assert.deepEqual(d, e);
});

Deno.test("resume with operator values: built-ins from the state, custom ones passed again, byte-identical", () => {
  const p = zdt1(5);
  /** Blend crossover BLX-α, a custom operator with an option saved in the state. */
  const blend = (alpha: number): Crossover => ({
    name: "blend",
    options: { alpha },
    cross(rng, p1, p2, c1, c2, s) {
      for (let j = 0; j < c1.length; j++) {
        const lo = Math.min(p1[j], p2[j]), hi = Math.max(p1[j], p2[j]), d = alpha * (hi - lo);
        const clip = (v: number) => Math.min(s.upper[j], Math.max(s.lower[j], v));
        c1[j] = clip(lo - d + rng.random() * (hi - lo + 2 * d));
        c2[j] = clip(lo - d + rng.random() * (hi - lo + 2 * d));
      }
    },
  });
  const whole = new NSGA2(p, { popSize: 10, seed: 4, crossover: blend(0.5), mutation: pm({ eta: 15 }) });
  step(whole, 12);
  const half = new NSGA2(p, { popSize: 10, seed: 4, crossover: blend(0.5), mutation: pm({ eta: 15 }) });
  step(half, 5);
  half.ask(); // a pending batch is saved too
  const state = JSON.parse(JSON.stringify(half.toJSON())) as AlgorithmState;
  const saved = (state as unknown as { options: Record<string, unknown> }).options;
  assert.deepEqual(saved.crossover, { alpha: 0.5, name: "blend" });
  assert.deepEqual(saved.mutation, { eta: 15, name: "pm" });
  assert.throws(
    () => NSGA2.fromJSON(p, state),
    /crossover: "blend" is not a built-in crossover operator.*pass the operator value again/,
  );
  assert.throws(
    () => NSGA2.fromJSON(p, state, { crossover: copy }),
    /saved state's crossover is "blend", but the operator given is "copy"/,
  );
  for (
    const resumed of [
      NSGA2.fromJSON(p, state, { crossover: blend(0.5) }),
      resumeAlgorithm(p, state, { crossover: blend(0.5) }) as unknown as Algo,
    ]
  ) {
    step(resumed, 7);
    assert.deepEqual(resumed.population().X, whole.population().X);
    assert.deepEqual(resumed.toJSON(), whole.toJSON());
  }
  // built-in operators only: resume from the state alone, for every algorithm that takes operators
  const makers: [string, (o: Record<string, unknown>) => Algo][] = [
    ["MOEA/D", (o) => new MOEAD(p, { popSize: 10, neighbours: 4, ...o })],
    ["MOEA/D-DE", (o) => new MOEADDE(p, { popSize: 10, neighbours: 4, ...o })],
    ["MOEA/D-GEN", (o) => new MOEADGen(p, { popSize: 10, neighbours: 4, ...o })],
    ["SMS-EMOA", (o) => new SMSEMOA(p, { popSize: 10, ...o })],
    ["NSGA-II-ARSBX", (o) => new NSGA2ARSBX(p, { popSize: 10, budget: 300, ...o })],
    ["MOEA/D-DQN", (o) => new MOEADDQN(p, { popSize: 10, budget: 300, hidden: [4], ...o })],
    ["MOPSO", (o) => new MOPSO(p, { popSize: 10, horizon: 40, ...o })],
  ];
  for (const [name, make] of makers) {
    const o = name === "MOEA/D-DQN"
      ? { mutation: { name: "platemo-pm", eta: 12 } }
      : name.startsWith("MOEA/D-")
      ? { de: de({ F: 0.6 }), mutation: pm({ eta: 12 }) }
      : { mutation: pm({ eta: 12 }) };
    const w = make(o);
    step(w, 30);
    const h = make(o);
    step(h, 13);
    const s = JSON.parse(JSON.stringify(h.toJSON())) as AlgorithmState;
    const r = resumeAlgorithm(p, s) as unknown as Algo;
    step(r, 17);
    assert.deepEqual(r.population().X, w.population().X, name);
    assert.deepEqual(r.toJSON(), w.toJSON(), name);
  }
});
