#include "model_tool/freeze/function_inliner.h"

#include <memory>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "model_tool/freeze/graph_edit.h"
#include "runtime/function_library.h"
#include "runtime/graph.h"
#include "runtime/status_macros.h"
#include "tensorflow/core/framework/function.pb.h"

namespace model_server {
namespace {

constexpr int kMaxInlineRounds = 64;

// The function a node calls, or null.
const tensorflow::FunctionDef* CalledFunction(
    const tensorflow::NodeDef& node,
    const absl::flat_hash_map<std::string, const tensorflow::FunctionDef*>&
        functions) {
  std::string name = node.op();
  if (node.op() == "PartitionedCall" ||
      node.op() == "StatefulPartitionedCall") {
    auto f = node.attr().find("f");
    if (f == node.attr().end()) return nullptr;
    name = f->second.func().name();
  }
  auto it = functions.find(name);
  return it == functions.end() ? nullptr : it->second;
}

bool HasAttrPlaceholder(const tensorflow::NodeDef& node) {
  for (const auto& [name, value] : node.attr()) {
    if (!value.placeholder().empty()) return true;
  }
  return false;
}

struct CallRewrite {
  std::vector<InlinedTensor> outputs;  // by call output index
  std::vector<std::string> control;    // nodes "^call" now waits for
};

// Copies the body of `function` into `graph` for call node `call`.
absl::StatusOr<CallRewrite> InlineOne(
    const tensorflow::NodeDef& call, const tensorflow::FunctionDef& function,
    const FunctionLibrary& library,
    const absl::flat_hash_set<std::string>& taken,
    tensorflow::GraphDef* graph) {
  const std::string& fname = function.signature().name();
  auto error = [&](const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat("cannot inline function ",
                                                   fname, " called by node '",
                                                   call.name(), "': ", what));
  };
  MS_ASSIGN_OR_RETURN(std::unique_ptr<Graph> body,
                      Graph::FromFunctionDef(function, &library));
  std::vector<std::string> call_inputs, call_controls;
  for (const std::string& input : call.input()) {
    if (!input.empty() && input[0] == '^') {
      call_controls.push_back(input.substr(1));
    } else {
      call_inputs.push_back(input);
    }
  }
  if (call_inputs.size() != body->arg_nodes().size()) {
    return error(absl::StrCat("the call passes ", call_inputs.size(),
                              " inputs, the function takes ",
                              body->arg_nodes().size()));
  }
  const std::string prefix = call.name() + "/";
  absl::flat_hash_map<int, int> arg_of;  // body node index -> arg position
  for (size_t i = 0; i < body->arg_nodes().size(); ++i) {
    arg_of[body->arg_nodes()[i]] = static_cast<int>(i);
  }
  auto outer = [&](TensorId id) -> std::string {
    auto arg = arg_of.find(id.node);
    if (arg != arg_of.end()) return call_inputs[arg->second];
    return TensorRef(prefix + body->node(id.node).name(), id.output);
  };

  for (size_t i = 0; i < body->nodes().size(); ++i) {
    if (arg_of.count(static_cast<int>(i))) continue;
    const GraphNode& node = body->node(static_cast<int>(i));
    if (!node.error.empty()) return error(node.error);
    if (HasAttrPlaceholder(*node.def)) {
      return absl::UnimplementedError(absl::StrCat(
          "cannot inline function ", fname, ": node '", node.name(),
          "' has attrs bound at call time (a polymorphic function)"));
    }
    tensorflow::NodeDef* copy = graph->add_node();
    *copy = *node.def;
    copy->set_name(prefix + node.name());
    if (taken.contains(copy->name())) {
      return error(absl::StrCat("the inlined node name '", copy->name(),
                                "' is already taken"));
    }
    copy->clear_input();
    for (const TensorId& input : node.inputs) {
      if (input.node < 0) return error("a node input does not resolve");
      copy->add_input(outer(input));
    }
    for (int control : node.control_inputs) {
      auto arg = arg_of.find(control);
      if (arg != arg_of.end()) {
        copy->add_input("^" + InputNodeName(call_inputs[arg->second]));
      } else {
        copy->add_input("^" + prefix + body->node(control).name());
      }
    }
    // The call's own control dependencies hold for the whole body; nodes
    // with inputs inherit them through those.
    if (node.inputs.empty() && node.control_inputs.empty()) {
      for (const std::string& dep : call_controls) copy->add_input("^" + dep);
    }
  }

  CallRewrite rewrite;
  for (size_t k = 0; k < body->rets().size(); ++k) {
    InlinedTensor out;
    out.name = outer(body->rets()[k]);
    out.dtype = function.signature().output_arg(static_cast<int>(k)).type();
    rewrite.outputs.push_back(out);
    rewrite.control.push_back(InputNodeName(out.name));
  }
  for (int node : body->control_rets()) {
    rewrite.control.push_back(prefix + body->node(node).name());
  }
  return rewrite;
}

}  // namespace

absl::StatusOr<std::map<std::string, InlinedTensor>> InlineFunctionCalls(
    const std::vector<std::string>& roots, tensorflow::GraphDef* graph) {
  ResourceManager unused_resources;
  FunctionLibrary library(graph->library(), &unused_resources, "");
  absl::flat_hash_map<std::string, const tensorflow::FunctionDef*> functions;
  for (const auto& function : graph->library().function()) {
    functions[function.signature().name()] = &function;
  }
  // Each root's current tensor (normalized "node" / "node:k").
  std::map<std::string, InlinedTensor> current;
  for (const std::string& root : roots) {
    current[root] = InlinedTensor{
        TensorRef(InputNodeName(root), InputOutputIndex(root)), 0};
  }
  std::map<std::string, InlinedTensor> renamed;
  for (int round = 0;; ++round) {
    std::vector<std::string> current_roots;
    for (const auto& [root, tensor] : current) {
      current_roots.push_back(tensor.name);
    }
    std::set<std::string> needed = NeededNodes(*graph, current_roots);
    std::vector<int> calls;
    for (int i = 0; i < graph->node_size(); ++i) {
      if (needed.count(graph->node(i).name()) &&
          CalledFunction(graph->node(i), functions) != nullptr) {
        calls.push_back(i);
      }
    }
    if (calls.empty()) break;
    if (round >= kMaxInlineRounds) {
      return absl::UnimplementedError(
          absl::StrCat("cannot inline function calls nested deeper than ",
                       kMaxInlineRounds, " (recursion?)"));
    }
    absl::flat_hash_set<std::string> taken;
    for (const auto& node : graph->node()) taken.insert(node.name());
    std::map<std::string, InlinedTensor> data;
    std::map<std::string, std::vector<std::string>> control;
    std::set<std::string> removed;
    for (int index : calls) {
      // Copy: adding nodes may move the call's NodeDef.
      const tensorflow::NodeDef call = graph->node(index);
      MS_ASSIGN_OR_RETURN(CallRewrite rewrite,
                          InlineOne(call, *CalledFunction(call, functions),
                                    library, taken, graph));
      for (size_t k = 0; k < rewrite.outputs.size(); ++k) {
        data[TensorRef(call.name(), static_cast<int>(k))] = rewrite.outputs[k];
      }
      control[call.name()] = rewrite.control;
      removed.insert(call.name());
    }
    // A result may name another call inlined in this round: follow chains.
    auto resolve = [&](InlinedTensor tensor) {
      for (int hops = 0; hops < 1000; ++hops) {
        auto next = data.find(tensor.name);
        if (next == data.end()) break;
        int dtype = tensor.dtype != 0 ? tensor.dtype : next->second.dtype;
        tensor = next->second;
        if (tensor.dtype == 0) tensor.dtype = dtype;
      }
      return tensor;
    };
    std::map<std::string, std::string> rewiring;
    for (const auto& [old_name, tensor] : data) {
      rewiring[old_name] = resolve(tensor).name;
    }
    // Control results may also name calls inlined in this round.
    for (auto& [name, deps] : control) {
      std::vector<std::string> expanded;
      std::vector<std::string> pending = deps;
      std::set<std::string> seen;
      while (!pending.empty()) {
        std::string dep = pending.back();
        pending.pop_back();
        if (!seen.insert(dep).second) continue;
        auto nested = control.find(dep);
        if (nested != control.end() && dep != name) {
          pending.insert(pending.end(), nested->second.begin(),
                         nested->second.end());
        } else if (!removed.count(dep)) {
          expanded.push_back(dep);
        }
      }
      deps = expanded;
    }
    RewireInputs(rewiring, control, graph);
    for (auto& [root, tensor] : current) {
      if (!data.count(tensor.name)) continue;
      InlinedTensor resolved = resolve(data.at(tensor.name));
      if (resolved.dtype == 0) resolved.dtype = tensor.dtype;
      tensor = resolved;
      renamed[root] = tensor;
    }
    std::set<std::string> keep;
    for (const auto& node : graph->node()) {
      if (!removed.count(node.name())) keep.insert(node.name());
    }
    KeepNodes(keep, graph);
  }
  return renamed;
}

}  // namespace model_server
