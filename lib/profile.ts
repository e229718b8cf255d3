/**
 * Run profiles for notebooks and experiments.
 *
 * `MOOLAB_PROFILE=quick` (the default) asks for small budgets so that every notebook runs in seconds as a
 * regression test; `MOOLAB_PROFILE=full` asks for the budgets behind published figures. The notebook
 * runner (`tools/notebook.ts`, `deno task reproduce --full`) sets the variable for the child process.
 *
 * ```ts
 * import { pick } from "moolab";
 * const generations = pick({ quick: 20, full: 500 });
 * ```
 */

/** The two run profiles. */
export type Profile = "quick" | "full";

/** The profile in force: the environment variable `MOOLAB_PROFILE`, `"quick"` when unset or empty. */
export function profile(): Profile {
  let raw: string | undefined;
  try {
    raw = Deno.env.get("MOOLAB_PROFILE");
  } catch {
    raw = undefined; // no --allow-env: fall back to the default profile
  }
  if (raw === undefined || raw.trim() === "") return "quick";
  const value = raw.trim().toLowerCase();
  if (value === "quick" || value === "full") return value;
  throw new Error(`MOOLAB_PROFILE must be "quick" or "full", got ${JSON.stringify(raw)}`);
}

/** The value for the profile in force: `o.quick` or `o.full`. */
export function pick<T>(o: { quick: T; full: T }): T {
  return o[profile()];
}
