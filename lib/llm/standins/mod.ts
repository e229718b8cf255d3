/**
 * Stand-ins: honest, offline replacements for an LLM behind the loopback server. Each one really
 * computes its answer from the prompt, is deterministic given the request (and its seed), and says what
 * it is (in `/v1/models` and in the reply's `system_fingerprint`).
 *
 * The registry is pluggable: a later module adds its own stand-in (e.g. a few-shot nearest-neighbour
 * classifier as InstOptima's task model) with `registry.register(...)`, without touching the server.
 *
 * @module
 */
import { Rng } from "../../core/rng.ts";
import { fnv1a, promptText, type RequestMessage } from "./prompt.ts";
import { numericStandIn } from "./numeric.ts";
import { textStandIn } from "./text.ts";

export { promptText, requestedCount, type RequestMessage } from "./prompt.ts";

/** The part of a chat-completion request a stand-in reads. */
export interface StandInRequest {
  /** The model name requested (the stand-in's name). */
  model: string;
  /** The chat messages. */
  messages: RequestMessage[];
  /** Sampling temperature; 1 when the request gives none (OpenAI's default). */
  temperature: number;
  /** The request's seed, when given. */
  seed?: number;
  /** The index of the choice being produced (0 unless `n` > 1). */
  choice: number;
}

/** A stand-in model. */
export interface StandIn {
  /** The model name requests use. */
  readonly name: string;
  /** One line: what it computes (shown in `/v1/models`). */
  readonly description: string;
  /** Version tag reported as `system_fingerprint`. */
  readonly fingerprint: string;
  /** The reply to a request; `rng` is seeded from the request (see {@link requestRng}). */
  respond(request: StandInRequest, rng: Rng): string;
}

/**
 * The generator of one reply: seeded from the request's seed (0 when absent), the FNV-1a hash of the
 * model name and prompt, and the choice index, so the same request gives the same reply byte for byte
 * and different prompts or choices give independent streams.
 */
export function requestRng(request: StandInRequest): Rng {
  const seed = Math.trunc(request.seed ?? 0);
  const h = fnv1a(
    `${seed}\u0000${request.choice}\u0000${request.model}\u0000${promptText(request.messages)}`,
  );
  return new Rng((((seed % 2 ** 20) + 2 ** 20) % 2 ** 20) * 2 ** 32 + h);
}

/** Stand-ins by model name. */
export class StandInRegistry {
  #byName = new Map<string, StandIn>();

  /** A registry of `standIns`. */
  constructor(standIns: Iterable<StandIn> = []) {
    for (const s of standIns) this.register(s);
  }

  /** Adds a stand-in; a name can be registered once. */
  register(standIn: StandIn): this {
    if (!standIn.name || typeof standIn.respond !== "function") {
      throw new TypeError("StandInRegistry.register: a stand-in needs a name and a respond function");
    }
    if (this.#byName.has(standIn.name)) {
      throw new RangeError(`StandInRegistry: a stand-in named ${standIn.name} is already registered`);
    }
    this.#byName.set(standIn.name, standIn);
    return this;
  }

  /** The stand-in called `name`, if registered. */
  get(name: string): StandIn | undefined {
    return this.#byName.get(name);
  }

  /** The registered names, in order of registration. */
  names(): string[] {
    return [...this.#byName.keys()];
  }

  /** The registered stand-ins, in order of registration. */
  list(): StandIn[] {
    return [...this.#byName.values()];
  }
}

/** A registry with the project's two stand-ins, `moolab-numeric` and `moolab-text`. */
export function defaultStandIns(): StandInRegistry {
  return new StandInRegistry([numericStandIn, textStandIn]);
}

export { numericStandIn, textStandIn };
