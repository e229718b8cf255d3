/**
 * OptLLM benchmarks: the whole optimisation (Algorithm 1, GN = 50) on LogPai's 31,360 test queries × 8
 * LLMs (the paper reports 18.14 minutes in Table V), the CSV parse of one LogPai file, the features of
 * all 32,000 queries, and one evolutionary baseline generation for comparison. Uses the real data when
 * present, a synthetic instance of the same size otherwise.
 */
import { dataDir } from "../lib/data.ts";
import { parseCsv } from "../lib/csv.ts";
import { type AllocationData, loadLogPai } from "../lib/optllm/datasets.ts";
import { syntheticInstance } from "../lib/optllm/synthetic.ts";
import { tfidfFeatures } from "../lib/optllm/features.ts";
import { splitIndices } from "../lib/optllm/prediction.ts";
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
  runBaseline("NSGA-II", inst, { popSize: 100, generations: 1, seed: 1 });
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
