// CompareAndBitpack: input [..., 8k] (attr T), threshold (scalar T) ->
// output uint8 [..., k]. Each run of 8 inputs along the last dimension
// becomes one byte, the first element in the most significant bit: bit set
// when input > threshold.
//
// dtypes: bool and every real number type (TensorFlow's registration). For
// bool the bit is the input itself and the threshold is ignored, as in
// TensorFlow. Errors (TensorFlow's texts): a non-scalar threshold ("Compare
// must be a scalar, but saw shape: [..]"), a scalar input, and a last
// dimension that is not a multiple of 8.
#include <cstdint>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class CompareAndBitpackKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    constexpr DataType kDtype = DataTypeOf<T>::value;
    const Tensor& input = ctx.input(0);
    const Tensor& threshold = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, kDtype));
    MS_RETURN_IF_ERROR(CheckInputDtype(threshold, kDtype));
    if (threshold.rank() != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("Compare must be a scalar, but saw shape: ",
                       threshold.shape().DebugString()));
    }
    const int rank = input.rank();
    if (rank == 0) {
      return ctx.InvalidArgument(
          "Input should be at least a vector, but saw a scalar.");
    }
    if (input.dim(rank - 1) % 8 != 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "Inner dimension of input should be divisible by 8, but saw shape: ",
          input.shape().DebugString()));
    }
    TensorShape shape = input.shape();
    MS_RETURN_IF_ERROR(shape.SetDim(rank - 1, input.dim(rank - 1) / 8));
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, DT_UINT8, shape));
    const T* in = input.data<T>();
    const T thresh = threshold.scalar<T>();
    uint8_t* o = out->data<uint8_t>();
    ParallelFor(out->NumElements(), 8 * sizeof(T) + 1, 16,
                [&](int64_t begin, int64_t end) {
                  for (int64_t i = begin; i < end; ++i) {
                    const T* block = in + 8 * i;
                    unsigned byte = 0;
                    for (int b = 0; b < 8; ++b) {
                      bool bit;
                      if constexpr (std::is_same_v<T, bool>) {
                        bit = block[b];
                      } else {
                        bit = block[b] > thresh;
                      }
                      byte = (byte << 1) | (bit ? 1u : 0u);
                    }
                    o[i] = static_cast<uint8_t>(byte);
                  }
                });
    return absl::OkStatus();
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateCompareAndBitpack(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsRealNumber<T> || std::is_same_v<T, bool>) {
      return std::make_unique<CompareAndBitpackKernel<T>>();
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("CompareAndBitpack").Output("output"),
                CreateCompareAndBitpack);

}  // namespace model_server
