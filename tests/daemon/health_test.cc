// Health checking: grpc.health.v1.Health and the REST /v2/health URLs.
// A model whose base path is empty at start-up is not AVAILABLE (the server
// starts anyway): health says NOT_SERVING; the test then moves in a version
// made slow to load (a large warmup file): NOT_SERVING while it is LOADING,
// SERVING once it is AVAILABLE; after SIGTERM an open Watch hears NOT_SERVING
// and ends, Check and /v2/health/ready no longer say serving, and the daemon
// exits 0 without waiting for the watcher.
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/http_client.h"
#include "tests/testing/warmup_file.h"

namespace model_server {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using testing::DaemonOptions;
using testing::DaemonProcess;
using testing::HttpCall;
using testing::TempDirectory;

// Check(service): the status, or -1 - error code when the call failed.
int CheckHealth(Health::Stub& stub, const std::string& service) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  const grpc::Status status = stub.Check(&context, request, &response);
  if (!status.ok()) return -1 - status.error_code();
  return response.status();
}

int RestStatus(int port, const std::string& path) {
  absl::StatusOr<testing::HttpResult> result = HttpCall(port, "GET", path);
  return result.ok() ? result->status : -1;
}

TEST(Health, NotServingUntilTheModelIsAvailableThenServingThenDraining) {
  const std::string model = testing::SharedModelPath("tfs_half_plus_two_cpu");
  if (model.empty()) {
    GTEST_SKIP() << "../shared/models/tfs_half_plus_two_cpu is absent: skipped";
  }
  auto models = TempDirectory::Create();
  ASSERT_TRUE(models.ok()) << models.status();
  const std::string base_path = (*models)->path() + "/half_plus_two";
  ASSERT_EQ(mkdir(base_path.c_str(), 0755), 0);

  DaemonOptions options;
  options.model_name = "half_plus_two";
  options.model_base_path = base_path;
  options.rest_api = true;
  options.wait_until_available = false;
  options.extra_flags = {"--file_system_poll_wait_seconds=1",
                         "--num_request_iterations_for_warmup=10"};
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  std::unique_ptr<Health::Stub> health =
      Health::NewStub((*daemon)->NewChannel());

  // No version yet: up (live) but not ready.
  for (const char* service : {"", "tensorflow.serving.PredictionService",
                              "tensorflow.serving.ModelService"}) {
    EXPECT_EQ(CheckHealth(*health, service), HealthCheckResponse::NOT_SERVING)
        << service;
  }
  EXPECT_EQ(CheckHealth(*health, "no.such.Service"),
            -1 - grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(RestStatus((*daemon)->rest_port(), "/v2/health/live"), 200);
  EXPECT_EQ(RestStatus((*daemon)->rest_port(), "/v2/health/ready"), 503);

  // The version arrives whole (renamed into place) with a warmup file that
  // makes its load slow: 1000 records replayed 10 times. While
  // GetModelStatus says LOADING, health says NOT_SERVING and ready 503.
  // Health is asked before the status, so a LOADING status proves that no
  // version was AVAILABLE when health answered.
  const std::string staging = (*models)->path() + "/staging";
  ASSERT_TRUE(testing::CopyDirectoryTree(model + "/00000123", staging).ok());
  std::vector<std::string> records;
  for (int i = 0; i < 250; ++i) {
    for (std::string& record :
         testing::HalfPlusTwoWarmupRecords("half_plus_two")) {
      records.push_back(std::move(record));
    }
  }
  ASSERT_TRUE(testing::WriteWarmupFile(staging, records).ok());
  ASSERT_EQ(rename(staging.c_str(), (base_path + "/123").c_str()), 0);
  int checks_while_loading = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    const int serving = CheckHealth(*health, "");
    const int ready = RestStatus((*daemon)->rest_port(), "/v2/health/ready");
    tensorflow::serving::GetModelStatusResponse loading;
    if (testing::CallGetModelStatus((*daemon)->model_service(), "half_plus_two",
                                    &loading)
            .ok() &&
        loading.model_version_status_size() == 1 &&
        loading.model_version_status(0).state() ==
            tensorflow::serving::ModelVersionStatus::LOADING) {
      ++checks_while_loading;
      EXPECT_EQ(serving, HealthCheckResponse::NOT_SERVING);
      EXPECT_EQ(ready, 503);
    }
    if (serving == HealthCheckResponse::SERVING) break;
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_GT(checks_while_loading, 0)
      << "the version loaded too fast to be seen LOADING";
  ASSERT_EQ(CheckHealth(*health, ""), HealthCheckResponse::SERVING)
      << (*daemon)->Stderr();
  EXPECT_EQ(CheckHealth(*health, "tensorflow.serving.PredictionService"),
            HealthCheckResponse::SERVING);
  tensorflow::serving::GetModelStatusResponse status;
  ASSERT_TRUE(testing::CallGetModelStatus((*daemon)->model_service(),
                                          "half_plus_two", &status)
                  .ok());
  ASSERT_EQ(status.model_version_status_size(), 1);
  EXPECT_EQ(status.model_version_status(0).state(),
            tensorflow::serving::ModelVersionStatus::AVAILABLE);
  EXPECT_EQ(RestStatus((*daemon)->rest_port(), "/v2/health/ready"), 200);
  EXPECT_EQ(RestStatus((*daemon)->rest_port(), "/v2/health/live"), 200);

  // A watcher sees SERVING, then NOT_SERVING once SIGTERM starts the drain.
  grpc::ClientContext watch_context;
  watch_context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(30));
  HealthCheckRequest watch_request;
  auto watch = health->Watch(&watch_context, watch_request);
  HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthCheckResponse::SERVING);
  (*daemon)->Signal(SIGTERM);
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthCheckResponse::NOT_SERVING);
  // The other answers agree from now on: NOT_SERVING and 503 while the
  // front ends still answer, a refused call once they have stopped.
  EXPECT_NE(CheckHealth(*health, ""), HealthCheckResponse::SERVING);
  EXPECT_NE(RestStatus((*daemon)->rest_port(), "/v2/health/ready"), 200);
  EXPECT_FALSE(watch->Read(&update));
  EXPECT_EQ(watch->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);

  auto exit_code = (*daemon)->WaitForExit(absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

TEST(Health, WatchOfAnUnknownServiceSaysServiceUnknown) {
  const std::string model = testing::SharedModelPath("tfs_half_plus_two_cpu");
  if (model.empty()) {
    GTEST_SKIP() << "../shared/models/tfs_half_plus_two_cpu is absent: skipped";
  }
  DaemonOptions options;
  options.model_name = "half_plus_two";
  options.model_base_path = model;
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  std::unique_ptr<Health::Stub> health =
      Health::NewStub((*daemon)->NewChannel());
  EXPECT_EQ(CheckHealth(*health, ""), HealthCheckResponse::SERVING);

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  HealthCheckRequest request;
  request.set_service("no.such.Service");
  auto watch = health->Watch(&context, request);
  HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthCheckResponse::SERVICE_UNKNOWN);
  context.TryCancel();
  (void)watch->Finish();

  auto exit_code = (*daemon)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

TEST(Health, HealthServiceOffLeavesItUnimplemented) {
  const std::string model = testing::SharedModelPath("tfs_half_plus_two_cpu");
  if (model.empty()) {
    GTEST_SKIP() << "../shared/models/tfs_half_plus_two_cpu is absent: skipped";
  }
  DaemonOptions options;
  options.model_name = "half_plus_two";
  options.model_base_path = model;
  options.extra_flags = {"--enable_grpc_healthcheck_service=false"};
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  std::unique_ptr<Health::Stub> health =
      Health::NewStub((*daemon)->NewChannel());
  EXPECT_EQ(CheckHealth(*health, ""), -1 - grpc::StatusCode::UNIMPLEMENTED);
  auto exit_code = (*daemon)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
}

}  // namespace
}  // namespace model_server
