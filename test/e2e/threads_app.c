/* threads_app: runs threads.onnx (test/e2e/threads_model.py) compiled by mcc on several kinds of pool and
 * wants every output byte-identical to the single-thread <name>_run:
 *   1. the default pool with 1, 2, 3 and 8 workers, an adapter that counts the jobs the model hands
 *      out (and, built with -DWITH_OPENMP, an OpenMP pool);
 *   2. the stress: APP_THREADS application threads, each with its own workspace, half of them with a
 *      pool of their own and half sharing one pool, each running the model RUNS times.
 * usage: threads_app [RUNS (default 20)]. Exit 0 when every output matched. */
#define _POSIX_C_SOURCE 200809L
#define _ISOC11_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef WITH_OPENMP
#include <omp.h>
#endif

#include "threads.h"

#define APP_THREADS 4
#define LOGITS_FLOATS THREADS_OUTPUT_LOGITS_SIZE
#define ATTN_FLOATS THREADS_OUTPUT_ATTN_SIZE

static float input[THREADS_INPUT_X_SIZE];
static float ref_logits[LOGITS_FLOATS], ref_attn[ATTN_FLOATS];
static int runs = 20;

static void *workspace_for(int32_t workers) {
  size_t size = (THREADS_WORKSPACE_SIZE_FOR(workers) + 63) / 64 * 64;
  void *ws = aligned_alloc(MCC_WORKSPACE_ALIGNMENT, size ? size : 64);
  if (!ws) {
    fprintf(stderr, "threads_app: out of memory\n");
    exit(2);
  }
  return ws;
}

/* Runs the model once on `par` (NULL: _run) and compares with the reference; 0 when identical. */
static int run_and_compare(const mcc_parallel *par, void *ws, const char *what) {
  float *logits = malloc(sizeof ref_logits), *attn = malloc(sizeof ref_attn);
  int bad = 0;
  if (!logits || !attn) {
    fprintf(stderr, "threads_app: out of memory\n");
    exit(2);
  }
  memset(logits, 0xff, sizeof ref_logits);
  memset(attn, 0xff, sizeof ref_attn);
  threads_inputs in = {input};
  threads_outputs out = {logits, attn};
  int status = threads_run_parallel(&in, &out, ws, par);
  if (status != MCC_OK) {
    fprintf(stderr, "%s: status %d: %s\n", what, status, mcc_strerror(status));
    bad = 1;
  } else if (memcmp(logits, ref_logits, sizeof ref_logits) != 0 || memcmp(attn, ref_attn, sizeof ref_attn) != 0) {
    fprintf(stderr, "%s: outputs differ from the single-thread run\n", what);
    bad = 1;
  }
  free(logits);
  free(attn);
  return bad;
}

#ifdef WITH_OPENMP
/* The adapter an OpenMP application writes: one static chunk per OpenMP thread. */
static void omp_parallel_for(void *ctx, mcc_task fn, void *arg, int64_t n) {
  (void)ctx;
#pragma omp parallel
  {
    int64_t t = omp_get_thread_num(), T = omp_get_num_threads();
    int64_t begin = n * t / T, end = n * (t + 1) / T;
    if (begin < end)
      fn(arg, begin, end, (int32_t)t);
  }
}
#endif

/* An adapter in front of the default pool that counts the jobs: the model must hand some out. */
static int64_t counted_jobs;
static void counting_parallel_for(void *ctx, mcc_task fn, void *arg, int64_t n) {
  ++counted_jobs;
  mcc_pool_parallel_for(ctx, fn, arg, n);
}

struct app_thread {
  mcc_pool *shared; /* NULL: make a pool of its own */
  int32_t own_workers;
  int failures;
};

static void *app_main(void *p) {
  struct app_thread *t = p;
  mcc_pool *pool = t->shared ? t->shared : mcc_pool_create(t->own_workers);
  if (!pool) {
    t->failures = runs;
    return NULL;
  }
  mcc_parallel par = mcc_pool_parallel(pool);
  void *ws = workspace_for(par.num_workers);
  for (int r = 0; r < runs; ++r)
    t->failures += run_and_compare(&par, ws, t->shared ? "stress, shared pool" : "stress, own pool");
  free(ws);
  if (!t->shared)
    mcc_pool_destroy(pool);
  return NULL;
}

int main(int argc, char **argv) {
  int failures = 0;
  if (argc > 1)
    runs = atoi(argv[1]);
  uint32_t state = 12345;
  for (size_t i = 0; i < THREADS_INPUT_X_SIZE; ++i) {
    state = state * 1664525u + 1013904223u;
    input[i] = (float)(state >> 8) / (float)(1u << 24) * 2.0f - 1.0f;
  }

  /* The reference: _run, on this thread alone. */
  void *ws1 = workspace_for(1);
  threads_inputs in = {input};
  threads_outputs out = {ref_logits, ref_attn};
  int status = threads_run(&in, &out, ws1);
  if (status != MCC_OK) {
    fprintf(stderr, "threads_run: %s\n", mcc_strerror(status));
    return 1;
  }
  failures += run_and_compare(NULL, ws1, "_run_parallel, no pool");
  free(ws1);
  if (threads_info()->workspace_per_worker != THREADS_WORKSPACE_PER_WORKER || THREADS_WORKSPACE_PER_WORKER == 0) {
    fprintf(stderr, "workspace_per_worker: info %llu, header %llu\n",
            (unsigned long long)threads_info()->workspace_per_worker, (unsigned long long)THREADS_WORKSPACE_PER_WORKER);
    ++failures;
  }

  static const int32_t counts[] = {1, 2, 3, 8};
  for (size_t i = 0; i < sizeof counts / sizeof counts[0]; ++i) {
    char what[64];
    mcc_pool *pool = mcc_pool_create(counts[i]);
    if (!pool) {
      fprintf(stderr, "mcc_pool_create(%d) failed\n", counts[i]);
      return 1;
    }
    mcc_parallel par = mcc_pool_parallel(pool);
    void *ws = workspace_for(counts[i]);
    snprintf(what, sizeof what, "default pool, %d workers", counts[i]);
    for (int r = 0; r < 3; ++r)
      failures += run_and_compare(&par, ws, what);
    printf("%s: %s\n", what, failures ? "DIFFERENT" : "identical");
    free(ws);
    mcc_pool_destroy(pool);
  }
  {
    mcc_pool *pool = mcc_pool_create(2);
    mcc_parallel par = {counting_parallel_for, pool, 2};
    void *ws = workspace_for(2);
    failures += run_and_compare(&par, ws, "counting pool, 2 workers");
    /* 4 convolutions, 2 MatMuls and 2 loop nests are large enough to split; the Gemm and the mean are not. */
    printf("jobs handed to the pool per run: %lld\n", (long long)counted_jobs);
    if (counted_jobs != 8) {
      fprintf(stderr, "expected 8 parallel jobs per run, got %lld\n", (long long)counted_jobs);
      ++failures;
    }
    free(ws);
    mcc_pool_destroy(pool);
  }
#ifdef WITH_OPENMP
  {
    omp_set_num_threads(3);
    mcc_parallel par = {omp_parallel_for, NULL, 3};
    void *ws = workspace_for(3);
    failures += run_and_compare(&par, ws, "OpenMP, 3 threads");
    printf("OpenMP pool, 3 workers: %s\n", failures ? "DIFFERENT" : "identical");
    free(ws);
  }
#endif

  mcc_pool *shared = mcc_pool_create(3);
  struct app_thread threads[APP_THREADS];
  pthread_t ids[APP_THREADS];
  for (int i = 0; i < APP_THREADS; ++i) {
    threads[i].shared = i % 2 ? shared : NULL;
    threads[i].own_workers = 2;
    threads[i].failures = 0;
    if (pthread_create(&ids[i], NULL, app_main, &threads[i]) != 0) {
      fprintf(stderr, "pthread_create failed\n");
      return 1;
    }
  }
  for (int i = 0; i < APP_THREADS; ++i) {
    pthread_join(ids[i], NULL);
    failures += threads[i].failures;
  }
  mcc_pool_destroy(shared);
  printf("stress: %d application threads x %d runs: %s\n", APP_THREADS, runs, failures ? "DIFFERENT" : "identical");
  return failures ? 1 : 0;
}
