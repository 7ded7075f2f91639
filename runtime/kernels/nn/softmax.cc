// Softmax and LogSoftmax over the last dimension of `logits` (rank >= 1).
//
// Numerically stable: each row is shifted by its maximum before exp, so
// large logits neither overflow nor lose the small ones.
//   softmax    = exp(x - max) / sum(exp(x - max))
//   logsoftmax = (x - max) - log(sum(exp(x - max)))
// Rows run in parallel on the shared pool. Types: float, double, and
// half/bfloat16 (computed in float).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Softmax of `rows` rows of length `depth`; Acc is the compute type.
template <bool kLog, typename T, typename Acc>
void SoftmaxRows(const T* in, int64_t rows, int64_t depth, T* out) {
  using AccVec = Eigen::Array<Acc, Eigen::Dynamic, 1>;
  using TVec = Eigen::Array<T, Eigen::Dynamic, 1>;
  auto run = [&](int64_t first, int64_t last) {
    AccVec shifted(depth);
    for (int64_t r = first; r < last; ++r) {
      Eigen::Map<const TVec> x(in + r * depth, depth);
      Eigen::Map<TVec> y(out + r * depth, depth);
      shifted = x.template cast<Acc>();
      shifted -= shifted.maxCoeff();
      if constexpr (kLog) {
        const Acc log_sum = std::log(shifted.exp().sum());
        y = (shifted - log_sum).template cast<T>();
      } else {
        shifted = shifted.exp();
        y = (shifted * (Acc(1) / shifted.sum())).template cast<T>();
      }
    }
  };
  const Eigen::TensorOpCost cost(depth * sizeof(T), depth * sizeof(T),
                                 depth * 20);
  EigenDevice().parallelFor(rows, cost,
                            [&](Eigen::Index a, Eigen::Index b) { run(a, b); });
}

template <bool kLog>
class SoftmaxKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    auto k = std::unique_ptr<SoftmaxKernel>(new SoftmaxKernel());
    MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_FLOAT, &k->dtype_));
    if (k->dtype_ != DT_FLOAT && k->dtype_ != DT_DOUBLE &&
        k->dtype_ != DT_HALF && k->dtype_ != DT_BFLOAT16) {
      return absl::UnimplementedError(
          absl::StrCat(c.attrs.op(), " node '", c.attrs.node_name(),
                       "': unsupported type ", DataTypeName(k->dtype_),
                       "; supported: float, double, half, bfloat16"));
    }
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& logits = ctx.input(0);
    if (logits.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat("expected logits of type ",
                                              DataTypeName(dtype_), ", got ",
                                              DataTypeName(logits.dtype())));
    }
    if (logits.rank() < 1) {
      return ctx.InvalidArgument(
          absl::StrCat("logits must have >= 1 dimension, got ",
                       logits.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, logits.shape()));
    const int64_t depth = logits.dim(logits.rank() - 1);
    if (logits.NumElements() == 0) return absl::OkStatus();
    const int64_t rows = logits.NumElements() / depth;
    switch (dtype_) {
      case DT_FLOAT:
        SoftmaxRows<kLog, float, float>(logits.data<float>(), rows, depth,
                                        out->data<float>());
        break;
      case DT_DOUBLE:
        SoftmaxRows<kLog, double, double>(logits.data<double>(), rows, depth,
                                          out->data<double>());
        break;
      case DT_HALF:
        SoftmaxRows<kLog, Eigen::half, float>(logits.data<Eigen::half>(), rows,
                                              depth, out->data<Eigen::half>());
        break;
      default:
        SoftmaxRows<kLog, Eigen::bfloat16, float>(
            logits.data<Eigen::bfloat16>(), rows, depth,
            out->data<Eigen::bfloat16>());
    }
    return absl::OkStatus();
  }

 private:
  SoftmaxKernel() = default;
  DataType dtype_ = DT_FLOAT;
};

}  // namespace

REGISTER_KERNEL(OpSpec("Softmax").Output("softmax"),
                SoftmaxKernel<false>::Create);
REGISTER_KERNEL(OpSpec("LogSoftmax").Output("logsoftmax"),
                SoftmaxKernel<true>::Create);

}  // namespace model_server
