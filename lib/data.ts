/**
 * External benchmark data (never committed): where it is, and checks that it is what the checksums say.
 *
 * The directory comes from `MOOLAB_DATA_DIR`; without it, `../shared/data` beside the repository is used
 * when it exists (the layout CI and the developers' machines have). Code that needs a dataset calls
 * {@link dataPath}, which returns `undefined` when the data is absent, so that callers fall back to the
 * data the project generates itself. Every file is verified against the `SHA256SUMS` file of the data
 * directory before use; a mismatch is an error naming the file.
 */

/** The external data directory, or undefined when there is none. */
export function dataDir(): string | undefined {
  let env: string | undefined;
  try {
    env = Deno.env.get("MOOLAB_DATA_DIR");
  } catch {
    env = undefined;
  }
  if (env && env.trim() !== "") {
    const dir = env.trim();
    if (!isDir(dir)) throw new Error(`MOOLAB_DATA_DIR is ${dir}, which is not a directory`);
    return dir;
  }
  const beside = new URL("../../shared/data/", import.meta.url).pathname;
  return isDir(beside) ? beside.replace(/\/$/, "") : undefined;
}

function isDir(p: string): boolean {
  try {
    return Deno.statSync(p).isDirectory;
  } catch {
    return false;
  }
}

const sums = new Map<string, Map<string, string>>();

/** The checksums listed in `<dir>/SHA256SUMS` (path without "./" → hex digest). */
export function checksums(dir: string): Map<string, string> {
  let m = sums.get(dir);
  if (m) return m;
  m = new Map();
  let text: string;
  try {
    text = Deno.readTextFileSync(`${dir}/SHA256SUMS`);
  } catch {
    throw new Error(`${dir}/SHA256SUMS is missing: the data directory cannot be verified`);
  }
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const match = line.match(/^([0-9a-f]{64})\s+\*?(?:\.\/)?(.+)$/);
    if (!match) throw new Error(`${dir}/SHA256SUMS, line ${i + 1}: not "<sha256>  <path>"`);
    m!.set(match[2], match[1]);
  });
  sums.set(dir, m);
  return m;
}

/** The hex SHA-256 of some bytes. */
export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

const verified = new Set<string>();

/**
 * Reads `<dir>/<relPath>` after checking it against SHA256SUMS; throws naming the file on a mismatch
 * or when the file is not listed.
 */
export async function readVerified(dir: string, relPath: string): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = await Deno.readFile(`${dir}/${relPath}`);
  const key = `${dir}/${relPath}`;
  if (!verified.has(key)) {
    const want = checksums(dir).get(relPath);
    if (!want) throw new Error(`${key}: not listed in ${dir}/SHA256SUMS`);
    const got = await sha256(bytes);
    if (got !== want) {
      throw new Error(
        `${key}: wrong checksum (SHA-256 ${got}, SHA256SUMS says ${want}); the file is damaged or altered`,
      );
    }
    verified.add(key);
  }
  return bytes;
}

/** The path of a dataset file under the data directory, or undefined when the data is absent. */
export function dataPath(relPath: string): string | undefined {
  const dir = dataDir();
  if (!dir) return undefined;
  try {
    Deno.statSync(`${dir}/${relPath}`);
    return `${dir}/${relPath}`;
  } catch {
    return undefined;
  }
}

/**
 * The 16 LogPai systems of the log-parsing data (`optllm/log_parsing/` of the data directory), used by
 * OptLLM's tables and by MM-MO's events task.
 */
export const LOGPAI_SYSTEMS = [
  "Android",
  "Apache",
  "BGL",
  "HDFS",
  "HPC",
  "Hadoop",
  "HealthApp",
  "Linux",
  "Mac",
  "OpenSSH",
  "OpenStack",
  "Proxifier",
  "Spark",
  "Thunderbird",
  "Windows",
  "Zookeeper",
] as const;
