/**
 * The auxiliary evaluation function of NSGA-II-LLM (Liu, Chen & Tang, Section IV-A, Eqs. 6–7):
 *
 *   D_v = { d_i ∈ D | d_i finite },  d̄ = mean(D_v) (∞ when D_v is empty),
 *   S = −d̄ + (1/|B|) Σ B_i,
 *
 * with D the crowding distances of the population (Eq. 7) and B_i the front of individual i. The
 * paper's wording ("the index of each individual within its corresponding rank F_i") is ambiguous; we
 * take B_i as the number of its front (1 for the non-dominated front), which is what the authors' code
 * computes (mean front number). A falling d̄ (a crowded population) or a rising mean front number
 * (more of the population dominated) raises S, and a rise of S by at least δ triggers the LLM.
 *
 * The score is a plain function of the population's objectives, so it can be replaced: any
 * `(F: Points, cv?) => number` works as an {@link AuxiliaryScore}.
 */
import type { Points } from "../core/points.ts";
import { nondominatedSort } from "../core/sorting.ts";
import { crowdingDistance } from "../core/crowding.ts";

/** A score of a population; the decision rule compares consecutive scores. */
export type AuxiliaryScore = (F: Points, cv?: ArrayLike<number>) => number;

/** The paper's S (Eq. 6): −mean(finite crowding distances) + mean(front number). */
export function auxiliaryScore(F: Points, cv?: ArrayLike<number>): number {
  const { fronts } = nondominatedSort(F, { cv });
  let sumD = 0, finite = 0, sumB = 0;
  fronts.forEach((front, k) => {
    const d = crowdingDistance(F, front);
    for (let t = 0; t < d.length; t++) {
      if (Number.isFinite(d[t])) {
        sumD += d[t];
        finite++;
      }
    }
    sumB += (k + 1) * front.length;
  });
  const dBar = finite === 0 ? Infinity : sumD / finite;
  return -dBar + sumB / F.n;
}
