/**
 * An InstOptima instruction (Sec. 2 of the paper; the authors' `TCInstruction`): a definition of the
 * task, k examples (text and label) and an end prompt, rendered as
 *
 * ```
 * <definition>
 * input: <example 1>
 * <end prompt> <label 1>
 *
 * input: <example 2>
 * <end prompt> <label 2>
 * …
 * input: <the query>
 * <end prompt>
 * ```
 *
 * Its length objective is the number of characters of definition, examples and end prompt together
 * (the authors' `len(bos) + len(example) + len(eos)`); the token count (lib/llm/tokens.ts) is kept
 * beside it.
 *
 * @module
 */
import { ParseError } from "../llm/errors.ts";
import { countTokens } from "../llm/tokens.ts";

/** One few-shot example. */
export interface Example {
  /** The example's text. */
  text: string;
  /** Its label word. */
  label: string;
}

/** An instruction: the three genes the operators act on. */
export interface Instruction {
  /** The task definition. */
  definition: string;
  /** The few-shot examples. */
  examples: Example[];
  /** The closing prompt before the query. */
  endPrompt: string;
}

/** The examples as one block of text, `input: <text>\n<end prompt> <label>` each, blank-line separated. */
export function renderExamples(examples: readonly Example[], endPrompt: string): string {
  return examples.map((e) => `input: ${e.text}\n${endPrompt} ${e.label}`).join("\n\n");
}

/** The instruction as the task model sees it, ending with `query` (omitted: the instruction alone). */
export function renderInstruction(inst: Instruction, query?: string): string {
  const head = `${inst.definition}\n${renderExamples(inst.examples, inst.endPrompt)}`;
  return query === undefined ? head : `${head}\n\ninput: ${query}\n${inst.endPrompt}`;
}

/** A key identifying an instruction by its content (the evaluation cache's key). */
export function instructionKey(inst: Instruction): string {
  return JSON.stringify([inst.definition, inst.examples.map((e) => [e.text, e.label]), inst.endPrompt]);
}

/** Characters of definition, examples (rendered) and end prompt: the length objective. */
export function characterLength(inst: Instruction): number {
  return inst.definition.length + renderExamples(inst.examples, inst.endPrompt).length +
    inst.endPrompt.length;
}

/** Approximate tokens of the rendered instruction (lib/llm/tokens.ts). */
export function tokenLength(inst: Instruction): number {
  return countTokens(renderInstruction(inst));
}

/** Checks an instruction's shape; throws a RangeError naming what is wrong. */
export function checkInstruction(inst: Instruction, labels?: readonly string[]): void {
  if (typeof inst?.definition !== "string" || inst.definition.trim() === "") {
    throw new RangeError("instruction: the definition is empty");
  }
  if (typeof inst.endPrompt !== "string" || inst.endPrompt.trim() === "") {
    throw new RangeError("instruction: the end prompt is empty");
  }
  if (!Array.isArray(inst.examples) || inst.examples.length === 0) {
    throw new RangeError("instruction: it needs at least one example");
  }
  for (const [i, e] of inst.examples.entries()) {
    if (typeof e.text !== "string" || e.text.trim() === "" || /\n/.test(e.text)) {
      throw new RangeError(`instruction: example ${i + 1} needs a one-line, non-empty text`);
    }
    if (labels && !labels.includes(e.label)) {
      throw new RangeError(
        `instruction: example ${i + 1} has label ${e.label}, not one of ${labels.join(", ")}`,
      );
    }
  }
}

/**
 * Reads examples back from text in the {@link renderExamples} format, as an LLM returns them: blocks
 * separated by blank lines; in each, the last word of the last line is the label (case-insensitive,
 * punctuation stripped), the lines before it are the text (a leading "input:" dropped). Throws
 * {@link ParseError} naming the block when a label is not one of `labels` or a text is empty, and when
 * there are no blocks or more than `maxExamples`. Repeated examples are kept once.
 */
export function parseExamples(text: string, labels: readonly string[], maxExamples = 16): Example[] {
  const blocks = text.split(/\n\s*\n/).map((b) => b.trim()).filter((b) => b.length > 0);
  if (blocks.length === 0) throw new ParseError("no examples in the reply");
  if (blocks.length > maxExamples) {
    throw new ParseError(`the reply has ${blocks.length} examples, at most ${maxExamples} are allowed`);
  }
  const lower = labels.map((l) => l.toLowerCase());
  const out: Example[] = [];
  const seen = new Set<string>();
  for (const [b, block] of blocks.entries()) {
    const lines = block.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
    if (lines.length < 2) {
      throw new ParseError(
        `example ${b + 1} is one line; expected "input: <text>" then "<end prompt> <label>"`,
      );
    }
    const last = lines[lines.length - 1].split(/\s+/);
    const word = last[last.length - 1].replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").toLowerCase();
    const li = lower.indexOf(word);
    if (li < 0) {
      throw new ParseError(
        `example ${b + 1} ends with ${JSON.stringify(word)}, which is not a label (${labels.join(", ")})`,
      );
    }
    const body = lines.slice(0, -1).join(" ").replace(/^input\s*:\s*/i, "").trim();
    if (body === "") throw new ParseError(`example ${b + 1} has an empty text`);
    const key = `${body}\u0000${labels[li]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ text: body, label: labels[li] });
  }
  return out;
}
