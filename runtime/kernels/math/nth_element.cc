// NthElement: input [..., m] (attr T), n (int32 scalar) -> values [...],
// the n-th smallest value (0-based) of each last-dimension vector, or with
// reverse=true the n-th largest.
//
// dtypes: every real number type (TensorFlow's TF_CALL_REAL_NUMBER_TYPES).
// Errors (TensorFlow's texts): "N must be scalar but has rank r", "n must be
// non-negative but is n", "Input must be >= 1-D but is 0-D", "Input must
// have last dimension > n = n". An empty batch gives an empty output.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

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
class NthElementKernel final : public OpKernel {
 public:
  explicit NthElementKernel(bool reverse) : reverse_(reverse) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& n_tensor = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(n_tensor, DT_INT32));
    if (n_tensor.rank() != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("N must be scalar but has rank ", n_tensor.rank()));
    }
    int64_t n = n_tensor.scalar<int32_t>();
    if (n < 0) {
      return ctx.InvalidArgument(
          absl::StrCat("n must be non-negative but is ", n));
    }
    const int rank = input.rank();
    if (rank < 1) {
      return ctx.InvalidArgument(
          absl::StrCat("Input must be >= 1-D but is ", rank, "-D"));
    }
    const int64_t m = input.dim(rank - 1);
    if (m <= n) {
      return ctx.InvalidArgument(
          absl::StrCat("Input must have last dimension > n = ", n));
    }
    if (reverse_) n = m - n - 1;
    TensorShape shape = input.shape();
    shape.RemoveDim(rank - 1);
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), shape));
    const T* in = input.data<T>();
    T* o = out->data<T>();
    ParallelFor(out->NumElements(), sizeof(T) * m, 4.0 * m,
                [&](int64_t begin, int64_t end) {
                  std::vector<T> row(m);
                  for (int64_t r = begin; r < end; ++r) {
                    std::copy(in + r * m, in + (r + 1) * m, row.begin());
                    std::nth_element(row.begin(), row.begin() + n, row.end());
                    o[r] = row[n];
                  }
                });
    return absl::OkStatus();
  }

 private:
  const bool reverse_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateNthElement(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  DataType dtype;
  bool reverse;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("reverse", false, &reverse));
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsRealNumber<T>) {
      return std::make_unique<NthElementKernel<T>>(reverse);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("NthElement").Output("values"), CreateNthElement);

}  // namespace model_server
