// Model warmup through the daemon: a warmup file with all four log kinds is
// replayed before the version becomes AVAILABLE (visible in the log); a
// corrupt one fails only its version.
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/predict_x.h"
#include "tests/testing/warmup_file.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;
namespace tfs = tensorflow::serving;
using testing::DaemonProcess;
using ::testing::HasSubstr;
using testing::PredictX;
using testing::SpecFor;

class DaemonWarmup : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = testing::SharedModelPath("tfs_half_plus_two_2_versions");
    if (source_.empty()) {
      GTEST_SKIP() << "../shared/models/tfs_half_plus_two_2_versions is "
                      "absent: warmup tests skipped";
    }
    source_ += "/00000123";
    auto base = testing::TempDirectory::Create();
    ASSERT_TRUE(base.ok()) << base.status();
    base_ = *std::move(base);
    ASSERT_TRUE(testing::CopyDirectoryTree(source_, Path("123")).ok());
    ASSERT_TRUE(testing::WriteWarmupFile(Path("123"),
                                         testing::HalfPlusTwoWarmupRecords("m"))
                    .ok());
    testing::DaemonOptions options;
    options.model_name = "m";
    options.model_base_path = base_->path();
    options.extra_flags = {"--num_request_iterations_for_warmup=2",
                           "--file_system_poll_wait_seconds=1"};
    auto daemon = DaemonProcess::Start(options);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = *std::move(daemon);
  }

  void TearDown() override {
    if (daemon_ == nullptr) return;
    auto exit_code = daemon_->Stop();
    ASSERT_TRUE(exit_code.ok()) << exit_code.status();
    EXPECT_EQ(*exit_code, 0) << daemon_->Stderr();
  }

  std::string Path(const std::string& name) const {
    return base_->path() + "/" + name;
  }

  std::string source_;
  std::unique_ptr<testing::TempDirectory> base_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(DaemonWarmup, EveryLogKindIsReplayedBeforeTheVersionIsAvailable) {
  const std::string log = daemon_->Stderr();
  const size_t warmed = log.find("Finished reading warmup data for model at " +
                                 testing::WarmupFilePath(Path("123")) +
                                 ". Number of warmup records read: 4.");
  const size_t available =
      log.find("Successfully loaded servable version {name: m version: 123}");
  ASSERT_NE(warmed, std::string::npos) << log;
  ASSERT_NE(available, std::string::npos) << log;
  EXPECT_LT(warmed, available);
  EXPECT_THAT(log, HasSubstr("(8 warmup requests replayed)"));
  auto result = PredictX(daemon_->prediction(), SpecFor("m"));
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.y, 3.0f);
}

TEST_F(DaemonWarmup, CorruptWarmupFailsItsVersionAndTheOldOneServes) {
  ASSERT_TRUE(testing::CopyDirectoryTree(source_, Path("incoming")).ok());
  ASSERT_TRUE(testing::WriteWarmupFile(Path("incoming"),
                                       testing::HalfPlusTwoWarmupRecords("m"))
                  .ok());
  {
    std::fstream file(testing::WarmupFilePath(Path("incoming")),
                      std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(20);  // inside the first record's data
    file.put('\x55');
  }
  fs::rename(Path("incoming"), Path("124"));

  std::optional<tfs::ModelVersionStatus> failed;
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  while (absl::Now() < deadline && !failed.has_value()) {
    tfs::GetModelStatusResponse response;
    if (testing::CallGetModelStatus(daemon_->model_service(), "m", &response)
            .ok()) {
      for (const auto& status : response.model_version_status()) {
        if (status.version() == 124 &&
            status.state() == tfs::ModelVersionStatus::END) {
          failed = status;
        }
      }
    }
    if (!failed) absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_TRUE(failed.has_value()) << daemon_->Stderr();
  EXPECT_EQ(failed->status().error_code(), tensorflow::error::DATA_LOSS);
  EXPECT_THAT(failed->status().error_message(),
              HasSubstr("in record 1 at offset 0 of " +
                        testing::WarmupFilePath(Path("124"))));
  auto result = PredictX(daemon_->prediction(), SpecFor("m"));
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.version, 123);
}

}  // namespace
}  // namespace model_server
