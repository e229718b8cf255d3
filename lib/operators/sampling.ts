/**
 * Initial populations: uniform random sampling and Latin hypercube sampling (McKay et al. 1979),
 * both within the bounds, with integer variables rounded (see {@link repair}).
 */
import type { Rng } from "../core/rng.ts";
import { repair } from "./repair.ts";

/** `count` points uniform in the box [lower, upper], row-major. */
export function randomSampling(
  rng: Rng,
  count: number,
  lower: Float64Array,
  upper: Float64Array,
  integer?: Uint8Array,
): Float64Array {
  const n = lower.length;
  const X = new Float64Array(count * n);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < n; j++) X[i * n + j] = lower[j] + (upper[j] - lower[j]) * rng.random();
  }
  if (integer) repair(X, lower, upper, integer);
  return X;
}

/**
 * Latin hypercube sampling: each variable's range is cut into `count` equal strata, each stratum is
 * used once, with a uniform position inside it; the strata are paired across variables at random.
 */
export function latinHypercubeSampling(
  rng: Rng,
  count: number,
  lower: Float64Array,
  upper: Float64Array,
  integer?: Uint8Array,
): Float64Array {
  const n = lower.length;
  const X = new Float64Array(count * n);
  for (let j = 0; j < n; j++) {
    const perm = rng.permutation(count);
    const w = (upper[j] - lower[j]) / count;
    for (let i = 0; i < count; i++) X[i * n + j] = lower[j] + w * (perm[i] + rng.random());
  }
  if (integer) repair(X, lower, upper, integer);
  return X;
}
