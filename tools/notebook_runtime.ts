/**
 * Child-side runtime of the headless notebook runner (`tools/notebook.ts`).
 *
 * The runner imports this module first in the generated program, so it is evaluated before any cell's
 * imports. It installs `globalThis.__nb` (cell markers, display of final expressions, end of run), a
 * `Deno.jupyter` stand-in (`display`, `format`, `html`, `md`, `svg`, `image`, `broadcast`), and
 * captures `console.*` (as the kernel does; raw writes to `Deno.stdout` / `Deno.stderr` are not notebook
 * output in the kernel either). Every event is appended as one JSON line to the file named by the environment
 * variable `MOOLAB_NB_EVENTS`; the parent assembles the executed notebook from that file.
 *
 * Not meant to be imported by anything else.
 *
 * @module
 */

import { Console } from "node:console";
import { Writable } from "node:stream";

type Bundle = Record<string, unknown>;
type StreamName = "stdout" | "stderr";

const eventsPath = Deno.env.get("MOOLAB_NB_EVENTS");
if (!eventsPath) {
  throw new Error("tools/notebook_runtime.ts: MOOLAB_NB_EVENTS is not set (run through tools/notebook.ts)");
}

const eventsFile = Deno.openSync(eventsPath, { write: true, create: true, append: true });
const encoder = new TextEncoder();
const start = performance.now();
let current = 0;

function emit(event: Record<string, unknown>): void {
  const bytes = encoder.encode(JSON.stringify(event) + "\n");
  let written = 0;
  while (written < bytes.length) written += eventsFile.writeSync(bytes.subarray(written));
}

function elapsed(): number {
  return (performance.now() - start) / 1000;
}

function stream(name: StreamName, text: string): void {
  if (text.length > 0) emit({ t: "stream", k: current, name, text });
}

// ---------------------------------------------------------------------------------------------------------
// Console capture
// ---------------------------------------------------------------------------------------------------------

const inspect = (value: unknown): string => Deno.inspect(value, { colors: false });

/** Formats console arguments the way Deno's console does (printf-style substitutions, then inspect). */
function format(args: unknown[]): string {
  if (args.length === 0) return "";
  const parts: string[] = [];
  let rest = args;
  if (typeof args[0] === "string") {
    let used = 1;
    const head = args[0].replace(/%([sdifoOjc%])/g, (match, spec: string) => {
      if (spec === "%") return "%";
      if (used >= args.length) return match;
      const arg = args[used++];
      switch (spec) {
        case "s":
          return typeof arg === "string"
            ? arg
            : typeof arg === "object" && arg !== null
            ? inspect(arg)
            : String(arg);
        case "d":
        case "i":
          if (typeof arg === "bigint") return `${arg}n`;
          if (typeof arg === "symbol") return "NaN";
          return String(spec === "i" ? Math.trunc(Number(arg)) : Number(arg));
        case "f":
          return typeof arg === "symbol" ? "NaN" : String(Number(arg));
        case "j":
          return JSON.stringify(arg);
        case "c":
          return "";
        default:
          return inspect(arg);
      }
    });
    parts.push(head);
    rest = args.slice(used);
  }
  for (const arg of rest) parts.push(typeof arg === "string" ? arg : inspect(arg));
  return parts.join(" ");
}

let groupIndent = "";

function print(name: StreamName, args: unknown[]): void {
  let text = format(args);
  if (groupIndent) text = text.split("\n").map((line) => groupIndent + line).join("\n");
  stream(name, text + "\n");
}

// Rarely used console methods (table, count, time, assert, trace) are delegated to node's Console, writing
// into the same capture.
function sink(name: StreamName): Writable {
  return new Writable({
    write(chunk: unknown, _encoding: string, callback: (error?: Error | null) => void) {
      stream(name, typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk as Uint8Array));
      callback();
    },
  });
}
const helper = new Console({ stdout: sink("stdout"), stderr: sink("stderr"), colorMode: false });

const con = globalThis.console as unknown as Record<string, unknown>;
con.log = (...args: unknown[]) => print("stdout", args);
con.info = (...args: unknown[]) => print("stdout", args);
con.debug = (...args: unknown[]) => print("stdout", args);
con.warn = (...args: unknown[]) => print("stderr", args);
con.error = (...args: unknown[]) => print("stderr", args);
con.dir = (value: unknown) => print("stdout", [inspect(value)]);
con.dirxml = (...args: unknown[]) => print("stdout", args);
con.group = con.groupCollapsed = (...args: unknown[]) => {
  if (args.length > 0) print("stdout", args);
  groupIndent += "  ";
};
con.groupEnd = () => {
  groupIndent = groupIndent.slice(2);
};
for (
  const method of ["table", "count", "countReset", "time", "timeEnd", "timeLog", "assert", "trace"] as const
) {
  const fn = (helper as unknown as Record<string, (...args: unknown[]) => void>)[method];
  con[method] = (...args: unknown[]) => fn.apply(helper, args);
}

// Raw writes to Deno.stdout / Deno.stderr (and node's process.stdout.write) are NOT notebook output: the
// Deno kernel sends them to its own process's stdout/stderr, never to the notebook, so the runner leaves
// them on the child's stdout/stderr too (shown in the runner's report when a notebook fails).

// ---------------------------------------------------------------------------------------------------------
// Display
// ---------------------------------------------------------------------------------------------------------

const $display = Symbol.for("Jupyter.display");

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function imageType(bytes: Uint8Array): string | undefined {
  if (bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    return "image/png";
  }
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  return undefined;
}

/** The MIME bundle the Deno kernel would show for a value (undefined: nothing is shown). */
async function mimeBundle(value: unknown): Promise<Bundle | undefined> {
  if (value === undefined) return undefined;
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const method = (value as Record<symbol, unknown>)[$display];
    if (typeof method === "function") {
      const bundle = await method.call(value);
      if (bundle === undefined || bundle === null) return undefined;
      return typeof bundle === "object" ? bundle as Bundle : { "text/plain": String(bundle) };
    }
    const element = value as { outerHTML?: unknown; localName?: unknown };
    if (typeof element.outerHTML === "string") {
      return element.localName === "svg"
        ? { "image/svg+xml": element.outerHTML }
        : { "text/html": element.outerHTML };
    }
    if (value instanceof Uint8Array) {
      const mime = imageType(value);
      if (mime) return { [mime]: base64(value) };
    }
  }
  return { "text/plain": inspect(value) };
}

function tagged(mime: string) {
  return (strings: TemplateStringsArray, ...values: unknown[]) => {
    const text = String.raw({ raw: strings }, ...values);
    return { [$display]: () => ({ [mime]: text }) };
  };
}

const jupyter = {
  $display,
  async display(
    value: unknown,
    options: { raw?: boolean; display_id?: string; update?: boolean } = {},
  ): Promise<void> {
    const data = options.raw ? value as Bundle : await mimeBundle(value);
    if (!data) return;
    // As the kernel: `update` with a display_id replaces that earlier output in place.
    const kind = options.update && options.display_id ? "update_display_data" : "display_data";
    emit({ t: "display", k: current, kind, data, displayId: options.display_id });
  },
  async format(value: unknown): Promise<Bundle> {
    return (await mimeBundle(value)) ?? {};
  },
  html: tagged("text/html"),
  md: tagged("text/markdown"),
  svg: tagged("image/svg+xml"),
  image(source: string | Uint8Array) {
    const bytes = typeof source === "string" ? Deno.readFileSync(source) : source;
    const mime = imageType(bytes);
    if (!mime) throw new TypeError("Deno.jupyter.image: only PNG and JPEG images are supported");
    return { [$display]: () => ({ [mime]: base64(bytes) }) };
  },
  broadcast(): Promise<void> {
    return Promise.resolve();
  },
};
try {
  (Deno as unknown as { jupyter: unknown }).jupyter = jupyter;
} catch {
  // Deno.jupyter cannot be replaced in this Deno version; notebooks then cannot call it headlessly.
}

// ---------------------------------------------------------------------------------------------------------
// Errors and the program's hooks
// ---------------------------------------------------------------------------------------------------------

function reportError(error: unknown): void {
  const e = error instanceof Error ? error : undefined;
  emit({
    t: "error",
    k: current,
    name: e?.name ?? "Error",
    message: e ? e.message : inspect(error),
    stack: e?.stack ?? "",
    seconds: elapsed(),
  });
}
globalThis.addEventListener("error", (event) => reportError((event as ErrorEvent).error));
globalThis.addEventListener("unhandledrejection", (event) => reportError(event.reason));

// The runner holds the write end of this process's stdin: end-of-file means the runner died, and the
// notebook must not run on unattended (issue 16).
(async () => {
  const buffer = new Uint8Array(256);
  try {
    while ((await Deno.stdin.read(buffer)) !== null) {
      // the runner never writes; keep waiting for end-of-file
    }
  } catch {
    // stdin closed or not readable: treat as end-of-file
  }
  emit({
    t: "error",
    k: current,
    name: "Error",
    message: "the runner exited",
    stack: "",
    seconds: elapsed(),
  });
  Deno.exit(143);
})();

(globalThis as unknown as { __nb: unknown }).__nb = {
  /** Marks the start of code cell `k` (1-based). */
  async cell(k: number): Promise<void> {
    // Let pending callbacks of the previous cell run, and unhandled rejections be reported while it is
    // still the current cell: a rejection is reported after the microtask queue drains, so two turns of
    // the event loop suffice.
    if (k > 1) {
      for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    current = k;
    emit({ t: "cell", k, seconds: elapsed() });
  },
  /** Shows the value of cell `k`'s final expression, as the kernel's execute_result. */
  async display(k: number, value: unknown): Promise<void> {
    const data = await mimeBundle(value);
    if (data) emit({ t: "display", k, kind: "execute_result", data });
  },
  /** Ends the run: records success, then exits even if timers or handles are still open. */
  async finish(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    emit({ t: "done", seconds: elapsed() });
    eventsFile.close();
    Deno.exit(0);
  },
};
