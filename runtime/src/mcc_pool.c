/* The default thread pool behind mcc_parallel: C99, POSIX threads, and the __atomic builtins of GCC
 * and Clang for the few words that threads read without a lock.
 *
 * A job is published by bumping `generation`; each worker thread w (1..n-1) runs the static share
 * [n*w/W, n*(w+1)/W) of it and counts `pending` down; the caller runs share 0 and waits for
 * `pending` to reach 0. Workers and the waiting caller spin for a while (a run of a model issues
 * jobs microseconds apart) and then sleep on a condition variable; the mutex is only taken to go to
 * sleep and to wake a sleeper, so a job among spinning workers costs a few atomic operations. The
 * fields threads write in a loop live on cache lines of their own. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "mcc/mcc_rt.h"

#define CACHE_LINE 64
/* Polls before sleeping: a few tens of microseconds with a pause in each. */
#define SPIN_POLLS 20000

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__("yield")
#else
#define cpu_relax() ((void)0)
#endif

#define load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

struct mcc_pool {
  /* Written by the caller per job, read by the workers after they see the new generation. */
  mcc_task fn;
  void *arg;
  int64_t n;
  int32_t num_workers;
  pthread_t *threads;
  int32_t started;
  char pad0[CACHE_LINE];
  uint64_t generation; /* bumped once per job (release), polled by the workers */
  int32_t stop;
  char pad1[CACHE_LINE];
  int32_t pending; /* workers of the current job still running */
  char pad2[CACHE_LINE];
  int32_t busy; /* a job holds the pool: another caller runs its job alone */
  char pad3[CACHE_LINE];
  pthread_mutex_t mutex;
  pthread_cond_t wake; /* workers sleep here between jobs */
  pthread_cond_t done; /* the caller sleeps here until pending == 0 */
  int32_t sleepers;    /* workers asleep or going to sleep on `wake` */
  int32_t waiting;     /* the caller sleeps or is going to sleep on `done` */
};

struct worker_start {
  mcc_pool *pool;
  int32_t index;
};

static void run_share(mcc_pool *pool, int32_t w) {
  int64_t n = pool->n, W = pool->num_workers;
  int64_t begin = n * w / W, end = n * (w + 1) / W;
  if (begin < end)
    pool->fn(pool->arg, begin, end, w);
}

static void *worker_main(void *p) {
  struct worker_start *start = p;
  mcc_pool *pool = start->pool;
  int32_t w = start->index;
  uint64_t seen = 0;
  free(start);
  for (;;) {
    uint64_t gen = load_acquire(&pool->generation);
    for (int i = 0; gen == seen && i < SPIN_POLLS; ++i) {
      cpu_relax();
      gen = load_acquire(&pool->generation);
    }
    if (gen == seen) {
      /* sleepers before generation here, generation before sleepers in parallel_for (both
       * sequentially consistent): a job is either seen here or the caller sees a sleeper. */
      pthread_mutex_lock(&pool->mutex);
      __atomic_add_fetch(&pool->sleepers, 1, __ATOMIC_SEQ_CST);
      while ((gen = __atomic_load_n(&pool->generation, __ATOMIC_SEQ_CST)) == seen && !load_acquire(&pool->stop))
        pthread_cond_wait(&pool->wake, &pool->mutex);
      __atomic_sub_fetch(&pool->sleepers, 1, __ATOMIC_RELAXED);
      pthread_mutex_unlock(&pool->mutex);
    }
    if (load_acquire(&pool->stop))
      return NULL;
    seen = gen;
    run_share(pool, w);
    /* The same pairing with `waiting`: the caller either sees pending == 0 or is signalled. */
    if (__atomic_sub_fetch(&pool->pending, 1, __ATOMIC_SEQ_CST) == 0 &&
        __atomic_load_n(&pool->waiting, __ATOMIC_SEQ_CST)) {
      pthread_mutex_lock(&pool->mutex);
      pthread_cond_signal(&pool->done);
      pthread_mutex_unlock(&pool->mutex);
    }
  }
}

void mcc_pool_destroy(mcc_pool *pool) {
  if (!pool)
    return;
  pthread_mutex_lock(&pool->mutex);
  store_release(&pool->stop, 1);
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->mutex);
  for (int32_t i = 0; i < pool->started; ++i)
    pthread_join(pool->threads[i], NULL);
  pthread_cond_destroy(&pool->done);
  pthread_cond_destroy(&pool->wake);
  pthread_mutex_destroy(&pool->mutex);
  free(pool->threads);
  free(pool);
}

mcc_pool *mcc_pool_create(int32_t num_workers) {
  mcc_pool *pool;
  void *mem = NULL;
  if (num_workers < 1) {
    errno = EINVAL;
    return NULL;
  }
  /* Cache-line aligned, so that the padded fields do not share a line with other data. */
  if (posix_memalign(&mem, CACHE_LINE, sizeof(mcc_pool)) != 0) {
    errno = ENOMEM;
    return NULL;
  }
  pool = mem;
  *pool = (mcc_pool){0};
  pool->num_workers = num_workers;
  pthread_mutex_init(&pool->mutex, NULL);
  pthread_cond_init(&pool->wake, NULL);
  pthread_cond_init(&pool->done, NULL);
  if (num_workers > 1) {
    pool->threads = malloc(sizeof(pthread_t) * (size_t)(num_workers - 1));
    if (!pool->threads) {
      mcc_pool_destroy(pool);
      errno = ENOMEM;
      return NULL;
    }
  }
  for (int32_t i = 1; i < num_workers; ++i) {
    struct worker_start *start = malloc(sizeof *start);
    int rc = start ? 0 : ENOMEM;
    if (start) {
      start->pool = pool;
      start->index = i;
      rc = pthread_create(&pool->threads[i - 1], NULL, worker_main, start);
      if (rc != 0)
        free(start);
    }
    if (rc != 0) {
      mcc_pool_destroy(pool);
      errno = rc;
      return NULL;
    }
    ++pool->started;
  }
  return pool;
}

void mcc_pool_parallel_for(void *ctx, mcc_task fn, void *arg, int64_t n) {
  mcc_pool *pool = ctx;
  if (n <= 0)
    return;
  /* One worker, one part, or a pool busy with another caller's job: this thread does it all. */
  if (!pool || pool->num_workers == 1 || n == 1 || __atomic_exchange_n(&pool->busy, 1, __ATOMIC_ACQUIRE)) {
    fn(arg, 0, n, 0);
    return;
  }
  pool->fn = fn;
  pool->arg = arg;
  pool->n = n;
  __atomic_store_n(&pool->pending, pool->num_workers - 1, __ATOMIC_RELAXED);
  /* The release publishes fn, arg, n and pending with the generation. */
  __atomic_fetch_add(&pool->generation, 1, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&pool->sleepers, __ATOMIC_SEQ_CST)) {
    pthread_mutex_lock(&pool->mutex);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->mutex);
  }

  run_share(pool, 0);

  for (int i = 0; load_acquire(&pool->pending) != 0 && i < SPIN_POLLS; ++i)
    cpu_relax();
  if (load_acquire(&pool->pending) != 0) {
    pthread_mutex_lock(&pool->mutex);
    __atomic_store_n(&pool->waiting, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&pool->pending, __ATOMIC_SEQ_CST) != 0)
      pthread_cond_wait(&pool->done, &pool->mutex);
    __atomic_store_n(&pool->waiting, 0, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&pool->mutex);
  }
  __atomic_store_n(&pool->busy, 0, __ATOMIC_RELEASE);
}

mcc_parallel mcc_pool_parallel(mcc_pool *pool) {
  mcc_parallel par;
  par.parallel_for = mcc_pool_parallel_for;
  par.ctx = pool;
  par.num_workers = pool ? pool->num_workers : 1;
  return par;
}
