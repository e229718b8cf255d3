/**
 * `moolab-text`: a generic stand-in for instruction operators (definition / example mutation and
 * crossover; InstOptima's notebook uses its own `moolab-instop`, lib/instoptima/operator_standin.ts,
 * which also reads the offered material and the objectives line). It reads the parent instructions in
 * the prompt and answers with plain text-edit operators
 * — the text-editing baseline InstOptima is compared with (edit-based instruction search in the manner
 * of GrIPS): sentence recombination for crossover, word deletion, insertion and substitution for
 * mutation, drawing new words only from the parents' own vocabulary. It does not read the objective
 * values in the prompt (the text-edit baseline is blind to them). The reply is the new instruction(s)
 * wrapped in `<inst>` and `</inst>` and nothing else, as InstOptima's prompts demand.
 *
 * What it reads (case-insensitive):
 * - the parents: every `<inst>…</inst>` block of three words or more in the prompt; failing that, every
 *   double-quoted passage (“…” or "…") of four words or more. Prompts should wrap parents in `<inst>`
 *   tags (a format instruction such as "wrap it with <inst> and </inst>" is not mistaken for a parent);
 * - the operator (read from the prompt with the parents cut out): "crossover", "cross over", "combine" or "recombin…" with two parents or more is a
 *   crossover, anything else a mutation; "example" before "mutation"/"crossover" makes the units the
 *   blank-line-separated blocks (examples) instead of sentences;
 * - the kind of mutation edit: "synonym", "replac…" or "substitut…" → substitution; "delet…",
 *   "remov…", "shorten" or "simplif…" → deletion; "insert…", "add", "expand" → insertion; else each edit
 *   draws one of the three;
 * - the count: "generate two new instructions" … (default 1).
 *
 * Crossover (one-point, on units): the first `i` units of parent A then the units of parent B from `j`
 * on, `i` and `j` drawn so that both parents contribute; parents of a single unit cross over on words.
 * Mutation: 1 edit at temperature 0, else 1 or 2 edits (drawn). Deterministic given the request.
 *
 * @module
 */
import type { Rng } from "../../core/rng.ts";
import type { StandIn, StandInRequest } from "./mod.ts";
import { promptText, requestedCount } from "./prompt.ts";

/** The operators the stand-in applies. */
export type TextOperator = "mutation" | "crossover";
/** Mutation edits. */
export type TextEdit = "deletion" | "insertion" | "substitution";

/** What {@link readInstructionPrompt} finds in a prompt. */
export interface InstructionPrompt {
  /** The parent instructions, from the prompt's `<inst>` blocks. */
  parents: string[];
  /** The operator the prompt names. */
  operator: TextOperator;
  /** Units are examples (blank-line blocks) rather than sentences. */
  examples: boolean;
  /** The mutation edit the prompt names, if any. */
  edit?: TextEdit;
  /** How many new instructions the prompt asks for (default 1). */
  count: number;
}

function words(s: string): number {
  return s.trim().split(/\s+/).filter((w) => w.length > 0).length;
}

/** Reads the parents, operator, edit and count of an instruction-operator prompt. */
export function readInstructionPrompt(text: string): InstructionPrompt {
  let parents = [...text.matchAll(/<inst>([\s\S]*?)<\/inst>/gi)].map((m) => m[1].trim()).filter((s) =>
    words(s) >= 3
  );
  if (parents.length === 0) {
    parents = [...text.matchAll(/“([^”]+)”|"([^"]+)"/g)].map((m) => (m[1] ?? m[2]).trim()).filter((s) =>
      words(s) >= 4
    );
  }
  let rest = text;
  for (const parent of parents) rest = rest.split(parent).join(" ");
  const lower = rest.toLowerCase();
  const cross = /\bcross[\s-]?over|\bcombine|\brecombin/.test(lower) && parents.length >= 2;
  const edit: TextEdit | undefined = /synonym|replac|substitut/.test(lower)
    ? "substitution"
    : /delet|remov|shorten|simplif/.test(lower)
    ? "deletion"
    : /insert|\badd\b|expand/.test(lower)
    ? "insertion"
    : undefined;
  return {
    parents,
    operator: cross ? "crossover" : "mutation",
    examples: /\bexamples?[\s-]+(?:mutation|crossover|cross[\s-]over)/.test(lower),
    ...(edit ? { edit } : {}),
    count: requestedCount(text, String.raw`(?:new\s+)?instructions?`) ?? 1,
  };
}

/** Splits a text into units: sentences, or blank-line-separated blocks for examples. */
export function units(text: string, examples: boolean): string[] {
  const parts = examples ? text.split(/\n\s*\n/) : text.split(/(?<=[.!?])\s+/);
  return parts.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The distinct words (letters only, ≥ 3 long, lower-cased) of some texts, in order of appearance. */
export function vocabulary(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(/\p{L}{3,}/gu)) seen.add(m[0].toLowerCase());
  return [...seen];
}

/** One-point crossover on units (words when both parents are one unit). */
export function crossover(a: string, b: string, examples: boolean, rng: Rng): string {
  const ua = units(a, examples), ub = units(b, examples);
  const sep = examples ? "\n\n" : " ";
  if (ua.length <= 1 && ub.length <= 1) {
    const wa = a.trim().split(/\s+/), wb = b.trim().split(/\s+/);
    const i = 1 + rng.int(Math.max(1, wa.length - 1));
    const j = wb.length > 1 ? 1 + rng.int(wb.length - 1) : 0;
    return [...wa.slice(0, i), ...wb.slice(j)].join(" ");
  }
  const i = ua.length > 1 ? 1 + rng.int(ua.length - 1) : 1;
  const j = ub.length > 1 ? 1 + rng.int(ub.length - 1) : 0;
  return [...ua.slice(0, i), ...ub.slice(j)].join(sep);
}

/** One word edit of `text` (whitespace kept), new words drawn from `vocab`. */
export function mutate(text: string, edit: TextEdit, vocab: readonly string[], rng: Rng): string {
  const tokens = text.split(/(\s+)/);
  const wordAt = tokens.map((t, k) => (k % 2 === 0 && t.length > 0 ? k : -1)).filter((k) => k >= 0);
  if (wordAt.length === 0) return text;
  if (edit === "deletion" && wordAt.length > 1) {
    const k = wordAt[rng.int(wordAt.length)];
    const trail = tokens[k].match(/[.,;:!?]+$/)?.[0] ?? "";
    tokens.splice(k, 2); // the word and the space after it
    if (trail && k - 2 >= 0 && !/[.,;:!?]$/.test(tokens[k - 2])) tokens[k - 2] += trail;
    return tokens.join("").trim();
  }
  if (vocab.length === 0) return text;
  const k = wordAt[rng.int(wordAt.length)];
  if (edit === "insertion") {
    tokens.splice(k, 0, vocab[rng.int(vocab.length)], " ");
    return tokens.join("");
  }
  // substitution (and deletion of a one-word text): replace the letters of a word, keep its punctuation
  const m = tokens[k].match(/^(\W*)(.*?)(\W*)$/u)!;
  const current = m[2].toLowerCase();
  const others = vocab.filter((v) => v !== current);
  if (others.length === 0) return text;
  let w = others[rng.int(others.length)];
  if (/^\p{Lu}/u.test(m[2])) w = w[0].toUpperCase() + w.slice(1);
  tokens[k] = m[1] + w + m[3];
  return tokens.join("");
}

/** The `moolab-text` stand-in. */
export const textStandIn: StandIn = {
  name: "moolab-text",
  description:
    "stand-in, not a language model: reads <inst>…</inst> parent instructions and applies text-edit " +
    "operators (sentence recombination; word deletion, insertion, substitution from the parents' words)",
  fingerprint: "moolab-text/text-edit-v1",
  respond(request: StandInRequest, rng: Rng): string {
    const text = promptText(request.messages);
    const p = readInstructionPrompt(text);
    if (p.parents.length === 0) {
      return "I found no instruction to operate on in the prompt (expected it inside <inst> and </inst>).";
    }
    const vocab = vocabulary(p.parents);
    const out: string[] = [];
    const edits: TextEdit[] = ["deletion", "insertion", "substitution"];
    for (let c = 0; c < p.count; c++) {
      let child: string;
      if (p.operator === "crossover") {
        const a = rng.int(p.parents.length);
        let b = rng.int(p.parents.length - 1);
        if (b >= a) b++;
        child = crossover(p.parents[a], p.parents[b], p.examples, rng);
      } else {
        child = p.parents[rng.int(p.parents.length)];
        const n = request.temperature > 0 ? 1 + rng.int(2) : 1;
        for (let e = 0; e < n; e++) child = mutate(child, p.edit ?? edits[rng.int(3)], vocab, rng);
      }
      out.push(`<inst>${child}</inst>`);
    }
    return out.join("\n");
  },
};
