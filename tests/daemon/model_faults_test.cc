// Faults in model files (issue 14): one daemon serves version 1 of a model
// with a variable (y = a * x, a = 3); then broken versions 2, 3, ... appear
// one after another, each with one fault in its files (corrupt, missing,
// unreadable, a FIFO that would block a reader forever, a link to an endless
// device). Each must fail to load with its error in GetModelStatus and the
// log, while version 1 keeps serving every request. A version directory
// deleted at any point of its load never interrupts serving. Finally
// version 1's own files are overwritten or replaced in place: the loaded
// version keeps serving from memory.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/model_directory_daemon.h"
#include "tests/testing/warmup_file.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;
namespace tfs = tensorflow::serving;
using testing::ModelDirectoryDaemon;

constexpr char kModel[] = "faulty";
constexpr char kData[] = "variables/variables.data-00000-of-00001";
constexpr char kIndex[] = "variables/variables.index";

absl::Status WriteModelScalingBy(float factor, const std::string& dir) {
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  std::string x = g.Placeholder("x", DT_FLOAT);
  std::string a = model.AddVariable("a", Tensor::Scalar(factor));
  std::string y = g.Binary("y", "Mul", a, x, DT_FLOAT);
  model.AddSignature("serving_default")
      .Input("x", x, DT_FLOAT)
      .Output("y", y, DT_FLOAT);
  return model.Write(dir);
}

absl::Status WriteScalingModel(const std::string& dir) {
  return WriteModelScalingBy(3.0f, dir);
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)),
                     std::istreambuf_iterator<char>());
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
}

void ReplaceWithFifo(const std::string& path) {
  fs::remove(path);
  ASSERT_EQ(mkfifo(path.c_str(), 0644), 0) << path;
}

void ReplaceWithSymlink(const std::string& path, const std::string& target) {
  fs::remove(path);
  fs::create_symlink(target, path);
}

// One way to break a version directory.
struct Fault {
  std::string name;
  void (*apply)(const std::string& version_dir);
  // The fault has no effect on a process running as root.
  bool needs_unprivileged = false;
};

std::vector<Fault> Faults() {
  return {
      {"truncated variables data",
       [](const std::string& dir) {
         fs::resize_file(dir + "/" + kData,
                         fs::file_size(dir + "/" + kData) / 2);
       }},
      {"variables data with a flipped byte (checksum mismatch)",
       [](const std::string& dir) {
         std::string data = ReadFile(dir + "/" + kData);
         data[0] = static_cast<char>(data[0] ^ 0x5a);
         WriteFile(dir + "/" + kData, data);
       }},
      {"missing variables data shard",
       [](const std::string& dir) { fs::remove(dir + "/" + kData); }},
      {"truncated variables index",
       [](const std::string& dir) { fs::resize_file(dir + "/" + kIndex, 10); }},
      {"variables index that cannot be read (a directory)",
       [](const std::string& dir) {
         fs::remove(dir + "/" + kIndex);
         fs::create_directory(dir + "/" + kIndex);
       }},
      {"empty saved_model.pb",
       [](const std::string& dir) { WriteFile(dir + "/saved_model.pb", ""); }},
      // Refused before anything opens them (a FIFO would block the reader,
      // /dev/zero never ends), as a load error in GetModelStatus.
      {"saved_model.pb that is a FIFO",
       [](const std::string& dir) {
         ReplaceWithFifo(dir + "/saved_model.pb");
       }},
      {"saved_model.pb that links to /dev/zero",
       [](const std::string& dir) {
         ReplaceWithSymlink(dir + "/saved_model.pb", "/dev/zero");
       }},
      // Reading a FIFO blocks until a writer comes, which never happens: a
      // loader that opened one would hang its version in LOADING.
      {"variables index that is a FIFO",
       [](const std::string& dir) { ReplaceWithFifo(dir + "/" + kIndex); }},
      {"variables data that is a FIFO",
       [](const std::string& dir) { ReplaceWithFifo(dir + "/" + kData); }},
      // /dev/zero never ends: a loader reading to the end would take all
      // memory.
      {"variables data that links to /dev/zero",
       [](const std::string& dir) {
         ReplaceWithSymlink(dir + "/" + kData, "/dev/zero");
       }},
      {"warmup file that is a FIFO",
       [](const std::string& dir) {
         const std::string warmup = testing::WarmupFilePath(dir);
         fs::create_directories(fs::path(warmup).parent_path());
         ASSERT_EQ(mkfifo(warmup.c_str(), 0644), 0);
       }},
      // Mode 000 stops only an unprivileged reader; as root (containers)
      // the file reads fine and loads, so this fault needs another user.
      {"saved_model.pb without read permission (skipped as root)",
       [](const std::string& dir) {
         fs::permissions(dir + "/saved_model.pb", fs::perms::none);
       },
       /*needs_unprivileged=*/true},
  };
}

class ModelFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    auto served =
        ModelDirectoryDaemon::Start(kModel, WriteScalingModel,
                                    {"--file_system_poll_wait_seconds=1",
                                     "--load_retry_interval_micros=100000"});
    ASSERT_TRUE(served.ok()) << served.status();
    served_ = *std::move(served);
  }

  void TearDown() override {
    if (served_ == nullptr) return;
    auto exit_code = served_->Stop();
    ASSERT_TRUE(exit_code.ok()) << exit_code.status();
    EXPECT_EQ(*exit_code, 0) << Stderr();
  }

  std::string Path(const std::string& name) const {
    return served_->Path(name);
  }
  std::string Stderr() const { return served_->daemon().Stderr(); }

  // Predict on x = [1, 2]: the version that answered, or 0 on a failure or
  // a wrong answer.
  int64_t PredictVersion() {
    tfs::PredictRequest request = testing::MakePredictRequest(kModel);
    (*request.mutable_inputs())["x"] = testing::FloatTensorProto({1, 2}, {2});
    tfs::PredictResponse response;
    grpc::Status status = testing::CallPredict(served_->daemon().prediction(),
                                               request, &response);
    if (!status.ok() || response.outputs().count("y") == 0 ||
        testing::FloatValues(response.outputs().at("y")) !=
            std::vector<float>{3, 6}) {
      ADD_FAILURE() << "Predict failed: " << status.error_message() << " "
                    << response.ShortDebugString();
      return 0;
    }
    return response.model_spec().version().value();
  }

  std::optional<tfs::ModelVersionStatus> VersionStatus(int64_t version) {
    return served_->VersionStatus(version);
  }

  // Every request during `period` is served by version 1, which is then
  // still AVAILABLE.
  void ExpectVersion1ServesFor(absl::Duration period) {
    const absl::Time until = absl::Now() + period;
    while (absl::Now() < until) {
      EXPECT_EQ(PredictVersion(), 1);
      absl::SleepFor(absl::Milliseconds(100));
    }
    auto status1 = VersionStatus(1);
    ASSERT_TRUE(status1.has_value());
    EXPECT_EQ(status1->state(), tfs::ModelVersionStatus::AVAILABLE);
  }

  std::unique_ptr<ModelDirectoryDaemon> served_;
};

TEST_F(ModelFaults, EachBrokenVersionFailsVisiblyAndVersion1KeepsServing) {
  ASSERT_EQ(PredictVersion(), 1);
  int64_t version = 1;
  for (const Fault& fault : Faults()) {
    SCOPED_TRACE(fault.name);
    if (fault.needs_unprivileged && geteuid() == 0) {
      std::cerr << "skipped as root: " << fault.name << "\n";
      continue;
    }
    ++version;
    const std::string incoming = Path(absl::StrCat("incoming.", version));
    ASSERT_TRUE(WriteScalingModel(incoming).ok());
    fault.apply(incoming);
    fs::rename(incoming, Path(std::to_string(version)));

    std::optional<tfs::ModelVersionStatus> status;
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline) {
      status = VersionStatus(version);
      if (status && status->state() == tfs::ModelVersionStatus::END) break;
      EXPECT_EQ(PredictVersion(), 1);
      absl::SleepFor(absl::Milliseconds(100));
    }
    ASSERT_TRUE(status.has_value())
        << "version " << version << " never showed in GetModelStatus:\n"
        << Stderr();
    EXPECT_EQ(status->state(), tfs::ModelVersionStatus::END)
        << status->ShortDebugString();
    EXPECT_NE(status->status().error_code(), tensorflow::error::OK);
    EXPECT_NE(status->status().error_message(), "");
    EXPECT_NE(Stderr().find(status->status().error_message()),
              std::string::npos)
        << "the error is not in the log: " << status->status().error_message();
    auto status1 = VersionStatus(1);
    ASSERT_TRUE(status1.has_value());
    EXPECT_EQ(status1->state(), tfs::ModelVersionStatus::AVAILABLE);
    EXPECT_EQ(PredictVersion(), 1);
    // Out of the way, so the next broken version is the only candidate.
    fs::remove_all(Path(std::to_string(version)));
  }
}

TEST_F(ModelFaults, FilesOverwrittenUnderTheServingVersionDoNotDisturbIt) {
  ASSERT_EQ(PredictVersion(), 1);
  WriteFile(Path("1/saved_model.pb"), "overwritten in place");
  WriteFile(Path(std::string("1/") + kData), "");
  // A few polls later version 1 still serves from memory.
  ExpectVersion1ServesFor(absl::Seconds(3));
}

// Replaced, not overwritten: new files renamed over the old names (how
// deployment tools swap files), holding a model that scales by 5.
TEST_F(ModelFaults, FilesReplacedUnderTheServingVersionDoNotDisturbIt) {
  ASSERT_EQ(PredictVersion(), 1);
  ASSERT_TRUE(WriteModelScalingBy(5.0f, Path("other")).ok());
  for (const std::string file : {"saved_model.pb", kIndex, kData}) {
    fs::rename(Path("other/" + file), Path("1/" + file));
  }
  ExpectVersion1ServesFor(absl::Seconds(3));
}

// Version 2 appears and its directory is deleted again after a delay that
// grows from nothing to past its load (warmup records make the load last a
// while), so the deletion lands before, during and after loading. Whatever
// the load made of it, requests never fail and version 1 serves at the end.
TEST_F(ModelFaults, VersionDeletedWhileItLoadsNeverInterruptsServing) {
  ASSERT_EQ(PredictVersion(), 1);
  int64_t version = 1;
  for (absl::Duration delay :
       {absl::ZeroDuration(), absl::Milliseconds(300), absl::Seconds(1),
        absl::Milliseconds(1500), absl::Seconds(3)}) {
    SCOPED_TRACE(absl::StrCat("deleted ", absl::FormatDuration(delay),
                              " after it appeared"));
    ++version;
    const std::string incoming = Path(absl::StrCat("incoming.", version));
    ASSERT_TRUE(WriteScalingModel(incoming).ok());
    tfs::PredictRequest warmup = testing::MakePredictRequest(kModel);
    (*warmup.mutable_inputs())["x"] =
        testing::FloatTensorProto(std::vector<float>(10000, 1.0f), {10000});
    ASSERT_TRUE(testing::WriteWarmupFile(
                    incoming, std::vector<std::string>(
                                  300, testing::PredictLogRecord(warmup)))
                    .ok());
    const std::string dir = Path(std::to_string(version));
    fs::rename(incoming, dir);
    const absl::Time until = absl::Now() + delay;
    do {
      EXPECT_NE(PredictVersion(), 0);
      absl::SleepFor(absl::Milliseconds(20));
    } while (absl::Now() < until);
    fs::remove_all(dir);
    // Version 1 serves again once the daemon saw the deletion.
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    int64_t served = 0;
    while (absl::Now() < deadline) {
      served = PredictVersion();
      auto status = VersionStatus(version);
      if (served == 1 &&
          (!status || status->state() == tfs::ModelVersionStatus::END)) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_EQ(served, 1) << Stderr();
  }
  auto status1 = VersionStatus(1);
  ASSERT_TRUE(status1.has_value());
  EXPECT_EQ(status1->state(), tfs::ModelVersionStatus::AVAILABLE);
}

}  // namespace
}  // namespace model_server
