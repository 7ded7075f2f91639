// For: a counted functional loop (TensorFlow's For op, used by
// tf.function-converted `for i in tf.range(...)` loops in some exporters).
//
// For(start: int32, limit: int32, delta: int32, input: T) -> output: T
//   vars = input; for i = start; delta > 0 ? i < limit : i > limit;
//   i += delta: vars = body(i, vars...); output = vars. start, limit and
//   delta are scalars; a loop that would never reach limit (delta pointing
//   away from it, or 0 with start != limit) is INVALID_ARGUMENT
//   "Invalid start/limit/delta: s l d", as TensorFlow. body takes the int32
//   counter followed by T and returns T. Each iteration checks the
//   request's deadline (OpKernelContext::RunFunction does).
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/control_flow/function_branches.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

absl::StatusOr<int32_t> Int32Scalar(const Tensor& t, absl::string_view what) {
  if (t.dtype() != DT_INT32 || t.rank() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " must be an int32 scalar, but got ",
                     DataTypeName(t.dtype()), " ", t.shape().DebugString()));
  }
  return t.scalar<int32_t>();
}

class ForKernel final : public OpKernel {
 public:
  ForKernel(CalledFunction body, std::vector<DataType> types)
      : body_(std::move(body)), types_(std::move(types)) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_ASSIGN_OR_RETURN(std::vector<DataType> types, TypeListAttr(c, "T"));
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3 + static_cast<int>(types.size())));
    std::vector<DataType> body_args = {DT_INT32};
    body_args.insert(body_args.end(), types.begin(), types.end());
    MS_ASSIGN_OR_RETURN(CalledFunction body,
                        CompileFunctionAttr(c, "body", body_args,
                                            static_cast<int>(types.size())));
    return std::unique_ptr<OpKernel>(
        new ForKernel(std::move(body), std::move(types)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(int32_t start, Int32Scalar(ctx.input(0), "start"));
    MS_ASSIGN_OR_RETURN(int32_t limit, Int32Scalar(ctx.input(1), "limit"));
    MS_ASSIGN_OR_RETURN(int32_t delta, Int32Scalar(ctx.input(2), "delta"));
    if (!((delta > 0 && start <= limit) || (delta < 0 && start >= limit) ||
          (delta == 0 && start == limit))) {
      return ctx.InvalidArgument(absl::StrCat(
          "Invalid start/limit/delta: ", start, " ", limit, " ", delta));
    }
    std::vector<Tensor> args(1 + types_.size());
    for (size_t i = 0; i < types_.size(); ++i) {
      args[1 + i] = ctx.input(3 + static_cast<int>(i));
    }
    std::vector<Tensor> results;
    // int64 so that i += delta cannot overflow past limit.
    for (int64_t i = start; delta > 0 ? i < limit : i > limit; i += delta) {
      args[0] = Tensor::Scalar(static_cast<int32_t>(i));
      MS_RETURN_IF_ERROR(ctx.RunFunction(*body_.plan, args, &results));
      MS_RETURN_IF_ERROR(CheckResultTypes(types_, results, body_.name));
      for (size_t k = 0; k < results.size(); ++k) {
        args[1 + k] = std::move(results[k]);
      }
    }
    std::vector<Tensor> outputs(args.begin() + 1, args.end());
    return SetFunctionResults(ctx, types_, outputs, body_.name);
  }

 private:
  const CalledFunction body_;
  const std::vector<DataType> types_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("For").Output("output", "T"), ForKernel::Create);

}  // namespace model_server
