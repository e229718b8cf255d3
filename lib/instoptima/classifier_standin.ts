/**
 * `moolab-classifier`: the offline stand-in for InstOptima's task model. It is not a language model: it
 * reads the few-shot instruction in the prompt and answers by nearest neighbours over what the
 * instruction itself holds, so the instruction's content really changes the score:
 *
 * 1. the examples: every line `input: <text>` followed by a line ending in a label word is a labelled
 *    example; the last `input:` line without a label is the query; the label set is the examples' labels;
 * 2. the definition's cue sentences: a sentence of the lines before the first example that names exactly
 *    one label word (whole word, case-insensitive) counts as one more example of that label, its text
 *    the sentence without the label word ("Headlines where gold rises or gains are up.");
 * 3. similarity: cosine of TF-IDF bags of words (letters only, lower-cased, a short stop-word list
 *    removed), IDF log(E / df) over the E examples, so a word every example shares counts for nothing;
 * 4. answer: the labels of the 3 most similar examples (similarity > 0) vote with their similarities;
 *    ties go to the label of the nearest; with no similar example, the most frequent label of the
 *    examples (ties: first seen). The reply is the label word alone.
 *
 * Deterministic: the reply depends on the prompt only. Register it into the loopback server's registry
 * (`registry.register(classifierStandIn)`; {@link instOptimaRegistry} does it with the default ones).
 *
 * @module
 */
import type { StandIn, StandInRequest } from "../llm/standins/mod.ts";
import { defaultStandIns, promptText, type StandInRegistry } from "../llm/standins/mod.ts";
import { instOperatorStandIn } from "./operator_standin.ts";

const STOP = new Set(
  ("a an the of to in on at for by with as is are was be it its this that these those and or but if " +
    "from into over after before than then so not no input about").split(" "),
);

/** Bag of words of a text (see the module comment). */
export function bagOfWords(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (w.length < 2 || STOP.has(w)) continue;
    m.set(w, (m.get(w) ?? 0) + 1);
  }
  return m;
}

/** What the stand-in reads from a classification prompt. */
export interface ClassificationPrompt {
  /** The few-shot examples (`fromDefinition`: found in the definition rather than the example block). */
  examples: { text: string; label: string; fromDefinition: boolean }[];
  /** The label words the prompt names. */
  labels: string[];
  /** The text to classify. */
  query: string;
}

const INPUT = /^\s*input\s*:/i;
const stripInput = (l: string) => l.replace(/^\s*input\s*:\s*/i, "").trim();

/** The index of the last `input:` line (the query), -1 when there is none. */
function lastInputLine(lines: readonly string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (INPUT.test(lines[i])) return i;
  return -1;
}

/** The examples, definition cues and labels of the lines before the query line `last`. */
function readExamples(lines: readonly string[], last: number): Omit<ClassificationPrompt, "query"> {
  const inputAt: number[] = [];
  for (let i = 0; i < last; i++) if (INPUT.test(lines[i])) inputAt.push(i);
  const examples: ClassificationPrompt["examples"] = [];
  const labels: string[] = [];
  for (const i of inputAt) {
    const word = lines[i + 1].trim().split(/\s+/).at(-1)!.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
      .toLowerCase();
    if (word === "") continue;
    examples.push({ text: stripInput(lines[i]), label: word, fromDefinition: false });
    if (!labels.includes(word)) labels.push(word);
  }
  if (labels.length === 0) return { examples, labels };
  // the definition: the lines before the first example; its sentences naming exactly one label
  const definition = lines.slice(0, inputAt[0]).join(" ");
  for (const sentence of definition.split(/(?<=[.!?;])\s+/)) {
    const words: string[] = sentence.toLowerCase().match(/\p{L}+/gu) ?? [];
    const named = labels.filter((l) => words.includes(l));
    if (named.length !== 1) continue;
    const rest = words.filter((w) => w !== named[0]).join(" ");
    if (rest.trim() === "") continue;
    examples.push({ text: rest, label: named[0], fromDefinition: true });
  }
  return { examples, labels };
}

/** Reads the examples, definition cues, labels and query of a prompt; undefined when it has no query. */
export function readClassificationPrompt(text: string): ClassificationPrompt | undefined {
  const lines = text.split("\n");
  const last = lastInputLine(lines);
  if (last < 0) return undefined;
  return { ...readExamples(lines, last), query: stripInput(lines[last]) };
}

/** A TF-IDF vector and its Euclidean norm. */
interface Vector {
  v: Map<string, number>;
  norm: number;
}

/** What {@link classify} computes from the examples alone: their TF-IDF vectors (IDF over the examples). */
interface PreparedExamples {
  p: Omit<ClassificationPrompt, "query">;
  idf: (w: string) => number;
  vectors: Vector[];
}

function vectorOf(b: Map<string, number>, idf: (w: string) => number): Vector {
  const v = new Map<string, number>();
  let norm = 0;
  for (const [w, c] of b) {
    const x = c * idf(w);
    if (x > 0) {
      v.set(w, x);
      norm += x * x;
    }
  }
  return { v, norm: Math.sqrt(norm) };
}

function prepareExamples(p: Omit<ClassificationPrompt, "query">): PreparedExamples {
  const E = p.examples.length;
  const bags = p.examples.map((e) => bagOfWords(e.text));
  const df = new Map<string, number>();
  for (const b of bags) for (const w of b.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (w: string) => Math.log(E / (df.get(w) ?? E));
  return { p, idf, vectors: bags.map((b) => vectorOf(b, idf)) };
}

function classifyPrepared(
  x: PreparedExamples,
  query: string,
  k: number,
): { label: string; neighbours: number[] } {
  const p = x.p;
  if (p.examples.length === 0) return { label: p.labels[0] ?? "none", neighbours: [] };
  const q = vectorOf(bagOfWords(query), x.idf);
  const sims = x.vectors.map((e) => {
    if (e.norm === 0 || q.norm === 0) return 0;
    let dot = 0;
    for (const [w, v] of q.v) dot += v * (e.v.get(w) ?? 0);
    return dot / (q.norm * e.norm);
  });
  const order = sims.map((s, i) => [s, i] as const).filter(([s]) => s > 0).sort((a, b) =>
    b[0] - a[0] || a[1] - b[1]
  );
  const top = order.slice(0, k);
  if (top.length === 0) {
    const freq = new Map<string, number>();
    for (const e of p.examples) if (!e.fromDefinition) freq.set(e.label, (freq.get(e.label) ?? 0) + 1);
    let best = p.labels[0], bestN = -1;
    for (const l of p.labels) {
      const n = freq.get(l) ?? 0;
      if (n > bestN) [best, bestN] = [l, n];
    }
    return { label: best, neighbours: [] };
  }
  const votes = new Map<string, number>();
  for (const [s, i] of top) votes.set(p.examples[i].label, (votes.get(p.examples[i].label) ?? 0) + s);
  let label = p.examples[top[0][1]].label, best = votes.get(label)!;
  for (const [l, v] of votes) if (v > best + 1e-12) [label, best] = [l, v];
  return { label, neighbours: top.map(([, i]) => i) };
}

/** The stand-in's answer to a read prompt (see the module comment), with the neighbours it used. */
export function classify(p: ClassificationPrompt, k = 3): { label: string; neighbours: number[] } {
  return classifyPrepared(prepareExamples(p), p.query, k);
}

/**
 * The examples of the instructions seen last, prepared, keyed by the prompt's text before the query line
 * (an evaluation sends one instruction with every dev text in turn, so its examples are read and
 * vectorised once, not once per text). Bounded; the answer is the same with or without it.
 */
const prepared = new Map<string, PreparedExamples>();
const PREPARED_MAX = 64;

/** The stand-in's reply to a prompt's text (see the module comment). */
export function classifierReply(text: string): string {
  const lines = text.split("\n");
  const last = lastInputLine(lines);
  if (last < 0) return "I found no query in the prompt (expected a last line starting with input:).";
  // the head alone determines the examples unless the line before the query is an example's input
  // line (then its label is read from the query line): such a prompt is read whole, not kept
  const cacheable = last === 0 || !INPUT.test(lines[last - 1]);
  const key = cacheable ? lines.slice(0, last).join("\n") : undefined;
  let x = key === undefined ? undefined : prepared.get(key);
  if (!x) {
    x = prepareExamples(readExamples(lines, last));
    if (key !== undefined) {
      if (prepared.size >= PREPARED_MAX) prepared.delete(prepared.keys().next().value!);
      prepared.set(key, x);
    }
  }
  if (x.p.labels.length === 0) {
    return "I found no labelled example in the prompt, so I have no label to answer with.";
  }
  return classifyPrepared(x, stripInput(lines[last]), 3).label;
}

/** The `moolab-classifier` stand-in. */
export const classifierStandIn: StandIn = {
  name: "moolab-classifier",
  description: "stand-in, not a language model: a few-shot nearest-neighbour classifier (TF-IDF cosine, 3 " +
    "neighbours) over the examples and the label-naming definition sentences of the instruction in the prompt",
  fingerprint: "moolab-classifier/knn-tfidf-v1",
  respond(request: StandInRequest): string {
    return classifierReply(promptText(request.messages));
  },
};

/**
 * The default stand-ins (`moolab-numeric`, `moolab-text`) with InstOptima's registered:
 * `moolab-classifier` (task model), `moolab-instop` (operators) and, given extra stand-ins (e.g.
 * `ngramStandIn(lm)`, the log-probability scorer), those too.
 */
export function instOptimaRegistry(...extra: StandIn[]): StandInRegistry {
  const r = defaultStandIns().register(classifierStandIn).register(instOperatorStandIn);
  for (const s of extra) r.register(s);
  return r;
}
