// InTopK / InTopKV2: predictions (float [batch, classes]), targets (attr T,
// int32 or int64 [batch]) and k (an int attr for InTopK, a scalar T input
// for InTopKV2) -> precision (bool [batch]).
//
// precision[b] is true when fewer than k classes have a prediction strictly
// greater than predictions[b, targets[b]], so ties are all "in" the top k,
// as in TensorFlow. A target outside [0, classes) or whose prediction is not
// finite gives false rather than an error (TensorFlow's behaviour).
// Errors (TensorFlow's texts): "predictions must be 2-dimensional",
// "targets must be 1-dimensional", "First dimension of predictions p must
// match length of targets t", "k must be 0-D, got shape [..]".
#include <cmath>
#include <cstdint>
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class InTopKKernel final : public OpKernel {
 public:
  // k_attr < 0: k comes from input 2 (InTopKV2).
  InTopKKernel(DataType index_type, int64_t k_attr)
      : index_type_(index_type), k_attr_(k_attr) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& predictions = ctx.input(0);
    const Tensor& targets = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(predictions, DT_FLOAT));
    MS_RETURN_IF_ERROR(CheckInputDtype(targets, index_type_));
    int64_t k = k_attr_;
    if (k_attr_ < 0) {
      const Tensor& k_tensor = ctx.input(2);
      MS_RETURN_IF_ERROR(CheckInputDtype(k_tensor, index_type_));
      if (k_tensor.rank() != 0) {
        return ctx.InvalidArgument(absl::StrCat(
            "k must be 0-D, got shape ", k_tensor.shape().DebugString()));
      }
      k = IntAt(k_tensor, 0);
    }
    if (predictions.rank() != 2) {
      return ctx.InvalidArgument("predictions must be 2-dimensional");
    }
    if (targets.rank() != 1) {
      return ctx.InvalidArgument("targets must be 1-dimensional");
    }
    const int64_t batch = predictions.dim(0);
    const int64_t classes = predictions.dim(1);
    if (targets.dim(0) != batch) {
      return ctx.InvalidArgument(
          absl::StrCat("First dimension of predictions ", batch,
                       " must match length of targets ", targets.dim(0)));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_BOOL, TensorShape{batch}));
    const float* p = predictions.data<float>();
    bool* o = out->data<bool>();
    ParallelFor(batch, sizeof(float) * classes, 2.0 * classes,
                [&](int64_t begin, int64_t end) {
                  for (int64_t b = begin; b < end; ++b) {
                    const int64_t target = IntAt(targets, b);
                    const float* row = p + b * classes;
                    if (target < 0 || target >= classes ||
                        !std::isfinite(row[target])) {
                      o[b] = false;
                      continue;
                    }
                    int64_t more_probable = 0;
                    for (int64_t c = 0; c < classes; ++c) {
                      if (row[c] > row[target]) ++more_probable;
                    }
                    o[b] = more_probable < k;
                  }
                });
    return absl::OkStatus();
  }

 private:
  const DataType index_type_;
  const int64_t k_attr_;
};

template <bool kKIsInput>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateInTopK(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, kKIsInput ? 3 : 2));
  MS_ASSIGN_OR_RETURN(DataType index_type, IndexTypeAttr(c, "T", DT_INT32));
  int64_t k = -1;
  if constexpr (!kKIsInput) {
    MS_RETURN_IF_ERROR(c.attrs.Get("k", &k));
    if (k < 0) return c.attrs.Error(absl::StrCat("k must be >= 0, got ", k));
  }
  return std::make_unique<InTopKKernel>(index_type, k);
}

}  // namespace

REGISTER_KERNEL(OpSpec("InTopK").Output("precision"), CreateInTopK<false>);
REGISTER_KERNEL(OpSpec("InTopKV2").Output("precision"), CreateInTopK<true>);

}  // namespace model_server
