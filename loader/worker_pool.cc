#include "loader/worker_pool.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

#include "glog/logging.h"

namespace model_server {

WorkerPool::WorkerPool(std::string name, int num_threads, int nice_increment)
    : name_(std::move(name)), queue_(std::make_shared<Queue>()) {
  absl::MutexLock lock(&threads_mu_);
  const int count = std::max(num_threads, 1);
  for (int i = 0; i < count; ++i) {
    threads_.emplace_back([queue = queue_, name = name_, nice_increment] {
      if (nice_increment > 0) LowerPriority(name, nice_increment);
      Work(queue);
    });
  }
}

void WorkerPool::LowerPriority(const std::string& pool, int nice_increment) {
  // Linux keeps a nice value per thread; PRIO_PROCESS with a thread id sets
  // it for that thread alone.
  const id_t thread = static_cast<id_t>(syscall(SYS_gettid));
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, thread);
  if (errno == 0 &&
      setpriority(PRIO_PROCESS, thread, current + nice_increment) == 0) {
    return;
  }
  static std::atomic<bool> logged{false};
  if (!logged.exchange(true)) {
    LOG(WARNING) << "The " << pool << " threads run at normal priority: "
                 << "could not lower their priority (" << std::strerror(errno)
                 << ")";
  }
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::Schedule(std::function<void()> task) {
  absl::MutexLock lock(&queue_->mu);
  if (queue_->stopping) return false;
  queue_->tasks.push_back(std::move(task));
  return true;
}

void WorkerPool::Stop() {
  absl::MutexLock threads_lock(&threads_mu_);
  {
    absl::MutexLock lock(&queue_->mu);
    queue_->stopping = true;
  }
  for (std::thread& thread : threads_) {
    if (!thread.joinable()) continue;
    if (thread.get_id() == std::this_thread::get_id()) {
      thread.detach();  // finishes its task, then sees `stopping`
    } else {
      thread.join();
    }
  }
}

void WorkerPool::Work(const std::shared_ptr<Queue>& queue) {
  while (true) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&queue->mu);
      queue->mu.Await(absl::Condition(
          +[](Queue* q) { return q->stopping || !q->tasks.empty(); },
          queue.get()));
      if (queue->tasks.empty()) return;  // stopping, and nothing left to run
      task = std::move(queue->tasks.front());
      queue->tasks.pop_front();
    }
    task();
  }
}

}  // namespace model_server
