/**
 * The labelled classification tasks InstOptima optimises instructions for.
 *
 * - HEADLINES (FrugalGPT, `frugalgpt/HEADLINES/{train,test}.csv` under the data directory): gold-market
 *   news headlines, 5,000 rows per split, no header, columns `query` ("Q: <headline>\nA:"), `label`
 *   (up, down, neutral, none), `id`. Read through lib/data.ts (checked against SHA256SUMS).
 * - A toy task the project generates itself (seeded, in code): commodity headlines built from phrase
 *   lists whose verbs carry the label, for the tests and as the notebook's fallback when the data is
 *   absent.
 *
 * @module
 */
import { dataDir, readVerified } from "../data.ts";
import { parseCsvRecords } from "../csv.ts";
import { Rng } from "../core/rng.ts";

/** One labelled text. */
export interface LabelledText {
  /** The text. */
  text: string;
  /** Its label word. */
  label: string;
  /** The row id in the source (HEADLINES' third column), or the index. */
  id: string;
}

/** A classification task: its label words and its splits. */
export interface Task {
  /** The task's name. */
  name: string;
  /** The label words, in a fixed order (the answer space). */
  labels: string[];
  /** Training texts (examples and development set are drawn from them). */
  train: LabelledText[];
  /** Held-out texts. */
  test: LabelledText[];
}

/** The label words of HEADLINES. */
export const HEADLINES_LABELS = ["up", "down", "neutral", "none"] as const;

/**
 * The rows of a HEADLINES split: each `query` must read "Q: <headline>\nA:" and each label be one of
 * {@link HEADLINES_LABELS}; an error names the file, the row and the column otherwise.
 */
export function parseHeadlines(text: string, file: string): LabelledText[] {
  const { records, lines } = parseCsvRecords(text, file);
  const out: LabelledText[] = [];
  for (const [r, row] of records.entries()) {
    const at = `${file}, row ${r + 1} (line ${lines[r]})`;
    if (row.length !== 3) {
      throw new Error(`${at}: expected 3 columns (query, label, id), found ${row.length}`);
    }
    const m = row[0].match(/^Q:\s*([\s\S]*?)\s*\n\s*A:\s*$/);
    if (!m || m[1].trim() === "") {
      throw new Error(
        `${at}, column 1 (query): expected "Q: <headline>\\nA:", found ${
          JSON.stringify(row[0].slice(0, 80))
        }`,
      );
    }
    const label = row[1].trim();
    if (!(HEADLINES_LABELS as readonly string[]).includes(label)) {
      throw new Error(
        `${at}, column 2 (label): ${JSON.stringify(row[1])} is not one of ${HEADLINES_LABELS.join(", ")}`,
      );
    }
    out.push({ text: m[1].trim().replace(/\s+/g, " "), label, id: row[2].trim() });
  }
  if (out.length === 0) throw new Error(`${file}: no rows`);
  return out;
}

/**
 * HEADLINES from the data directory (verified against SHA256SUMS), or undefined when the data
 * directory or the files are absent. A file that is present but damaged or malformed is an error.
 */
export async function loadHeadlines(dir: string | undefined = dataDir()): Promise<Task | undefined> {
  if (!dir) return undefined;
  const rel = (s: string) => `frugalgpt/HEADLINES/${s}.csv`;
  try {
    Deno.statSync(`${dir}/${rel("train")}`);
    Deno.statSync(`${dir}/${rel("test")}`);
  } catch {
    return undefined;
  }
  const read = async (s: string) =>
    parseHeadlines(new TextDecoder().decode(await readVerified(dir, rel(s))), `${dir}/${rel(s)}`);
  return {
    name: "HEADLINES",
    labels: [...HEADLINES_LABELS],
    train: await read("train"),
    test: await read("test"),
  };
}

const TOY = {
  items: ["copper", "gold", "silver", "wheat", "coffee", "cotton", "crude oil", "sugar"],
  up: ["climbs", "rallies", "jumps", "surges", "rises", "gains", "advances", "soars"],
  down: ["slides", "falls", "drops", "tumbles", "slumps", "sinks", "declines", "plunges"],
  none: ["exporters meet", "traders discuss", "analysts review", "officials debate", "firms report"],
  upTail: ["on strong demand", "to a weekly high", "as supply tightens", "after upbeat data", ""],
  downTail: ["on weak demand", "to a weekly low", "as stocks build up", "after soft data", ""],
  noneTail: ["rules for the new season", "a new trading venue", "the harvest calendar", "storage rules"],
};

/**
 * A toy commodity-headline task the project writes itself: labels up, down and none; `n` texts per
 * split drawn with `seed` (label first, uniformly; then an item, a verb of that label and a tail). The
 * label is carried by the verb (up/down) or by the absence of a price verb (none), so a few-shot
 * classifier whose examples cover the verbs scores high and one whose examples do not scores low.
 */
export function toyTask(n = 60, seed = 7): Task {
  if (!Number.isInteger(n) || n < 3) throw new RangeError(`toyTask: n must be an integer ≥ 3, got ${n}`);
  const rng = new Rng(seed);
  const pick = <T>(a: readonly T[]) => a[rng.int(a.length)];
  const make = (count: number, prefix: string): LabelledText[] =>
    Array.from({ length: count }, (_, i) => {
      const label = ["up", "down", "none"][rng.int(3)];
      const item = pick(TOY.items);
      const text = label === "up"
        ? `${item} ${pick(TOY.up)} ${pick(TOY.upTail)}`
        : label === "down"
        ? `${item} ${pick(TOY.down)} ${pick(TOY.downTail)}`
        : `${item} ${pick(TOY.none)} ${pick(TOY.noneTail)}`;
      return { text: text.trim(), label, id: `${prefix}${i}` };
    });
  return { name: "toy", labels: ["up", "down", "none"], train: make(n, "train-"), test: make(n, "test-") };
}

/** A development split and the pool the instructions' examples are drawn from. */
export interface TaskSplit {
  /** The development set the task model is scored on (InstOptima's performance objective). */
  dev: LabelledText[];
  /** The rest of the training split: the examples of instructions come from here, and the n-gram LM's text. */
  pool: LabelledText[];
}

/** A seeded development split of `devSize` texts from `task.train`; the rest is the pool. */
export function splitTask(task: Task, devSize: number, seed = 0): TaskSplit {
  if (!Number.isInteger(devSize) || devSize < 1 || devSize >= task.train.length) {
    throw new RangeError(
      `splitTask: devSize must be an integer in [1, ${
        task.train.length - 1
      }] for ${task.name}, got ${devSize}`,
    );
  }
  const perm = new Rng(seed).permutation(task.train.length);
  const dev = Array.from(perm.subarray(0, devSize), (i) => task.train[i]);
  const pool = Array.from(perm.subarray(devSize), (i) => task.train[i]);
  return { dev, pool };
}

/** The example pool and the language model's corpus, disjoint (see {@link splitCorpus}). */
export interface CorpusSplit {
  /** Texts instructions may hold as examples (every method draws from here). */
  examples: LabelledText[];
  /** Texts the perplexity model is trained on; no text of it is in `examples`. */
  corpus: LabelledText[];
}

/**
 * Splits a pool (seeded) into the example pool and the perplexity model's training corpus, `corpusShare`
 * of the texts to the corpus. Disjoint by text, not only by row: a text that occurs in both halves (a
 * repeated headline) is dropped from the corpus, so no example an instruction may contain was seen by the
 * language model and verbatim examples get no perplexity discount.
 */
export function splitCorpus(pool: readonly LabelledText[], corpusShare = 0.5, seed = 0): CorpusSplit {
  if (!(corpusShare > 0 && corpusShare < 1)) {
    throw new RangeError(`splitCorpus: corpusShare must be in (0, 1), got ${corpusShare}`);
  }
  const nCorpus = Math.round(pool.length * corpusShare);
  if (nCorpus < 1 || nCorpus >= pool.length) {
    throw new RangeError(`splitCorpus: a pool of ${pool.length} texts is too small to split`);
  }
  const perm = new Rng(seed).permutation(pool.length);
  const examples = Array.from(perm.subarray(nCorpus), (i) => pool[i]);
  const seen = new Set(examples.map((e) => e.text.trim().toLowerCase()));
  const corpus = Array.from(perm.subarray(0, nCorpus), (i) => pool[i]).filter((t) =>
    !seen.has(t.text.trim().toLowerCase())
  );
  return { examples, corpus };
}
