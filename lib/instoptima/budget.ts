/**
 * What an InstOptima run will cost before it runs (a dry-run estimate of calls, tokens and dollars),
 * and a cap that stops it when the money or the calls run out.
 *
 * {@link planCalls} counts the calls of an experiment from its sizes — an upper bound: every offspring
 * slot is a new instruction (repeats cost nothing) and every distinct-offspring retry is used.
 * {@link estimateCost} multiplies the calls by measured tokens per call (prompts rendered and counted
 * with lib/llm/tokens.ts) and prices them with lib/llm/prices.ts (`undefined` for a model the price
 * table does not list, never a guess). {@link cappedModel} wraps a chat model: before each call it sums
 * what the sessions' ledgers (lib/llm/ledger.ts) have paid and refuses the call with
 * {@link BudgetExceededError} at the cap; calls already in flight finish, so a run can overshoot by at
 * most `concurrency` calls.
 *
 * @module
 */
import type { ChatMessage, ChatModel, CompleteOptions, Completion } from "../llm/client.ts";
import type { Ledger } from "../llm/ledger.ts";
import { costOf } from "../llm/prices.ts";
import { Table } from "../experiment/table.ts";

/** The sizes of an experiment (see {@link planCalls}). */
export interface RunPlan {
  /** Seeds (independent runs) per method. */
  seeds: number;
  /** Methods whose offspring come from the operator LLM (InstOptima, InstOptima-N). */
  llmMethods: number;
  /** Other methods (baselines), evaluated by the same task model. */
  otherMethods: number;
  /** Population size. */
  popSize: number;
  /** Generations per run. */
  generations: number;
  /** Hand-written instructions (the rest of the initial population is made by operator calls). */
  handWritten: number;
  /** Development texts per evaluation. */
  devSize: number;
  /** Distinct-offspring retries per slot (0: none). */
  distinctRetries: number;
  /** Re-asks allowed per operator call. */
  reAsks: number;
  /** Extra operator calls (walk-through, guidance measurement) and extra evaluations. */
  extraOperatorCalls?: number;
  /** Extra instruction evaluations beyond the runs'. */
  extraEvaluations?: number;
  /** Test-set answers (instructions × test texts). */
  testAnswers?: number;
  /** Operator calls per missing initial member: 5 (default, initialPopulation's ceiling) or 1 (expected). */
  initialCallsPerSlot?: number;
}

/** Calls per role, as ceilings. */
export interface PlannedCalls {
  /** Operator-LLM calls (re-asks included). */
  operator: number;
  /** Distinct instructions evaluated. */
  evaluations: number;
  /** Task-model calls (one per development text per evaluation, plus test answers). */
  task: number;
  /** Perplexity-model calls (one per evaluation). */
  perplexity: number;
}

/** The call ceilings of a plan (see the module comment). */
export function planCalls(p: RunPlan): PlannedCalls {
  for (const [k, v] of Object.entries(p)) {
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`planCalls: ${k} must be an integer ≥ 0, got ${v}`);
    }
  }
  const slots = p.popSize * p.generations;
  const initialCalls = p.seeds * (p.initialCallsPerSlot ?? 5) * Math.max(0, p.popSize - p.handWritten);
  const operator = (initialCalls + p.seeds * p.llmMethods * slots * (1 + p.distinctRetries) +
    (p.extraOperatorCalls ?? 0)) * (1 + p.reAsks);
  // the initial population is shared by the methods of a seed (one evaluation cache)
  const evaluations = p.seeds * (p.popSize + (p.llmMethods + p.otherMethods) * slots) +
    (p.extraEvaluations ?? 0);
  return {
    operator,
    evaluations,
    task: evaluations * p.devSize + (p.testAnswers ?? 0),
    perplexity: evaluations,
  };
}

/** Tokens of one call of each role (measured from rendered prompts). */
export interface CallSizes {
  /** Prompt tokens of an operator call. */
  operatorPrompt: number;
  /** Reply tokens of an operator call. */
  operatorReply: number;
  /** Prompt tokens of a task-model call. */
  taskPrompt: number;
  /** Reply tokens of a task-model call. */
  taskReply: number;
  /** Prompt tokens of a perplexity call. */
  perplexityPrompt: number;
}

/** One row of an estimate. */
export interface CostRow {
  /** The role (operator, task, perplexity). */
  role: string;
  /** The model serving it. */
  model: string;
  /** Calls, as a ceiling. */
  calls: number;
  /** Prompt tokens of all its calls. */
  promptTokens: number;
  /** Completion tokens of all its calls. */
  completionTokens: number;
  /** US dollars at list price; undefined when the model has no price. */
  cost: number | undefined;
}

/** A dry-run estimate: rows per role and their total; displayable as a table. */
export class CostEstimate {
  /** An estimate of these rows, under this title. */
  constructor(readonly rows: CostRow[], readonly title = "Dry-run estimate (ceilings)") {}

  /** Total dollars (undefined when a model has no price). */
  get cost(): number | undefined {
    return this.rows.reduce<number | undefined>(
      (a, r) => (a === undefined || r.cost === undefined ? undefined : a + r.cost),
      0,
    );
  }

  /** Total calls. */
  get calls(): number {
    return this.rows.reduce((a, r) => a + r.calls, 0);
  }

  /** The rows and their total as a {@link Table}. */
  table(): Table {
    const usd = (v: number | undefined) => (v === undefined ? "n/a (no price)" : `$${v.toFixed(2)}`);
    const rows = this.rows.map((r) => [
      r.role,
      r.model,
      String(r.calls),
      String(r.promptTokens),
      String(r.completionTokens),
      usd(r.cost),
    ]);
    rows.push([
      "total",
      "",
      String(this.calls),
      String(this.rows.reduce((a, r) => a + r.promptTokens, 0)),
      String(this.rows.reduce((a, r) => a + r.completionTokens, 0)),
      usd(this.cost),
    ]);
    return new Table(["role", "model", "calls", "tokens in", "tokens out", "cost"], rows, {
      title: this.title,
    });
  }

  /** Displays the estimate as its table. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const t = this.table();
    return { "text/html": t.toHTML(), "text/markdown": t.toMarkdown(), "text/plain": t.toString() };
  }
}

/** Tokens and dollars of planned calls with the given models (perplexity omitted when its model is undefined). */
export function estimateCost(
  calls: PlannedCalls,
  sizes: CallSizes,
  models: { operator: string; task: string; perplexity?: string },
  title?: string,
): CostEstimate {
  const row = (role: string, model: string, n: number, inTok: number, outTok: number): CostRow => {
    const promptTokens = Math.round(n * inTok), completionTokens = Math.round(n * outTok);
    return {
      role,
      model,
      calls: n,
      promptTokens,
      completionTokens,
      cost: costOf(model, promptTokens, completionTokens),
    };
  };
  const rows = [
    row("operator", models.operator, calls.operator, sizes.operatorPrompt, sizes.operatorReply),
    row("task", models.task, calls.task, sizes.taskPrompt, sizes.taskReply),
  ];
  if (models.perplexity) {
    rows.push(row("perplexity", models.perplexity, calls.perplexity, sizes.perplexityPrompt, 1));
  }
  return new CostEstimate(rows, title);
}

/** A call refused because the budget is spent. */
export class BudgetExceededError extends Error {
  /** An error with this message. */
  constructor(message: string) {
    super(message);
    this.name = "BudgetExceededError";
  }
}

/** A budget over one or more sessions' ledgers. */
export interface Budget {
  /** The ledgers whose paid calls count against the budget. */
  ledgers: readonly Ledger[];
  /** Most US dollars paid (calls that reached an endpoint, at list price). */
  usd?: number;
  /** Most calls that reached an endpoint (cache hits are free). */
  calls?: number;
  /**
   * A paid call of a model without a price: "error" (default — a dollar cap cannot be enforced) or
   * "free" (counted as $0, e.g. the loopback stand-ins).
   */
  unpriced?: "error" | "free";
  /** Models that cost nothing whatever the price table says (e.g. the roles served by loopback stand-ins). */
  freeModels?: readonly string[];
}

/** What one ledger has paid, tallied up to `seen` entries (see {@link spent}). */
interface Tally {
  seen: number;
  usd: number;
  calls: number;
  /** The model of the first paid, non-free entry without a price. */
  unpriced?: string;
  freeModels: readonly string[] | undefined;
}

/** Running tallies per budget and ledger: a ledger only grows, so each entry is read once. */
const tallies = new WeakMap<Budget, WeakMap<Ledger, Tally>>();

function tally(b: Budget, l: Ledger): Tally {
  let byLedger = tallies.get(b);
  if (!byLedger) tallies.set(b, byLedger = new WeakMap());
  let t = byLedger.get(l);
  // a new ledger, a ledger that shrank, or other free models: count from the start
  if (!t || t.seen > l.entries.length || t.freeModels !== b.freeModels) {
    byLedger.set(l, t = { seen: 0, usd: 0, calls: 0, freeModels: b.freeModels });
  }
  for (; t.seen < l.entries.length; t.seen++) {
    const e = l.entries[t.seen];
    if (e.cached) continue;
    t.calls++;
    if (b.freeModels?.includes(e.model)) continue;
    if (e.cost === undefined) t.unpriced ??= e.model;
    else t.usd += e.cost;
  }
  return t;
}

/**
 * What the ledgers have paid and how many calls reached an endpoint. Each ledger's entries are summed
 * once, in order, and kept per budget (the cap is checked before every call, so a full run's millions of
 * calls would otherwise be summed again and again); the total adds the ledgers' sums in order.
 */
export function spent(b: Budget): { usd: number; calls: number } {
  let usd = 0, calls = 0;
  for (const l of b.ledgers) {
    const t = tally(b, l);
    calls += t.calls;
    if (t.unpriced !== undefined && b.usd !== undefined && (b.unpriced ?? "error") === "error") {
      throw new BudgetExceededError(
        `budget: model ${t.unpriced} has no price in the price table, so a dollar cap cannot be enforced ` +
          `(add it to data/llm_prices.json, or set unpriced: "free")`,
      );
    }
    usd += t.usd;
  }
  return { usd, calls };
}

/** Throws {@link BudgetExceededError} when the budget is spent (or a dollar cap meets an unpriced model). */
export function checkBudget(b: Budget): void {
  const s = spent(b);
  if (b.usd !== undefined && s.usd >= b.usd) {
    throw new BudgetExceededError(`budget: $${s.usd.toFixed(4)} spent, the cap is $${b.usd.toFixed(4)}`);
  }
  if (b.calls !== undefined && s.calls >= b.calls) {
    throw new BudgetExceededError(`budget: ${s.calls} calls made, the cap is ${b.calls}`);
  }
}

/** The model with the budget checked before every call (see the module comment). */
export function cappedModel(model: ChatModel, b: Budget): ChatModel {
  return {
    name: model.name,
    async complete(messages: readonly ChatMessage[], options?: CompleteOptions): Promise<Completion> {
      checkBudget(b);
      return await model.complete(messages, options);
    },
  };
}
