#include "loader/model_files.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/testing/scoped_temp_dir.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

void Touch(const std::string& path, const std::string& contents = "x") {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << contents;
}

void WriteCheckpoint(const std::string& dir, const std::string& prefix) {
  Touch(dir + "/" + prefix + ".meta");
  Touch(dir + "/" + prefix + ".index");
  Touch(dir + "/" + prefix + ".data-00000-of-00001");
}

TEST(ModelFiles, SavedModelWinsOverEverythingElse) {
  ScopedTempDir dir;
  Touch(dir.Child("saved_model.pb"));
  Touch(dir.Child("frozen_model.pb"));
  WriteCheckpoint(dir.path(), "model.ckpt");
  auto files = FindModelFiles(dir.path());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(files->format, ModelFormat::kSavedModel);
  EXPECT_EQ(files->model_file, dir.Child("saved_model.pb"));
}

TEST(ModelFiles, FindsAFrozenGraphAndItsSidecar) {
  ScopedTempDir dir;
  Touch(dir.Child("frozen_model.pb"));
  Touch(dir.Child("signatures.pbtxt"));
  Touch(dir.Child("keras_metadata.pb"));
  auto files = FindModelFiles(dir.path());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(files->format, ModelFormat::kFrozenGraph);
  EXPECT_EQ(files->model_file, dir.Child("frozen_model.pb"));
  EXPECT_EQ(files->signature_sidecar, dir.Child("signatures.pbtxt"));
}

TEST(ModelFiles, SeveralGraphFilesAreAmbiguous) {
  ScopedTempDir dir;
  Touch(dir.Child("a.pb"));
  Touch(dir.Child("b.pbtxt"));
  auto files = FindModelFiles(dir.path());
  EXPECT_EQ(files.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(files.status().message().find("a.pb, b.pbtxt"), std::string::npos)
      << files.status();
  EXPECT_TRUE(HoldsModel(dir.path()));
}

TEST(ModelFiles, CheckpointWinsOverAGraphBesideIt) {
  ScopedTempDir dir;
  WriteCheckpoint(dir.path(), "model.ckpt");
  Touch(dir.Child("graph.pbtxt"));  // what Estimators write beside it
  auto files = FindModelFiles(dir.path());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(files->format, ModelFormat::kCheckpoint);
  EXPECT_EQ(files->model_file, dir.Child("model.ckpt.meta"));
  EXPECT_EQ(files->checkpoint_prefix, dir.Child("model.ckpt"));
}

TEST(ModelFiles, CheckpointFileWithAForeignAbsolutePathFallsBackBesideIt) {
  ScopedTempDir dir;
  WriteCheckpoint(dir.path(), "model.ckpt-200");
  WriteCheckpoint(dir.path(), "model.ckpt-100");
  Touch(dir.Child("checkpoint"),
        "model_checkpoint_path: \"/home/trainer/run7/model.ckpt-200\"\n"
        "all_model_checkpoint_paths: \"/home/trainer/run7/model.ckpt-100\"\n"
        "all_model_checkpoint_paths: \"/home/trainer/run7/model.ckpt-200\"\n");
  auto files = FindModelFiles(dir.path());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(files->checkpoint_prefix, dir.Child("model.ckpt-200"));
}

TEST(ModelFiles, SeveralCheckpointsWithoutStateFileAreAmbiguous) {
  ScopedTempDir dir;
  WriteCheckpoint(dir.path(), "model.ckpt-1");
  WriteCheckpoint(dir.path(), "model.ckpt-2");
  auto files = FindModelFiles(dir.path());
  EXPECT_EQ(files.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(files.status().message().find("model.ckpt-1, model.ckpt-2"),
            std::string::npos)
      << files.status();
}

TEST(ModelFiles, IncompleteCheckpointIsNotAModelYet) {
  ScopedTempDir dir;
  Touch(dir.Child("model.ckpt.meta"));
  Touch(dir.Child("model.ckpt.index"));
  auto files = FindModelFiles(dir.path());
  EXPECT_EQ(files.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(files.status().message().find("model.ckpt.data-00000-of-00001"),
            std::string::npos)
      << files.status();
  EXPECT_FALSE(HoldsModel(dir.path()));
}

TEST(ModelFiles, StateFileNamingAMissingCheckpointIsAnError) {
  ScopedTempDir dir;
  WriteCheckpoint(dir.path(), "model.ckpt-1");
  Touch(dir.Child("checkpoint"), "model_checkpoint_path: \"model.ckpt-9\"\n");
  auto files = FindModelFiles(dir.path());
  EXPECT_EQ(files.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(files.status().message().find("model.ckpt-9"), std::string::npos);
}

TEST(ModelFiles, EmptyDirectoryHoldsNoModel) {
  ScopedTempDir dir;
  auto files = FindModelFiles(dir.path());
  EXPECT_EQ(files.status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(HoldsModel(dir.path()));
}

// The version watcher then counts the directory as holding a model, so the
// load runs and fails visibly instead of the version never appearing.
TEST(ModelFiles, SavedModelFileThatIsNotARegularFileIsRefused) {
  ScopedTempDir fifo_dir;
  ASSERT_EQ(mkfifo(fifo_dir.Child("saved_model.pb").c_str(), 0644), 0);
  ScopedTempDir device_dir;
  fs::create_symlink("/dev/zero", device_dir.Child("saved_model.pb"));
  ScopedTempDir directory_dir;
  fs::create_directory(directory_dir.Child("saved_model.pbtxt"));
  for (const auto& [dir, kind] :
       {std::pair{fifo_dir.path(), "a FIFO"},
        std::pair{device_dir.path(), "a character device"},
        std::pair{directory_dir.path(), "a directory"}}) {
    SCOPED_TRACE(dir);
    auto files = FindModelFiles(dir);
    EXPECT_EQ(files.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(files.status().message().find(kind), std::string::npos)
        << files.status();
    EXPECT_TRUE(HoldsModel(dir));
  }
}

}  // namespace
}  // namespace model_server
