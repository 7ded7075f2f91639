// The frozen-graph corpus through the real daemon: every graph of
// ../shared/frozen/ that the runtime runs in-process (every graph that
// tests/corpus/frozen_known_failures.txt does not list) is served by
// model_server as a frozen-GraphDef version, and Predict reproduces
// TensorFlow's outputs (values for deterministic graphs, dtypes and shapes
// for the others, as frozen_graphs_test.cc compares them in-process).
//
//   FrozenGraphsThroughDaemon/Batch.PredictReproducesTensorFlow/<b>
//     graph i of the sorted corpus belongs to batch i % kBatches; one daemon
//     serves a batch's graphs (a few hundred) as models named after the
//     graphs, through --model_config_file. Each model's base path is a
//     temporary directory whose version 1 holds a link to the graph's
//     frozen_model.pb and a signatures.pbtxt: serving_default with the
//     reference's placeholders as inputs (alias = node name) and its `node:k`
//     outputs as outputs (alias = `node:k`), as a user names the tensors
//     TensorFlow fetched.
//
// Without ../shared/frozen the test skips, saying so.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "runtime/tensor_proto.h"
#include "tensorflow/core/framework/tensor.pb.h"
#include "tensorflow/core/framework/types.pb.h"
#include "tensorflow_serving/apis/predict.pb.h"
#include "tests/corpus/frozen_compare.h"
#include "tests/corpus/frozen_known_failures.h"
#include "tests/corpus/frozen_reference.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/model_config_text.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;
using testing::DaemonProcess;

// 1,173 graphs in 4 batches of about 290, of which a daemon serves those
// that pass in-process (about 210 today).
constexpr int kBatches = 4;

absl::StatusOr<KnownFailures> ReadKnownFailures() {
  const std::string path =
      testing::SourceDir() + "/tests/corpus/frozen_known_failures.txt";
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream text;
  text << file.rdbuf();
  return ParseKnownFailures(text.str());
}

// "DT_FLOAT": the enum value's name in tensorflow.DataType.
std::string DtypeName(DataType dtype) {
  return tensorflow::DataType_Name(static_cast<tensorflow::DataType>(dtype));
}

// The text-format tensorflow.serving.SignatureDefMap naming what the
// reference feeds and fetches.
std::string SignatureSidecar(const FrozenGraphReference& graph) {
  std::string text =
      "signature_def {\n  key: \"serving_default\"\n  value {\n"
      "    method_name: \"tensorflow/serving/predict\"\n";
  for (const FrozenTensorSpec& input : graph.inputs) {
    absl::StrAppend(&text, "    inputs { key: \"", input.key,
                    "\" value { name: \"", input.key,
                    ":0\" dtype: ", DtypeName(input.dtype), " } }\n");
  }
  for (const FrozenTensorSpec& output : graph.outputs) {
    absl::StrAppend(&text, "    outputs { key: \"", output.key,
                    "\" value { name: \"", output.key,
                    "\" dtype: ", DtypeName(output.dtype), " } }\n");
  }
  absl::StrAppend(&text, "  }\n}\n");
  return text;
}

// Lays out <models_dir>/<name>/1/{frozen_model.pb,signatures.pbtxt}.
absl::Status WriteVersion(const FrozenGraphReference& graph,
                          const std::string& base_path) {
  const std::string version = base_path + "/1";
  std::error_code error;
  fs::create_directories(version, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", version, ": ", error.message()));
  }
  fs::create_symlink(fs::absolute(graph.dir + "/frozen_model.pb"),
                     version + "/frozen_model.pb", error);
  if (error) {
    return absl::InternalError(absl::StrCat(
        "cannot link ", graph.dir, "/frozen_model.pb: ", error.message()));
  }
  std::ofstream sidecar(version + "/signatures.pbtxt");
  sidecar << SignatureSidecar(graph);
  if (!sidecar.good()) {
    return absl::InternalError(
        absl::StrCat("cannot write ", version, "/signatures.pbtxt"));
  }
  return absl::OkStatus();
}

// "" when Predict on `graph` reproduces TensorFlow's outputs, else what went
// wrong (with the model's load error when it is not serving).
std::string CheckGraph(DaemonProcess& daemon,
                       const FrozenGraphReference& graph) {
  tensorflow::serving::PredictRequest request =
      testing::MakePredictRequest(graph.name);
  for (const FrozenTensorSpec& input : graph.inputs) {
    absl::StatusOr<Tensor> tensor = ReadFrozenTensor(graph, input);
    if (!tensor.ok()) return std::string(tensor.status().message());
    absl::Status encoded =
        TensorToProto(*tensor, &(*request.mutable_inputs())[input.key]);
    if (!encoded.ok()) return std::string(encoded.message());
  }
  tensorflow::serving::PredictResponse response;
  grpc::Status status =
      testing::CallPredict(daemon.prediction(), request, &response);
  if (!status.ok()) {
    std::string problem =
        absl::StrCat("Predict failed: ", status.error_message());
    tensorflow::serving::GetModelStatusResponse model_status;
    if (testing::CallGetModelStatus(daemon.model_service(), graph.name,
                                    &model_status)
            .ok()) {
      for (const auto& version : model_status.model_version_status()) {
        absl::StrAppend(&problem, "; version ", version.version(), ": ",
                        version.status().error_message());
      }
    }
    return problem;
  }
  std::vector<std::string> problems;
  for (const FrozenTensorSpec& output : graph.outputs) {
    auto it = response.outputs().find(output.key);
    if (it == response.outputs().end()) {
      problems.push_back(absl::StrCat("no output ", output.key));
      continue;
    }
    absl::StatusOr<Tensor> got = TensorFromProto(it->second);
    absl::StatusOr<Tensor> want = ReadFrozenTensor(graph, output);
    if (!got.ok() || !want.ok()) {
      problems.push_back(absl::StrCat(
          output.key, ": ", (got.ok() ? want : got).status().message()));
      continue;
    }
    std::optional<OutputMismatch> mismatch = CompareWithTensorFlow(
        *got, *want, graph.tolerance, graph.deterministic);
    if (mismatch.has_value()) {
      problems.push_back(absl::StrCat(output.key, ": ", mismatch->description));
    }
  }
  return absl::StrJoin(problems, "; ");
}

class FrozenGraphsThroughDaemon : public ::testing::TestWithParam<int> {};

TEST_P(FrozenGraphsThroughDaemon, PredictReproducesTensorFlow) {
  const std::string root = FrozenCorpusDir();
  const std::vector<std::string> names = ListFrozenGraphs(root);
  if (names.empty()) {
    GTEST_SKIP() << "SKIPPED: no frozen-graph corpus at " << root
                 << " (../shared/frozen beside the repository)";
  }
  absl::StatusOr<KnownFailures> known = ReadKnownFailures();
  ASSERT_TRUE(known.ok()) << known.status();
  auto temp = testing::TempDirectory::Create();
  ASSERT_TRUE(temp.ok()) << temp.status();

  std::vector<FrozenGraphReference> graphs;
  std::vector<testing::ConfigModel> models;
  for (size_t i = GetParam(); i < names.size(); i += kBatches) {
    if (known->count(names[i])) continue;
    absl::StatusOr<FrozenGraphReference> graph =
        ReadFrozenReference(root, names[i]);
    ASSERT_TRUE(graph.ok()) << graph.status();
    const std::string base_path = (*temp)->path() + "/" + names[i];
    ASSERT_TRUE(WriteVersion(*graph, base_path).ok());
    models.emplace_back(names[i], base_path);
    graphs.push_back(*std::move(graph));
  }
  ASSERT_FALSE(graphs.empty());
  const std::string config = (*temp)->path() + "/models.config";
  ASSERT_TRUE(
      testing::WriteFileAtomically(config, testing::ModelConfigText(models))
          .ok());

  testing::DaemonOptions options;
  options.model_name = models.front().name;
  options.extra_flags = {"--model_config_file=" + config,
                         "--num_load_threads=2"};
  options.startup_timeout = absl::Minutes(3);
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();

  std::vector<std::string> failures;
  for (const FrozenGraphReference& graph : graphs) {
    std::string problem = CheckGraph(**daemon, graph);
    if (!problem.empty()) failures.push_back(graph.name + ": " + problem);
  }
  std::cout << "[ served   ] batch " << GetParam() << ": "
            << graphs.size() - failures.size() << " of " << graphs.size()
            << " frozen graphs reproduce TensorFlow through Predict\n";
  EXPECT_TRUE(failures.empty())
      << failures.size() << " graph(s) that pass in-process fail through "
      << "the daemon:\n  " << absl::StrJoin(failures, "\n  ");

  auto exit_code = (*daemon)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*daemon)->Stderr();
}

INSTANTIATE_TEST_SUITE_P(Batch, FrozenGraphsThroughDaemon,
                         ::testing::Range(0, kBatches));

}  // namespace
}  // namespace model_server
