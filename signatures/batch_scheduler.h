// Server-side batching (--enable_batching), as TF Serving's batching
// session over a shared batch scheduler does it:
//
//   - one BatchQueue per signature of a loaded model version; a request
//     joins its queue's open batch and blocks until that batch has run;
//   - a batch closes when it reaches max_batch_size rows (or when a request
//     arrives whose inputs cannot be concatenated with it: other dtypes or,
//     without pad_variable_length_inputs, other non-batch dimensions) and
//     runs when a thread is free and it is closed or its first request has
//     waited batch_timeout_micros;
//   - one BatchScheduler owns the batch threads and serves every queue in
//     turn, so all models share num_batch_threads threads;
//   - the batch's inputs are concatenated along dimension 0 (padded as
//     batch_tensors.h says), run once, and each output is cut back into one
//     piece per request.
// Errors are TF Serving's: a request with more rows than max_batch_size is
// INVALID_ARGUMENT "Task size N is larger than maximum input batch size M";
// a queue holding max_enqueued_batches batches refuses with UNAVAILABLE
// "The batch scheduling queue to which this task was submitted is full"; a
// failed batch run fails every request in it. A batch runs with the latest
// deadline of its requests; if every request's deadline passed (or its
// client cancelled, RunOptions::cancellation) while it waited, they fail with
// RESOURCE_EXHAUSTED "Run() timeout exceeded while waiting in batching
// queue". A running batch stops once none of its requests wants the answer
// (each cancelled or past its own deadline). A request whose client
// cancelled gets CANCELLED, never its rows; it still waits until its batch
// has run or stopped.
//
// Thread-safe.
#ifndef MODEL_SERVER_SIGNATURES_BATCH_SCHEDULER_H_
#define MODEL_SERVER_SIGNATURES_BATCH_SCHEDULER_H_

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "runtime/executor.h"
#include "runtime/tensor.h"
#include "signatures/batching_options.h"

namespace model_server {

// Runs one merged batch: `inputs[i]` is input i of the batch; fills one
// output per signature output, each with the batch's rows in dimension 0.
using BatchRunner = std::function<absl::Status(
    absl::Span<const Tensor* const> inputs, const RunOptions& options,
    std::vector<Tensor>* outputs)>;

class BatchScheduler;
struct BatchQueueState;

// The queue of one signature. Destroy it only when no Run() is in flight.
class BatchQueue {
 public:
  ~BatchQueue();
  BatchQueue(const BatchQueue&) = delete;
  BatchQueue& operator=(const BatchQueue&) = delete;

  // Runs `inputs` (every input of the signature) as part of a batch and
  // returns this request's rows of every output in *outputs. Blocks until
  // the batch has run.
  absl::Status Run(absl::Span<const Tensor* const> inputs,
                   const RunOptions& options, std::vector<Tensor>* outputs);

  const BatchingOptions& options() const;

 private:
  friend class BatchScheduler;
  BatchQueue(std::shared_ptr<BatchScheduler> scheduler,
             std::shared_ptr<BatchQueueState> state)
      : scheduler_(std::move(scheduler)), state_(std::move(state)) {}

  std::shared_ptr<BatchScheduler> scheduler_;
  std::shared_ptr<BatchQueueState> state_;
};

class BatchScheduler : public std::enable_shared_from_this<BatchScheduler> {
 public:
  // Starts `num_threads` batch threads (0: one per core).
  static std::shared_ptr<BatchScheduler> Create(int num_threads);
  // Stops and joins the threads; queues keep their scheduler alive.
  ~BatchScheduler();

  int num_threads() const { return static_cast<int>(threads_.size()); }

  // A new queue whose batches `runner` runs.
  // REQUIRES: ValidateBatchingOptions(options).ok().
  std::unique_ptr<BatchQueue> AddQueue(const BatchingOptions& options,
                                       BatchRunner runner);

 private:
  friend class BatchQueue;
  BatchScheduler() = default;

  absl::Status Schedule(BatchQueueState* queue,
                        absl::Span<const Tensor* const> inputs,
                        const RunOptions& options,
                        std::vector<Tensor>* outputs);
  void RemoveQueue(BatchQueueState* queue);
  void BatchThread();

  absl::Mutex mu_;
  absl::CondVar work_;
  std::vector<std::shared_ptr<BatchQueueState>> queues_ ABSL_GUARDED_BY(mu_);
  size_t next_queue_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_BATCH_SCHEDULER_H_
