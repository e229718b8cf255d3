/**
 * The LLM as NSGA-II-LLM's solution generator: one prompt, one reply, parsed by
 * {@link parseSolutionReply} (numbers between `<start>` and `<end>`, separated by spaces or commas, as
 * the authors' `llm2.py` reads them after dropping commas), clipped to the bounds, re-asked on a reply
 * with too few valid solutions (single-round polling: the same prompt, no history). A reply still
 * invalid after the re-ask budget gives `null`: the wrapper then breeds that generation by plain
 * reproduction (the authors re-ask without limit; a budget keeps a run finite) and records it; the
 * ledger gets a zero-token entry under the operator "<operator> · fallback" so the fallback shows
 * there too. Works with any {@link ChatModel}: the loopback stand-in or a real endpoint, through the LLM
 * layer's cache and ledger.
 */
import { ask, type ChatModel } from "../llm/client.ts";
import { ParseError, ReplyFormatError } from "../llm/errors.ts";
import type { Ledger } from "../llm/ledger.ts";
import type { SolutionGenerator } from "./algorithm.ts";

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** What {@link parseSolutionReply} needs. */
export interface ParseReplyOptions {
  /** How many solutions to read. */
  count: number;
  /** Values per solution. */
  dim: number;
  /** Lower bounds (values are clipped to them). */
  lower: ArrayLike<number>;
  /** Upper bounds (values are clipped to them). */
  upper: ArrayLike<number>;
}

/**
 * The first `count` valid solutions of a reply: each `<start>…<end>` block whose commas removed leave
 * exactly `dim` whitespace-separated finite numbers (so "0.1 0.2", "0.1,0.2" and "0.1, 0.2" all read);
 * other blocks are skipped, as the authors' parser does. Values are clipped to [lower, upper] (PlatEMO
 * repairs decision variables so). Throws {@link ParseError} when fewer than `count` blocks are valid.
 */
export function parseSolutionReply(text: string, options: ParseReplyOptions): number[][] {
  const { count, dim, lower, upper } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`parseSolutionReply: count must be ≥ 1`);
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`parseSolutionReply: dim must be ≥ 1`);
  if (lower.length !== dim || upper.length !== dim) {
    throw new RangeError(`parseSolutionReply: bounds must have ${dim} values`);
  }
  const blocks = [...text.matchAll(/<start>([\s\S]*?)<end>/gi)].map((m) => m[1]);
  if (blocks.length === 0) throw new ParseError("no <start>…<end> solution in the reply");
  const out: number[][] = [];
  const problems: string[] = [];
  for (const [i, block] of blocks.entries()) {
    const parts = block.replaceAll(",", " ").trim().split(/\s+/).filter((p) => p.length > 0);
    if (parts.length !== dim) {
      problems.push(`solution ${i + 1} has ${parts.length} values, expected ${dim}`);
      continue;
    }
    const bad = parts.find((p) => !NUMBER.test(p) || !Number.isFinite(Number(p)));
    if (bad !== undefined) {
      problems.push(`solution ${i + 1}: ${JSON.stringify(bad)} is not a finite number`);
      continue;
    }
    out.push(parts.map((p, j) => Math.min(upper[j], Math.max(lower[j], Number(p)))));
    if (out.length === count) return out;
  }
  throw new ParseError(
    `the reply has ${out.length} valid solution(s), ${count} were asked for (${problems.join("; ")})`,
  );
}

/** Settings of {@link llmSolutionGenerator}. */
export interface LLMGeneratorOptions {
  /** Sampling temperature (default: not sent, the endpoint's default — the authors' qwen-plus call sets none). */
  temperature?: number;
  /** Completion token limit (default 4,096). */
  maxTokens?: number;
  /** Sampling seed passed to the endpoint (default 0); each generation's request is distinct by its sample id. */
  seed?: number;
  /** Re-asks after a malformed reply (default 3); after them the generation falls back to plain reproduction. */
  reAsks?: number;
  /** Ledger label (default "NSGA-II-LLM reproduction"). */
  operator?: string;
  /** Part of every sample id, e.g. the run's seed, so that runs of different seeds never share a cache entry. */
  tag?: string;
  /** Where a fallback is recorded (default: the model's own ledger, if it has one). */
  ledger?: Ledger;
}

/** A {@link SolutionGenerator} that asks `model`; `null` after the re-ask budget (see the module comment). */
export function llmSolutionGenerator(model: ChatModel, options: LLMGeneratorOptions = {}): SolutionGenerator {
  const tag = options.tag === undefined ? "" : `${options.tag}/`;
  const operator = options.operator ?? "NSGA-II-LLM reproduction";
  const ledger = options.ledger ?? (model as { ledger?: Ledger }).ledger;
  return async (messages, request) => {
    try {
      const { value } = await ask(
        model,
        messages,
        (text) =>
          parseSolutionReply(text, {
            count: request.count,
            dim: request.nVar,
            lower: request.lower,
            upper: request.upper,
          }),
        {
          ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
          maxTokens: options.maxTokens ?? 4096,
          seed: options.seed ?? 0,
          reAsks: options.reAsks ?? 3,
          operator,
          sampleId: `${tag}generation-${request.generation}`,
        },
      );
      return Float64Array.from(value.flat());
    } catch (e) {
      if (!(e instanceof ReplyFormatError)) throw e;
      ledger?.record({
        model: model.name,
        operator: `${operator} · fallback`,
        promptTokens: 0,
        completionTokens: 0,
        cached: false,
      });
      return null;
    }
  };
}
