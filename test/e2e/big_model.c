/* Runs the >2 GB model compiled with --weights=external: maps big.weights, looks up 4 rows, prints y. */
#include <stdio.h>
#include <stdlib.h>

#include "big.h"

int main(int argc, char **argv) {
  size_t size = 0;
  const void *weights = argc > 1 ? mcc_weights_map(argv[1], &size) : NULL;
  int64_t ids[4] = {0, 1, 2150000 / 2, 2150000 - 1};
  float y[BIG_OUTPUT_Y_SIZE];
  void *ws = aligned_alloc(MCC_WORKSPACE_ALIGNMENT, BIG_WORKSPACE_SIZE + MCC_WORKSPACE_ALIGNMENT);
  if (!weights || size != BIG_WEIGHTS_SIZE || !ws) {
    fprintf(stderr, "cannot map %s (%zu bytes, want %llu)\n", argc > 1 ? argv[1] : "?", size,
            (unsigned long long)BIG_WEIGHTS_SIZE);
    return 1;
  }
  big_inputs in = {ids, weights};
  big_outputs out = {y};
  int status = big_run(&in, &out, ws);
  if (status != 0) {
    fprintf(stderr, "big_run: %s\n", mcc_strerror(status));
    return 1;
  }
  for (int i = 0; i < BIG_OUTPUT_Y_SIZE; ++i)
    printf("%.9g\n", y[i]);
  mcc_weights_unmap(weights, size);
  free(ws);
  return 0;
}
