/**
 * NSGA-II-LLM's own cost per generation, outside the objective function and the LLM call: the score,
 * the decision, the mating pool and elites, the prompt, and parsing a reply. The "LLM" here is an
 * in-process function that answers at once with the first elite, three times, in the reply format
 * (formatted and parsed like a real reply), so the time is the wrapper's alone. Compare with plain
 * NSGA-II; the difference divided by 89 LLM generations is the per-generation overhead. The round trip
 * to the loopback stand-in through npm:openai is measured in bench/llm_bench.ts.
 *
 * Also MOEA/D-DQN against MOEA/D-DRA (the same resource allocation without the Q-network): the
 * difference is the cost of choosing operators with the network and training it online.
 */
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { MOEADDQN } from "../lib/algorithms/moead_dqn.ts";
import { MOEADDRA } from "../lib/algorithms/moead_dra.ts";
import { zdt1 } from "../lib/problems/zdt.ts";
import {
  everyGenerationRule,
  formatNumber,
  NSGA2LLM,
  parseSolutionReply,
  type SolutionGenerator,
} from "../lib/nsga2_llm/mod.ts";

const problem = zdt1();
const immediate: SolutionGenerator = (messages, request) => {
  const text = messages[1].content;
  const context = text.slice(text.indexOf("solution:"), text.indexOf("You can use"));
  const bounds = { dim: request.nVar, lower: request.lower, upper: request.upper };
  const [example] = parseSolutionReply(context, { count: 1, ...bounds });
  const block = `<start>${example.map((v) => formatNumber(v)).join(" ")}<end>`;
  const parsed = parseSolutionReply([block, block, block].join("\n"), { count: request.count, ...bounds });
  return Promise.resolve(Float64Array.from(parsed.flat()));
};

Deno.bench("NSGA-II on ZDT1, 100 × 10,000 evaluations", { group: "llm-overhead", baseline: true }, () => {
  new NSGA2(problem, { seed: 1 }).run({ maxEvaluations: 10_000 });
});
Deno.bench("NSGA-II-LLM, LLM at every generation after zong 10 (89 LLM generations), in-process answers", {
  group: "llm-overhead",
}, async () => {
  await new NSGA2LLM(new NSGA2(problem, { seed: 1 }), { generator: immediate, rule: everyGenerationRule() })
    .runAsync({ maxEvaluations: 10_000 });
});

Deno.bench("MOEA/D-DRA on ZDT1, 10,000 evaluations", { group: "dqn", baseline: true }, () => {
  new MOEADDRA(problem, { seed: 1, neighbours: 10, nr: 1 }).run({ maxEvaluations: 10_000 });
});
Deno.bench("MOEA/D-DQN on ZDT1, 10,000 evaluations (Q-network [64, 32])", { group: "dqn" }, () => {
  new MOEADDQN(problem, { seed: 1 }).run({ maxEvaluations: 10_000 });
});
