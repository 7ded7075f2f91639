// BiasAdd and BiasAddV1: value + bias along the channel dimension.
//
// `value` has rank >= 2 and `bias` is a vector with one entry per channel:
// the last dimension for data_format "NHWC" (the default, and BiasAddV1's
// only layout), dimension 1 for "NCHW". dtypes: float, double, half,
// bfloat16 and the eight integer types (integers wrap on overflow).
// TensorFlow caps the rank at 5; any rank >= 2 works here.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

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

template <typename T>
T WrapAdd(T a, T b) {
  if constexpr (kIsInt<T>) {
    using U = std::make_unsigned_t<
        std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, T>>;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return static_cast<T>(a + b);
  }
}

// Rows shorter than this add with a scalar loop; Eigen's setup costs more.
constexpr int64_t kMinEigenRow = 16;
// Short NHWC rows are grouped into calls of at least this many elements.
constexpr int64_t kTileElements = 256;

template <typename T>
using ConstMap =
    Eigen::TensorMap<Eigen::Tensor<const T, 1, Eigen::RowMajor, Eigen::Index>>;
template <typename T>
using Map =
    Eigen::TensorMap<Eigen::Tensor<T, 1, Eigen::RowMajor, Eigen::Index>>;

// out[0, n) = in[0, n) + bias[0, n).
template <typename T>
void AddVector(const T* in, const T* bias, T* out, int64_t n) {
  if constexpr (kIsFloat<T>) {
    if (n >= kMinEigenRow) {
      Map<T>(out, n) = ConstMap<T>(in, n) + ConstMap<T>(bias, n);
      return;
    }
  }
  for (int64_t i = 0; i < n; ++i) out[i] = WrapAdd(in[i], bias[i]);
}

// out[0, n) = in[0, n) + b.
template <typename T>
void AddScalar(const T* in, T b, T* out, int64_t n) {
  if constexpr (kIsFloat<T>) {
    if (n >= kMinEigenRow) {
      Map<T>(out, n) = ConstMap<T>(in, n).unaryExpr(
          Eigen::internal::bind2nd_op<Eigen::internal::scalar_sum_op<T>>(b));
      return;
    }
  }
  for (int64_t i = 0; i < n; ++i) out[i] = WrapAdd(in[i], b);
}

template <typename T>
class BiasAddKernel final : public OpKernel {
 public:
  explicit BiasAddKernel(bool channels_first)
      : channels_first_(channels_first) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    constexpr DataType kDtype = DataTypeOf<T>::value;
    const Tensor& value = ctx.input(0);
    const Tensor& bias = ctx.input(1);
    if (value.dtype() != kDtype || bias.dtype() != kDtype) {
      return ctx.InvalidArgument(absl::StrCat(
          "Expected two ", DataTypeName(kDtype), " inputs, got ",
          DataTypeName(value.dtype()), " and ", DataTypeName(bias.dtype())));
    }
    if (value.rank() < 2) {
      return ctx.InvalidArgument(absl::StrCat(
          "Input tensor must be at least 2D: ", value.shape().DebugString()));
    }
    if (bias.rank() != 1) {
      return ctx.InvalidArgument(
          absl::StrCat("Biases must be 1D: ", bias.shape().DebugString()));
    }
    const int channel_dim = channels_first_ ? 1 : value.rank() - 1;
    const int64_t channels = value.dim(channel_dim);
    if (bias.dim(0) != channels) {
      return ctx.InvalidArgument(absl::StrCat(
          "Must provide as many biases as the last dimension of the input "
          "tensor: ",
          bias.shape().DebugString(), " vs. ", value.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, kDtype, value.shape()));
    const int64_t total = value.NumElements();
    if (total == 0) return absl::OkStatus();
    const T* in = value.data<T>();
    const T* b = bias.data<T>();
    T* o = out->data<T>();
    if (channels_first_) {
      // Rows of [outer * channels, inner], each adding one bias value.
      const int64_t inner = total / (value.dim(0) * channels);
      ParallelFor(total / inner, 3.0 * sizeof(T) * inner, inner,
                  [&](int64_t begin, int64_t end) {
                    for (int64_t r = begin; r < end; ++r) {
                      AddScalar(in + r * inner, b[r % channels], o + r * inner,
                                inner);
                    }
                  });
      return absl::OkStatus();
    }
    // Rows of [outer, channels], each adding the bias vector. Short rows are
    // grouped: the bias is tiled into a buffer of whole rows so that one
    // vectorized call covers many rows.
    const T* row_bias = b;
    int64_t rows_per_call = 1;
    T tile[kTileElements + kMinEigenRow];
    if (channels < kMinEigenRow) {
      rows_per_call = (kTileElements + channels - 1) / channels;
      for (int64_t j = 0; j < rows_per_call * channels; ++j) {
        tile[j] = b[j % channels];
      }
      row_bias = tile;
    }
    const int64_t rows = total / channels;
    const int64_t calls = (rows + rows_per_call - 1) / rows_per_call;
    const double call_elements = static_cast<double>(rows_per_call * channels);
    ParallelFor(calls, 3.0 * sizeof(T) * call_elements, call_elements,
                [&](int64_t begin, int64_t end) {
                  for (int64_t c = begin; c < end; ++c) {
                    const int64_t first_row = c * rows_per_call;
                    const int64_t offset = first_row * channels;
                    const int64_t n =
                        std::min(rows_per_call, rows - first_row) * channels;
                    AddVector(in + offset, row_bias, o + offset, n);
                  }
                });
    return absl::OkStatus();
  }

 private:
  const bool channels_first_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateBiasAdd(
    const KernelConstruction& construction) {
  const NodeAttrs& attrs = construction.attrs;
  MS_RETURN_IF_ERROR(CheckNumInputs(construction, 2));
  DataType dtype;
  MS_RETURN_IF_ERROR(attrs.Get("T", &dtype));
  std::string data_format;
  MS_RETURN_IF_ERROR(
      attrs.GetOr("data_format", std::string("NHWC"), &data_format));
  if (data_format != "NHWC" && data_format != "NCHW") {
    return attrs.Error(absl::StrCat("Invalid data format '", data_format,
                                    "' (expected NHWC or NCHW)"));
  }
  const bool channels_first = data_format == "NCHW";
  return MakeTypedKernel(
      construction, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
        using T = decltype(tag);
        if constexpr (kIsFloat<T> || kIsInt<T>) {
          return std::make_unique<BiasAddKernel<T>>(channels_first);
        }
        return nullptr;
      });
}

}  // namespace

REGISTER_KERNEL(OpSpec("BiasAdd").Output("output"), CreateBiasAdd);
REGISTER_KERNEL(OpSpec("BiasAddV1").Output("output"), CreateBiasAdd);

}  // namespace model_server
