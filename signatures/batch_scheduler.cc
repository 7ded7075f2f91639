#include "signatures/batch_scheduler.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "runtime/cancellation.h"
#include "signatures/batch_tensors.h"

namespace model_server {

// One request waiting in a batch; lives on the requesting thread's stack.
struct BatchTask {
  absl::Span<const Tensor* const> inputs;
  int64_t rows = 0;
  const RunOptions* options = nullptr;
  std::vector<Tensor>* outputs = nullptr;
  absl::Status status;
  absl::Notification done;
};

struct Batch {
  std::vector<BatchTask*> tasks;
  int64_t rows = 0;
  absl::Time opened;
  bool closed = false;
};

struct BatchQueueState {
  BatchingOptions options;
  BatchRunner runner;
  // Oldest first; only the last one may be open.
  std::deque<std::unique_ptr<Batch>> batches;
};

namespace {

bool TaskCancelled(const BatchTask& task) {
  const CancellationSignal* signal = task.options->cancellation;
  return signal != nullptr && signal->cancelled();
}

// Finishes every task: with `status`, except that a task whose client
// cancelled gets CANCELLED (its answer has nobody to go to).
void FinishBatch(const Batch& batch, const absl::Status& status) {
  for (BatchTask* task : batch.tasks) {
    task->status =
        TaskCancelled(*task)
            ? absl::CancelledError(
                  "the client cancelled the request (it cancelled the call, "
                  "or closed its connection) while it was in a batch")
            : status;
    if (!task->status.ok()) task->outputs->clear();
    task->done.Notify();
  }
}

// Raised once no request of a batch wants its answer any more: each one
// was cancelled or is past its own deadline. Polled by the batch's run
// before each step; usually the first task is live and one look suffices.
class BatchCancellation final : public CancellationSignal {
 public:
  explicit BatchCancellation(const Batch& batch) : batch_(batch) {}

  bool cancelled() const override {
    std::optional<absl::Time> now;
    for (const BatchTask* task : batch_.tasks) {
      if (TaskCancelled(*task)) continue;
      const absl::Time deadline = task->options->deadline;
      if (deadline == absl::InfiniteFuture()) return false;
      if (!now.has_value()) now = absl::Now();
      if (*now <= deadline) return false;
    }
    return true;
  }

 private:
  const Batch& batch_;
};

// Merges, runs and splits one batch; finishes every task.
void ProcessBatch(const BatchQueueState& queue, const Batch& batch) {
  const absl::Time now = absl::Now();
  absl::Time deadline = absl::InfinitePast();
  bool any_cancellation = false;
  for (const BatchTask* task : batch.tasks) {
    deadline = std::max(deadline, task->options->deadline);
    any_cancellation |= task->options->cancellation != nullptr;
  }
  const BatchCancellation cancellation(batch);
  if (deadline < now || (any_cancellation && cancellation.cancelled())) {
    FinishBatch(batch, absl::ResourceExhaustedError(
                           "Run() timeout exceeded while waiting in batching "
                           "queue"));
    return;
  }
  std::vector<absl::Span<const Tensor* const>> requests;
  std::vector<int64_t> rows;
  for (const BatchTask* task : batch.tasks) {
    requests.push_back(task->inputs);
    rows.push_back(task->rows);
  }
  const int64_t padded_rows = PaddedBatchSize(queue.options, batch.rows);
  std::vector<Tensor> merged;
  absl::Status status = MergeBatchInputs(
      requests, padded_rows, queue.options.pad_variable_length_inputs, &merged);
  if (!status.ok()) return FinishBatch(batch, status);
  std::vector<const Tensor*> feeds;
  for (const Tensor& t : merged) feeds.push_back(&t);
  RunOptions options = *batch.tasks[0]->options;
  options.deadline = deadline;
  // The batch runs while one of its requests still wants the answer.
  options.cancellation = any_cancellation ? &cancellation : nullptr;
  // Each request reports its own wait and run in Signature::Run.
  options.report = nullptr;
  std::vector<Tensor> outputs;
  status = queue.runner(feeds, options, &outputs);
  if (status.code() == absl::StatusCode::kCancelled) {
    // Every request left: those not cancelled are past their deadlines.
    status = absl::DeadlineExceededError(
        absl::StrCat("the request ran past its deadline in a batch (",
                     status.message(), ")"));
  }
  if (!status.ok()) return FinishBatch(batch, status);
  for (BatchTask* task : batch.tasks) task->outputs->clear();
  std::vector<Tensor> pieces;
  for (const Tensor& output : outputs) {
    status = SplitBatchOutput(output, padded_rows, rows, &pieces);
    if (!status.ok()) return FinishBatch(batch, status);
    for (size_t t = 0; t < batch.tasks.size(); ++t) {
      batch.tasks[t]->outputs->push_back(std::move(pieces[t]));
    }
  }
  FinishBatch(batch, absl::OkStatus());
}

}  // namespace

std::shared_ptr<BatchScheduler> BatchScheduler::Create(int num_threads) {
  if (num_threads <= 0) {
    num_threads = std::max(1u, std::thread::hardware_concurrency());
  }
  std::shared_ptr<BatchScheduler> scheduler(new BatchScheduler());
  for (int i = 0; i < num_threads; ++i) {
    scheduler->threads_.emplace_back(
        [s = scheduler.get()] { s->BatchThread(); });
  }
  return scheduler;
}

BatchScheduler::~BatchScheduler() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    work_.SignalAll();
  }
  for (std::thread& thread : threads_) thread.join();
}

std::unique_ptr<BatchQueue> BatchScheduler::AddQueue(
    const BatchingOptions& options, BatchRunner runner) {
  auto state = std::make_shared<BatchQueueState>();
  state->options = options;
  state->runner = std::move(runner);
  {
    absl::MutexLock lock(&mu_);
    queues_.push_back(state);
  }
  return std::unique_ptr<BatchQueue>(
      new BatchQueue(shared_from_this(), std::move(state)));
}

void BatchScheduler::RemoveQueue(BatchQueueState* queue) {
  absl::MutexLock lock(&mu_);
  for (auto it = queues_.begin(); it != queues_.end(); ++it) {
    if (it->get() != queue) continue;
    // No Run() is in flight (the caller's contract), so nothing is queued;
    // fail anything left rather than leave a caller blocked.
    for (const auto& batch : queue->batches) {
      FinishBatch(*batch,
                  absl::UnavailableError("the batching queue was removed"));
    }
    queue->batches.clear();
    queues_.erase(it);
    next_queue_ = 0;
    return;
  }
}

absl::Status BatchScheduler::Schedule(BatchQueueState* queue,
                                      absl::Span<const Tensor* const> inputs,
                                      const RunOptions& options,
                                      std::vector<Tensor>* outputs) {
  absl::StatusOr<int64_t> rows = BatchRows(inputs);
  if (!rows.ok()) return rows.status();
  const BatchingOptions& limits = queue->options;
  if (*rows > limits.max_batch_size) {
    return absl::InvalidArgumentError(
        absl::StrFormat("Task size %d is larger than maximum input batch "
                        "size %d",
                        *rows, limits.max_batch_size));
  }
  BatchTask task;
  task.inputs = inputs;
  task.rows = *rows;
  task.options = &options;
  task.outputs = outputs;
  {
    absl::MutexLock lock(&mu_);
    Batch* open = queue->batches.empty() || queue->batches.back()->closed
                      ? nullptr
                      : queue->batches.back().get();
    if (open != nullptr &&
        (open->rows + task.rows > limits.max_batch_size ||
         !CanShareBatch(open->tasks[0]->inputs, inputs,
                        limits.pad_variable_length_inputs))) {
      open->closed = true;
      open = nullptr;
    }
    if (open == nullptr) {
      if (static_cast<int64_t>(queue->batches.size()) >=
          limits.max_enqueued_batches) {
        return absl::UnavailableError(
            "The batch scheduling queue to which this task was submitted is "
            "full");
      }
      queue->batches.push_back(std::make_unique<Batch>());
      open = queue->batches.back().get();
      open->opened = absl::Now();
    }
    open->tasks.push_back(&task);
    open->rows += task.rows;
    if (open->rows >= limits.max_batch_size) open->closed = true;
    work_.Signal();
  }
  task.done.WaitForNotification();
  return task.status;
}

void BatchScheduler::BatchThread() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    const absl::Time now = absl::Now();
    absl::Time wake = absl::InfiniteFuture();
    std::shared_ptr<BatchQueueState> queue;
    std::unique_ptr<Batch> batch;
    for (size_t k = 0; k < queues_.size() && batch == nullptr; ++k) {
      const size_t index = (next_queue_ + k) % queues_.size();
      BatchQueueState& candidate = *queues_[index];
      if (candidate.batches.empty()) continue;
      const Batch& front = *candidate.batches.front();
      const absl::Time due =
          front.opened +
          absl::Microseconds(candidate.options.batch_timeout_micros);
      if (front.closed || now >= due) {
        queue = queues_[index];
        batch = std::move(candidate.batches.front());
        candidate.batches.pop_front();
        next_queue_ = (index + 1) % queues_.size();
        // Another batch may be ready too: let an idle thread look.
        work_.Signal();
      } else {
        wake = std::min(wake, due);
      }
    }
    if (batch != nullptr) {
      mu_.Unlock();
      ProcessBatch(*queue, *batch);
      batch.reset();
      queue.reset();
      mu_.Lock();
      continue;
    }
    work_.WaitWithDeadline(&mu_, wake);
  }
}

BatchQueue::~BatchQueue() { scheduler_->RemoveQueue(state_.get()); }

absl::Status BatchQueue::Run(absl::Span<const Tensor* const> inputs,
                             const RunOptions& options,
                             std::vector<Tensor>* outputs) {
  return scheduler_->Schedule(state_.get(), inputs, options, outputs);
}

const BatchingOptions& BatchQueue::options() const { return state_->options; }

}  // namespace model_server
