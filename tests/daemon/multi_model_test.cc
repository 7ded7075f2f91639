// Several models in one daemon through --model_config_file (TF Serving's
// testGoodModelConfig, testBadModelConfig, testGoodGrpcChannelArgs), version
// policies, version labels, and config validation at start-up.
#include <memory>
#include <string>
#include <vector>

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
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::PredictX;
using testing::SharedModelPath;
using testing::SpecFor;

// Starts the daemon on `models`' config file; waits until `wait_for` serves.
absl::StatusOr<std::unique_ptr<DaemonProcess>> StartWithConfig(
    const testing::TempDirectory& dir, const std::vector<ConfigModel>& models,
    const std::string& wait_for, std::vector<std::string> extra_flags = {}) {
  const std::string path = dir.path() + "/models.config";
  absl::Status written =
      testing::WriteFileAtomically(path, testing::ModelConfigText(models));
  if (!written.ok()) return written;
  testing::DaemonOptions options;
  options.model_name = wait_for;
  options.extra_flags = std::move(extra_flags);
  options.extra_flags.push_back("--model_config_file=" + path);
  return DaemonProcess::Start(options);
}

// Runs the daemon on `config_text` until it exits (start-up failures).
absl::StatusOr<testing::DaemonRun> RunWithConfig(
    const std::string& config_text, std::vector<std::string> extra_flags = {}) {
  auto dir = testing::TempDirectory::Create();
  if (!dir.ok()) return dir.status();
  const std::string path = (*dir)->path() + "/models.config";
  absl::Status written = testing::WriteFileAtomically(path, config_text);
  if (!written.ok()) return written;
  extra_flags.push_back("--model_config_file=" + path);
  extra_flags.push_back("--port=" +
                        std::to_string(testing::PickFreeLoopbackPort()));
  return testing::RunDaemonToExit(extra_flags);
}

std::vector<int64_t> Versions(const tfs::GetModelStatusResponse& response) {
  std::vector<int64_t> versions;
  for (const auto& status : response.model_version_status()) {
    EXPECT_EQ(status.state(), tfs::ModelVersionStatus::AVAILABLE)
        << status.ShortDebugString();
    versions.push_back(status.version());
  }
  return versions;
}

class MultiModel : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* model : {"tfs_half_plus_two_cpu", "tfs_half_plus_three",
                              "tfs_half_plus_two_2_versions"}) {
      if (SharedModelPath(model).empty()) {
        GTEST_SKIP() << "../shared/models/" << model
                     << " is absent: many-model tests skipped";
      }
    }
    auto dir = testing::TempDirectory::Create();
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *std::move(dir);
  }

  void TearDown() override {
    if (daemon_ == nullptr) return;
    auto exit_code = daemon_->Stop();
    ASSERT_TRUE(exit_code.ok()) << exit_code.status();
    EXPECT_EQ(*exit_code, 0) << daemon_->Stderr();
  }

  void Start(const std::vector<ConfigModel>& models,
             const std::string& wait_for,
             std::vector<std::string> extra_flags = {}) {
    auto daemon = StartWithConfig(*dir_, models, wait_for, extra_flags);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = *std::move(daemon);
  }

  std::unique_ptr<testing::TempDirectory> dir_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(MultiModel, ServesHalfPlusTwoAndHalfPlusThreeTogether) {
  Start({{"half_plus_two", SharedModelPath("tfs_half_plus_two_cpu")},
         {"half_plus_three", SharedModelPath("tfs_half_plus_three")}},
        "half_plus_three");
  for (bool filter : {true, false}) {
    auto two =
        PredictX(daemon_->prediction(), SpecFor("half_plus_two"), filter);
    ASSERT_TRUE(two.status.ok()) << two.status.error_message();
    EXPECT_EQ(two.y, 3.0f);
    EXPECT_EQ(two.model_name, "half_plus_two");
    EXPECT_EQ(two.signature_name, "serving_default");
    EXPECT_EQ(two.version, 123);
    auto three =
        PredictX(daemon_->prediction(), SpecFor("half_plus_three"), filter);
    ASSERT_TRUE(three.status.ok()) << three.status.error_message();
    EXPECT_EQ(three.y, 4.0f);
    EXPECT_EQ(three.model_name, "half_plus_three");
    EXPECT_EQ(three.version, 123);
  }
  auto missing = PredictX(daemon_->prediction(), SpecFor("default"));
  EXPECT_EQ(missing.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.status.error_message(),
            "Servable not found for request: Latest(default)");
}

TEST_F(MultiModel, AllPolicyServesBothVersionsAndLabelsRoute) {
  Start({{"m",
          SharedModelPath("tfs_half_plus_two_2_versions"),
          "all {}",
          {{"stable", 123}, {"canary", 124}}}},
        "m", {"--allow_version_labels_for_unavailable_models"});
  for (int64_t version : {123, 124}) {
    auto result = PredictX(daemon_->prediction(), SpecFor("m", version));
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    EXPECT_EQ(result.y, 3.0f);
    EXPECT_EQ(result.version, version);
  }
  EXPECT_EQ(PredictX(daemon_->prediction(), SpecFor("m")).version, 124);
  EXPECT_EQ(PredictX(daemon_->prediction(), SpecFor("m", 0, "stable")).version,
            123);
  EXPECT_EQ(PredictX(daemon_->prediction(), SpecFor("m", 0, "canary")).version,
            124);
  auto unknown = PredictX(daemon_->prediction(), SpecFor("m", 0, "nope"));
  EXPECT_EQ(unknown.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(unknown.status.error_message(),
            "Unrecognized servable version label: nope");

  tfs::GetModelStatusResponse status;
  ASSERT_TRUE(
      testing::CallGetModelStatus(daemon_->model_service(), "m", &status).ok());
  EXPECT_THAT(Versions(status), ElementsAre(124, 123));
}

TEST_F(MultiModel, SpecificPolicyServesOnlyTheListedVersion) {
  Start({{"m", SharedModelPath("tfs_half_plus_two_2_versions"),
          "specific { versions: 123 }"}},
        "m");
  EXPECT_EQ(PredictX(daemon_->prediction(), SpecFor("m")).version, 123);
  auto other = PredictX(daemon_->prediction(), SpecFor("m", 124));
  EXPECT_EQ(other.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(other.status.error_message(),
            "Servable not found for request: Specific(m, 124)");
  tfs::GetModelStatusResponse status;
  ASSERT_TRUE(
      testing::CallGetModelStatus(daemon_->model_service(), "m", &status).ok());
  EXPECT_THAT(Versions(status), ElementsAre(123));
}

TEST_F(MultiModel, GrpcChannelArgumentsOfTfServingsTestAreAccepted) {
  testing::DaemonOptions options;
  options.model_name = "default";
  options.model_base_path = SharedModelPath("tfs_half_plus_two_cpu");
  options.extra_flags = {
      "--grpc_channel_arguments=grpc.max_connection_age_ms=2000,"
      "grpc.lb_policy_name=grpclb"};
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  daemon_ = *std::move(daemon);
  auto result = PredictX(daemon_->prediction(), SpecFor("default"));
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.y, 3.0f);
}

TEST(ModelConfigStartup, UnparsableFileStopsWithTfServingsParseError) {
  auto run = RunWithConfig(
      "model_config_list: {\n  config: {\n    name: \"x\",\n    bogus: 1\n");
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_NE(run->exit_code, 0);
  EXPECT_THAT(run->stderr_text,
              HasSubstr("Error parsing text-format "
                        "tensorflow.serving.ModelServerConfig"));
}

TEST(ModelConfigStartup, InvalidConfigsStopWithTfServingsTexts) {
  const std::string absolute = "/nonexistent/model_server/m";
  const std::pair<std::string, std::string> cases[] = {
      {testing::ModelConfigText({{"a", absolute}, {"a", absolute}}),
       "Illegal to list model a multiple times in config list"},
      {testing::ModelConfigText({{"a", "relative/path"}}),
       "Expected model a to have an absolute path or URI; got "
       "base_path()=relative/path"},
      {"model_config_list { config { name: \"a\" base_path: \"/a\" "
       "model_platform: \"pytorch\" } }",
       "Model a requests unsupported platform pytorch"},
  };
  for (const auto& [text, error] : cases) {
    auto run = RunWithConfig(text);
    ASSERT_TRUE(run.ok()) << run.status();
    EXPECT_EQ(run->exit_code, 1) << error;
    EXPECT_THAT(run->stderr_text, HasSubstr(error));
  }
}

TEST(ModelConfigStartup, LabelsNeedAllowVersionLabelsForUnavailableModels) {
  const std::string path = SharedModelPath("tfs_half_plus_two_2_versions");
  if (path.empty()) GTEST_SKIP() << "../shared/models absent: skipped";
  auto run = RunWithConfig(
      testing::ModelConfigText({{"m", path, "all {}", {{"stable", 123}}}}));
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 1);
  EXPECT_THAT(run->stderr_text,
              HasSubstr("Request to assign label to version 123 of model m, "
                        "which is not currently available for inference"));
}

}  // namespace
}  // namespace model_server
