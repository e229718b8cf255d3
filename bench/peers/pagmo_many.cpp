// pagmo 2.18 (Debian libpagmo-dev) on the many-objective side-by-side cases (8-D and 10-D), timed
// in-process with the protocol of ../shared/anchors/side/pagmo_side.cpp (which covers 2-D to 5-D).
// Build: bench/peers/run_peers.ts (g++ -O2 -std=c++17 ... -lpagmo -ltbb -lboost_serialization).
// Run:   ./pagmo_many DATA_DIR [CASE ...]   (default: every case)
// Cases: hypervolume{points, true}.compute(ref) (WFG for m > 3) on front{8,10}_200 (hv8_200, hv10_200;
// reference 1.1), fast_non_dominated_sorting on rand{8,10}_10000 (nds8_10000, nds10_10000).
// Protocol: warm-up until >= 2 calls and >= 0.2 s, then timed calls until >= 5 calls and >= 0.5 s
// (at most 500); prints `CASE <case> median_ms=.. min_ms=.. reps=.. [hv=..] [fronts=.. first=..]`.
// SIDE_QUICK=1: one warm-up and one timed call per case. SIDE_DUMP=DIR: ranks into DIR/pagmo_<case>.txt.
#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace pagmo;
using clk = std::chrono::steady_clock;

static std::vector<vector_double> read_rows(const std::string &path) {
    std::ifstream in(path);
    if (!in) {
        std::perror(path.c_str());
        std::exit(1);
    }
    std::vector<vector_double> rows;
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        vector_double r;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');) r.push_back(std::strtod(cell.c_str(), nullptr));
        rows.push_back(r);
    }
    return rows;
}

static const bool quick = std::getenv("SIDE_QUICK") && std::atoi(std::getenv("SIDE_QUICK")) > 0;

template <typename Fn>
static void timed(const char *name, Fn fn, const std::string &extra) {
    const double warm = quick ? 0 : 0.2, total_min = quick ? 0 : 0.5;
    const int wmin = quick ? 1 : 2;
    const size_t rmin = quick ? 1 : 5;
    auto t0 = clk::now();
    for (int w = 0; w < 1000 && (w < wmin || std::chrono::duration<double>(clk::now() - t0).count() < warm); ++w) fn();
    std::vector<double> t;
    double total = 0;
    while (t.size() < 500 && (t.size() < rmin || total < total_min)) {
        auto a = clk::now();
        fn();
        double s = std::chrono::duration<double>(clk::now() - a).count();
        t.push_back(s);
        total += s;
    }
    std::sort(t.begin(), t.end());
    size_t r = t.size();
    double med = r % 2 ? t[r / 2] : 0.5 * (t[r / 2 - 1] + t[r / 2]);
    std::printf("CASE %s median_ms=%.6f min_ms=%.6f reps=%zu %s\n", name, med * 1e3, t.front() * 1e3, r, extra.c_str());
    std::fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: pagmo_many DATA_DIR [CASE ...]\n");
        return 2;
    }
    const std::string dir = argv[1];
    auto wanted = [&](const char *name) {
        if (argc <= 2) return true;
        for (int i = 2; i < argc; ++i)
            if (std::strcmp(argv[i], name) == 0) return true;
        return false;
    };
    const char *dump = std::getenv("SIDE_DUMP");
    char extra[256];
    const char *hv_cases[][2] = {{"hv8_200", "front8_200"}, {"hv10_200", "front10_200"}};
    for (auto &c : hv_cases) {
        if (!wanted(c[0])) continue;
        auto pts = read_rows(dir + "/" + c[1] + ".csv");
        vector_double ref(pts[0].size(), 1.1);
        double v = 0;
        auto call = [&] { v = hypervolume(pts, true).compute(ref); };
        call();
        std::snprintf(extra, sizeof extra, "n=%zu hv=%.17g", pts.size(), v);
        timed(c[0], call, extra);
    }
    const char *nds_cases[][2] = {{"nds8_10000", "rand8_10000"}, {"nds10_10000", "rand10_10000"}};
    for (auto &c : nds_cases) {
        if (!wanted(c[0])) continue;
        auto pts = read_rows(dir + "/" + c[1] + ".csv");
        std::vector<std::vector<pop_size_t>> fronts;
        auto call = [&] { fronts = std::get<0>(fast_non_dominated_sorting(pts)); };
        call();
        std::vector<size_t> rank(pts.size());
        for (size_t k = 0; k < fronts.size(); ++k)
            for (auto i : fronts[k]) rank[i] = k;
        if (dump) {
            std::FILE *f = std::fopen((std::string(dump) + "/pagmo_" + c[0] + ".txt").c_str(), "w");
            for (auto r : rank) std::fprintf(f, "%zu\n", r);
            std::fclose(f);
        }
        std::snprintf(extra, sizeof extra, "n=%zu fronts=%zu first=%zu", pts.size(), fronts.size(), fronts[0].size());
        timed(c[0], call, extra);
    }
    return 0;
}
