/**
 * The LLM layer's own overhead: tokenizer, parser, stand-ins, a full round trip through `npm:openai`
 * to the loopback server, and a cache hit. (The time of a real LLM is the endpoint's, not ours.)
 */
import {
  countTokens,
  numericStandIn,
  OpenAIChatModel,
  parseSolutions,
  requestRng,
  ResponseCache,
  startLoopbackServer,
  textStandIn,
} from "../lib/llm/mod.ts";

const D = 30;
const examples = Array.from({ length: 5 }, (_, i) => {
  const x = Array.from({ length: D }, (_, d) => ((i * 37 + d * 11) % 100) / 100);
  return `solution: <start>${x.map((v) => v.toFixed(3)).join(",")}<end>\n\nobj_value: ${(5 - i).toFixed(3)}`;
});
const PROMPT =
  "You are an expert in multi-objective optimization algorithms. Your task is to generate improved " +
  `solutions with better objective values through given solutions.\n\nI have several solutions, all of which are in ` +
  `the form of ${D} dimensional decision vectors in [0, 1].\n\n${
    examples.join("\n\n")
  }\n\nSimply output three new ` +
  "solutions with better objective values. Each solution must start with <start> and end with <end>.";
const numericRequest = {
  model: "moolab-numeric",
  messages: [{ role: "user", content: PROMPT }],
  temperature: 1,
  seed: 1,
  choice: 0,
};
const reply = numericStandIn.respond(numericRequest, requestRng(numericRequest));
const INST =
  "Definition: The input are sentences about a product or service. The task is to classify texts. " +
  "Here are some examples in the following.";
const textRequest = {
  model: "moolab-text",
  messages: [{
    role: "user",
    content: `Crossover <inst>${INST}</inst> and <inst>Classify each review. Answer in one word.</inst>`,
  }],
  temperature: 1,
  seed: 1,
  choice: 0,
};

Deno.bench("countTokens, paper-style prompt (5 × 30-D examples)", () => {
  countTokens(PROMPT);
});
Deno.bench("parseSolutions, 3 × 30-D", () => {
  parseSolutions(reply, { count: 3, dim: D, lower: 0, upper: 1 });
});
Deno.bench("numeric stand-in reply, 5 × 30-D examples → 3 solutions", () => {
  numericStandIn.respond(numericRequest, requestRng(numericRequest));
});
Deno.bench("text stand-in crossover reply", () => {
  textStandIn.respond(textRequest, requestRng(textRequest));
});

const server = startLoopbackServer();
const dir = Deno.makeTempDirSync({ prefix: "moolab-llm-bench-" });
const live = new OpenAIChatModel({ baseURL: server.baseURL, apiKey: "none", model: "moolab-numeric" });
const cached = new OpenAIChatModel({
  baseURL: server.baseURL,
  apiKey: "none",
  model: "moolab-numeric",
  cache: new ResponseCache(dir, "auto"),
});
await cached.complete([{ role: "user", content: PROMPT }], { seed: 1 });
let seed = 0;
Deno.bench("round trip through npm:openai to the loopback server", async () => {
  await live.complete([{ role: "user", content: PROMPT }], { seed: seed++ });
});
Deno.bench("cache hit (read + verify one entry)", async () => {
  await cached.complete([{ role: "user", content: PROMPT }], { seed: 1 });
});
globalThis.addEventListener("unload", () => {
  Deno.removeSync(dir, { recursive: true });
});
// the server must not keep the bench process alive after the last bench
server.unref();
