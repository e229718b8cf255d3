/**
 * `deno task data [DIR]`: downloads the external benchmark data (never committed) from its public origin
 * into DIR (default: $MOOLAB_DATA_DIR, else ./data-external), verifies every file against its SHA-256,
 * and writes DIR/SHA256SUMS so that `lib/data.ts` (`MOOLAB_DATA_DIR=DIR`) can read it. Files already
 * present with the right checksum are kept. Origins are pinned to commits so the checksums hold
 * (../shared/data/README.md): OptLLM's data at superyue72/OptLLM@4f980b5 (later commits deleted it) and
 * FrugalGPT's at stanford-futuredata/FrugalGPT@2b23e6a.
 *
 * `--verify` only checks the files already in DIR (no network). A wrong checksum is an error naming the
 * file; nothing with a wrong checksum is left under its final name.
 *
 * @module
 */

/** [path under the data directory, origin URL, SHA-256]. */
export const MANIFEST: readonly (readonly [string, string, string])[] = [
  [
    "frugalgpt/HEADLINES/test.csv",
    "https://raw.githubusercontent.com/stanford-futuredata/FrugalGPT/2b23e6a/data/HEADLINES/test.csv",
    "82d632b147fbfa0679f6129b87d7796518ae274ed2a91a1d50c727d97d8c4507",
  ],
  [
    "frugalgpt/HEADLINES/train.csv",
    "https://raw.githubusercontent.com/stanford-futuredata/FrugalGPT/2b23e6a/data/HEADLINES/train.csv",
    "b69ed0c5443eef90525ad9595955d3a60a4d4950cf50760562363677801f1ee4",
  ],
  [
    "frugalgpt/config/serviceidmap.json",
    "https://raw.githubusercontent.com/stanford-futuredata/FrugalGPT/2b23e6a/config/serviceidmap.json",
    "d7731c8997c8159379a4cd9146d784c8c399d6ea228f39e6376ff269c4498c4b",
  ],
  [
    "frugalgpt/config/serviceinfo.json",
    "https://raw.githubusercontent.com/stanford-futuredata/FrugalGPT/2b23e6a/config/serviceinfo.json",
    "cd18c0c668920e3f751e6a04b7689068b7599d38d771b08d3263d1184a156fcf",
  ],
  [
    "frugalgpt/summary/summary_AGNEWS_e8_full_2024.csv",
    "https://raw.githubusercontent.com/stanford-futuredata/FrugalGPT/2b23e6a/summary/summary_AGNEWS_e8_full_2024.csv",
    "aa6243487fe1186484a481d5e5af8fca4777365153bf025b34973fcb38245978",
  ],
  [
    "frugalgpt/summary/summary_COQA_e2_full_2024.csv",
    "https://raw.githubusercontent.com/stanford-futuredata/FrugalGPT/2b23e6a/summary/summary_COQA_e2_full_2024.csv",
    "4d048f3086afcf1b857f121c1ae0995cdd9d535cf09a73571eb4e1645246ccea",
  ],
  [
    "frugalgpt/summary/summary_HEADLINES_e8_full_2024.csv",
    "https://raw.githubusercontent.com/stanford-futuredata/FrugalGPT/2b23e6a/summary/summary_HEADLINES_e8_full_2024.csv",
    "a5bc629f657bb017f73d446e23c935d2934d39c2bfc0f371c76d30d5cf9b3f39",
  ],
  [
    "frugalgpt/summary/summary_OVERRULING_e5_full_2024.csv",
    "https://raw.githubusercontent.com/stanford-futuredata/FrugalGPT/2b23e6a/summary/summary_OVERRULING_e5_full_2024.csv",
    "57e261c822a0beb9bd0904651a4fd2929d7b5911d789cc3f313625799cb457d5",
  ],
  [
    "frugalgpt/summary/summary_SCIQ_e8_full_2024.csv",
    "https://raw.githubusercontent.com/stanford-futuredata/FrugalGPT/2b23e6a/summary/summary_SCIQ_e8_full_2024.csv",
    "6a77e3feb59fab8bb8db0c65d570a4b50bfbc4b24446ec0b58510c76daf8e9fd",
  ],
  [
    "optllm/log_parsing/ai21_Android_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_Android_raw.csv",
    "1661d07506569fc0201978452fb7a075137896f7f8500e7b42775ee8b2e7fe55",
  ],
  [
    "optllm/log_parsing/ai21_Apache_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_Apache_raw.csv",
    "6ea1758fd38351b5ae39b82bb29f992595b90138bca1a720affa21f831684ec7",
  ],
  [
    "optllm/log_parsing/ai21_BGL_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_BGL_raw.csv",
    "07599d98a043a0cc7a26ae32459a83da19c35549af449e88cf775c4a707d02a4",
  ],
  [
    "optllm/log_parsing/ai21_HDFS_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_HDFS_raw.csv",
    "f589854da0cf381ea870e9d76a0cb09ab9e7f0d408556574b09d0271d9744227",
  ],
  [
    "optllm/log_parsing/ai21_HPC_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_HPC_raw.csv",
    "ee6260204e75a8e8a7f7be0f2904726937e823f72b6b16522339aaf199c30036",
  ],
  [
    "optllm/log_parsing/ai21_Hadoop_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_Hadoop_raw.csv",
    "1f422b846f0723efd87a3e9cd02aa777061946519a47c72b42ba62ffc3d55d39",
  ],
  [
    "optllm/log_parsing/ai21_HealthApp_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_HealthApp_raw.csv",
    "1b2e716ce37e23fd617912ebfaa3655a50a98b8f7198ac11b7bbef2b0b12626f",
  ],
  [
    "optllm/log_parsing/ai21_Linux_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_Linux_raw.csv",
    "f5dab79d435c4685c962146015c981d086f7062f6d29f8d6f83303d56ac033ec",
  ],
  [
    "optllm/log_parsing/ai21_Mac_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_Mac_raw.csv",
    "0c168c7d8292d1ad84b5cffb1cbc512659e7a7272af7ae34a412634bcd6cb031",
  ],
  [
    "optllm/log_parsing/ai21_OpenSSH_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_OpenSSH_raw.csv",
    "a723f9c28745e46f8c5f3dc895cd4cc9c30dca842143fb09c5e5e41d21e99410",
  ],
  [
    "optllm/log_parsing/ai21_OpenStack_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_OpenStack_raw.csv",
    "bee45673b15b72296fc4034bcdf21c3c978a7d902a6660f59268b0cff5e66e63",
  ],
  [
    "optllm/log_parsing/ai21_Proxifier_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_Proxifier_raw.csv",
    "1f14069239026a9ad54f00c2fcd9d40def9c1c14abd55047e5bc54b5983c96d0",
  ],
  [
    "optllm/log_parsing/ai21_Spark_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_Spark_raw.csv",
    "fe04515e1ec3d308a6262ebaf52db0ce0751985b5205a8b2d712d61321df72e0",
  ],
  [
    "optllm/log_parsing/ai21_Thunderbird_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_Thunderbird_raw.csv",
    "ae0f77c8a528355c3c9f0f6520514c76d5931e21313b9b74d32f02689b6b606e",
  ],
  [
    "optllm/log_parsing/ai21_Windows_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_Windows_raw.csv",
    "2c29e867732507dbbc1ac6d279be24555465e1e4ff282d1b4aaafb1f68255e03",
  ],
  [
    "optllm/log_parsing/ai21_Zookeeper_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/ai21_Zookeeper_raw.csv",
    "9f83fbb8db13a9e129511ad4162e2ebf6b8692aceb8cbbfed7eb9c301009e1a4",
  ],
  [
    "optllm/log_parsing/togetherModel_Android_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_Android_raw.csv",
    "86f5972d346f274b3168a174084ef8f7dc98d4cfd69b049456fdbd70daef0be8",
  ],
  [
    "optllm/log_parsing/togetherModel_Apache_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_Apache_raw.csv",
    "6487cad0498acb467d0d0bc24363618d384de8f1985b24c96826ccd0aad9855b",
  ],
  [
    "optllm/log_parsing/togetherModel_BGL_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_BGL_raw.csv",
    "0eb4f64c13931a88729001b63d630ebeadc8c4bfa1e823e033510d85f7d6a7e4",
  ],
  [
    "optllm/log_parsing/togetherModel_HDFS_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_HDFS_raw.csv",
    "588fb59b988701db52d6b8f1a1365a86373193401e147fbc3ca5d77ca9b564a7",
  ],
  [
    "optllm/log_parsing/togetherModel_HPC_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_HPC_raw.csv",
    "8ffe3252acfec8150f6ade0dd54f906eb0a981a59a1b57bb812df27c4aec1887",
  ],
  [
    "optllm/log_parsing/togetherModel_Hadoop_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_Hadoop_raw.csv",
    "0fd3bbfebad044d1db5d90b4deab4f0ce22e692d4cfa8eb2e711dd2ed624e6e8",
  ],
  [
    "optllm/log_parsing/togetherModel_HealthApp_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_HealthApp_raw.csv",
    "59710e5b99db1d299c154c992c7e640baaea1f104dc400777a40abaf25c39e32",
  ],
  [
    "optllm/log_parsing/togetherModel_Linux_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_Linux_raw.csv",
    "8cdb0cd66ce6aa70d60a14fda44168008e84d1cd1767d57bae3b7e5047aad05c",
  ],
  [
    "optllm/log_parsing/togetherModel_Mac_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_Mac_raw.csv",
    "6ad1c6c825d52f8f3c12e62d0b16074e3e374f3c114ef7cfa8d2e6c28dd95f7d",
  ],
  [
    "optllm/log_parsing/togetherModel_OpenSSH_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_OpenSSH_raw.csv",
    "2bf6987eafe4c8b36b01836767c875a4d26bb331fdc93185e08eb8e38e5bdcbc",
  ],
  [
    "optllm/log_parsing/togetherModel_OpenStack_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_OpenStack_raw.csv",
    "687a7e6ff1fe9396fa2d1876d67d2e9c329c9bf45dff04cde62bce9f83330c3d",
  ],
  [
    "optllm/log_parsing/togetherModel_Proxifier_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_Proxifier_raw.csv",
    "103aebfaddb61f344b88e7fb63b70d3255523e0c0eb183bf15726532226fc52a",
  ],
  [
    "optllm/log_parsing/togetherModel_Spark_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_Spark_raw.csv",
    "2f117e0ff7530c6b426e301d3fdc4692278af51860eda09db097bb1b1e85f6eb",
  ],
  [
    "optllm/log_parsing/togetherModel_Thunderbird_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_Thunderbird_raw.csv",
    "9f07fbb6413ce049d7da338a07e9b0a5f40ebf86cac80b58d7afe8296ede2a1e",
  ],
  [
    "optllm/log_parsing/togetherModel_Windows_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_Windows_raw.csv",
    "04f23cc1636587c1759eecd57cc132af3f3e87f5e7fec167430f1b617c0d5e39",
  ],
  [
    "optllm/log_parsing/togetherModel_Zookeeper_raw.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/log_parsing/togetherModel_Zookeeper_raw.csv",
    "09025651104ea784a558df12f590837293f65debf61ba0c6b1fdfa9de1adae64",
  ],
  [
    "optllm/text_classification/overruling.csv",
    "https://raw.githubusercontent.com/superyue72/OptLLM/4f980b5/datasets/text_classification/overruling.csv",
    "427e9908a7125e7e1e3518947ca03ad653fe5f66ffd9574a2046d7096d1c0be2",
  ],
];

/** The hex SHA-256 of some bytes. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Throws naming the file when `bytes` do not have the expected checksum. */
export async function verifyBytes(path: string, bytes: Uint8Array<ArrayBuffer>, sha: string): Promise<void> {
  const got = await sha256Hex(bytes);
  if (got !== sha) throw new Error(`${path}: wrong checksum (SHA-256 ${got}, expected ${sha})`);
}

/** What to do with one file: kept (already right), fetched, or verified (--verify). */
export interface FileReport {
  path: string;
  status: "kept" | "fetched" | "verified";
  bytes: number;
}

/** Options of {@link syncData}. */
export interface SyncOptions {
  /** Only verify what is present; a missing file is an error. */
  verifyOnly?: boolean;
  /** Fetches a URL's bytes (default: global fetch); injectable for tests. */
  fetcher?: (url: string) => Promise<Uint8Array<ArrayBuffer>>;
  manifest?: readonly (readonly [string, string, string])[];
  log?: (line: string) => void;
}

async function defaultFetch(url: string): Promise<Uint8Array<ArrayBuffer>> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function readOrNull(path: string): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** Downloads (or verifies) every manifest file into `dir` and writes `dir/SHA256SUMS`. */
export async function syncData(dir: string, options: SyncOptions = {}): Promise<FileReport[]> {
  const manifest = options.manifest ?? MANIFEST;
  const fetcher = options.fetcher ?? defaultFetch;
  const reports: FileReport[] = [];
  for (const [rel, url, sha] of manifest) {
    const path = `${dir}/${rel}`;
    const have = await readOrNull(path);
    if (options.verifyOnly) {
      if (!have) throw new Error(`${path}: missing`);
      await verifyBytes(path, have, sha);
      reports.push({ path: rel, status: "verified", bytes: have.length });
    } else if (have && (await sha256Hex(have)) === sha) {
      reports.push({ path: rel, status: "kept", bytes: have.length });
    } else {
      const bytes = await fetcher(url);
      await verifyBytes(`${url} (for ${path})`, bytes, sha);
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      const tmp = `${path}.part`;
      await Deno.writeFile(tmp, bytes);
      await Deno.rename(tmp, path);
      reports.push({ path: rel, status: "fetched", bytes: bytes.length });
    }
    options.log?.(`${reports[reports.length - 1].status.padEnd(8)} ${rel}`);
  }
  if (!options.verifyOnly) {
    await Deno.writeTextFile(
      `${dir}/SHA256SUMS`,
      manifest.map(([rel, , sha]) => `${sha}  ./${rel}`).join("\n") + "\n",
    );
  }
  return reports;
}

if (import.meta.main) {
  const args = Deno.args.filter((a) => !a.startsWith("--"));
  const verifyOnly = Deno.args.includes("--verify");
  const dir = args[0] ?? Deno.env.get("MOOLAB_DATA_DIR") ?? "data-external";
  const reports = await syncData(dir, { verifyOnly, log: (l) => console.log(l) });
  const total = reports.reduce((s, r) => s + r.bytes, 0);
  console.log(
    `${reports.length} files, ${(total / 1e6).toFixed(1)} MB in ${dir}` +
      (verifyOnly ? " verified" : `; use MOOLAB_DATA_DIR=${dir}`),
  );
}
