/**
 * The ledger of LLM calls: tokens in and out and cost of every call, from the reply's `usage` and the
 * price table (data/llm_prices.json), summed per run, per operator and per model — the "tokens used"
 * of Table II of the NSGA-II-LLM paper (Liu, Chen & Tang), plus the money.
 *
 * A call answered from the response cache is recorded too, flagged `cached`: its tokens are what the
 * run consumed (so a replayed run reports the same tokens as the run that paid), while `paid` counts
 * only the calls that reached the endpoint in this process.
 *
 * A run that may be killed and resumed keeps its ledger in a journal ({@link Ledger.open}): one JSON
 * line per call, appended and flushed to disk (fsync) as the call is recorded, so a kill loses nothing
 * recorded. The resumed process loads the journal and continues it. The calls it repeats — those made
 * after the checkpoint it resumes from, answered now from the response cache — are recognised by their
 * cache key and not counted twice; a cache hit on an answer that an earlier process of the same run
 * paid for (the cache entry names the ledger that paid, `paidBy`) but died before journaling counts as
 * paid (a hit on an answer already in the ledger is a repeated request, counted as a cache hit). So the resumed run's totals equal an uninterrupted run's exactly: calls, tokens, cost and paid.
 *
 * @module
 */
import { Table } from "../experiment/table.ts";
import { LLMError } from "./errors.ts";
import { costOf, PRICES, type PriceTable } from "./prices.ts";

/** One call. */
export interface LedgerEntry {
  /** The model that answered. */
  model: string;
  /** What the call was for (e.g. "llm reproduction", "definition mutation"); "-" when unnamed. */
  operator: string;
  /** Tokens of the prompt. */
  promptTokens: number;
  /** Tokens of the reply. */
  completionTokens: number;
  /** Cost in US dollars at list price; undefined when the model has no price. */
  cost: number | undefined;
  /** Answered from the cache (nothing paid now). */
  cached: boolean;
  /** The response-cache key of the call, when it went through a cache. */
  key?: string;
}

/** What {@link Ledger.record} takes. */
export type LedgerCall = Omit<LedgerEntry, "cost" | "operator"> & {
  operator?: string;
  /** For a cache hit: the id of the ledger whose run paid for the answer (from the cache entry). */
  paidBy?: string;
};

/** The first line of a journal. */
interface JournalHeader {
  ledger: 1;
  runId: string;
  id: string;
}

/** Sums over a set of calls. */
export interface LedgerTotals {
  /** Calls recorded. */
  calls: number;
  /** Of which answered from the cache. */
  cachedCalls: number;
  /** Prompt tokens of all calls. */
  promptTokens: number;
  /** Completion tokens of all calls. */
  completionTokens: number;
  /** Their sum. */
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

/** Appends `text` to `path` and flushes it to disk (and the directory, for a new file). */
function appendDurably(path: string, text: string, create = false): void {
  const f = Deno.openSync(path, { append: true, create: true });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += f.writeSync(bytes.subarray(written));
    f.syncSync();
  } finally {
    f.close();
  }
  if (create) {
    const slash = path.lastIndexOf("/");
    try {
      const d = Deno.openSync(slash > 0 ? path.slice(0, slash) : ".", { read: true });
      try {
        d.syncSync();
      } finally {
        d.close();
      }
    } catch { /* directories cannot be opened for sync on every platform */ }
  }
}

function usd(v: number | undefined): string {
  if (v === undefined) return "n/a (no price)";
  return v === 0 ? "$0" : v < 0.01 ? `$${v.toPrecision(3)}` : `$${v.toFixed(4)}`;
}

/** A ledger of one run; displayable in Jupyter as a table. */
export class Ledger {
  /** The run's id. */
  readonly runId: string;
  /** Every call, in order. */
  readonly entries: LedgerEntry[] = [];
  /** The price table costs are computed with. */
  readonly prices: PriceTable;
  /** Identifies this run's ledger (kept in the journal); the cache names it in the answers it paid for. */
  readonly id: string;
  /** The journal file, when the ledger has one. */
  readonly path?: string;
  /** Keys of journal entries loaded from earlier processes, not yet matched by a repeated call. */
  readonly #repeatable = new Map<string, number>();
  /** Keys of every entry, loaded or recorded. */
  readonly #keys = new Set<string>();

  /**
   * A ledger of run `runId` at `prices`; with `journal`, every entry is also appended to that file (and the
   * entries already there are loaded).
   */
  constructor(runId = "run", prices: PriceTable = PRICES, journal?: { path: string; id: string }) {
    this.runId = runId;
    this.prices = prices;
    this.id = journal?.id ?? crypto.randomUUID();
    this.path = journal?.path;
  }

  /**
   * The ledger of a run kept in the journal at `path`: continued when the file exists (a resumed run),
   * created otherwise. A last line cut by a kill is dropped; any other bad line is an error naming it.
   * A run started afresh should use a new path (or remove the file).
   */
  static open(path: string, runId = "run", prices: PriceTable = PRICES): Ledger {
    let text: string | undefined;
    try {
      text = Deno.readTextFileSync(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    // no journal yet, or only a header cut by a kill (written before any call, so nothing refers to it)
    if (text === undefined || !text.includes("\n")) {
      const ledger = new Ledger(runId, prices, { path, id: crypto.randomUUID() });
      const header: JournalHeader = { ledger: 1, runId, id: ledger.id };
      if (text !== undefined) Deno.truncateSync(path, 0);
      appendDurably(path, JSON.stringify(header) + "\n", true);
      return ledger;
    }
    const lines = text.split("\n");
    const complete = text.endsWith("\n");
    if (lines.at(-1) === "") lines.pop();
    const parse = (i: number) => {
      try {
        return JSON.parse(lines[i]);
      } catch {
        if (i === lines.length - 1 && !complete) return undefined; // cut by a kill mid-append
        throw new LLMError(`ledger journal ${path}: line ${i + 1} is not valid JSON`);
      }
    };
    const header = parse(0) as JournalHeader | undefined;
    if (header?.ledger !== 1 || typeof header.id !== "string") {
      throw new LLMError(`ledger journal ${path}: line 1 is not a ledger header`);
    }
    if (header.runId !== runId) {
      throw new LLMError(`ledger journal ${path} belongs to run ${header.runId}, not ${runId}`);
    }
    const ledger = new Ledger(runId, prices, { path, id: header.id });
    let kept = text.length;
    for (let i = 1; i < lines.length; i++) {
      const e = parse(i) as LedgerEntry | undefined;
      if (e === undefined) {
        kept = text.length - lines[i].length;
        break;
      }
      if (
        typeof e?.model !== "string" || typeof e.operator !== "string" || typeof e.cached !== "boolean" ||
        !Number.isInteger(e.promptTokens) || e.promptTokens < 0 ||
        !Number.isInteger(e.completionTokens) || e.completionTokens < 0
      ) {
        throw new LLMError(`ledger journal ${path}: line ${i + 1} is not a ledger entry`);
      }
      const entry: LedgerEntry = {
        model: e.model,
        operator: e.operator,
        promptTokens: e.promptTokens,
        completionTokens: e.completionTokens,
        cost: costOf(e.model, e.promptTokens, e.completionTokens, prices),
        cached: e.cached,
        ...(typeof e.key === "string" ? { key: e.key } : {}),
      };
      ledger.entries.push(entry);
      if (entry.key) ledger.#keys.add(entry.key);
      if (entry.key) ledger.#repeatable.set(entry.key, (ledger.#repeatable.get(entry.key) ?? 0) + 1);
    }
    if (kept < text.length) {
      Deno.truncateSync(path, new TextEncoder().encode(text.slice(0, kept)).length);
    }
    return ledger;
  }

  /**
   * Records one call; the cost comes from the price table. With a journal: a cache hit repeating a
   * call an earlier process of this run recorded is not recorded again (it returns that entry), and a
   * cache hit on an answer this run paid for counts as paid.
   */
  record(call: LedgerCall): LedgerEntry {
    for (const f of ["promptTokens", "completionTokens"] as const) {
      if (!Number.isInteger(call[f]) || call[f] < 0) {
        throw new RangeError(`Ledger: ${f} must be a non-negative integer, got ${call[f]}`);
      }
    }
    if (call.cached && call.key !== undefined) {
      const n = this.#repeatable.get(call.key) ?? 0;
      if (n > 0) {
        this.#repeatable.set(call.key, n - 1);
        return this.entries.find((e) => e.key === call.key)!;
      }
    }
    const entry: LedgerEntry = {
      model: call.model,
      operator: call.operator ?? "-",
      promptTokens: call.promptTokens,
      completionTokens: call.completionTokens,
      cost: costOf(call.model, call.promptTokens, call.completionTokens, this.prices),
      // a hit on an answer this run paid for but never recorded (killed in between) was paid
      cached: call.cached &&
        !(call.paidBy !== undefined && call.paidBy === this.id && call.key !== undefined &&
          !this.#keys.has(call.key)),
      ...(call.key !== undefined ? { key: call.key } : {}),
    };
    if (this.path) appendDurably(this.path, JSON.stringify(entry) + "\n");
    this.entries.push(entry);
    if (entry.key !== undefined) this.#keys.add(entry.key);
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

  /** The run id, the entries and the totals. */
  toJSON(): { runId: string; entries: LedgerEntry[]; totals: LedgerTotals } {
    return { runId: this.runId, entries: this.entries, totals: this.totals() };
  }

  /** Displays the ledger as a table per model and operator. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const t = this.table();
    return { "text/html": t.toHTML(), "text/markdown": t.toMarkdown(), "text/plain": t.toString() };
  }
}
