/**
 * The LLM as NSGA-II-LLM's solution generator: one prompt, one reply, parsed as `<start>x1,…,xn<end>`
 * blocks with exactly n finite numbers each, clipped to the bounds (Section IV-B3 and the authors'
 * code), re-asked on a malformed reply (single-round polling: the same prompt, no history), and an
 * error carrying the reply after the last re-ask. Works with any {@link ChatModel}: the loopback
 * stand-in or a real endpoint, through the LLM layer's cache and ledger.
 */
import { ask, type ChatModel } from "../llm/client.ts";
import { parseSolutions } from "../llm/formats.ts";
import type { SolutionGenerator } from "./algorithm.ts";

/** Settings of {@link llmSolutionGenerator}. */
export interface LLMGeneratorOptions {
  /** Sampling temperature (default 1, the paper's ChatGPT default). */
  temperature?: number;
  /** Completion token limit (default 1,024). */
  maxTokens?: number;
  /** Sampling seed passed to the endpoint (default 0); each generation's request is distinct by its sample id. */
  seed?: number;
  /** Re-asks after a malformed reply (default 3). */
  reAsks?: number;
  /** Ledger label (default "NSGA-II-LLM reproduction"). */
  operator?: string;
  /** Part of every sample id, e.g. the run's seed, so that runs of different seeds never share a cache entry. */
  tag?: string;
}

/** A {@link SolutionGenerator} that asks `model`. */
export function llmSolutionGenerator(model: ChatModel, options: LLMGeneratorOptions = {}): SolutionGenerator {
  const tag = options.tag === undefined ? "" : `${options.tag}/`;
  return async (messages, request) => {
    const { value } = await ask(
      model,
      messages,
      (text) =>
        parseSolutions(text, {
          count: request.count,
          dim: request.nVar,
          lower: Array.from(request.lower),
          upper: Array.from(request.upper),
          clip: true,
        }),
      {
        temperature: options.temperature ?? 1,
        maxTokens: options.maxTokens ?? 1024,
        seed: options.seed ?? 0,
        reAsks: options.reAsks ?? 3,
        operator: options.operator ?? "NSGA-II-LLM reproduction",
        sampleId: `${tag}generation-${request.generation}`,
      },
    );
    return Float64Array.from(value.slice(0, request.count).flat());
  };
}
