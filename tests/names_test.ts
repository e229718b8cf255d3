import assert from "node:assert/strict";
import {
  algorithmName,
  algorithmNames,
  describeAlgorithm,
  makeAlgorithm,
} from "../lib/algorithms/registry.ts";
import { getProblem, problems } from "../lib/problems/mod.ts";

// One rule for names, algorithms and problems alike: case-insensitive, and an unknown name's error
// (a RangeError) lists every known name.

Deno.test("names: algorithms and problems are found in any case", () => {
  const zdt1 = getProblem("zdt1");
  for (const name of algorithmNames) {
    for (const spelling of [name, name.toLowerCase(), name.toUpperCase()]) {
      assert.equal(algorithmName(spelling), name);
      assert.equal(describeAlgorithm(spelling), describeAlgorithm(name));
    }
  }
  assert.equal(makeAlgorithm("nsga-ii", zdt1, { popSize: 8, seed: 1 }).name, "NSGA-II");
  assert.equal(makeAlgorithm("Moea/D-De", zdt1, { popSize: 8, seed: 1 }).name, "MOEA/D-DE");
  // same seed, any spelling: the same run
  const a = makeAlgorithm("sms-emoa", zdt1, { popSize: 8, seed: 2 }).run({ maxEvaluations: 40 });
  const b = makeAlgorithm("SMS-EMOA", zdt1, { popSize: 8, seed: 2 }).run({ maxEvaluations: 40 });
  assert.deepEqual(a.front, b.front);
  for (const name of Object.keys(problems)) {
    for (const spelling of [name, name.toLowerCase()]) assert.equal(getProblem(spelling).name, name);
  }
});

Deno.test("names: an unknown name is a RangeError listing the known names, for both", () => {
  assert.throws(() => makeAlgorithm("NSGA-IV", getProblem("ZDT1")), (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.equal(e.message, `unknown algorithm "NSGA-IV"; known: ${algorithmNames.join(", ")}`);
    return true;
  });
  assert.throws(() => getProblem("zdt5"), (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.equal(e.message, `getProblem: unknown problem "zdt5"; known: ${Object.keys(problems).join(", ")}`);
    return true;
  });
  // names are looked up as data, not as properties of an object
  assert.throws(() => algorithmName("constructor"), /unknown algorithm "constructor"/);
  assert.throws(() => getProblem("hasOwnProperty"), /unknown problem "hasOwnProperty"/);
});
