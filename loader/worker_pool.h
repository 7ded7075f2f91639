// A fixed number of threads that run queued tasks in order of arrival: the
// manager's load threads (--num_load_threads) and unload threads
// (--num_unload_threads), which keep loading, warming up and destroying
// model versions off the request path.
//
// Threads may run at a lower CPU priority (a positive nice increment, Linux
// per-thread nice): on a busy machine, loads then take the CPU that request
// threads leave, instead of competing with them. Where the system refuses
// (e.g. a seccomp filter), the threads run at normal priority and the pool
// logs it once.
//
// Thread-safe. A task may drop the last reference to its own pool: the pool
// is then stopped from that thread, which finishes on its own.
#ifndef MODEL_SERVER_LOADER_WORKER_POOL_H_
#define MODEL_SERVER_LOADER_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace model_server {

class WorkerPool {
 public:
  // Starts max(num_threads, 1) threads, `nice_increment` (>= 0) below the
  // process's priority; `name` appears in logs.
  WorkerPool(std::string name, int num_threads, int nice_increment = 0);
  // Stop().
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`. Returns false, without running it, once Stop() has begun:
  // the caller then runs or drops the task itself.
  bool Schedule(std::function<void()> task);

  // Refuses new tasks, runs those already queued, and joins the threads
  // (all but the calling one, when a task stops its own pool). Idempotent.
  void Stop();

  const std::string& name() const { return name_; }

 private:
  // Shared with the threads, so that a thread outliving the pool object
  // (see above) still has it.
  struct Queue {
    absl::Mutex mu;
    std::deque<std::function<void()>> tasks ABSL_GUARDED_BY(mu);
    bool stopping ABSL_GUARDED_BY(mu) = false;
  };
  static void Work(const std::shared_ptr<Queue>& queue);
  // Lowers the calling thread's priority by `nice_increment`.
  static void LowerPriority(const std::string& pool, int nice_increment);

  const std::string name_;
  const std::shared_ptr<Queue> queue_;
  absl::Mutex threads_mu_;  // serializes Stop()
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(threads_mu_);
};

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_WORKER_POOL_H_
