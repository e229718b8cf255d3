/**
 * Scoring a merged LLM through an OpenAI-compatible server (vLLM, llama.cpp, Ollama, …), as the authors
 * score theirs with OpenCompass: the merge is written to disk ({@link ChatEvaluatorOptions.prepare}), a
 * chat model serving it is obtained ({@link ChatEvaluatorOptions.serve}, e.g. an `OpenAIChatModel` of
 * lib/llm whose model name is the merged checkpoint's path, after the server has loaded it), every
 * validation example of every task is asked at temperature 0, and the reply's label is compared with the
 * answer. The accuracy per task is the evaluation; with lib/mm_mo/evaluation.ts's cache, an interrupted
 * search resumes without asking again.
 *
 * A reply's label is the task label whose first whole-word, case-insensitive occurrence comes earliest
 * ({@link parseLabel}); a reply naming no label counts as wrong (OpenCompass's "no answer").
 */
import type { ChatModel } from "../llm/client.ts";
import type { MergeEvaluation } from "./problem.ts";
import type { Evaluator } from "./evaluation.ts";

/** One question of a task and its right label. */
export interface ChatExample {
  /** The question as asked. */
  readonly prompt: string;
  /** The right label. */
  readonly answer: string;
}

/** A task as asked of a chat model. */
export interface ChatTask {
  /** The task's name. */
  readonly name: string;
  /** The labels a reply may name. */
  readonly labels: readonly string[];
  /** The questions scored. */
  readonly examples: readonly ChatExample[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The label named earliest in a reply (whole word, case-insensitive; the longer label on a tie), or null. */
export function parseLabel(reply: string, labels: readonly string[]): string | null {
  let best: string | null = null, at = Infinity;
  for (const l of labels) {
    const m = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(l)}(?![\\p{L}\\p{N}])`, "iu").exec(reply);
    if (m && (m.index < at || (m.index === at && best !== null && l.length > best.length))) {
      best = l;
      at = m.index;
    }
  }
  return best;
}

/** Options of {@link chatEvaluator}. */
export interface ChatEvaluatorOptions {
  /** Writes the merged model of x; returns its path and ΔL1 from the base (see `commandEvaluator`). */
  prepare: (x: Float64Array, id: string) => Promise<{ path: string; deltaL1: number }>;
  /** The chat model that serves the prepared merge. */
  serve: (path: string, id: string) => Promise<ChatModel> | ChatModel;
  /** The tasks, one accuracy each. */
  tasks: readonly ChatTask[];
  /** Completion tokens per answer; default 16. */
  maxTokens?: number;
  /** Called after scoring (unload the model, remove the files). */
  release?: (path: string, id: string) => Promise<void> | void;
}

/** An evaluator asking a served merged model every example of every task (see the module doc). */
export function chatEvaluator(options: ChatEvaluatorOptions): Evaluator {
  for (const t of options.tasks) {
    if (t.examples.length === 0) throw new RangeError(`chatEvaluator: task ${t.name} has no examples`);
    for (const [i, e] of t.examples.entries()) {
      if (!t.labels.includes(e.answer)) {
        throw new RangeError(
          `chatEvaluator: task ${t.name}, example ${i}: answer "${e.answer}" is not a label`,
        );
      }
    }
  }
  return async (x, id): Promise<MergeEvaluation> => {
    const { path, deltaL1 } = await options.prepare(x, id);
    try {
      const model = await options.serve(path, id);
      const accuracy = new Float64Array(options.tasks.length);
      for (const [k, t] of options.tasks.entries()) {
        const replies = await Promise.all(
          t.examples.map((e) =>
            model.complete([{ role: "user", content: e.prompt }], {
              temperature: 0,
              maxTokens: options.maxTokens ?? 16,
              allowTruncated: true,
              operator: `MM-MO evaluation of ${id}, ${t.name}`,
            })
          ),
        );
        let ok = 0;
        replies.forEach((r, i) => {
          if (parseLabel(r.text, t.labels) === t.examples[i].answer) ok++;
        });
        accuracy[k] = ok / t.examples.length;
      }
      return { accuracy, deltaL1 };
    } finally {
      await options.release?.(path, id);
    }
  };
}
