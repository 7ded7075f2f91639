// Loads never disturb serving: while one model is reloaded over and over
// (HandleReloadConfigRequest switching its version), Predicts on another
// model see no error. bench/multi_model_bench.sh measures the latency side
// of the same scenario.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/model_config_text.h"
#include "tests/testing/predict_x.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::ConfigModel;
using testing::DaemonProcess;
using testing::PredictX;
using testing::SharedModelPath;
using testing::SpecFor;

constexpr int kReloads = 6;

TEST(ReloadTraffic, PredictsOnOneModelSeeNoErrorsWhileAnotherReloads) {
  const std::string steady = SharedModelPath("tfs_half_plus_three");
  const std::string reloaded = SharedModelPath("tfs_half_plus_two_2_versions");
  if (steady.empty() || reloaded.empty()) {
    GTEST_SKIP() << "../shared/models absent: skipped";
  }
  auto config = [&](int64_t version) {
    return std::vector<ConfigModel>{
        {"steady", steady},
        {"reloaded", reloaded,
         "specific { versions: " + std::to_string(version) + " }"}};
  };
  auto dir = testing::TempDirectory::Create();
  ASSERT_TRUE(dir.ok());
  const std::string path = (*dir)->path() + "/models.config";
  ASSERT_TRUE(
      testing::WriteFileAtomically(path, testing::ModelConfigText(config(123)))
          .ok());
  testing::DaemonOptions options;
  options.model_name = "steady";
  options.extra_flags = {"--model_config_file=" + path};
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();

  std::atomic<bool> stop{false};
  std::atomic<int64_t> served{0};
  std::mutex mu;
  std::vector<std::string> failures;
  std::thread traffic([&] {
    auto stub = tfs::PredictionService::NewStub((*daemon)->NewChannel());
    while (!stop) {
      auto result = PredictX(*stub, SpecFor("steady"));
      if (result.status.ok() && result.y == 4.0f) {
        ++served;
        continue;
      }
      std::lock_guard<std::mutex> lock(mu);
      failures.push_back(std::to_string(result.status.error_code()) + ": " +
                         result.status.error_message());
    }
  });

  for (int i = 0; i < kReloads; ++i) {
    const int64_t version = i % 2 == 0 ? 124 : 123;
    tfs::ReloadConfigRequest request;
    *request.mutable_config() = testing::ModelConfigProto(config(version));
    tfs::ReloadConfigResponse response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    grpc::Status status = (*daemon)->model_service().HandleReloadConfigRequest(
        &context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    // The policy change loads the other version in the background; wait
    // until it serves.
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (PredictX((*daemon)->prediction(), SpecFor("reloaded")).version !=
               version &&
           absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    EXPECT_EQ(PredictX((*daemon)->prediction(), SpecFor("reloaded")).version,
              version);
  }
  stop = true;
  traffic.join();
  EXPECT_GT(served, 10);
  EXPECT_THAT(failures, ::testing::IsEmpty());
  auto exit_code = (*daemon)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*daemon)->Stderr();
}

}  // namespace
}  // namespace model_server
