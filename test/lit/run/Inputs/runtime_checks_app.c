/* Calls a model whose index input is checked at run time (runtime_checks.py --gather-neg) from C:
 * a valid index gives the rows, an invalid one MCC_ERR_INDEX_OUT_OF_RANGE with neither output written
 * (the Gather and the Neg after it do not run). */
#include <stdio.h>
#include <stdlib.h>

#include "gn.h"

static void run(const int64_t idx[2]) {
  float x[12], y[6], z[6];
  for (int k = 0; k < 12; ++k)
    x[k] = (float)k;
  for (int k = 0; k < 6; ++k)
    y[k] = z[k] = -7.0f; /* sentinel */
  gn_inputs in = {x, idx};
  gn_outputs out = {y, z};
  void *ws = aligned_alloc(64, GN_WORKSPACE_SIZE > 0 ? (GN_WORKSPACE_SIZE + 63) / 64 * 64 : 64);
  int status = gn_run(&in, &out, ws);
  free(ws);
  int untouched = 1;
  for (int k = 0; k < 6; ++k)
    untouched &= y[k] == -7.0f && z[k] == -7.0f;
  printf("index %lld %lld: status %d (%s)%s y[0..2] %g %g %g z[0] %g\n", (long long)idx[0], (long long)idx[1], status,
         mcc_strerror(status), untouched ? " outputs untouched" : "", y[0], y[1], y[2], z[0]);
}

int main(void) {
  const int64_t ok[2] = {-1, 0}, big[2] = {0, 4}, negative[2] = {-5, 0};
  run(ok);
  run(big);
  run(negative);
  return 0;
}
