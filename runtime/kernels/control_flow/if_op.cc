// If and StatelessIf: run one of two functions.
//
// If(cond: Tcond, input: Tin) -> output: Tout
//   runs then_branch(input...) when cond is true, else else_branch; cond
//   converts to bool as TensorFlow does (function_branches.h: a non-scalar
//   is true when non-empty). Both branches are compiled at load and must take
//   Tin and return len(Tout) results; the results must have dtypes Tout.
// Attrs output_shapes and the lowering hints TensorFlow's graph optimizer
// reads (_lower_using_switch_merge, _read_only_resource_inputs, ...) do not
// change what the op computes and are ignored.
#include <memory>
#include <utility>
#include <vector>

#include "runtime/kernels/control_flow/function_branches.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class IfKernel final : public OpKernel {
 public:
  IfKernel(CalledFunction then_branch, CalledFunction else_branch,
           std::vector<DataType> out_types)
      : then_branch_(std::move(then_branch)),
        else_branch_(std::move(else_branch)),
        out_types_(std::move(out_types)) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_ASSIGN_OR_RETURN(std::vector<DataType> in_types, TypeListAttr(c, "Tin"));
    MS_ASSIGN_OR_RETURN(std::vector<DataType> out_types,
                        TypeListAttr(c, "Tout"));
    MS_RETURN_IF_ERROR(
        CheckNumInputs(c, 1 + static_cast<int>(in_types.size())));
    MS_RETURN_IF_ERROR(CheckOutputShapesAttr(c));
    const int num_out = static_cast<int>(out_types.size());
    MS_ASSIGN_OR_RETURN(
        CalledFunction then_branch,
        CompileFunctionAttr(c, "then_branch", in_types, num_out));
    MS_ASSIGN_OR_RETURN(
        CalledFunction else_branch,
        CompileFunctionAttr(c, "else_branch", in_types, num_out));
    return std::unique_ptr<OpKernel>(new IfKernel(
        std::move(then_branch), std::move(else_branch), std::move(out_types)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(bool cond, ToBool(ctx.input(0)));
    return RunBranchOnInputs(ctx, cond ? then_branch_ : else_branch_,
                             /*first_input=*/1, out_types_);
  }

 private:
  const CalledFunction then_branch_;
  const CalledFunction else_branch_;
  const std::vector<DataType> out_types_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("If").Output("output", "Tout"), IfKernel::Create);
REGISTER_KERNEL(OpSpec("StatelessIf").Output("output", "Tout"),
                IfKernel::Create);

}  // namespace model_server
