/* moocore on the many-objective side-by-side cases (8-D and 10-D), timed in-process with the protocol
 * of ../shared/anchors/side/moocore_side.c (which covers 2-D to 5-D and holds at most 8 objectives).
 * Build: bench/peers/run_peers.ts (gcc -O2 against ../shared/anchors/side/moocore-c).
 * Run:   ./moocore_many DATA_DIR [CASE ...]   (default: every case)
 * Cases: fpli_hv() on front{8,10}_200 (hv8_200, hv10_200; reference 1.1) and pareto_rank() on
 * rand{8,10}_10000 (nds8_10000, nds10_10000). moocore's HV recursion is exponential in m: 100 points
 * in 8-D took 4.5 s and 50 points in 10-D 6.6 s here, so run_peers.ts leaves its HV cases out unless asked.
 * Protocol: warm-up until >= 2 calls and >= 0.2 s, then timed calls until >= 5 calls and >= 0.5 s
 * (at most 500); prints `CASE <case> median_ms=.. min_ms=.. reps=.. [hv=..] [fronts=.. first=..]`.
 * SIDE_QUICK=1: one warm-up and one timed call per case. SIDE_DUMP=DIR: ranks into DIR/moocore_<case>.txt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "hv.h"
#include "nondominated.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static double *read_csv(const char *path, size_t *rows, int *cols) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(1); }
    size_t cap = 1 << 16, k = 0;
    double *d = malloc(cap * sizeof *d);
    int c = 1, first = 1, ch;
    double v;
    size_t lines = 0;
    while (fscanf(f, "%lf", &v) == 1) {
        if (k == cap) d = realloc(d, (cap *= 2) * sizeof *d);
        d[k++] = v;
        ch = fgetc(f);
        if (ch == '\n' || ch == EOF) { lines++; first = 0; }
        else if (first) c++;
    }
    fclose(f);
    *rows = lines;
    *cols = c;
    return d;
}

#define MAX_REPS 500
static double times[MAX_REPS];
static int quick = 0;
typedef void (*case_fn)(void *ctx);

static void timed(const char *name, case_fn fn, void *ctx, const char *extra) {
    double warm = quick ? 0 : 0.2, total_min = quick ? 0 : 0.5;
    int wmin = quick ? 1 : 2, rmin = quick ? 1 : 5, w = 0, r = 0;
    double t0 = now_s(), total = 0;
    while (w < wmin || now_s() - t0 < warm) { fn(ctx); if (++w >= 1000) break; }
    while (r < MAX_REPS && (r < rmin || total < total_min)) {
        double a = now_s();
        fn(ctx);
        times[r] = now_s() - a;
        total += times[r++];
    }
    qsort(times, (size_t) r, sizeof(double), by_value);
    double med = r % 2 ? times[r / 2] : 0.5 * (times[r / 2 - 1] + times[r / 2]);
    printf("CASE %s median_ms=%.6f min_ms=%.6f reps=%d %s\n", name, med * 1e3, times[0] * 1e3, r, extra);
    fflush(stdout);
}

struct hv_job { const double *d; size_t n; int m; double ref[32]; double out; };
static void run_hv(void *p) {
    struct hv_job *j = p;
    j->out = fpli_hv(j->d, j->n, (dimension_t) j->m, j->ref);
}

struct nds_job { const double *d; size_t n; int m; int *rank; };
static void run_nds(void *p) {
    struct nds_job *j = p;
    pareto_rank(j->rank, j->d, j->n, (dimension_t) j->m);
}

static int wanted(int argc, char **argv, const char *name) {
    if (argc <= 2) return 1;
    for (int i = 2; i < argc; i++) if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: moocore_many DATA_DIR\n"); return 2; }
    const char *dir = argv[1], *dump = getenv("SIDE_DUMP");
    quick = getenv("SIDE_QUICK") && atoi(getenv("SIDE_QUICK")) > 0;
    char path[4096], extra[256];
    const char *hv_cases[][2] = {{"hv8_200", "front8_200"}, {"hv10_200", "front10_200"}};
    for (int i = 0; i < 2; i++) {
        if (!wanted(argc, argv, hv_cases[i][0])) continue;
        struct hv_job j;
        snprintf(path, sizeof path, "%s/%s.csv", dir, hv_cases[i][1]);
        j.d = read_csv(path, &j.n, &j.m);
        for (int k = 0; k < j.m; k++) j.ref[k] = 1.1;
        run_hv(&j);
        snprintf(extra, sizeof extra, "n=%zu hv=%.17g", j.n, j.out);
        timed(hv_cases[i][0], run_hv, &j, extra);
        free((void *) j.d);
    }
    const char *nds_cases[][2] = {{"nds8_10000", "rand8_10000"}, {"nds10_10000", "rand10_10000"}};
    for (int i = 0; i < 2; i++) {
        if (!wanted(argc, argv, nds_cases[i][0])) continue;
        struct nds_job j;
        snprintf(path, sizeof path, "%s/%s.csv", dir, nds_cases[i][1]);
        j.d = read_csv(path, &j.n, &j.m);
        j.rank = malloc(j.n * sizeof(int));
        run_nds(&j);
        int fronts = 0, first = 0;
        for (size_t k = 0; k < j.n; k++) {
            if (j.rank[k] + 1 > fronts) fronts = j.rank[k] + 1;
            first += j.rank[k] == 0;
        }
        if (dump) {
            snprintf(path, sizeof path, "%s/moocore_%s.txt", dump, nds_cases[i][0]);
            FILE *f = fopen(path, "w");
            for (size_t k = 0; k < j.n; k++) fprintf(f, "%d\n", j.rank[k]);
            fclose(f);
        }
        snprintf(extra, sizeof extra, "n=%zu fronts=%d first=%d", j.n, fronts, first);
        timed(nds_cases[i][0], run_nds, &j, extra);
        free(j.rank);
        free((void *) j.d);
    }
    return 0;
}
