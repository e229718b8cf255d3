/**
 * Internal: an ordered set of small integers `0..capacity-1` as a 32-ary tree of bit words.
 *
 * Insert, delete, successor and predecessor each touch one word per level (⌈log32 capacity⌉
 * levels: 3 for 32,768 keys, 4 for a million), using `Math.clz32` to find bits. It replaces the
 * balanced tree of the 3-D hypervolume sweep: keys are the points' ranks along the first axis, so
 * every point that will ever be inserted is known in advance.
 *
 * @module
 */

export class RankSet {
  /** levels[0] is the leaf level (one bit per key); the last level is a single word. */
  levels: Int32Array[] = [];
  #capacity = -1;
  #dirty = 0;

  /** Empties the set and makes room for keys `0..capacity-1`. */
  reset(capacity: number): void {
    if (capacity <= this.#capacity && this.levels.length > 0) {
      // Only the words a previous use could have touched need clearing.
      let words = Math.ceil(Math.max(1, this.#dirty) / 32);
      for (const lv of this.levels) {
        lv.fill(0, 0, Math.min(words, lv.length));
        words = Math.ceil(words / 32);
      }
      this.#dirty = capacity;
      return;
    }
    this.#capacity = capacity;
    this.#dirty = capacity;
    this.levels = [];
    let words = Math.max(1, Math.ceil(capacity / 32));
    while (true) {
      this.levels.push(new Int32Array(words));
      if (words === 1) break;
      words = Math.ceil(words / 32);
    }
  }

  insert(x: number): void {
    const levels = this.levels;
    for (let l = 0; l < levels.length; l++) {
      const w = x >>> 5;
      const lv = levels[l];
      const old = lv[w];
      lv[w] = old | (1 << (x & 31));
      if (old !== 0) return;
      x = w;
    }
  }

  delete(x: number): void {
    const levels = this.levels;
    for (let l = 0; l < levels.length; l++) {
      const w = x >>> 5;
      const lv = levels[l];
      const v = lv[w] & ~(1 << (x & 31));
      lv[w] = v;
      if (v !== 0) return;
      x = w;
    }
  }

  /** Smallest key in the set greater than `x`, or -1. */
  succ(x: number): number {
    const levels = this.levels;
    const L = levels.length;
    let l = 0;
    let i = x + 1;
    while (true) {
      if (l === L) return -1;
      const lv = levels[l];
      const w = i >>> 5;
      if (w >= lv.length) return -1;
      const bits = lv[w] & (-1 << (i & 31));
      if (bits !== 0) {
        i = (w << 5) + (31 - Math.clz32(bits & -bits));
        break;
      }
      i = w + 1;
      l++;
    }
    while (l > 0) {
      l--;
      const b = levels[l][i];
      i = (i << 5) + (31 - Math.clz32(b & -b));
    }
    return i;
  }

  /** Largest key in the set smaller than `x`, or -1. */
  pred(x: number): number {
    const levels = this.levels;
    const L = levels.length;
    let l = 0;
    let i = x - 1;
    while (true) {
      if (l === L || i < 0) return -1;
      const w = i >>> 5;
      const s = i & 31;
      const mask = s === 31 ? -1 : (1 << (s + 1)) - 1;
      const bits = levels[l][w] & mask;
      if (bits !== 0) {
        i = (w << 5) + (31 - Math.clz32(bits));
        break;
      }
      i = w - 1;
      l++;
    }
    while (l > 0) {
      l--;
      i = (i << 5) + (31 - Math.clz32(levels[l][i]));
    }
    return i;
  }
}
