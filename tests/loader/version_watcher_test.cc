#include "loader/version_watcher.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/version_watcher_test.XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void WriteFile(const fs::path& path, const std::string& contents) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << contents;
}

TEST(VersionWatcher, ParsesDecimalDirectoryNamesWithLeadingZeros) {
  EXPECT_EQ(ParseVersionDirectoryName("123"), 123);
  EXPECT_EQ(ParseVersionDirectoryName("00000123"), 123);
  EXPECT_EQ(ParseVersionDirectoryName("0"), 0);
}

TEST(VersionWatcher, RejectsNamesThatAreNotWholeDecimalNumbers) {
  for (const char* name :
       {"", "abc", "1a", "-1", "+1", "1.0", " 1", "99999999999999999999"}) {
    EXPECT_FALSE(ParseVersionDirectoryName(name).has_value()) << name;
  }
}

TEST(VersionWatcher, IgnoresNonNumericDirectoriesAndFiles) {
  TempDir base;
  WriteFile(fs::path(base.path()) / "1/saved_model.pb", "x");
  WriteFile(fs::path(base.path()) / "tmp/saved_model.pb", "x");
  WriteFile(fs::path(base.path()) / "7", "a file, not a directory");
  auto listed = ListVersionDirectories(base.path());
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->begin()->first, 1);
  EXPECT_TRUE(listed->begin()->second.has_model);
}

TEST(VersionWatcher, MissingBasePathIsNotFound) {
  auto listed = ListVersionDirectories("/nonexistent/model_server/base");
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kNotFound);
}

TEST(VersionWatcher, FreshVersionIsCompleteOnlyOnceUnchangedAcrossPolls) {
  TempDir base;
  WriteFile(fs::path(base.path()) / "5/saved_model.pb", "x");
  VersionWatcher watcher(base.path());
  auto first = watcher.Poll();
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->complete.empty());
  EXPECT_EQ(first->present.count(5), 1u);
  auto second = watcher.Poll();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->complete.count(5), 1u);
}

TEST(VersionWatcher, VersionStillBeingWrittenIsNotComplete) {
  TempDir base;
  WriteFile(fs::path(base.path()) / "5/saved_model.pb", "x");
  VersionWatcher watcher(base.path());
  ASSERT_TRUE(watcher.Poll().ok());
  WriteFile(fs::path(base.path()) / "5/variables/variables.index", "more");
  auto scan = watcher.Poll();
  ASSERT_TRUE(scan.ok());
  EXPECT_TRUE(scan->complete.empty());
  scan = watcher.Poll();
  EXPECT_EQ(scan->complete.count(5), 1u);
}

TEST(VersionWatcher, VersionWithoutSavedModelIsNeverComplete) {
  TempDir base;
  WriteFile(fs::path(base.path()) / "3/variables/variables.index", "x");
  VersionWatcher watcher(base.path());
  ASSERT_TRUE(watcher.Poll().ok());
  auto scan = watcher.Poll();
  ASSERT_TRUE(scan.ok());
  EXPECT_TRUE(scan->complete.empty());
  EXPECT_EQ(scan->present.count(3), 1u);
}

TEST(VersionWatcher, FrozenGraphVersionIsCompleteOnceStable) {
  TempDir base;
  WriteFile(fs::path(base.path()) / "2/frozen_model.pb", "x");
  VersionWatcher watcher(base.path());
  ASSERT_TRUE(watcher.Poll().ok());
  auto scan = watcher.Poll();
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->complete.count(2), 1u);
}

TEST(VersionWatcher, CheckpointIsCompleteOnlyWithEveryDataShard) {
  TempDir base;
  const fs::path version = fs::path(base.path()) / "4";
  WriteFile(version / "model.ckpt.meta", "meta");
  WriteFile(version / "model.ckpt.index", "index");
  WriteFile(version / "model.ckpt.data-00000-of-00002", "data");
  VersionWatcher watcher(base.path());
  ASSERT_TRUE(watcher.Poll().ok());
  auto scan = watcher.Poll();
  ASSERT_TRUE(scan.ok());
  EXPECT_TRUE(scan->complete.empty()) << "shard 1 of 2 is still missing";

  WriteFile(version / "model.ckpt.data-00001-of-00002", "data");
  ASSERT_TRUE(watcher.Poll().ok());
  scan = watcher.Poll();
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->complete.count(4), 1u);
}

}  // namespace
}  // namespace model_server
