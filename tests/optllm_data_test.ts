import assert from "node:assert/strict";
import { sha256 } from "../lib/data.ts";
import { parseCsv } from "../lib/csv.ts";
import {
  loadLogPai,
  loadOverruling,
  LOGPAI_PRICES,
  overrulingFromCsv,
  subset,
} from "../lib/optllm/datasets.ts";
import { syntheticInstance } from "../lib/optllm/synthetic.ts";
import { hashedNgramCounts, tfidfFeatures } from "../lib/optllm/features.ts";
import { syncData, verifyBytes } from "../tools/data.ts";

Deno.test("parseCsv: quoted commas, newlines and doubled quotes; CRLF; trailing empty field", () => {
  const text = 'a,b,c\r\n1,"x, y","say ""hi""\nthere"\n2,,\n\n3,"",z';
  const csv = parseCsv(text, "t.csv");
  assert.deepEqual(csv.header, ["a", "b", "c"]);
  assert.deepEqual(csv.rows, [["1", "x, y", 'say "hi"\nthere'], ["2", "", ""], ["3", "", "z"]]);
  assert.deepEqual(Array.from(csv.lines), [2, 4, 6]);
});

Deno.test("parseCsv: ragged rows, unterminated quotes and stray quotes are named with file and line", () => {
  assert.throws(
    () => parseCsv("a,b\n1,2\n3\n", "r.csv"),
    /r\.csv: row 2 \(line 3\) has 1 fields, the header has 2/,
  );
  assert.throws(
    () => parseCsv('a,b\n1,"2\n', "u.csv"),
    /u\.csv: record 2 \(line 2\), field 2: unterminated quoted field/,
  );
  assert.throws(
    () => parseCsv('a,b\n1,x"y\n', "s.csv"),
    /s\.csv: record 2 \(line 2\), field 2: a quote inside/,
  );
  assert.throws(() => parseCsv("", "e.csv"), /e\.csv: empty file/);
});

/** Writes a one-system LogPai pair (togetherModel + ai21) and its SHA256SUMS into a temp dir. */
async function fakeLogPai(
  rows: string[][],
  mutate?: (t: string[][], a: string[][]) => void,
): Promise<string> {
  const dir = Deno.makeTempDirSync();
  Deno.mkdirSync(`${dir}/optllm/log_parsing`, { recursive: true });
  const together = LOGPAI_PRICES.filter((p) => p.file === "togetherModel").map((p) => p.column);
  const tHead = ["LineId", "Content", "EventTemplate"];
  for (const c of together) {
    tHead.push(`${c}_prompt_token_num`, `${c}_completion_tokens_num`, `${c}_template`);
  }
  const aHead = ["LineId", "Content", "EventTemplate", "token_num", "j2_mid_template", "j2_ultra_template"];
  const t: string[][] = [tHead], a: string[][] = [aHead];
  rows.forEach(([id, content, truth], r) => {
    const tr = [id, content, truth];
    together.forEach((_, k) => tr.push("100", "10", k % 2 === 0 ? truth : "wrong"));
    t.push(tr);
    a.push([id, content, truth, "90", r % 2 === 0 ? ` ${truth} ` : "no", "no"]);
  });
  mutate?.(t, a);
  const enc = (x: string[][]) =>
    new TextEncoder().encode(
      x.map((r) => r.map((v) => `"${v.replaceAll('"', '""')}"`).join(",")).join("\n") + "\n",
    );
  const files: [string, Uint8Array<ArrayBuffer>][] = [
    ["optllm/log_parsing/togetherModel_Apache_raw.csv", enc(t)],
    ["optllm/log_parsing/ai21_Apache_raw.csv", enc(a)],
  ];
  let sums = "";
  for (const [rel, b] of files) {
    Deno.writeFileSync(`${dir}/${rel}`, b);
    sums += `${await sha256(b)}  ./${rel}\n`;
  }
  Deno.writeTextFileSync(`${dir}/SHA256SUMS`, sums);
  return dir;
}

Deno.test("loadLogPai: costs from tokens × price, correctness by trimmed template equality", async () => {
  const dir = await fakeLogPai([["1", 'open, file "x"\nnext', "open <*>"], ["2", "close", "close <*>"]]);
  const d = await loadLogPai({ dir, systems: ["Apache"] });
  assert.equal(d.n, 2);
  assert.equal(d.m, 8);
  assert.deepEqual(d.models, LOGPAI_PRICES.map((p) => p.name));
  assert.equal(d.queries[0], 'open, file "x"\nnext');
  const mid = d.models.indexOf("J2-Mid"), mix = d.models.indexOf("Mixtral-8x7B");
  assert.ok(Math.abs(d.cost[mid] - 90 * 10 / 1e6) < 1e-15);
  assert.ok(Math.abs(d.cost[mix] - 110 * 0.6 / 1e6) < 1e-15);
  assert.equal(d.correct[mid], 1); // " open <*> " trimmed
  assert.equal(d.correct[d.m + mid], 0);
  assert.equal(d.correct[mix], 1);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("loadLogPai: missing columns, non-numeric tokens, mismatched LineId, wrong checksum are named", async () => {
  const rows = [["1", "a", "a"], ["2", "b", "b"]];
  let dir = await fakeLogPai(rows, (_, a) => a.forEach((r) => r.splice(3, 1)));
  await assert.rejects(
    loadLogPai({ dir, systems: ["Apache"] }),
    /ai21_Apache_raw\.csv: missing column token_num/,
  );
  dir = await fakeLogPai(rows, (t) => (t[2][3] = "lots"));
  await assert.rejects(
    loadLogPai({ dir, systems: ["Apache"] }),
    /togetherModel_Apache_raw\.csv: row 2 \(line 3\), column Nous_Mixtral_prompt_token_num: "lots" is not a number/,
  );
  dir = await fakeLogPai(rows, (_, a) => (a[1][0] = "7"));
  await assert.rejects(
    loadLogPai({ dir, systems: ["Apache"] }),
    /ai21_Apache_raw\.csv: row 1 \(line 2\), column LineId/,
  );
  dir = await fakeLogPai(rows);
  Deno.writeTextFileSync(`${dir}/optllm/log_parsing/ai21_Apache_raw.csv`, "LineId\n1\n");
  await assert.rejects(loadLogPai({ dir, systems: ["Apache"] }), /ai21_Apache_raw\.csv: wrong checksum/);
  await assert.rejects(loadLogPai({ dir, systems: ["Nope"] }), /unknown system Nope/);
});

Deno.test("overrulingFromCsv: reads cost and 0/1 outcomes; bad cost, bad outcome and ragged rows are named", () => {
  const models = ["a", "b"];
  const ok = parseCsv("content,a_cost,b_cost,a,b\nq1,0.1,0.2,1,0\nq2,0.3,0.4,0,1\n", "o.csv");
  const d = overrulingFromCsv(ok, models);
  assert.deepEqual(Array.from(d.cost), [0.1, 0.2, 0.3, 0.4]);
  assert.deepEqual(Array.from(d.correct), [1, 0, 0, 1]);
  assert.throws(
    () => overrulingFromCsv(parseCsv("content,a_cost,b_cost,a,b\nq1,cheap,0.2,1,0\n", "o.csv"), models),
    /o\.csv: row 1 \(line 2\), column a_cost: "cheap" is not a number/,
  );
  assert.throws(
    () => overrulingFromCsv(parseCsv("content,a_cost,b_cost,a,b\nq1,0.1,0.2,2,0\n", "o.csv"), models),
    /o\.csv: row 1 \(line 2\), column a: 2 is not 0 or 1/,
  );
  assert.throws(
    () => overrulingFromCsv(parseCsv("content,a_cost,a,b\nq,1,1,1\n", "o.csv"), models),
    /missing column b_cost/,
  );
  assert.throws(() => parseCsv("content,a_cost\nq,1,2\n", "o.csv"), /row 1 \(line 2\) has 3 fields/);
});

Deno.test("the real data, when present: 32,000 LogPai queries (Mixtral 0.5911) and 2,160 OVERRULING", async () => {
  let d;
  try {
    d = await loadLogPai({ systems: ["Apache", "HDFS"] });
  } catch (e) {
    if (/no data directory/.test((e as Error).message)) return;
    throw e;
  }
  assert.equal(d.n, 4000);
  const o = await loadOverruling();
  assert.equal(o.n, 2160);
  assert.equal(o.m, 12);
  const s = subset(o, [5, 1]);
  assert.equal(s.queries[0], o.queries[5]);
  assert.deepEqual(Array.from(s.cost.subarray(12, 24)), Array.from(o.cost.subarray(12, 24)));
});

Deno.test("syntheticInstance: seeded, shaped, correlated success and spread prices", () => {
  const a = syntheticInstance({ n: 500, m: 6, seed: 3 }), b = syntheticInstance({ n: 500, m: 6, seed: 3 });
  assert.deepEqual(a.cost, b.cost);
  assert.deepEqual(a.correct, b.correct);
  assert.deepEqual(a.queries, b.queries);
  assert.notDeepEqual(syntheticInstance({ n: 500, m: 6, seed: 4 }).correct, a.correct);
  const ratio = a.cost[5] / a.cost[0];
  assert.ok(ratio > 20 && ratio < 500, `price spread ${ratio}`);
  // success of the two dearest models is positively correlated across queries
  let n11 = 0, n1x = 0, nx1 = 0;
  for (let i = 0; i < a.n; i++) {
    const u = a.correct[i * 6 + 4], v = a.correct[i * 6 + 5];
    n11 += u & v, n1x += u, nx1 += v;
  }
  assert.ok(n11 / a.n > (n1x / a.n) * (nx1 / a.n), "positive correlation");
  assert.throws(() => syntheticInstance({ n: 0 }), /n must be a positive integer/);
});

Deno.test("features: hashed n-grams are deterministic; TF-IDF rows are unit length", () => {
  const texts = ["Open file /tmp/a", "open FILE /tmp/b", ""];
  const c = hashedNgramCounts(texts, { dim: 64 });
  assert.equal(c.data.length, 3 * 64);
  assert.deepEqual(hashedNgramCounts(texts, { dim: 64 }).data, c.data);
  const f = tfidfFeatures(texts, { dim: 64 });
  for (let i = 0; i < 2; i++) {
    let s = 0;
    for (let j = 0; j < 64; j++) s += f.data[i * 64 + j] ** 2;
    assert.ok(Math.abs(s - 1) < 1e-5);
  }
  assert.ok(f.data.subarray(128).every((v) => v === 0));
  assert.throws(() => hashedNgramCounts(texts, { dim: 0 }), /dim must be a positive integer/);
});

Deno.test("tools/data.ts: fetches through an injected fetcher, verifies, keeps good files, rejects damage", async () => {
  const dir = Deno.makeTempDirSync();
  const body = new TextEncoder().encode("x,y\n1,2\n");
  const sha = await sha256(body);
  const manifest = [["set/a.csv", "https://example.invalid/a.csv", sha]] as const;
  let calls = 0;
  const fetcher = (_: string) => (calls++, Promise.resolve(body.slice()));
  let r = await syncData(dir, { manifest, fetcher });
  assert.equal(r[0].status, "fetched");
  assert.match(Deno.readTextFileSync(`${dir}/SHA256SUMS`), new RegExp(`^${sha}  \\./set/a\\.csv\\n$`));
  r = await syncData(dir, { manifest, fetcher });
  assert.equal(r[0].status, "kept");
  assert.equal(calls, 1);
  assert.equal((await syncData(dir, { manifest, verifyOnly: true }))[0].status, "verified");
  Deno.writeTextFileSync(`${dir}/set/a.csv`, "tampered");
  await assert.rejects(syncData(dir, { manifest, verifyOnly: true }), /set\/a\.csv: wrong checksum/);
  const bad = () => Promise.resolve(new TextEncoder().encode("evil"));
  await assert.rejects(syncData(dir, { manifest, fetcher: bad }), /a\.csv.*wrong checksum/);
  await assert.rejects(verifyBytes("f", body.slice(), "0".repeat(64)), /f: wrong checksum/);
  Deno.removeSync(dir, { recursive: true });
});
