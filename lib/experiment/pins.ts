/**
 * Pinned results: a notebook's seeded numbers saved beside it, so that a re-run that changes any of
 * them fails with the names of what changed. The pins are produced by the notebook's own run
 * (`MOOLAB_UPDATE_PINS=1` writes them), one file per notebook and profile:
 * `notebooks/pins/<name>.<profile>.json`. A missing pin file is an error, never a pass.
 */
import { profile } from "../profile.ts";

/** Options of {@link checkPins}. */
export interface PinOptions {
  /** Folder of the pin files (default: `pins` next to the notebook, i.e. `./pins` from its folder). */
  dir?: string;
  /** Relative tolerance for numbers (default 1e-9: runs are deterministic, this absorbs reassociation). */
  tolerance?: number;
}

/** What {@link checkPins} did. */
export interface PinReport {
  /** The pins file compared with (or written). */
  file: string;
  /** True when the pins were written (`MOOLAB_UPDATE_PINS=1`) instead of checked. */
  updated: boolean;
  /** How many pinned values were compared. */
  checked: number;
}

/**
 * Compares `values` (names → numbers or strings) with the pinned ones, or writes them when the
 * environment variable `MOOLAB_UPDATE_PINS` is `1`. Throws an error listing every difference.
 */
export function checkPins(
  name: string,
  values: Record<string, number | string>,
  options: PinOptions = {},
): PinReport {
  const dir = options.dir ?? "pins";
  const file = `${dir}/${name}.${profile()}.json`;
  const tol = options.tolerance ?? 1e-9;
  let update = false;
  try {
    update = Deno.env.get("MOOLAB_UPDATE_PINS") === "1";
  } catch {
    update = false;
  }
  const sorted = Object.fromEntries(Object.keys(values).sort().map((k) => [k, values[k]]));
  if (update) {
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(file, JSON.stringify(sorted, null, 2) + "\n");
    return { file, updated: true, checked: 0 };
  }
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch {
    throw new Error(
      `no pinned results at ${file}; produce them with MOOLAB_UPDATE_PINS=1 and review the diff`,
    );
  }
  const pinned = JSON.parse(text) as Record<string, number | string>;
  const problems: string[] = [];
  for (const k of Object.keys(pinned)) if (!(k in values)) problems.push(`${k}: pinned but not computed`);
  for (const [k, v] of Object.entries(values)) {
    if (!(k in pinned)) {
      problems.push(`${k}: computed ${v} but not pinned`);
      continue;
    }
    const p = pinned[k];
    const same = typeof v === "number" && typeof p === "number"
      ? Math.abs(v - p) <= tol * Math.max(1, Math.abs(p))
      : v === p;
    if (!same) problems.push(`${k}: computed ${v}, pinned ${p}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `${problems.length} result(s) differ from ${file}:\n  ${problems.slice(0, 30).join("\n  ")}` +
        (problems.length > 30 ? `\n  … and ${problems.length - 30} more` : ""),
    );
  }
  return { file, updated: false, checked: Object.keys(values).length };
}
