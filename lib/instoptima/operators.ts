/**
 * InstOptima's four LLM-based instruction operators (Sec. 2.3 of the paper): definition mutation,
 * definition crossover, example mutation and example crossover. Each is a prompt (the authors'
 * `unary_operate` prompt: the instruction to evolve, its minimisation objective values, the steps of
 * the operation, a random seed, and "wrap the new instruction with <inst> and </inst>") and a strict
 * parser of the reply; a reply that does not parse is re-asked through lib/llm `ask`.
 *
 * The objective-guided variant (InstOptima) puts each parent's fitness F = (performance, length,
 * perplexity) into the prompt (Sec. 2.4); InstOptima-N leaves it out. A mutation changes one gene of
 * one parent; a crossover mixes that gene of two parents; the child keeps parent 1's other genes.
 *
 * Material (ours, not the authors'): a prompt may offer a few candidate pool examples (example
 * operators) or hand-written phrases (definition operators), drawn per call from the same
 * {@link OperatorMaterial} the text-edit and random-search baselines draw from, so every method has the
 * same material; a real LLM may use them or not. Offline the operator model is the loopback stand-in
 * `moolab-instop` (lib/instoptima/operator_standin.ts), which reads the parents, the material and — in the
 * guided form — the objectives line of the prompt.
 *
 * @module
 */
import { ask, type ChatMessage, type ChatModel } from "../llm/client.ts";
import { ParseError } from "../llm/errors.ts";
import { parseInstructions } from "../llm/formats.ts";
import { type Example, type Instruction, parseExamples, renderExamples } from "./instruction.ts";
import type { Evaluation } from "./objectives.ts";
import type { Individual, Variation, VariationCall } from "./search.ts";
import { Rng } from "../core/rng.ts";

/** The four operators. */
export const OPERATORS = [
  "definition mutation",
  "definition crossover",
  "example mutation",
  "example crossover",
] as const;
/** One of the four operators. */
export type OperatorName = typeof OPERATORS[number];

/** Is the operator a crossover (two parents)? */
export function isCrossover(op: OperatorName): boolean {
  return op.endsWith("crossover");
}

/** A parent: its instruction and, for the objective-guided prompt, its evaluation. */
export interface Parent {
  /** The parent instruction. */
  instruction: Instruction;
  /** Its evaluation, for the objective-guided prompt. */
  evaluation?: Evaluation;
}

/** The system message (after the authors' `system_prompt`). */
export const OPERATOR_SYSTEM: string =
  "The diversity and quality of instructions are very important, which has motivated me to propose an " +
  "evolutionary multi-objective instruction optimization framework. Consequently, I need you to serve as " +
  "instruction operators that mutate or cross over the definition and the examples of an instruction.";

const STEPS: Record<OperatorName, string> = {
  "definition mutation": "1. Take the definition as input.\n" +
    "2. Mutate it: paraphrase it, changing, dropping or adding a few words, so that it still defines the task.\n" +
    "3. Output the mutated definition.",
  "definition crossover": "1. Take the two definitions as input.\n" +
    "2. Cross them over: build one new definition from parts of both.\n" +
    "3. Output the new definition.",
  "example mutation": "1. Take the examples as input.\n" +
    "2. Mutate them: rephrase one or two example texts, or change which examples are given.\n" +
    "3. Keep the format of every example: a line `input: <text>`, then a line with the end prompt and the label.\n" +
    "4. Output the mutated examples, separated by blank lines.",
  "example crossover": "1. Take the two sets of examples as input.\n" +
    "2. Cross them over: build one new set of examples from examples of both.\n" +
    "3. Keep the format of every example: a line `input: <text>`, then a line with the end prompt and the label.\n" +
    "4. Output the new examples, separated by blank lines.",
};

/** The fitness of a parent as the guided prompt states it (F = (performance, length, perplexity)). */
export function describeFitness(e: Evaluation): string {
  const perf = e.accuracy + e.precision + e.recall + e.f1;
  return `performance ${perf.toFixed(3)} (accuracy ${e.accuracy.toFixed(3)}, macro-F1 ${e.f1.toFixed(3)}; ` +
    `minimised as 1/performance = ${e.objectives[2].toFixed(3)}), length ${e.characters} characters, ` +
    `perplexity ${e.perplexity.toFixed(1)}`;
}

/** The gene an operator acts on, as text. */
export function geneText(op: OperatorName, inst: Instruction): string {
  return op.startsWith("definition") ? inst.definition : renderExamples(inst.examples, inst.endPrompt);
}

/** Options of {@link operatorPrompt}. */
export interface OperatorPromptOptions {
  /** Objective-guided (InstOptima, default) or not (InstOptima-N). */
  guided?: boolean;
  /** The task's label words (named in example prompts). */
  labels: readonly string[];
  /** The "random seed" the authors put into the prompt text. */
  promptSeed: number;
  /** Candidate material offered in the prompt (see {@link OperatorMaterial}); none by default. */
  offer?: Offer;
}

/** Candidate material offered to one operator call. */
export interface Offer {
  /** Pool examples the example operators may add or swap in. */
  examples?: readonly Example[];
  /** Phrases the definition operators may add. */
  phrases?: readonly string[];
}

/**
 * The material every method of an experiment draws from: the examples of the training pool and the
 * phrases of the hand-written definitions (the text-edit and random-search baselines draw from the same).
 * Each operator call is offered `perCall` of each, drawn uniformly without replacement.
 */
export interface OperatorMaterial {
  /** Examples of the training pool. */
  examples: readonly Example[];
  /** Phrases of the hand-written definitions. */
  phrases: readonly string[];
  /** Candidates offered per call (default 4). */
  perCall?: number;
}

/** The offer of one call: `perCall` examples (example operators) or phrases (definition operators). */
export function drawOffer(op: OperatorName, m: OperatorMaterial, seed: number): Offer {
  const rng = new Rng(seed);
  const k = m.perCall ?? 4;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`drawOffer: perCall must be ≥ 1, got ${k}`);
  const take = <T>(a: readonly T[]) =>
    Array.from(rng.permutation(a.length).subarray(0, Math.min(k, a.length)), (i) => a[i]);
  return op.startsWith("definition")
    ? { phrases: take(m.phrases) }
    : { examples: take(m.examples).map((e) => ({ text: e.text, label: e.label })) };
}

/**
 * The messages of one operator call: the system message, then the instruction(s) to evolve wrapped in
 * `<inst>` tags, (guided) their objective values, the operation's steps, the random seed, and the
 * output format.
 */
export function operatorPrompt(
  op: OperatorName,
  parents: readonly Parent[],
  o: OperatorPromptOptions,
): ChatMessage[] {
  const need = isCrossover(op) ? 2 : 1;
  if (parents.length !== need) throw new RangeError(`${op}: needs ${need} parent(s), got ${parents.length}`);
  const guided = o.guided ?? true;
  const gene = op.startsWith("definition") ? "definition" : "examples";
  const lines: string[] = [];
  lines.push(
    `I will give you ${
      need === 1 ? "an instruction's" : "two instructions'"
    } ${gene} and the operation to be ` +
      `performed. Operation: ${op}.`,
  );
  for (const [i, p] of parents.entries()) {
    const which = need === 1 ? "Here is the" : `Instruction ${i + 1}:`;
    lines.push(`${which} ${gene} to be evolved: <inst>${geneText(op, p.instruction)}</inst>`);
    if (guided) {
      if (!p.evaluation) {
        throw new RangeError(`${op}: the objective-guided prompt needs parent ${i + 1}'s evaluation`);
      }
      lines.push(`Its minimisation objective values: ${describeFitness(p.evaluation)}.`);
    }
  }
  if (guided) {
    lines.push(
      "Use the objective values: aim for a result with higher performance, fewer characters and lower " +
        "perplexity than the given instruction(s).",
    );
  }
  if (gene === "examples") {
    lines.push(
      `The end prompt is "${parents[0].instruction.endPrompt}" and every label must be one of: ${
        o.labels.join(", ")
      }.`,
    );
  }
  const offered = gene === "examples"
    ? (o.offer?.examples ?? []).map((e) =>
      `<example>${renderExamples([e], parents[0].instruction.endPrompt)}</example>`
    )
    : (o.offer?.phrases ?? []).map((p) => `<phrase>${p}</phrase>`);
  if (offered.length > 0) {
    lines.push(
      `You may use this material (or none of it):\n${offered.join("\n")}`,
    );
  }
  lines.push(
    `The steps to operate (random seed: ${o.promptSeed}); they are for your reference only, do not include them ` +
      `in your response:\n${STEPS[op]}`,
  );
  lines.push(
    `Return one new instruction: wrap the new ${gene} with <inst> and </inst> tags, and say nothing else.`,
  );
  return [{ role: "system", content: OPERATOR_SYSTEM }, { role: "user", content: lines.join("\n") }];
}

/** Limits of {@link parseOperatorReply}. */
export interface ReplyLimits {
  /** The label words an example may carry. */
  labels: readonly string[];
  /** Longest definition accepted (default 1,500 characters). */
  maxDefinition?: number;
  /** Most examples accepted (default 12). */
  maxExamples?: number;
}

/**
 * The child an operator reply describes: the first `<inst>` block as the new definition (at least two
 * words, at most `maxDefinition` characters, no line starting with "input:") or the new examples (see
 * `parseExamples`); the other genes from parent 1. Throws {@link ParseError} when the reply is invalid.
 */
export function parseOperatorReply(
  op: OperatorName,
  text: string,
  parent: Instruction,
  limits: ReplyLimits,
): Instruction {
  const block = parseInstructions(text, 1)[0];
  if (op.startsWith("definition")) {
    const def = block.replace(/\s*\n\s*/g, " ").trim();
    const max = limits.maxDefinition ?? 1500;
    if (def.split(/\s+/).length < 2) {
      throw new ParseError(`the new definition ${JSON.stringify(def)} is under two words`);
    }
    if (def.length > max) {
      throw new ParseError(`the new definition has ${def.length} characters, at most ${max} allowed`);
    }
    if (/(^|\s)input\s*:/i.test(def)) {
      throw new ParseError('the new definition holds an "input:" line (examples belong elsewhere)');
    }
    return { definition: def, examples: parent.examples.map((e) => ({ ...e })), endPrompt: parent.endPrompt };
  }
  const examples: Example[] = parseExamples(block, limits.labels, limits.maxExamples ?? 12);
  return { definition: parent.definition, examples, endPrompt: parent.endPrompt };
}

/** Settings of {@link applyOperator}. */
export interface ApplyOptions extends OperatorPromptOptions, Omit<ReplyLimits, "labels"> {
  /** Sampling temperature (the endpoint's default when absent). */
  temperature?: number;
  /** Maximum completion tokens. */
  maxTokens?: number;
  /** Endpoint seed (default 0). */
  seed?: number;
  /** Re-asks after a reply that does not parse (default 3). */
  reAsks?: number;
  /** Cache sample id. */
  sampleId?: string;
}

/** One operator call's result. */
export interface OperatorResult {
  /** The child instruction. */
  child: Instruction;
  /** The prompt sent. */
  messages: ChatMessage[];
  /** The reply that parsed. */
  reply: string;
  /** Replies received (1 + re-asks). */
  attempts: number;
}

/**
 * Applies an operator through `model`: the prompt, `ask` with re-asks on a malformed reply (the paper's
 * ChatGPT settings: temperature 1, max_tokens 500), and the parsed child. Throws lib/llm's
 * ReplyFormatError after the last re-ask.
 */
export async function applyOperator(
  model: ChatModel,
  op: OperatorName,
  parents: readonly Parent[],
  o: ApplyOptions,
): Promise<OperatorResult> {
  const messages = operatorPrompt(op, parents, o);
  const r = await ask(
    model,
    messages,
    (text) => parseOperatorReply(op, text, parents[0].instruction, o),
    {
      temperature: o.temperature ?? 1,
      maxTokens: o.maxTokens ?? 500,
      seed: o.seed ?? 0,
      reAsks: o.reAsks ?? 3,
      operator: op,
      sampleId: o.sampleId,
    },
  );
  return { child: r.value, messages, reply: r.completion.text, attempts: r.attempts };
}

/** Options of {@link llmVariation}. */
export interface LLMVariationOptions extends Omit<ApplyOptions, "promptSeed" | "sampleId" | "offer"> {
  /** The operators to draw from (default: all four). */
  operators?: readonly OperatorName[];
  /** Material offered in every prompt, drawn per call from the call's seed (none by default). */
  material?: OperatorMaterial;
}

/**
 * The LLM operators as a search variation: InstOptima (`guided: true`, the default) or InstOptima-N
 * (`guided: false`). Each call puts the call's drawn seed into the prompt as the authors' "random seed"
 * and sends the run's seed as the endpoint seed.
 */
export function llmVariation(model: ChatModel, o: LLMVariationOptions): Variation {
  const guided = o.guided ?? true;
  const operators = o.operators ?? OPERATORS;
  return {
    name: guided ? "InstOptima" : "InstOptima-N",
    operators,
    arity: (op) => (isCrossover(op as OperatorName) ? 2 : 1),
    async apply(parents: readonly Individual[], call: VariationCall) {
      const op = call.operator as OperatorName;
      if (!OPERATORS.includes(op)) throw new RangeError(`llmVariation: unknown operator ${call.operator}`);
      const r = await applyOperator(
        model,
        op,
        parents.map((p) => ({ instruction: p.instruction, evaluation: p.evaluation })),
        {
          ...o,
          guided,
          promptSeed: call.seed,
          sampleId: call.tag,
          ...(o.material ? { offer: drawOffer(op, o.material, call.seed) } : {}),
        },
      );
      return { child: r.child, attempts: r.attempts };
    },
  };
}
