// The TensorFlow 1 while loops of a graph being compiled into a plan.
//
// tf.while_loop (and tf.map_fn, dynamic_rnn, ... built on it) writes a loop
// into the GraphDef as a cycle of dataflow ops tagged with a frame name:
//
//   x0 -> Enter -> Merge -> Switch(pred) --true--> Identity -> body ->
//   NextIteration
//                   ^  \-> cond -> LoopCond --/       \--false--> Exit ->
//                   x_final
//                   \--------------------------- NextIteration <------/
//
// Loop invariants enter through Enter nodes with is_constant = true and are
// read by the condition and the body directly. TensorFlow's executor runs
// such a graph as tagged dataflow: every value carries its frame and
// iteration. This runtime does what TensorFlow's functionalize_control_flow
// does instead: it finds each frame when the plan is compiled and runs it as
// a structured loop with a condition plan and a body plan
// (tf1_while_loop.h), so the executor stays a straight list of steps.
//
// FindLoopFrames assigns every node the plan needs to the frame it runs in,
// with TensorFlow's rules: an Enter node runs in the child frame its
// `frame_name` attr names, an Exit node's output belongs to the parent of
// its frame, every other node runs in the frame of its inputs (data and
// control), and inputs from different frames are an error ("All inputs to
// node ... must be from the same frame."). Nested frames are found here but
// taken apart only when the enclosing loop's body plan is compiled, where
// they are top-level again.
//
// For each top-level frame it recognises tf.while_loop's structure: loop
// variables (a Merge of an Enter and a NextIteration), one LoopCond, the
// Switches of each variable on the LoopCond, and Exits reading a Switch's
// false output. Anything else fails with INVALID_ARGUMENT naming the frame
// and the node.
#ifndef MODEL_SERVER_RUNTIME_TF1_LOOP_FRAMES_H_
#define MODEL_SERVER_RUNTIME_TF1_LOOP_FRAMES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/graph.h"

namespace model_server {

// Loops nested deeper than this fail to compile (INVALID_ARGUMENT): each
// level is compiled by a recursive Plan::Compile.
inline constexpr int kMaxLoopNesting = 64;

// One loop-carried value of a frame.
struct LoopVariable {
  // The Merge (or RefMerge): the value in the current iteration.
  int merge = -1;
  // The Enter whose value is the first iteration's.
  int enter = -1;
  // The NextIteration whose input is the next iteration's value.
  int next_iteration = -1;
  // The Switch nodes of the value on the frame's LoopCond (one in graphs
  // tf.while_loop writes).
  std::vector<int> switches;
};

struct LoopFrame {
  std::string name;
  // Index of the enclosing frame in LoopFrames::frames(), or -1 when the
  // frame is entered from the level being compiled.
  int parent = -1;
  // The `parallel_iterations` attr of its first Enter. Iterations run one
  // after another here, which gives the same values.
  int parallel_iterations = 10;

  // Filled for top-level frames only. Node indices of the graph.
  // Enter nodes of this frame (not of nested ones), in graph order. The loop
  // step's inputs are their inputs, in this order.
  std::vector<int> enters;
  std::vector<LoopVariable> variables;
  int loop_cond = -1;
  // Needed Exit nodes in graph order, and the variable each one returns.
  std::vector<int> exits;
  std::vector<int> exit_variables;
  // Every needed node of the frame and of frames nested in it.
  std::vector<int> members;
};

class LoopFrames {
 public:
  // Analyses the nodes marked in `needed`. Nodes marked in `sources` (fed
  // nodes) are taken as given: their inputs are not followed and they belong
  // to the level being compiled. Fails with INVALID_ARGUMENT for frames
  // whose structure is not a while loop, mixed-frame inputs, loop ops
  // outside any frame, and frames nested deeper than kMaxLoopNesting.
  static absl::StatusOr<LoopFrames> Find(const Graph& graph,
                                         const std::vector<bool>& needed,
                                         const std::vector<bool>& sources);

  const std::vector<LoopFrame>& frames() const { return frames_; }
  // Top-level frames, in the order of their first member node.
  const std::vector<int>& top_level_frames() const { return top_level_; }
  // The top-level frame `node` runs in (directly or nested), or -1 when it
  // runs at the level being compiled. An Exit of a top-level frame belongs
  // to that frame.
  int TopLevelFrameOf(int node) const { return top_level_of_[node]; }
  // OK if tensor `id` can be read at the level being compiled (a fetch): it
  // is not produced inside a loop, except by a top-level frame's Exit.
  absl::Status CheckReadableOutside(const Graph& graph, int node) const;

 private:
  std::vector<LoopFrame> frames_;
  std::vector<int> top_level_;
  // Per node: the frame it runs in (-1: the level being compiled).
  std::vector<int> frame_of_;
  std::vector<int> top_level_of_;

  friend class LoopFrameFinder;
};

// Op predicates of the TF1 control-flow ops (plain and Ref forms).
bool IsEnterOp(const std::string& op);
bool IsExitOp(const std::string& op);
bool IsNextIterationOp(const std::string& op);
bool IsMergeOp(const std::string& op);
bool IsSwitchOp(const std::string& op);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_TF1_LOOP_FRAMES_H_
