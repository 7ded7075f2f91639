// model_tool show on every model of ../shared/models agrees with MODELS.md
// (tag set, signatures with method, tensors, dtypes and shapes, and the
// number of checkpoint tensors) and lists the ops the runtime lacks: every
// op a failed load names is marked unsupported. Skips, saying so, without
// ../shared.
#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "model_tool/model_report.h"
#include "runtime/data_type.h"
#include "runtime/missing_ops.h"
#include "tests/corpus/corpus_models.h"
#include "tests/corpus/gold_pairs.h"
#include "tests/model_tool/corpus_params.h"
#include "tests/model_tool/models_md.h"
#include "tests/model_tool/tool_runner.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace {

const std::map<std::string, testing::DocModel>& Docs() {
  static const auto* docs = new std::map<std::string, testing::DocModel>(
      testing::ParseModelsMd(ModelsDir() + "/MODELS.md"));
  return *docs;
}

// MODELS.md's spelling: "[-1,3]", "[]", "<unknown rank>", "?" (no shape).
std::string ShapeAsDoc(const tensorflow::TensorInfo& info) {
  if (!info.has_tensor_shape()) return "?";
  const tensorflow::TensorShapeProto& shape = info.tensor_shape();
  if (shape.unknown_rank()) return "<unknown rank>";
  std::vector<int64_t> dims;
  for (const auto& dim : shape.dim()) dims.push_back(dim.size());
  return absl::StrCat("[", absl::StrJoin(dims, ","), "]");
}

void ExpectTensors(
    const std::string& where,
    const std::map<std::string, testing::DocTensor>& doc,
    const google::protobuf::Map<std::string, tensorflow::TensorInfo>& shown) {
  EXPECT_EQ(doc.size(), shown.size()) << where;
  for (const auto& [alias, tensor] : doc) {
    auto it = shown.find(alias);
    if (it == shown.end()) {
      ADD_FAILURE() << where << ": show has no '" << alias << "'";
      continue;
    }
    EXPECT_EQ(it->second.name(), tensor.tensor) << where << " " << alias;
    EXPECT_EQ(DataTypeEnumName(it->second.dtype()), tensor.dtype)
        << where << " " << alias;
    EXPECT_EQ(ShapeAsDoc(it->second), tensor.shape) << where << " " << alias;
  }
}

class ShowAgreesWithModelsMd : public ::testing::TestWithParam<std::string> {};

TEST_P(ShowAgreesWithModelsMd, TagsSignaturesVariablesAndUnsupportedOps) {
  const std::string model = GetParam();
  if (model == testing::kNoCorpus)
    GTEST_SKIP() << "../shared/models is not present";
  auto doc = Docs().find(model);
  ASSERT_NE(doc, Docs().end()) << model << " is not described in MODELS.md";
  for (const std::string& version : ListVersions(ModelsDir() + "/" + model)) {
    const std::string dir = ModelsDir() + "/" + model + "/" + version;
    auto report = BuildModelReport(dir, ReportOptions());
    ASSERT_TRUE(report.ok()) << report.status();
    auto doc_version = doc->second.versions.find(version);
    ASSERT_NE(doc_version, doc->second.versions.end()) << version;
    EXPECT_EQ(static_cast<int>(report->variables.size()),
              doc_version->second.checkpoint_tensors)
        << dir;
    const MetaGraphReport* meta_graph =
        report->FindMetaGraph(doc_version->second.tags);
    ASSERT_NE(meta_graph, nullptr)
        << dir << ": no tag set {"
        << absl::StrJoin(doc_version->second.tags, ",") << "}";
    std::set<std::string> keys;
    for (const auto& [key, def] : meta_graph->signatures) {
      if (key != "__saved_model_init_op") keys.insert(key);
    }
    std::set<std::string> doc_keys;
    for (const auto& [key, sig] : doc->second.signatures) doc_keys.insert(key);
    EXPECT_EQ(keys, doc_keys) << dir;
    for (const auto& [key, sig] : doc->second.signatures) {
      auto shown = meta_graph->signatures.find(key);
      if (shown == meta_graph->signatures.end()) continue;
      EXPECT_EQ(shown->second.method_name(), sig.method) << dir << " " << key;
      ExpectTensors(dir + " " + key + " inputs", sig.inputs,
                    shown->second.inputs());
      ExpectTensors(dir + " " + key + " outputs", sig.outputs,
                    shown->second.outputs());
    }

    // Every op a failed load names is listed as unsupported.
    auto loaded = LoadVersion(model, version);
    if (!loaded.ok()) {
      std::vector<std::string> unsupported = meta_graph->UnsupportedOps();
      for (const std::string& op : MissingOpsOf(loaded.status())) {
        EXPECT_NE(std::find(unsupported.begin(), unsupported.end(), op),
                  unsupported.end())
            << dir << ": load says " << op << " is missing; show lists "
            << absl::StrJoin(unsupported, ", ");
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, ShowAgreesWithModelsMd,
                         ::testing::ValuesIn(testing::CorpusModelsOrNone()));

TEST(ShowBinary, PrintsSavedModelCliTextAndUnsupportedOps) {
  const std::string dir = ModelsDir() + "/stfs_custom_op_zero_out/1";
  if (ListCorpusModels(ModelsDir()).empty()) {
    GTEST_SKIP() << "../shared/models is not present";
  }
  auto run = testing::RunProgramToExit(
      {testing::BinaryDir() + "/model_tool/model_tool", "show", "--dir", dir,
       "--tag_set", "serve", "--signature_def", "serving_default"});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 0) << run->stderr_text;
  EXPECT_EQ(run->stdout_text,
            "The given SavedModel SignatureDef contains the following "
            "input(s):\n"
            "  inputs['input'] tensor_info:\n"
            "      dtype: DT_INT32\n"
            "      shape: (-1, 2)\n"
            "      name: Placeholder:0\n"
            "The given SavedModel SignatureDef contains the following "
            "output(s):\n"
            "  outputs['output'] tensor_info:\n"
            "      dtype: DT_INT32\n"
            "      shape: (-1, 2)\n"
            "      name: ZeroOut:0\n"
            "Method name is: tensorflow/serving/predict\n");
  auto all = testing::RunProgramToExit(
      {testing::BinaryDir() + "/model_tool/model_tool", "show", "--dir", dir});
  ASSERT_TRUE(all.ok());
  EXPECT_NE(all->stdout_text.find("1 not supported by model_server: ZeroOut"),
            std::string::npos)
      << all->stdout_text;
}

}  // namespace
}  // namespace model_server
