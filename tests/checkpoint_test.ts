/**
 * Checkpoints (issue 16, item 7): a restored state is checked field by field, with an error naming the
 * field (`"abc"` or null in F, a missing population, a changed popSize, a file holding null); stale
 * temporary files of dead processes are removed; the file and its folder are flushed to disk.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type AlgorithmState, StateError } from "../lib/algorithms/algorithm.ts";
import { cleanStaleTemporaries, readCheckpoint, writeCheckpoint } from "../lib/algorithms/minimize.ts";
import { algorithmNames, makeAlgorithm, resumeAlgorithm } from "../lib/algorithms/registry.ts";
import { NSGA2 } from "../lib/algorithms/nsga2.ts";
import { MOPSO } from "../lib/algorithms/mopso.ts";
import { zdt1 } from "../lib/problems/zdt.ts";

const problem = zdt1(5);

function saved(name = "NSGA-II"): AlgorithmState {
  const o: Record<string, unknown> = { popSize: 12, seed: 4 };
  if (name === "R-NSGA-II") o.refPoints = [[0.3, 0.5]];
  const a = makeAlgorithm(name, problem, o);
  a.run({ maxGenerations: 3 });
  return JSON.parse(JSON.stringify(a.toJSON()));
}

// deno-lint-ignore no-explicit-any
type Loose = Record<string, any>;

function edited(edit: (s: Loose) => void, name?: string): AlgorithmState {
  const s = saved(name) as Loose;
  edit(s);
  return s as AlgorithmState;
}

const rejects = (state: unknown, re: RegExp) =>
  assert.throws(
    () => NSGA2.fromJSON(problem, state as AlgorithmState),
    (e: Error) => e instanceof StateError && re.test(e.message),
    String(re),
  );

Deno.test("restore names the bad field: a string or null in F, a missing population, a changed popSize", () => {
  rejects(
    edited((s) => (s.pop.F[3] = "abc")),
    /NSGA-II: the saved state: pop\.F\[3\] is the string "abc", not a finite number/,
  );
  rejects(edited((s) => (s.pop.F[0] = null)), /pop\.F\[0\] is null, not a finite number/);
  rejects(edited((s) => (s.pop.X[7] = Infinity)), /pop\.X\[7\] is number Infinity/);
  rejects(edited((s) => s.pop.F.pop()), /pop\.F has 23 values, expected 24/);
  rejects(edited((s) => delete s.pop), /pop is missing but generation is 3/);
  rejects(edited((s) => (s.pop = null)), /pop is null but generation is 3/);
  rejects(edited((s) => (s.options.popSize = 14)), /pop holds 12 solutions, which does not fit popSize 14/);
  rejects(
    edited((s) => (s.generation = "3")),
    /generation must be a non-negative integer, got the string "3"/,
  );
  rejects(edited((s) => (s.rng = [1, 2])), /rng must be an array of 4 integers/);
  rejects(edited((s) => (s.pending = [0.5, "x"])), /pending\[1\] is the string "x"/);
  rejects(edited((s) => delete s.options), /has no options object/);
  rejects(null, /the saved state is null, not a state object/);
  // an intact state still resumes
  assert.equal(NSGA2.fromJSON(problem, saved()).generation, 3);
});

Deno.test("every registered algorithm refuses a corrupted population with a StateError", () => {
  for (const name of algorithmNames) {
    const bad = edited((s) => (s.pop.F[1] = "abc"), name);
    assert.throws(
      () => resumeAlgorithm(problem, bad),
      (e: Error) => e instanceof StateError && /pop\.F\[1\] is the string "abc"/.test(e.message),
      name,
    );
    assert.equal(resumeAlgorithm(problem, saved(name)).generation, 3, name);
  }
  // MOPSO's own state (the swarm) is checked too
  const m = edited((s) => (s.extra.vel[2] = "fast"), "MOPSO");
  assert.throws(() => MOPSO.fromJSON(problem, m), /extra\.vel\[2\] is the string "fast"/);
});

Deno.test("readCheckpoint: a file holding null, an array or broken JSON is a clear error", () => {
  const dir = Deno.makeTempDirSync({ prefix: "moolab-ckpt-" });
  try {
    const path = join(dir, "state.json");
    for (
      const [text, re] of [["null", /holds null, not a saved state object/], ["[1]", /holds an array/], [
        "{",
        /not valid JSON/,
      ]] as const
    ) {
      Deno.writeTextFileSync(path, text);
      assert.throws(() => readCheckpoint(path), re);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeCheckpoint removes temporaries of dead processes, keeps a live one's, and fsyncs file and folder", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "moolab-ckpt-" });
  const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const path = join(dir, "state.json");
    const done = new Deno.Command("true").spawn();
    const deadPid = done.pid;
    await done.status;
    Deno.writeTextFileSync(`${path}.tmp-${deadPid}`, "{half");
    Deno.writeTextFileSync(`${path}.tmp-${sleeper.pid}`, "{in progress");
    Deno.writeTextFileSync(`${path}.tmp-${Deno.pid}`, "{mine, from before");
    Deno.writeTextFileSync(join(dir, "other.json.tmp-1"), "not ours");
    const original = Deno.FsFile.prototype.syncSync;
    let syncs = 0;
    Deno.FsFile.prototype.syncSync = function (this: Deno.FsFile) {
      syncs++;
      return original.call(this);
    };
    try {
      writeCheckpoint(path, saved());
    } finally {
      Deno.FsFile.prototype.syncSync = original;
    }
    assert.ok(syncs >= 2, `fsync calls: ${syncs}`); // the file, then the folder
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["other.json.tmp-1", `state.json`, `state.json.tmp-${sleeper.pid}`].sort());
    assert.equal(NSGA2.fromJSON(problem, readCheckpoint(path)).generation, 3);
    // once the writer is gone, its temporary goes too
    sleeper.kill("SIGKILL");
    await sleeper.status;
    assert.deepEqual(cleanStaleTemporaries(path), [`${path}.tmp-${sleeper.pid}`]);
  } finally {
    try {
      sleeper.kill("SIGKILL");
      await sleeper.status;
    } catch { /* already gone */ }
    Deno.removeSync(dir, { recursive: true });
  }
});
