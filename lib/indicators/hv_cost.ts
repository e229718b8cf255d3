/**
 * The up-front cost guard of exact many-objective hypervolume.
 *
 * Exact hypervolume is #P-hard in the number of objectives m (Bringmann & Friedrich 2010); the best
 * known bound is O(n^{m/3} polylog n) (Chan 2013, "Klee's measure problem made easy", FOCS). The
 * estimate below uses that exponent as an order of magnitude, `m · n^{m/3}` elementary steps for
 * m ≥ 6 (the QHV-II recursion of ./hv_qhv.ts); `5 · n²` for m = 5 (the dimension sweep of
 * ./hv_sweep5.ts: O(n³) at worst, measured to grow like n^1.75 on sphere fronts, 2.0 s for 10,000
 * points), `n²` for the 4-D sweep and `n log₂ n` below. It is a scale, not a prediction: the time
 * depends on the shape of the front as much as on n and m (the 5-D sweep takes 10 ms for 10,000
 * uniform random points, most of them dominated). The default limit 1e10 admits 200 points in 10-D
 * (estimate 4.6e8), 100 in 12-D (1.2e9) and 44,000 in 5-D (about 30 s on a sphere front) and refuses,
 * for example, 500 points in 10-D, 50 in 16-D or 50,000 in 5-D.
 *
 * @module
 */

/** Default limit of {@link estimatedHypervolumeCost} for {@link hypervolume} (about a minute at worst). */
export const DEFAULT_MAX_HV_COST = 1e10;

/** Thrown by {@link hypervolume} when the estimated cost exceeds the caller's limit. */
export class HypervolumeCostError extends RangeError {
  /** The estimate of {@link estimatedHypervolumeCost}. */
  readonly estimate: number;
  /** The limit it exceeded. */
  readonly limit: number;
  /** The error for `n` points in `m` objectives whose estimated cost exceeds `limit`. */
  constructor(n: number, m: number, estimate: number, limit: number) {
    super(
      `hypervolume: exact hypervolume of ${n} points in ${m} objectives is estimated at ${
        estimate.toExponential(1)
      } steps, above the limit maxCost = ${limit.toExponential(1)}; raise maxCost to compute it anyway, ` +
        `or call hypervolumeMonteCarlo(points, ref, { samples, seed }) for an estimate with a stated error`,
    );
    this.name = "HypervolumeCostError";
    this.estimate = estimate;
    this.limit = limit;
  }
}

/**
 * Order-of-magnitude cost (elementary steps) of the exact hypervolume of `n` points in `m` objectives:
 * `n log₂ n` for m ≤ 3, `n²` for m = 4, `5 · n²` for m = 5 (the 5-D sweep), `m · n^{m/3}` for m ≥ 6
 * (Chan's exponent; see the module doc).
 */
export function estimatedHypervolumeCost(n: number, m: number): number {
  if (!(n >= 0) || !(m >= 1)) throw new RangeError(`estimatedHypervolumeCost: bad size n=${n}, m=${m}`);
  if (n <= 1) return n;
  if (m <= 3) return n * Math.log2(n);
  if (m === 4) return n * n;
  if (m === 5) return 5 * n * n;
  return m * Math.pow(n, m / 3);
}
