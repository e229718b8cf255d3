/**
 * The ledger of LLM calls: tokens in and out and cost of every call, from the reply's `usage` and the
 * price table (data/llm_prices.json), summed per run, per operator and per model — the "tokens used"
 * of Table II of the NSGA-II-LLM paper (Liu, Chen & Tang), plus the money.
 *
 * A call answered from the response cache is recorded too, flagged `cached`: its tokens are what the
 * run consumed (so a replayed run reports the same tokens as the run that paid), while `paid` counts
 * only the calls that reached the endpoint in this process.
 *
 * @module
 */
import { Table } from "../experiment/table.ts";
import { costOf, PRICES, type PriceTable } from "./prices.ts";

/** One call. */
export interface LedgerEntry {
  model: string;
  /** What the call was for (e.g. "llm reproduction", "definition mutation"); "-" when unnamed. */
  operator: string;
  promptTokens: number;
  completionTokens: number;
  /** Cost in US dollars at list price; undefined when the model has no price. */
  cost: number | undefined;
  /** Answered from the cache (nothing paid now). */
  cached: boolean;
}

/** Sums over a set of calls. */
export interface LedgerTotals {
  calls: number;
  cachedCalls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Cost of all calls at list price (undefined when a model has no price). */
  cost: number | undefined;
  /** Cost of the calls that reached the endpoint now. */
  paid: number | undefined;
}

function sum(entries: readonly LedgerEntry[]): LedgerTotals {
  const t: LedgerTotals = {
    calls: 0,
    cachedCalls: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    cost: 0,
    paid: 0,
  };
  for (const e of entries) {
    t.calls++;
    if (e.cached) t.cachedCalls++;
    t.promptTokens += e.promptTokens;
    t.completionTokens += e.completionTokens;
    t.cost = t.cost === undefined || e.cost === undefined ? undefined : t.cost + e.cost;
    if (!e.cached) t.paid = t.paid === undefined || e.cost === undefined ? undefined : t.paid + e.cost;
  }
  t.totalTokens = t.promptTokens + t.completionTokens;
  return t;
}

function usd(v: number | undefined): string {
  if (v === undefined) return "n/a (no price)";
  return v === 0 ? "$0" : v < 0.01 ? `$${v.toPrecision(3)}` : `$${v.toFixed(4)}`;
}

/** A ledger of one run; displayable in Jupyter as a table. */
export class Ledger {
  readonly runId: string;
  readonly entries: LedgerEntry[] = [];
  readonly prices: PriceTable;

  constructor(runId = "run", prices: PriceTable = PRICES) {
    this.runId = runId;
    this.prices = prices;
  }

  /** Records one call; the cost comes from the price table. */
  record(call: Omit<LedgerEntry, "cost" | "operator"> & { operator?: string }): LedgerEntry {
    for (const f of ["promptTokens", "completionTokens"] as const) {
      if (!Number.isInteger(call[f]) || call[f] < 0) {
        throw new RangeError(`Ledger: ${f} must be a non-negative integer, got ${call[f]}`);
      }
    }
    const entry: LedgerEntry = {
      model: call.model,
      operator: call.operator ?? "-",
      promptTokens: call.promptTokens,
      completionTokens: call.completionTokens,
      cost: costOf(call.model, call.promptTokens, call.completionTokens, this.prices),
      cached: call.cached,
    };
    this.entries.push(entry);
    return entry;
  }

  /** Sums over the whole run. */
  totals(): LedgerTotals {
    return sum(this.entries);
  }

  /** Sums per operator (in order of first use). */
  byOperator(): Record<string, LedgerTotals> {
    return this.#group((e) => e.operator);
  }

  /** Sums per model (in order of first use). */
  byModel(): Record<string, LedgerTotals> {
    return this.#group((e) => e.model);
  }

  #group(key: (e: LedgerEntry) => string): Record<string, LedgerTotals> {
    const groups = new Map<string, LedgerEntry[]>();
    for (const e of this.entries) {
      const k = key(e);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(e);
    }
    return Object.fromEntries([...groups].map(([k, es]) => [k, sum(es)]));
  }

  /** The ledger as a table: one row per operator and model, and the run's total. */
  table(title = `LLM calls of run ${this.runId}`): Table {
    const groups = new Map<string, LedgerEntry[]>();
    for (const e of this.entries) {
      const k = `${e.operator}\u0000${e.model}`;
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(e);
    }
    const row = (op: string, model: string, t: LedgerTotals) => [
      op,
      model,
      String(t.calls),
      String(t.cachedCalls),
      String(t.promptTokens),
      String(t.completionTokens),
      String(t.totalTokens),
      usd(t.cost),
      usd(t.paid),
    ];
    const rows = [...groups].map(([k, es]) => {
      const [op, model] = k.split("\u0000");
      return row(op, model, sum(es));
    });
    rows.push(row("total", "", this.totals()));
    return new Table(
      ["operator", "model", "calls", "from cache", "tokens in", "tokens out", "tokens", "cost", "paid now"],
      rows,
      { title, bold: [`${rows.length - 1},6`] },
    );
  }

  toJSON(): { runId: string; entries: LedgerEntry[]; totals: LedgerTotals } {
    return { runId: this.runId, entries: this.entries, totals: this.totals() };
  }

  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const t = this.table();
    return { "text/html": t.toHTML(), "text/markdown": t.toMarkdown(), "text/plain": t.toString() };
  }
}
