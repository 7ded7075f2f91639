#include "loader/model_manager.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

// Serving tests use TF Serving's half_plus_two from the shared corpus.
const fs::path kModel =
    fs::path(testing::SharedDir()) / "models/tfs_half_plus_two_cpu/00000123";

class ModelManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kModel)) {
      GTEST_SKIP() << "shared model corpus not found at " << kModel
                   << "; skipping ModelManager serving tests";
    }
    char pattern[] = "/tmp/model_manager_test.XXXXXX";
    base_ = mkdtemp(pattern);
  }
  void TearDown() override {
    if (!base_.empty()) fs::remove_all(base_);
  }

  void AddVersion(int64_t version) {
    fs::copy(kModel, base_ / std::to_string(version),
             fs::copy_options::recursive);
  }

  std::unique_ptr<ModelManager> MakeManager() {
    ModelManagerOptions options;
    options.model_name = "half_plus_two";
    options.base_path = base_.native();
    options.poll_interval = absl::ZeroDuration();  // tests poll by hand
    options.max_num_load_retries = 0;
    return std::make_unique<ModelManager>(options);
  }

  // Freshly copied files need two polls: one to see them, one to see them
  // unchanged.
  static void PollTwice(ModelManager& manager) {
    manager.PollOnce();
    manager.PollOnce();
  }

  static VersionStatus StatusOf(const ModelManager& manager, int64_t version) {
    for (const VersionStatus& status : manager.GetVersionStatuses()) {
      if (status.version == version) return status;
    }
    return VersionStatus{version, VersionState::kStart,
                         absl::NotFoundError("no status")};
  }

  fs::path base_;
};

TEST_F(ModelManagerTest, ServesTheHighestVersion) {
  AddVersion(1);
  AddVersion(3);
  auto manager = MakeManager();
  PollTwice(*manager);
  auto handle = manager->GetHandle(std::nullopt);
  ASSERT_TRUE(handle.ok()) << handle.status();
  EXPECT_EQ((*handle)->version, 3);
  EXPECT_EQ(StatusOf(*manager, 3).state, VersionState::kAvailable);
}

TEST_F(ModelManagerTest, UnknownVersionIsNotFoundWithTfServingText) {
  AddVersion(1);
  auto manager = MakeManager();
  PollTwice(*manager);
  auto handle = manager->GetHandle(7);
  EXPECT_EQ(handle.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(handle.status().message(),
            "Servable not found for request: Specific(half_plus_two, 7)");
}

TEST_F(ModelManagerTest, NothingLoadedIsNotFoundForLatest) {
  auto manager = MakeManager();
  manager->PollOnce();
  auto handle = manager->GetHandle(std::nullopt);
  EXPECT_EQ(handle.status().message(),
            "Servable not found for request: Latest(half_plus_two)");
}

TEST_F(ModelManagerTest, NewVersionSwapsInAndOldUnloadsWhenReleased) {
  AddVersion(1);
  auto manager = MakeManager();
  PollTwice(*manager);
  auto old_handle = manager->GetHandle(std::nullopt);
  ASSERT_TRUE(old_handle.ok());
  AddVersion(2);
  PollTwice(*manager);
  auto handle = manager->GetHandle(std::nullopt);
  ASSERT_TRUE(handle.ok());
  EXPECT_EQ((*handle)->version, 2);
  // The in-flight request still holds version 1.
  EXPECT_EQ(StatusOf(*manager, 1).state, VersionState::kUnloading);
  EXPECT_EQ((*old_handle)->version, 1);
  old_handle->reset();
  EXPECT_EQ(StatusOf(*manager, 1).state, VersionState::kEnd);
}

TEST_F(ModelManagerTest, FailedVersionLeavesServingVersionAndReportsError) {
  AddVersion(1);
  auto manager = MakeManager();
  PollTwice(*manager);
  fs::create_directories(base_ / "2");
  std::ofstream(base_ / "2/saved_model.pb") << "not a protobuf";
  PollTwice(*manager);
  auto handle = manager->GetHandle(std::nullopt);
  ASSERT_TRUE(handle.ok());
  EXPECT_EQ((*handle)->version, 1);
  VersionStatus failed = StatusOf(*manager, 2);
  EXPECT_EQ(failed.state, VersionState::kEnd);
  EXPECT_FALSE(failed.status.ok());
  EXPECT_NE(failed.status.message().find("saved_model.pb"), std::string::npos)
      << failed.status;
  // Not retried while its files stay the same.
  manager->PollOnce();
  EXPECT_EQ(StatusOf(*manager, 2).state, VersionState::kEnd);
}

TEST_F(ModelManagerTest, RemovedVersionFallsBackToTheNextHighest) {
  AddVersion(1);
  AddVersion(2);
  auto manager = MakeManager();
  PollTwice(*manager);
  ASSERT_EQ((*manager->GetHandle(std::nullopt))->version, 2);
  fs::remove_all(base_ / "2");
  manager->PollOnce();
  auto handle = manager->GetHandle(std::nullopt);
  ASSERT_TRUE(handle.ok()) << handle.status();
  EXPECT_EQ((*handle)->version, 1);
}

TEST_F(ModelManagerTest, EmptyBasePathUnloadsEverything) {
  AddVersion(1);
  auto manager = MakeManager();
  PollTwice(*manager);
  fs::remove_all(base_ / "1");
  manager->PollOnce();
  EXPECT_FALSE(manager->GetHandle(std::nullopt).ok());
}

TEST_F(ModelManagerTest, StatusesAreListedHighestFirst) {
  AddVersion(1);
  auto manager = MakeManager();
  PollTwice(*manager);
  AddVersion(2);
  PollTwice(*manager);
  auto statuses = manager->GetVersionStatuses();
  ASSERT_GE(statuses.size(), 2u);
  EXPECT_EQ(statuses[0].version, 2);
  EXPECT_EQ(statuses[1].version, 1);
}

}  // namespace
}  // namespace model_server
