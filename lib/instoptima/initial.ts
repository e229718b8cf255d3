/**
 * The initial instruction population, as the authors initialise it: a few hand-written instructions
 * (a definition and an end prompt written by hand, k examples drawn from the task's training pool) and
 * mutations of them by the operator model (InstOptima's `Population(size, op=inst_op)` evolves the
 * default instruction to fill the population).
 *
 * @module
 */
import { Rng } from "../core/rng.ts";
import type { ChatModel } from "../llm/client.ts";
import { ReplyFormatError } from "../llm/errors.ts";
import type { LabelledText, Task } from "./data.ts";
import { type Example, type Instruction, instructionKey } from "./instruction.ts";
import { applyOperator, type OperatorName } from "./operators.ts";

/** Hand-written (definition, end prompt) pairs for HEADLINES. */
export const HEADLINES_DEFINITIONS: readonly [string, string][] = [
  [
    "Definition: The input is a news headline about gold. The task is to classify whether it says the gold " +
    "price went up, went down, stayed flat, or says nothing about the price. Here are some examples in the following.",
    "The gold price is:",
  ],
  ["Classify each gold-market headline by the price move it reports: up, down, neutral or none.", "Answer:"],
  [
    "Read the headline. If gold rises, gains, climbs or hits a high, the answer is up. If gold falls, slips, " +
    "drops or loses, the answer is down. If gold is steady, flat or little changed, the answer is neutral. " +
    "If the headline is not about the price, the answer is none.",
    "The answer is",
  ],
  [
    "You are a commodities analyst. Label the headline with the direction of the gold price it reports, or " +
    "with none when it reports no direction.",
    "Direction:",
  ],
  ["Headlines where gold prices gain or rise are up; where they fall or drop are down.", "Label:"],
];

/** Generic hand-written (definition, end prompt) pairs for any task, from its label words. */
export function genericDefinitions(labels: readonly string[]): [string, string][] {
  const list = labels.join(", ");
  return [
    [
      `Definition: classify the input text as one of the following labels: ${list}. Here are some examples.`,
      "Label:",
    ],
    [`Read the text and answer with one word out of ${list}.`, "Answer:"],
    [`Classify the headline by the move it reports.`, "The move is"],
  ];
}

/** Options of {@link handWrittenInstructions}. */
export interface HandWrittenOptions {
  /** Examples per instruction: one number, or one per definition (default 4). */
  k?: number | readonly number[];
  /** Seed of the example draw (default 0). */
  seed?: number;
  /** The (definition, end prompt) pairs (default: HEADLINES' for HEADLINES, else generic ones). */
  definitions?: readonly (readonly [string, string])[];
}

/**
 * The hand-written instructions of a task: each definition with its end prompt and k examples drawn
 * from `pool` (seeded; the first examples cover the labels in turn, so each label is shown when k allows).
 */
export function handWrittenInstructions(
  task: Task,
  pool: readonly LabelledText[],
  o: HandWrittenOptions = {},
): Instruction[] {
  const defs = o.definitions ??
    (task.name === "HEADLINES" ? HEADLINES_DEFINITIONS : genericDefinitions(task.labels));
  const rng = new Rng(o.seed ?? 0);
  const byLabel = new Map(task.labels.map((l) => [l, pool.filter((p) => p.label === l)]));
  return defs.map(([definition, endPrompt], d) => {
    const k = typeof o.k === "number" || o.k === undefined ? (o.k ?? 4) : o.k[d];
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(`handWrittenInstructions: k must be ≥ 1, got ${k}`);
    }
    const examples: Example[] = [];
    const used = new Set<string>();
    for (let t = 0; examples.length < k && t < 50 * k; t++) {
      const want = task.labels[examples.length % task.labels.length];
      const from = (byLabel.get(want)?.length ?? 0) > 0 ? byLabel.get(want)! : pool;
      const e = from[rng.int(from.length)];
      if (used.has(e.id)) continue;
      used.add(e.id);
      examples.push({ text: e.text, label: e.label });
    }
    return { definition, examples, endPrompt };
  });
}

/** Options of {@link initialPopulation}. */
export interface InitialOptions {
  /** The task's label words. */
  labels: readonly string[];
  /** Seed of the operator calls. */
  seed: number;
  /** Operators used to fill the population (default: definition and example mutation). */
  operators?: readonly OperatorName[];
  /** Part of the cache sample ids. */
  tag?: string;
}

/**
 * The initial population of `size`: the hand-written instructions, then distinct mutations of randomly
 * drawn hand-written ones by the operator model (unguided prompts: nothing is evaluated yet). Throws
 * when `size` distinct instructions are not found within 5 × size operator calls.
 */
export async function initialPopulation(
  model: ChatModel,
  handWritten: readonly Instruction[],
  size: number,
  o: InitialOptions,
): Promise<Instruction[]> {
  if (handWritten.length === 0) throw new RangeError("initialPopulation: no hand-written instructions");
  const rng = new Rng(o.seed);
  const ops = o.operators ?? (["definition mutation", "example mutation"] as OperatorName[]);
  const out: Instruction[] = [];
  const keys = new Set<string>();
  const add = (x: Instruction) => {
    const k = instructionKey(x);
    if (keys.has(k) || out.length >= size) return;
    keys.add(k);
    out.push(x);
  };
  handWritten.forEach(add);
  let calls = 0;
  while (out.length < size) {
    const need = size - out.length;
    if (calls + need > 5 * size) {
      throw new Error(
        `initialPopulation: only ${out.length} distinct instructions after ${calls} operator calls`,
      );
    }
    const batch = Array.from({ length: need }, (_, j) => ({
      parent: handWritten[rng.int(handWritten.length)],
      op: ops[rng.int(ops.length)],
      seed: rng.int(100_000),
      id: calls + j,
    }));
    calls += need;
    const children = await Promise.all(batch.map(async (b) => {
      try {
        const r = await applyOperator(model, b.op, [{ instruction: b.parent }], {
          guided: false,
          labels: o.labels,
          promptSeed: b.seed,
          seed: o.seed,
          sampleId: `${o.tag ?? "initial"}/seed-${o.seed}/${b.id}`,
        });
        return r.child;
      } catch (e) {
        if (e instanceof ReplyFormatError) return null;
        throw e;
      }
    }));
    for (const c of children) if (c) add(c);
  }
  return out;
}
