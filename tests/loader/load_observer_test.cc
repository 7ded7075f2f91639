// LoadObserver: every load attempt of a ModelManager's models is reported
// with its load and warmup outcome (what the daemon's load metrics count).
#include "loader/load_observer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loader/model_manager.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tests/testing/warmup_file.h"
#include "tools/example_model.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

class RecordingObserver : public LoadObserver {
 public:
  void OnLoadAttempt(const LoadAttempt& attempt) override {
    absl::MutexLock lock(&mu_);
    attempts_.push_back(attempt);
  }
  std::vector<LoadAttempt> attempts() const {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<LoadAttempt> attempts_;
};

ModelManagerOptions OptionsReportingTo(LoadObserver* observer) {
  ModelManagerOptions options;
  options.file_system_poll_wait = absl::ZeroDuration();
  options.max_num_load_retries = 0;
  options.load_observer = observer;
  return options;
}

ServedModelConfig ModelAt(const std::string& base_path) {
  ServedModelConfig config;
  config.name = "half_plus_two";
  config.base_path = base_path;
  return config;
}

TEST(LoadObserver, SeesASuccessfulLoadWithoutWarmup) {
  ScopedTempDir dir;
  ASSERT_TRUE(WriteHalfPlusTwo(dir.Child("7")).ok());
  RecordingObserver observer;
  ModelManager manager(OptionsReportingTo(&observer));
  ASSERT_TRUE(manager.ReloadConfig({ModelAt(dir.path())}).ok());

  const std::vector<LoadAttempt> attempts = observer.attempts();
  ASSERT_THAT(attempts, SizeIs(1));
  EXPECT_EQ(attempts[0].model_name, "half_plus_two");
  EXPECT_EQ(attempts[0].version, 7);
  EXPECT_EQ(attempts[0].path, dir.Child("7"));
  EXPECT_TRUE(attempts[0].load_status.ok()) << attempts[0].load_status;
  EXPECT_GT(attempts[0].load_time, absl::ZeroDuration());
  EXPECT_FALSE(attempts[0].warmup.has_value());
  EXPECT_TRUE(attempts[0].status().ok());
}

TEST(LoadObserver, SeesTheWarmupOfAVersionWithAWarmupFile) {
  ScopedTempDir dir;
  ASSERT_TRUE(WriteHalfPlusTwo(dir.Child("1")).ok());
  ASSERT_TRUE(
      testing::WriteWarmupFile(
          dir.Child("1"), testing::HalfPlusTwoWarmupRecords("half_plus_two"))
          .ok());
  RecordingObserver observer;
  ModelManager manager(OptionsReportingTo(&observer));
  ASSERT_TRUE(manager.ReloadConfig({ModelAt(dir.path())}).ok());

  const std::vector<LoadAttempt> attempts = observer.attempts();
  ASSERT_THAT(attempts, SizeIs(1));
  ASSERT_TRUE(attempts[0].warmup.has_value());
  EXPECT_TRUE(attempts[0].warmup->status.ok()) << attempts[0].warmup->status;
  EXPECT_EQ(attempts[0].warmup->requests, 4);  // one record of each kind
  EXPECT_GT(attempts[0].warmup->time, absl::ZeroDuration());
}

TEST(LoadObserver, SeesAFailedLoadWithItsError) {
  ScopedTempDir dir;
  ASSERT_TRUE(WriteHalfPlusTwo(dir.Child("1")).ok());
  // A corrupt warmup file fails the attempt after a successful load.
  ASSERT_TRUE(testing::WriteWarmupFile(dir.Child("1"), {"not a record"}).ok());
  ASSERT_TRUE(WriteHalfPlusTwo(dir.Child("2")).ok());
  std::filesystem::remove(dir.Child("2") + "/saved_model.pb");
  std::ofstream(dir.Child("2") + "/saved_model.pb") << "not a model";
  RecordingObserver observer;
  ModelManager manager(OptionsReportingTo(&observer));
  ServedModelConfig config = ModelAt(dir.path());
  config.version_policy = VersionPolicy::All();
  EXPECT_FALSE(manager.ReloadConfig({config}).ok());

  std::vector<LoadAttempt> attempts = observer.attempts();
  ASSERT_THAT(attempts, SizeIs(2));
  std::sort(attempts.begin(), attempts.end(),
            [](const LoadAttempt& a, const LoadAttempt& b) {
              return a.version < b.version;
            });
  EXPECT_TRUE(attempts[0].load_status.ok()) << attempts[0].load_status;
  ASSERT_TRUE(attempts[0].warmup.has_value());
  EXPECT_EQ(attempts[0].warmup->status.code(),
            absl::StatusCode::kInvalidArgument)
      << attempts[0].warmup->status;
  EXPECT_EQ(attempts[0].status(), attempts[0].warmup->status);
  EXPECT_FALSE(attempts[1].load_status.ok());
  EXPECT_THAT(attempts[1].load_status.message(), HasSubstr("saved_model.pb"));
  EXPECT_FALSE(attempts[1].warmup.has_value());
}

}  // namespace
}  // namespace model_server
