/** Helpers shared by the algorithm tests. */
import { defineProblem, type Problem } from "../lib/core/problem.ts";
import type { AskTell } from "../lib/algorithms/algorithm.ts";

/** The bytes of a typed array, for byte-for-byte comparisons. */
export const bytes = (a: Float64Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** minimise (x, y) subject to x + y ≥ 1, i.e. g = 1 − x − y ≤ 0; the front is x + y = 1. */
export function constrainedProblem(): Problem {
  return defineProblem({
    name: "constrained",
    lower: [0, 0],
    upper: [1, 1],
    nObj: 2,
    nConstr: 1,
    objectives: (x) => ({ f: [x[0], x[1]], g: [1 - x[0] - x[1]] }),
  });
}

/** Drives `algo` by ask and tell with the problem's own evaluate, as a user would, for `generations`. */
export function runByHand(algo: AskTell, generations: number): void {
  const p = algo.problem;
  const f = new Float64Array(p.nObj), g = new Float64Array(p.nConstr);
  while (algo.generation < generations) {
    const X = algo.ask();
    const rows: number[][] = [];
    for (let i = 0; i < X.length / p.nVar; i++) {
      p.evaluate(X.subarray(i * p.nVar, (i + 1) * p.nVar), f, g);
      rows.push(Array.from(f));
    }
    algo.tell(rows);
  }
}

/** The example prompt of the NSGA-II-LLM paper (Section IV-B2), for the LLM layer's tests. */
export const PAPER_PROMPT =
  `You are an expert in multi-objective optimization algorithms. Your task is to generate improved solutions with better objective values through given solutions.

I have several solutions, all of which are in the form of 4 dimensional decision vectors in [0, 1]. The following is the initial solution in the mating pool.

solution: <start>0.322,0.947,0.378,0.583<end>
obj_value: 5.483
solution: <start>0.937,0.264,0.472,0.473<end>
obj_value: 3.483
solution: <start>0.573,0.483,0.937,0.937<end>
obj_value: 1.374
solution: <start>0.837,0.374,0.374,0.196<end>
obj_value: 1.037

You can use these multi-objective optimization algorithms to generate new solutions (one or more algorithms can be used). Simply output three new solutions with better objective values. Each solution must start with <start> and end with <end>.`;
