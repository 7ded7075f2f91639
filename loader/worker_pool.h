// A fixed number of threads that run queued tasks in order of arrival: the
// manager's load threads (--num_load_threads) and unload threads
// (--num_unload_threads), which keep loading, warming up and destroying
// model versions off the request path.
//
// Thread-safe. Tasks must not call Stop() or destroy their own pool.
#ifndef MODEL_SERVER_LOADER_WORKER_POOL_H_
#define MODEL_SERVER_LOADER_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace model_server {

class WorkerPool {
 public:
  // Starts max(num_threads, 1) threads; `name` appears in logs.
  WorkerPool(std::string name, int num_threads);
  // Stop().
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`. Returns false, without running it, once Stop() has begun:
  // the caller then runs or drops the task itself.
  bool Schedule(std::function<void()> task);

  // Refuses new tasks, runs those already queued, and joins the threads.
  // Idempotent.
  void Stop();

  const std::string& name() const { return name_; }
  int num_threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Work();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string name_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
  absl::Mutex join_mu_;  // serializes Stop()
};

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_WORKER_POOL_H_
