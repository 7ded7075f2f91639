// Bitcast: input (attr T) -> output (attr type), the same bytes read as
// another dtype.
//
// dtypes (TensorFlow's list): bfloat16, half, float, double, int8, int16,
// int32, int64, uint8, uint16, uint32, uint64, complex64, complex128 for
// both T and type (the quantized types are not supported by the runtime).
// The larger element size must be a multiple of the smaller; anything else
// fails at load ("cannot convert between datatype ...", TensorFlow's text).
//
// Shapes, as TensorFlow defines them:
//   - equal sizes: the shape is unchanged;
//   - T larger than type: a last dimension sizeof(T)/sizeof(type) is added;
//   - T smaller than type: the last dimension must be sizeof(type)/sizeof(T)
//     and is removed; otherwise INVALID_ARGUMENT "Cannot bitcast from <T> to
//     <type>: shape [..]" (this also rejects scalars).
// Bytes are copied in memory order (little-endian hosts, like TensorFlow
// on x86 and aarch64).
#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

bool IsBitcastable(DataType dtype) {
  switch (dtype) {
    case DT_BFLOAT16:
    case DT_HALF:
    case DT_FLOAT:
    case DT_DOUBLE:
    case DT_INT8:
    case DT_INT16:
    case DT_INT32:
    case DT_INT64:
    case DT_UINT8:
    case DT_UINT16:
    case DT_UINT32:
    case DT_UINT64:
    case DT_COMPLEX64:
    case DT_COMPLEX128:
      return true;
    default:
      return false;
  }
}

class BitcastKernel final : public OpKernel {
 public:
  BitcastKernel(DataType from, DataType to) : from_(from), to_(to) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, from_));
    const size_t in_size = DataTypeSize(from_);
    const size_t out_size = DataTypeSize(to_);
    TensorShape shape = input.shape();
    if (in_size > out_size) {
      MS_RETURN_IF_ERROR(
          shape.AddDim(static_cast<int64_t>(in_size / out_size)));
    } else if (in_size < out_size) {
      const int rank = input.rank();
      if (rank == 0 ||
          input.dim(rank - 1) != static_cast<int64_t>(out_size / in_size)) {
        return ctx.InvalidArgument(absl::StrCat(
            "Cannot bitcast from ", DataTypeName(from_), " to ",
            DataTypeName(to_), ": shape ", input.shape().DebugString()));
      }
      shape.RemoveDim(rank - 1);
    }
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, to_, shape));
    if (input.TotalBytes() > 0) {
      std::memcpy(out->raw_data(), input.raw_data(), input.TotalBytes());
    }
    return absl::OkStatus();
  }

 private:
  const DataType from_;
  const DataType to_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateBitcast(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType from, to;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &from));
  MS_RETURN_IF_ERROR(c.attrs.Get("type", &to));
  if (!IsBitcastable(from)) return UnsupportedDtypeError(c, from);
  if (!IsBitcastable(to)) return UnsupportedDtypeError(c, to);
  const size_t in_size = DataTypeSize(from);
  const size_t out_size = DataTypeSize(to);
  if (std::max(in_size, out_size) % std::min(in_size, out_size) != 0) {
    return c.attrs.Error(absl::StrCat("cannot convert between datatype ",
                                      DataTypeName(from), " and ",
                                      DataTypeName(to)));
  }
  return std::make_unique<BitcastKernel>(from, to);
}

}  // namespace

REGISTER_KERNEL(OpSpec("Bitcast").Output("output"), CreateBitcast);

}  // namespace model_server
