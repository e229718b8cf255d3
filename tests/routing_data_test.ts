import assert from "node:assert/strict";
import { dataDir, sha256 } from "../lib/data.ts";
import { parseCsv } from "../lib/csv.ts";
import {
  estimateTokens,
  loadRouteLLM,
  MMLU_SUBJECTS,
  ROUTELLM_MODELS,
  routellmFromCsv,
} from "../lib/routing/routellm.ts";
import { singlePoints } from "../lib/routing/points.ts";

const HEADER = "prompt,mistralai/Mixtral-8x7B-Instruct-v0.1,gpt-4-1106-preview";
const GOOD = `${HEADER},mistralai/Mixtral-8x7B-Instruct-v0.1_response,gpt-4-1106-preview_response\n` +
  `"What is 2+2?",True,True,"It is 4.","4"\n` +
  `"A 16-character?",False,True,"no idea at all!!","The answer is 12345678"\n`;

/** Writes GSM8K-layout bytes and a SHA256SUMS that lists them (so only the parse can fail). */
async function fakeDir(gsm8k: string): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/routellm/gsm8k`, { recursive: true });
  const bytes = new TextEncoder().encode(gsm8k);
  await Deno.writeFile(`${dir}/routellm/gsm8k/gsm8k_responses.csv`, bytes);
  await Deno.writeTextFile(
    `${dir}/SHA256SUMS`,
    `${await sha256(bytes)}  ./routellm/gsm8k/gsm8k_responses.csv\n`,
  );
  return dir;
}

Deno.test("routellmFromCsv: correctness, and cost = ⌈chars/4⌉ of prompt + own response × the paper's price", () => {
  const t = routellmFromCsv(parseCsv(GOOD, "g.csv"), { responses: true });
  assert.deepEqual(Array.from(t.correct), [1, 1, 0, 1]);
  const [mix, gpt4] = ROUTELLM_MODELS;
  assert.equal(mix.usdPerMillionTokens, 0.24);
  assert.equal(gpt4.usdPerMillionTokens, 24.7);
  // row 2: prompt 16 chars → 4 tokens; Mixtral's response 16 chars → 4; GPT-4's 22 chars → 6
  assert.equal(estimateTokens("A 16-character?"), 4);
  assert.ok(Math.abs(t.cost[2] - (8 * 0.24) / 1e6) < 1e-18);
  assert.ok(Math.abs(t.cost[3] - (10 * 24.7) / 1e6) < 1e-18);
  // MMLU layout: no responses, one answer token
  const mm = routellmFromCsv(parseCsv(`${HEADER}\n"Q?\nA. x",True,False\n`, "m.csv"), { responses: false });
  assert.deepEqual(Array.from(mm.correct), [1, 0]);
  assert.ok(Math.abs(mm.cost[1] - ((2 + 1) * 24.7) / 1e6) < 1e-18);
});

Deno.test("loadRouteLLM rejects damaged files naming file, row and column", async () => {
  const good = await fakeDir(GOOD);
  const g = await loadRouteLLM("gsm8k", { dir: good });
  assert.equal(g.n, 2);
  assert.deepEqual(g.models, ["Mixtral-8x7B", "GPT-4"]);
  const bad = await fakeDir(GOOD.replace(`"A 16-character?",False,True`, `"A 16-character?",False,maybe`));
  await assert.rejects(
    () => loadRouteLLM("gsm8k", { dir: bad }),
    /gsm8k_responses\.csv: row 2 \(line 3\), column gpt-4-1106-preview: "maybe" is not True or False/,
  );
  const missing = await fakeDir(GOOD.replace("gpt-4-1106-preview_response", "gpt4_resp"));
  await assert.rejects(
    () => loadRouteLLM("gsm8k", { dir: missing }),
    /gsm8k_responses\.csv.*gpt-4-1106-preview_response/,
  );
  const ragged = await fakeDir(GOOD.replace(`,"It is 4.","4"`, `,"It is 4."`));
  await assert.rejects(
    () => loadRouteLLM("gsm8k", { dir: ragged }),
    /gsm8k_responses\.csv: row 1 \(line 2\)/,
  );
  // altered after the checksum was taken
  await Deno.writeTextFile(
    `${good}/routellm/gsm8k/gsm8k_responses.csv`,
    GOOD.replace("True,True", "True,False"),
  );
  const fresh = await Deno.makeTempDir();
  await Deno.mkdir(`${fresh}/routellm/gsm8k`, { recursive: true });
  await Deno.copyFile(
    `${good}/routellm/gsm8k/gsm8k_responses.csv`,
    `${fresh}/routellm/gsm8k/gsm8k_responses.csv`,
  );
  await Deno.copyFile(`${good}/SHA256SUMS`, `${fresh}/SHA256SUMS`);
  await assert.rejects(() => loadRouteLLM("gsm8k", { dir: fresh }), /gsm8k_responses\.csv: wrong checksum/);
  await assert.rejects(
    () => loadRouteLLM("mmlu", { dir: good, subjects: ["astrology"] }),
    /unknown MMLU subject/,
  );
});

Deno.test({
  name: "loadRouteLLM on the real data: sizes and the accuracies the data README measured",
  ignore: dataDir() === undefined,
  fn: async () => {
    const g = await loadRouteLLM("gsm8k");
    assert.equal(g.n, 1319);
    const sg = singlePoints(g, Array.from({ length: g.n }, (_, i) => i), 1);
    assert.equal(sg[0].acc.toFixed(4), "0.6384");
    assert.equal(sg[1].acc.toFixed(4), "0.8567");
    assert.ok(sg[1].cost / sg[0].cost > 50, "GPT-4 ≈ 100× Mixtral's price");
    const m = await loadRouteLLM("mmlu");
    assert.equal(m.n, 14042);
    assert.equal(MMLU_SUBJECTS.length, 57);
    const sm = singlePoints(m, Array.from({ length: m.n }, (_, i) => i), 1);
    assert.equal(sm[0].acc.toFixed(4), "0.6808");
    assert.equal(sm[1].acc.toFixed(4), "0.8058");
  },
});
