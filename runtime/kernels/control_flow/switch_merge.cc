// Switch and Merge: the dataflow control-flow pair a TF1 tf.cond is built
// from. The executor (executor.h) implements the dead-value rules; these
// kernels only choose which outputs are live.
//
// Switch(data, pred: bool scalar) -> (output_false, output_true): forwards
//   `data` to output_true if pred is true, else to output_false; the other
//   output is dead. Any dtype. If either input is dead the executor skips the
//   node and both outputs are dead.
// RefSwitch: Switch whose `data` is a variable reference; the reference is
//   forwarded (a plain value edge is forwarded as a value).
// Merge(inputs: N x T) -> (output, value_index: int32 scalar): forwards the
//   first live input (lowest index; TensorFlow takes whichever arrives first,
//   and a well-formed graph has only one) and its index. Runs even when
//   inputs are dead (OpSpec::AcceptsDeadInputs); with every input dead both
//   outputs are dead.
//
// RefMerge: Merge whose inputs may be variable references; a live reference
//   input is forwarded as the reference. References pass on the first two
//   inputs (what tf.cond writes); further inputs are read as values.
//
// The while-loop ops (Enter, Exit, NextIteration, LoopCond) are in
// tf1_loop_ops.cc; the plan compiler runs each loop as one step
// (runtime/tf1_while_loop.h), so a Merge of a loop variable never runs here.
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class SwitchKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    if (c.num_inputs != 2) {
      return c.attrs.Error(
          absl::StrCat("expects 2 inputs (data, pred), got ", c.num_inputs));
    }
    return std::unique_ptr<OpKernel>(new SwitchKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& pred = ctx.input(1);
    if (pred.dtype() != DT_BOOL) {
      return ctx.InvalidArgument(
          absl::StrCat("The second input must be a bool scalar, but it is ",
                       DataTypeName(pred.dtype())));
    }
    if (pred.rank() != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("The second input must be a scalar, but it has shape ",
                       pred.shape().DebugString()));
    }
    const int taken = pred.scalar<bool>() ? 1 : 0;
    if (ctx.ref_input(0) != nullptr) {
      ctx.set_output_ref(taken, ctx.ref_input(0));
    } else {
      ctx.set_output(taken, ctx.input(0));
    }
    ctx.set_output_dead(1 - taken);
    return absl::OkStatus();
  }
};

class MergeKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    int64_t n = 0;
    MS_RETURN_IF_ERROR(c.attrs.Get("N", &n));
    if (n < 1 || n != c.num_inputs) {
      return c.attrs.Error(absl::StrCat("attr N = ", n, " but the node has ",
                                        c.num_inputs, " inputs"));
    }
    return std::unique_ptr<OpKernel>(new MergeKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      if (ctx.input_is_dead(i)) continue;
      if (ctx.ref_input(i) != nullptr) {
        ctx.set_output_ref(0, ctx.ref_input(i));
      } else {
        ctx.set_output(0, ctx.input(i));
      }
      MS_ASSIGN_OR_RETURN(Tensor * index,
                          ctx.allocate_output(1, DT_INT32, TensorShape()));
      index->data<int32_t>()[0] = i;
      return absl::OkStatus();
    }
    ctx.set_output_dead(0);
    ctx.set_output_dead(1);
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("Switch").Output("output_false").Output("output_true"),
                SwitchKernel::Create);
REGISTER_KERNEL(OpSpec("RefSwitch")
                    .Output("output_false")
                    .Output("output_true")
                    .RefInput(0),
                SwitchKernel::Create);
REGISTER_KERNEL(
    OpSpec("Merge").Output("output").Output("value_index").AcceptsDeadInputs(),
    MergeKernel::Create);
REGISTER_KERNEL(OpSpec("RefMerge")
                    .Output("output")
                    .Output("value_index")
                    .RefInput(0)
                    .RefInput(1)
                    .AcceptsDeadInputs(),
                MergeKernel::Create);

}  // namespace model_server
