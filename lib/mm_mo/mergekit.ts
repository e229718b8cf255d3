/**
 * A merging configuration as a mergekit YAML file (mergekit's `MergeConfiguration`: `merge_method`,
 * `base_model`, `models` each with its `parameters`, global `parameters`, `dtype`), so that every
 * configuration a search evaluates can be merged by `mergekit-yaml config.yml out/` at full scale.
 *
 * Method names: linear → `linear`, task arithmetic → `task_arithmetic`, TIES → `ties`, DARE (task
 * arithmetic) → `dare_linear`, DARE-TIES → `dare_ties`. Per model: `weight` (and `density` for the
 * sparse methods). `normalize` is always written out (mergekit's default differs per method).
 *
 * The scale λ: when `normalize` is off, θ_b + λ Σ w_i τ̂_i equals the merge with weights λ·w_i (the sign
 * election of TIES is unchanged by a positive common factor), so λ is folded into the weights and the
 * file means the same to every mergekit version; with `normalize` on (TIES by default) the factor would
 * cancel, so λ is written as the global `lambda` parameter (mergekit ≥ the version that added it;
 * older versions would ignore it).
 *
 * DARE's drop masks are random in mergekit (torch.bernoulli) and ours are seeded differently, so a DARE
 * or DARE-TIES merge by mergekit matches ours in distribution, not entry by entry.
 */
import { configId } from "./evaluation.ts";
import {
  checkMergeConfig,
  DEFAULT_NORMALIZE,
  type MergeConfig,
  type MergeMethod,
  usesDensity,
} from "./merge.ts";

/** mergekit's name of each method. */
export const MERGEKIT_METHOD: Readonly<Record<MergeMethod, string>> = {
  linear: "linear",
  task_arithmetic: "task_arithmetic",
  ties: "ties",
  dare: "dare_linear",
  dare_ties: "dare_ties",
};

/** mergekit's output dtypes. */
export type MergekitDtype = "float32" | "float16" | "bfloat16";

/** A YAML value: what {@link toYAML} writes. */
export type YAMLValue = string | number | boolean | null | YAMLValue[] | { [key: string]: YAMLValue };

/** The mergekit document of a configuration (a plain object, written by {@link toYAML}). */
export function mergekitDocument(
  config: MergeConfig,
  refs: { base: string; models: readonly string[] },
  options: { dtype?: MergekitDtype } = {},
): { [key: string]: YAMLValue } {
  checkMergeConfig(config, refs.models.length);
  const normalize = config.normalize ?? DEFAULT_NORMALIZE[config.method];
  const lambda = config.lambda ?? 1;
  const fold = config.method !== "linear" && !normalize;
  const models: YAMLValue[] = config.method === "linear" ? [] : [{ model: refs.base }];
  refs.models.forEach((m, i) => {
    const parameters: { [key: string]: YAMLValue } = {
      weight: fold ? lambda * config.weights[i] : config.weights[i],
    };
    if (usesDensity(config.method)) parameters.density = config.densities![i];
    models.push({ model: m, parameters });
  });
  const parameters: { [key: string]: YAMLValue } = { normalize };
  if (!fold && config.method !== "linear" && lambda !== 1) parameters.lambda = lambda;
  const doc: { [key: string]: YAMLValue } = { merge_method: MERGEKIT_METHOD[config.method] };
  if (config.method !== "linear") doc.base_model = refs.base;
  doc.models = models;
  doc.parameters = parameters;
  doc.dtype = options.dtype ?? "bfloat16";
  return doc;
}

/** The mergekit YAML of a configuration (see {@link mergekitDocument}). */
export function mergekitYAML(
  config: MergeConfig,
  refs: { base: string; models: readonly string[] },
  options: { dtype?: MergekitDtype; comment?: string } = {},
): string {
  const head = options.comment ? options.comment.split("\n").map((l) => `# ${l}\n`).join("") : "";
  return head + toYAML(mergekitDocument(config, refs, options));
}

const PLAIN = /^[A-Za-z_./][A-Za-z0-9_./-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

function scalar(v: string | number | boolean | null): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new RangeError(`toYAML: ${v} is not a finite number`);
    return String(v);
  }
  return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
}

/**
 * A small YAML writer for plain data (block mappings and sequences, scalars; strings quoted as JSON
 * whenever they are not plain words or paths, which is valid YAML). Keys must be plain words.
 */
export function toYAML(value: YAMLValue, indent = 0): string {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]\n`;
    return value.map((v) => {
      if (v !== null && typeof v === "object") {
        const body = toYAML(v, indent + 2);
        return `${pad}- ${body.slice(indent + 2)}`;
      }
      return `${pad}- ${scalar(v)}\n`;
    }).join("");
  }
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 0) return `${pad}{}\n`;
    return keys.map((k) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new RangeError(`toYAML: key "${k}" is not a plain word`);
      const v = value[k];
      if (
        v !== null && typeof v === "object" && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)
      ) {
        return `${pad}${k}:\n${toYAML(v, indent + 2)}`;
      }
      if (v !== null && typeof v === "object") return `${pad}${k}: ${Array.isArray(v) ? "[]" : "{}"}\n`;
      return `${pad}${k}: ${scalar(v)}\n`;
    }).join("");
  }
  return `${pad}${scalar(value)}\n`;
}

/** One evaluated configuration as a mergekit file: its exact ID (lib/mm_mo/evaluation.ts) and YAML. */
export interface MergekitFile {
  /** The configuration's exact ID. */
  readonly id: string;
  /** The mergekit YAML. */
  readonly yaml: string;
}

/**
 * The mergekit YAML of every evaluated configuration of a search (the authors write `config/<id>.yaml`
 * for each), each with a comment giving its validation accuracies.
 */
export function mergekitFiles(
  problem: { config(x: ArrayLike<number>): MergeConfig },
  records: readonly { x: number[]; accuracy: number[] }[],
  refs: { base: string; models: readonly string[] },
  options: { dtype?: MergekitDtype } = {},
): MergekitFile[] {
  return records.map((r) => ({
    id: configId(r.x),
    yaml: mergekitYAML(problem.config(r.x), refs, {
      ...options,
      comment: `x = (${r.x.join(", ")})\nvalidation accuracies: ${r.accuracy.join(", ")}`,
    }),
  }));
}
