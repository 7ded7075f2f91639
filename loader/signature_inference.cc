#include "loader/signature_inference.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "runtime/graph.h"
#include "runtime/status_macros.h"
#include "tensorflow/core/framework/attr_value.pb.h"

namespace model_server {
namespace {

constexpr char kPredictMethod[] = "tensorflow/serving/predict";

// Plumbing that is not about variables: control, feeding, checkpoint file
// names, table initialization, debugging and summaries.
const absl::flat_hash_set<std::string>& OtherPlumbingOps() {
  // clang-format off
  static const auto* ops = new absl::flat_hash_set<std::string>{
      "NoOp", "Assert", "Placeholder", "PlaceholderWithDefault",
      "PlaceholderV2", "ShardedFilename", "ShardedFilespec",
      "TemporaryVariable", "DestroyResourceOp", "InitializeTableV2",
      "InitializeTable", "InitializeTableFromTextFileV2",
      "InitializeTableFromTextFile", "LookupTableImportV2", "ScatterUpdate",
      "ScatterAdd", "ScatterSub", "CountUpTo", "Print", "PrintV2",
      "MergeSummary", "WriteScalarSummary", "WriteHistogramSummary",
      "WriteSummary", "FlushSummaryWriter", "SummaryWriter",
      "CreateSummaryFileWriter"};
  // clang-format on
  return *ops;
}

// The first name-scope component ("save_1" of "save_1/restore_all").
absl::string_view FirstScope(absl::string_view name) {
  size_t slash = name.find('/');
  return slash == absl::string_view::npos ? absl::string_view()
                                          : name.substr(0, slash);
}

// "save", "save_1", "gradients", "gradients_3", ...
bool IsScope(absl::string_view scope, absl::string_view base) {
  if (!absl::ConsumePrefix(&scope, base)) return false;
  if (scope.empty()) return true;
  if (!absl::ConsumePrefix(&scope, "_") || scope.empty()) return false;
  for (char c : scope) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void SetShape(const tensorflow::NodeDef& node, int index,
              tensorflow::TensorShapeProto* shape) {
  auto shapes = node.attr().find("_output_shapes");
  if (shapes != node.attr().end() &&
      index < shapes->second.list().shape_size()) {
    *shape = shapes->second.list().shape(index);
    return;
  }
  auto attr = node.attr().find("shape");
  if (index == 0 && attr != node.attr().end() && attr->second.has_shape()) {
    *shape = attr->second.shape();
    return;
  }
  shape->set_unknown_rank(true);
}

tensorflow::TensorInfo MakeInfo(const tensorflow::NodeDef& node, int index) {
  tensorflow::TensorInfo info;
  info.set_name(absl::StrCat(node.name(), ":", index));
  info.set_dtype(
      static_cast<tensorflow::DataType>(OutputDtypeFromAttrs(node, index)));
  SetShape(node, index, info.mutable_tensor_shape());
  return info;
}

// Adds the Placeholders that the nodes marked in `needed` (and pending on
// `stack`) need, walking data and control edges, as signature inputs.
void AddNeededPlaceholders(const Graph& graph, std::vector<char> needed,
                           std::vector<int> stack,
                           tensorflow::SignatureDef* signature) {
  const std::vector<GraphNode>& nodes = graph.nodes();
  while (!stack.empty()) {
    const GraphNode& node = nodes[stack.back()];
    stack.pop_back();
    auto visit = [&](int index) {
      if (index >= 0 && !needed[index]) {
        needed[index] = 1;
        stack.push_back(index);
      }
    };
    for (const TensorId& input : node.inputs) visit(input.node);
    for (int control : node.control_inputs) visit(control);
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const tensorflow::NodeDef& def = *nodes[i].def;
    if (!needed[i] ||
        (def.op() != "Placeholder" && def.op() != "PlaceholderV2")) {
      continue;
    }
    (*signature->mutable_inputs())[def.name()] = MakeInfo(def, 0);
  }
}

}  // namespace

bool IsVariableOrSaveOp(const std::string& op) {
  // clang-format off
  static const auto* ops = new absl::flat_hash_set<std::string>{
      "VariableV2", "Variable", "VarHandleOp", "ReadVariableOp",
      "ResourceGather", "Assign", "AssignAdd", "AssignSub",
      "AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp",
      "VarIsInitializedOp", "IsVariableInitialized", "SaveV2", "Save",
      "SaveSlices", "RestoreV2", "Restore", "RestoreSlice",
      "MergeV2Checkpoints"};
  // clang-format on
  if (ops->contains(op)) return true;
  for (absl::string_view prefix :
       {"Apply", "ResourceApply", "SparseApply", "ResourceSparseApply"}) {
    if (absl::StartsWith(op, prefix)) return true;
  }
  return false;
}

bool IsPlumbing(const tensorflow::NodeDef& node) {
  const std::string& op = node.op();
  if (IsVariableOrSaveOp(op) || OtherPlumbingOps().contains(op)) return true;
  if (absl::EndsWith(op, "Summary") || absl::EndsWith(op, "SummaryV2")) {
    return true;
  }
  absl::string_view scope = FirstScope(node.name());
  for (absl::string_view base :
       {"save", "gradients", "report_uninitialized_variables",
        "report_uninitialized_resources"}) {
    if (IsScope(scope, base)) return true;
  }
  return false;
}

int OutputDtypeFromAttrs(const tensorflow::NodeDef& node, int index) {
  const std::string& op = node.op();
  auto type_attr = [&](const char* name) -> int {
    auto it = node.attr().find(name);
    return it == node.attr().end() ? 0 : static_cast<int>(it->second.type());
  };
  static const auto* kBoolOps = new absl::flat_hash_set<std::string>{
      "Equal",        "NotEqual",   "Less",  "LessEqual", "Greater",
      "GreaterEqual", "IsNan",      "IsInf", "IsFinite",  "LogicalAnd",
      "LogicalOr",    "LogicalNot", "All",   "Any",       "ApproximateEqual",
      "InTopK",       "InTopKV2"};
  if (kBoolOps->contains(op)) return tensorflow::DT_BOOL;
  if (op == "Cast") return type_attr("DstT");
  if (op == "Shape" || op == "ShapeN" || op == "Size") {
    int type = type_attr("out_type");
    return type != 0 ? type : tensorflow::DT_INT32;
  }
  if (op == "Rank") return tensorflow::DT_INT32;
  if (op == "ArgMax" || op == "ArgMin") {
    int type = type_attr("output_type");
    return type != 0 ? type : tensorflow::DT_INT64;
  }
  if (op == "Where" || op == "StringToHashBucketFast" ||
      op == "StringToHashBucket" || op == "StringToHashBucketStrong") {
    return tensorflow::DT_INT64;
  }
  if (op == "AsString" || op == "StringJoin") return tensorflow::DT_STRING;
  if (op == "Bitcast") return type_attr("type");
  if ((op == "TopKV2" || op == "TopK") && index == 1) {
    return tensorflow::DT_INT32;
  }
  if ((op == "Unique" || op == "UniqueWithCounts") && index > 0) {
    return type_attr("out_idx");
  }
  if (op == "Multinomial") return type_attr("output_dtype");
  if (op == "RandomUniformInt") return type_attr("Tout");
  for (const char* name : {"T", "dtype", "out_type", "Tout"}) {
    int type = type_attr(name);
    if (type != 0) return type;
  }
  return 0;
}

absl::StatusOr<tensorflow::SignatureDef> InferServingSignature(
    const tensorflow::GraphDef& graph_def) {
  absl::StatusOr<std::unique_ptr<Graph>> graph =
      Graph::FromGraphDef(graph_def, nullptr);
  if (!graph.ok()) return graph.status();
  const std::vector<GraphNode>& nodes = (*graph)->nodes();
  std::vector<char> consumed(nodes.size(), 0);
  for (const GraphNode& node : nodes) {
    for (const TensorId& input : node.inputs) {
      if (input.node >= 0) consumed[input.node] = 1;
    }
    for (int control : node.control_inputs) {
      if (control >= 0) consumed[control] = 1;
    }
  }

  tensorflow::SignatureDef signature;
  signature.set_method_name(kPredictMethod);
  // Outputs, and the nodes they need (walking data and control edges).
  std::vector<char> needed(nodes.size(), 0);
  std::vector<int> stack;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const tensorflow::NodeDef& def = *nodes[i].def;
    if (consumed[i] || IsPlumbing(def)) continue;
    const int outputs = std::max(nodes[i].num_outputs, 1);
    for (int k = 0; k < outputs; ++k) {
      const std::string alias =
          k == 0 ? def.name() : absl::StrCat(def.name(), ":", k);
      (*signature.mutable_outputs())[alias] = MakeInfo(def, k);
    }
    needed[i] = 1;
    stack.push_back(static_cast<int>(i));
  }
  if (signature.outputs().empty()) {
    return absl::FailedPreconditionError(
        "cannot infer a signature: every node that nothing consumes is "
        "save, restore, init or training plumbing (a training graph's "
        "prediction usually feeds its loss); name the inputs and outputs in "
        "a signatures.pbtxt beside the model");
  }
  AddNeededPlaceholders(**graph, std::move(needed), std::move(stack),
                        &signature);
  return signature;
}

absl::StatusOr<tensorflow::SignatureDef> SignatureForOutputs(
    const tensorflow::GraphDef& graph_def,
    const std::vector<std::string>& outputs) {
  MS_ASSIGN_OR_RETURN(std::unique_ptr<Graph> graph,
                      Graph::FromGraphDef(graph_def, nullptr));
  tensorflow::SignatureDef signature;
  signature.set_method_name(kPredictMethod);
  std::vector<char> needed(graph->nodes().size(), 0);
  std::vector<int> stack;
  for (const std::string& output : outputs) {
    MS_ASSIGN_OR_RETURN(TensorId id, graph->FindTensor(output));
    (*signature.mutable_outputs())[output] =
        MakeInfo(*graph->node(id.node).def, id.output);
    if (!needed[id.node]) {
      needed[id.node] = 1;
      stack.push_back(id.node);
    }
  }
  AddNeededPlaceholders(*graph, std::move(needed), std::move(stack),
                        &signature);
  return signature;
}

}  // namespace model_server
