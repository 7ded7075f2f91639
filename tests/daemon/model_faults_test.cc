// Faults in model files (issue 14): one daemon serves version 1 of a model
// with a variable (y = a * x, a = 3); then broken versions 2, 3, ... appear
// one after another, each with one fault in its files. Each must fail to
// load with its error in GetModelStatus and the log, while version 1 keeps
// serving every request. Finally version 1's own files are overwritten in
// place: the loaded version keeps serving from memory.
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/daemon_process.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;
namespace tfs = tensorflow::serving;
using testing::DaemonOptions;
using testing::DaemonProcess;
using testing::TempDirectory;

constexpr char kModel[] = "faulty";
constexpr char kData[] = "variables/variables.data-00000-of-00001";
constexpr char kIndex[] = "variables/variables.index";

absl::Status WriteScalingModel(const std::string& dir) {
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  std::string x = g.Placeholder("x", DT_FLOAT);
  std::string a = model.AddVariable("a", Tensor::Scalar(3.0f));
  std::string y = g.Binary("y", "Mul", a, x, DT_FLOAT);
  model.AddSignature("serving_default")
      .Input("x", x, DT_FLOAT)
      .Output("y", y, DT_FLOAT);
  return model.Write(dir);
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)),
                     std::istreambuf_iterator<char>());
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
}

// One way to break a version directory.
struct Fault {
  std::string name;
  void (*apply)(const std::string& version_dir);
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
  };
}

class ModelFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    auto base = TempDirectory::Create();
    ASSERT_TRUE(base.ok()) << base.status();
    base_ = *std::move(base);
    absl::Status status = WriteScalingModel(Path("1"));
    ASSERT_TRUE(status.ok()) << status;
    DaemonOptions options;
    options.model_name = kModel;
    options.model_base_path = base_->path();
    options.extra_flags = {"--file_system_poll_wait_seconds=1",
                           "--load_retry_interval_micros=100000"};
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

  // Predict on x = [1, 2]: the version that answered, or 0 on a failure or
  // a wrong answer.
  int64_t PredictVersion() {
    tfs::PredictRequest request = testing::MakePredictRequest(kModel);
    (*request.mutable_inputs())["x"] = testing::FloatTensorProto({1, 2}, {2});
    tfs::PredictResponse response;
    grpc::Status status =
        testing::CallPredict(daemon_->prediction(), request, &response);
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
    tfs::GetModelStatusResponse response;
    if (!testing::CallGetModelStatus(daemon_->model_service(), kModel,
                                     &response)
             .ok()) {
      return std::nullopt;
    }
    for (const auto& entry : response.model_version_status()) {
      if (entry.version() == version) return entry;
    }
    return std::nullopt;
  }

  std::unique_ptr<TempDirectory> base_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(ModelFaults, EachBrokenVersionFailsVisiblyAndVersion1KeepsServing) {
  ASSERT_EQ(PredictVersion(), 1);
  int64_t version = 1;
  for (const Fault& fault : Faults()) {
    SCOPED_TRACE(fault.name);
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
        << daemon_->Stderr();
    EXPECT_EQ(status->state(), tfs::ModelVersionStatus::END)
        << status->ShortDebugString();
    EXPECT_NE(status->status().error_code(), tensorflow::error::OK);
    EXPECT_NE(status->status().error_message(), "");
    EXPECT_NE(daemon_->Stderr().find(status->status().error_message()),
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
  const absl::Time until = absl::Now() + absl::Seconds(3);
  while (absl::Now() < until) {
    EXPECT_EQ(PredictVersion(), 1);
    absl::SleepFor(absl::Milliseconds(100));
  }
  auto status1 = VersionStatus(1);
  ASSERT_TRUE(status1.has_value());
  EXPECT_EQ(status1->state(), tfs::ModelVersionStatus::AVAILABLE);
}

}  // namespace
}  // namespace model_server
