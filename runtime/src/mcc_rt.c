/* libmcc_rt: the few C functions generated code and applications share. No allocation, no globals
 * that change. */
#if defined(__unix__) || defined(__APPLE__)
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define MCC_HAVE_MMAP 1
#endif
#include <errno.h>

#include "mcc/mcc_rt.h"

const void *mcc_weights_map(const char *path, size_t *size) {
#ifdef MCC_HAVE_MMAP
  int fd;
  struct stat st;
  void *p;
  if (!path || !size) {
    errno = EINVAL;
    return NULL;
  }
  fd = open(path, O_RDONLY);
  if (fd < 0)
    return NULL;
  if (fstat(fd, &st) != 0 || st.st_size <= 0) {
    int e = errno ? errno : EINVAL;
    close(fd);
    errno = e;
    return NULL;
  }
  p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED)
    return NULL;
  *size = (size_t)st.st_size;
  return p;
#else
  (void)path;
  (void)size;
  errno = ENOSYS;
  return NULL;
#endif
}

void mcc_weights_unmap(const void *weights, size_t size) {
#ifdef MCC_HAVE_MMAP
  if (weights)
    munmap((void *)weights, size);
#else
  (void)weights;
  (void)size;
#endif
}

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
  case MCC_ERR_WEIGHTS:
    return "the weights blob is NULL, not 64-byte aligned, or not the one written for this model";
  case MCC_ERR_INDEX_OUT_OF_RANGE:
    return "an index in an input tensor is out of range for the axis it indexes";
  case MCC_ERR_INVALID_SIZE:
    return "a size or count in an input tensor does not fit the shapes the model was compiled for";
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
  case MCC_DTYPE_FLOAT8E4M3FN:
  case MCC_DTYPE_FLOAT8E4M3FNUZ:
  case MCC_DTYPE_FLOAT8E5M2:
  case MCC_DTYPE_FLOAT8E5M2FNUZ:
  case MCC_DTYPE_UINT4:
  case MCC_DTYPE_INT4:
  case MCC_DTYPE_FLOAT4E2M1:
  case MCC_DTYPE_UINT2:
  case MCC_DTYPE_INT2:
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
