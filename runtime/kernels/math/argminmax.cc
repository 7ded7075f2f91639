// ArgMax and ArgMin: the index of the largest / smallest element along
// `dimension` (a scalar int32/int64 input, may be negative). Ties resolve to
// the smallest index. output_type is int32 or int64 (default int64).
//
// The input is viewed as [outer, axis, inner]: with inner == 1 each row is
// scanned contiguously; otherwise a running best index is kept for every
// inner position, which walks memory in order. Outer slices run in parallel.
// Types: all real number types and bool (half/bfloat16 compared as float).
#include <cstdint>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
constexpr bool kIsSupported = std::is_arithmetic_v<T> || kIsNarrowFloat<T>;

// True if `a` should replace the current best `b`.
template <bool kMax, typename K>
bool Better(K a, K b) {
  if constexpr (kMax) {
    return a > b;
  } else {
    return a < b;
  }
}

template <bool kMax, typename T, typename Index>
void ArgReduce(const T* in, int64_t outer, int64_t axis, int64_t inner,
               Index* out) {
  auto run = [&](int64_t first, int64_t last) {
    using K = decltype(Widen(T()));
    // Not std::vector: vector<bool> yields proxies, not K values.
    std::unique_ptr<K[]> best(inner > 1 ? new K[inner] : nullptr);
    for (int64_t o = first; o < last; ++o) {
      const T* slice = in + o * axis * inner;
      Index* dst = out + o * inner;
      if (inner == 1) {
        auto b = Widen(slice[0]);
        Index bi = 0;
        for (int64_t a = 1; a < axis; ++a) {
          const auto v = Widen(slice[a]);
          if (Better<kMax>(v, b)) {
            b = v;
            bi = static_cast<Index>(a);
          }
        }
        *dst = bi;
        continue;
      }
      for (int64_t i = 0; i < inner; ++i) {
        best[i] = Widen(slice[i]);
        dst[i] = 0;
      }
      for (int64_t a = 1; a < axis; ++a) {
        const T* row = slice + a * inner;
        for (int64_t i = 0; i < inner; ++i) {
          const auto v = Widen(row[i]);
          if (Better<kMax>(v, best[i])) {
            best[i] = v;
            dst[i] = static_cast<Index>(a);
          }
        }
      }
    }
  };
  const Eigen::TensorOpCost cost(axis * inner * sizeof(T),
                                 inner * sizeof(Index), axis * inner);
  EigenDevice().parallelFor(outer, cost,
                            [&](Eigen::Index a, Eigen::Index b) { run(a, b); });
}

template <bool kMax>
class ArgMinMaxKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto k = std::unique_ptr<ArgMinMaxKernel>(new ArgMinMaxKernel());
    MS_RETURN_IF_ERROR(attrs.GetOr("T", DT_FLOAT, &k->dtype_));
    MS_ASSIGN_OR_RETURN(k->out_type_,
                        IndexTypeAttr(c, "output_type", DT_INT64));
    if (!DtypeIs(k->dtype_,
                 [](auto tag) { return kIsSupported<decltype(tag)>; })) {
      return UnsupportedDtypeError(c, k->dtype_);
    }
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& dimension = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, dtype_));
    if (dimension.rank() != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("dim must be a scalar, but received tensor of shape: ",
                       dimension.shape().DebugString()));
    }
    int64_t dim;
    if (dimension.dtype() == DT_INT32) {
      dim = dimension.scalar<int32_t>();
    } else if (dimension.dtype() == DT_INT64) {
      dim = dimension.scalar<int64_t>();
    } else if (dimension.dtype() == DT_INT16) {
      dim = dimension.scalar<int16_t>();
    } else {
      return ctx.InvalidArgument(
          absl::StrCat("dimension must be int16, int32 or int64, got ",
                       DataTypeName(dimension.dtype())));
    }
    const int rank = input.rank();
    if (dim < -rank || dim >= rank) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected dimension in the range [", -rank, ", ", rank,
                       "), but got ", dim));
    }
    const int axis = static_cast<int>(dim < 0 ? dim + rank : dim);
    if (input.dim(axis) == 0) {
      return ctx.InvalidArgument(absl::StrCat("Reduction axis ", dim,
                                              " is empty in shape ",
                                              input.shape().DebugString()));
    }
    TensorShape out_shape = input.shape();
    out_shape.RemoveDim(axis);
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, out_type_, out_shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    int64_t outer = 1, inner = 1;
    for (int i = 0; i < axis; ++i) outer *= input.dim(i);
    for (int i = axis + 1; i < rank; ++i) inner *= input.dim(i);
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kIsSupported<T>) {
        if (out_type_ == DT_INT32) {
          ArgReduce<kMax>(input.data<T>(), outer, input.dim(axis), inner,
                          out->data<int32_t>());
        } else {
          ArgReduce<kMax>(input.data<T>(), outer, input.dim(axis), inner,
                          out->data<int64_t>());
        }
      }
    });
    return absl::OkStatus();
  }

 private:
  ArgMinMaxKernel() = default;

  DataType dtype_ = DT_FLOAT;
  DataType out_type_ = DT_INT64;
};

}  // namespace

REGISTER_KERNEL(OpSpec("ArgMax").Output("output"),
                ArgMinMaxKernel<true>::Create);
REGISTER_KERNEL(OpSpec("ArgMin").Output("output"),
                ArgMinMaxKernel<false>::Create);

}  // namespace model_server
