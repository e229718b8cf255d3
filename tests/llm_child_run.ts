/**
 * A small NSGA-II-LLM run in a process of its own, for the tests that kill it and resume it, run two
 * of it against one cache, or grep everything it writes for a planted API key
 * (tests/llm_process_test.ts, tests/llm_redact_test.ts). Not a test itself.
 *
 * `deno run -A tests/llm_child_run.ts <dir>`: ZDT1 with 3 variables, NSGA-II (population 8, seed 3)
 * with the LLM at every generation after the first (3 proposals from 4 examples), until
 * `CHILD_GENERATIONS` generations (default 6). The endpoint comes from the environment as for any run
 * (`MOOLAB_LLM_MODEL`, `OPENAI_BASE_URL`, `OPENAI_API_KEY`; the loopback stand-ins without them). In
 * `<dir>`: the response cache `cache/` (or `CHILD_CACHE`), the checkpoint `checkpoint.json` (written
 * every generation; the run resumes from it when it exists), and the ledger's journal `ledger.jsonl`
 * (kept across a kill). At the end it prints the session, model and configuration the way a notebook
 * would show them, and one line `RESULT <json>` with the ledger's totals, the requests this process
 * sent and the final objectives.
 */
import { openLLM } from "../lib/llm/config.ts";
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { minimizeAsync, readCheckpoint } from "../lib/algorithms/minimize.ts";
import type { AlgorithmState } from "../lib/algorithms/algorithm.ts";
import { everyGenerationRule, llmSolutionGenerator, NSGA2LLM } from "../lib/nsga2_llm/mod.ts";
import { zdt1 } from "../lib/problems/zdt.ts";

const dir = Deno.args[0];
if (!dir) throw new Error("usage: llm_child_run.ts <dir>");
const generations = Number(Deno.env.get("CHILD_GENERATIONS") ?? 6);
Deno.mkdirSync(dir, { recursive: true });
const llm = await openLLM({
  cacheDir: Deno.env.get("CHILD_CACHE") ?? `${dir}/cache`,
  runId: "child",
  ledgerPath: `${dir}/ledger.jsonl`,
  concurrency: 1,
});
try {
  const model = llm.model("moolab-numeric");
  const problem = zdt1(3);
  const options = {
    generator: llmSolutionGenerator(model, { tag: "s3" }),
    rule: everyGenerationRule({ warmup: 0 }), // every bred generation: 5 calls in 6 generations, 7 in 8
    proposals: 3,
    examples: 4,
  };
  const checkpoint = `${dir}/checkpoint.json`;
  let resume = true;
  try {
    Deno.statSync(checkpoint);
  } catch {
    resume = false;
  }
  const algo = resume
    ? NSGA2LLM.fromJSON(problem, readCheckpoint<AlgorithmState>(checkpoint), options)
    : new NSGA2LLM(new NSGA2(problem, { popSize: 8, seed: 3 }), options);
  const result = await minimizeAsync(algo, {
    maxGenerations: generations,
    checkpoint: { path: checkpoint, every: 1 },
  });
  console.log(llm);
  console.log(model);
  console.log(llm.config);
  console.log(String(llm), String(model), JSON.stringify(llm.config), JSON.stringify(model));
  console.log(JSON.stringify(llm.ledger));
  console.log(
    "RESULT " +
      JSON.stringify({
        totals: llm.ledger.totals(),
        requests: llm.requests,
        resumed: resume,
        F: Array.from(result.population.F),
      }),
  );
} finally {
  await llm.close();
}
