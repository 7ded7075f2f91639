// Frozen GraphDefs and TF1 checkpoints load into the same LoadedModel as
// SavedModels (loader/model_source.h): signatures from signatures.pbtxt,
// the checkpoint's own signature_defs, or inferred; variables restored from
// the checkpoint prefix; import_graph_def prefixes; producer 0.
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "gtest/gtest.h"
#include "loader/loaded_model.h"
#include "runtime/tensor_proto.h"
#include "signatures/predict.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

void WriteGraph(const tensorflow::GraphDef& graph, const std::string& path) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << graph.SerializeAsString();
}

// x -> y = 2x + 1, with the constants folded in as a frozen graph has them.
tensorflow::GraphDef FrozenTwoXPlusOne(const std::string& scope = "") {
  GraphBuilder g;
  const std::string s = scope.empty() ? "" : scope + "/";
  std::string x = g.Placeholder(s + "x", DT_FLOAT, {-1});
  std::string two = g.Const(s + "two", Tensor::Scalar(2.0f));
  std::string one = g.Const(s + "one", Tensor::Scalar(1.0f));
  std::string twice = g.Binary(s + "twice", "Mul", x, two, DT_FLOAT);
  g.Binary(s + "y", "AddV2", twice, one, DT_FLOAT);
  g.graph_def().mutable_versions()->set_producer(0);  // as freeze_graph writes
  return g.graph_def();
}

// Runs `signature` with one float input and returns the named output.
absl::StatusOr<std::vector<float>> RunOne(const LoadedModel& model,
                                          const std::string& signature,
                                          const std::string& input,
                                          const std::vector<float>& x,
                                          const std::string& output) {
  tensorflow::serving::PredictRequest request;
  request.mutable_model_spec()->set_name("m");
  request.mutable_model_spec()->set_signature_name(signature);
  Tensor tensor =
      Tensor::FromVector<float>(x, TensorShape{static_cast<int64_t>(x.size())});
  absl::Status status =
      TensorToProto(tensor, &(*request.mutable_inputs())[input]);
  if (!status.ok()) return status;
  tensorflow::serving::PredictResponse response;
  std::string key;
  status =
      RunPredict(model.signatures(), request, RunOptions(), &response, &key);
  if (!status.ok()) return status;
  auto it = response.outputs().find(output);
  if (it == response.outputs().end()) {
    return absl::NotFoundError("no output " + output);
  }
  absl::StatusOr<Tensor> result = TensorFromProto(it->second);
  if (!result.ok()) return result.status();
  return std::vector<float>(result->data<float>(),
                            result->data<float>() + result->NumElements());
}

TEST(FrozenGraph, InfersServingDefaultFromPlaceholdersAndSinks) {
  ScopedTempDir dir;
  WriteGraph(FrozenTwoXPlusOne(), dir.Child("1/frozen_model.pb"));
  auto model = LoadedModel::Load(dir.Child("1"), LoadOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->files().format, ModelFormat::kFrozenGraph);
  EXPECT_EQ((*model)->signature_origin(), SignatureOrigin::kInferred);
  const auto& def =
      (*model)->meta_graph().signature_def().at("serving_default");
  EXPECT_EQ(def.method_name(), "tensorflow/serving/predict");
  ASSERT_EQ(def.inputs().size(), 1u);
  EXPECT_EQ(def.inputs().at("x").name(), "x:0");
  EXPECT_EQ(def.inputs().at("x").dtype(), tensorflow::DT_FLOAT);
  ASSERT_EQ(def.outputs().size(), 1u);
  EXPECT_EQ(def.outputs().at("y").name(), "y:0");
  EXPECT_EQ(def.outputs().at("y").dtype(), tensorflow::DT_FLOAT);
  auto y = RunOne(**model, "", "x", {1, 2, 5}, "y");
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(*y, (std::vector<float>{3, 5, 11}));
}

TEST(FrozenGraph, TextGraphWithoutPlaceholdersServesItsConstantOutputs) {
  GraphBuilder g;
  std::string a = g.Const("a", Tensor::FromVector<float>({1, 2}, {2}));
  g.Op("split", "Unpack")
      .Input(a)
      .Attr("T", DT_FLOAT)
      .Attr("num", 2)
      .Attr("axis", 0);
  ScopedTempDir dir;
  fs::create_directories(dir.Child("1"));
  WriteText(dir.Child("1/graph.pbtxt"), g.graph_def().DebugString());
  auto model = LoadedModel::Load(dir.Child("1"), LoadOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  const auto& def =
      (*model)->meta_graph().signature_def().at("serving_default");
  EXPECT_TRUE(def.inputs().empty());
  ASSERT_EQ(def.outputs().size(), 2u);
  EXPECT_EQ(def.outputs().at("split").name(), "split:0");
  EXPECT_EQ(def.outputs().at("split:1").name(), "split:1");
}

TEST(FrozenGraph, SidecarNamesSignaturesAliasesAndImportPrefixes) {
  ScopedTempDir dir;
  WriteGraph(FrozenTwoXPlusOne(), dir.Child("1/frozen_model.pb"));
  WriteText(dir.Child("1/signatures.pbtxt"), R"(
    signature_def {
      key: "serving_default"
      value {
        inputs { key: "value" value { name: "import/x:0" dtype: DT_FLOAT } }
        outputs { key: "result" value { name: "import/y:0" dtype: DT_FLOAT } }
        method_name: "tensorflow/serving/predict"
      }
    }
    signature_def {
      key: "double"
      value {
        inputs { key: "value" value { name: "x:0" dtype: DT_FLOAT } }
        outputs { key: "twice" value { name: "twice:0" dtype: DT_FLOAT } }
        method_name: "tensorflow/serving/predict"
      }
    })");
  auto model = LoadedModel::Load(dir.Child("1"), LoadOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->signature_origin(), SignatureOrigin::kSidecar);
  EXPECT_EQ((*model)->signatures().KeyList(), "double, serving_default");
  auto y = RunOne(**model, "serving_default", "value", {1}, "result");
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(*y, std::vector<float>{3});
  auto twice = RunOne(**model, "double", "value", {4}, "twice");
  ASSERT_TRUE(twice.ok()) << twice.status();
  EXPECT_EQ(*twice, std::vector<float>{8});
}

TEST(FrozenGraph, SidecarWithoutPrefixFindsAnImportedGraph) {
  ScopedTempDir dir;
  WriteGraph(FrozenTwoXPlusOne("import"), dir.Child("1/frozen_model.pb"));
  WriteText(dir.Child("1/signatures.pbtxt"), R"(
    signature_def { key: "serving_default" value {
      inputs { key: "x" value { name: "x:0" } }
      outputs { key: "y" value { name: "y:0" } } } })");
  auto model = LoadedModel::Load(dir.Child("1"), LoadOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  auto y = RunOne(**model, "", "x", {0}, "y");
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(*y, std::vector<float>{1});
}

TEST(FrozenGraph, SidecarNamingAMissingTensorFailsTheLoadSayingWhich) {
  ScopedTempDir dir;
  WriteGraph(FrozenTwoXPlusOne(), dir.Child("1/frozen_model.pb"));
  WriteText(dir.Child("1/signatures.pbtxt"), R"(
    signature_def { key: "serving_default" value {
      inputs { key: "x" value { name: "x:0" } }
      outputs { key: "y" value { name: "logits:0" } } } })");
  auto model = LoadedModel::Load(dir.Child("1"), LoadOptions());
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("logits"), std::string::npos)
      << model.status();
}

TEST(FrozenGraph, MalformedSidecarIsInvalidArgumentNamingTheFile) {
  ScopedTempDir dir;
  WriteGraph(FrozenTwoXPlusOne(), dir.Child("1/frozen_model.pb"));
  WriteText(dir.Child("1/signatures.pbtxt"), "signature_def { key: ");
  auto model = LoadedModel::Load(dir.Child("1"), LoadOptions());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(model.status().message().find("signatures.pbtxt"),
            std::string::npos);
}

TEST(FrozenGraph, GarbageGraphFileIsInvalidArgument) {
  ScopedTempDir dir;
  fs::create_directories(dir.Child("1"));
  WriteText(dir.Child("1/frozen_model.pb"), "\xff\xff\xff not a graph");
  auto model = LoadedModel::Load(dir.Child("1"), LoadOptions());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(model.status().message().find("GraphDef"), std::string::npos);
}

// A small "training" checkpoint: y = a*x + b is the prediction (an Identity
// nothing consumes); the label placeholder feeds a loss on the same value
// that an optimizer-like AssignSub consumes.
void AddTrainingGraph(SavedModelWriter* model) {
  GraphBuilder& g = model->graph();
  std::string x = g.Placeholder("x", DT_FLOAT, {-1});
  std::string label = g.Placeholder("label", DT_FLOAT, {-1});
  std::string a = model->AddVariable("a", Tensor::Scalar(0.5f));
  std::string b = model->AddVariable("b", Tensor::Scalar(2.0f));
  std::string ax = g.Binary("ax", "Mul", a, x, DT_FLOAT);
  std::string pred = g.Binary("pred", "AddV2", ax, b, DT_FLOAT);
  g.Identity("y", pred, DT_FLOAT);
  std::string diff = g.Binary("diff", "Sub", pred, label, DT_FLOAT);
  std::string loss = g.Binary("loss", "Mul", diff, diff, DT_FLOAT);
  g.Op("train", "AssignSub").Input("b").Input(loss).Attr("T", DT_FLOAT);
}

TEST(Checkpoint, InfersTheSignatureLeavingOutPlaceholdersItDoesNotNeed) {
  SavedModelWriter model;
  AddTrainingGraph(&model);
  ScopedTempDir dir;
  ASSERT_TRUE(model.WriteCheckpoint(dir.Child("1")).ok());
  auto loaded = LoadedModel::Load(dir.Child("1"), LoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->files().format, ModelFormat::kCheckpoint);
  const auto& def =
      (*loaded)->meta_graph().signature_def().at("serving_default");
  ASSERT_EQ(def.inputs().size(), 1u) << def.DebugString();
  EXPECT_EQ(def.inputs().begin()->first, "x");
  ASSERT_EQ(def.outputs().size(), 1u) << def.DebugString();
  EXPECT_EQ(def.outputs().begin()->first, "y");
  auto y = RunOne(**loaded, "", "x", {2, 4}, "y");
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(*y, (std::vector<float>{3, 4}));  // restored a=0.5, b=2
}

TEST(Checkpoint, UsesItsOwnSignatureDefsWhenItHasThem) {
  SavedModelWriter model;
  AddTrainingGraph(&model);
  model.AddSignature("predict")
      .Input("in", "x:0", DT_FLOAT)
      .Output("out", "y:0", DT_FLOAT);
  ScopedTempDir dir;
  ASSERT_TRUE(model.WriteCheckpoint(dir.Child("1")).ok());
  auto loaded = LoadedModel::Load(dir.Child("1"), LoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->signature_origin(), SignatureOrigin::kModel);
  auto y = RunOne(**loaded, "predict", "in", {0}, "out");
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(*y, std::vector<float>{2});
}

TEST(Checkpoint, StateFileFromAnotherMachineFallsBackToThePrefixBesideIt) {
  SavedModelWriter model;
  AddTrainingGraph(&model);
  CheckpointOptions options;
  options.prefix_name = "model.ckpt-1000";
  options.state_path = "/home/someone/train/model.ckpt-1000";
  ScopedTempDir dir;
  ASSERT_TRUE(model.WriteCheckpoint(dir.Child("7"), options).ok());
  auto loaded = LoadedModel::Load(dir.Child("7"), LoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->files().checkpoint_prefix,
            dir.Child("7/model.ckpt-1000"));
  auto y = RunOne(**loaded, "", "x", {4}, "y");
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(*y, std::vector<float>{4});
}

TEST(Checkpoint, SidecarReplacesInferenceForATrainingGraph) {
  SavedModelWriter model;
  AddTrainingGraph(&model);
  ScopedTempDir dir;
  ASSERT_TRUE(model.WriteCheckpoint(dir.Child("1")).ok());
  WriteText(dir.Child("1/signatures.pbtxt"), R"(
    signature_def { key: "serving_default" value {
      inputs { key: "x" value { name: "x:0" dtype: DT_FLOAT } }
      inputs { key: "label" value { name: "label:0" dtype: DT_FLOAT } }
      outputs { key: "loss" value { name: "loss:0" dtype: DT_FLOAT } } } })");
  auto loaded = LoadedModel::Load(dir.Child("1"), LoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  tensorflow::serving::PredictRequest request;
  ASSERT_TRUE(TensorToProto(Tensor::FromVector<float>({2}, {1}),
                            &(*request.mutable_inputs())["x"])
                  .ok());
  ASSERT_TRUE(TensorToProto(Tensor::FromVector<float>({1}, {1}),
                            &(*request.mutable_inputs())["label"])
                  .ok());
  tensorflow::serving::PredictResponse response;
  std::string key;
  ASSERT_TRUE(RunPredict((*loaded)->signatures(), request, RunOptions(),
                         &response, &key)
                  .ok());
  auto loss = TensorFromProto(response.outputs().at("loss"));
  ASSERT_TRUE(loss.ok());
  EXPECT_EQ(loss->data<float>()[0], 4.0f);  // (0.5*2 + 2 - 1)^2
}

TEST(Checkpoint, GraphWithNothingToServeAsksForASidecar) {
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  std::string x = g.Placeholder("x", DT_FLOAT, {-1});
  std::string w = model.AddVariable("w", Tensor::Scalar(1.0f));
  std::string loss = g.Binary("loss", "Mul", w, x, DT_FLOAT);
  g.Op("train", "AssignSub").Input("w").Input(loss).Attr("T", DT_FLOAT);
  ScopedTempDir dir;
  ASSERT_TRUE(model.WriteCheckpoint(dir.Child("1")).ok());
  auto loaded = LoadedModel::Load(dir.Child("1"), LoadOptions());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(loaded.status().message().find("signatures.pbtxt"),
            std::string::npos)
      << loaded.status();
}

}  // namespace
}  // namespace model_server
