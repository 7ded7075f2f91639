// The story on a TF1 checkpoint the project's own builder writes
// (tools/saved_model_builder.h, WriteCheckpoint): it is inspected with
// model_tool show, served directly (in-process and by the daemon), and
// frozen with model_tool freeze; all three give the same outputs, and the
// frozen graph holds no variable, save or restore op.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "loader/loaded_model.h"
#include "loader/signature_inference.h"
#include "rapidjson/document.h"
#include "tests/model_tool/tool_runner.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

using testing::Floats;
using testing::PredictInProcess;
using testing::RunTool;

// A small classifier as a training script leaves it: probabilities =
// softmax(x W + b); a label placeholder feeds a loss that a gradient-style
// AssignSub consumes; a global_step counter.
void BuildTrainingCheckpoint(SavedModelWriter* model) {
  GraphBuilder& g = model->graph();
  std::string x = g.Placeholder("x", DT_FLOAT, {-1, 3});
  std::string label = g.Placeholder("label", DT_FLOAT, {-1, 2});
  std::string w = model->AddVariable(
      "W", Tensor::FromVector<float>({1, -1, 0.5f, 2, 0, 1}, {3, 2}));
  std::string b =
      model->AddVariable("b", Tensor::FromVector<float>({0.1f, -0.2f}, {2}));
  model->AddVariable("global_step", Tensor::Scalar<int64_t>(100));
  g.Op("logits/MatMul", "MatMul").Input(x).Input(w).Attr("T", DT_FLOAT);
  std::string logits =
      g.Binary("logits", "AddV2", "logits/MatMul", b, DT_FLOAT);
  g.Op("probabilities", "Softmax").Input(logits).Attr("T", DT_FLOAT);
  std::string diff = g.Binary("loss/diff", "Sub", logits, label, DT_FLOAT);
  std::string loss = g.Binary("loss", "Mul", diff, diff, DT_FLOAT);
  g.Op("train/update_b", "AssignSub")
      .Input("b")
      .Input(loss)
      .Attr("T", DT_FLOAT);
}

std::vector<float> Expected(const std::vector<float>& x) {
  const float w[3][2] = {{1, -1}, {0.5f, 2}, {0, 1}};
  const float b[2] = {0.1f, -0.2f};
  std::vector<float> out;
  for (size_t row = 0; row + 2 < x.size(); row += 3) {
    float l[2];
    for (int j = 0; j < 2; ++j) {
      l[j] = b[j];
      for (int i = 0; i < 3; ++i) l[j] += x[row + i] * w[i][j];
    }
    float m = std::max(l[0], l[1]);
    float e0 = std::exp(l[0] - m), e1 = std::exp(l[1] - m);
    out.push_back(e0 / (e0 + e1));
    out.push_back(e1 / (e0 + e1));
  }
  return out;
}

void ExpectNear(const std::vector<float>& actual,
                const std::vector<float>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], 1e-6) << "element " << i;
  }
}

class CheckpointStory : public ::testing::Test {
 protected:
  void SetUp() override {
    SavedModelWriter model;
    BuildTrainingCheckpoint(&model);
    CheckpointOptions options;
    options.prefix_name = "model.ckpt-100";
    options.state_path = "/home/trainer/run3/model.ckpt-100";
    ASSERT_TRUE(model.WriteCheckpoint(dir_.Child("train/1"), options).ok());
    prefix_ = dir_.Child("train/1/model.ckpt-100");
  }

  const std::vector<float> x_ = {1, 2, 3, -1, 0.5f, 4};
  ScopedTempDir dir_;
  std::string prefix_;
};

TEST_F(CheckpointStory, ShowListsTheVariablesAndTheInferredSignature) {
  auto shown = RunTool("show", {"--dir", prefix_});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_TRUE(absl::StrContains(shown.out, "Format: TF1 checkpoint"))
      << shown.out;
  EXPECT_TRUE(absl::StrContains(shown.out, "W  DT_FLOAT  (3, 2)  24 bytes"))
      << shown.out;
  EXPECT_TRUE(absl::StrContains(shown.out, "global_step  DT_INT64  ()"))
      << shown.out;
  EXPECT_TRUE(absl::StrContains(shown.out, "outputs['probabilities']"))
      << shown.out;
  EXPECT_FALSE(absl::StrContains(shown.out, "inputs['label']")) << shown.out;

  auto json = RunTool("show", {"--dir", prefix_, "--json", "--values"});
  ASSERT_EQ(json.code, 0) << json.err;
  rapidjson::Document doc;
  ASSERT_FALSE(doc.Parse(json.out.c_str()).HasParseError()) << json.out;
  ASSERT_EQ(doc["variables"].Size(), 3u);
  EXPECT_STREQ(doc["variables"][0]["name"].GetString(), "W");
  EXPECT_EQ(doc["variables"][0]["value"][3].GetDouble(), 2.0);
  EXPECT_STREQ(doc["format"].GetString(), "TF1 checkpoint");
}

TEST_F(CheckpointStory, ServedDirectlyAndFrozenGiveTheSameOutputs) {
  // Served directly from the checkpoint directory.
  auto served = LoadedModel::Load(dir_.Child("train/1"), LoadOptions());
  ASSERT_TRUE(served.ok()) << served.status();
  Tensor x = Tensor::FromVector<float>(x_, {2, 3});
  auto direct = PredictInProcess(**served, "", {{"x", x}});
  ASSERT_TRUE(direct.ok()) << direct.status();
  ExpectNear(Floats(direct->at("probabilities")), Expected(x_));

  // Frozen with freeze_graph.py's flags.
  const std::string frozen_file = dir_.Child("frozen/1/frozen_model.pb");
  std::filesystem::create_directories(dir_.Child("frozen/1"));
  auto frozen_run =
      RunTool("freeze", {"--input_meta_graph", prefix_ + ".meta",
                         "--input_checkpoint", prefix_, "--output_node_names",
                         "probabilities", "--output_graph", frozen_file});
  ASSERT_EQ(frozen_run.code, 0) << frozen_run.err;
  EXPECT_TRUE(
      absl::StrContains(frozen_run.out, "Converted 2 variables to const ops."))
      << frozen_run.out;

  auto frozen = LoadedModel::Load(dir_.Child("frozen/1"), LoadOptions());
  ASSERT_TRUE(frozen.ok()) << frozen.status();
  EXPECT_EQ((*frozen)->files().format, ModelFormat::kFrozenGraph);
  auto from_frozen = PredictInProcess(**frozen, "", {{"x", x}});
  ASSERT_TRUE(from_frozen.ok()) << from_frozen.status();
  ExpectNear(Floats(from_frozen->at("probabilities")), Expected(x_));

  // Nothing stateful is left in the frozen file.
  auto report = RunTool("show", {"--dir", frozen_file, "--json"});
  ASSERT_EQ(report.code, 0) << report.err;
  rapidjson::Document doc;
  ASSERT_FALSE(doc.Parse(report.out.c_str()).HasParseError());
  for (const auto& op : doc["meta_graphs"][0]["ops"].GetArray()) {
    EXPECT_FALSE(IsVariableOrSaveOp(op["op"].GetString()))
        << op["op"].GetString();
  }
  EXPECT_TRUE(doc["variables"].Empty());
}

TEST_F(CheckpointStory, GraphDefPlusCheckpointFreezesToo) {
  // The training graph alone, as tf.train.write_graph leaves it.
  tensorflow::MetaGraphDef meta;
  {
    std::ifstream in(prefix_ + ".meta", std::ios::binary);
    ASSERT_TRUE(meta.ParseFromIstream(&in));
  }
  {
    std::ofstream out(dir_.Child("graph.pbtxt"));
    out << meta.graph_def().DebugString();
  }
  const std::string frozen_file = dir_.Child("frozen.pb");
  auto run =
      RunTool("freeze", {"--input_graph", dir_.Child("graph.pbtxt"),
                         "--input_checkpoint", prefix_, "--output_node_names",
                         "probabilities", "--output_graph", frozen_file});
  ASSERT_EQ(run.code, 0) << run.err;
  auto frozen = RunTool("run", {"--dir", frozen_file, "--input_exprs",
                                "x=[[1, 2, 3], [-1, 0.5, 4]]"});
  ASSERT_EQ(frozen.code, 0) << frozen.err;
  EXPECT_TRUE(
      absl::StrContains(frozen.out, "Result for output key probabilities:"))
      << frozen.out;
}

TEST_F(CheckpointStory, DaemonServesTheCheckpointAndItsFrozenGraphAlike) {
  std::filesystem::create_directories(dir_.Child("frozen/1"));
  ASSERT_EQ(
      RunTool("freeze",
              {"--input_meta_graph", prefix_ + ".meta", "--input_checkpoint",
               prefix_, "--output_node_names", "probabilities",
               "--output_graph", dir_.Child("frozen/1/frozen_model.pb")})
          .code,
      0);
  for (const std::string base : {"train", "frozen"}) {
    testing::DaemonOptions options;
    options.model_name = "classifier";
    options.model_base_path = dir_.Child(base);
    auto daemon = testing::DaemonProcess::Start(options);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    auto request = testing::MakePredictRequest("classifier");
    (*request.mutable_inputs())["x"] = testing::FloatTensorProto(x_, {2, 3});
    tensorflow::serving::PredictResponse response;
    grpc::Status status =
        testing::CallPredict((*daemon)->prediction(), request, &response);
    ASSERT_TRUE(status.ok()) << base << ": " << status.error_message() << "\n"
                             << (*daemon)->Stderr();
    ExpectNear(testing::FloatValues(response.outputs().at("probabilities")),
               Expected(x_));
    EXPECT_EQ((*daemon)->Stop().value_or(-1), 0);
  }
}

}  // namespace
}  // namespace model_server
