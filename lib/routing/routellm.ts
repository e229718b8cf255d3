/**
 * RouteLLM's two-model evaluation data (Ong et al., 2024) as allocation instances: GSM8K (1,319 prompts)
 * and MMLU (57 subjects, 14,042 prompts), each answered by Mixtral-8x7B (weak) and GPT-4 (strong), with
 * a `True`/`False` correctness per prompt and model (`routellm/` under the data directory).
 *
 * Cost per query (Eq. 1 of OptLLM, cost = tokens × price): the files hold no token counts, so tokens
 * are estimated as ⌈characters / 4⌉ (OpenAI's rule of thumb for English) of the prompt plus, for
 * GSM8K, the model's own response (its `<model>_response` column) and, for MMLU, one answer token; the
 * prices are the RouteLLM paper's blended rates (`data/routellm_prices.json`: GPT-4 $24.7, Mixtral
 * $0.24 per million tokens). The cost ratio (≈100×) is what matters for routing; the estimate shifts
 * absolute dollars only.
 *
 * Every file is verified against `SHA256SUMS` (lib/data.ts) before parsing; a missing column, a ragged
 * row or a correctness other than True/False is an error naming the file, the row and the column.
 *
 * @module
 */
import { dataDir, readVerified } from "../data.ts";
import { columnIndex, type Csv, parseCsv } from "../csv.ts";
import type { AllocationData } from "../optllm/datasets.ts";
import prices from "../../data/routellm_prices.json" with { type: "json" };

/** A RouteLLM model: display name, the file's column, and its price. */
export interface RouteLLMModel {
  /** Display name. */
  name: string;
  /** The data file's column. */
  column: string;
  /** Price, US dollars per million tokens. */
  usdPerMillionTokens: number;
}

/** The two models in column order (weak first), with the RouteLLM paper's prices. */
export const ROUTELLM_MODELS: readonly RouteLLMModel[] = prices.models;

/** The 57 MMLU subjects of RouteLLM's evaluation files. */
export const MMLU_SUBJECTS: readonly string[] = [
  "abstract_algebra",
  "anatomy",
  "astronomy",
  "business_ethics",
  "clinical_knowledge",
  "college_biology",
  "college_chemistry",
  "college_computer_science",
  "college_mathematics",
  "college_medicine",
  "college_physics",
  "computer_security",
  "conceptual_physics",
  "econometrics",
  "electrical_engineering",
  "elementary_mathematics",
  "formal_logic",
  "global_facts",
  "high_school_biology",
  "high_school_chemistry",
  "high_school_computer_science",
  "high_school_european_history",
  "high_school_geography",
  "high_school_government_and_politics",
  "high_school_macroeconomics",
  "high_school_mathematics",
  "high_school_microeconomics",
  "high_school_physics",
  "high_school_psychology",
  "high_school_statistics",
  "high_school_us_history",
  "high_school_world_history",
  "human_aging",
  "human_sexuality",
  "international_law",
  "jurisprudence",
  "logical_fallacies",
  "machine_learning",
  "management",
  "marketing",
  "medical_genetics",
  "miscellaneous",
  "moral_disputes",
  "moral_scenarios",
  "nutrition",
  "philosophy",
  "prehistory",
  "professional_accounting",
  "professional_law",
  "professional_medicine",
  "professional_psychology",
  "public_relations",
  "security_studies",
  "sociology",
  "us_foreign_policy",
  "virology",
  "world_religions",
];

/** Estimated tokens of a text: ⌈characters / 4⌉. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Parses one RouteLLM response table: `prompt`, and per model its correctness column (`True`/`False`),
 * and, with `responses`, its `<column>_response`. Returns the rows' prompts, the n × m 0/1 table and the
 * n × m costs.
 */
export function routellmFromCsv(
  csv: Csv,
  options: { responses: boolean; models?: readonly RouteLLMModel[] },
): { queries: string[]; correct: Uint8Array; cost: Float64Array } {
  const models = options.models ?? ROUTELLM_MODELS;
  const [prompt] = columnIndex(csv, ["prompt"]);
  const ok = columnIndex(csv, models.map((m) => m.column));
  const resp = options.responses ? columnIndex(csv, models.map((m) => `${m.column}_response`)) : [];
  const n = csv.rows.length, m = models.length;
  const correct = new Uint8Array(n * m), cost = new Float64Array(n * m);
  const queries: string[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const row = csv.rows[r];
    queries[r] = row[prompt];
    const promptTokens = estimateTokens(row[prompt]);
    for (let k = 0; k < m; k++) {
      const v = row[ok[k]];
      if (v !== "True" && v !== "False") {
        throw new Error(
          `${csv.file}: row ${r + 1} (line ${csv.lines[r]}), column ${models[k].column}: ` +
            `${JSON.stringify(v)} is not True or False`,
        );
      }
      correct[r * m + k] = v === "True" ? 1 : 0;
      const out = options.responses ? estimateTokens(row[resp[k]]) : 1;
      cost[r * m + k] = ((promptTokens + out) * models[k].usdPerMillionTokens) / 1e6;
    }
  }
  return { queries, correct, cost };
}

async function readCsv(dir: string, rel: string): Promise<Csv> {
  return parseCsv(new TextDecoder().decode(await readVerified(dir, rel)), `${dir}/${rel}`);
}

/** Options of {@link loadRouteLLM}. */
export interface RouteLLMOptions {
  /** The data directory (default: `dataDir()`). */
  dir?: string;
  /** MMLU only: the subjects to load (default all 57). */
  subjects?: readonly string[];
}

/**
 * Loads RouteLLM's GSM8K (`routellm/gsm8k/gsm8k_responses.csv`) or MMLU (`routellm/mmlu/mmlu_<subject>.csv`,
 * all subjects concatenated, `group` = subject) as an instance with models [Mixtral-8x7B, GPT-4].
 */
export async function loadRouteLLM(
  benchmark: "gsm8k" | "mmlu",
  options: RouteLLMOptions = {},
): Promise<AllocationData> {
  const dir = options.dir ?? dataDir();
  if (!dir) {
    throw new Error(
      "loadRouteLLM: no data directory (set MOOLAB_DATA_DIR, or put the data in ../shared/data)",
    );
  }
  const models = ROUTELLM_MODELS.map((m) => m.name);
  if (benchmark === "gsm8k") {
    const t = routellmFromCsv(await readCsv(dir, "routellm/gsm8k/gsm8k_responses.csv"), { responses: true });
    return { name: "GSM8K", models, n: t.queries.length, m: 2, ...t };
  }
  if (benchmark !== "mmlu") throw new Error(`loadRouteLLM: unknown benchmark ${benchmark} (gsm8k or mmlu)`);
  const subjects = options.subjects ?? MMLU_SUBJECTS;
  const queries: string[] = [], group: string[] = [], correct: number[] = [], cost: number[] = [];
  for (const s of subjects) {
    if (!MMLU_SUBJECTS.includes(s)) throw new Error(`loadRouteLLM: unknown MMLU subject ${s}`);
    const t = routellmFromCsv(await readCsv(dir, `routellm/mmlu/mmlu_${s}.csv`), { responses: false });
    for (let r = 0; r < t.queries.length; r++) {
      queries.push(t.queries[r]);
      group.push(s);
      correct.push(t.correct[2 * r], t.correct[2 * r + 1]);
      cost.push(t.cost[2 * r], t.cost[2 * r + 1]);
    }
  }
  return {
    name: subjects.length === MMLU_SUBJECTS.length ? "MMLU" : `MMLU(${subjects.length} subjects)`,
    queries,
    models,
    n: queries.length,
    m: 2,
    cost: Float64Array.from(cost),
    correct: Uint8Array.from(correct),
    group,
  };
}
