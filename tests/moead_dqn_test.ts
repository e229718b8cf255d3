import assert from "node:assert/strict";
import {
  actionWeights,
  fitnessImprovement,
  MOEADDQN,
  QNetwork,
  slidingReward,
} from "../lib/algorithms/moead_dqn.ts";
import { makeAlgorithm, resumeAlgorithm } from "../lib/algorithms/registry.ts";
import { zdt1 } from "../lib/problems/zdt.ts";
import { Rng } from "../lib/core/rng.ts";
import { bytes } from "./_support.ts";

Deno.test("actionWeights: PlatEMO's indexing and the rank reading, by hand", () => {
  // Q = (0.9, 0.1, 0.5, 0.3): ascending order of operators (1-based) 2, 4, 3, 1; PlatEMO's idxs = 5 − that
  // = 3, 1, 2, 4 and prob(k) = table(idxs(k)) with table (70, 28, 10, 8): (10, 70, 28, 8)
  assert.deepEqual(actionWeights([0.9, 0.1, 0.5, 0.3], "platemo"), [10, 70, 28, 8]);
  // by rank: operator 1 has the largest Q (70), then 3 (28), 4 (10), 2 (8)
  assert.deepEqual(actionWeights([0.9, 0.1, 0.5, 0.3], "rank"), [70, 8, 28, 10]);
  // when the ascending order is its own inverse both readings agree: Q = (0.1, 0.9, 0.5, 0.3)
  assert.deepEqual(
    actionWeights([0.1, 0.9, 0.5, 0.3], "platemo"),
    actionWeights([0.1, 0.9, 0.5, 0.3], "rank"),
  );
});

Deno.test("the reward: FIR over the replaced members, the sliding window's best of that action", () => {
  // g_old (1, 2, 0.5), g_new (0.5, 2, 1): members 1 and 2 are replaced (≥), FIR = 0.5/1 + 0/2 = 0.5
  assert.deepEqual(fitnessImprovement([1, 2, 0.5], [0.5, 2, 1]), { fir: 0.5, replaced: [true, true, false] });
  assert.equal(slidingReward([0, 1, 0, -1], [0.2, 0.5, 0.1, 0], 0), 0.2);
  const algo = new MOEADDQN(zdt1(6), { seed: 1, popSize: 10 });
  assert.equal(algo.recordReward(0, 0.2), 0.2);
  assert.equal(algo.recordReward(1, 0.5), 0.5);
  assert.equal(algo.recordReward(0, 0.1), 0.2, "the window still holds action 0's 0.2");
  // the window holds 4N = 40 entries: after 40 more of action 1, action 0's rewards have left it
  for (let k = 0; k < 40; k++) algo.recordReward(1, 0);
  assert.equal(algo.recordReward(0, 0.05), 0.05);
});

Deno.test("Q-update on a scripted transition (linear network), by hand", () => {
  const algo = new MOEADDQN(zdt1(2), { seed: 1, popSize: 10, hidden: [] });
  // Q(s) = W s + b with W = 0, b = (1, 2, 3, 4) in both networks
  algo.net.W[0].fill(0);
  algo.net.b[0].set([1, 2, 3, 4]);
  algo.target.copyFrom(algo.net);
  const s = [0.5, 1, 0.25, 0.75], s2 = [1, 1, 1, 1];
  algo.store(s, 2, 0.5, s2);
  // target t = r + γ max Q_target(s') = 0.5 + 0.95 · 4 = 4.3; Q(s)[2] = 3; error −1.3; the batch of 16
  // copies of the one transition has the same mean gradient: b_2 ← 3 + 0.01 · 1.3, W_2 ← 0.013 s
  const loss = algo.learnStep();
  assert.ok(Math.abs(loss - 0.5 * 1.3 * 1.3) < 1e-12);
  assert.ok(Math.abs(algo.net.b[0][2] - 3.013) < 1e-12);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(algo.net.W[0][2 * 4 + i] - 0.013 * s[i]) < 1e-12);
  assert.deepEqual(Array.from(algo.net.b[0]).filter((_, k) => k !== 2), [1, 2, 4], "other actions untouched");
  assert.deepEqual(Array.from(algo.target.b[0]), [1, 2, 3, 4], "the target is copied every 7th step only");
  // a two-layer network: the gradient matches a finite difference
  const net = new QNetwork([3, 5, 2], new Rng(9));
  const x = [0.3, -0.2, 0.8];
  const before = net.predict(x)[1];
  const probe = QNetwork.fromJSON(net.toJSON());
  probe.train([x], [1], [before + 1], 1e-6);
  assert.ok(probe.predict(x)[1] > before, "a step toward a larger target raises Q");
});

Deno.test("choice: uniform before 300 transitions; after, the weights of the Q order; unseen operators first", () => {
  const algo = new MOEADDQN(zdt1(2), { seed: 3, popSize: 10, hidden: [] });
  algo.net.W[0].fill(0);
  algo.net.b[0].set([0.9, 0.1, 0.5, 0.3]);
  const s = [0.5, 0.5, 0.5, 0.5];
  const draws = 11_600;
  const count = (n: number) => {
    const c = [0, 0, 0, 0];
    for (let k = 0; k < n; k++) c[algo.chooseAction(s)]++;
    return c;
  };
  const within = (c: number[], p: number[]) =>
    c.every((v, k) => Math.abs(v - draws * p[k]) <= 5 * Math.sqrt(draws * p[k] * (1 - p[k])));
  assert.ok(within(count(draws), [0.25, 0.25, 0.25, 0.25]), "uniform while memory ≤ 300");
  for (let k = 0; k <= 300; k++) algo.store(s, 0, 0, s);
  // the window is empty: operator 0 is absent, so it is forced
  assert.deepEqual(count(100), [100, 0, 0, 0]);
  for (let a = 0; a < 3; a++) algo.recordReward(a, 0);
  assert.deepEqual(count(100), [0, 0, 0, 100], "operator 3 has not been seen");
  algo.recordReward(3, 0);
  assert.ok(within(count(draws), [10, 70, 28, 8].map((w) => w / 116)), "PlatEMO's weights (10, 70, 28, 8)");
});

Deno.test("MOEA/D-DQN: seeded, registered, and resumed mid-run it gives the same run", () => {
  const make = () => makeAlgorithm("MOEA/D-DQN", zdt1(8), { seed: 5, popSize: 40, budget: 4000 }) as MOEADDQN;
  const a = make();
  const ra = a.run({ maxGenerations: 100 });
  assert.ok(a.transitions > 300, `learning was exercised (${a.transitions} transitions)`);
  // one operator choice per child: every evaluation after the initial population
  assert.equal(a.counts.reduce((x, y) => x + y, 0), ra.evaluations - 40);
  assert.ok(ra.evaluations - 40 <= 99 * 8, "at most ⌊N/5⌋ children per generation");
  const b = make();
  const rb = b.run({ maxGenerations: 100 });
  assert.deepEqual(bytes(rb.population.F), bytes(ra.population.F));
  const c = make();
  c.run({ maxGenerations: 60 });
  const resumed = resumeAlgorithm(zdt1(8), JSON.parse(JSON.stringify(c.toJSON()))) as MOEADDQN;
  const rc = resumed.run({ maxGenerations: 100 });
  assert.deepEqual(bytes(rc.population.F), bytes(ra.population.F));
  assert.deepEqual(resumed.counts, a.counts);
  assert.deepEqual(resumed.net.toJSON(), a.net.toJSON());
  assert.throws(() => new MOEADDQN(zdt1(), { selection: "greedy" as "rank" }), /selection must be/);
});
