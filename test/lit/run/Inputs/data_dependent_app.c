/* Calls a Unique model (flattened, sorted=0) from C: buffers of the _SIZE capacity, the actual
 * shapes read from the outputs struct's _dims fields, the bounds from uq_info(). */
#include <stdio.h>
#include <stdlib.h>

#include "uq.h"

int main(void) {
  int32_t x[UQ_INPUT_X_SIZE] = {2, -1, 2, 7, -1, 0, 0, 5, 2};
  int32_t y[UQ_OUTPUT_Y_SIZE];
  int64_t indices[UQ_OUTPUT_INDICES_SIZE], inverse[UQ_OUTPUT_INVERSE_SIZE], counts[UQ_OUTPUT_COUNTS_SIZE];
  uq_inputs in = {x};
  uq_outputs out = {y, indices, inverse, counts, {-1}, {-1}, {-1}};
  void *ws = aligned_alloc(MCC_WORKSPACE_ALIGNMENT, UQ_WORKSPACE_SIZE);
  int status = uq_run(&in, &out, ws);
  printf("status %d dims %lld %lld %lld\n", status, (long long)out.y_dims[0], (long long)out.indices_dims[0],
         (long long)out.counts_dims[0]);
  printf("y");
  for (int64_t i = 0; i < out.y_dims[0]; ++i)
    printf(" %d", (int)y[i]);
  printf("\ncounts");
  for (int64_t i = 0; i < out.counts_dims[0]; ++i)
    printf(" %lld", (long long)counts[i]);
  printf("\ninverse");
  for (int64_t i = 0; i < UQ_OUTPUT_INVERSE_SIZE; ++i)
    printf(" %lld", (long long)inverse[i]);
  const mcc_model_info *info = uq_info();
  printf("\nabi %u\n", info->abi_version);
  for (int i = 0; i < info->num_outputs; ++i)
    printf("%s shape %lld max %lld\n", info->outputs[i].name, (long long)info->outputs[i].shape[0],
           (long long)info->outputs[i].max_shape[0]);
  free(ws);
  return status;
}
