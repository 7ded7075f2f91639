// Case and StatelessCase: run one of N functions, chosen by an index.
//
// Case(branch_index: int32, input: Tin) -> output: Tout
//   runs branches[branch_index](input...); an index outside [0, N) runs the
//   last branch (the default of tf.switch_case). branch_index must be a
//   scalar. Every branch is compiled at load and must take Tin and return
//   len(Tout) results, which must have dtypes Tout.
// Attrs output_shapes and lowering hints (_lower_using_switch_merge, ...)
// are ignored, as for If.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/control_flow/function_branches.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class CaseKernel final : public OpKernel {
 public:
  CaseKernel(std::vector<CalledFunction> branches,
             std::vector<DataType> out_types)
      : branches_(std::move(branches)), out_types_(std::move(out_types)) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_ASSIGN_OR_RETURN(std::vector<DataType> in_types, TypeListAttr(c, "Tin"));
    MS_ASSIGN_OR_RETURN(std::vector<DataType> out_types,
                        TypeListAttr(c, "Tout"));
    MS_RETURN_IF_ERROR(
        CheckNumInputs(c, 1 + static_cast<int>(in_types.size())));
    MS_RETURN_IF_ERROR(CheckOutputShapesAttr(c));
    std::vector<std::string> names;
    MS_RETURN_IF_ERROR(c.attrs.GetFunctionNames("branches", &names));
    if (names.empty()) {
      return c.attrs.Error("attr 'branches' must name at least one function");
    }
    std::vector<CalledFunction> branches;
    for (size_t i = 0; i < names.size(); ++i) {
      MS_ASSIGN_OR_RETURN(
          CalledFunction branch,
          CompileCalledFunction(c, absl::StrCat("branches[", i, "]"), names[i],
                                in_types, static_cast<int>(out_types.size())));
      branches.push_back(std::move(branch));
    }
    return std::unique_ptr<OpKernel>(
        new CaseKernel(std::move(branches), std::move(out_types)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& branch_index = ctx.input(0);
    if (branch_index.rank() != 0) {
      return ctx.InvalidArgument("branch_index must be scalar");
    }
    MS_ASSIGN_OR_RETURN(int64_t index,
                        ScalarIndex(branch_index, "branch_index"));
    const int64_t n = static_cast<int64_t>(branches_.size());
    const CalledFunction& branch =
        branches_[index < 0 || index >= n ? n - 1 : index];
    return RunBranchOnInputs(ctx, branch, /*first_input=*/1, out_types_);
  }

 private:
  const std::vector<CalledFunction> branches_;
  const std::vector<DataType> out_types_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("Case").Output("output", "Tout"), CaseKernel::Create);
REGISTER_KERNEL(OpSpec("StatelessCase").Output("output", "Tout"),
                CaseKernel::Create);

}  // namespace model_server
