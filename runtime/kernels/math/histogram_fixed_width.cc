// HistogramFixedWidth: values (attr T, any shape), value_range ([2] T),
// nbins (int32 scalar) -> out ([nbins], attr dtype int32 or int64).
//
// nbins equal-width bins span [value_range[0], value_range[1]); values below
// the range count in the first bin and values at or above its end in the
// last, as TensorFlow computes the bin: min(floor((max(v, lo) - lo) /
// ((hi - lo) / nbins)), nbins - 1), in double. NaN values are not counted
// (TensorFlow's result for them is unspecified).
//
// dtypes: T is int32, int64, float or double (TensorFlow's registrations).
// Errors (TensorFlow's texts): "value_range should have two elements",
// "nbins should be a positive number, but got 'n'", "value_range should
// satisfy value_range[0] < value_range[1], but got '[lo, hi]'".
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class HistogramFixedWidthKernel final : public OpKernel {
 public:
  explicit HistogramFixedWidthKernel(DataType out_type) : out_type_(out_type) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    constexpr DataType kDtype = DataTypeOf<T>::value;
    const Tensor& values = ctx.input(0);
    const Tensor& range = ctx.input(1);
    const Tensor& nbins_tensor = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckInputDtype(values, kDtype));
    MS_RETURN_IF_ERROR(CheckInputDtype(range, kDtype));
    MS_RETURN_IF_ERROR(CheckInputDtype(nbins_tensor, DT_INT32));
    if (range.rank() != 1 || range.NumElements() != 2) {
      return ctx.InvalidArgument(
          absl::StrCat("value_range should have two elements, but got shape ",
                       range.shape().DebugString()));
    }
    if (nbins_tensor.rank() != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("nbins should be a scalar, but got shape ",
                       nbins_tensor.shape().DebugString()));
    }
    const int32_t nbins = nbins_tensor.scalar<int32_t>();
    if (nbins <= 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "nbins should be a positive number, but got '", nbins, "'"));
    }
    const T lo = range.data<T>()[0];
    const T hi = range.data<T>()[1];
    if (!(lo < hi)) {
      return ctx.InvalidArgument(absl::StrCat(
          "value_range should satisfy value_range[0] < value_range[1], but "
          "got '[",
          Widen(lo), ", ", Widen(hi), "]'"));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, out_type_, TensorShape{nbins}));
    // Counted straight into the output (allocate_output bounded its size).
    if (out_type_ == DT_INT32) {
      Count(values, lo, hi, nbins, out->data<int32_t>());
    } else {
      Count(values, lo, hi, nbins, out->data<int64_t>());
    }
    return absl::OkStatus();
  }

 private:
  template <typename Out>
  static void Count(const Tensor& values, T lo, T hi, int32_t nbins,
                    Out* counts) {
    std::fill(counts, counts + nbins, Out(0));
    const double dlo = static_cast<double>(lo);
    const double step = (static_cast<double>(hi) - dlo) / nbins;
    const T* v = values.data<T>();
    for (int64_t i = 0; i < values.NumElements(); ++i) {
      if constexpr (kIsFloat<T>) {
        if (std::isnan(v[i])) continue;
      }
      const double shifted = std::max(static_cast<double>(v[i]), dlo) - dlo;
      const double bin = std::min(shifted / step, double(nbins - 1));
      ++counts[static_cast<int64_t>(bin)];
    }
  }

  const DataType out_type_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateHistogramFixedWidth(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  MS_ASSIGN_OR_RETURN(DataType out_type, IndexTypeAttr(c, "dtype", DT_INT32));
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                  kIsFloatOrDouble<T>) {
      return std::make_unique<HistogramFixedWidthKernel<T>>(out_type);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("HistogramFixedWidth").Output("out"),
                CreateHistogramFixedWidth);

}  // namespace model_server
