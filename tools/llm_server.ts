/**
 * `deno task llm-server`: the loopback server of stand-ins in the foreground, printing its URL.
 *
 * Flags: `--port N` (default 0, a free port), `--host H` (default 127.0.0.1). A non-loopback host also
 * needs `--allow-remote` and `--token T` (or MOOLAB_LLM_SERVER_TOKEN): requests must then carry
 * `Authorization: Bearer T`, i.e. `OPENAI_API_KEY=T`. Stop with Ctrl-C.
 * Point any OpenAI client at it: `OPENAI_BASE_URL=<printed URL> OPENAI_API_KEY=none`.
 */
import { startLoopbackServer } from "../lib/llm/server.ts";

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

const port = Number(flag("--port") ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  throw new Error(`--port must be 0..65535, got ${flag("--port")}`);
}
const token = flag("--token") ?? Deno.env.get("MOOLAB_LLM_SERVER_TOKEN");
const server = startLoopbackServer({
  port,
  hostname: flag("--host") ?? "127.0.0.1",
  allowRemote: Deno.args.includes("--allow-remote"),
  ...(token ? { token } : {}),
});
console.log(`moolab loopback LLM server at ${server.baseURL}`);
for (const s of server.registry.list()) console.log(`  ${s.name}: ${s.description}`);
console.log(`try: curl -s ${server.baseURL}/models`);
const stop = async () => {
  await server.close();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
