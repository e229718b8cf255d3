/**
 * NSGA-II-LLM's own cost per generation, outside the objective function and the LLM call: the score,
 * the decision, the mating pool and elites, the prompt, and parsing a reply. The "LLM" here is an
 * in-process function that answers at once with the first s elites in the reply format (formatted
 * and parsed like a real reply), so the time is the wrapper's alone. Compare with plain NSGA-II; the
 * difference divided by 90 LLM generations is the per-generation overhead. The round trip to the
 * loopback stand-in through npm:openai is measured in bench/llm_bench.ts.
 */
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { zdt1 } from "../lib/problems/zdt.ts";
import { everyGenerationRule, NSGA2LLM, type SolutionGenerator } from "../lib/nsga2_llm/mod.ts";
import { formatSolutions, parseSolutions } from "../lib/llm/formats.ts";

const problem = zdt1();
const immediate: SolutionGenerator = (messages, request) => {
  const text = messages[1].content;
  const context = text.slice(text.indexOf("solution:"), text.indexOf("You can use"));
  const examples = parseSolutions(context, { count: 1, dim: request.nVar });
  const reply = formatSolutions(examples.concat(examples, examples).slice(0, request.count));
  const parsed = parseSolutions(reply, {
    count: request.count,
    dim: request.nVar,
    lower: Array.from(request.lower),
    upper: Array.from(request.upper),
    clip: true,
  });
  return Promise.resolve(Float64Array.from(parsed.slice(0, request.count).flat()));
};

Deno.bench("NSGA-II on ZDT1, 100 × 10,000 evaluations", { group: "llm-overhead", baseline: true }, () => {
  new NSGA2(problem, { seed: 1 }).run({ maxEvaluations: 10_000 });
});
Deno.bench("NSGA-II-LLM, LLM at every generation after 10 (90 LLM generations), in-process answers", {
  group: "llm-overhead",
}, async () => {
  await new NSGA2LLM(new NSGA2(problem, { seed: 1 }), { generator: immediate, rule: everyGenerationRule() })
    .runAsync({ maxEvaluations: 10_000 });
});
