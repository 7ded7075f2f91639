// The step that runs one TensorFlow 1 while loop (a frame found by
// tf1_loop_frames.h) as a structured loop.
//
// The plan compiler replaces every node of a top-level frame, nested frames
// included, by one step. Its inputs are the inputs of the frame's Enter
// nodes (LoopFrame::enters order), its outputs the values of the frame's
// Exit nodes (LoopFrame::exits order). It holds two plans compiled from the
// same graph:
//
//   condition: fed each loop variable's Merge and every Enter; fetches the
//              LoopCond's input;
//   body:      fed the same, plus each variable's Switch (true output) and
//              the LoopCond (true); fetches each NextIteration's input.
//
// Compute sets each variable to its Enter's value and then, while the
// condition is true, replaces the variables by the body's results; an Exit
// outputs its variable's last value. A loop whose condition is false at
// once runs the body zero times. Loop invariants (Enters with
// is_constant = true, and any Enter that feeds no Merge) keep their value in
// every iteration. Nested loops are steps of the outer body plan, compiled
// the same way.
//
// Iterations run one after another on the request's thread:
// `parallel_iterations` only lets TensorFlow overlap iterations and does not
// change values. The condition and body run through
// OpKernelContext::RunFunction, which checks the request's deadline before
// every run, so a loop that never ends fails with DEADLINE_EXCEEDED;
// TensorFlow bounds TF1 loops only through their own condition
// (maximum_iterations is part of it). A loop in an untaken tf.cond branch
// has dead Enter inputs: the executor skips the step and every Exit is dead,
// as in TensorFlow.
//
// Values inside the loop are plain tensors. A RefEnter reads its variable
// once, when the loop starts (TensorFlow would pass the reference, which
// differs only when the body assigns to the variable; frozen and serving
// graphs do not). A value inside the loop that becomes dead (a fetch of the
// body on an untaken branch) fails the run with INVALID_ARGUMENT.
#ifndef MODEL_SERVER_RUNTIME_TF1_WHILE_LOOP_H_
#define MODEL_SERVER_RUNTIME_TF1_WHILE_LOOP_H_

#include <memory>

#include "absl/status/statusor.h"
#include "runtime/graph.h"
#include "runtime/op_kernel.h"
#include "runtime/plan.h"
#include "runtime/tf1_loop_frames.h"

namespace model_server {

// Compiles the condition and body plans of top-level `frame` of `graph`.
// Fails as Plan::Compile does (UNIMPLEMENTED listing missing ops, ...) and
// with INVALID_ARGUMENT for malformed loop nodes.
absl::StatusOr<std::unique_ptr<OpKernel>> MakeTf1WhileLoopKernel(
    const Graph& graph, const LoopFrame& frame, const CompileEnv& env);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_TF1_WHILE_LOOP_H_
