/**
 * Does the objective-guided prompt (InstOptima) move the objective it names more often than the
 * unguided one (InstOptima-N)? A measurement on a fixed set of parents: each operator is applied to the
 * same parents with the same "random seed" and the same offered material, once with the objectives line
 * in the prompt and once without; both children are evaluated, and a child "moves" the target objective
 * when it is better on it than its parents' mean. The target is {@link guidanceTarget} of the parents —
 * the rule the offline stand-in acts on (with a real LLM, the objective the prompt's values make worst
 * by that rule; the LLM is free to act otherwise). Paired counts go into a two-sided sign test.
 *
 * Also {@link structureProblem}: what an operator's child must keep of its parent (the instruction's
 * structure), checked on every child.
 *
 * @module
 */
import type { ChatModel } from "../llm/client.ts";
import { ReplyFormatError } from "../llm/errors.ts";
import { checkInstruction, type Instruction } from "./instruction.ts";
import type { Evaluation, Evaluator } from "./objectives.ts";
import {
  applyOperator,
  drawOffer,
  isCrossover,
  type OperatorMaterial,
  type OperatorName,
  OPERATORS,
} from "./operators.ts";
import { type GuidanceTarget, guidanceTarget } from "./operator_standin.ts";

/** What an operator's child must keep, or a sentence naming what it broke (undefined: all kept). */
export function structureProblem(
  op: OperatorName,
  parent: Instruction,
  child: Instruction,
  labels: readonly string[],
): string | undefined {
  try {
    checkInstruction(child, labels);
  } catch (e) {
    return (e as Error).message;
  }
  if (child.endPrompt !== parent.endPrompt) return "the end prompt changed";
  if (/\n/.test(child.definition)) return "the definition spans lines";
  if (/(^|\s)input\s*:/i.test(child.definition)) return 'the definition holds an "input:" line';
  if (op.startsWith("definition")) {
    if (JSON.stringify(child.examples) !== JSON.stringify(parent.examples)) {
      return `${op} changed the examples`;
    }
  } else if (child.definition !== parent.definition) return `${op} changed the definition`;
  return undefined;
}

/** A parent with its evaluation. */
export interface EvaluatedParent {
  /** The parent. */
  instruction: Instruction;
  /** Its evaluation (stated in the guided prompt). */
  evaluation: Evaluation;
}

/** One paired trial. */
export interface GuidanceTrial {
  /** The operator tried. */
  operator: OperatorName;
  /** Index of parent 1 in the given list (parent 2 of a crossover is the next one, cyclically). */
  parent: number;
  /** The objective the guided prompt's stated values point at. */
  target: GuidanceTarget;
  /** Did the guided / unguided child improve the target over the parents' mean? (false: no child) */
  guided: boolean;
  /** Did the unguided child improve the target over the parents' mean? (false: no child) */
  unguided: boolean;
  /** Structure problems of the two children (undefined: none). */
  problems: (string | undefined)[];
}

/** Sums of {@link guidanceEffect} per operator and in total. */
export interface GuidanceSummary {
  /** Paired trials. */
  trials: number;
  /** Trials where the guided child improved the target. */
  guidedMoves: number;
  /** Trials where the unguided child improved the target. */
  unguidedMoves: number;
  /** Trials where only the guided child moved the target, and where only the unguided one did. */
  onlyGuided: number;
  /** Trials where only the unguided child moved the target. */
  onlyUnguided: number;
  /** Two-sided sign test over the discordant pairs (1 when there are none). */
  pValue: number;
}

/** Two-sided exact sign test: P(at least as extreme a split of n = a + b under p = 1/2). */
export function signTest(a: number, b: number): number {
  const n = a + b;
  if (n === 0) return 1;
  const k = Math.min(a, b);
  let logC = 0, tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

function summarise(trials: readonly GuidanceTrial[]): GuidanceSummary {
  const onlyGuided = trials.filter((t) => t.guided && !t.unguided).length;
  const onlyUnguided = trials.filter((t) => !t.guided && t.unguided).length;
  return {
    trials: trials.length,
    guidedMoves: trials.filter((t) => t.guided).length,
    unguidedMoves: trials.filter((t) => t.unguided).length,
    onlyGuided,
    onlyUnguided,
    pValue: signTest(onlyGuided, onlyUnguided),
  };
}

/** Options of {@link guidanceEffect}. */
export interface GuidanceOptions {
  /** The task's label words. */
  labels: readonly string[];
  /** Evaluates the children. */
  evaluate: Evaluator;
  /** Examples and phrases offered to the operators. */
  material?: OperatorMaterial;
  /** The operators tried (default: all four). */
  operators?: readonly OperatorName[];
  /** Endpoint seed and base of the prompts' seeds (default 0). */
  seed?: number;
}

/** The guided-versus-unguided measurement (see the module comment). */
export async function guidanceEffect(
  model: ChatModel,
  parents: readonly EvaluatedParent[],
  o: GuidanceOptions,
): Promise<{ trials: GuidanceTrial[]; byOperator: Record<string, GuidanceSummary>; total: GuidanceSummary }> {
  if (parents.length < 2) throw new RangeError("guidanceEffect: give at least two parents");
  const ops = o.operators ?? OPERATORS;
  const seed = o.seed ?? 0;
  const jobs = parents.flatMap((_, i) =>
    ops.map((op, t) => ({ i, op, promptSeed: seed * 100_000 + i * 8 + t }))
  );
  const trials = await Promise.all(jobs.map(async ({ i, op, promptSeed }): Promise<GuidanceTrial> => {
    const ps = isCrossover(op) ? [parents[i], parents[(i + 1) % parents.length]] : [parents[i]];
    // the values as the guided prompt states them (describeFitness rounds), so the target is the stand-in's
    const stated = ps.map((p) => ({
      performance: Number(
        (p.evaluation.accuracy + p.evaluation.precision + p.evaluation.recall + p.evaluation.f1).toFixed(3),
      ),
      characters: p.evaluation.characters,
      perplexity: Number(p.evaluation.perplexity.toFixed(1)),
    }));
    const target = guidanceTarget(stated);
    const value = (e: Evaluation) => (target === "length" ? e.characters : e.objectives[2]);
    const before = ps.reduce((a, p) => a + value(p.evaluation), 0) / ps.length;
    const offer = o.material ? drawOffer(op, o.material, promptSeed) : undefined;
    const run = async (guided: boolean) => {
      try {
        const r = await applyOperator(model, op, ps, {
          labels: o.labels,
          guided,
          promptSeed,
          seed,
          ...(offer ? { offer } : {}),
          sampleId: `guidance/${guided ? "g" : "n"}/${i}/${op}`,
        });
        const e = await o.evaluate(r.child);
        return {
          moved: value(e) < before,
          problem: structureProblem(op, ps[0].instruction, r.child, o.labels),
        };
      } catch (err) {
        if (!(err instanceof ReplyFormatError)) throw err;
        return { moved: false, problem: "no parseable reply" };
      }
    };
    const [g, n] = [await run(true), await run(false)];
    return {
      operator: op,
      parent: i,
      target,
      guided: g.moved,
      unguided: n.moved,
      problems: [g.problem, n.problem],
    };
  }));
  const byOperator: Record<string, GuidanceSummary> = {};
  for (const op of ops) byOperator[op] = summarise(trials.filter((t) => t.operator === op));
  return { trials, byOperator, total: summarise(trials) };
}
