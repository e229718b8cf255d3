/**
 * Benchmark problems (ZDT, UF/CEC 2009, DTLZ) with Pareto fronts sampled as PlatEMO does, the one
 * simplex lattice `simplexLattice` (reference directions, weight vectors, front samples), and a registry
 * to build a problem by name (case-insensitive, as algorithms).
 * @module
 */
import type { Problem } from "../core/problem.ts";
import { dtlz1, dtlz2, dtlz3, dtlz4, dtlz5, dtlz6, dtlz7 } from "./dtlz.ts";
import { uf1, uf10, uf2, uf3, uf4, uf5, uf6, uf7, uf8, uf9 } from "./uf.ts";
import { zdt1, zdt2, zdt3, zdt4, zdt6 } from "./zdt.ts";

export { dtlz1, dtlz2, dtlz3, dtlz4, dtlz5, dtlz6, dtlz7 } from "./dtlz.ts";
export { uf1, uf10, uf2, uf3, uf4, uf5, uf6, uf7, uf8, uf9 } from "./uf.ts";
export { zdt1, zdt2, zdt3, zdt4, zdt6, ZDT6_MIN_F1 } from "./zdt.ts";
export { nChooseK, simplexLattice, type SimplexLatticeOptions } from "./simplex_lattice.ts";
export { DEFAULT_FRONT_SIZE } from "./common.ts";

/** Options of a registry factory; any omitted value takes the problem's default. */
export interface ProblemOptions {
  /** Number of decision variables. */
  nVar?: number;
  /** Number of objectives (only the DTLZ problems are scalable; others accept only their own count). */
  nObj?: number;
}

/** A factory taking {@link ProblemOptions}. */
export type ProblemFactory = (opts?: ProblemOptions) => Problem;

/** Wraps a fixed-objective factory, rejecting a different nObj. */
function fixed(name: string, m: number, make: (nVar?: number) => Problem): ProblemFactory {
  return (opts = {}) => {
    if (opts.nObj !== undefined && opts.nObj !== m) {
      throw new RangeError(`${name}: nObj must be ${m} (the problem is not scalable), got ${opts.nObj}`);
    }
    return make(opts.nVar);
  };
}

/** Wraps a scalable DTLZ factory. */
function scalable(make: (nObj?: number, nVar?: number) => Problem): ProblemFactory {
  return (opts = {}) => make(opts.nObj, opts.nVar);
}

/** Every benchmark problem by name (upper case, as in `Problem.name`). */
export const problems: Readonly<Record<string, ProblemFactory>> = Object.freeze({
  ZDT1: fixed("ZDT1", 2, zdt1),
  ZDT2: fixed("ZDT2", 2, zdt2),
  ZDT3: fixed("ZDT3", 2, zdt3),
  ZDT4: fixed("ZDT4", 2, zdt4),
  ZDT6: fixed("ZDT6", 2, zdt6),
  UF1: fixed("UF1", 2, uf1),
  UF2: fixed("UF2", 2, uf2),
  UF3: fixed("UF3", 2, uf3),
  UF4: fixed("UF4", 2, uf4),
  UF5: fixed("UF5", 2, uf5),
  UF6: fixed("UF6", 2, uf6),
  UF7: fixed("UF7", 2, uf7),
  UF8: fixed("UF8", 3, uf8),
  UF9: fixed("UF9", 3, uf9),
  UF10: fixed("UF10", 3, uf10),
  DTLZ1: scalable(dtlz1),
  DTLZ2: scalable(dtlz2),
  DTLZ3: scalable(dtlz3),
  DTLZ4: scalable(dtlz4),
  DTLZ5: scalable(dtlz5),
  DTLZ6: scalable(dtlz6),
  DTLZ7: scalable(dtlz7),
});

/**
 * The problem called `name`, built with `opts`. Names are case-insensitive (`"zdt1"` is `"ZDT1"`), the
 * same rule as `makeAlgorithm`'s.
 * @throws RangeError listing the known names when `name` is unknown, and for bad options.
 *
 * @example DTLZ2's front is the positive orthant of the unit sphere
 * ```ts
 * import { getProblem } from "moolab";
 *
 * const dtlz2 = getProblem("dtlz2", { nObj: 3 }); // any case; nVar defaults to nObj + 9
 * const { data, n } = dtlz2.paretoFront!();
 * for (let i = 0; i < n; i++) {
 *   const norm = Math.hypot(data[3 * i], data[3 * i + 1], data[3 * i + 2]);
 *   if (Math.abs(norm - 1) > 1e-9 || dtlz2.nVar !== 12) throw new Error(`point ${i} has norm ${norm}`);
 * }
 * ```
 */
export function getProblem(name: string, opts?: ProblemOptions): Problem {
  const key = String(name).toUpperCase();
  if (!Object.hasOwn(problems, key)) {
    throw new RangeError(
      `getProblem: unknown problem ${JSON.stringify(name)}; known: ${Object.keys(problems).join(", ")}`,
    );
  }
  return problems[key](opts);
}
