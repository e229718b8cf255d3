/**
 * PlatEMO's default settings of the algorithms NSGA-II-LLM's paper compares (Liu, Chen & Tang,
 * Tables III–IV: "all algorithm implementations are based on PlatEMO"), as options of ours, read from
 * PlatEMO's sources (`authors_code/PlatEMO`): `OperatorGA` / `OperatorGAhalf` default to crossover
 * probability 1, η_c 20, mutation probability 1/D, η_m 20; `OperatorDE` to CR 1, F 0.5 with the same
 * mutation; MOEA/D uses ⌈N/10⌉ neighbours and, with `type = 1` (its default), the PBI approach (θ 5).
 *
 * {@link platemoOptions} gives the options that move an algorithm of ours to PlatEMO's defaults and
 * {@link platemoDifferences} what still differs, one line each, for the notebooks' tables.
 */

/** Options that set `algorithm` to PlatEMO's defaults for a population of `popSize`. */
export function platemoOptions(algorithm: string, popSize = 100): Record<string, unknown> {
  const T = Math.ceil(popSize / 10);
  switch (algorithm) {
    case "NSGA-II": // NSGAII.m: OperatorGA defaults
      return { crossover: { prob: 1, eta: 20 }, mutation: { eta: 20 } };
    case "NSGA-III": // NSGAIII.m: OperatorGA defaults (ours: η_c 30 from Deb & Jain)
      return { crossover: { prob: 1, eta: 20 }, mutation: { eta: 20 } };
    case "NSGA-II-ARSBX": // ARSBX.m: proC 1, disC 2, proM 1, disM 20 — our defaults
      return { crossover: { prob: 1, eta: 2 }, mutation: { eta: 20 } };
    case "MOEA/D": // MOEAD.m: type 1 (PBI), T = ⌈N/10⌉, OperatorGAhalf defaults
      return { decomposition: "pbi", theta: 5, neighbours: T, crossover: { prob: 1, eta: 20 } };
    case "MOEA/D-DE": // MOEADDE.m: δ 0.9, n_r 2, T = ⌈N/10⌉, OperatorDE defaults
      return { neighbours: T, delta: 0.9, nr: 2 };
    case "MOEA/D-DRA": // MOEADDRA.m: T = ⌈N/10⌉, n_r = ⌈N/100⌉
      return { neighbours: T, nr: Math.ceil(popSize / 100) };
    case "MOEA/D-DQN": // MOEADDQN.m: T = ⌈N/10⌉ (the network size is ours; see moead_dqn.ts)
      return { neighbours: T };
    case "SMS-EMOA": // SMSEMOA.m: OperatorGAhalf defaults
      return { crossover: { prob: 1, eta: 20 }, mutation: { eta: 20 } };
    default:
      return {};
  }
}

/** What still differs from PlatEMO at {@link platemoOptions}, and what it does, per algorithm. */
export function platemoDifferences(algorithm: string): string {
  switch (algorithm) {
    case "NSGA-II":
    case "NSGA-III":
    case "SMS-EMOA":
      return "none in the settings; PlatEMO's SBX swaps variables between the children, ours does not (same distribution of each child)";
    case "NSGA-II-ARSBX":
      return "children are clipped before mutation and exactly N come out (PlatEMO can make two more)";
    case "MOEA/D":
    case "MOEA/D-DE":
    case "MOEA/D-DRA":
      return "children of a generation are bred from the population at its start (PlatEMO: one at a time, each seeing the last)";
    case "MOEA/D-DQN":
      return "Q-network [64, 32] hidden units (PlatEMO: [128, 256, 128, 64, 32]); a generation's operator choices use the network as it stood at its start";
    case "R-NSGA-II":
      return "a different algorithm from PlatEMO's r-NSGA-II (Deb & Sundar's reference-point NSGA-II); not in the paper's tables";
    case "MOPSO":
      return "grid divisions 30 (PlatEMO: 10), mutation as Coello Coello et al.; not in the paper's tables";
    case "MOEA/D-GEN":
      return "pagmo's generational MOEA/D; PlatEMO has no counterpart; not in the paper's tables";
    default:
      return "not compared with PlatEMO";
  }
}
