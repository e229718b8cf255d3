/**
 * What an LLM experiment will cost before it starts, and a cap that stops it cleanly when it has spent
 * enough.
 *
 * - {@link estimateCost}: calls, prompt and completion tokens → dollars at the price table's rate
 *   (data/llm_prices.json) for the model; `undefined` dollars for a model the table does not know.
 * - {@link cappedModel}: a {@link ChatModel} that refuses a call once the calls already paid in the
 *   ledger reach a cap (dollars, tokens or calls), throwing {@link BudgetExceededError}. Calls answered
 *   from the response cache cost nothing and are not counted, so re-running an interrupted experiment
 *   with the same cache replays what was paid for and continues from there: a capped run is resumable.
 *
 * @module
 */
import type { ChatMessage, ChatModel, CompleteOptions, Completion } from "./client.ts";
import { LLMError } from "./errors.ts";
import type { Ledger, LedgerTotals } from "./ledger.ts";
import { costOf, PRICES, type PriceTable } from "./prices.ts";

/** An estimate of calls and tokens, priced. */
export interface CostEstimate {
  model: string;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** US dollars at list price; undefined when the model has no price in the table. */
  dollars: number | undefined;
}

/** Prices `calls` calls with the given token totals for `model`. */
export function estimateCost(
  model: string,
  usage: { calls: number; promptTokens: number; completionTokens: number },
  prices: PriceTable = PRICES,
): CostEstimate {
  for (const [k, v] of Object.entries(usage)) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`estimateCost: ${k} must be ≥ 0, got ${v}`);
  }
  return {
    model,
    calls: usage.calls,
    promptTokens: Math.round(usage.promptTokens),
    completionTokens: Math.round(usage.completionTokens),
    dollars: costOf(model, Math.round(usage.promptTokens), Math.round(usage.completionTokens), prices),
  };
}

/** One line: "N calls, P prompt + C completion tokens, $D" (tokens only for an unknown model). */
export function describeCost(e: CostEstimate): string {
  const tokens = `${e.calls} calls, ${e.promptTokens} prompt + ${e.completionTokens} completion tokens`;
  return e.dollars === undefined
    ? `${tokens} (${e.model} has no price in data/llm_prices.json: tokens only)`
    : `${tokens}, $${e.dollars.toFixed(e.dollars < 1 ? 4 : 2)} at ${e.model}'s list price`;
}

/** Limits of {@link cappedModel}; each is optional. */
export interface BudgetCap {
  /** Dollars paid (calls that reached the endpoint, at list price). */
  maxDollars?: number;
  /** Tokens paid (prompt + completion of calls that reached the endpoint). */
  maxTokens?: number;
  /** Calls that reached the endpoint. */
  maxCalls?: number;
}

/** The cap was reached: no further call was made. */
export class BudgetExceededError extends LLMError {
  constructor(message: string, readonly spent: LedgerTotals) {
    super(message);
    this.name = "BudgetExceededError";
  }
}

/** What the calls recorded in `ledger` that reached the endpoint spent. */
export function spent(ledger: Ledger): { calls: number; tokens: number; dollars: number | undefined } {
  let calls = 0, tokens = 0;
  let dollars: number | undefined = 0;
  for (const e of ledger.entries) {
    if (e.cached || e.promptTokens + e.completionTokens === 0) continue;
    calls++;
    tokens += e.promptTokens + e.completionTokens;
    dollars = dollars === undefined || e.cost === undefined ? undefined : dollars + e.cost;
  }
  return { calls, tokens, dollars };
}

/**
 * `model` behind a cap: before each call, what `ledger` records as paid is compared with the cap, and a
 * call that would start beyond it throws {@link BudgetExceededError} (the call in flight when the cap is
 * crossed completes, so a run overshoots by at most one call).
 */
export function cappedModel(model: ChatModel, ledger: Ledger, cap: BudgetCap): ChatModel {
  for (const [k, v] of Object.entries(cap)) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new RangeError(`cappedModel: ${k} must be a number ≥ 0, got ${v}`);
    }
  }
  return {
    name: model.name,
    complete(messages: readonly ChatMessage[], options?: CompleteOptions): Promise<Completion> {
      const s = spent(ledger);
      const over = cap.maxCalls !== undefined && s.calls >= cap.maxCalls
        ? `${s.calls} calls paid (cap ${cap.maxCalls})`
        : cap.maxTokens !== undefined && s.tokens >= cap.maxTokens
        ? `${s.tokens} tokens paid (cap ${cap.maxTokens})`
        : cap.maxDollars !== undefined && s.dollars !== undefined && s.dollars >= cap.maxDollars
        ? `$${s.dollars.toFixed(4)} paid (cap $${cap.maxDollars})`
        : undefined;
      if (over) {
        return Promise.reject(
          new BudgetExceededError(`budget cap reached: ${over}; no further call was made`, ledger.totals()),
        );
      }
      return model.complete(messages, options);
    },
  };
}
