// SparseSoftmax: sp_indices int64 [N, R] (R >= 2), sp_values T [N],
// sp_shape int64 [R] -> output T [N]: a softmax over each group of entries
// that share all but the last coordinate, over the present entries only
// (the implicit zeros take no part). As TensorFlow, the entries are first
// put in row-major order and the output follows that order (the input's
// own order when it is already canonical, as tf.sparse.softmax requires).
// Each group is shifted by its maximum before exponentiating. half
// (computed in float), float, double.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class SparseSoftmaxKernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& values = ctx.input(1);
    const Tensor& shape = ctx.input(2);
    if (indices.rank() != 2 || indices.dtype() != DT_INT64) {
      return ctx.InvalidArgument(
          absl::StrCat("Input sp_indices should be a matrix but received "
                       "shape: ",
                       indices.shape().DebugString()));
    }
    if (values.rank() != 1 || shape.rank() != 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "Inputs sp_values and sp_shape should be vectors but received "
          "shapes: ",
          values.shape().DebugString(), " and ", shape.shape().DebugString()));
    }
    MS_RETURN_IF_ERROR(CheckInputDtype(values, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(shape, DT_INT64));
    const int64_t rank = shape.NumElements();
    if (rank < 2) {
      return ctx.InvalidArgument(
          absl::StrCat("Input should have rank >= 2, but received shape: [",
                       absl::StrJoin(shape.flat<int64_t>(), ","), "]"));
    }
    const int64_t n = indices.dim(0);
    if (values.dim(0) != n || indices.dim(1) != rank) {
      return ctx.InvalidArgument(absl::StrCat(
          "sp_indices ", indices.shape().DebugString(), ", sp_values ",
          values.shape().DebugString(), " and sp_shape ",
          shape.shape().DebugString(), " do not describe one SparseTensor"));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, values.dtype(), values.shape()));
    const int64_t* ix = indices.data<int64_t>();
    std::vector<int64_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return std::lexicographical_compare(ix + a * rank, ix + (a + 1) * rank,
                                          ix + b * rank, ix + (b + 1) * rank);
    });
    auto same_group = [&](int64_t a, int64_t b) {
      return std::equal(ix + a * rank, ix + a * rank + rank - 1, ix + b * rank);
    };
    using C = ComputeType<T>;
    const T* v = values.data<T>();
    T* dst = out->data<T>();
    std::vector<C> exps;
    for (int64_t begin = 0; begin < n;) {
      int64_t end = begin + 1;
      while (end < n && same_group(order[begin], order[end])) ++end;
      C max = Widen(v[order[begin]]);
      for (int64_t i = begin + 1; i < end; ++i) {
        max = std::max(max, Widen(v[order[i]]));
      }
      exps.assign(end - begin, C(0));
      C sum = 0;
      for (int64_t i = begin; i < end; ++i) {
        exps[i - begin] = std::exp(Widen(v[order[i]]) - max);
        sum += exps[i - begin];
      }
      for (int64_t i = begin; i < end; ++i) {
        dst[i] = static_cast<T>(exps[i - begin] / sum);
      }
      begin = end;
    }
    return absl::OkStatus();
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateSparseSoftmax(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsFloatOrDouble<T> || std::is_same_v<T, Eigen::half>) {
      return std::make_unique<SparseSoftmaxKernel<T>>();
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("SparseSoftmax").Output("output"), CreateSparseSoftmax);

}  // namespace model_server
