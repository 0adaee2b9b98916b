//===- PoolTest.cpp - libmcc_rt's default pool: coverage, worker numbers, sharing ------------------===//
#include "mcc/mcc_rt.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <memory>
#include <thread>
#include <vector>

namespace {

struct PoolDeleter {
  void operator()(mcc_pool *p) const { mcc_pool_destroy(p); }
};
using Pool = std::unique_ptr<mcc_pool, PoolDeleter>;

// Counts each index and checks that no two calls running at once share a worker number.
struct Job {
  std::vector<std::atomic<int>> hits;
  std::vector<std::atomic<int>> inUse;
  std::atomic<int> overlaps{0}, badWorker{0};
  int32_t workers;
  Job(int64_t n, int32_t workers) : hits(n), inUse(workers), workers(workers) {}

  static void task(void *arg, int64_t begin, int64_t end, int32_t worker) {
    auto *job = static_cast<Job *>(arg);
    if (worker < 0 || worker >= job->workers) {
      ++job->badWorker;
      return;
    }
    if (job->inUse[worker].exchange(1))
      ++job->overlaps;
    for (int64_t i = begin; i < end; ++i)
      ++job->hits[i];
    job->inUse[worker] = 0;
  }
};

void runJobs(mcc_pool *pool, int32_t workers, int rounds) {
  for (int r = 0; r < rounds; ++r) {
    int64_t n = 1 + r % 37;
    Job job(n, workers);
    mcc_parallel par = mcc_pool_parallel(pool);
    ASSERT_EQ(workers, par.num_workers);
    par.parallel_for(par.ctx, Job::task, &job, n);
    for (int64_t i = 0; i < n; ++i)
      ASSERT_EQ(1, job.hits[i].load()) << "index " << i << " of " << n;
    ASSERT_EQ(0, job.overlaps.load());
    ASSERT_EQ(0, job.badWorker.load());
  }
}

TEST(Pool, EveryIndexOnceDistinctWorkers) {
  for (int32_t workers : {1, 2, 3, 8}) {
    Pool pool(mcc_pool_create(workers));
    ASSERT_NE(nullptr, pool);
    runJobs(pool.get(), workers, 500);
  }
}

TEST(Pool, SharedByApplicationThreads) {
  Pool pool(mcc_pool_create(3));
  std::vector<std::thread> apps;
  for (int t = 0; t < 4; ++t)
    apps.emplace_back([&] { runJobs(pool.get(), 3, 300); });
  for (auto &t : apps)
    t.join();
}

TEST(Pool, RejectsNoWorkers) {
  errno = 0;
  EXPECT_EQ(nullptr, mcc_pool_create(0));
  EXPECT_EQ(EINVAL, errno);
  mcc_pool_destroy(nullptr); // ignored
  mcc_parallel par = mcc_pool_parallel(nullptr);
  EXPECT_EQ(1, par.num_workers);
}

TEST(Pool, EmptyJobCallsNothing) {
  Pool pool(mcc_pool_create(2));
  Job job(1, 2);
  mcc_pool_parallel_for(pool.get(), Job::task, &job, 0);
  EXPECT_EQ(0, job.hits[0].load());
}

} // namespace
