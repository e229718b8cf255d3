/**
 * `moolab-instop`: the offline stand-in for InstOptima's operator LLM. It is not a language model: it
 * reads the operator prompt of lib/instoptima/operators.ts and applies the same text edits as the
 * text-edit baseline (lib/instoptima/baselines.ts `textEdit`), with the same kind of material, so the
 * LLM path and the baselines are compared on equal terms. What it reads (the prompt's own lines):
 *
 * - the operation (`Operation: definition mutation.` …) and the parents (`to be evolved: <inst>…</inst>`);
 * - for example operators, the end prompt and the labels (`The end prompt is "…" and every label must be
 *   one of: …`); the parents' examples are read back with `parseExamples`;
 * - the offered material: `<example>…</example>` pool examples and `<phrase>…</phrase>` phrases; new
 *   examples and phrases come only from there, new words only from the parents and the phrases;
 * - in the objective-guided form, each parent's objectives line (`Its minimisation objective values:
 *   performance P (…), length L characters, perplexity R`).
 *
 * Unguided (no objectives line): a mutation is one edit drawn uniformly from the gene's edits
 * (definition: delete / insert / substitute a word, delete / swap / add a phrase; examples: drop / add /
 * replace an example); a crossover is one-point on units (phrases of a definition, examples), both
 * parents contributing.
 *
 * Guided — **a stand-in heuristic, not the paper's mechanism** (the paper leaves the reading of F to
 * ChatGPT): the target is {@link guidanceTarget} of the parents' mean objectives, the worse of
 * performance (1/P, the authors' minimised performance) and length (L / 1000, the authors' HV scaling);
 * perplexity has no scale in the prompt and is never the target. Length target: delete a phrase (a word
 * when the definition is one phrase), drop an example; crossover keeps the shortest of 3 drawn cuts.
 * Performance target: add an offered phrase; add the offered example of the label the parent shows
 * least, not already in it (replace one at 12 examples); crossover keeps the cut of 3 with the most units.
 *
 * The reply is the new gene wrapped in `<inst>` and `</inst>`. Deterministic given the request.
 *
 * @module
 */
import type { Rng } from "../core/rng.ts";
import type { StandIn, StandInRequest } from "../llm/standins/mod.ts";
import { promptText } from "../llm/standins/mod.ts";
import { type EditMaterial, phrases, TEXT_EDITS, textEdit, vocabularyOf } from "./baselines.ts";
import { type Example, type Instruction, parseExamples, renderExamples } from "./instruction.ts";
import { type OperatorName, OPERATORS } from "./operators.ts";

/** The objective values a guided prompt states for a parent. */
export interface StatedFitness {
  /** acc + prec + rec + F1 (higher is better). */
  performance: number;
  /** Characters of the instruction (lower is better). */
  characters: number;
  /** Its perplexity (lower is better). */
  perplexity: number;
}

/** The objective a guided operator acts on (see the module comment). */
export type GuidanceTarget = "performance" | "length";

/**
 * The stand-in's guidance rule: the worse of 1 / performance and characters / 1000 (ties: performance),
 * over the mean of the parents' stated objectives.
 */
export function guidanceTarget(parents: readonly StatedFitness[]): GuidanceTarget {
  if (parents.length === 0) throw new RangeError("guidanceTarget: no parents");
  const perf = parents.reduce((a, p) => a + p.performance, 0) / parents.length;
  const chars = parents.reduce((a, p) => a + p.characters, 0) / parents.length;
  const p = perf > 0 ? 1 / perf : Infinity;
  return chars / 1000 > p ? "length" : "performance";
}

/** What {@link readOperatorPrompt} finds in an operator prompt. */
export interface OperatorPromptReading {
  /** The operator the prompt names. */
  operator: OperatorName;
  /** The parents' genes (definitions, or rendered example blocks). */
  parents: string[];
  /** The stated objectives, one per parent (guided), else empty. */
  fitness: StatedFitness[];
  /** The parents' end prompt, when stated. */
  endPrompt?: string;
  /** The label words, when stated. */
  labels?: string[];
  /** Examples the prompt offers to draw from. */
  offeredExamples: Example[];
  /** Phrases the prompt offers to draw from. */
  offeredPhrases: string[];
}

/** Reads an operator prompt (see the module comment); undefined when it names no operation. */
export function readOperatorPrompt(text: string): OperatorPromptReading | undefined {
  const op = text.match(
    /Operation:\s*(definition mutation|definition crossover|example mutation|example crossover)\b/i,
  );
  if (!op) return undefined;
  const operator = op[1].toLowerCase() as OperatorName;
  const parents = [...text.matchAll(/to be evolved:\s*<inst>([\s\S]*?)<\/inst>/gi)].map((m) => m[1].trim());
  const fitness = [
    ...text.matchAll(
      /objective values:\s*performance\s+(\d+(?:\.\d+)?)[^\n]*?length\s+(\d+)\s+characters,\s*perplexity\s+(\d+(?:\.\d+)?)/gi,
    ),
  ].map((m) => ({ performance: Number(m[1]), characters: Number(m[2]), perplexity: Number(m[3]) }));
  const ep = text.match(/The end prompt is "([^"\n]*)" and every label must be one of:\s*([^\n]*?)\.?\s*$/m);
  const labels = ep ? ep[2].split(",").map((s) => s.trim()).filter((s) => s.length > 0) : undefined;
  const offeredPhrases = [...text.matchAll(/<phrase>([\s\S]*?)<\/phrase>/gi)].map((m) => m[1].trim());
  let offeredExamples: Example[] = [];
  const blocks = [...text.matchAll(/<example>([\s\S]*?)<\/example>/gi)].map((m) => m[1].trim());
  if (blocks.length > 0 && labels) offeredExamples = parseExamples(blocks.join("\n\n"), labels, 64);
  return {
    operator,
    parents,
    fitness,
    ...(ep ? { endPrompt: ep[1], labels } : {}),
    offeredExamples,
    offeredPhrases,
  };
}

// the text-edit baseline's own edits, split by the gene they change
const EXAMPLE_EDITS: readonly string[] = TEXT_EDITS.filter((e) => e.endsWith(" example"));
const DEFINITION_EDITS: readonly string[] = TEXT_EDITS.filter((e) => !e.endsWith(" example"));
/** Most examples the stand-in makes (the operators' parser accepts 12). */
const MAX_EXAMPLES = 12;

/** The edit a mutation applies (see the module comment). */
export function mutationEdit(
  gene: "definition" | "examples",
  inst: Instruction,
  target: GuidanceTarget | undefined,
  rng: Rng,
): string {
  const edits: readonly string[] = gene === "definition" ? DEFINITION_EDITS : EXAMPLE_EDITS;
  const drawn = edits[rng.int(edits.length)]; // drawn always, so both forms use the same stream
  if (target === undefined) return drawn;
  if (gene === "definition") {
    if (target === "length") return phrases(inst.definition).length > 1 ? "delete phrase" : "delete word";
    return "add phrase";
  }
  if (target === "length") return "drop example";
  return inst.examples.length < MAX_EXAMPLES ? "add example" : "replace example";
}

/** One-point crossover of two unit lists, parent A's head then parent B's tail, both contributing. */
function cut<T>(a: readonly T[], b: readonly T[], rng: Rng): T[] {
  const i = a.length > 1 ? 1 + rng.int(a.length - 1) : 1;
  const j = b.length > 1 ? 1 + rng.int(b.length - 1) : 0;
  return [...a.slice(0, i), ...b.slice(j)];
}

function reply(r: OperatorPromptReading, rng: Rng): string {
  const gene = r.operator.startsWith("definition") ? "definition" : "examples";
  const need = r.operator.endsWith("crossover") ? 2 : 1;
  if (r.parents.length < need) {
    return `I found ${r.parents.length} instruction(s) to operate on in the prompt, ${r.operator} needs ${need}.`;
  }
  if (gene === "examples" && (!r.labels || r.endPrompt === undefined)) {
    return "I found no end prompt and label list in the prompt, so I cannot write examples.";
  }
  const target = r.fitness.length >= need ? guidanceTarget(r.fitness.slice(0, need)) : undefined;
  const endPrompt = r.endPrompt ?? "Answer:";
  const toInst = (g: string): Instruction =>
    gene === "definition"
      ? { definition: g, examples: [{ text: "-", label: "-" }], endPrompt }
      : { definition: "-", examples: parseExamples(g, r.labels!, 64), endPrompt };
  const out = (inst: Instruction) =>
    `<inst>${gene === "definition" ? inst.definition : renderExamples(inst.examples, endPrompt)}</inst>`;
  const [a, b] = r.parents.map(toInst);
  if (need === 1) {
    const material: EditMaterial = {
      pool: r.offeredExamples.map((e, i) => ({ ...e, id: `offer-${i}` })),
      phrases: r.offeredPhrases,
      words: vocabularyOf([...r.parents.slice(0, 1), ...r.offeredPhrases]),
      maxExamples: MAX_EXAMPLES,
    };
    const edit = mutationEdit(gene, a, target, rng);
    if (target === "performance" && gene === "examples" && material.pool.length > 0) {
      // guided: the offered example of the label the parent shows least (ties: first offered)
      const count = (l: string) => a.examples.filter((e) => e.label === l).length;
      const has = new Set(a.examples.map((e) => `${e.text}\u0000${e.label}`));
      const fresh = material.pool.filter((e) => !has.has(`${e.text}\u0000${e.label}`));
      const pick = (fresh.length > 0 ? fresh : material.pool).reduce((b, e) =>
        count(e.label) < count(b.label) ? e : b
      );
      return out(textEdit(a, edit, { ...material, pool: [pick] }, rng));
    }
    return out(textEdit(a, edit, material, rng));
  }
  // crossover: three drawn cuts; unguided keeps the first, guided the shortest or the fullest
  const candidates: Instruction[] = [];
  for (let c = 0; c < 3; c++) {
    if (gene === "definition") {
      let pa = phrases(a.definition), pb = phrases(b.definition);
      if (pa.length <= 1 && pb.length <= 1) [pa, pb] = [a.definition.split(/\s+/), b.definition.split(/\s+/)];
      candidates.push({ ...a, definition: cut(pa, pb, rng).join(" ") });
    } else {
      const seen = new Set<string>();
      const ex = cut(a.examples, b.examples, rng).filter((e) => {
        const k = `${e.text}\u0000${e.label}`;
        return seen.has(k) ? false : (seen.add(k), true);
      }).slice(0, MAX_EXAMPLES);
      candidates.push({ ...a, examples: ex });
    }
  }
  const size = (x: Instruction) =>
    gene === "definition" ? x.definition.length : renderExamples(x.examples, endPrompt).length;
  const units = (x: Instruction) => gene === "definition" ? phrases(x.definition).length : x.examples.length;
  let best = candidates[0];
  if (target === "length") { for (const x of candidates) if (size(x) < size(best)) best = x; }
  if (target === "performance") { for (const x of candidates) if (units(x) > units(best)) best = x; }
  return out(best);
}

/** The `moolab-instop` stand-in. */
export const instOperatorStandIn: StandIn = {
  name: "moolab-instop",
  description: "stand-in, not a language model: applies the text-edit baseline's edits to the parent " +
    "instruction(s) of an InstOptima operator prompt, new material only from the prompt's offered " +
    "examples and phrases; with an objectives line it acts on the worse of performance and length",
  fingerprint: "moolab-instop/guided-text-edit-v1",
  respond(request: StandInRequest, rng: Rng): string {
    const r = readOperatorPrompt(promptText(request.messages));
    if (!r) {
      return `I found no operation in the prompt (expected "Operation: " and one of ${
        OPERATORS.join(", ")
      }).`;
    }
    return reply(r, rng);
  },
};
