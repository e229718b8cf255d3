/**
 * The LLM ledger in the study database: a {@link Ledger} that also writes each call to
 * `moolab.llm_ledger` under a study name and the run id, so the tokens and cost of a grid run by many
 * workers can be summed per run and per study ({@link ledgerTotals}). Only model, operator, token
 * counts, cost and the cached flag are stored: never a prompt, a key or an endpoint.
 *
 * @module
 */
import type { Sql } from "../experiment/db/connect.ts";
import { Ledger, type LedgerEntry, type LedgerTotals } from "./ledger.ts";
import { PRICES, type PriceTable } from "./prices.ts";

/** A ledger whose entries also go to the database; `await flush()` before reading the table. */
export class PgLedger extends Ledger {
  readonly study: string;
  readonly sql: Sql;
  #pending: Promise<unknown>[] = [];

  constructor(sql: Sql, study: string, runId = "run", prices: PriceTable = PRICES) {
    super(runId, prices);
    if (!study) throw new TypeError("PgLedger: a study name is required");
    this.sql = sql;
    this.study = study;
  }

  override record(call: Omit<LedgerEntry, "cost" | "operator"> & { operator?: string }): LedgerEntry {
    const e = super.record(call);
    this.#pending.push(
      this.sql`INSERT INTO moolab.llm_ledger
        (study, run_id, model, operator, prompt_tokens, completion_tokens, cost, cached)
        VALUES (${this.study}, ${this.runId}, ${e.model}, ${e.operator}, ${e.promptTokens}, ${e.completionTokens},
          ${e.cost ?? null}, ${e.cached})`.execute(),
    );
    return e;
  }

  /** Waits until every recorded call is in the table (throws the first failed insert). */
  async flush(): Promise<void> {
    const p = this.#pending;
    this.#pending = [];
    await Promise.all(p);
  }
}

/** Sums of the calls in the table for a study, or one run of it. */
export async function ledgerTotals(sql: Sql, study: string, runId?: string): Promise<LedgerTotals> {
  const [r] = await sql<
    {
      calls: number;
      cached: number;
      pin: number;
      pout: number;
      cost: number | null;
      paid: number | null;
      unpriced: number;
      unpriced_paid: number;
    }[]
  >`SELECT count(*)::int AS calls, count(*) FILTER (WHERE cached)::int AS cached,
      coalesce(sum(prompt_tokens), 0)::int AS pin, coalesce(sum(completion_tokens), 0)::int AS pout,
      coalesce(sum(cost), 0)::float8 AS cost, coalesce(sum(cost) FILTER (WHERE NOT cached), 0)::float8 AS paid,
      count(*) FILTER (WHERE cost IS NULL)::int AS unpriced,
      count(*) FILTER (WHERE cost IS NULL AND NOT cached)::int AS unpriced_paid
    FROM moolab.llm_ledger WHERE study = ${study} AND (${runId ?? null}::text IS NULL OR run_id = ${
    runId ?? null
  })`;
  return {
    calls: r.calls,
    cachedCalls: r.cached,
    promptTokens: r.pin,
    completionTokens: r.pout,
    totalTokens: r.pin + r.pout,
    cost: r.unpriced > 0 ? undefined : r.cost!,
    paid: r.unpriced_paid > 0 ? undefined : r.paid!,
  };
}
