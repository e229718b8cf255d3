/**
 * The speed changes of issue 19 under MOEA/D-DE's ask/tell loop: the slab allocator
 * (lib/core/slab.ts) hands out zero-filled, disjoint arrays; Rng.int, random and shuffle
 * (lib/core/rng.ts) draw exactly what the plain forms drew; evaluatePopulation's one-row path gives
 * the values of the general one.
 */
import assert from "node:assert/strict";
import { float64, SLAB_LENGTH, SLAB_MAX } from "../lib/core/slab.ts";
import { Rng } from "../lib/core/rng.ts";
import { evaluatePopulation } from "../lib/core/population.ts";
import { defineProblem } from "../lib/core/problem.ts";
import { getProblem } from "../lib/problems/mod.ts";
import { constrainedProblem } from "./_support.ts";

Deno.test("float64: zero-filled arrays of the asked length, disjoint, never handed out twice", () => {
  const got: Float64Array[] = [];
  // enough to cross several slab boundaries, with lengths 0 .. SLAB_MAX
  for (let k = 0; k < 3 * SLAB_LENGTH / 50; k++) {
    const n = k % 7 === 0 ? SLAB_MAX : k % 5 === 0 ? 0 : 1 + (k * 37) % 60;
    const a = float64(n);
    assert.ok(a instanceof Float64Array);
    assert.equal(a.length, n);
    assert.ok(a.every((v) => v === 0), `array ${k} is not zero-filled`);
    a.fill(k + 1);
    got.push(a);
  }
  // writing every array with its own value left every other one alone
  got.forEach((a, k) => assert.ok(a.every((v) => v === k + 1), `array ${k} was overwritten`));
  // regions of the same slab do not overlap
  const byBuffer = new Map<ArrayBufferLike, [number, number][]>();
  for (const a of got) {
    if (a.length === 0) continue;
    const list = byBuffer.get(a.buffer) ?? [];
    list.push([a.byteOffset, a.byteOffset + a.byteLength]);
    byBuffer.set(a.buffer, list);
  }
  assert.ok(byBuffer.size >= 2, "the test should cross a slab boundary");
  for (const list of byBuffer.values()) {
    list.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < list.length; i++) assert.ok(list[i][0] >= list[i - 1][1], "overlapping regions");
  }
});

Deno.test("float64: an array longer than SLAB_MAX has a buffer of its own", () => {
  const a = float64(SLAB_MAX + 1);
  assert.equal(a.length, SLAB_MAX + 1);
  assert.equal(a.byteOffset, 0);
  assert.equal(a.buffer.byteLength, 8 * (SLAB_MAX + 1));
});

/** Rng.int as it was written before (remainders with `%`), the reference. */
function intWithModulo(rng: Rng, n: number): number {
  if (n === 0x100000000) return rng.nextUint32();
  const limit = 0x100000000 - (0x100000000 % n);
  let x: number;
  do x = rng.nextUint32(); while (x >= limit);
  return x % n;
}

Deno.test("Rng.int draws what the % form draws, for small, odd, power-of-two and near-2^32 n", () => {
  const ns = [
    1,
    2,
    3,
    7,
    20,
    100,
    101,
    65536,
    65537,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 31 + 1,
    3 ** 20,
    2 ** 32 - 5,
    2 ** 32 - 1,
    2 ** 32,
  ];
  for (const n of ns) {
    const a = new Rng(11), b = new Rng(11);
    for (let k = 0; k < 2000; k++) assert.equal(a.int(n), intWithModulo(b, n), `n = ${n}, draw ${k}`);
    assert.deepEqual(a.state(), b.state(), `n = ${n}: the same number of 32-bit draws`);
  }
});

Deno.test("the remainder a − ⌊a/n⌋·n equals BigInt's a mod n at the edges (a = qn − 1, qn, qn + 1, 2^32 − 1)", () => {
  const rem = (a: number, n: number) => a - Math.floor(a / n) * n;
  const rng = new Rng(5);
  const ns = [1, 2, 3, 97, 2 ** 16 + 1, 2 ** 31 - 1, 2 ** 31 + 1, 2 ** 32 - 1];
  for (let k = 0; k < 300; k++) ns.push(1 + rng.nextUint32());
  for (const n of ns) {
    const as = [0x100000000 - 1, 0x100000000 - 2, n - 1, n, n + 1];
    const top = Math.floor((0x100000000 - 1) / n);
    for (const q of [1, 2, top - 1, top]) if (q >= 1) as.push(q * n - 1, q * n, q * n + 1);
    for (const a of as) {
      if (a < 0 || a >= 0x100000000) continue;
      assert.equal(rem(a, n), Number(BigInt(a) % BigInt(n)), `${a} mod ${n}`);
    }
  }
});

Deno.test("Rng.random is the two-draw formula (hi·2^26 + lo)/2^53 on nextUint32, with the same state after", () => {
  for (const seed of [0, 1, 2, 12345, 2 ** 40 + 3]) {
    const a = new Rng(seed), b = new Rng(seed);
    for (let k = 0; k < 20_000; k++) {
      const hi = b.nextUint32() >>> 5, lo = b.nextUint32() >>> 6;
      assert.equal(a.random(), (hi * 67108864 + lo) / 9007199254740992, `seed ${seed}, draw ${k}`);
      if (k % 997 === 0) a.nextUint32(), b.nextUint32(); // interleaved with plain draws
    }
    assert.deepEqual(a.state(), b.state());
  }
});

Deno.test("Rng.shuffle is Fisher–Yates on int(i + 1), the same permutation and state as drawn one by one", () => {
  const byInt = (rng: Rng, a: unknown[]) => {
    for (let i = a.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  for (const seed of [1, 7, 99]) {
    const a = new Rng(seed), b = new Rng(seed);
    for (const n of [0, 1, 2, 3, 20, 100, 1000, 65537]) {
      const typed = a.shuffle(Int32Array.from({ length: n }, (_, i) => i));
      assert.deepEqual(
        Array.from(typed),
        byInt(b, Array.from({ length: n }, (_, i) => i)),
        `seed ${seed}, n ${n}`,
      );
      const words = a.shuffle(Array.from({ length: n }, (_, i) => `w${i}`));
      assert.deepEqual(words, byInt(b, Array.from({ length: n }, (_, i) => `w${i}`)), `seed ${seed}, n ${n}`);
      assert.deepEqual(a.state(), b.state());
    }
    assert.deepEqual(Array.from(a.permutation(50)), byInt(b, Array.from({ length: 50 }, (_, i) => i)));
  }
});

Deno.test("evaluatePopulation: a single row (evaluated without views) gives what it gives among others", () => {
  const p = constrainedProblem();
  const X = Float64Array.from([0.1, 0.2, 0.7, 0.6, 0.3, 0.9]);
  const all = evaluatePopulation(p, X);
  for (let i = 0; i < 3; i++) {
    const one = evaluatePopulation(p, X.slice(2 * i, 2 * i + 2));
    assert.deepEqual(Array.from(one.F), Array.from(all.F.subarray(2 * i, 2 * i + 2)));
    assert.deepEqual(Array.from(one.G), [all.G[i]]);
    assert.deepEqual(Array.from(one.CV), [all.CV[i]]);
  }
  const free = getProblem("ZDT1");
  const one = evaluatePopulation(free, new Float64Array(30).fill(0.25));
  assert.equal(one.G.length, 0);
  assert.deepEqual(Array.from(one.CV), [0]);
  const bad = defineProblem({ name: "bad", lower: 0, upper: 1, nVar: 2, nObj: 1, objectives: () => [NaN] });
  assert.throws(
    () => evaluatePopulation(bad, Float64Array.from([0.5, 0.25])),
    /bad: objective 0 of solution 0 \(x = \[0\.500000, 0\.250000\]\) is NaN/,
  );
});
