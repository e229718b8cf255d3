/**
 * `moolab-numeric`: a stand-in for the solution-generation prompts of NSGA-II-LLM (Liu, Chen & Tang,
 * Sec. IV-B2). It is **not a language model**: it is a white-box linear operator over the prompt's elite
 * solutions, in the spirit of MOEA/D-LO (Liu et al. 2023, "Large language model for multi-objective
 * evolutionary optimization", who distilled GPT-3.5's behaviour as an MOEA/D operator into an explicit
 * linear operator). It reads the example solutions `<start>x1 … xD<end>` (numbers separated by commas or
 * spaces) and their `obj_value` lines from the prompt and proposes each new solution as a weighted
 * linear combination of the examples plus a Gaussian perturbation,
 *
 *   x_new = Σ_i w_i x_i + τ · σ ⊙ N(0, I),   w_i ∝ (l − r_i) · E_i,   E_i ~ Exp(1),
 *
 * where r_i ∈ {0, …, l−1} is the rank of example i (0 = best objective value; with several objective
 * values per example, the sum of its per-objective ranks; without values, all ranks are equal), E_i makes
 * the combination a random convex one (E_i = 1 when the temperature τ is 0), and σ_d is a tenth of the
 * examples' spread in variable d (a hundredth of the bound range, or of max(1, |x̄_d|), when they agree).
 * τ is the request's temperature, capped at 2. Each value is clipped to its own variable's bounds when
 * the prompt states them. The reply uses the examples' separator (comma or space) and their precision
 * (3 to 6 decimals; full precision when the examples carry more than 6).
 *
 * What it can show: what an elite recombination step of this kind does inside an MOEA. What it cannot
 * show: anything about what a language model would answer.
 *
 * What it reads (case-insensitive):
 * - examples: every `<start>…<end>` of finite numbers separated by commas and/or spaces; the objective
 *   values of an example: `obj_value: v1 v2`, `obj_value: v1, v2` or `objective values: v1, v2` after it
 *   and before the next example;
 * - the count: "output three new solutions", "generate 5 solutions" … (default 1);
 * - the dimension: "10 dimensional" (default: the examples' length); examples of another length are
 *   ignored, and with none left the reply says so without a `<start>` tag (so a strict parser fails);
 * - bounds, in every form NSGA-II-LLM's prompt (lib/nsga2_llm/prompt.ts, `describeBounds`) writes them:
 *   "Every variable lies in [a, b]", and per variable "variable j lies in [a, b]" and
 *   "variables i–j lie in [a, b]" (en dash, hyphen or "to"), several joined by ";"; besides these,
 *   "lower bounds: [..]" with "upper bounds: [..]" (one value per variable), and a single
 *   "in/within [a, b]" or "between a and b" for all variables;
 * - the sense: "maximi[sz]e" without "minimi[sz]e" makes higher values better.
 *
 * Deterministic given the request: the generator is seeded from the seed, the prompt and the choice.
 *
 * @module
 */
import type { Rng } from "../../core/rng.ts";
import { fixed } from "../formats.ts";
import type { StandIn, StandInRequest } from "./mod.ts";
import { promptText, requestedCount } from "./prompt.ts";

/** An example solution read from a prompt. */
export interface PromptExample {
  /** The solution's decision values. */
  x: number[];
  /** Objective values found after it (empty when none). */
  f: number[];
  /** Decimals of its numbers as written. */
  decimals: number;
  /** The separator of its numbers: "," or " ". */
  separator: "," | " ";
}

/** What {@link readSolutionPrompt} finds in a prompt. */
export interface SolutionPrompt {
  /** The example solutions, in the prompt's order. */
  examples: PromptExample[];
  /** How many new solutions the prompt asks for. */
  count: number;
  /** Stated dimension, if any. */
  statedDim?: number;
  /** One bound for all variables, or one per variable (NaN where the prompt states none). */
  lower?: number[] | number;
  /** As `lower`, for the upper bounds. */
  upper?: number[] | number;
  /** The prompt says "maximise" and not "minimise": larger objective values are better. */
  maximize: boolean;
}

const NUM = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;

/** The numbers of a list separated by commas and/or whitespace, brackets allowed; undefined if any is not one. */
function numbers(s: string): number[] | undefined {
  const parts = s.trim().replace(/^[[(]|[\])]$/g, "").trim().split(/\s*,\s*|\s+/);
  if (parts.some((p) => !new RegExp(`^${NUM}$`).test(p))) return undefined;
  const v = parts.map(Number);
  return v.every(Number.isFinite) ? v : undefined;
}

/** Reads the examples, count, dimension, bounds and sense of a solution-generation prompt. */
export function readSolutionPrompt(text: string): SolutionPrompt {
  const matches = [...text.matchAll(/<start>([\s\S]*?)<end>/gi)];
  const examples: PromptExample[] = [];
  for (const [k, m] of matches.entries()) {
    const x = numbers(m[1]);
    if (!x) continue;
    const tailEnd = k + 1 < matches.length ? matches[k + 1].index! : text.length;
    const tail = text.slice(m.index! + m[0].length, tailEnd);
    const fm = tail.match(
      new RegExp(
        String.raw`obj(?:ective)?[_\s-]*val(?:ue)?s?\s*[:=]\s*\[?\s*(${NUM}(?:\s*[,;\s]\s*${NUM})*)`,
        "i",
      ),
    );
    const f = fm ? fm[1].split(/[,;\s]+/).filter((s) => s.length > 0).map(Number) : [];
    const decimals = Math.max(
      ...m[1].trim().split(/\s*,\s*|\s+/).map((p) => (p.split(/[eE]/)[0].split(".")[1] ?? "").length),
    );
    examples.push({ x, f, decimals, separator: m[1].includes(",") ? "," : " " });
  }
  const dm = text.match(/(\d+)[\s-]*dimensional/i);
  const out: SolutionPrompt = {
    examples,
    count: requestedCount(text, String.raw`(?:new\s+)?solutions?`) ?? 1,
    maximize: /\bmaximi[sz]/i.test(text) && !/\bminimi[sz]/i.test(text),
  };
  if (dm) out.statedDim = Number(dm[1]);
  const lv = text.match(/lower\s+bounds?\s*(?:are|is|:|=)?\s*(\[[^\]]*\])/i);
  const uv = text.match(/upper\s+bounds?\s*(?:are|is|:|=)?\s*(\[[^\]]*\])/i);
  const perVariable = readVariableBounds(text);
  if (lv && uv && numbers(lv[1]) && numbers(uv[1])) {
    out.lower = numbers(lv[1]);
    out.upper = numbers(uv[1]);
  } else if (perVariable) {
    out.lower = perVariable.lower;
    out.upper = perVariable.upper;
  } else {
    const range = text.match(
      new RegExp(String.raw`\b(?:in|within|inside|range)\s*\[\s*(${NUM})\s*,\s*(${NUM})\s*\]`, "i"),
    ) ??
      text.match(new RegExp(String.raw`\bbetween\s+(${NUM})\s+and\s+(${NUM})`, "i"));
    if (range) {
      out.lower = Number(range[1]);
      out.upper = Number(range[2]);
    }
  }
  return out;
}

/**
 * Per-variable bounds stated as "variable j lies in [a, b]" / "variables i–j lie in [a, b]" (1-based,
 * inclusive; "–", "-" or "to" between i and j): arrays up to the largest variable named, NaN for the
 * variables no phrase names; undefined when there is no such phrase.
 */
export function readVariableBounds(text: string): { lower: number[]; upper: number[] } | undefined {
  const re = new RegExp(
    String.raw`\bvariables?\s+(\d+)(?:\s*(?:–|—|-|to)\s*(\d+))?\s+(?:lies?|are|is)\s+(?:in|within)\s*` +
      String.raw`\[\s*(${NUM})\s*,\s*(${NUM})\s*\]`,
    "gi",
  );
  const runs = [...text.matchAll(re)].map((m) => ({
    from: Number(m[1]),
    to: Number(m[2] ?? m[1]),
    lo: Number(m[3]),
    hi: Number(m[4]),
  })).filter((r) => r.from >= 1 && r.to >= r.from && r.to <= 100_000);
  if (runs.length === 0) return undefined;
  const n = Math.max(...runs.map((r) => r.to));
  const lower = new Array<number>(n).fill(NaN), upper = new Array<number>(n).fill(NaN);
  for (const r of runs) {
    for (let j = r.from - 1; j < r.to; j++) {
      lower[j] = r.lo;
      upper[j] = r.hi;
    }
  }
  return { lower, upper };
}

/** Ranks 0 = best; ties keep prompt order. */
function ranks(examples: PromptExample[], maximize: boolean): number[] {
  const l = examples.length;
  const m = Math.max(0, ...examples.map((e) => e.f.length));
  if (m === 0) return new Array(l).fill(0);
  const score = new Array(l).fill(0);
  for (let j = 0; j < m; j++) {
    const val = (i: number) => {
      const v = examples[i].f[j];
      if (v === undefined || !Number.isFinite(v)) return Infinity; // missing: worst
      return maximize ? -v : v;
    };
    const order = [...Array(l).keys()].sort((a, b) => val(a) - val(b) || a - b);
    order.forEach((i, r) => (score[i] += r));
  }
  const order = [...Array(l).keys()].sort((a, b) => score[a] - score[b] || a - b);
  const r = new Array(l);
  order.forEach((i, k) => (r[i] = k));
  return r;
}

function boundAt(b: number[] | number | undefined, d: number): number | undefined {
  const v = b === undefined ? undefined : typeof b === "number" ? b : b[d];
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

/**
 * New solutions from the examples by the linear operator of the module comment. `dim` picks the
 * examples of that length. Returns undefined when no example has that length.
 */
export function linearOperator(
  prompt: SolutionPrompt,
  dim: number,
  temperature: number,
  rng: Rng,
): number[][] | undefined {
  const ex = prompt.examples.filter((e) => e.x.length === dim);
  if (ex.length === 0) return undefined;
  const l = ex.length;
  const r = ranks(ex, prompt.maximize);
  const tau = Math.max(0, Math.min(2, temperature));
  const sigma = new Array(dim).fill(0).map((_, d) => {
    const col = ex.map((e) => e.x[d]);
    const spread = Math.max(...col) - Math.min(...col);
    if (spread > 0) return 0.1 * spread;
    const lo = boundAt(prompt.lower, d), hi = boundAt(prompt.upper, d);
    if (lo !== undefined && hi !== undefined && hi > lo) return 0.01 * (hi - lo);
    return 0.01 * Math.max(1, Math.abs(col[0]));
  });
  const out: number[][] = [];
  for (let s = 0; s < prompt.count; s++) {
    const w = r.map((ri) => (l - ri) * (tau > 0 ? -Math.log(1 - rng.random()) : 1));
    const total = w.reduce((a, b) => a + b, 0);
    const x = new Array(dim).fill(0);
    for (let i = 0; i < l; i++) for (let d = 0; d < dim; d++) x[d] += (w[i] / total) * ex[i].x[d];
    for (let d = 0; d < dim; d++) {
      if (tau > 0) x[d] += tau * sigma[d] * rng.normal();
      const lo = boundAt(prompt.lower, d), hi = boundAt(prompt.upper, d);
      if (lo !== undefined && x[d] < lo) x[d] = lo;
      if (hi !== undefined && x[d] > hi) x[d] = hi;
    }
    out.push(x);
  }
  return out;
}

/** The `moolab-numeric` stand-in. */
export const numericStandIn: StandIn = {
  name: "moolab-numeric",
  description:
    "stand-in, not a language model: a linear operator over the prompt's elites (MOEA/D-LO-style): reads " +
    "<start>x1 … xD<end> examples and their obj_value lines and proposes new solutions by a rank-weighted " +
    "random linear combination plus Gaussian noise, clipped to each variable's stated bounds",
  fingerprint: "moolab-numeric/linear-operator-v1",
  respond(request: StandInRequest, rng: Rng): string {
    const text = promptText(request.messages);
    const prompt = readSolutionPrompt(text);
    if (prompt.examples.length === 0) {
      return "I found no example solutions (numbers between start and end tags) in the prompt, so I cannot propose new ones.";
    }
    const lengths = prompt.examples.map((e) => e.x.length);
    const dim = prompt.statedDim ?? mode(lengths);
    const xs = linearOperator(prompt, dim, request.temperature, rng);
    if (!xs) {
      return `The prompt asks for ${dim}-dimensional solutions but its examples have ${
        [...new Set(lengths)].join(", ")
      } ` +
        "values, so I cannot propose new ones.";
    }
    const used = prompt.examples.filter((e) => e.x.length === dim);
    const most = Math.max(3, ...used.map((e) => e.decimals));
    const write = most > 6 ? (v: number) => String(v) : (v: number) => fixed(v, most);
    const sep = used[0].separator === " " ? " " : ",";
    return xs.map((x) => `<start>${x.map(write).join(sep)}<end>`).join("\n");
  },
};

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0];
  for (const [v, c] of counts) if (c > counts.get(best)!) best = v;
  return best;
}
