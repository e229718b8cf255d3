/**
 * The reply formats of the papers' prompts, read strictly: a reply that does not match throws a
 * {@link ParseError} saying what is wrong, so {@link ask} can re-ask (NSGA-II-LLM, Sec. IV-B3: "we
 * rigorously validate the generated text responses and initiate a new context learning process").
 *
 * - Solutions (NSGA-II-LLM, Sec. IV-B2): `<start>x1,x2,…,xD<end>`, one per solution.
 * - Instructions (InstOptima): the new instruction wrapped in `<inst>` and `</inst>`.
 *
 * @module
 */
import { ParseError } from "./errors.ts";

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Options of {@link parseSolutions}. */
export interface ParseSolutionsOptions {
  /** Solutions wanted: fewer is an error; extra ones are dropped (kept with `exact: false`, the default). */
  count: number;
  /** Numbers per solution: exactly this many, each finite. */
  dim: number;
  /** Lower bounds (one number for all variables, or one per variable). */
  lower?: number | readonly number[];
  /** Upper bounds (one number for all variables, or one per variable). */
  upper?: number | readonly number[];
  /** Clip values outside the bounds to them (true), or reject the reply (false, the default). */
  clip?: boolean;
  /** More than `count` solutions is an error too. */
  exact?: boolean;
}

function bound(
  b: number | readonly number[] | undefined,
  j: number,
  dim: number,
  name: string,
): number | undefined {
  if (b === undefined) return undefined;
  if (typeof b === "number") return b;
  if (b.length !== dim) throw new RangeError(`parseSolutions: ${name} has ${b.length} values, dim is ${dim}`);
  return b[j];
}

/**
 * The solutions in a reply: every `<start>…<end>` block (tags case-insensitive, surrounding brackets
 * and spaces allowed), each exactly `dim` finite numbers separated by commas. Values outside
 * [lower, upper] are clipped when `clip` is set, else the reply is rejected. Throws {@link ParseError}
 * naming the solution, the position and the offending text.
 */
export function parseSolutions(text: string, options: ParseSolutionsOptions): number[][] {
  const { count, dim } = options;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`parseSolutions: count must be ≥ 1, got ${count}`);
  }
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`parseSolutions: dim must be ≥ 1, got ${dim}`);
  const blocks = [...text.matchAll(/<start>([\s\S]*?)<end>/gi)].map((m) => m[1]);
  if (blocks.length === 0) {
    throw new ParseError(`no <start>…<end> solution in the reply (${describe(text)})`);
  }
  const out: number[][] = [];
  for (const [i, block] of blocks.entries()) {
    const inner = block.trim().replace(/^[[(]\s*/, "").replace(/\s*[\])]$/, "");
    const parts = inner.split(",").map((s) => s.trim());
    if (parts.length !== dim) {
      throw new ParseError(
        `solution ${i + 1} has ${parts.length} values, expected ${dim}: <start>${block}<end>`,
      );
    }
    const x: number[] = [];
    for (const [j, p] of parts.entries()) {
      if (!NUMBER.test(p)) {
        throw new ParseError(
          `solution ${i + 1}, value ${j + 1}: ${JSON.stringify(p)} is not a finite number`,
        );
      }
      let v = Number(p);
      if (!Number.isFinite(v)) throw new ParseError(`solution ${i + 1}, value ${j + 1}: ${p} is not finite`);
      const lo = bound(options.lower, j, dim, "lower"), hi = bound(options.upper, j, dim, "upper");
      if ((lo !== undefined && v < lo) || (hi !== undefined && v > hi)) {
        if (!options.clip) {
          throw new ParseError(
            `solution ${i + 1}, value ${j + 1}: ${p} is outside [${lo ?? "-∞"}, ${hi ?? "∞"}]`,
          );
        }
        v = Math.min(hi ?? Infinity, Math.max(lo ?? -Infinity, v));
      }
      x.push(v);
    }
    out.push(x);
  }
  if (out.length < count) {
    throw new ParseError(`the reply has ${out.length} solution(s), ${count} were asked for`);
  }
  if (options.exact && out.length > count) {
    throw new ParseError(`the reply has ${out.length} solutions, exactly ${count} were asked for`);
  }
  return out.slice(0, count);
}

/** Solutions in the paper's format, one `<start>x1,…,xD<end>` per line, `digits` decimals. */
export function formatSolutions(solutions: readonly (readonly number[])[], digits = 3): string {
  return solutions.map((x) => `<start>${x.map((v) => fixed(v, digits)).join(",")}<end>`).join("\n");
}

/** `v` with at most `digits` decimals, trailing zeros kept (as the paper's prompt shows them), no "-0". */
export function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/**
 * The instructions in a reply: the text of every `<inst>…</inst>` block, trimmed. Throws
 * {@link ParseError} when there is none, or one is empty, or fewer than `count` are found.
 */
export function parseInstructions(text: string, count = 1): string[] {
  const blocks = [...text.matchAll(/<inst>([\s\S]*?)<\/inst>/gi)].map((m) => m[1].trim());
  if (blocks.length === 0) {
    throw new ParseError(`no <inst>…</inst> instruction in the reply (${describe(text)})`);
  }
  const empty = blocks.findIndex((b) => b.length === 0);
  if (empty >= 0) throw new ParseError(`instruction ${empty + 1} of the reply is empty`);
  if (blocks.length < count) {
    throw new ParseError(`the reply has ${blocks.length} instruction(s), ${count} were asked for`);
  }
  return blocks.slice(0, count);
}

function describe(text: string): string {
  const t = text.trim();
  return t.length === 0
    ? "the reply is empty"
    : `reply: ${JSON.stringify(t.length > 160 ? t.slice(0, 160) + "…" : t)}`;
}
