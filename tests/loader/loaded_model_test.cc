// LoadedModel on models written by tools/: the README's example model
// half_plus_two (by the library and by the write_example_model binary), and
// small models that exercise restore, init and missing-op reporting.
#include "loader/loaded_model.h"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/missing_ops.h"
#include "runtime/tensor_proto.h"
#include "signatures/predict.h"
#include "tensorflow/core/example/example.pb.h"
#include "tests/loader/predict_in_process.h"
#include "tests/testing/kernel_harness.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tests/testing/test_paths.h"
#include "tools/example_model.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

std::string SerializedExample(float x) {
  tensorflow::Example example;
  (*example.mutable_features()->mutable_feature())["x"]
      .mutable_float_list()
      ->add_value(x);
  return example.SerializeAsString();
}

absl::StatusOr<std::unique_ptr<LoadedModel>> WriteAndLoad(
    const SavedModelWriter& writer, const std::string& export_dir) {
  absl::Status status = writer.Write(export_dir);
  if (!status.ok()) return status;
  return LoadedModel::Load(export_dir, LoadOptions());
}

class HalfPlusTwoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteHalfPlusTwo(dir_.Child("1")).ok());
    absl::StatusOr<std::unique_ptr<LoadedModel>> model =
        LoadedModel::Load(dir_.Child("1"), LoadOptions());
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = *std::move(model);
  }

  ScopedTempDir dir_;
  std::unique_ptr<LoadedModel> model_;
};

TEST_F(HalfPlusTwoTest, PredictsOnAVector) {
  auto outputs = Predict(*model_, "serving_default",
                         {{"x", Tensor::Vector<float>({1, 2, 5})}});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_TENSOR_EQ(outputs->at("y"), Tensor::Vector<float>({2.5, 3, 4.5}));
}

TEST_F(HalfPlusTwoTest, PredictsOnAColumnAsTheSignatureDeclares) {
  auto outputs =
      Predict(*model_, "",
              {{"x", Tensor::FromVector<float>({1, 2, 5}, TensorShape{3, 1})}});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_TENSOR_EQ(outputs->at("y"),
                   Tensor::FromVector<float>({2.5, 3, 4.5}, TensorShape{3, 1}));
}

TEST_F(HalfPlusTwoTest, RegressSignatureReadsTfExamples) {
  Tensor examples = Tensor::Vector<std::string>(
      {SerializedExample(1), SerializedExample(2), SerializedExample(5)});
  auto outputs = Predict(*model_, "regress_x_to_y", {{"inputs", examples}});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_TENSOR_EQ(outputs->at("outputs"),
                   Tensor::FromVector<float>({2.5, 3, 4.5}, TensorShape{3, 1}));
}

TEST_F(HalfPlusTwoTest, HasTheDocumentedSignaturesAndSaver) {
  EXPECT_EQ(model_->signatures().Keys(),
            (std::vector<std::string>{"classify_x_to_y", "regress_x_to_y",
                                      "serving_default"}));
  EXPECT_TRUE(model_->warnings().empty());
  const auto& meta_graph = model_->meta_graph();
  EXPECT_EQ(meta_graph.saver_def().filename_tensor_name(), "save/Const:0");
  EXPECT_EQ(meta_graph.saver_def().restore_op_name(), "save/restore_all");
  const auto& predict = meta_graph.signature_def().at("serving_default");
  EXPECT_EQ(predict.method_name(), kPredictMethodName);
  EXPECT_EQ(predict.inputs().at("x").dtype(), tensorflow::DT_FLOAT);
  EXPECT_EQ(meta_graph.signature_def().at("regress_x_to_y").method_name(),
            kRegressMethodName);
}

// The binary the README tells users to run.
class WriteExampleModelBinaryTest : public ::testing::Test {
 protected:
  static std::string Binary() {
    return testing::BinaryDir() + "/tools/write_example_model";
  }
  // Exit status of running the binary with `args` (output discarded).
  static int Run(const std::string& args) {
    std::string command = Binary() + " " + args + " >/dev/null 2>&1";
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(Binary()))
        << Binary() << " is missing: build the write_example_model target";
  }
  ScopedTempDir dir_;
};

TEST_F(WriteExampleModelBinaryTest, WritesAModelThatServes) {
  const std::string export_dir = dir_.Child("half_plus_two/1");
  ASSERT_EQ(Run("--output_dir='" + export_dir + "'"), 0);
  absl::StatusOr<std::unique_ptr<LoadedModel>> model =
      LoadedModel::Load(export_dir, LoadOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  auto outputs = Predict(**model, "serving_default",
                         {{"x", Tensor::Vector<float>({1, 2, 5})}});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_TENSOR_EQ(outputs->at("y"), Tensor::Vector<float>({2.5, 3, 4.5}));
}

TEST_F(WriteExampleModelBinaryTest, RejectsAMissingFlagOrAnExistingDirectory) {
  EXPECT_EQ(Run(""), 2);
  EXPECT_EQ(Run("stray_argument"), 2);
  ASSERT_EQ(Run("--output_dir='" + dir_.Child("1") + "'"), 0);
  EXPECT_EQ(Run("--output_dir='" + dir_.Child("1") + "'"), 1);
}

// Models made with the builder in a few lines.

TEST(LoadedModelFromBuilder, RestoresRefAndResourceVariables) {
  ScopedTempDir dir;
  SavedModelWriter writer;
  std::string a = writer.AddVariable("a", Tensor::Vector<float>({1, 2}));
  std::string w = writer.AddResourceVariable("w", Tensor::Scalar<int64_t>(42),
                                             "w/.ATTRIBUTES/VARIABLE_VALUE");
  writer.AddSignature("serving_default")
      .Output("a", a, DT_FLOAT, {2})
      .Output("w", w, DT_INT64, {});
  auto model = WriteAndLoad(writer, dir.Child("1"));
  ASSERT_TRUE(model.ok()) << model.status();
  auto outputs = Predict(**model, "serving_default", {});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_TENSOR_EQ(outputs->at("a"), Tensor::Vector<float>({1, 2}));
  EXPECT_TENSOR_EQ(outputs->at("w"), Tensor::Scalar<int64_t>(42));
}

TEST(LoadedModelFromBuilder, RunsTheMainOpAfterRestoring) {
  // The init op overwrites the restored value: if it ran before the
  // restore, or not at all, the signature would see 1.
  ScopedTempDir dir;
  SavedModelWriter writer;
  GraphBuilder& g = writer.graph();
  std::string v = writer.AddVariable("v", Tensor::Scalar(1.0f));
  std::string seven = g.Const("seven", Tensor::Scalar(7.0f));
  writer.SetMainOp(g.Assign("init_v", "v", seven, DT_FLOAT));
  writer.AddSignature("serving_default").Output("v", v, DT_FLOAT, {});
  auto model = WriteAndLoad(writer, dir.Child("1"));
  ASSERT_TRUE(model.ok()) << model.status();
  auto outputs = Predict(**model, "serving_default", {});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_TENSOR_EQ(outputs->at("v"), Tensor::Scalar(7.0f));
}

TEST(LoadedModelFromBuilder, UnknownOpInEverySignatureFailsTheLoad) {
  ScopedTempDir dir;
  SavedModelWriter writer;
  GraphBuilder& g = writer.graph();
  std::string x = g.Placeholder("x", DT_INT32, {-1});
  g.Op("zero", "NoSuchOpForTests").Input(x).Attr("T", DT_INT32);
  writer.AddSignature("serving_default")
      .Input("x", x, DT_INT32, {-1})
      .Output("y", "zero:0", DT_INT32, {-1});
  auto model = WriteAndLoad(writer, dir.Child("1"));
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kUnimplemented)
      << model.status();
  EXPECT_EQ(MissingOpsOf(model.status()),
            std::set<std::string>{"NoSuchOpForTests"});
  EXPECT_NE(model.status().message().find("NoSuchOpForTests"),
            std::string::npos);
}

TEST(LoadedModelFromBuilder, SignatureWithUnknownOpAnswersUnimplemented) {
  ScopedTempDir dir;
  SavedModelWriter writer;
  GraphBuilder& g = writer.graph();
  std::string x = g.Placeholder("x", DT_FLOAT, {-1});
  std::string y = g.Identity("y", x, DT_FLOAT);
  g.Op("odd", "NoSuchOpForTests").Input(x);
  writer.AddSignature("serving_default")
      .Input("x", x, DT_FLOAT, {-1})
      .Output("y", y, DT_FLOAT, {-1});
  writer.AddSignature("broken")
      .Input("x", x, DT_FLOAT, {-1})
      .Output("y", "odd:0", DT_FLOAT, {-1});
  auto model = WriteAndLoad(writer, dir.Child("1"));
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->warnings().size(), 1u);

  auto good =
      Predict(**model, "serving_default", {{"x", Tensor::Vector<float>({3})}});
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_TENSOR_EQ(good->at("y"), Tensor::Vector<float>({3}));
  auto broken = Predict(**model, "broken", {{"x", Tensor::Vector<float>({3})}});
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kUnimplemented)
      << broken.status();
  EXPECT_NE(broken.status().message().find("NoSuchOpForTests"),
            std::string::npos);
}

TEST(LoadedModelFromBuilder, UnknownOpInTheRestorePathFailsTheLoad) {
  // A signature that does not need the variable still cannot save the
  // load: restore runs first and needs every op it reaches.
  ScopedTempDir dir;
  SavedModelWriter writer;
  GraphBuilder& g = writer.graph();
  writer.AddVariable("v", Tensor::Scalar(1.0f));
  std::string c = g.Const("c", Tensor::Scalar(1.0f));
  g.Op("odd_restore", "NoSuchRestoreOpForTests");
  writer.AddSignature("serving_default").Output("c", c, DT_FLOAT, {});
  absl::StatusOr<tensorflow::SavedModel> saved_model = writer.Build();
  ASSERT_TRUE(saved_model.ok());
  auto* graph = saved_model->mutable_meta_graphs(0)->mutable_graph_def();
  for (auto& node : *graph->mutable_node()) {
    if (node.name() == "save/restore_all") node.add_input("^odd_restore");
  }
  const std::string export_dir = dir.Child("1");
  ASSERT_TRUE(
      WriteSavedModel(export_dir, *saved_model, writer.checkpoint(), {}).ok());
  auto model = LoadedModel::Load(export_dir, LoadOptions());
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(MissingOpsOf(model.status()),
            std::set<std::string>{"NoSuchRestoreOpForTests"});
}

}  // namespace
}  // namespace model_server
