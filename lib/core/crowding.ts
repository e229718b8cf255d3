/**
 * Crowding distance (Deb et al. 2002, NSGA-II, Section III-B): for each point of a front, the sum over
 * objectives of the normalised gap between its two neighbours along that objective,
 *   d_i = Σ_k (f_k[i+1] − f_k[i−1]) / (f_k^max − f_k^min),
 * with the boundary points of every objective set to +Infinity. An objective whose values are all
 * equal contributes nothing. Fronts of one or two points are all +Infinity.
 */
import type { Points } from "./points.ts";

/**
 * Crowding distances of the points `front` (indices into `F`), returned in the same order as `front`.
 */
export function crowdingDistance(F: Points, front: ArrayLike<number>): Float64Array {
  const { data, m } = F;
  const s = front.length;
  const dist = new Float64Array(s);
  if (s <= 2) return dist.fill(Infinity);
  const keys = new Float64Array(s);
  const order = new Int32Array(s);
  for (let k = 0; k < m; k++) {
    for (let t = 0; t < s; t++) {
      keys[t] = data[front[t] * m + k];
      order[t] = t;
    }
    order.sort((a, b) => keys[a] - keys[b] || a - b);
    const lo = keys[order[0]], hi = keys[order[s - 1]];
    dist[order[0]] = Infinity;
    dist[order[s - 1]] = Infinity;
    const range = hi - lo;
    if (range <= 0) continue;
    for (let t = 1; t < s - 1; t++) {
      dist[order[t]] += (keys[order[t + 1]] - keys[order[t - 1]]) / range;
    }
  }
  return dist;
}
