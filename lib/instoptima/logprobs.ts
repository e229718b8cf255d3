/**
 * Perplexity from an endpoint's token log-probabilities — the real path of InstOptima's perplexity
 * objective. The authors compute exp(loss / ntokens) under a RoBERTa built from its config (untrained);
 * here any OpenAI-compatible endpoint that returns prompt log-probabilities scores the rendered
 * instruction: `POST /v1/completions` with `echo: true, logprobs: 0, max_tokens: 1` (OpenAI's legacy
 * completions, vLLM, llama.cpp), and
 *
 *   perplexity = exp(−(1/N) Σ log p(token_i | tokens before it)),
 *
 * over the first `usage.prompt_tokens` entries of `token_logprobs` (a `null` — the first token at
 * most endpoints — is skipped and not counted). Chat endpoints return log-probabilities of generated
 * tokens only, so they cannot score a given text this way.
 *
 * Offline the loopback server answers the same request from `moolab-ngram` ({@link ngramStandIn}): the
 * n-gram model of lib/instoptima/ngram.ts scoring the text token by token, so the endpoint path gives
 * exactly the n-gram perplexity and is tested end to end.
 *
 * @module
 */
import OpenAI from "openai";
import type { Ledger } from "../llm/ledger.ts";
import { redactError, redactURL, secretList, urlSecrets } from "../llm/redact.ts";
import type { ScoredText } from "../llm/server.ts";
import type { StandIn, StandInRequest } from "../llm/standins/mod.ts";
import { promptText } from "../llm/standins/mod.ts";
import { type Instruction, renderInstruction } from "./instruction.ts";
import type { KneserNeyModel } from "./ngram.ts";

const TOKEN = /\p{L}+|\p{N}+|[^\s\p{L}\p{N}]/gu;

/**
 * The n-gram model's log-probability of every token of a text, as lib/instoptima/ngram.ts `perplexity`
 * counts them: each non-empty line a sentence, its words then `</s>` (offset: the line's end).
 */
export function scoreText(lm: KneserNeyModel, text: string): ScoredText {
  const out: ScoredText = { tokens: [], logprobs: [], offsets: [] };
  let start = 0;
  for (const line of text.split("\n")) {
    const toks: string[] = [], offs: number[] = [];
    for (const m of line.toLowerCase().matchAll(TOKEN)) {
      toks.push(/^\p{N}/u.test(m[0]) ? "<num>" : m[0]);
      offs.push(start + m.index!);
    }
    if (toks.length > 0) {
      for (let i = 0; i <= toks.length; i++) {
        const w = i < toks.length ? toks[i] : "</s>";
        out.tokens.push(w);
        out.logprobs.push(Math.log(lm.probability(w, toks.slice(Math.max(0, i - lm.order + 1), i))));
        out.offsets.push(i < toks.length ? offs[i] : start + line.length);
      }
    }
    start += line.length + 1;
  }
  return out;
}

/** Greedy continuation of a text's last line under the model: up to `maxTokens` tokens, stopping at `</s>`. */
export function continueText(lm: KneserNeyModel, text: string, maxTokens: number): ScoredText {
  const last = text.split("\n").at(-1) ?? "";
  const ctx = [...last.toLowerCase().matchAll(TOKEN)].map((m) => (/^\p{N}/u.test(m[0]) ? "<num>" : m[0]));
  const out: ScoredText = { tokens: [], logprobs: [], offsets: [] };
  let offset = 0;
  for (let t = 0; t < maxTokens; t++) {
    const c = ctx.slice(Math.max(0, ctx.length - lm.order + 1));
    let best = "</s>", bestP = -1;
    for (const w of lm.vocabulary) {
      if (w === "<unk>") continue;
      const p = lm.probability(w, c);
      if (p > bestP) [best, bestP] = [w, p];
    }
    out.tokens.push(best);
    out.logprobs.push(Math.log(bestP));
    out.offsets.push(offset);
    if (best === "</s>") break;
    offset += best.length + 1;
    ctx.push(best);
  }
  return out;
}

/**
 * `moolab-ngram`: a stand-in that scores text (log-probabilities for `/v1/completions` with `echo`)
 * and, asked in chat, continues the prompt's last line greedily (up to 12 tokens).
 */
export function ngramStandIn(lm: KneserNeyModel, name = "moolab-ngram"): StandIn & {
  score(text: string): ScoredText;
  continueText(text: string, maxTokens: number): ScoredText;
} {
  return {
    name,
    description:
      `stand-in, not a language model: an order-${lm.order} modified Kneser-Ney word n-gram model ` +
      `(${lm.vocabulary.size} words) that returns token log-probabilities of a prompt`,
    fingerprint: `moolab-ngram/kneser-ney-${lm.order}-v1`,
    score: (text) => scoreText(lm, text),
    continueText: (text, maxTokens) => continueText(lm, text, maxTokens),
    respond(request: StandInRequest): string {
      return continueText(lm, promptText(request.messages), 12).tokens.filter((t) => t !== "</s>").join(" ");
    },
  };
}

/**
 * exp(−mean log-probability) of the first `promptTokens` entries (`null` entries skipped). Throws when
 * no entry is a finite log-probability.
 */
export function perplexityFromLogprobs(
  tokenLogprobs: readonly (number | null)[],
  promptTokens: number = tokenLogprobs.length,
): number {
  let sum = 0, n = 0;
  for (const lp of tokenLogprobs.slice(0, promptTokens)) {
    if (lp === null) continue;
    if (!Number.isFinite(lp) || lp > 1e-9) {
      throw new RangeError(`perplexityFromLogprobs: ${lp} is not a log-probability`);
    }
    sum += lp;
    n++;
  }
  if (n === 0) throw new RangeError("perplexityFromLogprobs: the endpoint returned no log-probabilities");
  return Math.exp(-sum / n);
}

/** Where the perplexity model is: an {@link EndpointConfig} or any object with these three fields. */
export interface LogprobEndpoint {
  /** The OpenAI-compatible endpoint. */
  readonly baseURL: string;
  /** Its API key. */
  readonly apiKey: string;
  /** The model that scores the text. */
  readonly model: string;
}

/** Options of {@link logprobPerplexity}. */
export interface LogprobOptions {
  /** The ledger the calls are recorded in (operator "perplexity"). */
  ledger?: Ledger;
  /** Timeout of one attempt in ms (default 60,000). */
  timeout?: number;
  /** Retries of the `openai` client (default 2). */
  maxRetries?: number;
}

/**
 * The perplexity of an instruction (rendered without a query, as the n-gram path) from the endpoint's
 * prompt log-probabilities (see the module comment). The endpoint is read through its fields (an
 * `EndpointConfig` keeps its key out of spreads and inspection), the options apart.
 */
export function logprobPerplexity(
  endpoint: LogprobEndpoint,
  options: LogprobOptions = {},
): (inst: Instruction) => Promise<number> {
  const o = {
    baseURL: endpoint.baseURL,
    apiKey: endpoint.apiKey,
    model: endpoint.model,
    ...options,
  };
  const client = new OpenAI({
    baseURL: o.baseURL,
    apiKey: o.apiKey,
    timeout: o.timeout ?? 60_000,
    maxRetries: o.maxRetries ?? 2,
  });
  const secrets = secretList(o.apiKey, ...urlSecrets(o.baseURL));
  return async (inst) => {
    const prompt = renderInstruction(inst);
    let r: OpenAI.Completions.Completion;
    try {
      r = await client.completions.create({
        model: o.model,
        prompt,
        echo: true,
        logprobs: 0,
        max_tokens: 1,
        temperature: 0,
      });
    } catch (e) {
      throw redactError(e, secrets); // the key, or a key inside the URL, never reaches an error
    }
    const lp = r.choices?.[0]?.logprobs?.token_logprobs;
    if (!lp) {
      throw new RangeError(
        `logprobPerplexity: ${o.model} at ${redactURL(o.baseURL)} returned no token_logprobs`,
      );
    }
    const promptTokens = r.usage?.prompt_tokens ?? lp.length;
    o.ledger?.record({
      model: o.model,
      operator: "perplexity",
      promptTokens,
      completionTokens: r.usage?.completion_tokens ?? 0,
      cached: false,
    });
    return perplexityFromLogprobs(lp as (number | null)[], promptTokens);
  };
}
