// StringJoin and ReduceJoin.
//
// StringJoin: N string inputs (attr N) -> "output". Scalars broadcast;
//   every non-scalar input must have the same shape ("Input shapes do not
//   match: [..] vs. [..]"). Element i joins the inputs' element i with the
//   attr separator (default "").
// ReduceJoin: inputs (string), reduction_indices (int32, any shape) ->
//   "output". Joins along the listed dimensions (negative ones count from
//   the end) with the attr separator; the first listed dimension varies
//   fastest. keep_dims keeps reduced dimensions as 1. A dimension out of
//   range is OUT_OF_RANGE "Invalid reduction dimension D for input with R
//   dimension(s)", a repeated one INVALID_ARGUMENT "Duplicate reduction
//   dimension D" (TensorFlow's texts). Reducing an empty dimension gives "".
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

class StringJoinKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    std::string separator;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("separator", std::string(), &separator));
    if (c.num_inputs < 1) return c.attrs.Error("needs at least one input");
    return std::unique_ptr<OpKernel>(new StringJoinKernel(separator));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const TensorShape* shape = nullptr;
    for (int k = 0; k < ctx.num_inputs(); ++k) {
      const Tensor& t = ctx.input(k);
      MS_RETURN_IF_ERROR(CheckStringTensor(t, "input"));
      if (t.rank() == 0) continue;
      if (shape == nullptr) {
        shape = &t.shape();
      } else if (*shape != t.shape()) {
        return ctx.InvalidArgument(
            absl::StrCat("Input shapes do not match: ", shape->DebugString(),
                         " vs. ", t.shape().DebugString()));
      }
    }
    const TensorShape out_shape = shape == nullptr ? TensorShape() : *shape;
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_STRING, out_shape));
    std::vector<absl::string_view> parts(ctx.num_inputs());
    for (int64_t i = 0; i < out_shape.num_elements(); ++i) {
      for (int k = 0; k < ctx.num_inputs(); ++k) {
        const Tensor& t = ctx.input(k);
        parts[k] = t.data<std::string>()[t.rank() == 0 ? 0 : i];
      }
      out->data<std::string>()[i] = absl::StrJoin(parts, separator_);
    }
    return absl::OkStatus();
  }

 private:
  explicit StringJoinKernel(std::string separator)
      : separator_(std::move(separator)) {}
  const std::string separator_;
};

class ReduceJoinKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    bool keep_dims;
    std::string separator;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("keep_dims", false, &keep_dims));
    MS_RETURN_IF_ERROR(c.attrs.GetOr("separator", std::string(), &separator));
    return std::unique_ptr<OpKernel>(
        new ReduceJoinKernel(keep_dims, std::move(separator)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckStringTensor(input, "inputs"));
    MS_RETURN_IF_ERROR(CheckIntTensor(ctx.input(1), "reduction_indices"));
    const int rank = input.rank();
    const Dims listed = IntValues(ctx.input(1));
    std::vector<bool> reduced(rank, false);
    // reduce_dims: the dims in the order they vary, fastest first.
    std::vector<int> reduce_dims;
    for (int64_t d : listed) {
      if (d < -rank || d >= rank) {
        return absl::OutOfRangeError(
            absl::StrCat("Invalid reduction dimension ", d, " for input with ",
                         rank, " dimension(s)"));
      }
      const int dim = static_cast<int>(d < 0 ? d + rank : d);
      if (reduced[dim]) {
        return ctx.InvalidArgument(
            absl::StrCat("Duplicate reduction dimension ", d));
      }
      reduced[dim] = true;
      reduce_dims.push_back(dim);
    }
    // Strides of the input and the output shape.
    std::vector<int64_t> strides(rank, 1);
    for (int d = rank - 2; d >= 0; --d) {
      strides[d] = strides[d + 1] * input.dim(d + 1);
    }
    TensorShape out_shape;
    std::vector<int> kept_dims;
    for (int d = 0; d < rank; ++d) {
      if (!reduced[d]) {
        MS_RETURN_IF_ERROR(out_shape.AddDim(input.dim(d)));
        kept_dims.push_back(d);
      } else if (keep_dims_) {
        MS_RETURN_IF_ERROR(out_shape.AddDim(1));
      }
    }
    int64_t group = 1;
    for (int d : reduce_dims) group *= input.dim(d);
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_STRING, out_shape));
    const std::string* in = input.data<std::string>();
    std::vector<absl::string_view> parts(group);
    for (int64_t o = 0; o < out_shape.num_elements(); ++o) {
      // The input offset of output element o (kept dims, last fastest).
      int64_t base = 0, rest = o;
      for (int k = static_cast<int>(kept_dims.size()) - 1; k >= 0; --k) {
        const int d = kept_dims[k];
        base += (rest % input.dim(d)) * strides[d];
        rest /= input.dim(d);
      }
      for (int64_t g = 0; g < group; ++g) {
        int64_t offset = base, r = g;
        for (int d : reduce_dims) {
          offset += (r % input.dim(d)) * strides[d];
          r /= input.dim(d);
        }
        parts[g] = in[offset];
      }
      out->data<std::string>()[o] = absl::StrJoin(parts, separator_);
    }
    return absl::OkStatus();
  }

 private:
  ReduceJoinKernel(bool keep_dims, std::string separator)
      : keep_dims_(keep_dims), separator_(std::move(separator)) {}
  const bool keep_dims_;
  const std::string separator_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("StringJoin").Output("output"),
                StringJoinKernel::Create);
REGISTER_KERNEL(OpSpec("ReduceJoin").Output("output"),
                ReduceJoinKernel::Create);

}  // namespace model_server
