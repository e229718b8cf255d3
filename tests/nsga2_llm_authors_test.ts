/**
 * NSGA-II-LLM as its authors ran it (issue 12): the stand-in reads per-variable bounds, the rule with
 * its reset on a scripted score sequence, the pool replacement, the prompt format and the parser.
 */
import assert from "node:assert/strict";
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { NSGA2ARSBX } from "../lib/algorithms/nsga2_arsbx.ts";
import { zdt1, zdt4 } from "../lib/problems/zdt.ts";
import { uf1 } from "../lib/problems/uf.ts";
import { numericStandIn, readSolutionPrompt } from "../lib/llm/standins/numeric.ts";
import { requestRng, type StandInRequest } from "../lib/llm/standins/mod.ts";
import {
  buildPrompt,
  NSGA2LLM,
  parseSolutionReply,
  promptMessages,
  replaceInFirstHalf,
  type SolutionGenerator,
} from "../lib/nsga2_llm/mod.ts";
import type { Problem } from "../lib/core/problem.ts";
import { bytes } from "./_support.ts";

/** A prompt for `problem` whose 5 elites have variable 1 at 0.2·k and the others at `others`·(1 − 0.1k). */
function mixedPrompt(problem: Problem, others: number, format: "authors" | "paper" = "authors") {
  const { nVar } = problem;
  const solutions = new Float64Array(5 * nVar), objectives = new Float64Array(10);
  for (let k = 0; k < 5; k++) {
    solutions[k * nVar] = 0.2 * k;
    for (let j = 1; j < nVar; j++) solutions[k * nVar + j] = others * (1 - 0.1 * k);
    objectives[2 * k] = k;
    objectives[2 * k + 1] = 5 - k;
  }
  return buildPrompt({
    solutions,
    objectives,
    nVar,
    nObj: 2,
    count: 3,
    lower: problem.lower,
    upper: problem.upper,
    format,
  });
}

function standInReply(text: string, temperature = 1, seed = 1): string {
  const request: StandInRequest = {
    model: "moolab-numeric",
    messages: [{ role: "user", content: text }],
    temperature,
    seed,
    choice: 0,
  };
  return numericStandIn.respond(request, requestRng(request));
}

Deno.test("stand-in reads mixed bounds (ZDT4, UF1) in every form the prompt writes them", () => {
  for (const [problem, others] of [[zdt4(), -4], [uf1(), -0.9]] as const) {
    for (const format of ["authors", "paper"] as const) {
      const parts = mixedPrompt(problem, others, format);
      const text = promptMessages(parts).map((m) => m.content).join("\n\n");
      const read = readSolutionPrompt(text);
      assert.deepEqual(read.lower, Array.from(problem.lower), `${problem.name} ${format}`);
      assert.deepEqual(read.upper, Array.from(problem.upper), `${problem.name} ${format}`);
      assert.equal(read.examples.length, 5);
      assert.equal(read.examples[0].separator, format === "authors" ? " " : ",");
      assert.deepEqual(read.examples[1].f, [1, 4]);
      // every example has variables 2..n well below 0: their combinations stay there (the old stand-in
      // clipped all variables to the first "in [a, b]" it read, [0, 1], so they came back as 0)
      for (const temperature of [0, 1]) {
        const xs = parseSolutionReply(standInReply(text, temperature), {
          count: 3,
          dim: problem.nVar,
          lower: problem.lower,
          upper: problem.upper,
        });
        for (const x of xs) {
          assert.ok(x[0] >= 0 && x[0] <= 1);
          for (let j = 1; j < problem.nVar; j++) {
            assert.ok(x[j] < 0 && x[j] >= problem.lower[j], `${problem.name} x${j + 1} = ${x[j]}`);
          }
        }
      }
    }
  }
  // a single "Every variable lies in" sentence is one bound for all
  const zdt = promptMessages(mixedPrompt(zdt1(), 0.5)).map((m) => m.content).join("\n");
  assert.match(zdt, /Every variable lies in \[0, 1\]\./);
  assert.equal(readSolutionPrompt(zdt).lower, 0);
});

Deno.test("prompt format: the authors' full precision with spaces, or the paper's 3 decimals with commas", () => {
  const input = {
    solutions: Float64Array.from([0.123456789012, -2.5e-8]),
    objectives: Float64Array.from([1 / 3, 2]),
    nVar: 2,
    nObj: 2,
    count: 3,
    lower: [0, -5],
    upper: [1, 5],
  };
  const authors = buildPrompt(input);
  assert.equal(
    authors.context,
    "solution: <start>0.123456789012 -2.5e-8<end>\nobj_value: 0.3333333333333333 2",
  );
  const paper = buildPrompt({ ...input, format: "paper" });
  assert.equal(paper.context, "solution: <start>0.123,0.000<end>\nobj_value: 0.333,2.000");
  assert.match(authors.task, /Variable 1 lies in \[0, 1\]; variable 2 lies in \[-5, 5\]\./);
  assert.throws(() => buildPrompt({ ...input, format: "latex" as "paper" }), /format must be/);
});

Deno.test("parseSolutionReply: spaces or commas, invalid blocks skipped, clipped, too few is a ParseError", () => {
  const o = { count: 2, dim: 3, lower: [0, 0, 0], upper: [1, 1, 1] };
  assert.deepEqual(parseSolutionReply("<start>0.1 0.2 0.3<end> <start>0.4,0.5, 1.5<end>", o), [
    [0.1, 0.2, 0.3],
    [0.4, 0.5, 1],
  ]);
  assert.deepEqual(
    parseSolutionReply("<start>1 2<end>\n<start> 0.1 0.2 x <end><start>.5 -1 2e-1<end><start>0 0 0<end>", o),
    [[0.5, 0, 0.2], [0, 0, 0]],
  );
  assert.throws(
    () => parseSolutionReply("<start>0.1 0.2 0.3<end>", o),
    /1 valid solution\(s\), 2 were asked/,
  );
  assert.throws(() => parseSolutionReply("no tags", o), /no <start>/);
});

Deno.test("replaceInFirstHalf: LLM solution i takes elite i's copies in the first half only", () => {
  //          first half: 0..4          second half: 5..9
  const pool = [4, 2, 4, 7, 1, 4, 2, 7, 7, 3];
  const { pool: out, replaced } = replaceInFirstHalf(pool, [4, 2, 7, 1, 3], 100, 3);
  // elite 4 → 100 (positions 0, 2), elite 2 → 101 (position 1), elite 7 → 102 (position 3);
  // elites 1 and 3 are beyond s = 3; the second half is untouched
  assert.deepEqual(Array.from(out), [100, 101, 100, 102, 1, 4, 2, 7, 7, 3]);
  assert.equal(replaced, 4);
});

/**
 * The scripted score sequence s_k is the score of the population the k-th bred generation starts from
 * (the authors' zong = k; our generation k + 1). From NSGAIILLM2Q.m, with δ = 0.1:
 *
 *   zong ≤ 10: plain (warm-up), whatever s does (s rises by 1 each time, which would trigger Eq. 8).
 *   After a plain generation the code sets pre = 0, now = 1, so the next eligible generation compares
 *   now − pre = 1 ≥ δ and calls the LLM. After an LLM generation at zong j, pre = s_j (just before the
 *   step) and now = s_{j+1} (just after), so zong j+1 calls it again iff s_{j+1} − s_j ≥ δ.
 *
 *   zong 11: last plain → LLM.            zong 12: 12 mod 4 = 0 → plain.
 *   zong 13: last plain → LLM.            zong 14: s14 − s13 = 0.5 − 0 ≥ δ → LLM.
 *   zong 15: s15 − s14 = 0.05 < δ → plain. zong 16: mod 4 → plain.
 *   zong 17: last plain → LLM.            zong 18: s18 − s17 = 0.3 − 0.55 < 0 → plain.
 *   zong 19: last plain → LLM.            zong 20: mod 4 → plain.
 *   zong 21: last plain → LLM.            zong 22: s22 − s21 = 0.15 → LLM.
 *   zong 23: s23 − s22 = 0.15 → LLM.      zong 24: mod 4 → plain.
 *
 * LLM at zong 11, 13, 14, 17, 19, 21, 22, 23. The paper's literal rule (S_t − S_{t−1} ≥ δ in every
 * generation, S_0 = 0) on the same sequence: zong 1–10 (rises of 1), 14 (0.5), 22 (0.15), 23 (0.15).
 */
const SCRIPT = [
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  10,
  10,
  0,
  0.5,
  0.55,
  0.55,
  0.55,
  0.3,
  0.3,
  0.3,
  0.3,
  0.45,
  0.6,
  0.6,
];

function scripted(procedure?: "authors" | "paper", base?: NSGA2) {
  let k = 0;
  const asked: number[] = [];
  const generator: SolutionGenerator = (_messages, request) => {
    asked.push(request.generation - 1);
    return Promise.resolve(new Float64Array(request.count * request.nVar).fill(0.5));
  };
  const algo = new NSGA2LLM(base ?? new NSGA2(zdt1(), { seed: 2, popSize: 12 }), {
    generator,
    score: () => SCRIPT[k++],
    ...(procedure ? { procedure } : {}),
  });
  return { algo, asked };
}

Deno.test("the authors' rule with its reset, on a scripted score sequence (call pattern derived by hand)", async () => {
  const { algo, asked } = scripted();
  await algo.runAsync({ maxGenerations: 25 });
  assert.deepEqual(asked, [11, 13, 14, 17, 19, 21, 22, 23]);
  assert.deepEqual(
    algo.records.filter((r) => r.usedLLM).map((r) => r.generation - 1),
    [11, 13, 14, 17, 19, 21, 22, 23],
  );
  // after plain zong 12 the rule compared (pre, now) = (0, 1); after LLM zong 13, (s13, s14)
  assert.deepEqual([algo.records[12].previousScore, algo.records[12].compared], [0, 1]);
  assert.deepEqual([algo.records[13].previousScore, algo.records[13].compared], [0, 0.5]);
  const paper = scripted("paper");
  await paper.algo.runAsync({ maxGenerations: 25 });
  assert.deepEqual(paper.asked, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 22, 23]);
});

Deno.test("NSGA-II-LLM on NSGA-II-ARSBX: seeded, and resumed mid-run it gives the same front", async () => {
  const make = () => scripted(undefined, new NSGA2ARSBX(zdt1(), { seed: 4, popSize: 12, budget: 300 }));
  const a = make();
  const ra = await a.algo.runAsync({ maxGenerations: 25 });
  assert.equal(a.algo.name, "NSGA-II-ARSBX-LLM");
  assert.equal(a.asked.length, 8);
  const b = make();
  await b.algo.runAsync({ maxGenerations: 14 });
  const state = JSON.parse(JSON.stringify(b.algo.toJSON()));
  let k = 13; // the script continues where the interrupted run stopped
  const resumed = NSGA2LLM.fromJSON(zdt1(), state, {
    generator: (_m, r) => Promise.resolve(new Float64Array(r.count * r.nVar).fill(0.5)),
    score: () => SCRIPT[k++],
  });
  const rc = await resumed.runAsync({ maxGenerations: 25 });
  assert.deepEqual(bytes(rc.population.F), bytes(ra.population.F));
  assert.deepEqual(resumed.records.map((r) => r.usedLLM), a.algo.records.map((r) => r.usedLLM));
});
