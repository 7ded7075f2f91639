// SparseAdd: a_indices int64 [n_a, R], a_values T [n_a], a_shape int64
// [R], the same for b, and thresh (Treal scalar) -> sum_indices,
// sum_values, sum_shape: the sum of two SparseTensors of equal dense shape.
// As TensorFlow, both inputs are taken to be in row-major order and are
// merged; where both have an entry, the sum is kept only if |sum| >= thresh
// (entries present in one input only are always kept). T: every number
// dtype (half and bfloat16 summed in float, complex); Treal: a real number
// dtype. TensorFlow's error texts.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/dtype_complex.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// thresh as a double, whatever its real dtype.
absl::StatusOr<double> ThresholdValue(const Tensor& t) {
  if (t.rank() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("The magnitude threshold must be a scalar: got shape ",
                     t.shape().DebugString()));
  }
  double value = 0;
  bool ok = false;
  SwitchOnDataType(t.dtype(), [&](auto tag) {
    using R = decltype(tag);
    if constexpr (kIsRealNumber<R>) {
      value = static_cast<double>(t.data<R>()[0]);
      ok = true;
    }
  });
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "thresh must be a real number, got ", DataTypeName(t.dtype())));
  }
  return value;
}

template <typename T>
class SparseAddKernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& a_ix = ctx.input(0);
    const Tensor& a_vals = ctx.input(1);
    const Tensor& a_shape = ctx.input(2);
    const Tensor& b_ix = ctx.input(3);
    const Tensor& b_vals = ctx.input(4);
    const Tensor& b_shape = ctx.input(5);
    if (a_ix.rank() != 2 || b_ix.rank() != 2 || a_ix.dtype() != DT_INT64 ||
        b_ix.dtype() != DT_INT64) {
      return ctx.InvalidArgument(absl::StrCat(
          "Input indices should be matrices but received shapes: ",
          a_ix.shape().DebugString(), " and ", b_ix.shape().DebugString()));
    }
    if (a_vals.rank() != 1 || b_vals.rank() != 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "Input values should be vectors but received shapes: ",
          a_vals.shape().DebugString(), " and ", b_vals.shape().DebugString()));
    }
    MS_RETURN_IF_ERROR(CheckInputDtype(a_vals, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(b_vals, DataTypeOf<T>::value));
    if (a_ix.dim(0) != a_vals.dim(0) || b_ix.dim(0) != b_vals.dim(0)) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected one value per index row, got indices ",
                       a_ix.shape().DebugString(), " with values ",
                       a_vals.shape().DebugString(), " and indices ",
                       b_ix.shape().DebugString(), " with values ",
                       b_vals.shape().DebugString()));
    }
    if (a_shape.rank() != 1 || b_shape.rank() != 1 ||
        a_shape.dtype() != DT_INT64 || b_shape.dtype() != DT_INT64) {
      return ctx.InvalidArgument(
          absl::StrCat("Input shapes should be a vector but received shapes ",
                       a_shape.shape().DebugString(), " and ",
                       b_shape.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(const double thresh, ThresholdValue(ctx.input(6)));
    const int64_t rank = a_shape.dim(0);
    if (b_shape.dim(0) != rank) {
      return ctx.InvalidArgument(
          absl::StrCat("Operands do not have the same ranks; got shapes: ",
                       a_shape.shape().DebugString(), " and ",
                       b_shape.shape().DebugString()));
    }
    for (int64_t d = 0; d < rank; ++d) {
      if (a_shape.data<int64_t>()[d] != b_shape.data<int64_t>()[d]) {
        return ctx.InvalidArgument(absl::StrCat(
            "Operands' shapes do not match: got ", a_shape.data<int64_t>()[d],
            " and ", b_shape.data<int64_t>()[d], " for dimension ", d));
      }
    }
    if (a_ix.dim(1) != rank || b_ix.dim(1) != rank) {
      return ctx.InvalidArgument(
          absl::StrCat("Index rows must have ", rank,
                       " coordinates (the shape's rank), got ", a_ix.dim(1),
                       " and ", b_ix.dim(1)));
    }
    const int64_t na = a_ix.dim(0);
    const int64_t nb = b_ix.dim(0);
    const int64_t* ai = a_ix.data<int64_t>();
    const int64_t* bi = b_ix.data<int64_t>();
    const T* av = a_vals.data<T>();
    const T* bv = b_vals.data<T>();
    auto compare = [&](int64_t i, int64_t j) {
      for (int64_t d = 0; d < rank; ++d) {
        if (ai[i * rank + d] != bi[j * rank + d]) {
          return ai[i * rank + d] < bi[j * rank + d] ? -1 : 1;
        }
      }
      return 0;
    };
    // (from a?, row) of each output entry, and its value.
    std::vector<std::pair<bool, int64_t>> rows;
    std::vector<T> sums;
    int64_t i = 0, j = 0;
    while (i < na && j < nb) {
      const int c = compare(i, j);
      if (c < 0) {
        rows.emplace_back(true, i);
        sums.push_back(av[i++]);
      } else if (c > 0) {
        rows.emplace_back(false, j);
        sums.push_back(bv[j++]);
      } else {
        using C = ComputeType<T>;
        const C s = static_cast<C>(Widen(av[i]) + Widen(bv[j]));
        double magnitude;
        if constexpr (std::is_unsigned_v<C>) {
          magnitude = static_cast<double>(s);
        } else {
          magnitude = static_cast<double>(std::abs(s));
        }
        if (magnitude >= thresh) {
          rows.emplace_back(true, i);
          sums.push_back(static_cast<T>(s));
        }
        ++i;
        ++j;
      }
    }
    for (; i < na; ++i) {
      rows.emplace_back(true, i);
      sums.push_back(av[i]);
    }
    for (; j < nb; ++j) {
      rows.emplace_back(false, j);
      sums.push_back(bv[j]);
    }
    const int64_t m = static_cast<int64_t>(rows.size());
    MS_ASSIGN_OR_RETURN(Tensor * out_ix,
                        ctx.allocate_output(0, DT_INT64, TensorShape{m, rank}));
    MS_ASSIGN_OR_RETURN(
        Tensor * out_vals,
        ctx.allocate_output(1, DataTypeOf<T>::value, TensorShape{m}));
    ctx.set_output(2, a_shape);
    int64_t* oix = out_ix->data<int64_t>();
    for (int64_t k = 0; k < m; ++k) {
      const int64_t* src = (rows[k].first ? ai : bi) + rows[k].second * rank;
      std::copy(src, src + rank, oix + k * rank);
      out_vals->data<T>()[k] = sums[k];
    }
    return absl::OkStatus();
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateSparseAdd(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 7));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsRealNumber<T> || kIsComplex<T>) {
      return std::make_unique<SparseAddKernel<T>>();
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("SparseAdd")
                    .Output("sum_indices")
                    .Output("sum_values")
                    .Output("sum_shape"),
                CreateSparseAdd);

}  // namespace model_server
