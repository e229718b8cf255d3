import assert from "node:assert/strict";
import { checksums, dataDir, readVerified, sha256 } from "../lib/data.ts";

Deno.test("readVerified: a listed file with the right checksum reads; damage and unlisted files are named", async () => {
  const dir = Deno.makeTempDirSync();
  const good = new TextEncoder().encode("a,b\n1,2\n");
  Deno.mkdirSync(`${dir}/set`);
  Deno.writeFileSync(`${dir}/set/good.csv`, good);
  Deno.writeFileSync(`${dir}/set/bad.csv`, good);
  Deno.writeFileSync(`${dir}/set/extra.csv`, good);
  const h = await sha256(good);
  Deno.writeTextFileSync(`${dir}/SHA256SUMS`, `${h}  ./set/good.csv\n${"0".repeat(64)}  ./set/bad.csv\n`);
  assert.deepEqual(await readVerified(dir, "set/good.csv"), good);
  await assert.rejects(
    readVerified(dir, "set/bad.csv"),
    /set\/bad\.csv: wrong checksum \(SHA-256 [0-9a-f]{64}, SHA256SUMS says 0{64}\)/,
  );
  await assert.rejects(readVerified(dir, "set/extra.csv"), /set\/extra\.csv: not listed in/);
  assert.equal(checksums(dir).size, 2);
  const broken = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${broken}/SHA256SUMS`, "not a checksum line\n");
  assert.throws(() => checksums(broken), /SHA256SUMS, line 1: not "<sha256> {2}<path>"/);
  Deno.removeSync(dir, { recursive: true });
  Deno.removeSync(broken, { recursive: true });
});

Deno.test("dataDir: MOOLAB_DATA_DIR wins, and a wrong one is an error", () => {
  const old = Deno.env.get("MOOLAB_DATA_DIR");
  const dir = Deno.makeTempDirSync();
  try {
    Deno.env.set("MOOLAB_DATA_DIR", dir);
    assert.equal(dataDir(), dir);
    Deno.env.set("MOOLAB_DATA_DIR", `${dir}/missing`);
    assert.throws(() => dataDir(), /MOOLAB_DATA_DIR is .*missing, which is not a directory/);
  } finally {
    if (old === undefined) Deno.env.delete("MOOLAB_DATA_DIR");
    else Deno.env.set("MOOLAB_DATA_DIR", old);
    Deno.removeSync(dir, { recursive: true });
  }
});
