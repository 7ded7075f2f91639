// Inlines function calls into the top-level graph, as freezing needs: a
// frozen graph has no function library to call into (control-flow functions
// such as While bodies stay in the library).
//
// A call is a PartitionedCall / StatefulPartitionedCall node (attr `f`) or a
// node whose op names a library function. The callee's body is copied in
// with its node names prefixed "<call node>/", its arguments replaced by the
// call's inputs and every consumer of "<call>:k" rewired to the body's k-th
// result ("^<call>" to the body's results and control results). Calls that
// the inlined bodies make are inlined in turn.
#ifndef MODEL_SERVER_MODEL_TOOL_FREEZE_FUNCTION_INLINER_H_
#define MODEL_SERVER_MODEL_TOOL_FREEZE_FUNCTION_INLINER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tensorflow/core/framework/graph.pb.h"

namespace model_server {

struct InlinedTensor {
  std::string name;  // the tensor that now computes it, GraphDef spelling
  int dtype = 0;     // the callee's output dtype
};

// Inlines every call that `roots` (tensor names) need, repeatedly, until
// they need none. Returns the new name of every root that named a call
// output (roots that did not are left out). Fails with INVALID_ARGUMENT for
// a malformed body, UNIMPLEMENTED for a polymorphic body (attr
// placeholders) and for recursion deeper than 64 calls.
absl::StatusOr<std::map<std::string, InlinedTensor>> InlineFunctionCalls(
    const std::vector<std::string>& roots, tensorflow::GraphDef* graph);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_FREEZE_FUNCTION_INLINER_H_
