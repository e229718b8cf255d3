/**
 * The OptLLM benchmarks as allocation instances: n queries × m LLMs, each with a cost in USD and a 0/1
 * outcome (Section III-B of the OptLLM paper: cost_{i,k} and acc_{i,k}, Eqs. 1–5).
 *
 * - LogPai log parsing (16 systems × 2000 log lines, 8 LLMs): a model parses a line correctly when its
 *   `_template` equals `EventTemplate` after trimming; cost = tokens × the model's price (Eq. 1) from
 *   `data/optllm_prices.json`.
 * - OVERRULING (2160 legal sentences, 12 LLM APIs from the FrugalGPT study): correctness (`M`) and cost
 *   (`M_cost`) per query are in the file.
 *
 * Files are read from the data directory (`lib/data.ts`: `MOOLAB_DATA_DIR` or `../shared/data`) and
 * verified against its `SHA256SUMS` before parsing. Malformed input — a missing column, a ragged row,
 * a non-numeric cost or token count, an outcome other than 0/1, a wrong checksum — is an error naming
 * the file, the row and the column.
 *
 * @module
 */
import { dataDir, LOGPAI_SYSTEMS, readVerified } from "../data.ts";
import { columnIndex, type Csv, numberAt, parseCsv } from "../csv.ts";
import prices from "../../data/optllm_prices.json" with { type: "json" };

/** An allocation instance: n queries, m LLMs, row-major n×m tables. */
export interface AllocationData {
  /** The dataset's name. */
  readonly name: string;
  /** The query texts (what the prediction component sees). */
  readonly queries: string[];
  /** The LLM names, in column order. */
  readonly models: string[];
  /** n: queries. */
  readonly n: number;
  /** m: LLMs. */
  readonly m: number;
  /** cost_{i,k} in USD, row-major n×m. */
  readonly cost: Float64Array;
  /** acc_{i,k} ∈ {0, 1}: 1 when LLM k answers query i correctly, row-major n×m. */
  readonly correct: Uint8Array;
  /** A group label per query (the LogPai system), when there is one. */
  readonly group?: string[];
}

export { LOGPAI_SYSTEMS };

/** A price-table entry (see data/optllm_prices.json). */
export interface PriceEntry {
  /** The LLM's display name. */
  name: string;
  /** Its column in the data files. */
  column: string;
  /** The data file holding its token counts. */
  file: "ai21" | "togetherModel";
  /** Its price, US dollars per million tokens. */
  usdPerMillionTokens: number;
  /** The price list the price was read from. */
  source: string;
  /** When that price was in force (YYYY-MM). */
  date: string;
}

/** The project's price table for the eight log-parsing LLMs, in the paper's model order. */
export const LOGPAI_PRICES: readonly PriceEntry[] = prices.models as PriceEntry[];

/** Decodes bytes and parses them as CSV, naming the file in errors. */
export function csvFromBytes(bytes: Uint8Array, file: string): Csv {
  return parseCsv(new TextDecoder().decode(bytes), file);
}

async function readCsv(dir: string, rel: string): Promise<Csv> {
  return csvFromBytes(await readVerified(dir, rel), `${dir}/${rel}`);
}

function requireDir(dir: string | undefined, what: string): string {
  const d = dir ?? dataDir();
  if (!d) {
    throw new Error(
      `${what}: no data directory (set MOOLAB_DATA_DIR, or put the data in ../shared/data; ` +
        "`deno task data <dir>` downloads it)",
    );
  }
  return d;
}

/** Options of {@link loadLogPai}. */
export interface LogPaiOptions {
  /** The data directory (default: `dataDir()`). */
  dir?: string;
  /** Systems to load (default: all 16). */
  systems?: readonly string[];
  /** Price table (default: {@link LOGPAI_PRICES}). */
  prices?: readonly PriceEntry[];
}

/**
 * Loads the LogPai log-parsing benchmark: for each system, `optllm/log_parsing/togetherModel_<S>_raw.csv`
 * and `ai21_<S>_raw.csv` (the same 2000 lines, checked by `LineId`), joined into one instance with the
 * models in the price table's order.
 */
export async function loadLogPai(options: LogPaiOptions = {}): Promise<AllocationData> {
  const dir = requireDir(options.dir, "loadLogPai");
  const systems = options.systems ?? LOGPAI_SYSTEMS;
  const table = options.prices ?? LOGPAI_PRICES;
  for (const p of table) {
    if (!(p.usdPerMillionTokens >= 0)) throw new Error(`price of ${p.name} must be a number ≥ 0`);
  }
  const queries: string[] = [], group: string[] = [];
  const costs: number[] = [], correct: number[] = [];
  const m = table.length;
  for (const sys of systems) {
    if (!(LOGPAI_SYSTEMS as readonly string[]).includes(sys)) {
      throw new Error(`loadLogPai: unknown system ${sys}; known: ${LOGPAI_SYSTEMS.join(", ")}`);
    }
    const files = {
      togetherModel: await readCsv(dir, `optllm/log_parsing/togetherModel_${sys}_raw.csv`),
      ai21: await readCsv(dir, `optllm/log_parsing/ai21_${sys}_raw.csv`),
    };
    const t = files.togetherModel, a = files.ai21;
    if (t.rows.length !== a.rows.length) {
      throw new Error(`${a.file}: ${a.rows.length} rows, but ${t.file} has ${t.rows.length}`);
    }
    const [tId, tContent, tTruth] = columnIndex(t, ["LineId", "Content", "EventTemplate"]);
    const [aId, aTruth, aTokens] = columnIndex(a, ["LineId", "EventTemplate", "token_num"]);
    // per model: the file, the template column and the token columns
    const spec = table.map((p) => {
      const f = files[p.file];
      if (!f) throw new Error(`price table: ${p.name} has unknown file kind ${p.file}`);
      const tokens = p.file === "ai21"
        ? [aTokens]
        : columnIndex(f, [`${p.column}_prompt_token_num`, `${p.column}_completion_tokens_num`]);
      const [template] = columnIndex(f, [`${p.column}_template`]);
      return {
        f,
        tokens,
        template,
        truth: p.file === "ai21" ? aTruth : tTruth,
        price: p.usdPerMillionTokens,
      };
    });
    for (let r = 0; r < t.rows.length; r++) {
      if (t.rows[r][tId] !== a.rows[r][aId]) {
        throw new Error(
          `${a.file}: row ${r + 1} (line ${a.lines[r]}), column LineId: ${a.rows[r][aId]} but ` +
            `${t.file} has ${t.rows[r][tId]}`,
        );
      }
      queries.push(t.rows[r][tContent]);
      group.push(sys);
      for (const s of spec) {
        let tokens = 0;
        for (const c of s.tokens) {
          const v = numberAt(s.f, r, c);
          if (v < 0) {
            throw new Error(
              `${s.f.file}: row ${r + 1} (line ${s.f.lines[r]}), column ${
                s.f.header[c]
              }: negative token count`,
            );
          }
          tokens += v;
        }
        costs.push((tokens * s.price) / 1e6);
        correct.push(s.f.rows[r][s.template].trim() === s.f.rows[r][s.truth].trim() ? 1 : 0);
      }
    }
  }
  const n = queries.length;
  return {
    name: systems.length === LOGPAI_SYSTEMS.length ? "LogPai" : `LogPai(${systems.join(",")})`,
    queries,
    models: table.map((p) => p.name),
    n,
    m,
    cost: Float64Array.from(costs),
    correct: Uint8Array.from(correct),
    group,
  };
}

/** The twelve LLM APIs of OVERRULING, in the file's (and the paper's) order. */
export const OVERRULING_MODELS = [
  "gptneox_20B",
  "gptj_6B",
  "fairseq_gpt_13B",
  "text-davinci-002",
  "text-curie-001",
  "gpt-3.5-turbo",
  "gpt-4",
  "j1-jumbo",
  "j1-grande",
  "j1-large",
  "xlarge",
  "medium",
] as const;

/**
 * Parses an OVERRULING-format table (columns `content`, and for each model `M_cost` and `M` ∈ {0, 1})
 * from CSV text; `file` names it in errors.
 */
export function overrulingFromCsv(csv: Csv, models: readonly string[] = OVERRULING_MODELS): AllocationData {
  const [content] = columnIndex(csv, ["content"]);
  const costCol = columnIndex(csv, models.map((k) => `${k}_cost`));
  const okCol = columnIndex(csv, models.map((k) => k));
  const n = csv.rows.length, m = models.length;
  const cost = new Float64Array(n * m), correct = new Uint8Array(n * m);
  const queries: string[] = new Array(n);
  for (let r = 0; r < n; r++) {
    queries[r] = csv.rows[r][content];
    for (let k = 0; k < m; k++) {
      const c = numberAt(csv, r, costCol[k]);
      if (c < 0) {
        throw new Error(
          `${csv.file}: row ${r + 1} (line ${csv.lines[r]}), column ${models[k]}_cost: negative cost`,
        );
      }
      cost[r * m + k] = c;
      const v = numberAt(csv, r, okCol[k]);
      if (v !== 0 && v !== 1) {
        throw new Error(
          `${csv.file}: row ${r + 1} (line ${csv.lines[r]}), column ${models[k]}: ${v} is not 0 or 1`,
        );
      }
      correct[r * m + k] = v;
    }
  }
  return { name: "OVERRULING", queries, models: [...models], n, m, cost, correct };
}

/** Loads OVERRULING from `optllm/text_classification/overruling.csv` under the data directory. */
export async function loadOverruling(options: { dir?: string } = {}): Promise<AllocationData> {
  const dir = requireDir(options.dir, "loadOverruling");
  return overrulingFromCsv(await readCsv(dir, "optllm/text_classification/overruling.csv"));
}

/** The instance restricted to the given query indices (in that order). */
export function subset(data: AllocationData, idx: ArrayLike<number>, name?: string): AllocationData {
  const m = data.m, n = idx.length;
  const cost = new Float64Array(n * m), correct = new Uint8Array(n * m);
  const queries: string[] = new Array(n);
  const group: string[] | undefined = data.group ? new Array(n) : undefined;
  for (let r = 0; r < n; r++) {
    const i = idx[r];
    if (!(i >= 0 && i < data.n)) throw new RangeError(`subset: index ${i} outside 0..${data.n - 1}`);
    cost.set(data.cost.subarray(i * m, (i + 1) * m), r * m);
    correct.set(data.correct.subarray(i * m, (i + 1) * m), r * m);
    queries[r] = data.queries[i];
    if (group) group[r] = data.group![i];
  }
  return { name: name ?? data.name, queries, models: data.models, n, m, cost, correct, group };
}

/** Each LLM used alone: total cost and accuracy over the given queries (all by default). */
export function singleModelResults(
  data: AllocationData,
  idx?: ArrayLike<number>,
): { model: string; cost: number; accuracy: number }[] {
  const rows = idx ?? Array.from({ length: data.n }, (_, i) => i);
  return data.models.map((model, k) => {
    let cost = 0, ok = 0;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r];
      cost += data.cost[i * data.m + k];
      ok += data.correct[i * data.m + k];
    }
    return { model, cost, accuracy: ok / rows.length };
  });
}
