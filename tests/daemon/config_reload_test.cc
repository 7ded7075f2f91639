// Changing the served models without a restart: --model_config_file polling
// (TF Serving's testModelConfigReload and ...WithZeroPollPeriod) and
// HandleReloadConfigRequest.
#include <memory>
#include <string>
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
using ::testing::HasSubstr;
using testing::PredictX;
using testing::SharedModelPath;
using testing::SpecFor;

constexpr int kPollSeconds = 1;
// How long a test waits for something that should happen within a poll
// period or a load. Generous because CI machines are sometimes heavily
// loaded; a passing wait returns as soon as the condition holds.
constexpr absl::Duration kPatience = absl::Seconds(60);

std::vector<ConfigModel> HalfPlusTwo() {
  return {{"half_plus_two", SharedModelPath("tfs_half_plus_two_cpu")}};
}
std::vector<ConfigModel> HalfPlusThree() {
  return {{"half_plus_three", SharedModelPath("tfs_half_plus_three")}};
}
std::vector<ConfigModel> Both() {
  return {HalfPlusTwo()[0], HalfPlusThree()[0]};
}

grpc::Status Reload(DaemonProcess& daemon, const tfs::ModelServerConfig& config,
                    tfs::ReloadConfigResponse* response) {
  tfs::ReloadConfigRequest request;
  *request.mutable_config() = config;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  return daemon.model_service().HandleReloadConfigRequest(&context, request,
                                                          response);
}

bool Serves(DaemonProcess& daemon, const std::string& model) {
  return PredictX(daemon.prediction(), SpecFor(model)).status.ok();
}

class ConfigReload : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* model : {"tfs_half_plus_two_cpu", "tfs_half_plus_three"}) {
      if (SharedModelPath(model).empty()) {
        GTEST_SKIP() << "../shared/models/" << model
                     << " is absent: config reload tests skipped";
      }
    }
    auto dir = testing::TempDirectory::Create();
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *std::move(dir);
    config_path_ = dir_->path() + "/models.config";
  }

  void TearDown() override {
    if (daemon_ == nullptr) return;
    auto exit_code = daemon_->Stop();
    ASSERT_TRUE(exit_code.ok()) << exit_code.status();
    EXPECT_EQ(*exit_code, 0) << daemon_->Stderr();
  }

  void WriteConfig(const std::vector<ConfigModel>& models) {
    ASSERT_TRUE(testing::WriteFileAtomically(config_path_,
                                             testing::ModelConfigText(models))
                    .ok());
  }

  void Start(const std::vector<ConfigModel>& models, int config_poll_seconds) {
    WriteConfig(models);
    testing::DaemonOptions options;
    options.model_name = models.front().name;
    options.extra_flags = {"--model_config_file=" + config_path_,
                           "--model_config_file_poll_wait_seconds=" +
                               std::to_string(config_poll_seconds)};
    auto daemon = DaemonProcess::Start(options);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = *std::move(daemon);
  }

  // Polls until `model` serves (or stops serving); false on timeout.
  bool WaitUntilServing(const std::string& model, bool serving,
                        absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (Serves(*daemon_, model) == serving) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return Serves(*daemon_, model) == serving;
  }

  std::unique_ptr<testing::TempDirectory> dir_;
  std::string config_path_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(ConfigReload, PolledFileSwitchesTheServedModels) {
  Start(HalfPlusTwo(), kPollSeconds);
  ASSERT_TRUE(Serves(*daemon_, "half_plus_two"));
  WriteConfig(HalfPlusThree());
  const absl::Time written = absl::Now();
  ASSERT_TRUE(WaitUntilServing("half_plus_three", true, kPatience))
      << daemon_->Stderr();
  ::testing::Test::RecordProperty(
      "config_switch_ms",
      std::to_string((absl::Now() - written) / absl::Milliseconds(1)));
  auto three = PredictX(daemon_->prediction(), SpecFor("half_plus_three"));
  EXPECT_EQ(three.y, 4.0f);
  EXPECT_EQ(three.version, 123);
  EXPECT_TRUE(WaitUntilServing("half_plus_two", false, kPatience));
  auto two = PredictX(daemon_->prediction(), SpecFor("half_plus_two"));
  EXPECT_EQ(two.status.error_message(),
            "Servable not found for request: Latest(half_plus_two)");
  // The removed model's version ends once its unload finishes (requests
  // stop reaching it before that).
  tfs::GetModelStatusResponse status;
  const absl::Time deadline = absl::Now() + kPatience;
  do {
    status.Clear();
    ASSERT_TRUE(testing::CallGetModelStatus(daemon_->model_service(),
                                            "half_plus_two", &status)
                    .ok());
    ASSERT_EQ(status.model_version_status_size(), 1);
    if (status.model_version_status(0).state() ==
        tfs::ModelVersionStatus::END) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  } while (absl::Now() < deadline);
  EXPECT_EQ(status.model_version_status(0).state(),
            tfs::ModelVersionStatus::END);
}

TEST_F(ConfigReload, ZeroPollPeriodReadsTheFileOnce) {
  Start(HalfPlusTwo(), /*config_poll_seconds=*/0);
  WriteConfig(HalfPlusThree());
  absl::SleepFor(absl::Seconds(kPollSeconds + 1));
  EXPECT_TRUE(Serves(*daemon_, "half_plus_two"));
  EXPECT_FALSE(Serves(*daemon_, "half_plus_three"));
}

TEST_F(ConfigReload, UnparsableFileIsLoggedAndChangesNothing) {
  Start(HalfPlusTwo(), kPollSeconds);
  ASSERT_TRUE(
      testing::WriteFileAtomically(config_path_, "model_config_list { oops")
          .ok());
  absl::SleepFor(absl::Seconds(2 * kPollSeconds + 1));
  EXPECT_TRUE(Serves(*daemon_, "half_plus_two"));
  EXPECT_THAT(daemon_->Stderr(),
              HasSubstr("Failed to read ModelServerConfig file: Error parsing "
                        "text-format tensorflow.serving.ModelServerConfig"));
}

TEST_F(ConfigReload, RpcAppliesTheConfigAndASecondReloadRestoresBoth) {
  Start(Both(), /*config_poll_seconds=*/0);
  ASSERT_TRUE(Serves(*daemon_, "half_plus_two"));
  ASSERT_TRUE(Serves(*daemon_, "half_plus_three"));

  tfs::ReloadConfigResponse response;
  grpc::Status status =
      Reload(*daemon_, testing::ModelConfigProto(HalfPlusThree()), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status().error_code(), tensorflow::error::OK);
  EXPECT_FALSE(Serves(*daemon_, "half_plus_two"));
  EXPECT_TRUE(Serves(*daemon_, "half_plus_three"));

  // The reload answers once the models it adds are AVAILABLE.
  status = Reload(*daemon_, testing::ModelConfigProto(Both()), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  auto two = PredictX(daemon_->prediction(), SpecFor("half_plus_two"), true);
  ASSERT_TRUE(two.status.ok()) << two.status.error_message();
  EXPECT_EQ(two.y, 3.0f);
  EXPECT_EQ(PredictX(daemon_->prediction(), SpecFor("half_plus_three")).y,
            4.0f);
}

TEST_F(ConfigReload, RpcChangesPoliciesAndLabels) {
  const std::string path = SharedModelPath("tfs_half_plus_two_2_versions");
  if (path.empty()) GTEST_SKIP() << "../shared/models absent: skipped";
  Start({{"m", path, "specific { versions: 123 }"}}, 0);
  ASSERT_EQ(PredictX(daemon_->prediction(), SpecFor("m")).version, 123);
  tfs::ReloadConfigResponse response;
  // Both versions, then labels on them (labels need AVAILABLE versions).
  ASSERT_TRUE(Reload(*daemon_,
                     testing::ModelConfigProto({{"m", path, "all {}"}}),
                     &response)
                  .ok());
  // Version 124 loads in the background after the reload answers.
  const absl::Time deadline = absl::Now() + kPatience;
  while (PredictX(daemon_->prediction(), SpecFor("m", 124)).version != 124 &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_TRUE(Reload(*daemon_,
                     testing::ModelConfigProto(
                         {{"m", path, "all {}", {{"canary", 124}}}}),
                     &response)
                  .ok());
  EXPECT_EQ(PredictX(daemon_->prediction(), SpecFor("m", 0, "canary")).version,
            124);
  // A label on a version that is not served is refused; nothing changes.
  grpc::Status refused = Reload(
      *daemon_,
      testing::ModelConfigProto({{"m", path, "all {}", {{"canary", 999}}}}),
      &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(refused.error_message(),
            "Request to assign label to version 999 of model m, which is not "
            "currently available for inference");
  EXPECT_EQ(PredictX(daemon_->prediction(), SpecFor("m", 0, "canary")).version,
            124);
}

TEST_F(ConfigReload, RpcErrorsUseTfServingsTextsAndChangeNothing) {
  Start(HalfPlusTwo(), 0);
  tfs::ReloadConfigResponse response;
  grpc::Status empty = Reload(*daemon_, tfs::ModelServerConfig(), &response);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(empty.error_message(),
            "ServerModelConfig type not supported by "
            "HandleReloadConfigRequest. Only ModelConfigList is currently "
            "supported");

  const std::string path = SharedModelPath("tfs_half_plus_three");
  grpc::Status duplicate =
      Reload(*daemon_, testing::ModelConfigProto({{"a", path}, {"a", path}}),
             &response);
  EXPECT_EQ(duplicate.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(duplicate.error_message(),
            "Illegal to list model a multiple times in config list");
  EXPECT_TRUE(Serves(*daemon_, "half_plus_two"));

  grpc::Status missing = Reload(
      *daemon_,
      testing::ModelConfigProto(
          {HalfPlusTwo()[0], {"ghost", "/nonexistent/model_server/ghost"}}),
      &response);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_THAT(missing.error_message(),
              HasSubstr("1 model(s) did not become available: {{{name: "
                        "ghost} due to error: Could not find base path"));
  EXPECT_TRUE(Serves(*daemon_, "half_plus_two"));
}

}  // namespace
}  // namespace model_server
