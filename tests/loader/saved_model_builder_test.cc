// The SavedModel writer (tools/saved_model_builder.h): what it puts in
// saved_model.pb, variables/ and assets/, read back with our own readers.
#include "tools/saved_model_builder.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loader/asset_feeds.h"
#include "loader/saved_model_reader.h"
#include "runtime/bundle/bundle_reader.h"
#include "tests/testing/kernel_harness.h"
#include "tests/testing/scoped_temp_dir.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

const tensorflow::NodeDef* FindNode(const tensorflow::GraphDef& graph,
                                    const std::string& name) {
  for (const auto& node : graph.node()) {
    if (node.name() == name) return &node;
  }
  return nullptr;
}

std::vector<std::string> Inputs(const tensorflow::NodeDef& node) {
  return std::vector<std::string>(node.input().begin(), node.input().end());
}

// y = a * x with a restored ref variable.
void BuildScale(SavedModelWriter* writer) {
  GraphBuilder& g = writer->graph();
  std::string x = g.Placeholder("x", DT_FLOAT, {-1});
  std::string a = writer->AddVariable("a", Tensor::Scalar(0.5f));
  std::string y = g.Binary("y", "Mul", a, x, DT_FLOAT);
  writer->AddSignature("serving_default")
      .Input("x", x, DT_FLOAT, {-1})
      .Output("y", y, DT_FLOAT, {-1});
}

TEST(GraphBuilder, WritesNodesInputsAndAttrs) {
  GraphBuilder g;
  std::string x = g.Placeholder("x", DT_FLOAT, {-1, 3});
  EXPECT_EQ(x, "x:0");
  NodeBuilder op = g.Op("op", "AnyOp")
                       .Input(x)
                       .Input("other:1")
                       .ControlInput("init")
                       .Attr("i", 7)
                       .Attr("s", "text")
                       .Attr("types", std::vector<DataType>{DT_INT32})
                       .UnknownShapeAttr("shape");
  EXPECT_EQ(op.Output(2), "op:2");
  const tensorflow::NodeDef* node = FindNode(g.graph_def(), "op");
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->op(), "AnyOp");
  EXPECT_EQ(Inputs(*node),
            (std::vector<std::string>{"x:0", "other:1", "^init"}));
  EXPECT_EQ(node->attr().at("i").i(), 7);
  EXPECT_EQ(node->attr().at("s").s(), "text");
  EXPECT_EQ(node->attr().at("types").list().type(0), tensorflow::DT_INT32);
  EXPECT_TRUE(node->attr().at("shape").shape().unknown_rank());
  const tensorflow::NodeDef* placeholder = FindNode(g.graph_def(), "x");
  ASSERT_NE(placeholder, nullptr);
  EXPECT_EQ(placeholder->attr().at("shape").shape().dim(0).size(), -1);
  EXPECT_EQ(placeholder->attr().at("shape").shape().dim(1).size(), 3);
  EXPECT_TRUE(g.status().ok());
}

TEST(GraphBuilder, ReportsTensorAttrsItCannotEncode) {
  GraphBuilder g;
  absl::StatusOr<Tensor> resource = Tensor::Create(DT_RESOURCE, TensorShape());
  ASSERT_TRUE(resource.ok());
  g.Const("bad", *resource);
  EXPECT_FALSE(g.status().ok());
  EXPECT_NE(g.status().message().find("bad"), std::string::npos) << g.status();
}

TEST(SavedModelWriter, BuildsOneServeMetaGraphWithSignatures) {
  SavedModelWriter writer;
  BuildScale(&writer);
  absl::StatusOr<tensorflow::SavedModel> saved_model = writer.Build();
  ASSERT_TRUE(saved_model.ok()) << saved_model.status();
  ASSERT_EQ(saved_model->meta_graphs_size(), 1);
  const auto& meta_graph = saved_model->meta_graphs(0);
  EXPECT_EQ(std::vector<std::string>(meta_graph.meta_info_def().tags().begin(),
                                     meta_graph.meta_info_def().tags().end()),
            std::vector<std::string>{"serve"});
  const auto& signature = meta_graph.signature_def().at("serving_default");
  EXPECT_EQ(signature.method_name(), kPredictMethodName);
  EXPECT_EQ(signature.inputs().at("x").name(), "x:0");
  EXPECT_EQ(signature.inputs().at("x").dtype(), tensorflow::DT_FLOAT);
  EXPECT_EQ(signature.outputs().at("y").name(), "y:0");
  EXPECT_NE(FindNode(meta_graph.graph_def(), "a"), nullptr);
  EXPECT_NE(FindNode(meta_graph.graph_def(), "a/read"), nullptr);
}

TEST(SavedModelWriter, VariablesGetTensorFlowsRestoreSubgraph) {
  SavedModelWriter writer;
  writer.AddVariable("a", Tensor::Scalar(0.5f));
  writer.AddResourceVariable("w", Tensor::Vector<int32_t>({1, 2}),
                             "w/.ATTRIBUTES/VARIABLE_VALUE");
  absl::StatusOr<tensorflow::SavedModel> saved_model = writer.Build();
  ASSERT_TRUE(saved_model.ok()) << saved_model.status();
  const auto& meta_graph = saved_model->meta_graphs(0);
  EXPECT_EQ(meta_graph.saver_def().filename_tensor_name(), "save/Const:0");
  EXPECT_EQ(meta_graph.saver_def().restore_op_name(), "save/restore_all");
  EXPECT_EQ(meta_graph.saver_def().version(), tensorflow::SaverDef::V2);

  const auto& graph = meta_graph.graph_def();
  const tensorflow::NodeDef* restore = FindNode(graph, "save/RestoreV2");
  ASSERT_NE(restore, nullptr);
  EXPECT_EQ(
      Inputs(*restore),
      (std::vector<std::string>{"save/Const:0", "save/RestoreV2/tensor_names:0",
                                "save/RestoreV2/shape_and_slices:0"}));
  ASSERT_EQ(restore->attr().at("dtypes").list().type_size(), 2);
  EXPECT_EQ(restore->attr().at("dtypes").list().type(1), tensorflow::DT_INT32);
  const tensorflow::NodeDef* names =
      FindNode(graph, "save/RestoreV2/tensor_names");
  ASSERT_NE(names, nullptr);
  EXPECT_EQ(names->attr().at("value").tensor().string_val(1),
            "w/.ATTRIBUTES/VARIABLE_VALUE");

  const tensorflow::NodeDef* assign = FindNode(graph, "save/Assign");
  ASSERT_NE(assign, nullptr);
  EXPECT_EQ(assign->op(), "Assign");
  EXPECT_EQ(Inputs(*assign),
            (std::vector<std::string>{"a", "save/RestoreV2:0"}));
  const tensorflow::NodeDef* assign_w =
      FindNode(graph, "save/AssignVariableOp_1");
  ASSERT_NE(assign_w, nullptr);
  EXPECT_EQ(Inputs(*assign_w),
            (std::vector<std::string>{"w", "save/RestoreV2:1"}));
  const tensorflow::NodeDef* restore_all = FindNode(graph, "save/restore_all");
  ASSERT_NE(restore_all, nullptr);
  EXPECT_EQ(restore_all->op(), "NoOp");
  EXPECT_EQ(
      Inputs(*restore_all),
      (std::vector<std::string>{"^save/Assign", "^save/AssignVariableOp_1"}));
}

TEST(SavedModelWriter, ModelWithoutVariablesHasNoSaverOrVariablesDir) {
  ScopedTempDir dir;
  SavedModelWriter writer;
  std::string c = writer.graph().Const("c", Tensor::Scalar(1.0f));
  writer.AddSignature("serving_default").Output("c", c, DT_FLOAT, {});
  ASSERT_TRUE(writer.Write(dir.Child("1")).ok());
  absl::StatusOr<tensorflow::SavedModel> saved_model =
      ReadSavedModel(dir.Child("1"));
  ASSERT_TRUE(saved_model.ok()) << saved_model.status();
  EXPECT_FALSE(saved_model->meta_graphs(0).has_saver_def());
  EXPECT_FALSE(fs::exists(dir.Child("1/variables")));
}

TEST(SavedModelWriter, WritesSavedModelAndVariablesBundle) {
  ScopedTempDir dir;
  SavedModelWriter writer;
  BuildScale(&writer);
  writer.AddCheckpointTensor("extra", Tensor::Vector<int64_t>({4, 5, 6}));
  const std::string export_dir = dir.Child("00000123");
  absl::Status status = writer.Write(export_dir);
  ASSERT_TRUE(status.ok()) << status;

  EXPECT_TRUE(fs::exists(export_dir + "/saved_model.pb"));
  EXPECT_TRUE(fs::exists(export_dir + "/variables/variables.index"));
  EXPECT_TRUE(
      fs::exists(export_dir + "/variables/variables.data-00000-of-00001"));
  absl::StatusOr<tensorflow::SavedModel> saved_model =
      ReadSavedModel(export_dir);
  ASSERT_TRUE(saved_model.ok()) << saved_model.status();
  EXPECT_EQ(saved_model->meta_graphs(0).saver_def().restore_op_name(),
            "save/restore_all");

  auto reader = BundleReader::Open(export_dir + "/variables/variables");
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->Keys(), (std::vector<std::string>{"a", "extra"}));
  absl::StatusOr<Tensor> a = (*reader)->Lookup("a");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TENSOR_EQ(*a, Tensor::Scalar(0.5f));
  absl::StatusOr<Tensor> extra = (*reader)->Lookup("extra");
  ASSERT_TRUE(extra.ok()) << extra.status();
  EXPECT_TENSOR_EQ(*extra, Tensor::Vector<int64_t>({4, 5, 6}));
}

TEST(SavedModelWriter, RefusesAnExistingDirectoryAndLeavesNoTemporaries) {
  ScopedTempDir dir;
  SavedModelWriter writer;
  BuildScale(&writer);
  ASSERT_TRUE(writer.Write(dir.Child("1")).ok());
  absl::Status again = writer.Write(dir.Child("1"));
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists) << again;

  std::vector<std::string> entries;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    entries.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(entries, std::vector<std::string>{"1"});
}

TEST(SavedModelWriter, CreatesMissingParentDirectories) {
  ScopedTempDir dir;
  SavedModelWriter writer;
  BuildScale(&writer);
  absl::Status status = writer.Write(dir.Child("models/scale/7"));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(fs::exists(dir.Child("models/scale/7/saved_model.pb")));
}

TEST(SavedModelWriter, TextFormatWritesReadablePbtxt) {
  ScopedTempDir dir;
  SavedModelWriter writer;
  BuildScale(&writer);
  WriteOptions options;
  options.text_format = true;
  ASSERT_TRUE(writer.Write(dir.Child("1"), options).ok());
  EXPECT_TRUE(fs::exists(dir.Child("1/saved_model.pbtxt")));
  EXPECT_FALSE(fs::exists(dir.Child("1/saved_model.pb")));
  absl::StatusOr<tensorflow::SavedModel> saved_model =
      ReadSavedModel(dir.Child("1"));
  ASSERT_TRUE(saved_model.ok()) << saved_model.status();
  EXPECT_EQ(saved_model->meta_graphs(0).signature_def_size(), 1);
}

TEST(SavedModelWriter, SetTagsReplacesServe) {
  SavedModelWriter writer;
  BuildScale(&writer);
  writer.SetTags({"serve", "gpu"});
  absl::StatusOr<tensorflow::SavedModel> saved_model = writer.Build();
  ASSERT_TRUE(saved_model.ok());
  EXPECT_TRUE(TakeMetaGraph(*saved_model, {"serve", "gpu"}).ok());
  EXPECT_EQ(TakeMetaGraph(*saved_model, {"serve"}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(SavedModelWriter, AssetsAreWrittenAndListedForTheLoader) {
  ScopedTempDir dir;
  SavedModelWriter writer;
  BuildScale(&writer);
  std::string tensor = writer.AddAsset("vocab", "vocab.txt", "a\nb\n");
  EXPECT_EQ(tensor, "vocab:0");
  writer.SetMainOp(writer.graph().NoOp("init", {}));
  const std::string export_dir = dir.Child("1");
  ASSERT_TRUE(writer.Write(export_dir).ok());
  EXPECT_TRUE(fs::exists(export_dir + "/assets/vocab.txt"));

  absl::StatusOr<tensorflow::SavedModel> saved_model =
      ReadSavedModel(export_dir);
  ASSERT_TRUE(saved_model.ok());
  const auto& meta_graph = saved_model->meta_graphs(0);
  EXPECT_EQ(meta_graph.collection_def()
                .at("saved_model_main_op")
                .node_list()
                .value(0),
            "init");
  absl::StatusOr<std::vector<AssetFeed>> feeds =
      CollectAssetFeeds(meta_graph, export_dir);
  ASSERT_TRUE(feeds.ok()) << feeds.status();
  ASSERT_EQ(feeds->size(), 1u);
  EXPECT_EQ((*feeds)[0].tensor_name, "vocab:0");
  EXPECT_EQ((*feeds)[0].path.scalar<std::string>(),
            export_dir + "/assets/vocab.txt");
}

TEST(SavedModelWriter, BuildFailsOnAnUnencodableAttr) {
  SavedModelWriter writer;
  absl::StatusOr<Tensor> variant = Tensor::Create(DT_VARIANT, TensorShape());
  ASSERT_TRUE(variant.ok());
  writer.graph().Const("bad", *variant);
  EXPECT_FALSE(writer.Build().ok());
  ScopedTempDir dir;
  EXPECT_FALSE(writer.Write(dir.Child("1")).ok());
  EXPECT_FALSE(fs::exists(dir.Child("1")));
}

}  // namespace
}  // namespace model_server
