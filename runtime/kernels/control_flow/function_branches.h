// What the functional control-flow kernels (If, Case, While, For) share:
// compiling the functions their attrs name, checking them against the
// node's declared types at load, and TensorFlow's rules for turning a
// tensor into a condition and for checking results.
//
// The functions are compiled once, when the model loads
// (FunctionLibrary::Instantiate); a request only runs their plans through
// OpKernelContext::RunFunction, so nesting is bounded by
// RunOptions::max_call_depth and loops stop at the request's deadline.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_CONTROL_FLOW_FUNCTION_BRANCHES_H_
#define MODEL_SERVER_RUNTIME_KERNELS_CONTROL_FLOW_FUNCTION_BRANCHES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "runtime/op_kernel.h"
#include "runtime/plan.h"
#include "runtime/tensor.h"

namespace model_server {

// A compiled function a control-flow node calls, with its name for errors.
struct CalledFunction {
  std::string name;
  std::shared_ptr<const Plan> plan;
};

// Compiles `function_name` for node `c` and checks it takes `arg_types`
// (count and each declared argument dtype) and returns `num_results`
// tensors. `role` names the attr in errors ("then_branch", "body", ...).
// Fails with the function's own compile error (UNIMPLEMENTED for missing
// ops inside it) or INVALID_ARGUMENT naming the node and the mismatch.
absl::StatusOr<CalledFunction> CompileCalledFunction(
    const KernelConstruction& c, absl::string_view role,
    const std::string& function_name, absl::Span<const DataType> arg_types,
    int num_results);

// The function named by func attr `attr`, compiled as above.
absl::StatusOr<CalledFunction> CompileFunctionAttr(
    const KernelConstruction& c, absl::string_view attr,
    absl::Span<const DataType> arg_types, int num_results);

// The dtypes of list(type) attr `attr` (T, Tin, Tout).
absl::StatusOr<std::vector<DataType>> TypeListAttr(const KernelConstruction& c,
                                                   absl::string_view attr);

// Reads the optional `output_shapes` attr (list(shape)); TensorFlow does not
// enforce it at run time and neither do we, but a malformed one is an error.
absl::Status CheckOutputShapesAttr(const KernelConstruction& c);

// TensorFlow's conversion of a condition tensor to bool: a scalar is true
// when non-zero (bool, numbers) or non-empty (string); any other dtype is
// INVALID_ARGUMENT "<dtype> cannot be converted to a boolean". A
// non-scalar is true when it has at least one element.
absl::StatusOr<bool> ToBool(const Tensor& t);

// INTERNAL error unless `results` are one tensor per declared type, each of
// that dtype (TensorFlow's "Expect 1-th output is of type float but get
// int32"), naming the function that produced them.
absl::Status CheckResultTypes(absl::Span<const DataType> types,
                              absl::Span<const Tensor> results,
                              absl::string_view function_name);

// CheckResultTypes, then moves `results` to the kernel's outputs.
absl::Status SetFunctionResults(OpKernelContext& ctx,
                                absl::Span<const DataType> types,
                                std::vector<Tensor>& results,
                                absl::string_view function_name);

// Runs `branch` on the node's inputs `first_input`... and sets its results
// (checked as above) as the node's outputs: If's and Case's Compute.
absl::Status RunBranchOnInputs(OpKernelContext& ctx,
                               const CalledFunction& branch, int first_input,
                               absl::Span<const DataType> out_types);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_CONTROL_FLOW_FUNCTION_BRANCHES_H_
