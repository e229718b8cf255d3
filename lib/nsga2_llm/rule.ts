/**
 * When NSGA-II-LLM asks the LLM (Liu, Chen & Tang, Eq. 8, Algorithm 1): in generation t the LLM is
 * used when S_t − S_{t−1} ≥ δ, else the MOEA's own reproduction. The authors' code adds a warm-up:
 * generations 1–10, and every 4th generation after, are plain MOEA generations whatever the score
 * says (README of the papers: "generations 1–10, and every 4th generation after, are plain NSGA-II").
 *
 * A rule is a plain function, so it can be replaced: {@link adaptiveRule} (the paper's),
 * {@link everyGenerationRule} (the "LLM at every generation" variant of Table II) and
 * {@link neverRule} (the base MOEA alone).
 */

/** What a rule sees. `generation` counts the generation being produced (the initial population is 1). */
export interface RuleInput {
  generation: number;
  /** S_t: the score of the current population. */
  score: number;
  /** S_{t−1}: the score of the previous population (0 before the first, as Algorithm 1 initialises it). */
  previousScore: number;
}

/** Decides whether generation `generation` uses the LLM. */
export type DecisionRule = (input: RuleInput) => boolean;

/** Settings of {@link adaptiveRule}. */
export interface AdaptiveRuleOptions {
  /** Decision threshold δ (default 0.1, the paper's). */
  delta?: number;
  /** Generations 1..warmup are plain (default 10, the authors' code). */
  warmup?: number;
  /** After the warm-up, every `plainEvery`-th generation is plain (default 4; 0 disables). */
  plainEvery?: number;
}

/** The paper's rule with the authors' warm-up: LLM when S_t − S_{t−1} ≥ δ outside plain generations. */
export function adaptiveRule(options: AdaptiveRuleOptions = {}): DecisionRule {
  const delta = options.delta ?? 0.1, warmup = options.warmup ?? 10, plainEvery = options.plainEvery ?? 4;
  if (!Number.isFinite(delta)) throw new RangeError(`adaptiveRule: delta must be finite, got ${delta}`);
  if (!Number.isInteger(warmup) || warmup < 0) {
    throw new RangeError(`adaptiveRule: warmup must be a non-negative integer, got ${warmup}`);
  }
  if (!Number.isInteger(plainEvery) || plainEvery < 0) {
    throw new RangeError(`adaptiveRule: plainEvery must be a non-negative integer, got ${plainEvery}`);
  }
  return ({ generation, score, previousScore }) => {
    if (generation <= warmup) return false;
    if (plainEvery > 0 && generation % plainEvery === 0) return false;
    return score - previousScore >= delta;
  };
}

/** The LLM at every generation after the warm-up (the comparison of the paper's Table II). */
export function everyGenerationRule(options: { warmup?: number } = {}): DecisionRule {
  const warmup = options.warmup ?? 10;
  return ({ generation }) => generation > warmup;
}

/** Never the LLM: the base MOEA alone. */
export function neverRule(): DecisionRule {
  return () => false;
}
