#include "runtime/kernels/control_flow/function_branches.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/function_library.h"
#include "runtime/node_attrs.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::StatusOr<CalledFunction> CompileCalledFunction(
    const KernelConstruction& c, absl::string_view role,
    const std::string& function_name, absl::Span<const DataType> arg_types,
    int num_results) {
  if (c.functions == nullptr) {
    return c.attrs.Error(absl::StrCat(role, " names function ", function_name,
                                      " but the graph has no functions"));
  }
  MS_ASSIGN_OR_RETURN(std::shared_ptr<const Plan> plan,
                      c.functions->Instantiate(function_name));
  const int num_args = static_cast<int>(arg_types.size());
  if (plan->num_feeds() != num_args || plan->num_fetches() != num_results) {
    return c.attrs.Error(
        absl::StrCat(role, " ", function_name, " takes ", plan->num_feeds(),
                     " arguments and returns ", plan->num_fetches(),
                     " results, but the node passes ", num_args,
                     " and expects ", num_results));
  }
  for (int i = 0; i < num_args; ++i) {
    const DataType declared = plan->feed_dtype(i);
    if (declared != DT_INVALID && declared != arg_types[i]) {
      return c.attrs.Error(absl::StrCat(role, " ", function_name, ": argument ",
                                        i, " is ", DataTypeName(declared),
                                        " but the node passes ",
                                        DataTypeName(arg_types[i])));
    }
  }
  return CalledFunction{function_name, std::move(plan)};
}

absl::StatusOr<CalledFunction> CompileFunctionAttr(
    const KernelConstruction& c, absl::string_view attr,
    absl::Span<const DataType> arg_types, int num_results) {
  std::string name;
  MS_RETURN_IF_ERROR(c.attrs.GetFunctionName(attr, &name));
  return CompileCalledFunction(c, attr, name, arg_types, num_results);
}

absl::StatusOr<std::vector<DataType>> TypeListAttr(const KernelConstruction& c,
                                                   absl::string_view attr) {
  std::vector<DataType> types;
  MS_RETURN_IF_ERROR(c.attrs.Get(attr, &types));
  return types;
}

absl::Status CheckOutputShapesAttr(const KernelConstruction& c) {
  std::vector<PartialShape> shapes;
  return c.attrs.GetOr("output_shapes", std::vector<PartialShape>(), &shapes);
}

absl::StatusOr<bool> ToBool(const Tensor& t) {
  if (t.rank() != 0) return t.NumElements() > 0;
  switch (t.dtype()) {
    case DT_BOOL:
      return t.scalar<bool>();
    case DT_FLOAT:
      return t.scalar<float>() != 0;
    case DT_DOUBLE:
      return t.scalar<double>() != 0;
    case DT_INT32:
      return t.scalar<int32_t>() != 0;
    case DT_UINT8:
      return t.scalar<uint8_t>() != 0;
    case DT_INT16:
      return t.scalar<int16_t>() != 0;
    case DT_INT8:
      return t.scalar<int8_t>() != 0;
    case DT_INT64:
      return t.scalar<int64_t>() != 0;
    case DT_STRING:
      return !t.scalar<std::string>().empty();
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          DataTypeName(t.dtype()), " cannot be converted to a boolean"));
  }
}

absl::Status CheckResultTypes(absl::Span<const DataType> types,
                              absl::Span<const Tensor> results,
                              absl::string_view function_name) {
  if (results.size() != types.size()) {
    return absl::InternalError(absl::StrCat(
        "Expect to produce ", types.size(), " tensors, but only get ",
        results.size(), " from ", function_name));
  }
  for (size_t i = 0; i < types.size(); ++i) {
    if (results[i].dtype() != types[i]) {
      return absl::InternalError(absl::StrCat(
          "Expect ", i, "-th output is of type ", DataTypeName(types[i]),
          " but get ", DataTypeName(results[i].dtype()), " (from ",
          function_name, ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status SetFunctionResults(OpKernelContext& ctx,
                                absl::Span<const DataType> types,
                                std::vector<Tensor>& results,
                                absl::string_view function_name) {
  MS_RETURN_IF_ERROR(CheckResultTypes(types, results, function_name));
  for (size_t i = 0; i < results.size(); ++i) {
    ctx.set_output(static_cast<int>(i), std::move(results[i]));
  }
  return absl::OkStatus();
}

absl::Status RunBranchOnInputs(OpKernelContext& ctx,
                               const CalledFunction& branch, int first_input,
                               absl::Span<const DataType> out_types) {
  std::vector<Tensor> args;
  args.reserve(ctx.num_inputs() - first_input);
  for (int i = first_input; i < ctx.num_inputs(); ++i) {
    args.push_back(ctx.input(i));
  }
  std::vector<Tensor> results;
  MS_RETURN_IF_ERROR(ctx.RunFunction(*branch.plan, args, &results));
  return SetFunctionResults(ctx, out_types, results, branch.name);
}

}  // namespace model_server
