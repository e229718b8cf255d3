/**
 * InstOptima's three objectives of an instruction (Sec. 2.2 of the paper; the authors' `Objective`,
 * all minimised):
 *
 * - length: characters of the instruction (the code's `len(prompt)`); tokens are kept beside it;
 * - perplexity: of the rendered instruction under a language model — offline the modified Kneser-Ney
 *   n-gram model of lib/instoptima/ngram.ts trained on the task's text (the authors used RoBERTa);
 * - performance: the task model's accuracy, macro precision, macro recall and macro F1 on a development
 *   split when it is given the instruction, minimised as 1 / (acc + prec + rec + F1) (the code's
 *   `1 / sum(metric.values())`). The task model is asked through the LLM layer: offline the loopback
 *   stand-in `moolab-classifier`, any chat model at a real endpoint by configuration.
 *
 * @module
 */
import type { ChatMessage, ChatModel } from "../llm/client.ts";
import {
  characterLength,
  type Instruction,
  instructionKey,
  renderInstruction,
  tokenLength,
} from "./instruction.ts";
import type { LabelledText } from "./data.ts";
import { type KneserNeyModel, lmSentences, perplexity as ngramPerplexity, trainKneserNey } from "./ngram.ts";

/** Accuracy and the macro averages over the task's labels. */
export interface ClassificationMetrics {
  /** Share of texts labelled right. */
  accuracy: number;
  /** Macro-averaged precision. */
  precision: number;
  /** Macro-averaged recall. */
  recall: number;
  /** Macro-averaged F1. */
  f1: number;
}

/**
 * Accuracy and macro precision, recall and F1 over `labels` (scikit-learn's `average="macro"` with
 * `zero_division=0`: a label never predicted has precision 0, a label never true has recall 0). A
 * prediction that is not a label (`null`: the model's reply named none) counts as wrong.
 */
export function classificationMetrics(
  truth: readonly string[],
  predicted: readonly (string | null)[],
  labels: readonly string[],
): ClassificationMetrics {
  if (truth.length !== predicted.length) {
    throw new RangeError(
      `classificationMetrics: ${truth.length} true labels but ${predicted.length} predictions`,
    );
  }
  if (truth.length === 0) throw new RangeError("classificationMetrics: no predictions");
  let correct = 0, P = 0, R = 0, F = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) correct++;
  for (const l of labels) {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i] === l, p = predicted[i] === l;
      if (t && p) tp++;
      else if (p) fp++;
      else if (t) fn++;
    }
    const prec = tp + fp > 0 ? tp / (tp + fp) : 0;
    const rec = tp + fn > 0 ? tp / (tp + fn) : 0;
    P += prec;
    R += rec;
    F += prec + rec > 0 ? (2 * prec * rec) / (prec + rec) : 0;
  }
  const L = labels.length;
  return { accuracy: correct / truth.length, precision: P / L, recall: R / L, f1: F / L };
}

/** The label a reply names: the first label word (whole word, case-insensitive) in it, else null. */
export function parsePrediction(reply: string, labels: readonly string[]): string | null {
  const words = reply.toLowerCase().match(/\p{L}+/gu) ?? [];
  for (const w of words) {
    const i = labels.findIndex((l) => l.toLowerCase() === w);
    if (i >= 0) return labels[i];
  }
  return null;
}

/** The task model's prompt: the instruction rendered around the query, as one user message. */
export function taskPrompt(inst: Instruction, query: string): ChatMessage[] {
  return [{ role: "user", content: renderInstruction(inst, query) }];
}

/** Options of {@link taskPerformance}. */
export interface PerformanceOptions {
  /** Completion token limit of one answer (default 8; a longer answer is cut, not an error). */
  maxTokens?: number;
  /** Ledger label (default "task model"). */
  operator?: string;
}

/** The task model's answers on `dev` given the instruction, and their metrics. */
export async function taskPerformance(
  model: ChatModel,
  inst: Instruction,
  dev: readonly LabelledText[],
  labels: readonly string[],
  options: PerformanceOptions = {},
): Promise<ClassificationMetrics & { predictions: (string | null)[] }> {
  const predictions = await Promise.all(dev.map(async (d) => {
    const c = await model.complete(taskPrompt(inst, d.text), {
      temperature: 0,
      maxTokens: options.maxTokens ?? 8,
      seed: 0,
      allowTruncated: true,
      operator: options.operator ?? "task model",
    });
    return parsePrediction(c.text, labels);
  }));
  return { ...classificationMetrics(dev.map((d) => d.label), predictions, labels), predictions };
}

/** Everything measured of one instruction. */
export interface Evaluation extends ClassificationMetrics {
  /** Characters (the length objective). */
  characters: number;
  /** Approximate tokens (lib/llm/tokens.ts). */
  tokens: number;
  /** Perplexity of the instruction (the fluency objective). */
  perplexity: number;
  /** The minimised objectives, the authors' order: [characters, perplexity, 1 / (acc + prec + rec + F1)]. */
  objectives: [number, number, number];
}

/** The performance objective: 1 / (acc + prec + rec + F1); 10⁶ (a finite "worst") when all four are 0. */
export function reciprocalMetric(m: ClassificationMetrics): number {
  const s = m.accuracy + m.precision + m.recall + m.f1;
  return s > 0 ? 1 / s : 1e6;
}

/** The n-gram model of a task's text: an order-3 modified Kneser-Ney model of the texts (one sentence each). */
export function taskLanguageModel(texts: readonly LabelledText[], order = 3): KneserNeyModel {
  return trainKneserNey(texts.flatMap((t) => lmSentences(t.text)), order);
}

/** Perplexity of an instruction (rendered without a query, each line a sentence) under an n-gram model. */
export function instructionPerplexity(lm: KneserNeyModel, inst: Instruction): number {
  return ngramPerplexity(lm, renderInstruction(inst));
}

/** What {@link makeEvaluator} needs. */
export interface EvaluatorOptions {
  /** The task model (the `moolab-classifier` stand-in or a real chat model). */
  model: ChatModel;
  /** The development texts the task model answers. */
  dev: readonly LabelledText[];
  /** The task's label words. */
  labels: readonly string[];
  /** Perplexity of an instruction, e.g. `(i) => instructionPerplexity(lm, i)`. */
  perplexity: (inst: Instruction) => number | Promise<number>;
  /** Settings of the task-model calls. */
  performance?: PerformanceOptions;
}

/** An instruction's evaluation function: the three objectives and what they are made of. */
export type Evaluator = (inst: Instruction) => Promise<Evaluation>;

/** The evaluation of instructions on a task (not cached here: the search caches by instruction text). */
export function makeEvaluator(o: EvaluatorOptions): Evaluator {
  return async (inst) => {
    const m = await taskPerformance(o.model, inst, o.dev, o.labels, o.performance);
    const ppl = await o.perplexity(inst);
    if (!(ppl > 0) || !Number.isFinite(ppl)) {
      throw new RangeError(
        `evaluator: perplexity ${ppl} of ${instructionKey(inst).slice(0, 80)}… is not finite and > 0`,
      );
    }
    const characters = characterLength(inst);
    const metrics = { accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1 };
    return {
      ...metrics,
      characters,
      tokens: tokenLength(inst),
      perplexity: ppl,
      objectives: [characters, ppl, reciprocalMetric(metrics)],
    };
  };
}

/** Scales of the hypervolume's normalisation (see {@link normalisedObjectives}). */
export interface ObjectiveScales {
  /** Characters are divided by this (the authors' 1000). */
  length: number;
  /** Perplexity is divided by this (ours: the largest perplexity of the hand-written instructions). */
  perplexity: number;
}

/**
 * The objectives as the hypervolume sees them (the authors' hyper_volume.py divides the length by
 * 1000 and takes the rest raw, reference point (1.5, 1.5, 1.5)): [characters / length scale,
 * perplexity / perplexity scale, 1 / (acc + prec + rec + F1)]. The authors' perplexity
 * (exp(loss / tokens) of RoBERTa) is near 1 by construction; an n-gram perplexity is not, so we divide
 * it by a fixed scale (the largest over the hand-written instructions, so those sit at ≤ 1).
 */
export function normalisedObjectives(e: Evaluation, scales: ObjectiveScales): [number, number, number] {
  return [e.objectives[0] / scales.length, e.objectives[1] / scales.perplexity, e.objectives[2]];
}
