// Server-side batching queues: requests that arrive together run as one
// batch, and the limits answer with TF Serving's errors.
#include "signatures/batch_scheduler.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "signatures/batching_options.h"

namespace model_server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A runner computing y = 2x on float inputs and recording each batch's rows.
class DoublingModel {
 public:
  BatchRunner Runner() {
    return [this](absl::Span<const Tensor* const> inputs, const RunOptions&,
                  std::vector<Tensor>* outputs) -> absl::Status {
      const Tensor& x = *inputs[0];
      {
        absl::MutexLock lock(&mu_);
        batch_rows_.push_back(x.dim(0));
      }
      if (release_ != nullptr) release_->WaitForNotification();
      if (fail_) return absl::InternalError("the model failed");
      absl::StatusOr<Tensor> y = Tensor::Create(DT_FLOAT, x.shape());
      if (!y.ok()) return y.status();
      for (int64_t i = 0; i < x.NumElements(); ++i) {
        y->data<float>()[i] = 2 * x.data<float>()[i];
      }
      outputs->push_back(*std::move(y));
      return absl::OkStatus();
    };
  }
  std::vector<int64_t> batch_rows() {
    absl::MutexLock lock(&mu_);
    return batch_rows_;
  }
  // Runs block until `release` is notified.
  void HoldRunsUntil(absl::Notification* release) { release_ = release; }
  void Fail() { fail_ = true; }

 private:
  absl::Mutex mu_;
  std::vector<int64_t> batch_rows_ ABSL_GUARDED_BY(mu_);
  absl::Notification* release_ = nullptr;
  bool fail_ = false;
};

absl::Status RunOne(BatchQueue& queue, std::vector<float> x,
                    std::vector<Tensor>* outputs) {
  Tensor input = Tensor::Vector<float>(std::move(x));
  const Tensor* inputs[] = {&input};
  return queue.Run(inputs, RunOptions(), outputs);
}

TEST(BatchQueue, RequestsArrivingTogetherRunAsOneBatch) {
  DoublingModel model;
  BatchingOptions options;
  options.max_batch_size = 4;
  options.batch_timeout_micros = 10'000'000;  // only a full batch runs
  auto scheduler = BatchScheduler::Create(1);
  auto queue = scheduler->AddQueue(options, model.Runner());
  std::vector<std::vector<Tensor>> outputs(3);
  std::vector<absl::Status> statuses(3);
  std::vector<std::thread> clients;
  clients.emplace_back([&] { statuses[0] = RunOne(*queue, {1}, &outputs[0]); });
  clients.emplace_back([&] {
    statuses[1] = RunOne(*queue, {2, 3}, &outputs[1]);
  });
  clients.emplace_back([&] { statuses[2] = RunOne(*queue, {4}, &outputs[2]); });
  for (std::thread& t : clients) t.join();
  EXPECT_THAT(model.batch_rows(), ElementsAre(4));
  const std::vector<std::vector<float>> expected = {{2}, {4, 6}, {8}};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i];
    ASSERT_EQ(outputs[i].size(), 1u);
    const auto y = outputs[i][0].flat<float>();
    EXPECT_EQ(std::vector<float>(y.begin(), y.end()), expected[i]);
  }
}

TEST(BatchQueue, IncompleteBatchRunsAfterTheTimeout) {
  DoublingModel model;
  BatchingOptions options;
  options.max_batch_size = 8;
  options.batch_timeout_micros = 1000;
  auto scheduler = BatchScheduler::Create(1);
  auto queue = scheduler->AddQueue(options, model.Runner());
  std::vector<Tensor> outputs;
  ASSERT_TRUE(RunOne(*queue, {5}, &outputs).ok());
  EXPECT_EQ(outputs[0].flat<float>()[0], 10);
  EXPECT_THAT(model.batch_rows(), ElementsAre(1));
}

TEST(BatchQueue, PadsToTheSmallestAllowedBatchSize) {
  DoublingModel model;
  BatchingOptions options;
  options.max_batch_size = 8;
  options.allowed_batch_sizes = {2, 4, 8};
  auto scheduler = BatchScheduler::Create(1);
  auto queue = scheduler->AddQueue(options, model.Runner());
  std::vector<Tensor> outputs;
  ASSERT_TRUE(RunOne(*queue, {1, 2, 3}, &outputs).ok());
  EXPECT_THAT(model.batch_rows(), ElementsAre(4));
  EXPECT_EQ(outputs[0].NumElements(), 3);
}

TEST(BatchQueue, RefusesARequestLargerThanMaxBatchSize) {
  DoublingModel model;
  BatchingOptions options;
  options.max_batch_size = 2;
  auto scheduler = BatchScheduler::Create(1);
  auto queue = scheduler->AddQueue(options, model.Runner());
  std::vector<Tensor> outputs;
  absl::Status status = RunOne(*queue, {1, 2, 3}, &outputs);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "Task size 3 is larger than maximum input batch size 2");
}

TEST(BatchQueue, RefusesWhenMaxEnqueuedBatchesAreWaiting) {
  DoublingModel model;
  absl::Notification release;
  model.HoldRunsUntil(&release);
  BatchingOptions options;
  options.max_batch_size = 1;
  options.max_enqueued_batches = 1;
  auto scheduler = BatchScheduler::Create(1);
  auto queue = scheduler->AddQueue(options, model.Runner());
  // The first request is taken by the only thread, which blocks in the run.
  std::vector<Tensor> first_out;
  absl::Status first_status;
  std::thread first([&] { first_status = RunOne(*queue, {1}, &first_out); });
  while (model.batch_rows().empty()) absl::SleepFor(absl::Milliseconds(1));
  // Of two more, one takes the queue's only batch slot and waits; the other
  // is refused at once.
  absl::Mutex mu;
  std::vector<absl::Status> finished;
  std::vector<std::thread> others;
  std::vector<std::vector<Tensor>> other_out(2);
  for (int i = 0; i < 2; ++i) {
    others.emplace_back([&, i] {
      absl::Status status = RunOne(*queue, {2}, &other_out[i]);
      absl::MutexLock lock(&mu);
      finished.push_back(status);
    });
  }
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](std::vector<absl::Status>* f) { return !f->empty(); }, &finished));
    EXPECT_EQ(finished[0].code(), absl::StatusCode::kUnavailable);
    EXPECT_THAT(std::string(finished[0].message()),
                HasSubstr("The batch scheduling queue to which this task was "
                          "submitted is full"));
  }
  release.Notify();
  first.join();
  for (std::thread& t : others) t.join();
  EXPECT_TRUE(first_status.ok()) << first_status;
  ASSERT_EQ(finished.size(), 2u);
  EXPECT_TRUE(finished[1].ok()) << finished[1];
}

TEST(BatchQueue, AFailedRunFailsEveryRequestInTheBatch) {
  DoublingModel model;
  model.Fail();
  BatchingOptions options;
  auto scheduler = BatchScheduler::Create(1);
  auto queue = scheduler->AddQueue(options, model.Runner());
  std::vector<Tensor> outputs;
  absl::Status status = RunOne(*queue, {1}, &outputs);
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(status.message(), "the model failed");
}

TEST(BatchQueue, InputsThatCannotBeJoinedGoInSeparateBatches) {
  DoublingModel model;
  BatchingOptions options;
  options.max_batch_size = 8;
  options.batch_timeout_micros = 20'000;
  auto scheduler = BatchScheduler::Create(2);
  auto queue = scheduler->AddQueue(options, model.Runner());
  Tensor wide = Tensor::FromVector<float>({1, 2}, TensorShape{1, 2});
  Tensor narrow = Tensor::FromVector<float>({3}, TensorShape{1, 1});
  std::vector<Tensor> wide_out, narrow_out;
  absl::Status wide_status, narrow_status;
  std::thread a([&] {
    const Tensor* inputs[] = {&wide};
    wide_status = queue->Run(inputs, RunOptions(), &wide_out);
  });
  std::thread b([&] {
    const Tensor* inputs[] = {&narrow};
    narrow_status = queue->Run(inputs, RunOptions(), &narrow_out);
  });
  a.join();
  b.join();
  ASSERT_TRUE(wide_status.ok()) << wide_status;
  ASSERT_TRUE(narrow_status.ok()) << narrow_status;
  EXPECT_EQ(wide_out[0].NumElements(), 2);
  EXPECT_EQ(narrow_out[0].flat<float>()[0], 6);
  EXPECT_EQ(model.batch_rows().size(), 2u);
}

TEST(ValidateBatchingOptions, NamesTheSettingOutOfRange) {
  BatchingOptions options;
  options.max_batch_size = 8;
  options.allowed_batch_sizes = {4, 2, 8};
  EXPECT_EQ(ValidateBatchingOptions(options).message(),
            "allowed_batch_sizes entries must be monotonically increasing");
  options.allowed_batch_sizes = {2, 4};
  EXPECT_EQ(ValidateBatchingOptions(options).message(),
            "Last entry in allowed_batch_sizes must match max_batch_size; "
            "last entry was 4; expected 8");
  options.allowed_batch_sizes = {};
  options.max_batch_size = 0;
  EXPECT_THAT(std::string(ValidateBatchingOptions(options).message()),
              HasSubstr("max_batch_size must be positive"));
}

}  // namespace
}  // namespace model_server
