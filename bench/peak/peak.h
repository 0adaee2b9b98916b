/* peak.h - the single-core FMA peak, measured: 16 independent a = a * m + c chains at the widest
 * vector width the build targets (enough to cover FMA latency x throughput on current cores).
 * Header-only so the kernel benchmarks quote their % of peak measured the same way.
 * Times are the thread's CPU time: on a shared machine the wall clock also counts the time the
 * scheduler gives to others, which halves the numbers under load. */
#ifndef MCC_BENCH_PEAK_H
#define MCC_BENCH_PEAK_H

#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
#define PEAK_VL 16
#elif defined(__AVX__)
#define PEAK_VL 8
#else
#define PEAK_VL 4
#endif
typedef float peak_vf __attribute__((vector_size(PEAK_VL * 4)));

static inline double peak_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* The asm barrier keeps the compiler from folding the chains. */
static inline float peak_chains(long iters, float m, float c) {
  peak_vf a[16];
  for (int i = 0; i < 16; ++i)
    a[i] = (peak_vf){0} + (float)i;
  peak_vf mv = (peak_vf){0} + m, cv = (peak_vf){0} + c;
  for (long it = 0; it < iters; ++it) {
#pragma clang loop unroll(full)
    for (int i = 0; i < 16; ++i)
      a[i] = a[i] * mv + cv;
    __asm__ volatile(""
                     : "+v"(a[0]), "+v"(a[1]), "+v"(a[2]), "+v"(a[3]), "+v"(a[4]), "+v"(a[5]), "+v"(a[6]), "+v"(a[7]));
  }
  peak_vf s = (peak_vf){0};
  for (int i = 0; i < 16; ++i)
    s += a[i];
  float r = 0;
  for (int i = 0; i < PEAK_VL; ++i)
    r += s[i];
  return r;
}

static inline int peak_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Median GFLOP/s of `runs` (<= 31) runs of `iters` iterations; min and max through the pointers. */
static inline double peak_gflops(long iters, int runs, double *min, double *max) {
  double g[31];
  volatile float sink = 0;
  runs = runs > 31 ? 31 : runs;
  for (int r = 0; r < runs; ++r) {
    double t = peak_now();
    sink += peak_chains(iters, 0.999999f, 1e-7f);
    t = peak_now() - t;
    g[r] = 2.0 * 16 * PEAK_VL * iters / t * 1e-9;
  }
  qsort(g, runs, sizeof g[0], peak_cmp);
  if (min)
    *min = g[0];
  if (max)
    *max = g[runs - 1];
  return g[runs / 2];
}

#endif
