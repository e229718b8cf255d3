/**
 * Repair of decision vectors: clipping to the bounds, and rounding of integer variables to the
 * nearest integer inside the bounds (the "rounding repair" of pymoo's integer operators).
 */

/** Clips every row of `X` (row-major, row length = bounds length) into the bounds, in place. */
export function clip(X: Float64Array, lower: Float64Array, upper: Float64Array): void {
  const n = lower.length;
  for (let k = 0; k < X.length; k++) {
    const j = k % n;
    if (X[k] < lower[j]) X[k] = lower[j];
    else if (X[k] > upper[j]) X[k] = upper[j];
  }
}

/** Rounds the integer variables of every row of `X` to the nearest integer within the bounds. */
export function repair(X: Float64Array, lower: Float64Array, upper: Float64Array, integer: Uint8Array): void {
  const n = lower.length;
  for (let k = 0; k < X.length; k++) {
    const j = k % n;
    if (!integer[j]) continue;
    let v = Math.round(X[k]);
    if (v < lower[j]) v = Math.ceil(lower[j]);
    if (v > upper[j]) v = Math.floor(upper[j]);
    X[k] = v;
  }
}
