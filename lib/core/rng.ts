/**
 * Seeded pseudo-random numbers: one seed, one stream, the same on every machine.
 *
 * The generator is xoshiro128** (Blackman & Vigna 2018) seeded through SplitMix32, all in 32-bit
 * integer arithmetic, so a run is reproducible byte for byte across platforms. The state is four
 * 32-bit words and can be saved (`state()`) and restored (`Rng.fromState`) to resume a run exactly.
 */
export class Rng {
  #s: Uint32Array;

  /** A generator from an integer seed (any safe integer; negative and fractional seeds are rejected). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Rng: seed must be a safe integer, got ${seed}`);
    this.#s = new Uint32Array(4);
    // SplitMix32 over the low and high halves of the seed.
    let z = (seed >>> 0) ^ Math.floor(seed / 4294967296) * 0x9e3779b9;
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e3779b9) | 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
      this.#s[i] = t ^ (t >>> 16);
    }
    if ((this.#s[0] | this.#s[1] | this.#s[2] | this.#s[3]) === 0) this.#s[0] = 1;
  }

  /** Restores a generator saved with {@link Rng.state}. */
  static fromState(state: readonly number[]): Rng {
    const r = new Rng(0);
    r.setState(state);
    return r;
  }

  /** Sets the four state words (as returned by {@link Rng.state}). */
  setState(state: readonly number[]): void {
    if (
      !Array.isArray(state) || state.length !== 4 ||
      state.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff) || state.every((v) => v === 0)
    ) {
      throw new RangeError(
        `Rng: expected four 32-bit unsigned integers, not all 0, got ${JSON.stringify(state)}`,
      );
    }
    this.#s.set(state);
  }

  /** The four state words, for JSON checkpoints. */
  state(): number[] {
    return Array.from(this.#s);
  }

  /** The next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits: 27 from one 32-bit draw and 26 from the next.
   * The two xoshiro128** steps of {@link nextUint32} are written out on local copies of the state
   * (the same bits; the state is read and written once instead of twice).
   */
  random(): number {
    const s = this.#s;
    let s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
    const hi = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 5; // 27 bits
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    const lo = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 6; // 26 bits
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = rotl(s3, 11);
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.random();
  }

  /**
   * A uniform integer in [0, n) without modulo bias: 32-bit draws x are rejected from
   * limit = 2^32 − (2^32 mod n) on, and x mod n is returned.
   *
   * The remainders are written a − ⌊a/n⌋·n, which is exact here (a < 2^32 and n ≤ 2^32 make a/n round
   * down to ⌊a/n⌋ at worst, never up to the next integer) and avoids `%` on doubles, a C call in V8 that
   * cost more than the draw itself.
   */
  int(n: number): number {
    if (!(n >= 1) || n > 0x100000000 || !Number.isInteger(n)) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    if (n === 0x100000000) return this.nextUint32();
    const limit = 0x100000000 - (0x100000000 - Math.floor(0x100000000 / n) * n);
    let x: number;
    do x = this.nextUint32(); while (x >= limit);
    return x - Math.floor(x / n) * n;
  }

  /** A standard normal variate (Marsaglia polar method; the second variate is discarded so that
   * the generator's whole state is its four words). */
  normal(): number {
    let u: number, v: number, s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }

  /**
   * Shuffles `a` in place (Fisher–Yates: for i from the end, swap a[i] with a[j], j = int(i + 1)) and
   * returns it. The draws of {@link int} are written out on local copies of the state (the same bits
   * and rejections; the state is read and written once per shuffle, not once per draw).
   */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    if (a.length > 0x100000000) throw new RangeError(`Rng.shuffle: at most 2^32 elements, got ${a.length}`);
    const s = this.#s;
    let s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
    for (let i = a.length - 1; i > 0; i--) {
      const n = i + 1;
      // the rejection limit 2^32 − (2^32 mod n) is above 2^32 − n: computed only for draws beyond that
      const safe = 0x100000000 - n;
      let x: number;
      do {
        x = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = rotl(s3, 11);
      } while (x > safe && x >= 0x100000000 - (0x100000000 - Math.floor(0x100000000 / n) * n));
      const j = x - Math.floor(x / n) * n;
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return a;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
