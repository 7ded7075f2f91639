// RaggedRange: starts, limits, deltas (T: bfloat16, float, double, int32,
// int64; each a scalar or a vector, vectors of one length) -> one range per
// row: "rt_nested_splits" (Tsplits int32/int64, [rows + 1]) and
// "rt_dense_values" (T). A row's size is ceil(|limit - start| / |delta|),
// 0 when delta points away from limit. delta 0 is INVALID_ARGUMENT
// "Requires delta != 0"; sizes past the splits' range are INVALID_ARGUMENT,
// a total past the tensor size limit RESOURCE_EXHAUSTED.
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class RaggedRangeKernel final : public OpKernel {
 public:
  explicit RaggedRangeKernel(DataType splits_dtype)
      : splits_dtype_(splits_dtype) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor* in[3] = {&ctx.input(0), &ctx.input(1), &ctx.input(2)};
    const char* names[3] = {"starts", "limits", "deltas"};
    int64_t rows = 1;
    bool any_vector = false;
    for (int k = 0; k < 3; ++k) {
      MS_RETURN_IF_ERROR(CheckInputDtype(*in[k], DataTypeOf<T>::value));
      if (in[k]->rank() > 1) {
        return ctx.InvalidArgument(
            absl::StrCat(names[k], " must be a scalar or vector"));
      }
      if (in[k]->rank() == 1) {
        if (any_vector && in[k]->dim(0) != rows) {
          return ctx.InvalidArgument(
              "starts, limits, and deltas must have the same shape");
        }
        rows = in[k]->dim(0);
        any_vector = true;
      }
    }
    auto at = [&](int k, int64_t i) -> double {
      return static_cast<double>(in[k]->data<T>()[in[k]->rank() == 0 ? 0 : i]);
    };
    const int64_t split_max = splits_dtype_ == DT_INT32
                                  ? std::numeric_limits<int32_t>::max()
                                  : std::numeric_limits<int64_t>::max();
    std::vector<int64_t> sizes(rows);
    int64_t total = 0;
    for (int64_t i = 0; i < rows; ++i) {
      const T start = in[0]->data<T>()[in[0]->rank() == 0 ? 0 : i];
      const T limit = in[1]->data<T>()[in[1]->rank() == 0 ? 0 : i];
      const T delta = in[2]->data<T>()[in[2]->rank() == 0 ? 0 : i];
      if (static_cast<double>(delta) == 0) {
        return ctx.InvalidArgument("Requires delta != 0");
      }
      double size = 0;
      const double s = at(0, i), l = at(1, i), d = at(2, i);
      if (!((d > 0 && l < s) || (d < 0 && l > s))) {
        if constexpr (std::is_integral_v<T>) {
          // Exact in integers: divup(|limit - start|, |delta|).
          const __int128 span = static_cast<__int128>(limit) - start;
          const __int128 step = delta < 0 ? -static_cast<__int128>(delta)
                                          : static_cast<__int128>(delta);
          const __int128 abs_span = span < 0 ? -span : span;
          size = static_cast<double>((abs_span + step - 1) / step);
        } else {
          size = std::ceil(std::abs((l - s) / d));
        }
      }
      if (!(size <= static_cast<double>(split_max - total))) {
        return ctx.InvalidArgument(absl::StrCat(
            "The total range size overflowed the row splits at row ", i));
      }
      sizes[i] = static_cast<int64_t>(size);
      total += sizes[i];
    }
    MS_ASSIGN_OR_RETURN(
        Tensor * splits,
        ctx.allocate_output(0, splits_dtype_, TensorShape{rows + 1}));
    MS_ASSIGN_OR_RETURN(
        Tensor * values,
        ctx.allocate_output(1, DataTypeOf<T>::value, TensorShape{total}));
    int64_t offset = 0;
    T* dst = values->data<T>();
    for (int64_t i = 0; i <= rows; ++i) {
      if (splits_dtype_ == DT_INT32) {
        splits->data<int32_t>()[i] = static_cast<int32_t>(offset);
      } else {
        splits->data<int64_t>()[i] = offset;
      }
      if (i == rows) break;
      const T start = in[0]->data<T>()[in[0]->rank() == 0 ? 0 : i];
      const T delta = in[2]->data<T>()[in[2]->rank() == 0 ? 0 : i];
      T value = start;
      for (int64_t j = 0; j < sizes[i]; ++j) {
        dst[offset + j] = value;
        value = static_cast<T>(value + delta);
      }
      offset += sizes[i];
    }
    return absl::OkStatus();
  }

 private:
  const DataType splits_dtype_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateRaggedRange(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_INT32, &dtype));
  MS_ASSIGN_OR_RETURN(DataType splits_dtype,
                      IndexTypeAttr(c, "Tsplits", DT_INT64));
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double> ||
                  std::is_same_v<T, Eigen::bfloat16> ||
                  std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>) {
      return std::make_unique<RaggedRangeKernel<T>>(splits_dtype);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(
    OpSpec("RaggedRange").Output("rt_nested_splits").Output("rt_dense_values"),
    CreateRaggedRange);

}  // namespace model_server
