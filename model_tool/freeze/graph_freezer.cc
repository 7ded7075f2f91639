#include "model_tool/freeze/graph_freezer.h"

#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "loader/signature_inference.h"
#include "model_tool/freeze/function_inliner.h"
#include "model_tool/freeze/graph_edit.h"
#include "runtime/data_type.h"
#include "runtime/kernels/lookup/lookup_table.h"
#include "runtime/resource.h"
#include "runtime/status_macros.h"
#include "runtime/tensor_proto.h"
#include "tensorflow/core/framework/function.pb.h"

namespace model_server {
namespace {

using NodeIndex = absl::flat_hash_map<std::string, int>;

constexpr char kTablesInitializer[] = "init_all_tables";

NodeIndex IndexNodes(const tensorflow::GraphDef& graph) {
  NodeIndex index;
  for (int i = 0; i < graph.node_size(); ++i) index[graph.node(i).name()] = i;
  return index;
}

std::string StringAttr(const tensorflow::NodeDef& node, const char* name) {
  auto it = node.attr().find(name);
  return it == node.attr().end() ? std::string() : it->second.s();
}

// The restored value of variable node `node` (VariableV2 or VarHandleOp).
// A variable no restore or init op created is created here, uninitialized,
// and so reported as having no value.
absl::StatusOr<Tensor> VariableValue(LoadedModel& model,
                                     const tensorflow::NodeDef& node) {
  std::string name = StringAttr(node, "shared_name");
  if (name.empty()) name = node.name();
  absl::StatusOr<std::shared_ptr<Variable>> variable =
      model.resources()->LookupOrCreate<Variable>(
          StringAttr(node, "container"), name,
          [&]() { return std::make_shared<Variable>(DT_INVALID, name); });
  if (!variable.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "variable '", node.name(), "': ", variable.status().message()));
  }
  absl::StatusOr<Tensor> value = (*variable)->Read();
  if (!value.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("variable '", node.name(),
                     "' has no value to freeze: ", value.status().message()));
  }
  return value;
}

absl::Status MakeConst(const std::string& name, const Tensor& value,
                       tensorflow::NodeDef* node) {
  tensorflow::NodeDef def;
  def.set_name(name);
  def.set_op("Const");
  (*def.mutable_attr())["dtype"].set_type(
      static_cast<tensorflow::DataType>(value.dtype()));
  MS_RETURN_IF_ERROR(
      TensorToProto(value, (*def.mutable_attr())["value"].mutable_tensor()));
  *node = std::move(def);
  return absl::OkStatus();
}

class VariableFolder {
 public:
  VariableFolder(LoadedModel& model, const FreezeOptions& options,
                 tensorflow::GraphDef* graph)
      : model_(model), options_(options), graph_(graph) {}

  // Folds every variable read that `roots` need.
  absl::Status Run(const std::vector<std::string>& roots) {
    std::set<std::string> needed = NeededNodes(*graph_, roots);
    NodeIndex index = IndexNodes(*graph_);
    for (const std::string& name : needed) {
      tensorflow::NodeDef* node = graph_->mutable_node(index.at(name));
      if (node->op() == "VariableV2" || node->op() == "Variable") {
        if (!Wanted(node->name())) continue;
        MS_ASSIGN_OR_RETURN(Tensor value, VariableValue(model_, *node));
        MS_RETURN_IF_ERROR(MakeConst(node->name(), value, node));
        ++converted_;
      } else if (node->op() == "ReadVariableOp" ||
                 node->op() == "ResourceGather") {
        const tensorflow::NodeDef* handle = HandleOf(*node, index);
        if (handle == nullptr || !Wanted(handle->name())) continue;
        MS_ASSIGN_OR_RETURN(Tensor value, VariableValue(model_, *handle));
        if (node->op() == "ReadVariableOp") {
          MS_RETURN_IF_ERROR(MakeConst(node->name(), value, node));
        } else {
          MS_RETURN_IF_ERROR(GatherFromConst(value, node));
        }
        folded_handles_.insert(handle->name());
      }
    }
    converted_ += static_cast<int>(folded_handles_.size());
    return absl::OkStatus();
  }

  int converted() const { return converted_; }

 private:
  bool Wanted(const std::string& variable) const {
    if (options_.variable_denylist.count(variable)) return false;
    return options_.variable_allowlist.empty() ||
           options_.variable_allowlist.count(variable);
  }

  // The VarHandleOp a resource input comes from, through Identity nodes.
  const tensorflow::NodeDef* HandleOf(const tensorflow::NodeDef& node,
                                      const NodeIndex& index) const {
    if (node.input_size() == 0) return nullptr;
    std::string source = InputNodeName(node.input(0));
    for (int hops = 0; hops < 100; ++hops) {
      auto it = index.find(source);
      if (it == index.end()) return nullptr;
      const tensorflow::NodeDef& def = graph_->node(it->second);
      if (def.op() == "VarHandleOp") return &def;
      if (def.op() != "Identity" || def.input_size() == 0) return nullptr;
      source = InputNodeName(def.input(0));
    }
    return nullptr;
  }

  // ResourceGather(resource, indices) -> GatherV2(Const, indices, axis 0).
  absl::Status GatherFromConst(const Tensor& value, tensorflow::NodeDef* node) {
    const std::string params = node->name() + "/frozen_params";
    const std::string axis = node->name() + "/frozen_axis";
    MS_RETURN_IF_ERROR(MakeConst(params, value, graph_->add_node()));
    MS_RETURN_IF_ERROR(
        MakeConst(axis, Tensor::Scalar<int32_t>(0), graph_->add_node()));
    tensorflow::NodeDef gather;
    gather.set_name(node->name());
    gather.set_op("GatherV2");
    gather.add_input(params);
    gather.add_input(node->input(1));
    gather.add_input(axis);
    auto& attrs = *gather.mutable_attr();
    attrs["Tparams"].set_type(static_cast<tensorflow::DataType>(value.dtype()));
    auto tindices = node->attr().find("Tindices");
    if (tindices != node->attr().end()) attrs["Tindices"] = tindices->second;
    attrs["Taxis"].set_type(tensorflow::DT_INT32);
    auto batch_dims = node->attr().find("batch_dims");
    if (batch_dims != node->attr().end())
      attrs["batch_dims"] = batch_dims->second;
    *node = std::move(gather);
    return absl::OkStatus();
  }

  LoadedModel& model_;
  const FreezeOptions& options_;
  tensorflow::GraphDef* graph_;
  std::set<std::string> folded_handles_;
  int converted_ = 0;
};

// Tables the outputs read keep their HashTableV2 node; what initialized
// them (a vocabulary file, say) becomes InitializeTableV2 from constants
// holding the entries the load left, run by one NoOp "init_all_tables"
// (which the loader runs for frozen graphs).
absl::Status FreezeTables(LoadedModel& model, tensorflow::GraphDef* graph,
                          std::string* init_node) {
  std::vector<std::string> inits;
  const int original_size = graph->node_size();
  for (int i = 0; i < original_size; ++i) {
    const tensorflow::NodeDef node = graph->node(i);
    if (node.op() == "MutableHashTableV2" || node.op() == "HashTable" ||
        node.op() == "MutableHashTable" ||
        node.op() == "MutableDenseHashTableV2") {
      return absl::UnimplementedError(absl::StrCat(
          "cannot freeze lookup table '", node.name(), "' (", node.op(),
          "): only static HashTableV2 tables can be frozen"));
    }
    if (node.op() != "HashTableV2") continue;
    std::string name = StringAttr(node, "shared_name");
    auto sharing = node.attr().find("use_node_name_sharing");
    if (name.empty() && sharing != node.attr().end() && sharing->second.b()) {
      name = node.name();
    }
    // A table no init op filled is created here, empty, and refused below.
    absl::StatusOr<std::shared_ptr<LookupTable>> table =
        absl::FailedPreconditionError("no shared_name");
    if (!name.empty()) {
      table = model.resources()->LookupOrCreate<LookupTable>(
          StringAttr(node, "container"), name, [&]() {
            return std::make_shared<LookupTable>(DT_STRING, DT_STRING, name);
          });
    }
    if (!table.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "lookup table '", node.name(),
          "' is private to its node (no shared_name), so its contents "
          "cannot be read to freeze it"));
    }
    Tensor keys, values;
    MS_RETURN_IF_ERROR((*table)->Export(&keys, &values));
    const std::string keys_node = node.name() + "/frozen_keys";
    const std::string values_node = node.name() + "/frozen_values";
    MS_RETURN_IF_ERROR(MakeConst(keys_node, keys, graph->add_node()));
    MS_RETURN_IF_ERROR(MakeConst(values_node, values, graph->add_node()));
    tensorflow::NodeDef* init = graph->add_node();
    init->set_name(node.name() + "/frozen_init");
    init->set_op("InitializeTableV2");
    init->add_input(node.name());
    init->add_input(keys_node);
    init->add_input(values_node);
    (*init->mutable_attr())["Tkey"].set_type(
        static_cast<tensorflow::DataType>(keys.dtype()));
    (*init->mutable_attr())["Tval"].set_type(
        static_cast<tensorflow::DataType>(values.dtype()));
    inits.push_back(init->name());
  }
  if (inits.empty()) return absl::OkStatus();
  for (const auto& node : graph->node()) {
    if (node.name() == kTablesInitializer) {
      return absl::FailedPreconditionError(
          absl::StrCat("the outputs need a node named ", kTablesInitializer,
                       ", the name the frozen table initializer takes"));
    }
  }
  tensorflow::NodeDef* group = graph->add_node();
  group->set_name(kTablesInitializer);
  group->set_op("NoOp");
  for (const std::string& init : inits) group->add_input("^" + init);
  *init_node = kTablesInitializer;
  return absl::OkStatus();
}

// Drops colocation entries ("loc:@node") naming removed nodes, and devices.
void CleanAttrs(bool clear_devices, tensorflow::GraphDef* graph) {
  absl::flat_hash_set<std::string> present;
  for (const auto& node : graph->node()) present.insert(node.name());
  for (auto& node : *graph->mutable_node()) {
    if (clear_devices) node.clear_device();
    auto it = node.mutable_attr()->find("_class");
    if (it == node.mutable_attr()->end()) continue;
    auto* values = it->second.mutable_list()->mutable_s();
    google::protobuf::RepeatedPtrField<std::string> kept;
    for (const std::string& value : *values) {
      absl::string_view name = value;
      if (absl::ConsumePrefix(&name, "loc:@") &&
          !present.contains(std::string(name))) {
        continue;
      }
      *kept.Add() = value;
    }
    if (kept.empty()) {
      node.mutable_attr()->erase(it);
    } else {
      *values = std::move(kept);
    }
  }
}

// Keeps the library functions the remaining nodes (and those functions)
// still call: control-flow bodies that were not inlined.
void PruneLibrary(tensorflow::GraphDef* graph) {
  absl::flat_hash_map<std::string, const tensorflow::FunctionDef*> functions;
  for (const auto& function : graph->library().function()) {
    functions[function.signature().name()] = &function;
  }
  absl::flat_hash_set<std::string> used;
  std::vector<std::string> pending;
  auto note_node = [&](const tensorflow::NodeDef& node) {
    std::vector<std::string> names = {node.op()};
    for (const auto& [attr, value] : node.attr()) {
      if (value.has_func()) names.push_back(value.func().name());
      for (const auto& func : value.list().func()) names.push_back(func.name());
    }
    for (const std::string& name : names) {
      if (functions.contains(name) && used.insert(name).second) {
        pending.push_back(name);
      }
    }
  };
  for (const auto& node : graph->node()) note_node(node);
  while (!pending.empty()) {
    const tensorflow::FunctionDef* function = functions.at(pending.back());
    pending.pop_back();
    for (const auto& node : function->node_def()) note_node(node);
  }
  tensorflow::FunctionDefLibrary kept;
  for (const auto& function : graph->library().function()) {
    if (used.contains(function.signature().name())) {
      *kept.add_function() = function;
    }
  }
  for (const auto& gradient : graph->library().gradient()) {
    if (used.contains(gradient.function_name()))
      *kept.add_gradient() = gradient;
  }
  *graph->mutable_library() = std::move(kept);
}

// Gives inlined call outputs stable names: an Identity named after the call.
std::string NameOutput(const std::string& original, const InlinedTensor& now,
                       tensorflow::GraphDef* graph) {
  if (now.dtype == 0) return now.name;
  absl::flat_hash_set<std::string> taken;
  for (const auto& node : graph->node()) taken.insert(node.name());
  const std::string node = InputNodeName(original);
  const int index = InputOutputIndex(original);
  std::string name = index == 0 ? node : absl::StrCat(node, "_output_", index);
  for (int suffix = 1; taken.contains(name); ++suffix) {
    name = absl::StrCat(node, "_output_", index, "_", suffix);
  }
  tensorflow::NodeDef* identity = graph->add_node();
  identity->set_name(name);
  identity->set_op("Identity");
  identity->add_input(now.name);
  (*identity->mutable_attr())["T"].set_type(
      static_cast<tensorflow::DataType>(now.dtype));
  return name + ":0";
}

}  // namespace

absl::StatusOr<FreezeResult> FreezeLoadedModel(LoadedModel& model,
                                               const FreezeOptions& options) {
  FreezeResult result;
  result.graph = model.meta_graph().graph_def();
  tensorflow::GraphDef& graph = result.graph;
  if (graph.node_size() == 0) {
    return absl::FailedPreconditionError(
        "the model was loaded without its graph (LoadOptions.keep_graph_def)");
  }
  {
    NodeIndex index = IndexNodes(graph);
    for (const std::string& output : options.outputs) {
      if (!index.contains(InputNodeName(output))) {
        return absl::NotFoundError(
            absl::StrCat("output '", output, "' names no node of the graph"));
      }
    }
  }
  MS_ASSIGN_OR_RETURN(auto renamed,
                      InlineFunctionCalls(options.outputs, &graph));
  for (const std::string& output : options.outputs) {
    auto it = renamed.find(output);
    result.output_tensors.push_back(
        it == renamed.end()
            ? absl::StrCat(InputNodeName(output), ":", InputOutputIndex(output))
            : NameOutput(output, it->second, &graph));
  }

  VariableFolder folder(model, options, &graph);
  MS_RETURN_IF_ERROR(folder.Run(result.output_tensors));
  result.variables_converted = folder.converted();
  std::vector<std::string> roots = result.output_tensors;
  roots.insert(roots.end(), options.inputs.begin(), options.inputs.end());
  KeepNodes(NeededNodes(graph, roots), &graph);

  MS_RETURN_IF_ERROR(FreezeTables(model, &graph, &result.init_node));

  std::vector<std::string> left;
  for (const auto& node : graph.node()) {
    if (IsVariableOrSaveOp(node.op())) {
      // Variables the options keep are allowed to stay, with their reads.
      const bool kept_on_purpose =
          (node.op() == "VariableV2" || node.op() == "VarHandleOp" ||
           node.op() == "ReadVariableOp") &&
          (!options.variable_denylist.empty() ||
           !options.variable_allowlist.empty());
      if (!kept_on_purpose) {
        left.push_back(absl::StrCat(node.name(), " (", node.op(), ")"));
      }
    }
  }
  if (!left.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the outputs need ops that change or save state, which a frozen "
        "graph cannot hold: ",
        absl::StrJoin(left, ", ")));
  }
  CleanAttrs(options.clear_devices, &graph);
  PruneLibrary(&graph);
  return result;
}

}  // namespace model_server
