// How a run learns that nobody wants its answer any more: the gRPC client
// cancelled the call or went away, the HTTP client closed its connection,
// or every request of a batch gave up.
//
// RunOptions::cancellation points at a CancellationSignal; the executor
// polls it where it checks the deadline (before every step and every
// function or loop-body run) and stops the run with CANCELLED. Polling must
// therefore be cheap (an atomic load, not a lock or a system call) and
// thread-safe: the run polls on its thread while the front end sets the
// signal on another.
//
//   CancellationFlag cancelled;            // lives as long as the run
//   RunOptions options;
//   options.cancellation = &cancelled;
//   ... on the front end's thread: cancelled.Cancel();
#ifndef MODEL_SERVER_RUNTIME_CANCELLATION_H_
#define MODEL_SERVER_RUNTIME_CANCELLATION_H_

#include <atomic>

namespace model_server {

class CancellationSignal {
 public:
  virtual ~CancellationSignal() = default;
  // True once the run should stop. Once true, stays true.
  virtual bool cancelled() const = 0;
};

// A signal that some other thread raises. Thread-safe.
class CancellationFlag final : public CancellationSignal {
 public:
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const override {
    return cancelled_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<bool> cancelled_{false};
};

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_CANCELLATION_H_
