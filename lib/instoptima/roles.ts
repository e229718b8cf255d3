/**
 * InstOptima's LLM roles, configured separately: the **operator** LLM (the four instruction operators),
 * the **task** model (answers the classification prompts: the performance objective) and the
 * **perplexity** model (scores the instruction's tokens). Each role is an lib/llm `LLMConfig`, read from
 * the environment by role, falling back to the project-wide variables:
 *
 * | role       | model                                    | endpoint                                          | key                                                 |
 * | ---------- | ---------------------------------------- | ------------------------------------------------- | --------------------------------------------------- |
 * | operator   | `MOOLAB_OPERATOR_MODEL`, `MOOLAB_LLM_MODEL` | `MOOLAB_OPERATOR_BASE_URL`, `OPENAI_BASE_URL`   | `MOOLAB_OPERATOR_API_KEY`, `OPENAI_API_KEY`         |
 * | task       | `MOOLAB_TASK_MODEL`, `MOOLAB_LLM_MODEL`  | `MOOLAB_TASK_BASE_URL`, `OPENAI_BASE_URL`         | `MOOLAB_TASK_API_KEY`, `OPENAI_API_KEY`             |
 * | perplexity | `MOOLAB_PERPLEXITY_MODEL` only           | `MOOLAB_PERPLEXITY_BASE_URL`, `OPENAI_BASE_URL`   | `MOOLAB_PERPLEXITY_API_KEY`, `OPENAI_API_KEY`       |
 *
 * With nothing set every role is the loopback stand-ins (`moolab-instop`, `moolab-classifier`,
 * `moolab-ngram`). The perplexity role never falls back to `MOOLAB_LLM_MODEL`: a chat model cannot score
 * a given text (see lib/instoptima/logprobs.ts), so without `MOOLAB_PERPLEXITY_MODEL` perplexity stays
 * the n-gram model's, served by the loopback server.
 *
 * @module
 */
import { type LLMConfig, llmConfig } from "../llm/config.ts";
import { Table } from "../experiment/table.ts";

/** The three roles. */
export const ROLES = ["operator", "task", "perplexity"] as const;
/** One of the three roles. */
export type Role = typeof ROLES[number];

/** The configuration of each role. */
export type InstOptimaRoles = Record<Role, LLMConfig>;

/** The stand-in that serves each role offline. */
export const ROLE_STANDINS: Record<Role, string> = {
  operator: "moolab-instop",
  task: "moolab-classifier",
  perplexity: "moolab-ngram",
};

function readEnv(name: string): string | undefined {
  try {
    const v = Deno.env.get(name);
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  } catch {
    return undefined;
  }
}

/** Options of {@link instOptimaRoles}. */
export interface RolesOptions {
  /** The environment to read (default: `Deno.env`, when permitted). */
  env?: Record<string, string | undefined>;
  /** Every role on the loopback stand-ins, whatever the environment says. */
  loopback?: boolean;
}

/** The roles' configurations (see the module comment); errors name the role. */
export function instOptimaRoles(o: RolesOptions = {}): InstOptimaRoles {
  const get = (k: string) => (o.env ? o.env[k]?.trim() || undefined : readEnv(k));
  const out = {} as InstOptimaRoles;
  for (const role of ROLES) {
    const R = role.toUpperCase();
    const model = get(`MOOLAB_${R}_MODEL`) ?? (role === "perplexity" ? undefined : get("MOOLAB_LLM_MODEL"));
    const env = {
      MOOLAB_LLM_MODEL: model,
      OPENAI_BASE_URL: model
        ? get(`MOOLAB_${R}_BASE_URL`) ?? get("OPENAI_BASE_URL")
        : get(`MOOLAB_${R}_BASE_URL`),
      OPENAI_API_KEY: get(`MOOLAB_${R}_API_KEY`) ?? get("OPENAI_API_KEY"),
    };
    try {
      out[role] = llmConfig({ env, loopback: o.loopback });
    } catch (e) {
      throw new Error(
        `instOptimaRoles: the ${role} role: ${(e as Error).message.replace(/^llmConfig: /, "")}`,
      );
    }
  }
  return out;
}

/** The roles as a table: role, where its calls go, and the stand-in that serves it offline. */
export function rolesTable(roles: InstOptimaRoles): Table {
  return new Table(
    ["role", "served by", "offline stand-in"],
    ROLES.map((r) => [
      r,
      roles[r].kind === "endpoint" ? roles[r].description : "loopback server",
      ROLE_STANDINS[r],
    ]),
    { title: "InstOptima's LLM roles" },
  );
}
