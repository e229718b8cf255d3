/**
 * Test machinery of the LLM layer, kept out of `moolab/llm`: fault plans that make the loopback server
 * misbehave on chosen requests, and the server's request handler without a listening socket.
 *
 * Notebook 06 demonstrates the faults; tests/ use both.
 *
 * @example A 500 on the first request, then normal answers
 * ```ts
 * import { faultSequence } from "moolab/llm/testing";
 *
 * const plan = faultSequence([{ kind: "status", status: 500 }]);
 * if (plan(0, {})?.kind !== "status" || plan(1, {}) !== undefined) throw new Error("wrong plan");
 * ```
 *
 * @module
 */
export { type Fault, type FaultPlan, faultSequence, loopbackHandler } from "./server.ts";
