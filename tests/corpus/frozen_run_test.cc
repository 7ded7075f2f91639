// Running one corpus graph and classifying its failure (frozen_run.h), on
// small graph directories laid out as ../shared/frozen/ lays them out.
#include "tests/corpus/frozen_run.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/missing_ops.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tools/graph_builder.h"
#include "tools/npy/npy.h"

namespace model_server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

std::string NumpyName(DataType dtype) {
  switch (dtype) {
    case DT_FLOAT:
      return "float32";
    case DT_DOUBLE:
      return "float64";
    case DT_INT32:
      return "int32";
    case DT_BFLOAT16:
      return "bfloat16";
    default:
      return DataTypeName(dtype);
  }
}

// A graph directory as the corpus has them: frozen_model.pb, inputs/*.npy,
// outputs/*.npy and reference.json. Bfloat16 values are stored as float32.
class CorpusGraph {
 public:
  CorpusGraph() : name_("category__graph"), dir_(root_.Child(name_)) {
    std::filesystem::create_directories(dir_ + "/inputs");
    std::filesystem::create_directories(dir_ + "/outputs");
  }

  // Writes everything and reads reference.json back.
  FrozenGraphReference Write(const GraphBuilder& graph,
                             const NamedTensors& inputs,
                             const NamedTensors& outputs,
                             bool deterministic = true) {
    EXPECT_TRUE(graph.status().ok()) << graph.status();
    std::ofstream(dir_ + "/frozen_model.pb", std::ios::binary)
        << graph.graph_def().SerializeAsString();
    std::string json = "{\"inputs\": {";
    json += Specs("inputs", inputs, [](const std::string& key) { return key; });
    json += "}, \"outputs\": {";
    json += Specs("outputs", outputs, [](const std::string& key) {
      return absl::StrReplaceAll(key, {{"/", "__"}, {":", "__"}});
    });
    absl::StrAppend(&json, "}, \"tolerance\": {\"rtol\": 1e-4, \"atol\": 1e-5}",
                    ", \"deterministic\": ", deterministic ? "true" : "false",
                    ", \"note\": \"\"}");
    std::ofstream(dir_ + "/reference.json") << json;
    absl::StatusOr<FrozenGraphReference> reference =
        ReadFrozenReference(root_.path(), name_);
    EXPECT_TRUE(reference.ok()) << reference.status();
    return reference.ok() ? *reference : FrozenGraphReference();
  }

 private:
  template <typename FileName>
  std::string Specs(const std::string& folder, const NamedTensors& tensors,
                    FileName file_name) {
    std::vector<std::string> specs;
    for (const auto& [key, tensor] : tensors) {
      const std::string file =
          absl::StrCat(folder, "/", file_name(key), ".npy");
      EXPECT_TRUE(WriteNpyFile(tensor, dir_ + "/" + file).ok());
      std::string spec = absl::StrCat(
          "\"", key, "\": {\"dtype\": \"", NumpyName(tensor.dtype()),
          "\", \"shape\": [", absl::StrJoin(tensor.shape().dims(), ","),
          "], \"file\": \"", file, "\"");
      if (tensor.dtype() == DT_BFLOAT16) spec += ", \"npy_dtype\": \"float32\"";
      specs.push_back(spec + "}");
    }
    return absl::StrJoin(specs, ", ");
  }

  ScopedTempDir root_;
  std::string name_;
  std::string dir_;
};

// y = x + [10, 20], as TF1's freeze_graph writes it: versions.producer 0.
void AddPlusGraph(GraphBuilder* g) {
  g->graph_def().mutable_versions()->set_producer(0);
  std::string x = g->Placeholder("x", DT_FLOAT);
  std::string c = g->Const("c", Tensor::Vector<float>({10, 20}));
  g->Binary("y", "AddV2", x, c, DT_FLOAT);
}

// Writes AddPlusGraph fed x = [1, 2], with `want` as TensorFlow's `fetch`.
FrozenGraphReference WritePlusGraph(CorpusGraph* corpus,
                                    const std::string& fetch, Tensor want,
                                    bool deterministic = true) {
  GraphBuilder g;
  AddPlusGraph(&g);
  return corpus->Write(g, {{"x", Tensor::Vector<float>({1, 2})}},
                       {{fetch, std::move(want)}}, deterministic);
}

FrozenGraphResult RunGraph(const FrozenGraphReference& reference) {
  return RunFrozenGraph(reference, absl::Seconds(60));
}

TEST(FrozenRun, PassesWhenOutputsMatchTensorFlow) {
  CorpusGraph corpus;
  FrozenGraphResult result =
      RunGraph(WritePlusGraph(&corpus, "y:0", Tensor::Vector<float>({11, 22})));
  EXPECT_TRUE(result.passed()) << result.detail;
  EXPECT_EQ(result.name, "category__graph");
  EXPECT_EQ(result.category, "category");
}

TEST(FrozenRun, ReportsTheFirstWrongValue) {
  CorpusGraph corpus;
  FrozenGraphResult result =
      RunGraph(WritePlusGraph(&corpus, "y:0", Tensor::Vector<float>({11, 23})));
  EXPECT_EQ(result.failure, FrozenFailure::kWrongValue);
  EXPECT_EQ(result.detail,
            "y:0: element 1 [1]: got 22, want 23 (1 of 2 elements differ)");
}

TEST(FrozenRun, ReportsAWrongDtypeOrShape) {
  CorpusGraph corpus;
  FrozenGraphResult result = RunGraph(
      WritePlusGraph(&corpus, "y:0", Tensor::Vector<double>({11, 22})));
  EXPECT_EQ(result.failure, FrozenFailure::kWrongShapeDtype);
  EXPECT_EQ(result.detail, "y:0: got float [2], want double [2]");
}

TEST(FrozenRun, ChecksOnlyShapesOfNondeterministicGraphs) {
  CorpusGraph corpus;
  FrozenGraphResult result = RunGraph(WritePlusGraph(
      &corpus, "y:0", Tensor::Vector<float>({0, 0}), /*deterministic=*/false));
  EXPECT_TRUE(result.passed()) << result.detail;
  EXPECT_FALSE(result.deterministic);
}

TEST(FrozenRun, ComparesBfloat16OutputsStoredAsFloat32) {
  CorpusGraph corpus;
  GraphBuilder g;
  std::string c = g.Const("c", Tensor::Vector<float>({1.5f, -3.0f}));
  g.Op("b", "Cast").Input(c).Attr("SrcT", DT_FLOAT).Attr("DstT", DT_BFLOAT16);
  FrozenGraphResult result = RunGraph(corpus.Write(
      g, {},
      {{"b:0", Tensor::Vector<Eigen::bfloat16>(
                   {Eigen::bfloat16(1.5f), Eigen::bfloat16(-3.0f)})}}));
  EXPECT_TRUE(result.passed()) << result.detail;
}

TEST(FrozenRun, NamesMissingOps) {
  CorpusGraph corpus;
  GraphBuilder g;
  std::string c = g.Const("c", Tensor::Vector<float>({1}));
  g.Op("r", "NoSuchOp").Input(c);
  g.Op("s", "AlsoMissing").Input("r");
  FrozenGraphResult result =
      RunGraph(corpus.Write(g, {}, {{"s:0", Tensor::Vector<float>({1})}}));
  EXPECT_EQ(result.failure, FrozenFailure::kMissingOp);
  EXPECT_THAT(result.missing_ops, ElementsAre("AlsoMissing", "NoSuchOp"));
  EXPECT_EQ(result.detail, "AlsoMissing,NoSuchOp");
}

TEST(FrozenRun, ReportsRunErrors) {
  CorpusGraph corpus;
  GraphBuilder g;
  std::string x = g.Placeholder("x", DT_FLOAT);
  std::string shape = g.Const("shape", Tensor::Vector<int32_t>({3}));
  g.Op("r", "Reshape")
      .Input(x)
      .Input(shape)
      .Attr("T", DT_FLOAT)
      .Attr("Tshape", DT_INT32);
  FrozenGraphResult result =
      RunGraph(corpus.Write(g, {{"x", Tensor::Vector<float>({1, 2})}},
                            {{"r:0", Tensor::Vector<float>({1, 2, 3})}}));
  EXPECT_EQ(result.failure, FrozenFailure::kRunError);
  EXPECT_THAT(result.detail, HasSubstr("{{node r}}"));
  EXPECT_EQ(result.detail.find('\n'), std::string::npos);
}

TEST(FrozenRun, ReportsCompileErrors) {
  CorpusGraph corpus;
  FrozenGraphResult result = RunGraph(
      WritePlusGraph(&corpus, "nope:0", Tensor::Vector<float>({11, 22})));
  EXPECT_EQ(result.failure, FrozenFailure::kCompileError);
  EXPECT_THAT(result.detail, HasSubstr("nope"));
}

TEST(FrozenRun, ReportsUnreadableCorpusFiles) {
  CorpusGraph corpus;
  FrozenGraphReference reference =
      WritePlusGraph(&corpus, "y:0", Tensor::Vector<float>({11, 22}));
  reference.outputs[0].file = "outputs/missing.npy";
  FrozenGraphResult result = RunGraph(reference);
  EXPECT_EQ(result.failure, FrozenFailure::kCorpusError);
  EXPECT_THAT(result.detail, HasSubstr("missing.npy"));

  reference = WritePlusGraph(&corpus, "y:0", Tensor::Vector<float>({11, 22}));
  reference.outputs[0].shape = {3};
  result = RunGraph(reference);
  EXPECT_EQ(result.failure, FrozenFailure::kCorpusError);
  EXPECT_THAT(result.detail, HasSubstr("reference.json says float [3]"));
}

TEST(FrozenRun, ClassifiesCompileFailures) {
  FrozenGraphResult missing;
  ClassifyCompileFailure(MissingOpsError({"Roll", "Bitcast"}, ""), &missing);
  EXPECT_EQ(missing.failure, FrozenFailure::kMissingOp);
  EXPECT_EQ(missing.detail, "Bitcast,Roll");

  FrozenGraphResult refused;
  ClassifyCompileFailure(
      absl::UnimplementedError("MaxPool node 'p': only the NHWC data format "
                               "is supported on CPU, got NCHW"),
      &refused);
  EXPECT_EQ(refused.failure, FrozenFailure::kUnsupportedAttrDtype);
  EXPECT_THAT(refused.detail, HasSubstr("NCHW"));

  FrozenGraphResult other;
  ClassifyCompileFailure(absl::InvalidArgumentError("bad\nnode"), &other);
  EXPECT_EQ(other.failure, FrozenFailure::kCompileError);
  EXPECT_EQ(other.detail, "bad node");
}

TEST(FrozenRun, FailureNamesRoundTrip) {
  for (FrozenFailure failure :
       {FrozenFailure::kNone, FrozenFailure::kMissingOp,
        FrozenFailure::kUnsupportedAttrDtype, FrozenFailure::kCompileError,
        FrozenFailure::kRunError, FrozenFailure::kWrongShapeDtype,
        FrozenFailure::kWrongValue, FrozenFailure::kCorpusError}) {
    FrozenFailure parsed;
    ASSERT_TRUE(ParseFrozenFailure(FrozenFailureName(failure), &parsed));
    EXPECT_EQ(parsed, failure);
  }
  FrozenFailure unused;
  EXPECT_FALSE(ParseFrozenFailure("missing-ops", &unused));
}

}  // namespace
}  // namespace model_server
