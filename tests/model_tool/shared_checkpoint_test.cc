// ../shared/checkpoints/mlnet_cifar, a real tf.train.Saver checkpoint
// written during training (Adam slots, gradients, a `checkpoint` file), is
// served as a checkpoint version and its author's frozen twin as a frozen
// version; both give the same `Output` for the same images, in-process and
// through the daemon. Skips, saying so, without ../shared.
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loader/loaded_model.h"
#include "tests/model_tool/tool_runner.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

std::string CifarDir() {
  return testing::SharedDir() + "/checkpoints/mlnet_cifar";
}

// Links the files of ../shared into a version directory.
void LinkVersion(const std::string& version_dir,
                 const std::vector<std::string>& files) {
  fs::create_directories(version_dir);
  for (const std::string& file : files) {
    fs::create_symlink(CifarDir() + "/" + file, version_dir + "/" + file);
  }
}

// Two 32x32x3 "images" with values in [0, 1), always the same.
std::vector<float> Images() {
  std::mt19937 random(7);
  std::uniform_real_distribution<float> uniform(0, 1);
  std::vector<float> pixels(2 * 32 * 32 * 3);
  for (float& p : pixels) p = uniform(random);
  return pixels;
}

constexpr char kSidecar[] = R"(
signature_def {
  key: "serving_default"
  value {
    inputs { key: "Input" value { name: "Input:0" dtype: DT_FLOAT } }
    outputs { key: "Output" value { name: "Output:0" dtype: DT_FLOAT } }
    method_name: "tensorflow/serving/predict"
  }
})";

class MlnetCifar : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(CifarDir() + "/model.ckpt.meta")) {
      GTEST_SKIP() << "../shared/checkpoints/mlnet_cifar is not present";
    }
    LinkVersion(dir_.Child("checkpoint/1"),
                {"checkpoint", "model.ckpt.meta", "model.ckpt.index",
                 "model.ckpt.data-00000-of-00001"});
    std::ofstream(dir_.Child("checkpoint/1/signatures.pbtxt")) << kSidecar;
    LinkVersion(dir_.Child("frozen/1"), {"frozen_model.pb"});
  }
  ScopedTempDir dir_;
};

TEST_F(MlnetCifar, CheckpointAndFrozenTwinGiveTheSameOutput) {
  auto checkpoint =
      LoadedModel::Load(dir_.Child("checkpoint/1"), LoadOptions());
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ((*checkpoint)->files().format, ModelFormat::kCheckpoint);
  auto frozen = LoadedModel::Load(dir_.Child("frozen/1"), LoadOptions());
  ASSERT_TRUE(frozen.ok()) << frozen.status();
  // The frozen twin's inferred signature is the serving path.
  const auto& def =
      (*frozen)->meta_graph().signature_def().at("serving_default");
  ASSERT_EQ(def.inputs().count("Input"), 1u) << def.DebugString();
  ASSERT_EQ(def.outputs().count("Output"), 1u) << def.DebugString();

  Tensor images = Tensor::FromVector<float>(Images(), {2, 32, 32, 3});
  auto a = testing::PredictInProcess(**checkpoint, "", {{"Input", images}});
  ASSERT_TRUE(a.ok()) << a.status();
  auto b = testing::PredictInProcess(**frozen, "", {{"Input", images}});
  ASSERT_TRUE(b.ok()) << b.status();
  std::vector<float> from_checkpoint = testing::Floats(a->at("Output"));
  std::vector<float> from_frozen = testing::Floats(b->at("Output"));
  ASSERT_EQ(from_checkpoint.size(), 20u);
  for (size_t i = 0; i < from_checkpoint.size(); ++i) {
    EXPECT_NEAR(from_checkpoint[i], from_frozen[i],
                1e-5 + 1e-4 * std::fabs(from_frozen[i]))
        << i;
  }
}

TEST_F(MlnetCifar, FreezingTheCheckpointMatchesTheAuthorsFrozenGraph) {
  const std::string out = dir_.Child("ours/1/frozen_model.pb");
  fs::create_directories(dir_.Child("ours/1"));
  auto run = testing::RunTool(
      "freeze", {"--input_meta_graph", CifarDir() + "/model.ckpt.meta",
                 "--input_checkpoint", CifarDir() + "/model.ckpt",
                 "--output_node_names", "Output", "--output_graph", out});
  ASSERT_EQ(run.code, 0) << run.err;
  auto ours = LoadedModel::Load(dir_.Child("ours/1"), LoadOptions());
  ASSERT_TRUE(ours.ok()) << ours.status();
  auto theirs = LoadedModel::Load(dir_.Child("frozen/1"), LoadOptions());
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  Tensor images = Tensor::FromVector<float>(Images(), {2, 32, 32, 3});
  auto a = testing::PredictInProcess(**ours, "", {{"Input", images}});
  ASSERT_TRUE(a.ok()) << a.status();
  auto b = testing::PredictInProcess(**theirs, "", {{"Input", images}});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(testing::Floats(a->at("Output")), testing::Floats(b->at("Output")));
}

TEST_F(MlnetCifar, DaemonServesBothVersionsAlike) {
  std::vector<std::vector<float>> outputs;
  for (const char* base : {"checkpoint", "frozen"}) {
    testing::DaemonOptions options;
    options.model_name = "cifar";
    options.model_base_path = dir_.Child(base);
    auto daemon = testing::DaemonProcess::Start(options);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    auto request = testing::MakePredictRequest("cifar");
    (*request.mutable_inputs())["Input"] =
        testing::FloatTensorProto(Images(), {2, 32, 32, 3});
    tensorflow::serving::PredictResponse response;
    grpc::Status status =
        testing::CallPredict((*daemon)->prediction(), request, &response);
    ASSERT_TRUE(status.ok()) << base << ": " << status.error_message();
    outputs.push_back(testing::FloatValues(response.outputs().at("Output")));
    EXPECT_EQ((*daemon)->Stop().value_or(-1), 0);
  }
  ASSERT_EQ(outputs[0].size(), outputs[1].size());
  for (size_t i = 0; i < outputs[0].size(); ++i) {
    EXPECT_NEAR(outputs[0][i], outputs[1][i],
                1e-5 + 1e-4 * std::fabs(outputs[1][i]));
  }
}

}  // namespace
}  // namespace model_server
