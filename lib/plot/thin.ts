/**
 * Thinning what the eye cannot see: dense point sets and lines reduced to what a figure's pixel grid can
 * show, so that a 10,000-point front is not a 156 KB path nor 8,019 overlapping circles.
 *
 * Both functions work in pixel units through a linear (or log) map of the data's own extent onto the
 * panel's inner size. Plot's `nice` domains are a little wider than the data's extent, so the grid used
 * here is a little finer than the drawn one: no visible point is lost.
 */

/** How one axis maps data to pixels: the data extent, the pixel length, linear or log. */
export interface AxisMap {
  readonly min: number;
  readonly max: number;
  readonly pixels: number;
  readonly log?: boolean;
}

/** The axis map of values drawn over `pixels` pixels (their own extent; log needs positive values). */
export function axisMap(values: Iterable<number>, pixels: number, log = false): AxisMap {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    const t = log ? Math.log10(v) : v;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return { min, max, pixels, log };
}

function toPixel(v: number, a: AxisMap): number {
  const t = a.log ? Math.log10(v) : v;
  return a.max > a.min ? ((t - a.min) / (a.max - a.min)) * a.pixels : 0;
}

/**
 * Indices of the points to draw as marks: the first point of every `cell`-pixel square of the grid
 * (order preserved). Points sharing a square overlap on screen anyway.
 */
export function thinPoints(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  x: AxisMap,
  y: AxisMap,
  cell = 1,
): number[] {
  if (!(cell > 0)) throw new RangeError(`thinPoints: cell must be a positive number of pixels, got ${cell}`);
  const seen = new Set<number>();
  const keep: number[] = [];
  const columns = Math.ceil(x.pixels / cell) + 2;
  for (let i = 0; i < xs.length; i++) {
    const key = Math.floor(toPixel(ys[i], y) / cell) * columns + Math.floor(toPixel(xs[i], x) / cell);
    if (seen.has(key)) continue;
    seen.add(key);
    keep.push(i);
  }
  return keep;
}

/**
 * Indices of the vertices to keep of a polyline (in drawing order): a vertex is dropped when it is less
 * than `tolerance` pixels from the last kept one; the first and last are always kept.
 */
export function thinLine(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  x: AxisMap,
  y: AxisMap,
  tolerance = 0.75,
): number[] {
  const n = xs.length;
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  const keep = [0];
  let px = toPixel(xs[0], x), py = toPixel(ys[0], y);
  for (let i = 1; i < n - 1; i++) {
    const qx = toPixel(xs[i], x), qy = toPixel(ys[i], y);
    if (Math.hypot(qx - px, qy - py) >= tolerance) {
      keep.push(i);
      px = qx;
      py = qy;
    }
  }
  keep.push(n - 1);
  return keep;
}
