// Freezes a loaded model's graph: variables become Const nodes holding the
// values restore and init left, function calls are inlined
// (function_inliner.h), and the graph is pruned to what the outputs need, so
// no variable, save, restore or training op remains.
//
// Reads of a TF1 ref variable (VariableV2) keep their reader and the
// variable node becomes a Const of the same name; a TF2 resource read
// (ReadVariableOp) becomes a Const, and a ResourceGather a GatherV2 on one.
// A static lookup table (HashTableV2) the outputs read keeps its node and
// is filled by InitializeTableV2 from constants holding the entries the load
// left (a vocabulary file's, say); a NoOp "init_all_tables" runs those, and
// the loader runs it when it serves the frozen graph.
#ifndef MODEL_SERVER_MODEL_TOOL_FREEZE_GRAPH_FREEZER_H_
#define MODEL_SERVER_MODEL_TOOL_FREEZE_GRAPH_FREEZER_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "loader/loaded_model.h"
#include "tensorflow/core/framework/graph.pb.h"

namespace model_server {

struct FreezeOptions {
  // Tensors ("y:0") or nodes ("y") of the model's graph to keep.
  std::vector<std::string> outputs;
  // Signature inputs (placeholders) to keep even when the outputs do not
  // need them, so requests that send them still match the signature.
  std::vector<std::string> inputs;
  // Only these variables (node names) become constants; empty means all.
  std::set<std::string> variable_allowlist;
  // These variables stay variables (the frozen graph then needs them).
  std::set<std::string> variable_denylist;
  // Drop every node's device.
  bool clear_devices = true;
};

struct FreezeResult {
  tensorflow::GraphDef graph;
  // options.outputs[i] as a tensor of `graph` ("name:k"). An output of an
  // inlined call gets an Identity named after the call node (output 0) or
  // "<call>_output_<k>".
  std::vector<std::string> output_tensors;
  int variables_converted = 0;
  // "init_all_tables" when the graph has tables to fill at load, else "".
  std::string init_node;
};

// REQUIRES: `model` was loaded with LoadOptions.keep_graph_def. `model` is
// the caller's own load (not one that serves): reading a variable or table
// nothing created creates it, empty.
// Fails with NOT_FOUND for an unknown output, FAILED_PRECONDITION for a
// variable that was never initialized, a variable-consuming op it cannot
// rewrite or a table it cannot read (naming them), UNIMPLEMENTED for
// mutable lookup tables, and like InlineFunctionCalls.
absl::StatusOr<FreezeResult> FreezeLoadedModel(LoadedModel& model,
                                               const FreezeOptions& options);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_FREEZE_GRAPH_FREEZER_H_
