/* mcc runtime ABI: the types and status codes shared by every object that mcc generates.
 *
 * A generated header (model.h) includes this file. Everything here is plain C99 and stable across
 * models; MCC_ABI_VERSION changes whenever a struct below changes layout. */
#ifndef MCC_RT_H
#define MCC_RT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 3: mcc_model_info gained workspace_per_worker; mcc_parallel and <name>_run_parallel are new. */
#define MCC_ABI_VERSION 3

/* Every generated workspace pointer must be aligned to this many bytes. */
#define MCC_WORKSPACE_ALIGNMENT 64

/* Status codes returned by <name>_run(). 0 is success; mcc_strerror() names each. */
typedef enum {
  MCC_OK = 0,
  MCC_ERR_NULL_ARGUMENT = 1,  /* a struct, tensor or workspace pointer was NULL */
  MCC_ERR_MISALIGNED = 2,     /* workspace not aligned to MCC_WORKSPACE_ALIGNMENT */
  MCC_ERR_BAD_DIMENSION = 3,  /* a runtime dimension does not fit the model */
  MCC_ERR_WORKSPACE_SIZE = 4, /* workspace smaller than the model needs */
  MCC_ERR_INTERNAL = 5,
  MCC_ERR_WEIGHTS = 6,            /* the weights blob (--weights=external) is missing, misaligned or another model's */
  MCC_ERR_INDEX_OUT_OF_RANGE = 7, /* an index input (Gather, Scatter, GatherND, ...) lies outside its axis */
  MCC_ERR_INVALID_SIZE = 8        /* a size input (TopK's K, DFT length, OneHot depth, ...) does not fit the
                                     shapes the model was compiled for */
} mcc_status;

/* The run-time checks behind MCC_ERR_INDEX_OUT_OF_RANGE and MCC_ERR_INVALID_SIZE run where the value is
 * first needed: the node that fails and every node after it write nothing; outputs written by earlier
 * nodes keep what they hold. A failed run never reads or writes outside the buffers it was given. */

/* A weights blob (--weights=external) starts with a 64-byte header: these 8 bytes, the blob's size in
 * bytes (uint64, little-endian), 32 bytes of the model's SHA-256, zeros. The data follows at 64-byte
 * aligned offsets; the blob must be given 64-byte aligned (mmap gives page alignment). */
#define MCC_WEIGHTS_MAGIC "MCCWGHT1"

/* Element types: the numbers are ONNX TensorProto.DataType values. */
typedef enum {
  MCC_DTYPE_UNDEFINED = 0,
  MCC_DTYPE_FLOAT32 = 1,
  MCC_DTYPE_UINT8 = 2,
  MCC_DTYPE_INT8 = 3,
  MCC_DTYPE_UINT16 = 4,
  MCC_DTYPE_INT16 = 5,
  MCC_DTYPE_INT32 = 6,
  MCC_DTYPE_INT64 = 7,
  MCC_DTYPE_STRING = 8,
  MCC_DTYPE_BOOL = 9,
  MCC_DTYPE_FLOAT16 = 10,
  MCC_DTYPE_FLOAT64 = 11,
  MCC_DTYPE_UINT32 = 12,
  MCC_DTYPE_UINT64 = 13,
  MCC_DTYPE_BFLOAT16 = 16
} mcc_dtype;

/* One graph input or output. shape[i] == -1 marks a dimension known only at run time: for an output
 * whose shape depends on the data (NonZero, Unique, NonMaxSuppression, Compress), max_shape[i] is its
 * upper bound, <name>_run writes the actual shape into the outputs struct, and the buffer holds
 * max_shape's element count. For every other dimension max_shape[i] == shape[i]. */
typedef struct {
  const char *name; /* the ONNX value name */
  int32_t dtype;    /* mcc_dtype */
  int32_t rank;
  const int64_t *shape;     /* rank entries */
  const int64_t *max_shape; /* rank entries */
} mcc_tensor_info;

/* What <name>_info() returns: a constant in the object's .rodata, never freed. */
typedef struct {
  uint32_t abi_version;    /* MCC_ABI_VERSION of the compiler that wrote the object */
  const char *name;        /* the --name prefix */
  const char *mcc_version; /* e.g. "0.1.0" */
  const char *model_hash;  /* SHA-256 of the .onnx bytes, hex */
  const char *producer;    /* ModelProto producer_name and producer_version */
  int64_t model_version;   /* ModelProto model_version */
  int64_t opset;           /* default-domain opset the model imports */
  uint64_t workspace_size; /* bytes; same as <NAME>_WORKSPACE_SIZE */
  int32_t num_inputs;
  int32_t num_outputs;
  const mcc_tensor_info *inputs;
  const mcc_tensor_info *outputs;
  uint64_t workspace_per_worker; /* bytes; same as <NAME>_WORKSPACE_PER_WORKER */
} mcc_model_info;

/*--- Threads: the application lends its workers ------------------------------------------------------
 *
 * Generated code never starts a thread. <name>_run_parallel(in, out, workspace, par) runs the model on
 * the workers `par` describes: each large matmul, convolution and loop nest is split into independent
 * parts of its output, and `par->parallel_for` runs the parts. <name>_run(in, out, workspace) is the same
 * as <name>_run_parallel with par == NULL: everything on the calling thread.
 *
 *   mcc_task fn(arg, begin, end, worker)
 *     does parts [begin, end) of a job of n parts. `worker` (0 <= worker < num_workers) names the
 *     scratch slice the call may use: two calls that run at the same time within one parallel_for
 *     must have different worker numbers.
 *   parallel_for(ctx, fn, arg, n)
 *     calls fn on ranges that together cover [0, n) exactly once, in any order, on any threads, and
 *     returns when every call has returned (what they wrote is then visible to the caller). Running
 *     all of [0, n) in one call on the calling thread, as worker 0, is a valid implementation.
 *     Generated code calls it from one thread per run and never from inside fn.
 *
 * Results are bitwise identical for any number of workers: a part is a block of outputs, and no sum is
 * split across parts. The workspace of a run on W workers holds W scratch slices: give it
 * <NAME>_WORKSPACE_SIZE_FOR(W) bytes (<NAME>_WORKSPACE_SIZE + (W - 1) * <NAME>_WORKSPACE_PER_WORKER).
 * Threads that run a model at the same time need a workspace each; they may share one pool.
 *
 * libmcc_rt has a default pool (C99 + POSIX threads); any other (OpenMP, TBB, a job system) plugs in
 * by filling an mcc_parallel. */
typedef void (*mcc_task)(void *arg, int64_t begin, int64_t end, int32_t worker);

typedef struct mcc_parallel {
  void (*parallel_for)(void *ctx, mcc_task fn, void *arg, int64_t n);
  void *ctx;           /* passed to parallel_for as is */
  int32_t num_workers; /* workers parallel_for may use at once, the caller included; >= 1 */
} mcc_parallel;

/* The default pool: num_workers - 1 threads, started here and parked until destroy; the thread that
 * calls parallel_for is worker 0 and does its share. Between jobs the workers spin for a few
 * microseconds, then sleep on a condition variable. A pool runs one job at a time: when another
 * thread's job holds it, parallel_for runs the whole job on the calling thread instead of waiting.
 * Returns NULL (errno set) when num_workers < 1 or a thread cannot be started. */
typedef struct mcc_pool mcc_pool;
mcc_pool *mcc_pool_create(int32_t num_workers);
/* Joins the threads and frees the pool; no job may be running. NULL is ignored. */
void mcc_pool_destroy(mcc_pool *pool);
/* The pool's parallel_for (ctx is the mcc_pool *). */
void mcc_pool_parallel_for(void *pool, mcc_task fn, void *arg, int64_t n);
/* The mcc_parallel that runs on `pool`. */
mcc_parallel mcc_pool_parallel(mcc_pool *pool);

/* Maps the weights file at `path` read-only (POSIX mmap) and stores its size in `*size`; NULL on error
 * (errno says why). Release it with mcc_weights_unmap(). The mapping is shared by every thread. */
const void *mcc_weights_map(const char *path, size_t *size);
void mcc_weights_unmap(const void *weights, size_t size);

/* A fixed English message for a status code; never NULL. */
const char *mcc_strerror(int status);

/* Bytes of one element of dtype, 0 for unknown or string. */
size_t mcc_dtype_size(int32_t dtype);

/* Number of elements of a tensor (product of its shape); -1 if any dimension is dynamic. */
int64_t mcc_tensor_numel(const mcc_tensor_info *t);

#ifdef __cplusplus
}
#endif
#endif /* MCC_RT_H */
