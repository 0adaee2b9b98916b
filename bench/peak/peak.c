/* mcc-peak: prints the single-core FMA peak (median of 7 runs), the 100% of the kernel benchmarks. */
#define _POSIX_C_SOURCE 199309L
#include "peak.h"

#include <stdio.h>

int main(int argc, char **argv) {
  long iters = argc > 1 ? atol(argv[1]) : 2000000L;
  double lo, hi, g = peak_gflops(iters, 15, &lo, &hi);
  printf("fma peak: %.1f GFLOP/s (median of 15, %d-float vectors; min %.1f max %.1f)\n", g, PEAK_VL, lo, hi);
  return 0;
}
