#include "model_tool/freeze/graph_edit.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace model_server {

std::string InputNodeName(absl::string_view input) {
  if (!input.empty() && input[0] == '^') input.remove_prefix(1);
  size_t colon = input.rfind(':');
  int index;
  if (colon != absl::string_view::npos &&
      absl::SimpleAtoi(input.substr(colon + 1), &index)) {
    input = input.substr(0, colon);
  }
  return std::string(input);
}

int InputOutputIndex(absl::string_view input) {
  if (!input.empty() && input[0] == '^') return -1;
  size_t colon = input.rfind(':');
  int index = 0;
  if (colon != absl::string_view::npos &&
      absl::SimpleAtoi(input.substr(colon + 1), &index)) {
    return index;
  }
  return 0;
}

std::string TensorRef(const std::string& node, int index) {
  return index == 0 ? node : absl::StrCat(node, ":", index);
}

std::set<std::string> NeededNodes(const tensorflow::GraphDef& graph,
                                  const std::vector<std::string>& roots) {
  absl::flat_hash_map<std::string, int> by_name;
  for (int i = 0; i < graph.node_size(); ++i) by_name[graph.node(i).name()] = i;
  std::set<std::string> needed;
  std::vector<int> stack;
  auto visit = [&](const std::string& name) {
    auto it = by_name.find(name);
    if (it != by_name.end() && needed.insert(name).second) {
      stack.push_back(it->second);
    }
  };
  for (const std::string& root : roots) visit(InputNodeName(root));
  while (!stack.empty()) {
    const auto& node = graph.node(stack.back());
    stack.pop_back();
    for (const std::string& input : node.input()) visit(InputNodeName(input));
  }
  return needed;
}

void KeepNodes(const std::set<std::string>& keep, tensorflow::GraphDef* graph) {
  auto* nodes = graph->mutable_node();
  int kept = 0;
  for (int i = 0; i < nodes->size(); ++i) {
    if (!keep.count(nodes->Get(i).name())) continue;
    if (kept != i) nodes->SwapElements(kept, i);
    ++kept;
  }
  while (nodes->size() > kept) nodes->RemoveLast();
}

void RewireInputs(
    const std::map<std::string, std::string>& data,
    const std::map<std::string, std::vector<std::string>>& control,
    tensorflow::GraphDef* graph) {
  for (auto& node : *graph->mutable_node()) {
    google::protobuf::RepeatedPtrField<std::string> inputs;
    for (const std::string& input : node.input()) {
      const std::string name = InputNodeName(input);
      const int index = InputOutputIndex(input);
      if (index < 0) {
        auto it = control.find(name);
        if (it == control.end()) {
          *inputs.Add() = input;
        } else {
          for (const std::string& dep : it->second) *inputs.Add() = "^" + dep;
        }
        continue;
      }
      auto it = data.find(TensorRef(name, index));
      *inputs.Add() = it == data.end() ? input : it->second;
    }
    // Data inputs must come before control inputs.
    std::stable_partition(
        inputs.begin(), inputs.end(),
        [](const std::string& s) { return s.empty() || s[0] != '^'; });
    *node.mutable_input() = std::move(inputs);
  }
}

}  // namespace model_server
