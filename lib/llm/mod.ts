/**
 * The LLM layer: every LLM call of the project goes through here.
 *
 * - client.ts: the `ChatModel` interface, `OpenAIChatModel` on `npm:openai`, `ask` (re-ask on bad format)
 * - config.ts: `llmConfig` (loopback stand-ins by default, a real endpoint by configuration), `openLLM`
 * - server.ts: the OpenAI-compatible loopback server of stand-ins (`deno task llm-server`); its fault plans
 *   and bare request handler are test machinery, in `moolab/llm/testing` (lib/llm/testing.ts)
 * - standins/: `moolab-numeric` (solutions, NSGA-II-LLM format), `moolab-text` (InstOptima operators)
 * - cache.ts (per-key claims across processes), ledger.ts (with a journal that survives a kill), prices.ts,
 *   tokens.ts, formats.ts, errors.ts, redact.ts (the API key kept out of every output)
 *
 * @module
 */
export * from "./errors.ts";
export * from "./redact.ts";
export * from "./tokens.ts";
export * from "./prices.ts";
export * from "./ledger.ts";
export * from "./cache.ts";
export type { PgCacheOptions, PgResponseCache } from "./pg_cache.ts";
export * from "./formats.ts";
export * from "./client.ts";
export {
  type Fault,
  type FaultPlan,
  type LoopbackOptions,
  type LoopbackServer,
  type ScoredText,
  type ServerStats,
  startLoopbackServer,
  withLoopbackServer,
} from "./server.ts";
export * from "./config.ts";
export * from "./session.ts";
export * from "./standins/mod.ts";
export {
  linearOperator,
  type PromptExample,
  readSolutionPrompt,
  type SolutionPrompt,
} from "./standins/numeric.ts";
export {
  crossover as textCrossover,
  type InstructionPrompt,
  mutate as textMutate,
  readInstructionPrompt,
  type TextEdit,
  type TextOperator,
  units as textUnits,
  vocabulary,
} from "./standins/text.ts";
