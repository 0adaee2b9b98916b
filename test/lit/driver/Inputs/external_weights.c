/* The same MLP compiled with its weights in the object (mlpe) and in a separate file (mlpx, mapped with
 * mcc_weights_map): equal outputs; a NULL, misaligned or foreign blob is MCC_ERR_WEIGHTS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlpe.h"
#include "mlpx.h"

int main(int argc, char **argv) {
  size_t size = 0;
  const void *blob = mcc_weights_map(argv[1], &size);
  float x[MLPE_INPUT_X_SIZE], ye[MLPE_OUTPUT_Y_SIZE], yx[MLPX_OUTPUT_Y_SIZE];
  int i, same = 1, status;
  static _Alignas(64) unsigned char copy[MLPX_WEIGHTS_SIZE + 64];
  static _Alignas(64) unsigned char ws[MLPE_WORKSPACE_SIZE + MLPX_WORKSPACE_SIZE + 1];
  if (argc < 2 || !blob) {
    printf("cannot map the weights\n");
    return 1;
  }
  for (i = 0; i < MLPE_INPUT_X_SIZE; ++i)
    x[i] = (float)(i % 7) - 3.0f;
  mlpe_inputs ie = {x};
  mlpe_outputs oe = {ye};
  mlpx_inputs ix = {x, blob};
  mlpx_outputs ox = {yx};
  printf("size %zu expected %u\n", size, MLPX_WEIGHTS_SIZE);
  printf("embedded %d\n", mlpe_run(&ie, &oe, ws));
  printf("external %d\n", mlpx_run(&ix, &ox, ws));
  for (i = 0; i < MLPE_OUTPUT_Y_SIZE; ++i)
    same &= ye[i] == yx[i];
  printf("same %d\n", same);
  ix.weights = NULL;
  status = mlpx_run(&ix, &ox, ws);
  printf("null %d: %s\n", status, mcc_strerror(status));
  memcpy(copy + 1, blob, size);
  ix.weights = copy + 1;
  printf("misaligned %d\n", mlpx_run(&ix, &ox, ws));
  memcpy(copy, blob, size);
  copy[20] ^= 1; /* another model's hash */
  ix.weights = copy;
  printf("foreign %d\n", mlpx_run(&ix, &ox, ws));
  copy[20] ^= 1;
  printf("copy %d\n", mlpx_run(&ix, &ox, ws));
  mcc_weights_unmap(blob, size);
  return 0;
}
