// Peer timing: pagmo 2.18 (Debian's libpagmo-dev) on ZDT1 at the settings of moolab's benchmarks.
// Build and run with `deno task bench:pagmo` (needs `apt-get install libpagmo-dev`); not part of CI.
// Prints one line per case: name, median wall time of 5 runs in ms, final raw HV (reference 1.1, 1.1).
#include <pagmo/algorithms/moead.hpp>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problems/zdt.hpp>
#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
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

int main() {
  bench("pagmo nsga2, ZDT1, pop 100, 25,100 evaluations", 100,
        [](unsigned s) { return algorithm{nsga2{250u, 0.9, 20., 1. / 30, 20., s}}; });
  bench("pagmo nsga2, ZDT1, pop 100, 10,000 evaluations", 100,
        [](unsigned s) { return algorithm{nsga2{99u, 0.9, 20., 1. / 30, 20., s}}; });
  bench("pagmo moead (MOEA/D-DE), ZDT1, pop 100, 10,000 evaluations", 100, [](unsigned s) {
    return algorithm{moead{99u, "grid", "tchebycheff", 20u, 1., 0.5, 20., 0.9, 2u, true, s}};
  });
  return 0;
}
