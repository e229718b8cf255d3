/**
 * `deno task nsga2-llm`: notebook 02's NSGA-II-LLM runs (the authors' procedure on NSGA-II-ARSBX at
 * PlatEMO's settings, δ 0.1, population 100, 10,000 evaluations) against any OpenAI-compatible server,
 * for all or some problems and seeds.
 *
 * ```sh
 * MOOLAB_LLM_MODEL=qwen-plus OPENAI_BASE_URL=https://… OPENAI_API_KEY=… \
 *   deno task nsga2-llm --problems ZDT1,UF1 --seeds 1-3 --max-dollars 2
 * ```
 *
 * Before it starts it prints what the runs will cost: LLM calls (the decision rule's floor and ceiling
 * for the budget), prompt and completion tokens (prompts built as the runs build them; completions of
 * just the solutions), and dollars at data/llm_prices.json's rate for the model (an unknown model: tokens
 * only). `--dry-run` stops there.
 *
 * Flags: `--problems A,B` (default: the 15 of the paper), `--seeds 1-3` or `1,4` (default 1-10),
 * `--evaluations N` (default 10000), `--max-dollars X`, `--max-tokens N`, `--max-calls N` (caps on what is
 * paid in this invocation), `--out DIR` (default out/nsga2_llm), `--cache DIR` (default
 * out/llm-cache/02_nsga2_llm), `--dry-run`.
 *
 * Answers are cached under out/llm-cache/02_nsga2_llm/ (the directory notebook 02 uses at a real
 * endpoint, with the same sample ids, so the notebook replays them at no cost). A finished run appends a
 * line to `<out>/<model>.jsonl` and is skipped next time. When a cap is reached the run in progress
 * stops before its next call, the command says so and exits with code 3; the same command continues: the
 * interrupted run replays its paid answers from the cache and goes on.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { getProblem } from "../lib/problems/mod.ts";
import { NSGA2ARSBX } from "../lib/algorithms/nsga2_arsbx.ts";
import { platemoOptions } from "../lib/algorithms/platemo_defaults.ts";
import { llmConfig, openLLM } from "../lib/llm/config.ts";
import { BudgetExceededError, cappedModel, describeCost, estimateCost } from "../lib/llm/budget.ts";
import { countChatTokens, countTokens } from "../lib/llm/tokens.ts";
import { Rng } from "../lib/core/rng.ts";
import { igd } from "../lib/indicators/igd.ts";
import { platemoHV } from "../lib/indicators/normalize.ts";
import {
  adaptiveRule,
  buildPrompt,
  formatNumber,
  llmSolutionGenerator,
  NSGA2LLM,
  promptMessages,
} from "../lib/nsga2_llm/mod.ts";

const PROBLEMS = [
  "ZDT1",
  "ZDT2",
  "ZDT3",
  "ZDT4",
  "ZDT6",
  ...Array.from({ length: 10 }, (_, i) => `UF${i + 1}`),
];
const POP = 100;

/** "1-3" → [1, 2, 3]; "1,4" → [1, 4]. */
export function parseSeeds(s: string): number[] {
  const out: number[] = [];
  for (const part of s.split(",")) {
    const m = part.trim().match(/^(\d+)(?:-(\d+))?$/);
    if (!m) throw new RangeError(`--seeds: cannot read ${JSON.stringify(part)} (use 1-3 or 1,4)`);
    const a = Number(m[1]), b = Number(m[2] ?? m[1]);
    if (b < a) throw new RangeError(`--seeds: ${part} is an empty range`);
    for (let k = a; k <= b; k++) out.push(k);
  }
  return out;
}

/** LLM calls of one run under the authors' rule: the floor (no LLM step raises S by δ) and the ceiling. */
export function callBounds(evaluations: number, popSize = POP): { floor: number; ceiling: number } {
  const bred = Math.floor(evaluations / popSize) - 1, rule = adaptiveRule();
  const count = (rise: boolean) => {
    let n = 0, last = false;
    for (let zong = 1; zong <= bred; zong++) {
      last = rule({ generation: zong + 1, score: last && !rise ? 0 : 1, previousScore: 0 });
      if (last) n++;
    }
    return n;
  };
  return { floor: count(false), ceiling: count(true) };
}

/** Prompt and completion tokens of one call on `problem`, with elites and replies drawn in its bounds. */
export function tokensPerCall(problem: string, rng = new Rng(1)): { prompt: number; completion: number } {
  const p = getProblem(problem);
  const draw = (rows: number) =>
    Float64Array.from({ length: rows * p.nVar }, (_, k) => {
      const j = k % p.nVar;
      return p.lower[j] + (p.upper[j] - p.lower[j]) * rng.random();
    });
  const parts = buildPrompt({
    solutions: draw(5),
    objectives: Float64Array.from({ length: 5 * p.nObj }, () => rng.random()),
    nVar: p.nVar,
    nObj: p.nObj,
    count: 3,
    lower: p.lower,
    upper: p.upper,
  });
  const reply = Array.from(
    { length: 3 },
    (_, i) =>
      `<start>${
        Array.from(draw(3).subarray(i * p.nVar, (i + 1) * p.nVar), (v) => formatNumber(v)).join(" ")
      }<end>`,
  )
    .join("\n");
  return { prompt: countChatTokens(promptMessages(parts)), completion: countTokens(reply) };
}

/** Runs the command; returns the exit code (0 done, 2 bad arguments, 3 stopped by a cap). */
export async function main(
  args: string[],
  options: { env?: Record<string, string | undefined>; log?: (line: string) => void } = {},
): Promise<number> {
  const log = options.log ?? console.log;
  const { values } = parseArgs({
    args: args[0] === "--" ? args.slice(1) : args, // `deno task nsga2-llm -- --flags` passes the "--" on
    options: {
      problems: { type: "string" },
      seeds: { type: "string" },
      evaluations: { type: "string" },
      "max-dollars": { type: "string" },
      "max-tokens": { type: "string" },
      "max-calls": { type: "string" },
      out: { type: "string" },
      cache: { type: "string" },
      "dry-run": { type: "boolean" },
    },
    strict: true,
  });
  const problems = values.problems ? values.problems.split(",").map((s) => s.trim()) : PROBLEMS;
  for (const p of problems) getProblem(p); // a clear error for an unknown name
  const seeds = parseSeeds(values.seeds ?? "1-10");
  const evaluations = Number(values.evaluations ?? 10_000);
  if (!Number.isInteger(evaluations) || evaluations < 2 * POP) {
    throw new RangeError(`--evaluations must be an integer ≥ ${2 * POP}, got ${values.evaluations}`);
  }
  const num = (k: "max-dollars" | "max-tokens" | "max-calls") =>
    values[k] === undefined ? undefined : Number(values[k]);
  const cap = { maxDollars: num("max-dollars"), maxTokens: num("max-tokens"), maxCalls: num("max-calls") };
  const config = llmConfig(options.env ? { env: options.env } : {});
  const modelName = config.kind === "endpoint" ? config.model : "moolab-numeric";
  log(`NSGA-II-LLM (authors' procedure on NSGA-II-ARSBX) with ${config.description}`);
  if (config.kind === "loopback") {
    log("  no MOOLAB_LLM_MODEL set: the loopback stand-in answers (a linear elite operator, not an LLM)");
  }
  const { floor, ceiling } = callBounds(evaluations);
  const runs = problems.length * seeds.length;
  let pFloor = 0, cFloor = 0;
  for (const p of problems) {
    const t = tokensPerCall(p);
    pFloor += t.prompt * floor * seeds.length;
    cFloor += t.completion * floor * seeds.length;
  }
  const low = estimateCost(modelName, {
    calls: floor * runs,
    promptTokens: pFloor,
    completionTokens: cFloor,
  });
  const high = estimateCost(modelName, {
    calls: ceiling * runs,
    promptTokens: (pFloor * ceiling) / floor,
    completionTokens: (cFloor * ceiling) / floor,
  });
  log(`${runs} runs (${problems.join(" ")} × seeds ${seeds.join(",")}), ${evaluations} evaluations each`);
  log(`  at the rule's floor (${floor} LLM generations per run): ${describeCost(low)}`);
  log(`  at its ceiling (${ceiling} per run): ${describeCost(high)}`);
  log("  (completions of just the 3 solutions; re-asked and chatty replies cost more)");
  if (cap.maxDollars !== undefined && low.dollars === undefined) {
    log(`--max-dollars needs a price for ${modelName}; use --max-tokens or --max-calls`);
    return 2;
  }
  if (values["dry-run"]) return 0;

  const outDir = values.out ?? "out/nsga2_llm";
  await Deno.mkdir(outDir, { recursive: true });
  const resultsFile = `${outDir}/${modelName.replaceAll(/[^\w.-]/g, "_")}.jsonl`;
  const done = new Set<string>();
  try {
    for (const line of (await Deno.readTextFile(resultsFile)).split("\n")) {
      if (line.trim()) {
        const r = JSON.parse(line);
        done.add(`${r.problem}/${r.seed}/${r.evaluations}`);
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const llm = await openLLM({
    config,
    cacheDir: values.cache ?? "out/llm-cache/02_nsga2_llm",
    runId: "nsga2-llm",
  });
  const model = cappedModel(llm.model("moolab-numeric"), llm.ledger, cap);
  try {
    for (const problem of problems) {
      for (const seed of seeds) {
        if (done.has(`${problem}/${seed}/${evaluations}`)) {
          log(`${problem} seed ${seed}: done before, skipped`);
          continue;
        }
        const label = `${problem}/${seed}/δ0.1`; // notebook 02's sample ids
        const p = getProblem(problem);
        const base = new NSGA2ARSBX(p, {
          ...platemoOptions("NSGA-II-ARSBX", POP),
          popSize: POP,
          seed,
          budget: evaluations,
        });
        const algo = new NSGA2LLM(base, {
          generator: llmSolutionGenerator(model, { tag: label, operator: label, ledger: llm.ledger }),
        });
        const r = await algo.runAsync({ maxEvaluations: evaluations });
        const truth = p.paretoFront!();
        const t = llm.ledger.byOperator()[label];
        const record = {
          problem,
          seed,
          evaluations,
          model: modelName,
          HV: platemoHV(r.front, truth),
          IGD: igd(r.front, truth),
          llmGenerations: algo.llmGenerations,
          fallbacks: algo.fallbacks,
          calls: t?.calls ?? 0,
          promptTokens: t?.promptTokens ?? 0,
          completionTokens: t?.completionTokens ?? 0,
        };
        await Deno.writeTextFile(resultsFile, JSON.stringify(record) + "\n", { append: true });
        log(
          `${problem} seed ${seed}: HV ${record.HV.toFixed(4)}, IGD ${record.IGD.toFixed(4)}, ` +
            `${record.llmGenerations} LLM generations, ${record.fallbacks} fallbacks, ${record.calls} calls`,
        );
      }
    }
  } catch (e) {
    if (!(e instanceof BudgetExceededError)) throw e;
    log(`stopped: ${e.message}`);
    log(`finished runs are in ${resultsFile}; run the same command again to continue`);
    return 3;
  } finally {
    const tot = llm.ledger.totals();
    log(
      `this invocation: ${tot.calls} calls (${tot.cachedCalls} from the cache), ${tot.totalTokens} tokens` +
        (tot.paid === undefined ? "" : `, $${tot.paid.toFixed(4)} paid`),
    );
    await llm.close();
  }
  log(`done: ${resultsFile}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
