/**
 * The four-part prompt of NSGA-II-LLM (Section IV-B2): identity (the LLM as an expert in
 * multi-objective optimisation), task description, context (the elite solutions between `<start>` and
 * `<end>` with their objective values) and expected output (s new solutions in the same format). The
 * wording follows the paper's example prompt; we add one sentence with the variables' bounds, which the
 * example and the authors' code leave out (replies are clipped to the bounds anyway).
 * The prompt is sent as one round (the paper's "single-round polling": no history).
 *
 * Two number formats ({@link PromptFormat}):
 * - `"authors"` (default): full precision (the shortest decimal that round-trips, as Python's
 *   `str(float(x))` in the authors' `llm2.py`), values separated by single spaces:
 *   `solution: <start>0.5 -1.25 3<end>` and `obj_value: 0.1 2.5`;
 * - `"paper"`: the paper's example, 3 decimals separated by commas: `<start>0.500,-1.250,3.000<end>`.
 *
 * The bounds sentence ({@link describeBounds}) takes exactly these forms, which the `moolab-numeric`
 * stand-in (lib/llm/standins/numeric.ts) reads back:
 * - "Every variable lies in [a, b]." when all variables share their bounds;
 * - otherwise runs of equal bounds joined by "; ": "Variable 1 lies in [a, b]; variables 2–10 lie in
 *   [c, d]." (1-based, inclusive, en dash).
 * Bounds are written at full precision in the authors' format and with ≤ 3 decimals in the paper's.
 */

/** A chat message. */
export interface PromptMessage {
  /** "system" for the identity, "user" for the rest. */
  role: "system" | "user";
  /** The message's text. */
  content: string;
}

/** What the prompt is built from. */
export interface PromptInput {
  /** Elite decision vectors, row-major (l × n). */
  solutions: Float64Array;
  /** Their objective vectors, row-major (l × m). */
  objectives: Float64Array;
  /** n: decision variables. */
  nVar: number;
  /** m: objectives. */
  nObj: number;
  /** How many new solutions to ask for (s). */
  count: number;
  /** Lower bounds of the variables (stated in the prompt). */
  lower: ArrayLike<number>;
  /** Upper bounds of the variables. */
  upper: ArrayLike<number>;
  /** How numbers are written (default "authors": full precision, spaces). */
  format?: PromptFormat;
}

/** "authors": full precision, space-separated (their code); "paper": 3 decimals, commas (its example). */
export type PromptFormat = "authors" | "paper";

/** A number as the format writes it. */
export function formatNumber(v: number, format: PromptFormat = "authors"): string {
  if (format === "authors") return String(v);
  const s = v.toFixed(3);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** The four parts, kept apart so a notebook can show them. */
export interface PromptParts {
  /** The LLM as an expert in multi-objective optimisation. */
  identity: string;
  /** The task description (dimension, bounds). */
  task: string;
  /** The elite solutions between `<start>` and `<end>`, with their objective values. */
  context: string;
  /** The expected output: s new solutions in the same format. */
  output: string;
}

const WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** Builds the four parts of the prompt. */
export function buildPrompt(input: PromptInput): PromptParts {
  const { solutions, objectives, nVar, nObj, count } = input;
  const l = solutions.length / nVar;
  if (!Number.isInteger(l) || l < 1) {
    throw new RangeError(`buildPrompt: ${solutions.length} values are not rows of ${nVar}`);
  }
  if (objectives.length !== l * nObj) {
    throw new RangeError(
      `buildPrompt: ${objectives.length} objective values for ${l} solutions × ${nObj} objectives`,
    );
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`buildPrompt: count must be ≥ 1, got ${count}`);
  }
  const format = input.format ?? "authors";
  if (format !== "authors" && format !== "paper") {
    throw new RangeError(`buildPrompt: format must be "authors" or "paper", got ${JSON.stringify(format)}`);
  }
  const sep = format === "authors" ? " " : ",";
  const num = (v: number) => formatNumber(v, format);
  const identity = "You are an expert in multi-objective optimization algorithms. Your task is to generate " +
    "improved solutions with better objective values through given solutions.";
  const task =
    `I have several solutions, all of which are in the form of ${nVar} dimensional decision vectors. ` +
    `${
      describeBounds(input.lower, input.upper, format === "authors" ? undefined : 3)
    } There are ${nObj} objectives, all to be minimized. ` +
    "The following is the initial solution in the mating pool.";
  const lines: string[] = [];
  for (let i = 0; i < l; i++) {
    const x = Array.from(solutions.subarray(i * nVar, (i + 1) * nVar), num);
    const f = Array.from(objectives.subarray(i * nObj, (i + 1) * nObj), num);
    lines.push(`solution: <start>${x.join(sep)}<end>`, `obj_value: ${f.join(sep)}`);
  }
  const n = count < WORDS.length ? WORDS[count] : String(count);
  const output =
    "You can use these multi-objective optimization algorithms to generate new solutions (one or " +
    `more algorithms can be used). Simply output ${n} new solutions with better objective values. ` +
    "Each solution must start with <start> and end with <end>.";
  return { identity, task, context: lines.join("\n"), output };
}

/** The prompt as chat messages: the identity as the system message, the rest as one user message. */
export function promptMessages(parts: PromptParts): PromptMessage[] {
  return [
    { role: "system", content: parts.identity },
    { role: "user", content: `${parts.task}\n${parts.context}\n${parts.output}` },
  ];
}

/**
 * "Every variable lies in [0, 1]." or grouped runs of equal bounds ("Variable 1 lies in [0, 1]; variables
 * 2–10 lie in [-5, 5]."); `decimals` rounds the bounds (full precision when undefined).
 */
export function describeBounds(
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  decimals?: number,
): string {
  const fmt = (v: number) => String(decimals === undefined ? v : Number(v.toFixed(decimals)));
  const runs: string[] = [];
  let start = 0;
  for (let j = 1; j <= lower.length; j++) {
    if (j === lower.length || lower[j] !== lower[start] || upper[j] !== upper[start]) {
      const range = `[${fmt(lower[start])}, ${fmt(upper[start])}]`;
      if (start === 0 && j === lower.length) return `Every variable lies in ${range}.`;
      runs.push(
        j - start === 1
          ? `variable ${start + 1} lies in ${range}`
          : `variables ${start + 1}–${j} lie in ${range}`,
      );
      start = j;
    }
  }
  const text = runs.join("; ");
  return text.charAt(0).toUpperCase() + text.slice(1) + ".";
}
