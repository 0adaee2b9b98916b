/* Runs a model compiled by mcc RUNS times on zero inputs (a valid index for every index input), for
 * instruction counts of <name>_run under callgrind (check_cost.sh). Build with -DMODEL=<name>; models
 * with runtime dimensions or data-dependent output shapes are not supported. */
#include <stdio.h>
#include <stdlib.h>

#include "mcc/mcc_rt.h"

#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
int XCAT(MODEL, _run)(const void *inputs, void *outputs, void *workspace);
const mcc_model_info *XCAT(MODEL, _info)(void);

static void *zeros(const mcc_tensor_info *t) {
  size_t bytes = (size_t)mcc_tensor_numel(t) * mcc_dtype_size(t->dtype);
  return calloc(bytes ? bytes : 1, 1);
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 1;
  const mcc_model_info *info = XCAT(MODEL, _info)();
  void **in = calloc((size_t)info->num_inputs + 1, sizeof(void *));
  void **out = calloc((size_t)info->num_outputs + 1, sizeof(void *));
  if (!in || !out)
    return 2;
  for (int i = 0; i < info->num_inputs; ++i)
    in[i] = zeros(&info->inputs[i]);
  for (int i = 0; i < info->num_outputs; ++i)
    out[i] = zeros(&info->outputs[i]);
  void *ws = aligned_alloc(MCC_WORKSPACE_ALIGNMENT, (info->workspace_size + 63) / 64 * 64 + 64);
  for (int r = 0; r < runs; ++r) {
    int status = XCAT(MODEL, _run)(in, out, ws);
    if (status != MCC_OK) {
      fprintf(stderr, "run %d: status %d (%s)\n", r, status, mcc_strerror(status));
      return 1;
    }
  }
  return 0;
}
