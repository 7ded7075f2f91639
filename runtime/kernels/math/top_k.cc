// TopKV2 (k as a scalar input) and TopK (k as an attribute): the k largest
// entries of each row (last dimension) and their indices, largest first;
// equal values keep the lower index first, as TensorFlow's stable ordering.
// `sorted=false` allows any order; we always return sorted rows, which is
// one of the allowed answers. Real number types; index_type int32 (default)
// or int64.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// ---------------------------------------------------------------- TopK

template <typename T, typename Index>
void TopKRows(const T* in, int64_t rows, int64_t n, int64_t k, T* values,
              Index* indices) {
  auto run = [&](int64_t first, int64_t last) {
    std::vector<int64_t> order;
    for (int64_t r = first; r < last; ++r) {
      const T* row = in + r * n;
      T* vout = values + r * k;
      Index* iout = indices + r * k;
      if (k == 1) {
        int64_t best = 0;
        for (int64_t i = 1; i < n; ++i) {
          if (Widen(row[i]) > Widen(row[best])) best = i;
        }
        vout[0] = row[best];
        iout[0] = static_cast<Index>(best);
        continue;
      }
      order.resize(n);
      std::iota(order.begin(), order.end(), int64_t{0});
      auto greater = [row](int64_t a, int64_t b) {
        const auto va = Widen(row[a]), vb = Widen(row[b]);
        return va > vb || (!(vb > va) && a < b);
      };
      if (k < n) {
        std::partial_sort(order.begin(), order.begin() + k, order.end(),
                          greater);
      } else {
        std::sort(order.begin(), order.end(), greater);
      }
      for (int64_t i = 0; i < k; ++i) {
        vout[i] = row[order[i]];
        iout[i] = static_cast<Index>(order[i]);
      }
    }
  };
  const double log_k = std::log2(static_cast<double>(std::max<int64_t>(k, 2)));
  const Eigen::TensorOpCost cost(n * sizeof(T), k * (sizeof(T) + sizeof(Index)),
                                 n * log_k * 4);
  EigenDevice().parallelFor(rows, cost,
                            [&](Eigen::Index a, Eigen::Index b) { run(a, b); });
}

class TopKKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      bool v2, const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto k = std::unique_ptr<TopKKernel>(new TopKKernel(v2));
    MS_RETURN_IF_ERROR(attrs.GetOr("T", DT_FLOAT, &k->dtype_));
    MS_ASSIGN_OR_RETURN(k->index_type_,
                        IndexTypeAttr(c, "index_type", DT_INT32));
    if (!DtypeIs(k->dtype_,
                 [](auto tag) { return kIsRealNumber<decltype(tag)>; })) {
      return UnsupportedDtypeError(c, k->dtype_);
    }
    if (!v2) {
      MS_RETURN_IF_ERROR(attrs.Get("k", &k->k_attr_));
      if (k->k_attr_ < 0) {
        return attrs.Error(absl::StrCat("Need k >= 0, got ", k->k_attr_));
      }
    }
    const int want_inputs = v2 ? 2 : 1;
    if (c.num_inputs != want_inputs) {
      return attrs.Error(
          absl::StrCat("expects ", want_inputs, " inputs, got ", c.num_inputs));
    }
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, dtype_));
    int64_t k = k_attr_;
    if (v2_) {
      const Tensor& k_in = ctx.input(1);
      if (k_in.rank() != 0) {
        return ctx.InvalidArgument(absl::StrCat("k must be 0-D, got shape ",
                                                k_in.shape().DebugString()));
      }
      if (k_in.dtype() == DT_INT32) {
        k = k_in.scalar<int32_t>();
      } else if (k_in.dtype() == DT_INT64) {
        k = k_in.scalar<int64_t>();
      } else if (k_in.dtype() == DT_INT16) {
        k = k_in.scalar<int16_t>();
      } else {
        return ctx.InvalidArgument(absl::StrCat("k must be an integer, got ",
                                                DataTypeName(k_in.dtype())));
      }
      if (k < 0) {
        return ctx.InvalidArgument(absl::StrCat("Need k >= 0, got ", k));
      }
    }
    if (input.rank() < 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "input must be >= 1-D, got shape ", input.shape().DebugString()));
    }
    const int64_t n = input.dim(input.rank() - 1);
    if (n < k) {
      return ctx.InvalidArgument(absl::StrCat(
          "input must have at least k columns. Had ", n, ", needed ", k));
    }
    TensorShape out_shape = input.shape();
    MS_RETURN_IF_ERROR(out_shape.SetDim(input.rank() - 1, k));
    MS_ASSIGN_OR_RETURN(Tensor * values,
                        ctx.allocate_output(0, dtype_, out_shape));
    MS_ASSIGN_OR_RETURN(Tensor * indices,
                        ctx.allocate_output(1, index_type_, out_shape));
    if (values->NumElements() == 0) return absl::OkStatus();
    const int64_t rows = input.NumElements() / n;
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kIsRealNumber<T>) {
        if (index_type_ == DT_INT32) {
          TopKRows(input.data<T>(), rows, n, k, values->data<T>(),
                   indices->data<int32_t>());
        } else {
          TopKRows(input.data<T>(), rows, n, k, values->data<T>(),
                   indices->data<int64_t>());
        }
      }
    });
    return absl::OkStatus();
  }

 private:
  explicit TopKKernel(bool v2) : v2_(v2) {}

  const bool v2_;
  DataType dtype_ = DT_FLOAT;
  DataType index_type_ = DT_INT32;
  int64_t k_attr_ = 0;
};

template <bool kV2>
absl::StatusOr<std::unique_ptr<OpKernel>> MakeTopK(
    const KernelConstruction& c) {
  return TopKKernel::Create(kV2, c);
}

}  // namespace

REGISTER_KERNEL(OpSpec("TopKV2").Output("values").Output("indices"),
                MakeTopK<true>);
REGISTER_KERNEL(OpSpec("TopK").Output("values").Output("indices"),
                MakeTopK<false>);

}  // namespace model_server
