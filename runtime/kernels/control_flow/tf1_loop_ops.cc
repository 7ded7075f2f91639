// The TF1 while-loop ops: Enter, Exit, NextIteration, LoopCond and their Ref
// forms (RefEnter, RefExit, RefNextIteration).
//
// They are registered so that graphs using them resolve (output names and
// counts), but no kernel of theirs ever runs: the plan compiler finds each
// loop frame (runtime/tf1_loop_frames.h) and runs it as one structured loop
// step (runtime/tf1_while_loop.h). Attrs the loop honours: Enter's
// `frame_name` (which frame), `is_constant` (a loop invariant; an Enter that
// feeds no Merge is one too) and `parallel_iterations` (accepted; iterations
// run in order, which gives the same values). The factories below fail, so
// a loop op the compiler did not take into a loop is an error, not a
// silent identity.
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

absl::StatusOr<std::unique_ptr<OpKernel>> CreateLoopOp(
    const KernelConstruction& c) {
  return absl::InternalError(
      absl::StrCat(c.attrs.op(), " node '", c.node_name(),
                   "' should have been compiled into its while loop's step"));
}

}  // namespace

REGISTER_KERNEL(OpSpec("Enter").Output("output"), CreateLoopOp);
REGISTER_KERNEL(OpSpec("RefEnter").Output("output").RefInput(0), CreateLoopOp);
REGISTER_KERNEL(OpSpec("Exit").Output("output"), CreateLoopOp);
REGISTER_KERNEL(OpSpec("RefExit").Output("output").RefInput(0), CreateLoopOp);
REGISTER_KERNEL(OpSpec("NextIteration").Output("output"), CreateLoopOp);
REGISTER_KERNEL(OpSpec("RefNextIteration").Output("output").RefInput(0),
                CreateLoopOp);
REGISTER_KERNEL(OpSpec("LoopCond").Output("output"), CreateLoopOp);

}  // namespace model_server
