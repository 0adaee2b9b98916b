/* The default thread pool behind mcc_parallel: C99, POSIX threads, and the __atomic builtins of GCC
 * and Clang for the few words that threads read without a lock.
 *
 * A job of n parts is cut into W static shares (W workers, the caller included). The caller
 * publishes it with a new generation in `claim`; the caller and every awake worker claim shares one
 * at a time and count `done` up; the caller returns when all W are done. Workers and the waiting
 * caller spin for a while (a run of a model issues jobs microseconds apart) and then sleep on a
 * condition variable; the mutex is only taken to go to sleep and to wake a sleeper, so a job among
 * spinning workers costs a few atomic operations, and a worker that is slow to wake costs nothing:
 * the caller runs its share. The fields threads write in a loop live on cache lines of their own. */
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
  /* Written by the caller per job, read by the threads that claim one of its shares. */
  mcc_task fn;
  void *arg;
  int64_t n;
  int32_t num_workers;
  pthread_t *threads;
  int32_t started;
  uint32_t jobs; /* the caller's count of jobs (under busy) */
  int32_t stop;
  char pad0[CACHE_LINE];
  /* The job's generation (high 32 bits) and its next unclaimed share (low 32 bits): a thread claims a
   * share with a compare-and-swap that also checks the generation, so a thread late for one job can
   * never claim a share of the next. */
  uint64_t claim;
  char pad1[CACHE_LINE];
  int32_t done; /* shares of the current job finished */
  char pad2[CACHE_LINE];
  int32_t busy; /* a job holds the pool: another caller runs its job alone */
  char pad3[CACHE_LINE];
  pthread_mutex_t mutex;
  pthread_cond_t wake;      /* workers sleep here between jobs */
  pthread_cond_t done_cond; /* the caller sleeps here until every share is done */
  int32_t sleepers;         /* workers asleep or going to sleep on `wake` */
  int32_t waiting;          /* the caller sleeps or is going to sleep on `done_cond` */
};

struct worker_start {
  mcc_pool *pool;
  int32_t index;
};

/* Claims and runs shares of job `gen` as worker `w` until none is left. Share s is the static range
 * [n*s/W, n*(s+1)/W); whoever is awake first runs it, so a worker the OS has not woken yet never holds
 * the caller up: the caller takes its shares. */
static void run_shares(mcc_pool *pool, uint32_t gen, int32_t w) {
  const int64_t W = pool->num_workers;
  uint64_t c = __atomic_load_n(&pool->claim, __ATOMIC_ACQUIRE);
  while ((uint32_t)(c >> 32) == gen && (int64_t)(c & 0xffffffffu) < W) {
    if (!__atomic_compare_exchange_n(&pool->claim, &c, c + 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      continue; /* c now holds the current value */
    const int64_t share = (int64_t)(c & 0xffffffffu), n = pool->n;
    const int64_t begin = n * share / W, end = n * (share + 1) / W;
    if (begin < end)
      pool->fn(pool->arg, begin, end, w);
    /* The same pairing as for sleepers: the caller either sees every share done or is signalled. */
    if (__atomic_add_fetch(&pool->done, 1, __ATOMIC_SEQ_CST) == W && w != 0 &&
        __atomic_load_n(&pool->waiting, __ATOMIC_SEQ_CST)) {
      pthread_mutex_lock(&pool->mutex);
      pthread_cond_signal(&pool->done_cond);
      pthread_mutex_unlock(&pool->mutex);
    }
    c = __atomic_load_n(&pool->claim, __ATOMIC_ACQUIRE);
  }
}

static void *worker_main(void *p) {
  struct worker_start *start = p;
  mcc_pool *pool = start->pool;
  int32_t w = start->index;
  uint32_t seen = 0;
  free(start);
  for (;;) {
    uint32_t gen = (uint32_t)(load_acquire(&pool->claim) >> 32);
    for (int i = 0; gen == seen && i < SPIN_POLLS; ++i) {
      cpu_relax();
      gen = (uint32_t)(load_acquire(&pool->claim) >> 32);
    }
    if (gen == seen) {
      /* sleepers before claim here, claim before sleepers in parallel_for (both sequentially
       * consistent): a new job is either seen here or the caller sees a sleeper. */
      pthread_mutex_lock(&pool->mutex);
      __atomic_add_fetch(&pool->sleepers, 1, __ATOMIC_SEQ_CST);
      while ((gen = (uint32_t)(__atomic_load_n(&pool->claim, __ATOMIC_SEQ_CST) >> 32)) == seen &&
             !load_acquire(&pool->stop))
        pthread_cond_wait(&pool->wake, &pool->mutex);
      __atomic_sub_fetch(&pool->sleepers, 1, __ATOMIC_RELAXED);
      pthread_mutex_unlock(&pool->mutex);
    }
    if (load_acquire(&pool->stop))
      return NULL;
    seen = gen;
    run_shares(pool, gen, w);
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
  pthread_cond_destroy(&pool->done_cond);
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
  pthread_cond_init(&pool->done_cond, NULL);
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
  const uint32_t gen = ++pool->jobs ? pool->jobs : ++pool->jobs; /* 0 is the workers' initial "seen" */
  pool->fn = fn;
  pool->arg = arg;
  pool->n = n;
  __atomic_store_n(&pool->done, 0, __ATOMIC_RELAXED);
  /* Publishes fn, arg, n and done with the new generation, share 0 unclaimed. */
  __atomic_store_n(&pool->claim, (uint64_t)gen << 32, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&pool->sleepers, __ATOMIC_SEQ_CST)) {
    pthread_mutex_lock(&pool->mutex);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->mutex);
  }

  run_shares(pool, gen, 0);

  /* Only shares that workers claimed are left: they are running. */
  const int32_t W = pool->num_workers;
  for (int i = 0; load_acquire(&pool->done) != W && i < SPIN_POLLS; ++i)
    cpu_relax();
  if (load_acquire(&pool->done) != W) {
    pthread_mutex_lock(&pool->mutex);
    __atomic_store_n(&pool->waiting, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&pool->done, __ATOMIC_SEQ_CST) != W)
      pthread_cond_wait(&pool->done_cond, &pool->mutex);
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
