/**
 * Baselines without an LLM, run through the same NSGA-II loop and evaluation as InstOptima:
 *
 * - {@link textEditVariation}: the text-editing baseline the paper contrasts its LLM operators with
 *   (edit-based instruction search in the manner of GrIPS, Prasad et al. 2023): random word edits
 *   (delete, insert, substitute a word) and phrase edits (delete, swap, add a phrase) of the definition,
 *   and example edits (drop one, add one from the training pool, replace one by a pool text);
 * - {@link randomSearchVariation}: random search — every "child" is a fresh random instruction (phrases
 *   of the hand-written definitions in random order, a random end prompt, 1 … kMax random pool
 *   examples) and the parents are ignored. Because the tracked front is that of all evaluated
 *   instructions, NSGA-II's survival has no effect on it: this is plain random search at the same budget.
 *
 * Each call draws from its own generator seeded by the call's seed, so the edits are reproducible.
 *
 * @module
 */
import { Rng } from "../core/rng.ts";
import type { LabelledText } from "./data.ts";
import type { Example, Instruction } from "./instruction.ts";
import type { Individual, Variation, VariationCall } from "./search.ts";

/** The phrases of a text: pieces split after , ; : . ! ? (punctuation kept). */
export function phrases(text: string): string[] {
  return text.split(/(?<=[,;:.!?])\s+/).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The text-edit operators. */
export const TEXT_EDITS = [
  "delete word",
  "insert word",
  "substitute word",
  "delete phrase",
  "swap phrases",
  "add phrase",
  "drop example",
  "add example",
  "replace example",
] as const;

/** What the text edits draw new material from. */
export interface EditMaterial {
  /** Texts the examples come from (the task's training pool). */
  pool: readonly LabelledText[];
  /** Phrases that can be added (e.g. those of the hand-written definitions). */
  phrases: readonly string[];
  /** Words that can be inserted or substituted. */
  words: readonly string[];
  /** Most examples an instruction may have (default 12). */
  maxExamples?: number;
}

/** The words (letters, ≥ 3) of some texts, distinct, in order of appearance. */
export function vocabularyOf(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(/\p{L}{3,}/gu)) seen.add(m[0].toLowerCase());
  return [...seen];
}

/** One text edit of an instruction (see {@link TEXT_EDITS}); an edit that cannot apply returns a copy. */
export function textEdit(inst: Instruction, edit: string, m: EditMaterial, rng: Rng): Instruction {
  const examples = inst.examples.map((e) => ({ ...e }));
  let def = inst.definition;
  const words = def.split(/\s+/).filter((w) => w.length > 0);
  const ph = phrases(def);
  const pick = <T>(a: readonly T[]) => a[rng.int(a.length)];
  const fromPool = (): Example => {
    const e = pick(m.pool);
    return { text: e.text, label: e.label };
  };
  switch (edit) {
    case "delete word":
      if (words.length > 2) words.splice(rng.int(words.length), 1);
      def = words.join(" ");
      break;
    case "insert word":
      if (m.words.length > 0) words.splice(rng.int(words.length + 1), 0, pick(m.words));
      def = words.join(" ");
      break;
    case "substitute word":
      if (m.words.length > 0) words[rng.int(words.length)] = pick(m.words);
      def = words.join(" ");
      break;
    case "delete phrase":
      if (ph.length > 1) ph.splice(rng.int(ph.length), 1);
      def = ph.join(" ");
      break;
    case "swap phrases":
      if (ph.length > 1) {
        const i = rng.int(ph.length);
        let j = rng.int(ph.length - 1);
        if (j >= i) j++;
        [ph[i], ph[j]] = [ph[j], ph[i]];
      }
      def = ph.join(" ");
      break;
    case "add phrase":
      if (m.phrases.length > 0) ph.splice(rng.int(ph.length + 1), 0, pick(m.phrases));
      def = ph.join(" ");
      break;
    case "drop example":
      if (examples.length > 1) examples.splice(rng.int(examples.length), 1);
      break;
    case "add example":
      if (examples.length < (m.maxExamples ?? 12) && m.pool.length > 0) {
        examples.splice(rng.int(examples.length + 1), 0, fromPool());
      }
      break;
    case "replace example":
      if (m.pool.length > 0) examples[rng.int(examples.length)] = fromPool();
      break;
    default:
      throw new RangeError(`textEdit: unknown edit ${edit} (have ${TEXT_EDITS.join(", ")})`);
  }
  return { definition: def, examples, endPrompt: inst.endPrompt };
}

/** The text-editing baseline as a search variation (unary edits, uniformly drawn). */
export function textEditVariation(m: EditMaterial, edits: readonly string[] = TEXT_EDITS): Variation {
  return {
    name: "text edits",
    operators: edits,
    arity: () => 1,
    apply(parents: readonly Individual[], call: VariationCall) {
      return Promise.resolve({
        child: textEdit(parents[0].instruction, call.operator, m, new Rng(call.seed)),
      });
    },
  };
}

/** What random instructions are made of. */
export interface RandomMaterial {
  /** Labelled texts examples are drawn from. */
  pool: readonly LabelledText[];
  /** Phrases definitions are assembled from. */
  phrases: readonly string[];
  /** End prompts to choose from. */
  endPrompts: readonly string[];
  /** Most examples (default 8). */
  kMax?: number;
  /** Most phrases in a definition (default 4). */
  maxPhrases?: number;
}

/** A random instruction: 1 … maxPhrases distinct phrases, a random end prompt, 1 … kMax pool examples. */
export function randomInstruction(m: RandomMaterial, rng: Rng): Instruction {
  if (m.phrases.length === 0 || m.endPrompts.length === 0 || m.pool.length === 0) {
    throw new RangeError("randomInstruction: phrases, end prompts and the pool must be non-empty");
  }
  const np = 1 + rng.int(Math.min(m.maxPhrases ?? 4, m.phrases.length));
  const perm = rng.permutation(m.phrases.length);
  const definition = Array.from(perm.subarray(0, np), (i) => m.phrases[i]).join(" ");
  const k = 1 + rng.int(m.kMax ?? 8);
  const ex = rng.permutation(m.pool.length).subarray(0, Math.min(k, m.pool.length));
  return {
    definition,
    examples: Array.from(ex, (i) => ({ text: m.pool[i].text, label: m.pool[i].label })),
    endPrompt: m.endPrompts[rng.int(m.endPrompts.length)],
  };
}

/** Random search as a search variation (see the module comment). */
export function randomSearchVariation(m: RandomMaterial): Variation {
  return {
    name: "random search",
    operators: ["random instruction"],
    arity: () => 1,
    apply(_parents: readonly Individual[], call: VariationCall) {
      return Promise.resolve({ child: randomInstruction(m, new Rng(call.seed)) });
    },
  };
}

/** The edit and random-search material of hand-written instructions and a pool. */
export function materialOf(
  handWritten: readonly Instruction[],
  pool: readonly LabelledText[],
): EditMaterial & RandomMaterial {
  const ph = [...new Set(handWritten.flatMap((h) => phrases(h.definition)))];
  return {
    pool,
    phrases: ph,
    words: vocabularyOf(handWritten.map((h) => h.definition)),
    endPrompts: [...new Set(handWritten.map((h) => h.endPrompt))],
  };
}
