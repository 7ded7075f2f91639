// UpperBound and LowerBound: per-row binary search (tf.searchsorted).
//
// Inputs: sorted_inputs [B, N] (each row sorted ascending), values [B, M]
// (attr T: any real number type). Attr out_type int32 (default) or int64.
// Output "output" [B, M]: for each value, the index in its row of the first
// element greater than it (UpperBound) or not less than it (LowerBound).
// Rows that are not sorted give unspecified (but in-range) indices, as in
// TensorFlow.
#include <algorithm>
#include <cstdint>
#include <limits>
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
class SearchSortedKernel final : public OpKernel {
 public:
  SearchSortedKernel(bool upper, DataType out_type)
      : upper_(upper), out_type_(out_type) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& sorted = ctx.input(0);
    const Tensor& values = ctx.input(1);
    constexpr DataType kDtype = DataTypeOf<T>::value;
    if (sorted.dtype() != kDtype || values.dtype() != kDtype) {
      return ctx.InvalidArgument(absl::StrCat(
          "sorted_inputs and values must be ", DataTypeName(kDtype), ", got ",
          DataTypeName(sorted.dtype()), " and ", DataTypeName(values.dtype())));
    }
    if (sorted.rank() != 2 || values.rank() != 2) {
      return ctx.InvalidArgument(absl::StrCat(
          "sorted_inputs and values must be matrices, got shapes ",
          sorted.shape().DebugString(), " and ", values.shape().DebugString()));
    }
    if (sorted.dim(0) != values.dim(0)) {
      return ctx.InvalidArgument(
          "Leading dim_size of both tensors must match.");
    }
    const int64_t n = sorted.dim(1);
    if (out_type_ == DT_INT32 && n > std::numeric_limits<int32_t>::max()) {
      return ctx.InvalidArgument(
          "trailing dim_size must less than INT_MAX for int32 output type");
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, out_type_, values.shape()));
    const int64_t rows = values.dim(0), m = values.dim(1);
    for (int64_t r = 0; r < rows; ++r) {
      const T* begin = sorted.data<T>() + r * n;
      const T* v = values.data<T>() + r * m;
      for (int64_t j = 0; j < m; ++j) {
        const T* it = upper_ ? std::upper_bound(begin, begin + n, v[j])
                             : std::lower_bound(begin, begin + n, v[j]);
        const int64_t index = it - begin;
        if (out_type_ == DT_INT32) {
          out->data<int32_t>()[r * m + j] = static_cast<int32_t>(index);
        } else {
          out->data<int64_t>()[r * m + j] = index;
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  const bool upper_;
  const DataType out_type_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateSearchSorted(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  DataType dtype, out_type;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("out_type", DT_INT32, &out_type));
  if (out_type != DT_INT32 && out_type != DT_INT64) {
    return c.attrs.Error(
        absl::StrCat("attr 'out_type' must be int32 or int64, got ",
                     DataTypeName(out_type)));
  }
  const bool upper = c.attrs.op() == "UpperBound";
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsInt<T> || kIsFloatOrDouble<T>) {
      return std::make_unique<SearchSortedKernel<T>>(upper, out_type);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("UpperBound").Output("output"), CreateSearchSorted);
REGISTER_KERNEL(OpSpec("LowerBound").Output("output"), CreateSearchSorted);

}  // namespace model_server
