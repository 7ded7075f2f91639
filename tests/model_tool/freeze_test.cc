// model_tool freeze on SavedModels the builder writes: TF2-style resource
// variables read inside a called function (StatefulPartitionedCall) are
// inlined and folded into constants, the signature's aliases survive in the
// signatures.pbtxt written beside the frozen graph, and
// --output_saved_model_dir writes a variable-free SavedModel that serves the
// same outputs. Also saved_model_cli's show text for such a model.
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "loader/loaded_model.h"
#include "loader/signature_inference.h"
#include "model_tool/model_report.h"
#include "tensorflow/core/framework/function.pb.h"
#include "tests/model_tool/tool_runner.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

using testing::Floats;
using testing::PredictInProcess;
using testing::RunTool;

// y = x * v (v = 3, a resource variable) computed in a function, called the
// way tf.saved_model.save writes a signature.
absl::Status WriteTf2StyleModel(const std::string& dir) {
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  std::string x = g.Placeholder("serving_default_x", DT_FLOAT, {-1});
  model.AddResourceVariable("v", Tensor::Scalar(3.0f));
  tensorflow::FunctionDef* f = g.graph_def().mutable_library()->add_function();
  f->mutable_signature()->set_name("__inference_signature_wrapper_7");
  auto* in_x = f->mutable_signature()->add_input_arg();
  in_x->set_name("x");
  in_x->set_type(tensorflow::DT_FLOAT);
  auto* in_v = f->mutable_signature()->add_input_arg();
  in_v->set_name("readvariableop_resource");
  in_v->set_type(tensorflow::DT_RESOURCE);
  auto* out = f->mutable_signature()->add_output_arg();
  out->set_name("identity");
  out->set_type(tensorflow::DT_FLOAT);
  auto* read = f->add_node_def();
  read->set_name("ReadVariableOp");
  read->set_op("ReadVariableOp");
  read->add_input("readvariableop_resource");
  (*read->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  auto* mul = f->add_node_def();
  mul->set_name("mul");
  mul->set_op("Mul");
  mul->add_input("x");
  mul->add_input("ReadVariableOp:value:0");
  (*mul->mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  auto* identity = f->add_node_def();
  identity->set_name("Identity");
  identity->set_op("Identity");
  identity->add_input("mul:z:0");
  (*identity->mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  (*f->mutable_ret())["identity"] = "Identity:output:0";

  tensorflow::AttrValue tin, tout;
  tin.mutable_list()->add_type(tensorflow::DT_FLOAT);
  tin.mutable_list()->add_type(tensorflow::DT_RESOURCE);
  tout.mutable_list()->add_type(tensorflow::DT_FLOAT);
  g.Op("StatefulPartitionedCall", "StatefulPartitionedCall")
      .Input(x)
      .Input("v")
      .RawAttr("Tin", tin)
      .RawAttr("Tout", tout)
      .FuncAttr("f", "__inference_signature_wrapper_7");
  model.AddSignature("serving_default")
      .Input("x", x, DT_FLOAT, {-1})
      .Output("output_0", "StatefulPartitionedCall:0", DT_FLOAT, {-1});
  return model.Write(dir);
}

TEST(Freeze, InlinesCallsAndFoldsResourceVariables) {
  ScopedTempDir dir;
  ASSERT_TRUE(WriteTf2StyleModel(dir.Child("saved/1")).ok());
  std::filesystem::create_directories(dir.Child("frozen/1"));
  auto run = RunTool("freeze",
                     {"--input_saved_model_dir", dir.Child("saved/1"),
                      "--output_graph", dir.Child("frozen/1/frozen_model.pb"),
                      "--output_saved_model_dir", dir.Child("exported/1")});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, "Converted 1 variables")) << run.out;
  EXPECT_TRUE(absl::StrContains(run.out, "signatures.pbtxt")) << run.out;

  auto report = BuildModelReport(dir.Child("frozen/1/frozen_model.pb"), {});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->meta_graphs[0].functions.empty());
  for (const OpUse& use : report->meta_graphs[0].ops) {
    EXPECT_FALSE(IsVariableOrSaveOp(use.op)) << use.op;
    EXPECT_NE(use.op, "StatefulPartitionedCall");
  }

  Tensor x = Tensor::FromVector<float>({1, 2}, {2});
  for (const char* version : {"saved/1", "frozen/1", "exported/1"}) {
    auto model = LoadedModel::Load(dir.Child(version), LoadOptions());
    ASSERT_TRUE(model.ok()) << version << ": " << model.status();
    auto y = PredictInProcess(**model, "serving_default", {{"x", x}});
    ASSERT_TRUE(y.ok()) << version << ": " << y.status();
    EXPECT_EQ(Floats(y->at("output_0")), (std::vector<float>{3, 6})) << version;
  }
}

TEST(Freeze, DenylistedVariablesStayVariables) {
  ScopedTempDir dir;
  ASSERT_TRUE(WriteTf2StyleModel(dir.Child("saved/1")).ok());
  auto run = RunTool("freeze", {"--input_saved_model_dir", dir.Child("saved/1"),
                                "--output_graph", dir.Child("frozen.pb"),
                                "--variable_names_blacklist", "v"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, "Converted 0 variables")) << run.out;
}

TEST(Freeze, UnknownSignatureListsTheModelsSignatures) {
  ScopedTempDir dir;
  ASSERT_TRUE(WriteTf2StyleModel(dir.Child("saved/1")).ok());
  auto run = RunTool("freeze", {"--input_saved_model_dir", dir.Child("saved/1"),
                                "--signature_def", "predict", "--output_graph",
                                dir.Child("frozen.pb")});
  EXPECT_EQ(run.code, 1);
  EXPECT_TRUE(absl::StrContains(run.err, "the model has: serving_default"))
      << run.err;
}

TEST(Show, PrintsSavedModelCliTextThenOpsVariablesAndFunctions) {
  ScopedTempDir dir;
  ASSERT_TRUE(WriteTf2StyleModel(dir.Child("saved/1")).ok());
  auto tags = RunTool("show", {"--dir", dir.Child("saved/1")});
  ASSERT_EQ(tags.code, 0) << tags.err;
  EXPECT_EQ(tags.out.substr(0, 62),
            "The given SavedModel contains the following tag-sets:\n'serve'\n");
  auto keys =
      RunTool("show", {"--dir", dir.Child("saved/1"), "--tag_set", "serve"});
  ASSERT_EQ(keys.code, 0) << keys.err;
  EXPECT_TRUE(absl::StartsWith(
      keys.out,
      "The given SavedModel MetaGraphDef contains SignatureDefs with the "
      "following keys:\nSignatureDef key: \"serving_default\"\n"))
      << keys.out;
  EXPECT_TRUE(
      absl::StrContains(keys.out, "__inference_signature_wrapper_7 (3 nodes)"))
      << keys.out;
  EXPECT_TRUE(absl::StrContains(keys.out, "v  DT_FLOAT  ()  4 bytes"))
      << keys.out;
  auto all = RunTool("show", {"--dir", dir.Child("saved/1"), "--all"});
  ASSERT_EQ(all.code, 0) << all.err;
  EXPECT_TRUE(absl::StartsWith(
      all.out,
      "\nMetaGraphDef with tag-set: 'serve' contains the following "
      "SignatureDefs:\n\nsignature_def['serving_default']:\n  The given "
      "SavedModel SignatureDef contains the following input(s):\n    "
      "inputs['x'] tensor_info:\n        dtype: DT_FLOAT\n        shape: "
      "(-1)\n        name: serving_default_x:0\n"))
      << all.out;
  auto missing =
      RunTool("show", {"--dir", dir.Child("saved/1"), "--tag_set", "gpu"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_TRUE(absl::StrContains(missing.err, "available tag-sets: 'serve'"))
      << missing.err;
}

}  // namespace
}  // namespace model_server
