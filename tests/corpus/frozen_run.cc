#include "tests/corpus/frozen_run.h"

#include <fstream>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/executor.h"
#include "runtime/function_library.h"
#include "runtime/graph.h"
#include "runtime/missing_ops.h"
#include "runtime/plan.h"
#include "runtime/resource.h"
#include "tensorflow/core/framework/graph.pb.h"
#include "tests/corpus/frozen_compare.h"

namespace model_server {
namespace {

struct FailureName {
  FrozenFailure failure;
  absl::string_view name;
};
constexpr FailureName kFailureNames[] = {
    {FrozenFailure::kNone, "pass"},
    {FrozenFailure::kMissingOp, "missing-op"},
    {FrozenFailure::kUnsupportedAttrDtype, "unsupported-attr/dtype"},
    {FrozenFailure::kCompileError, "compile-error"},
    {FrozenFailure::kRunError, "run-error"},
    {FrozenFailure::kWrongShapeDtype, "wrong-shape/dtype"},
    {FrozenFailure::kWrongValue, "wrong-value"},
    {FrozenFailure::kCorpusError, "corpus-error"},
};

// `text` on one line (tabs and newlines become spaces), at most 300 bytes,
// so the results table stays one row per graph.
std::string OneLine(absl::string_view text) {
  constexpr size_t kMax = 300;
  std::string out;
  for (char c : text) {
    const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > kMax) out = out.substr(0, kMax) + "...";
  return out;
}

FrozenGraphResult Fail(FrozenGraphResult result, FrozenFailure failure,
                       absl::string_view detail) {
  result.failure = failure;
  result.detail = OneLine(detail);
  return result;
}

absl::StatusOr<tensorflow::GraphDef> ReadGraphDef(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  tensorflow::GraphDef graph_def;
  if (!graph_def.ParseFromIstream(&in)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not a binary GraphDef"));
  }
  return graph_def;
}

// Appends the .npy of each spec to `tensors`.
absl::Status ReadTensors(const FrozenGraphReference& graph,
                         const std::vector<FrozenTensorSpec>& specs,
                         std::vector<Tensor>* tensors) {
  for (const FrozenTensorSpec& spec : specs) {
    absl::StatusOr<Tensor> tensor = ReadFrozenTensor(graph, spec);
    if (!tensor.ok()) return tensor.status();
    tensors->push_back(*std::move(tensor));
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view FrozenFailureName(FrozenFailure failure) {
  for (const FailureName& entry : kFailureNames) {
    if (entry.failure == failure) return entry.name;
  }
  return "unknown";
}

bool ParseFrozenFailure(absl::string_view name, FrozenFailure* failure) {
  for (const FailureName& entry : kFailureNames) {
    if (entry.name == name) {
      *failure = entry.failure;
      return true;
    }
  }
  return false;
}

void ClassifyCompileFailure(const absl::Status& status,
                            FrozenGraphResult* result) {
  std::set<std::string> missing = MissingOpsOf(status);
  if (!missing.empty()) {
    result->failure = FrozenFailure::kMissingOp;
    result->missing_ops = missing;
    result->detail = absl::StrJoin(missing, ",");
    return;
  }
  result->failure = status.code() == absl::StatusCode::kUnimplemented
                        ? FrozenFailure::kUnsupportedAttrDtype
                        : FrozenFailure::kCompileError;
  result->detail = OneLine(status.message());
}

FrozenGraphResult RunFrozenGraph(const FrozenGraphReference& graph,
                                 absl::Duration deadline) {
  FrozenGraphResult result;
  result.name = graph.name;
  result.category = graph.category;
  result.deterministic = graph.deterministic;

  std::vector<Tensor> feeds;
  std::vector<Tensor> wanted;
  absl::Status read = ReadTensors(graph, graph.inputs, &feeds);
  if (read.ok()) read = ReadTensors(graph, graph.outputs, &wanted);
  if (!read.ok()) {
    return Fail(result, FrozenFailure::kCorpusError, read.message());
  }
  // Placeholders are fed on output 0; outputs are keyed "node:k" already.
  std::vector<std::string> feed_names;
  for (const FrozenTensorSpec& input : graph.inputs) {
    feed_names.push_back(absl::StrCat(input.key, ":0"));
  }
  std::vector<std::string> fetch_names;
  for (const FrozenTensorSpec& output : graph.outputs) {
    fetch_names.push_back(output.key);
  }

  absl::StatusOr<tensorflow::GraphDef> graph_def =
      ReadGraphDef(graph.dir + "/frozen_model.pb");
  if (!graph_def.ok()) {
    // A missing file is the corpus's problem; one we cannot parse is ours.
    return Fail(result,
                absl::IsNotFound(graph_def.status())
                    ? FrozenFailure::kCorpusError
                    : FrozenFailure::kCompileError,
                graph_def.status().message());
  }
  // Kernels keep pointers into the resources and the function library, so
  // both outlive the plan.
  ResourceManager resources;
  FunctionLibrary functions(graph_def->library(), &resources, "");
  absl::StatusOr<std::unique_ptr<Graph>> parsed =
      Graph::FromGraphDef(*graph_def, &functions);
  if (!parsed.ok()) {
    return Fail(result, FrozenFailure::kCompileError,
                parsed.status().message());
  }
  CompileEnv env{&resources, &functions, ""};
  absl::StatusOr<std::unique_ptr<Plan>> plan =
      Plan::CompileByName(**parsed, feed_names, fetch_names, {}, env);
  if (!plan.ok()) {
    ClassifyCompileFailure(plan.status(), &result);
    return result;
  }

  RunOptions options;
  options.deadline = absl::Now() + deadline;
  std::vector<Tensor> fetched;
  absl::Status run = RunPlan(**plan, feeds, &fetched, options);
  if (!run.ok()) return Fail(result, FrozenFailure::kRunError, run.message());

  for (size_t i = 0; i < wanted.size(); ++i) {
    std::optional<OutputMismatch> mismatch = CompareWithTensorFlow(
        fetched[i], wanted[i], graph.tolerance, graph.deterministic);
    if (!mismatch.has_value()) continue;
    return Fail(result,
                mismatch->kind == OutputMismatch::Kind::kValue
                    ? FrozenFailure::kWrongValue
                    : FrozenFailure::kWrongShapeDtype,
                absl::StrCat(fetch_names[i], ": ", mismatch->description));
  }
  return result;
}

}  // namespace model_server
