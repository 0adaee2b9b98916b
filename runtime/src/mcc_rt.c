/* libmcc_rt: the few C functions generated code and applications share. No allocation, no globals
 * that change. */
#include "mcc/mcc_rt.h"

const char *mcc_strerror(int status) {
  switch (status) {
  case MCC_OK:
    return "success";
  case MCC_ERR_NULL_ARGUMENT:
    return "a required pointer argument (inputs, outputs, a tensor or the workspace) is NULL";
  case MCC_ERR_MISALIGNED:
    return "the workspace is not aligned to MCC_WORKSPACE_ALIGNMENT (64) bytes";
  case MCC_ERR_BAD_DIMENSION:
    return "a runtime dimension does not match the model";
  case MCC_ERR_WORKSPACE_SIZE:
    return "the workspace is smaller than the model needs";
  case MCC_ERR_INTERNAL:
    return "internal error in generated code";
  default:
    return "unknown mcc status code";
  }
}

size_t mcc_dtype_size(int32_t dtype) {
  switch (dtype) {
  case MCC_DTYPE_FLOAT64:
  case MCC_DTYPE_INT64:
  case MCC_DTYPE_UINT64:
    return 8;
  case MCC_DTYPE_FLOAT32:
  case MCC_DTYPE_INT32:
  case MCC_DTYPE_UINT32:
    return 4;
  case MCC_DTYPE_FLOAT16:
  case MCC_DTYPE_BFLOAT16:
  case MCC_DTYPE_INT16:
  case MCC_DTYPE_UINT16:
    return 2;
  case MCC_DTYPE_INT8:
  case MCC_DTYPE_UINT8:
  case MCC_DTYPE_BOOL:
    return 1;
  default:
    return 0;
  }
}

int64_t mcc_tensor_numel(const mcc_tensor_info *t) {
  int64_t n = 1;
  for (int32_t i = 0; i < t->rank; ++i) {
    if (t->shape[i] < 0)
      return -1;
    n *= t->shape[i];
  }
  return n;
}
