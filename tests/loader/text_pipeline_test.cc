// A TextVectorization-style SavedModel built by hand (tools/graph_builder.h):
// lower-case, strip punctuation with a regex, split on whitespace, look the
// tokens up in a MutableHashTableV2 restored from the checkpoint (as a TF2
// restore function does, RestoreV2 -> LookupTableImportV2), and pad the
// ragged ids to a dense [batch, 5] tensor. A second signature inserts into
// the table per request. Values are checked by hand.
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "loader/loaded_model.h"
#include "runtime/tensor_proto.h"
#include "signatures/predict.h"
#include "tensorflow/core/framework/graph.pb.h"
#include "tensorflow/core/framework/node_def.pb.h"
#include "tests/loader/predict_in_process.h"
#include "tests/testing/kernel_harness.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

// Writes the model to `dir`.
absl::Status WriteTextModel(const std::string& dir) {
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  const std::string text = g.Placeholder("text", DT_STRING, {-1});
  const std::string lower = g.Op("lower", "StringLower")
                                .Input(text)
                                .Attr("encoding", "utf-8")
                                .Output(0);
  const std::string stripped = g.Op("strip_punct", "StaticRegexReplace")
                                   .Input(lower)
                                   .Attr("pattern", "[[:punct:]]")
                                   .Attr("rewrite", "")
                                   .Attr("replace_global", true)
                                   .Output(0);
  g.Op("split", "StringSplitV2")
      .Input(stripped)
      .Input(g.Const("split/sep", Tensor::Scalar<std::string>("")))
      .Attr("maxsplit", int64_t{-1});
  const std::string table = g.Op("vocab", "MutableHashTableV2")
                                .Attr("key_dtype", DT_STRING)
                                .Attr("value_dtype", DT_INT64)
                                .Attr("shared_name", "vocab_table")
                                .Attr("use_node_name_sharing", false)
                                .Output(0);
  // Out-of-vocabulary tokens get 1 (Keras' OOV index); padding is 0.
  const std::string ids = g.Op("lookup", "LookupTableFindV2")
                              .Input(table)
                              .Input("split:1")
                              .Input(g.Const("oov", Tensor::Scalar<int64_t>(1)))
                              .Attr("Tin", DT_STRING)
                              .Attr("Tout", DT_INT64)
                              .Output(0);
  // value_rowids = indices[:, 0]; rows = shape[0].
  const std::string column =
      g.Op("rowids/slice", "Slice")
          .Input("split:0")
          .Input(g.Const("rowids/begin", Tensor::Vector<int64_t>({0, 0})))
          .Input(g.Const("rowids/size", Tensor::Vector<int64_t>({-1, 1})))
          .Attr("T", DT_INT64)
          .Attr("Index", DT_INT64)
          .Output(0);
  const std::string rowids =
      g.Op("rowids", "Reshape")
          .Input(column)
          .Input(g.Const("rowids/shape", Tensor::Vector<int64_t>({-1})))
          .Attr("T", DT_INT64)
          .Attr("Tshape", DT_INT64)
          .Output(0);
  const std::string rows_vector =
      g.Op("rows/slice", "Slice")
          .Input("split:2")
          .Input(g.Const("rows/begin", Tensor::Vector<int64_t>({0})))
          .Input(g.Const("rows/size", Tensor::Vector<int64_t>({1})))
          .Attr("T", DT_INT64)
          .Attr("Index", DT_INT64)
          .Output(0);
  const std::string rows =
      g.Op("rows", "Reshape")
          .Input(rows_vector)
          .Input(g.Const("rows/shape", Tensor::Vector<int64_t>({})))
          .Attr("T", DT_INT64)
          .Attr("Tshape", DT_INT64)
          .Output(0);
  const std::string dense =
      g.Op("to_dense", "RaggedTensorToTensor")
          .Input(g.Const("to_dense/shape", Tensor::Vector<int64_t>({-1, 5})))
          .Input(ids)
          .Input(g.Const("to_dense/default", Tensor::Scalar<int64_t>(0)))
          .Input(rows)
          .Input(rowids)
          .Attr("T", DT_INT64)
          .Attr("Tindex", DT_INT64)
          .Attr("Tshape", DT_INT64)
          .Attr("num_row_partition_tensors", int64_t{2})
          .Attr("row_partition_types",
                std::vector<std::string>{"FIRST_DIM_SIZE", "VALUE_ROWIDS"})
          .Output(0);
  model.AddSignature("serving_default")
      .Input("text", text, DT_STRING, {-1})
      .Output("ids", dense, DT_INT64, {-1, 5});

  // Per-request updates: insert key -> value, answer the new size.
  const std::string key = g.Placeholder("key", DT_STRING, {-1});
  const std::string value = g.Placeholder("value", DT_INT64, {-1});
  g.Op("insert", "LookupTableInsertV2")
      .Input(table)
      .Input(key)
      .Input(value)
      .Attr("Tin", DT_STRING)
      .Attr("Tout", DT_INT64);
  const std::string size = g.Op("size", "LookupTableSizeV2")
                               .Input(table)
                               .ControlInput("insert")
                               .Output(0);
  model.AddSignature("add_words")
      .Input("key", key, DT_STRING, {-1})
      .Input("value", value, DT_INT64, {-1})
      .Output("size", size, DT_INT64, {});

  // The vocabulary lives in the checkpoint, as Keras saves it.
  model.AddResourceVariable("step", Tensor::Scalar<int64_t>(0));
  model.AddCheckpointTensor(
      "vocab-keys",
      Tensor::Vector<std::string>({"the", "cat", "sat", "on", "mat"}));
  model.AddCheckpointTensor("vocab-values",
                            Tensor::Vector<int64_t>({2, 3, 4, 5, 6}));
  absl::StatusOr<tensorflow::SavedModel> saved = model.Build();
  if (!saved.ok()) return saved.status();
  GraphBuilder restore;
  restore.Const("vocab_restore/names",
                Tensor::Vector<std::string>({"vocab-keys", "vocab-values"}));
  restore.Const("vocab_restore/slices", Tensor::Vector<std::string>({"", ""}));
  restore.Op("vocab_restore/RestoreV2", "RestoreV2")
      .Input("save/Const")
      .Input("vocab_restore/names")
      .Input("vocab_restore/slices")
      .Attr("dtypes", std::vector<DataType>{DT_STRING, DT_INT64});
  restore.Op("vocab_restore/import", "LookupTableImportV2")
      .Input("vocab")
      .Input("vocab_restore/RestoreV2:0")
      .Input("vocab_restore/RestoreV2:1")
      .Attr("Tin", DT_STRING)
      .Attr("Tout", DT_INT64);
  tensorflow::GraphDef* graph =
      saved->mutable_meta_graphs(0)->mutable_graph_def();
  for (const auto& node : restore.graph_def().node()) *graph->add_node() = node;
  for (auto& node : *graph->mutable_node()) {
    if (node.name() == "save/restore_all") {
      node.add_input("^vocab_restore/import");
    }
  }
  return WriteSavedModel(dir, *saved, model.checkpoint(), {});
}

class TextPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteTextModel(dir_.Child("1")).ok());
    auto model = LoadedModel::Load(dir_.Child("1"), LoadOptions());
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = *std::move(model);
  }
  ScopedTempDir dir_;
  std::unique_ptr<LoadedModel> model_;
};

TEST_F(TextPipelineTest, VectorizesTextWithTheRestoredVocabulary) {
  auto out =
      Predict(*model_, "serving_default",
              {{"text", Tensor::Vector<std::string>(
                            {"The cat sat on the MAT!", "Hello, CAT.", ""})}});
  ASSERT_TRUE(out.ok()) << out.status();
  // "the cat sat on the mat" -> 2 3 4 5 2 (6 cut at length 5);
  // "hello cat" -> OOV 1, 3, padding; "" -> all padding.
  EXPECT_TENSOR_EQ(out->at("ids"),
                   Tensor::FromVector<int64_t>(
                       {2, 3, 4, 5, 2, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0}, {3, 5}));
}

TEST_F(TextPipelineTest, LowersUnicodeBeforeTheLookup) {
  auto out = Predict(*model_, "serving_default",
                     {{"text", Tensor::Vector<std::string>({"ÇAT cat"})}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at("ids"),
                   Tensor::FromVector<int64_t>({1, 3, 0, 0, 0}, {1, 5}));
}

TEST_F(TextPipelineTest, RequestsUpdateTheTableOthersRead) {
  auto size = Predict(*model_, "add_words",
                      {{"key", Tensor::Vector<std::string>({"hello", "dog"})},
                       {"value", Tensor::Vector<int64_t>({7, 8})}});
  ASSERT_TRUE(size.ok()) << size.status();
  EXPECT_TENSOR_EQ(size->at("size"), Tensor::Scalar<int64_t>(7));
  // Concurrent readers and writers on the same table.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t]() {
      for (int i = 0; i < 10; ++i) {
        if (t == 0) {
          ASSERT_TRUE(Predict(*model_, "add_words",
                              {{"key", Tensor::Vector<std::string>(
                                           {"w" + std::to_string(i)})},
                               {"value", Tensor::Vector<int64_t>({100 + i})}})
                          .ok());
          continue;
        }
        auto ids =
            Predict(*model_, "serving_default",
                    {{"text", Tensor::Vector<std::string>({"hello dog cat"})}});
        ASSERT_TRUE(ids.ok()) << ids.status();
        EXPECT_TENSOR_EQ(ids->at("ids"),
                         Tensor::FromVector<int64_t>({7, 8, 3, 0, 0}, {1, 5}));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto last = Predict(*model_, "serving_default",
                      {{"text", Tensor::Vector<std::string>({"w9"})}});
  ASSERT_TRUE(last.ok());
  EXPECT_TENSOR_EQ(last->at("ids"),
                   Tensor::FromVector<int64_t>({109, 0, 0, 0, 0}, {1, 5}));
}

}  // namespace
}  // namespace model_server
