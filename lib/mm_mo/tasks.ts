/**
 * The three classification tasks of the merging experiment, and a project-made synthetic set.
 *
 * - HEADLINES (FrugalGPT): gold-market news headline → up / down / neutral / none. `train.csv` gives
 *   the training split; `test.csv`, shuffled with the seed, gives the validation and test splits.
 * - OVERRULING (FrugalGPT, via OptLLM's table): the case text (`content`) → `ref_answer` (Yes / No);
 *   a seeded 60 / 20 / 20 split.
 * - LOGS (LogPai, via OptLLM's log-parsing tables): a log message (`Content`) → its event (`EventId`)
 *   over the 16 LogPai systems, labels "System:EventId". Log lines of one event differ mostly in numbers,
 *   so the lines are deduplicated after the features' normalisation (lower case, digits → 0,
 *   {@link normalizeText}): one example per distinct normalised text, texts carrying two events dropped;
 *   then the 12 events with the most distinct texts are kept and split 60 / 20 / 20 (seeded) — no
 *   normalised text is in two splits. (Before deduplication, 3,154 lines of 3 systems collapsed to 153
 *   texts and the test split repeated the training split.)
 *
 * Files are read from the external data directory (lib/data.ts) after their SHA-256 check. When the
 * data is absent, {@link loadTasks} with `source: "auto"` falls back to {@link syntheticTasks}.
 */
import { Rng } from "../core/rng.ts";
import { dataDir, LOGPAI_SYSTEMS, readVerified } from "../data.ts";
import { csvObjects, parseCsv, parseCsvRecords } from "../csv.ts";
import { type FeatureOptions, hashFeatures, type SparseRows, tokenize } from "./features.ts";

/** A split of a task: features and label indices (into the task's `labels`). */
export interface Split {
  /** The features, one row per example. */
  readonly X: SparseRows;
  /** The label of each example, an index into the task's `labels`. */
  readonly y: Int32Array;
}

/** A classification task with train / validation / test splits. */
export interface Task {
  /** The task's name. */
  readonly name: string;
  /** Its label names. */
  readonly labels: readonly string[];
  /** The training split. */
  readonly train: Split;
  /** The validation split (what the search scores). */
  readonly validation: Split;
  /** The test split (reported only). */
  readonly test: Split;
}

/** Texts and label names before featurisation. */
export interface RawExamples {
  /** The example texts. */
  readonly texts: string[];
  /** The label of each text. */
  readonly labels: string[];
}

/** Options shared by the loaders. */
export interface TaskOptions extends FeatureOptions {
  /** Seed of the shuffles that make the splits; default 1. */
  seed?: number;
  /** At most this many training examples per task (default: all). */
  maxTrain?: number;
  /** At most this many validation and this many test examples per task (default: all). */
  maxEval?: number;
}

const decoder = new TextDecoder();

async function readText(dir: string, rel: string): Promise<string> {
  return decoder.decode(await readVerified(dir, rel));
}

/** Makes a task from raw examples: label set (sorted), features, and the given split indices. */
export function makeTask(
  name: string,
  parts: { train: RawExamples; validation: RawExamples; test: RawExamples },
  options: TaskOptions = {},
): Task {
  const labels = [...new Set([...parts.train.labels, ...parts.validation.labels, ...parts.test.labels])]
    .sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const split = (raw: RawExamples, what: string): Split => {
    if (raw.texts.length !== raw.labels.length) {
      throw new RangeError(`${name} ${what}: ${raw.texts.length} texts but ${raw.labels.length} labels`);
    }
    if (raw.texts.length === 0) throw new RangeError(`${name} ${what}: no examples`);
    return { X: hashFeatures(raw.texts, options), y: Int32Array.from(raw.labels, (l) => index.get(l)!) };
  };
  return {
    name,
    labels,
    train: split(parts.train, "train"),
    validation: split(parts.validation, "validation"),
    test: split(parts.test, "test"),
  };
}

function subset(raw: RawExamples, idx: ArrayLike<number>): RawExamples {
  return { texts: Array.from(idx, (i) => raw.texts[i]), labels: Array.from(idx, (i) => raw.labels[i]) };
}

/** A seeded split of raw examples into fractions (train, validation, rest = test). */
export function splitExamples(
  raw: RawExamples,
  seed: number,
  fractions: [number, number] = [0.6, 0.2],
): { train: RawExamples; validation: RawExamples; test: RawExamples } {
  const perm = new Rng(seed).permutation(raw.texts.length);
  const a = Math.round(fractions[0] * perm.length);
  const b = a + Math.round(fractions[1] * perm.length);
  return {
    train: subset(raw, perm.subarray(0, a)),
    validation: subset(raw, perm.subarray(a, b)),
    test: subset(raw, perm.subarray(b)),
  };
}

function cap(raw: RawExamples, max: number | undefined): RawExamples {
  if (max === undefined || raw.texts.length <= max) return raw;
  return { texts: raw.texts.slice(0, max), labels: raw.labels.slice(0, max) };
}

function capParts(
  p: { train: RawExamples; validation: RawExamples; test: RawExamples },
  o: TaskOptions,
) {
  return {
    train: cap(p.train, o.maxTrain),
    validation: cap(p.validation, o.maxEval),
    test: cap(p.test, o.maxEval),
  };
}

const HEADLINE_LABELS = new Set(["up", "down", "neutral", "none"]);

/** Parses a FrugalGPT HEADLINES file (no header: query, label, id). */
export function parseHeadlines(text: string, file: string): RawExamples {
  const rows = parseCsvRecords(text, file).records;
  const texts: string[] = [];
  const labels: string[] = [];
  rows.forEach((r, i) => {
    if (r.length === 1 && r[0] === "") return;
    if (r.length !== 3) {
      throw new Error(`${file}: record ${i + 1} has ${r.length} fields, expected 3 (query, label, id)`);
    }
    const label = r[1].trim();
    if (!HEADLINE_LABELS.has(label)) {
      throw new Error(
        `${file}: record ${i + 1}, column 2: label "${label}" is not up, down, neutral or none`,
      );
    }
    const q = r[0].replace(/^Q:\s*/, "").replace(/\s*A:\s*$/, "").trim();
    if (q === "") throw new Error(`${file}: record ${i + 1}, column 1: empty headline`);
    texts.push(q);
    labels.push(label);
  });
  return { texts, labels };
}

function splitTexts(p: { train: RawExamples; validation: RawExamples; test: RawExamples }) {
  return { train: p.train.texts, validation: p.validation.texts, test: p.test.texts };
}

async function headlineTexts(dir: string, options: TaskOptions) {
  return splitTexts(await headlineParts(dir, options));
}

/** HEADLINES from `frugalgpt/HEADLINES/{train,test}.csv` under the data directory `dir`. */
export async function loadHeadlines(dir: string, options: TaskOptions = {}): Promise<Task> {
  return makeTask("HEADLINES", await headlineParts(dir, options), options);
}

async function headlineParts(dir: string, options: TaskOptions) {
  const seed = options.seed ?? 1;
  const train = parseHeadlines(
    await readText(dir, "frugalgpt/HEADLINES/train.csv"),
    "frugalgpt/HEADLINES/train.csv",
  );
  const rest = parseHeadlines(
    await readText(dir, "frugalgpt/HEADLINES/test.csv"),
    "frugalgpt/HEADLINES/test.csv",
  );
  const perm = new Rng(seed).permutation(rest.texts.length);
  const half = Math.floor(perm.length / 2);
  const trainPerm = new Rng(seed + 1).permutation(train.texts.length);
  return capParts({
    train: subset(train, trainPerm),
    validation: subset(rest, perm.subarray(0, half)),
    test: subset(rest, perm.subarray(half)),
  }, options);
}

/** Parses OptLLM's `overruling.csv`: `content` → `ref_answer`. */
export function parseOverruling(text: string, file: string): RawExamples {
  const rows = csvObjects(parseCsv(text, file), ["content", "ref_answer"]);
  const texts: string[] = [];
  const labels: string[] = [];
  rows.forEach((r, i) => {
    const content = r.content.replace(/\n?Question: Is it overruling\?\s*$/, "").replace(/^Context:\s*/, "")
      .trim();
    if (content === "") throw new Error(`${file}: record ${i + 2}, column content: empty text`);
    const label = r.ref_answer.trim();
    if (label !== "Yes" && label !== "No") {
      throw new Error(`${file}: record ${i + 2}, column ref_answer: "${label}" is not Yes or No`);
    }
    texts.push(content);
    labels.push(label);
  });
  return { texts, labels };
}

/** OVERRULING from `optllm/text_classification/overruling.csv`. */
export async function loadOverruling(dir: string, options: TaskOptions = {}): Promise<Task> {
  const rel = "optllm/text_classification/overruling.csv";
  const raw = parseOverruling(await readText(dir, rel), rel);
  return makeTask("OVERRULING", capParts(splitExamples(raw, (options.seed ?? 1) + 2), options), options);
}

/** Options of {@link loadLogEvents}. */
export interface LogOptions extends TaskOptions {
  /** LogPai systems whose messages are used; default all 16 ({@link LOGPAI_SYSTEMS}). */
  systems?: readonly string[];
  /** Keep the most frequent events only; default 12. */
  events?: number;
  /** Deduplicate after normalisation (default true; false reproduces the leaky task). */
  dedupe?: boolean;
}

export { LOGPAI_SYSTEMS };

/** A text as the features see it: its tokens ({@link tokenize}: lower case, digits → 0) joined by spaces. */
export function normalizeText(text: string): string {
  return tokenize(text).join(" ");
}

/** What {@link dedupeNormalized} kept and dropped. */
export interface DedupeReport {
  /** Rows read. */
  readonly rows: number;
  /** Distinct normalised texts. */
  readonly distinct: number;
  /** Distinct normalised texts carrying more than one label (dropped). */
  readonly conflicting: number;
  /** Rows kept (one per distinct text with a single label). */
  readonly kept: number;
}

/**
 * One example per distinct normalised text (the first occurrence's raw text), in order of first
 * occurrence; texts seen with two or more labels are dropped.
 */
export function dedupeNormalized(raw: RawExamples): { examples: RawExamples; report: DedupeReport } {
  const first = new Map<string, number>();
  const labelsOf = new Map<string, Set<string>>();
  raw.texts.forEach((t, i) => {
    const k = normalizeText(t);
    if (!first.has(k)) first.set(k, i);
    const s = labelsOf.get(k) ?? new Set<string>();
    s.add(raw.labels[i]);
    labelsOf.set(k, s);
  });
  const keep: number[] = [];
  let conflicting = 0;
  for (const [k, i] of first) {
    if (labelsOf.get(k)!.size > 1) conflicting++;
    else keep.push(i);
  }
  return {
    examples: subset(raw, keep),
    report: { rows: raw.texts.length, distinct: first.size, conflicting, kept: keep.length },
  };
}

/** How many normalised texts of `a` also occur in `b` (0 when the splits share no text). */
export function sharedTexts(a: readonly string[], b: readonly string[]): number {
  const inB = new Set(b.map(normalizeText));
  return new Set(a.map(normalizeText).filter((t) => inB.has(t))).size;
}

/** Parses one LogPai table (`Content`, `EventId`), labelling each line "System:EventId". */
export function parseLogTable(text: string, file: string, system: string): RawExamples {
  const rows = csvObjects(parseCsv(text, file), ["Content", "EventId"]);
  const texts: string[] = [];
  const labels: string[] = [];
  rows.forEach((r, i) => {
    const ev = r.EventId.trim();
    if (!/^E\d+$/.test(ev)) {
      throw new Error(`${file}: record ${i + 2}, column EventId: "${ev}" is not E<number>`);
    }
    texts.push(r.Content);
    labels.push(`${system}:${ev}`);
  });
  return { texts, labels };
}

/** The most frequent `k` labels (ties broken by name) and the examples that carry them. */
export function mostFrequent(raw: RawExamples, k: number): RawExamples {
  const count = new Map<string, number>();
  for (const l of raw.labels) count.set(l, (count.get(l) ?? 0) + 1);
  const keep = new Set(
    [...count.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k).map((e) => e[0]),
  );
  const idx = raw.labels.flatMap((l, i) => (keep.has(l) ? [i] : []));
  return subset(raw, idx);
}

/** Log-line event classification from `optllm/log_parsing/ai21_<System>_raw.csv` (see the module doc). */
export async function loadLogEvents(dir: string, options: LogOptions = {}): Promise<Task> {
  return (await loadLogEventsReport(dir, options)).task;
}

/** {@link loadLogEvents} with the deduplication counts and the split sizes. */
export async function loadLogEventsReport(
  dir: string,
  options: LogOptions = {},
): Promise<
  { task: Task; dedupe?: DedupeReport; raw: { train: string[]; validation: string[]; test: string[] } }
> {
  const systems = options.systems ?? LOGPAI_SYSTEMS;
  const texts: string[] = [];
  const labels: string[] = [];
  for (const s of systems) {
    const rel = `optllm/log_parsing/ai21_${s}_raw.csv`;
    const raw = parseLogTable(await readText(dir, rel), rel, s);
    texts.push(...raw.texts);
    labels.push(...raw.labels);
  }
  let all: RawExamples = { texts, labels };
  let dedupe: DedupeReport | undefined;
  if (options.dedupe ?? true) {
    const d = dedupeNormalized(all);
    all = d.examples;
    dedupe = d.report;
  }
  const raw = mostFrequent(all, options.events ?? 12);
  const parts = capParts(splitExamples(raw, (options.seed ?? 1) + 3), options);
  return {
    task: makeTask("LOGS", parts, options),
    dedupe,
    raw: { train: parts.train.texts, validation: parts.validation.texts, test: parts.test.texts },
  };
}

/**
 * A project-made set of three tasks with the same shape as the real ones (for tests and when the
 * data is absent). Task t has `labels[t]` classes; each class owns a few cue words; a text mixes
 * 2–4 cue words of its class, 0–2 cue words of another class of the same task (so that context
 * matters), words shared by all tasks, and random filler; 5% of the labels are flipped.
 */
export function syntheticTasks(options: TaskOptions & { size?: number; labels?: number[] } = {}): Task[] {
  const seed = options.seed ?? 1;
  const size = options.size ?? 2000;
  const nLabels = options.labels ?? [4, 2, 6];
  const rng = new Rng(seed + 1000);
  // Words are spelled with letters only (the tokenizer maps digits to 0).
  const az = (i: number) => String.fromCharCode(97 + Math.floor(i / 26)) + String.fromCharCode(97 + (i % 26));
  const shared = Array.from({ length: 40 }, (_, i) => `common${az(i)}`);
  return nLabels.map((L, t) => {
    const cues = Array.from(
      { length: L },
      (_, c) => Array.from({ length: 6 }, (_, w) => `cue${az(t)}${az(c)}${az(w)}`),
    );
    const filler = Array.from({ length: 60 }, (_, i) => `fill${az(t)}${az(i)}`);
    const texts: string[] = [];
    const labels: string[] = [];
    for (let i = 0; i < size; i++) {
      const c = rng.int(L);
      const words: string[] = [];
      const nc = 2 + rng.int(3);
      for (let k = 0; k < nc; k++) words.push(cues[c][rng.int(6)]);
      const other = (c + 1 + rng.int(L - 1)) % L;
      for (let k = rng.int(3); k > 0; k--) words.push(cues[other][rng.int(6)]);
      for (let k = 0; k < 4; k++) words.push(shared[rng.int(shared.length)]);
      for (let k = 0; k < 5; k++) words.push(filler[rng.int(filler.length)]);
      rng.shuffle(words);
      texts.push(words.join(" "));
      labels.push(`c${rng.random() < 0.05 ? rng.int(L) : c}`);
    }
    return makeTask(`SYN${t + 1}`, capParts(splitExamples({ texts, labels }, seed + t), options), options);
  });
}

/** What {@link loadTasks} returns: the tasks and where they came from. */
export interface LoadedTasks {
  /** The tasks. */
  readonly tasks: Task[];
  /** "data" (the external data directory) or "synthetic" (made up here, without it). */
  readonly source: "data" | "synthetic";
  /** The LOGS task's deduplication counts (data only, when deduplicated). */
  readonly logsDedupe?: DedupeReport;
  /** The raw texts of each task's splits (data only), to check that no text is in two splits. */
  readonly texts?: { train: string[]; validation: string[]; test: string[] }[];
}

/**
 * The three tasks of the experiment: HEADLINES, OVERRULING and LOGS from the data directory, or the
 * synthetic set. `source: "auto"` (default) uses the data when the directory exists and the synthetic
 * tasks otherwise; `"data"` throws when it is absent.
 */
export async function loadTasks(
  options: LogOptions & { source?: "auto" | "data" | "synthetic"; dir?: string } = {},
): Promise<LoadedTasks> {
  const source = options.source ?? "auto";
  if (source === "synthetic") return { tasks: syntheticTasks(options), source: "synthetic" };
  const dir = options.dir ?? dataDir();
  if (!dir) {
    if (source === "data") throw new Error("loadTasks: no data directory (set MOOLAB_DATA_DIR)");
    return { tasks: syntheticTasks(options), source: "synthetic" };
  }
  const logs = await loadLogEventsReport(dir, options);
  const tasks = [await loadHeadlines(dir, options), await loadOverruling(dir, options), logs.task];
  const texts = [
    await headlineTexts(dir, options),
    splitTexts(capParts(
      splitExamples(
        parseOverruling(
          await readText(dir, "optllm/text_classification/overruling.csv"),
          "optllm/text_classification/overruling.csv",
        ),
        (options.seed ?? 1) + 2,
      ),
      options,
    )),
    logs.raw,
  ];
  return { tasks, source: "data", logsDedupe: logs.dedupe, texts };
}
