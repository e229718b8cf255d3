/**
 * Routing benchmarks on the largest instances: MMLU (14,042 prompts × 2 LLMs) and LogPai (32,000 lines × 8
 * LLMs), 98% test split. Given per-query predictions (here the outcomes blurred with seeded noise — the
 * searches' cost does not depend on where the probabilities come from): OptLLM's optimisation (GN = 50),
 * the cascade's search (every chain of ≤ 3 undominated LLMs × the threshold grid, scored on the 1%
 * validation split) with its scoring on the test split, and the threshold router's sweep (≤ 101
 * thresholds). Needs the data directory.
 */
import { dataDir } from "../lib/data.ts";
import { type AllocationData, loadLogPai } from "../lib/optllm/datasets.ts";
import { splitIndices } from "../lib/optllm/prediction.ts";
import { allocationOf } from "../lib/optllm/problem.ts";
import { optllm } from "../lib/optllm/optimise.ts";
import { Rng } from "../lib/core/rng.ts";
import {
  cascadeCandidates,
  fitCascades,
  loadRouteLLM,
  runCascade,
  sweepThresholds,
  thresholdRouter,
  undominatedModels,
} from "../lib/routing/mod.ts";

if (dataDir()) {
  for (const data of [await loadRouteLLM("mmlu"), await loadLogPai()] as AllocationData[]) {
    const split = splitIndices(data.n, { seed: 1 });
    const rng = new Rng(1);
    const blur = (rows: Int32Array) => {
      const p = new Float64Array(rows.length * data.m);
      for (let r = 0; r < rows.length; r++) {
        for (let k = 0; k < data.m; k++) {
          p[r * data.m + k] = 0.6 * data.correct[rows[r] * data.m + k] + 0.4 * rng.random();
        }
      }
      return p;
    };
    const pTest = blur(split.test), pVal = blur(split.val);
    const inst = allocationOf(data, split.test, pTest);
    const tag = `${data.name}, ${split.test.length} test queries × ${data.m} LLMs`;
    Deno.bench({
      name: `OptLLM optimisation (GN = 50), ${tag}`,
      n: 5,
      warmup: 1,
      fn: () => {
        optllm(inst, { GN: 50 });
      },
    });
    const pool = undominatedModels(data, Int32Array.from([...split.train, ...split.val]));
    Deno.bench({
      name: `cascade search on the validation split and test scoring, ${tag}`,
      n: 5,
      warmup: 1,
      fn: () => {
        const fitted = fitCascades(data, split.val, pVal, cascadeCandidates(pool));
        for (const c of fitted) runCascade(data, split.test, pTest, c, data.m - 1);
      },
    });
    const pWin = Float64Array.from(split.test, (_, r) => pTest[r * data.m + data.m - 1]);
    Deno.bench({
      name: `threshold sweep (≤ 101 thresholds), ${tag}`,
      n: 5,
      warmup: 1,
      fn: () => {
        thresholdRouter(data, split.test, pWin, data.m - 1, 0, sweepThresholds(pWin));
      },
    });
  }
}
