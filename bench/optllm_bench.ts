/**
 * OptLLM benchmarks: the whole optimisation (Algorithm 1, GN = 50) on LogPai's 31,360 test queries × 8
 * LLMs (the paper reports 18.14 minutes in Table V), the CSV parse of one LogPai file, the features of
 * all 32,000 queries, one evolutionary baseline generation for comparison, and the training of one
 * 10-tree forest on the 1% training split (320 queries × 256 features) under the old and the new forest
 * settings (where ml-random-forest's time goes: features per tree and thresholds per feature). Uses the
 * real data when present, a synthetic instance of the same size otherwise.
 */
import { dataDir } from "../lib/data.ts";
import { parseCsv } from "../lib/csv.ts";
import { type AllocationData, loadLogPai } from "../lib/optllm/datasets.ts";
import { syntheticInstance } from "../lib/optllm/synthetic.ts";
import { tfidfFeatures } from "../lib/optllm/features.ts";
import { splitIndices, trainForest } from "../lib/optllm/prediction.ts";
import { allocationOf } from "../lib/optllm/problem.ts";
import { optllm } from "../lib/optllm/optimise.ts";
import { runBaseline } from "../lib/optllm/experiment.ts";
import { Rng } from "../lib/core/rng.ts";

const dir = dataDir();
let data: AllocationData;
try {
  data = await loadLogPai();
} catch {
  data = syntheticInstance({ n: 32000, m: 8, seed: 1 });
}
const split = splitIndices(data.n, { seed: 1 });
// predicted accuracies stand-in: the outcomes blurred with seeded noise (the optimiser's cost does not
// depend on where the probabilities come from)
const rng = new Rng(1);
const acc = new Float64Array(split.test.length * data.m);
for (let r = 0; r < split.test.length; r++) {
  for (let k = 0; k < data.m; k++) {
    acc[r * data.m + k] = 0.6 * data.correct[split.test[r] * data.m + k] + 0.4 * rng.random();
  }
}
const inst = allocationOf(data, split.test, acc);

Deno.bench(`OptLLM optimisation, ${inst.n} queries × ${inst.m} LLMs, GN=50`, () => {
  optllm(inst, { GN: 50 });
});

Deno.bench(`NSGA-II baseline, ${inst.n} queries × ${inst.m} LLMs, pop 100, 1 generation`, () => {
  runBaseline("NSGA-II", inst, { popSize: 100, maxGenerations: 1, seed: 1 });
});

if (dir) {
  const text = Deno.readTextFileSync(`${dir}/optllm/log_parsing/togetherModel_Mac_raw.csv`);
  Deno.bench("CSV parse of one LogPai file (2000 rows, 2.7 MB)", () => {
    parseCsv(text, "Mac");
  });
}

Deno.bench(`TF-IDF features of ${data.n} queries, dim 256`, () => {
  tfidfFeatures(data.queries, { dim: 256, fitRows: split.train });
});

{
  const X = tfidfFeatures(data.queries, { dim: 256, fitRows: split.train });
  const y = Array.from(split.train, (i) => data.correct[i * data.m]);
  const forests: [string, { maxFeatures: number | "sqrt"; bins: number }][] = [
    ["20% of the features, raw values (before)", { maxFeatures: 0.2, bins: 0 }],
    ["√d features, raw values", { maxFeatures: "sqrt", bins: 0 }],
    ["√d features, 16 quantile bins (now)", { maxFeatures: "sqrt", bins: 16 }],
  ];
  for (const [name, o] of forests) {
    Deno.bench({
      name: `forest of 10 trees, ${split.train.length} queries × 256 features: ${name}`,
      n: 3,
      warmup: 1,
      fn: () => {
        trainForest(X, split.train, y, { nEstimators: 10, maxDepth: 10, ...o, seed: 1 });
      },
    });
  }
}
