// Infers a `serving_default` signature for a graph that has none: a frozen
// GraphDef, or a TF1 checkpoint's MetaGraphDef without signature_defs.
//
// Inputs are the graph's Placeholder nodes (alias = node name) that the
// outputs need; a graph may have none (its inputs were frozen into
// constants). Outputs are every output of every sink node (one no other
// node consumes, by data or control edge) that is not save, restore, init
// or training plumbing (listed in IsPlumbing): alias = node name for output
// 0 and "name:k" for output k > 0. The method name is
// tensorflow/serving/predict. Dtypes and shapes come from the nodes' attrs
// where they say (Placeholder dtype/shape, `_output_shapes`, T, dtype,
// DstT, out_type, ...), else DT_INVALID and unknown rank.
#ifndef MODEL_SERVER_LOADER_SIGNATURE_INFERENCE_H_
#define MODEL_SERVER_LOADER_SIGNATURE_INFERENCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tensorflow/core/framework/graph.pb.h"
#include "tensorflow/core/framework/node_def.pb.h"
#include "tensorflow/core/protobuf/meta_graph.pb.h"

namespace model_server {

// Fails with FAILED_PRECONDITION when the graph has no sink that is not
// plumbing (a training graph whose prediction feeds its loss), saying to
// name the signature in signatures.pbtxt.
absl::StatusOr<tensorflow::SignatureDef> InferServingSignature(
    const tensorflow::GraphDef& graph);

// A predict signature whose outputs are `outputs` (tensor names "y:0" or
// node names "y"; alias = the name as given) and whose inputs are the
// Placeholders they need. Fails with NOT_FOUND for an unknown node.
absl::StatusOr<tensorflow::SignatureDef> SignatureForOutputs(
    const tensorflow::GraphDef& graph, const std::vector<std::string>& outputs);

// True for ops that hold, read, assign, save or restore variables, and for
// optimizer updates (Apply*, ResourceApply*, ...): what a frozen graph must
// not contain.
bool IsVariableOrSaveOp(const std::string& op);

// True for nodes that are never a served output: IsVariableOrSaveOp, the
// save/ scope, initializers, gradients/ and summaries, NoOp, Assert and
// Placeholders.
bool IsPlumbing(const tensorflow::NodeDef& node);

// The dtype of output `index` of `node` as far as its attrs tell, or
// DT_INVALID (0).
int OutputDtypeFromAttrs(const tensorflow::NodeDef& node, int index);

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_SIGNATURE_INFERENCE_H_
