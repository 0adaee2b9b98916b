/* Runs one object compiled with --dim N=1,3,8 at every compiled batch size and one it was not compiled
 * for: Y = relu(X) on [N,3,4,4], with Y's runtime shape and the workspace size per batch. */
#include <stdio.h>
#include <stdlib.h>

#include "relu.h"

static int run_batch(int64_t n) {
  size_t count = (size_t)n * 3 * 4 * 4, bad = 0;
  float *x = malloc(RELU_INPUT_X_SIZE * sizeof(float)), *y = malloc(RELU_OUTPUT_Y_SIZE * sizeof(float));
  for (size_t i = 0; i < count; ++i)
    x[i] = (float)i - (float)count / 2;
  relu_inputs in = {x, n};
  relu_outputs out = {y, {-1, -1, -1, -1}};
  int64_t ws = relu_workspace_size(&in);
  int status = relu_run(&in, &out, NULL);
  if (status == 0)
    for (size_t i = 0; i < count; ++i)
      bad += y[i] != (x[i] > 0 ? x[i] : 0);
  printf("N=%lld status=%d workspace=%lld dims=%lld,%lld,%lld,%lld wrong=%zu\n", (long long)n, status, (long long)ws,
         (long long)out.Y_dims[0], (long long)out.Y_dims[1], (long long)out.Y_dims[2], (long long)out.Y_dims[3], bad);
  free(x);
  free(y);
  return status;
}

int main(void) {
  const mcc_model_info *info = relu_info();
  printf("info: input shape %lld,%lld output shape %lld,%lld capacity %d\n", (long long)info->inputs[0].shape[0],
         (long long)info->inputs[0].shape[1], (long long)info->outputs[0].shape[0],
         (long long)info->outputs[0].shape[1], RELU_OUTPUT_Y_SIZE);
  run_batch(1);
  run_batch(3);
  run_batch(8);
  run_batch(2);
  return 0;
}
