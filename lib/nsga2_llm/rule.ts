/**
 * When NSGA-II-LLM asks the LLM (Liu, Chen & Tang, Eq. 8, Algorithm 1): the LLM is used when a score
 * rises by at least δ, else the MOEA's own reproduction. Two readings, both here:
 *
 * - **The authors' procedure** (`NSGAIILLM2Q.m`, the default): their loop counter `zong` counts the
 *   generations bred (1 for the first after the initial population; here `generation − 1`, since our
 *   `generation` counts the initial population as 1). Generations with zong ≤ 10, and every zong
 *   divisible by 4, are plain. Otherwise the rule compares two scores `pre` and `now` and asks the LLM
 *   unless `pre == now || pre > now || now − pre < δ`. What `pre` and `now` hold is the wrapper's
 *   business ({@link ScoreComparison} `"authors"`): after every plain generation the code resets
 *   `pre = 0; now = 1`, so the first eligible generation after a plain one always asks the LLM; after an
 *   LLM generation, `pre` is the score just before that LLM step and `now` the score just after it.
 * - **The paper's literal reading** (Eq. 8, {@link paperRule}): every generation compares the score of
 *   the current population with the previous one's (comparison `"paper"`), LLM when S_t − S_{t−1} ≥ δ,
 *   with no warm-up and no forced plain generations.
 *
 * A rule is a plain function, so it can be replaced: {@link adaptiveRule} (the authors'),
 * {@link paperRule}, {@link everyGenerationRule} (the "LLM at every iteration" row of Table II) and
 * {@link neverRule} (the base MOEA alone).
 */

/** What a rule sees. */
export interface RuleInput {
  /** The generation being produced (the initial population is 1; the authors' zong is generation − 1). */
  generation: number;
  /** The later of the two scores compared (`now` in the authors' code, S_t in the paper). */
  score: number;
  /** The earlier of the two (`pre` in the authors' code, S_{t−1} in the paper). */
  previousScore: number;
}

/** Decides whether generation `generation` uses the LLM. */
export type DecisionRule = (input: RuleInput) => boolean;

/**
 * Which two scores the wrapper hands the rule: `"authors"` — (0, 1) after a plain generation, (score
 * before, score after) the last LLM step after an LLM generation; `"paper"` — the scores of the previous
 * and the current population.
 */
export type ScoreComparison = "authors" | "paper";

/** Settings of {@link adaptiveRule}. */
export interface AdaptiveRuleOptions {
  /** Decision threshold δ (default 0.1, the paper's). */
  delta?: number;
  /** Bred generations 1..warmup (zong ≤ warmup) are plain (default 10, the authors' code). */
  warmup?: number;
  /** After the warm-up, every bred generation with zong divisible by `plainEvery` is plain (default 4; 0 disables). */
  plainEvery?: number;
}

function checkDelta(name: string, delta: number): void {
  if (!Number.isFinite(delta)) throw new RangeError(`${name}: delta must be finite, got ${delta}`);
}

function checkCount(name: string, key: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) {
    throw new RangeError(`${name}: ${key} must be a non-negative integer, got ${v}`);
  }
}

/**
 * The authors' rule (`NSGAIILLM2Q.m`): plain when zong ≤ warmup or zong mod plainEvery = 0; else the
 * LLM unless `pre == now || pre > now || now − pre < δ`.
 */
export function adaptiveRule(options: AdaptiveRuleOptions = {}): DecisionRule {
  const delta = options.delta ?? 0.1, warmup = options.warmup ?? 10, plainEvery = options.plainEvery ?? 4;
  checkDelta("adaptiveRule", delta);
  checkCount("adaptiveRule", "warmup", warmup);
  checkCount("adaptiveRule", "plainEvery", plainEvery);
  return ({ generation, score: now, previousScore: pre }) => {
    const zong = generation - 1;
    if (zong <= warmup) return false;
    if (plainEvery > 0 && zong % plainEvery === 0) return false;
    return !(pre === now || pre > now || now - pre < delta);
  };
}

/** The paper's Eq. 8 as written: the LLM when S_t − S_{t−1} ≥ δ, in every generation. */
export function paperRule(options: { delta?: number } = {}): DecisionRule {
  const delta = options.delta ?? 0.1;
  checkDelta("paperRule", delta);
  return ({ score, previousScore }) => score - previousScore >= delta;
}

/** The LLM in every bred generation after the warm-up (zong > warmup; the "each iteration" row of Table II). */
export function everyGenerationRule(options: { warmup?: number } = {}): DecisionRule {
  const warmup = options.warmup ?? 10;
  checkCount("everyGenerationRule", "warmup", warmup);
  return ({ generation }) => generation - 1 > warmup;
}

/** Never the LLM: the base MOEA alone. */
export function neverRule(): DecisionRule {
  return () => false;
}
