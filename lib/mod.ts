/**
 * moolab: multi-objective optimisation with large language models, for Deno notebooks.
 *
 * One import for notebooks: `import * as moo from "../lib/mod.ts"` or named imports from here.
 * Each part is also importable on its own (lib/core, lib/algorithms, lib/problems, lib/indicators,
 * lib/plot, lib/experiment).
 *
 * @module
 */
export * from "./core/mod.ts";
export * from "./algorithms/mod.ts";
export * from "./problems/mod.ts";
export * from "./indicators/mod.ts";
export * from "./plot/mod.ts";
export * from "./experiment/mod.ts";
export { pick, type Profile, profile } from "./profile.ts";
export * from "./llm/mod.ts";
export * from "./nsga2_llm/mod.ts";
export * as optllm from "./optllm/mod.ts";
export * as routing from "./routing/mod.ts";
export * as mmMO from "./mm_mo/mod.ts";
export { columnIndex, type Csv, csvObjects, numberAt, parseCsv, parseCsvRecords } from "./csv.ts";
export { checksums, dataDir, dataPath, readVerified, sha256 } from "./data.ts";
export * as instoptima from "./instoptima/mod.ts";
