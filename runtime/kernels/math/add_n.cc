// AddN: the element-wise sum of N >= 1 tensors of one shape and dtype.
// AccumulateNV2 computes the same sum (TensorFlow rewrites it into
// in-place additions before running; its `shape` attr is not needed).
//
// dtypes: float, double, half, bfloat16 and the eight integer types
// (integers wrap on overflow). One input is forwarded unchanged. Inputs are
// added left to right; half and bfloat16 round after every addition, like
// TensorFlow's Eigen kernels.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Elements summed per pass over the inputs: small enough that the output
// chunk stays in L1 while every input streams through it.
constexpr int64_t kChunk = 2048;

// out[0, n) = sum of inputs[k][0, n).
template <typename T>
void SumChunk(const std::vector<const T*>& inputs, int64_t offset, int64_t n,
              T* out) {
  if constexpr (kIsFloat<T>) {
    using ConstMap = Eigen::TensorMap<
        Eigen::Tensor<const T, 1, Eigen::RowMajor, Eigen::Index>>;
    using Map =
        Eigen::TensorMap<Eigen::Tensor<T, 1, Eigen::RowMajor, Eigen::Index>>;
    Map o(out, n);
    o = ConstMap(inputs[0] + offset, n) + ConstMap(inputs[1] + offset, n);
    for (size_t k = 2; k < inputs.size(); ++k) {
      o += ConstMap(inputs[k] + offset, n);
    }
  } else {
    // Unsigned arithmetic wraps instead of overflowing.
    using U = std::make_unsigned_t<
        std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, T>>;
    for (int64_t i = 0; i < n; ++i) {
      U sum = static_cast<U>(inputs[0][offset + i]);
      for (size_t k = 1; k < inputs.size(); ++k) {
        sum += static_cast<U>(inputs[k][offset + i]);
      }
      out[i] = static_cast<T>(sum);
    }
  }
}

template <typename T>
class AddNKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    constexpr DataType kDtype = DataTypeOf<T>::value;
    const Tensor& first = ctx.input(0);
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      const Tensor& input = ctx.input(i);
      if (input.dtype() != kDtype) {
        return ctx.InvalidArgument(
            absl::StrCat("Expected ", DataTypeName(kDtype), " input ", i,
                         ", got ", DataTypeName(input.dtype())));
      }
      if (input.shape() != first.shape()) {
        return ctx.InvalidArgument(absl::StrCat(
            "Inputs to operation ", ctx.node_name(),
            " of type AddN must have the same size and shape.  Input 0: ",
            first.shape().DebugString(), " != input ", i, ": ",
            input.shape().DebugString()));
      }
    }
    if (ctx.num_inputs() == 1) {
      ctx.set_output(0, first);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, kDtype, first.shape()));
    std::vector<const T*> inputs(ctx.num_inputs());
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      inputs[i] = ctx.input(i).data<T>();
    }
    T* o = out->data<T>();
    const double n = static_cast<double>(inputs.size());
    ParallelFor(first.NumElements(), (n + 1) * sizeof(T), n,
                [&](int64_t begin, int64_t end) {
                  for (int64_t i = begin; i < end; i += kChunk) {
                    const int64_t len = std::min(kChunk, end - i);
                    SumChunk(inputs, i, len, o + i);
                  }
                });
    return absl::OkStatus();
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateAddN(
    const KernelConstruction& construction) {
  const NodeAttrs& attrs = construction.attrs;
  if (construction.num_inputs < 1) {
    return attrs.Error("expects at least 1 input, got 0");
  }
  DataType dtype;
  MS_RETURN_IF_ERROR(attrs.Get("T", &dtype));
  return MakeTypedKernel(construction, dtype,
                         [&](auto tag) -> std::unique_ptr<OpKernel> {
                           using T = decltype(tag);
                           if constexpr (kIsFloat<T> || kIsInt<T>) {
                             return std::make_unique<AddNKernel<T>>();
                           }
                           return nullptr;
                         });
}

}  // namespace

REGISTER_KERNEL(OpSpec("AddN").Output("sum"), CreateAddN);
REGISTER_KERNEL(OpSpec("AccumulateNV2").Output("sum"), CreateAddN);

}  // namespace model_server
