// WorkerPool: the load and unload threads.
#include "loader/worker_pool.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace model_server {
namespace {

TEST(WorkerPool, OneThreadRunsTasksInOrder) {
  std::vector<int> order;
  {
    WorkerPool pool("test", 1);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(pool.Schedule([&order, i] { order.push_back(i); }));
    }
    pool.Stop();  // runs what is queued
  }
  EXPECT_THAT(order, ::testing::ElementsAre(0, 1, 2, 3, 4));
}

TEST(WorkerPool, RefusesTasksAfterStop) {
  WorkerPool pool("test", 2);
  pool.Stop();
  EXPECT_FALSE(pool.Schedule([] {}));
}

TEST(WorkerPool, TaskMayDropTheLastReferenceToItsPool) {
  auto pool = std::make_shared<WorkerPool>("test", 1);
  absl::Notification done;
  std::shared_ptr<WorkerPool> self = pool;
  ASSERT_TRUE(pool->Schedule([self = std::move(self), &done]() mutable {
    self.reset();  // not the last one yet
    done.Notify();
  }));
  done.WaitForNotification();
  // Now the only reference is a task's: dropping it stops the pool from its
  // own thread, which must neither deadlock nor crash.
  absl::Notification released;
  WorkerPool* raw = pool.get();
  ASSERT_TRUE(raw->Schedule([owned = std::move(pool), &released]() mutable {
    owned.reset();
    released.Notify();
  }));
  released.WaitForNotification();
}

TEST(WorkerPool, ThreadsRunAtTheRequestedLowerPriority) {
  const int process_nice = getpriority(PRIO_PROCESS, 0);
  WorkerPool pool("test", 1, /*nice_increment=*/5);
  std::atomic<int> nice{-100};
  absl::Notification done;
  ASSERT_TRUE(pool.Schedule([&] {
    nice = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
    done.Notify();
  }));
  done.WaitForNotification();
  EXPECT_EQ(nice, std::min(process_nice + 5, 19));
}

}  // namespace
}  // namespace model_server
