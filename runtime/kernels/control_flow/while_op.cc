// While and StatelessWhile: TF2's functional loop (tf.while_loop in a
// tf.function, Keras RNN layers, tf.map_fn).
//
// While(input: T) -> output: T
//   vars = input; while ToBool(cond(vars...)): vars = body(vars...);
//   output = vars. Zero iterations return the inputs unchanged. cond must
//   take T and return one tensor (converted to bool as If's condition); body
//   must take T and return T (checked every iteration, since each result
//   feeds the next one). Loop variables may be any dtype, resources and
//   variants (TensorLists) included.
// Iterations run one after another on the request's thread, each checking
// the request's deadline (OpKernelContext::RunFunction does, before cond and
// before body: DEADLINE_EXCEEDED); a loop whose condition never
// turns false runs until then, as in TensorFlow. parallel_iterations only
// allows TensorFlow to overlap iterations, which a sequential loop computes
// identically, so it is accepted and not used; so are output_shapes (shape
// invariants TensorFlow checked when it built the graph) and the lowering
// hints (_lower_using_switch_merge, _num_original_outputs, ...).
#include <memory>
#include <utility>
#include <vector>

#include "runtime/kernels/control_flow/function_branches.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class WhileKernel final : public OpKernel {
 public:
  WhileKernel(CalledFunction cond, CalledFunction body,
              std::vector<DataType> types)
      : cond_(std::move(cond)),
        body_(std::move(body)),
        types_(std::move(types)) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_ASSIGN_OR_RETURN(std::vector<DataType> types, TypeListAttr(c, "T"));
    MS_RETURN_IF_ERROR(CheckNumInputs(c, static_cast<int>(types.size())));
    MS_RETURN_IF_ERROR(CheckOutputShapesAttr(c));
    int64_t parallel_iterations = 10;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("parallel_iterations", int64_t{10},
                                     &parallel_iterations));
    MS_ASSIGN_OR_RETURN(CalledFunction cond,
                        CompileFunctionAttr(c, "cond", types, 1));
    MS_ASSIGN_OR_RETURN(
        CalledFunction body,
        CompileFunctionAttr(c, "body", types, static_cast<int>(types.size())));
    return std::unique_ptr<OpKernel>(
        new WhileKernel(std::move(cond), std::move(body), std::move(types)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    std::vector<Tensor> vars;
    vars.reserve(ctx.num_inputs());
    for (int i = 0; i < ctx.num_inputs(); ++i) vars.push_back(ctx.input(i));
    std::vector<Tensor> results;
    while (true) {
      MS_RETURN_IF_ERROR(ctx.RunFunction(*cond_.plan, vars, &results));
      MS_ASSIGN_OR_RETURN(bool go_on, ToBool(results[0]));
      if (!go_on) break;
      MS_RETURN_IF_ERROR(ctx.RunFunction(*body_.plan, vars, &results));
      MS_RETURN_IF_ERROR(CheckResultTypes(types_, results, body_.name));
      vars.swap(results);
    }
    return SetFunctionResults(ctx, types_, vars, body_.name);
  }

 private:
  const CalledFunction cond_;
  const CalledFunction body_;
  const std::vector<DataType> types_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("While").Output("output", "T"), WhileKernel::Create);
REGISTER_KERNEL(OpSpec("StatelessWhile").Output("output", "T"),
                WhileKernel::Create);

}  // namespace model_server
