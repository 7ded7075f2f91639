#include "loader/worker_pool.h"

#include <algorithm>
#include <utility>

namespace model_server {

WorkerPool::WorkerPool(std::string name, int num_threads)
    : name_(std::move(name)), queue_(std::make_shared<Queue>()) {
  absl::MutexLock lock(&threads_mu_);
  const int count = std::max(num_threads, 1);
  for (int i = 0; i < count; ++i) {
    threads_.emplace_back([queue = queue_] { Work(queue); });
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
