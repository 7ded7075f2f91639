// Small GraphDef helpers the freezer shares: tensor-name parsing, which nodes
// some tensors need, and rewiring consumers from one tensor to another.
#ifndef MODEL_SERVER_MODEL_TOOL_FREEZE_GRAPH_EDIT_H_
#define MODEL_SERVER_MODEL_TOOL_FREEZE_GRAPH_EDIT_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tensorflow/core/framework/graph.pb.h"

namespace model_server {

// "^a" -> "a", "a:2" -> "a", "a" -> "a".
std::string InputNodeName(absl::string_view input);
// "a:2" -> 2, "a" -> 0, "^a" -> -1 (control).
int InputOutputIndex(absl::string_view input);
// The GraphDef spelling of output `index` of `node`: "a" for 0, "a:2".
std::string TensorRef(const std::string& node, int index);

// Names of the nodes that `roots` (tensor or node names) need, following
// data and control inputs. Inputs naming absent nodes are ignored.
std::set<std::string> NeededNodes(const tensorflow::GraphDef& graph,
                                  const std::vector<std::string>& roots);

// Keeps only the nodes in `keep` (in their order).
void KeepNodes(const std::set<std::string>& keep, tensorflow::GraphDef* graph);

// Replaces every input of every node per `data` (old "node"/"node:k"
// spelling, both accepted, -> new tensor) and `control` (old node -> new
// control dependencies, "^" left out; an empty list drops the edge).
void RewireInputs(
    const std::map<std::string, std::string>& data,
    const std::map<std::string, std::vector<std::string>>& control,
    tensorflow::GraphDef* graph);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_FREEZE_GRAPH_EDIT_H_
