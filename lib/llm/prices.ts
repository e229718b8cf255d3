/**
 * The price table of chat models, kept as data in `data/llm_prices.json`: model → US dollars per
 * 1,000,000 input and output tokens, each with its source and date. The loopback stand-ins are listed
 * at $0. A model that is not in the table has no price: its cost is `undefined`, never a guess.
 *
 * @module
 */
import table from "../../data/llm_prices.json" with { type: "json" };

/** One row of the price table. */
export interface ModelPrice {
  /** US dollars per 1,000,000 prompt tokens. */
  input: number;
  /** US dollars per 1,000,000 completion tokens. */
  output: number;
  /** Where the price was published. */
  source: string;
  /** The date the price was published or in effect (ISO 8601). */
  date: string;
}

/** The whole price table. */
export type PriceTable = Record<string, ModelPrice>;

/** Checks a price table read from JSON; throws naming the model and field that are wrong. */
export function validatePrices(raw: unknown, origin = "price table"): PriceTable {
  if (raw === null || typeof raw !== "object") throw new TypeError(`${origin}: expected an object of models`);
  const out: PriceTable = {};
  for (const [model, row] of Object.entries(raw as Record<string, unknown>)) {
    const r = row as Record<string, unknown>;
    for (const f of ["input", "output"] as const) {
      if (typeof r?.[f] !== "number" || !Number.isFinite(r[f]) || (r[f] as number) < 0) {
        throw new TypeError(`${origin}: model ${model}: "${f}" must be a finite price ≥ 0, got ${r?.[f]}`);
      }
    }
    for (const f of ["source", "date"] as const) {
      if (typeof r[f] !== "string" || (r[f] as string).length === 0) {
        throw new TypeError(`${origin}: model ${model}: "${f}" must be a non-empty string`);
      }
    }
    out[model] = {
      input: r.input as number,
      output: r.output as number,
      source: r.source as string,
      date: r.date as string,
    };
  }
  return out;
}

/** The project's price table (data/llm_prices.json). */
export const PRICES: PriceTable = validatePrices(table.models, "data/llm_prices.json");

/**
 * The price of `model`: an exact entry, else the longest table key that prefixes a dated snapshot name
 * (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`), else `undefined`.
 */
export function priceOf(model: string, prices: PriceTable = PRICES): ModelPrice | undefined {
  if (prices[model]) return prices[model];
  let best: string | undefined;
  for (const k of Object.keys(prices)) {
    if (model.startsWith(k + "-") && /^\d{4}-\d{2}-\d{2}$|^\d{4}$/.test(model.slice(k.length + 1))) {
      if (!best || k.length > best.length) best = k;
    }
  }
  return best ? prices[best] : undefined;
}

/** Cost in US dollars of one call, or `undefined` when the model has no price in the table. */
export function costOf(
  model: string,
  promptTokens: number,
  completionTokens: number,
  prices: PriceTable = PRICES,
): number | undefined {
  const p = priceOf(model, prices);
  return p ? (promptTokens * p.input + completionTokens * p.output) / 1e6 : undefined;
}
