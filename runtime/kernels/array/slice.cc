// Slice: input, begin, size (Index int32/int64); size -1 means "to the
// end". Every dtype (data_movement.h).
#include <cstdint>
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class SliceKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Index"));
    return std::unique_ptr<OpKernel>(new SliceKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& begin_t = ctx.input(1);
    const Tensor& size_t_ = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckIntTensor(begin_t, "begin"));
    MS_RETURN_IF_ERROR(CheckIntTensor(size_t_, "size"));
    const int rank = input.rank();
    if (begin_t.rank() != 1 || size_t_.rank() != 1 ||
        begin_t.NumElements() != rank || size_t_.NumElements() != rank) {
      return ctx.InvalidArgument(absl::StrCat(
          "Expected begin and size arguments to be 1-D tensors of size ", rank,
          ", but got shapes ", begin_t.shape().DebugString(), " and ",
          size_t_.shape().DebugString(), " instead."));
    }
    Dims sizes(rank);
    int64_t start = 0;
    const Dims in_strides = StridesOf(input.shape().dims());
    bool identity = true;
    for (int i = 0; i < rank; ++i) {
      const int64_t dim = input.dim(i);
      const int64_t b = IntAt(begin_t, i);
      int64_t s = IntAt(size_t_, i);
      if (s == -1) s = dim - b;
      if (dim == 0) {
        if (b != 0 || s != 0) {
          return ctx.InvalidArgument(absl::StrCat(
              "Expected begin[", i, "] == 0 (got ", b, ") and size[", i,
              "] == 0 (got ", s, ") when input.dim_size(", i, ") == 0"));
        }
      } else {
        if (b < 0 || b > dim) {
          return ctx.InvalidArgument(absl::StrCat(
              "Expected begin[", i, "] in [0, ", dim, "], but got ", b));
        }
        if (s < 0 || s > dim - b) {
          return ctx.InvalidArgument(absl::StrCat(
              "Expected size[", i, "] in [0, ", dim - b, "], but got ", s));
        }
      }
      sizes[i] = s;
      start += b * in_strides[i];
      identity &= b == 0 && s == dim;
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(sizes));
    if (identity) {
      ctx.set_output(0, input);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), shape));
    CopyView(input, start, sizes, in_strides, out);
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("Slice").Output("output"), SliceKernel::Create);

}  // namespace model_server
