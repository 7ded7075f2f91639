// Server-side batching with clients that go away: a batch runs while one of
// its requests still wants the answer, a request whose client cancelled
// gets CANCELLED, and a batch whose requests all left stops.
#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/cancellation.h"
#include "runtime/executor.h"
#include "signatures/batch_scheduler.h"
#include "signatures/batching_options.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

// A runner that computes y = x, but only once `finish` is notified; until
// then it polls its run's deadline and cancellation as the executor does
// between steps, and stops when they say so.
BatchRunner SlowIdentity(absl::Notification* finish,
                         std::atomic<int>* runs_started) {
  return [finish, runs_started](absl::Span<const Tensor* const> inputs,
                                const RunOptions& options,
                                std::vector<Tensor>* outputs) -> absl::Status {
    ++*runs_started;
    RunState state(options);
    while (!finish->WaitForNotificationWithTimeout(absl::Milliseconds(1))) {
      if (absl::Status status = state.CheckInterrupted(); !status.ok()) {
        return status;
      }
    }
    outputs->push_back(*inputs[0]);
    return absl::OkStatus();
  };
}

BatchingOptions TwoPerBatch() {
  BatchingOptions options;
  options.max_batch_size = 2;
  options.batch_timeout_micros = 10'000'000;  // only a full batch runs
  return options;
}

struct Client {
  CancellationFlag cancelled;
  RunOptions options;
  Tensor input;
  std::vector<Tensor> outputs;
  absl::Status status;
  absl::Notification done;

  explicit Client(float x) : input(Tensor::Vector<float>({x})) {
    options.cancellation = &cancelled;
  }
  void Run(BatchQueue& queue) {
    const Tensor* inputs[] = {&input};
    status = queue.Run(inputs, options, &outputs);
    done.Notify();
  }
};

// Runs `first` and `second` in one batch of a SlowIdentity queue; once the
// batch runs (or at once, with `before_run` false) calls `meanwhile`, then
// waits for both. Returns how many batches ran.
int RunBoth(Client& first, Client& second, absl::Notification* finish,
            const std::function<void()>& meanwhile, bool before_run = false) {
  std::atomic<int> runs{0};
  auto scheduler = BatchScheduler::Create(1);
  auto queue = scheduler->AddQueue(TwoPerBatch(), SlowIdentity(finish, &runs));
  if (before_run) meanwhile();
  std::thread a([&] { first.Run(*queue); });
  std::thread b([&] { second.Run(*queue); });
  if (!before_run) {
    while (runs.load() < 1) absl::SleepFor(absl::Milliseconds(1));
    meanwhile();
  }
  a.join();
  b.join();
  return runs.load();
}

TEST(BatchCancellation, ACancelledRequestGetsCancelledAndTheOtherItsRows) {
  absl::Notification finish;
  Client gone(1), live(2);
  RunBoth(gone, live, &finish, [&] {
    gone.cancelled.Cancel();
    finish.Notify();  // the batch still runs for `live`: let it end
  });
  EXPECT_EQ(gone.status.code(), absl::StatusCode::kCancelled) << gone.status;
  EXPECT_THAT(gone.status.message(),
              HasSubstr("the client cancelled the request"));
  EXPECT_TRUE(gone.outputs.empty());
  ASSERT_TRUE(live.status.ok()) << live.status;
  ASSERT_EQ(live.outputs.size(), 1u);
  EXPECT_EQ(live.outputs[0].data<float>()[0], 2.0f);
}

TEST(BatchCancellation, ABatchWhoseRequestsAllCancelStops) {
  absl::Notification finish;  // never notified: only cancelling ends it
  Client first(1), second(2);
  RunBoth(first, second, &finish, [&] {
    first.cancelled.Cancel();
    second.cancelled.Cancel();
  });
  EXPECT_EQ(first.status.code(), absl::StatusCode::kCancelled) << first.status;
  EXPECT_EQ(second.status.code(), absl::StatusCode::kCancelled)
      << second.status;
}

TEST(BatchCancellation, OneCancelledAndOnePastItsDeadlineStopTheBatch) {
  absl::Notification finish;  // never notified
  Client cancelled(1), expiring(2);
  expiring.options.deadline = absl::Now() + absl::Milliseconds(200);
  RunBoth(cancelled, expiring, &finish, [&] { cancelled.cancelled.Cancel(); });
  EXPECT_EQ(cancelled.status.code(), absl::StatusCode::kCancelled)
      << cancelled.status;
  EXPECT_EQ(expiring.status.code(), absl::StatusCode::kDeadlineExceeded)
      << expiring.status;
}

TEST(BatchCancellation, RequestsCancelledWhileWaitingNeverRun) {
  absl::Notification finish;
  finish.Notify();
  Client first(1), second(2);
  const int runs = RunBoth(
      first, second, &finish,
      [&] {
        first.cancelled.Cancel();
        second.cancelled.Cancel();
      },
      /*before_run=*/true);
  EXPECT_EQ(first.status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(second.status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(runs, 0);
}

}  // namespace
}  // namespace model_server
