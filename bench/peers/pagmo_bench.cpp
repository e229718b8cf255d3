// Peer timing: pagmo 2.18 (Debian's libpagmo-dev) on ZDT1 at the settings of moolab's benchmarks.
// Build and run with `deno task bench:pagmo` (needs `apt-get install libpagmo-dev`); not part of CI.
// Prints one line per case: name, median wall time of 5 runs in ms, final raw HV (reference 1.1, 1.1).
// With the argument `fronts` it instead runs pagmo's moead (MOEA/D-DE) at the zoo's settings on ZDT1-4,
// ZDT6 and UF1-10 (pagmo's cec2009, 30 variables), seeds 1-5 (1-n with `fronts n`), and prints one JSON
// line per run with the final population's objective vectors, for bench/moead_zoo.ts to score exactly as
// the zoo does.
#include <pagmo/algorithms/moead.hpp>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problems/cec2009.hpp>
#include <pagmo/problems/zdt.hpp>
#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace pagmo;

static double hv_of(const population &pop) {
  auto fronts = std::get<0>(fast_non_dominated_sorting(pop.get_f()));
  std::vector<vector_double> pts;
  for (auto i : fronts[0]) {
    const auto &f = pop.get_f()[i];
    if (f[0] < 1.1 && f[1] < 1.1) pts.push_back(f);
  }
  if (pts.empty()) return 0.0;
  return hypervolume(pts).compute({1.1, 1.1});
}

template <typename Make>
static void bench(const char *name, unsigned pop_size, Make make) {
  std::vector<double> ms;
  double hv = 0;
  for (unsigned seed = 1; seed <= 5; ++seed) {
    auto t0 = std::chrono::steady_clock::now();
    population pop{problem{zdt{1u, 30u}}, pop_size, seed};
    algorithm algo = make(seed);
    pop = algo.evolve(pop);
    auto t1 = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    hv += hv_of(pop) / 5;
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%s\t%.2f ms\tmean HV %.5f\n", name, ms[2], hv);
}

// pagmo's moead at the zoo's settings: population 100 (91 for 3 objectives, the "grid" lattice count),
// as many whole generations as fit in 10,000 evaluations, the defaults of Li & Zhang (T 20, CR 1, F 0.5,
// eta_m 20, realb 0.9, limit 2, preserve diversity).
static void fronts(unsigned seeds) {
  struct Case {
    std::string name;
    problem prob;
  };
  std::vector<Case> cases;
  for (unsigned id : {1u, 2u, 3u, 4u, 6u}) {
    cases.push_back({"ZDT" + std::to_string(id), problem{zdt{id, id == 4u || id == 6u ? 10u : 30u}}});
  }
  for (unsigned id = 1; id <= 10; ++id) {
    cases.push_back({"UF" + std::to_string(id), problem{cec2009{id, false, 30u}}});
  }
  for (auto &c : cases) {
    const unsigned m = static_cast<unsigned>(c.prob.get_nobj());
    const unsigned n = m == 2 ? 100u : 91u;
    const unsigned gens = (10000u - n) / n;
    for (unsigned seed = 1; seed <= seeds; ++seed) {
      auto t0 = std::chrono::steady_clock::now();
      population pop{c.prob, n, seed};
      algorithm algo{moead{gens, "grid", "tchebycheff", 20u, 1., 0.5, 20., 0.9, 2u, true, seed}};
      pop = algo.evolve(pop);
      auto t1 = std::chrono::steady_clock::now();
      std::printf("{\"problem\":\"%s\",\"seed\":%u,\"evaluations\":%llu,\"ms\":%.3f,\"F\":[", c.name.c_str(),
                  seed, static_cast<unsigned long long>(pop.get_problem().get_fevals()),
                  std::chrono::duration<double, std::milli>(t1 - t0).count());
      const auto &F = pop.get_f();
      for (std::size_t i = 0; i < F.size(); ++i) {
        std::printf(i ? ",[" : "[");
        for (unsigned k = 0; k < m; ++k) std::printf(k ? ",%.17g" : "%.17g", F[i][k]);
        std::printf("]");
      }
      std::printf("]}\n");
    }
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && std::strcmp(argv[1], "fronts") == 0) {
    fronts(argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 5u);
    return 0;
  }
  bench("pagmo nsga2, ZDT1, pop 100, 25,100 evaluations", 100,
        [](unsigned s) { return algorithm{nsga2{250u, 0.9, 20., 1. / 30, 20., s}}; });
  bench("pagmo nsga2, ZDT1, pop 100, 10,000 evaluations", 100,
        [](unsigned s) { return algorithm{nsga2{99u, 0.9, 20., 1. / 30, 20., s}}; });
  bench("pagmo moead (MOEA/D-DE), ZDT1, pop 100, 10,000 evaluations", 100, [](unsigned s) {
    return algorithm{moead{99u, "grid", "tchebycheff", 20u, 1., 0.5, 20., 0.9, 2u, true, s}};
  });
  return 0;
}
