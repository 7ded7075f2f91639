// SoftmaxCrossEntropyWithLogits and SparseSoftmaxCrossEntropyWithLogits:
// per-row cross entropy between softmax(features) and the labels, with its
// gradient, as tf.nn.(sparse_)softmax_cross_entropy_with_logits and Keras'
// categorical losses run them.
//
//   features [batch, classes]
//   labels   [batch, classes] (dense: a distribution per row; broadcast
//            against features like TensorFlow, both at most 2-D) or
//            [batch] int32/int64 class indices (sparse, Tlabels)
//   loss     [batch]          = sum_j labels_j * (log_sum_exp - x_j)
//   backprop [batch, classes] = softmax(x) - labels
// Each row is shifted by its maximum first. A sparse label outside
// [0, classes) is INVALID_ARGUMENT (TensorFlow's CPU text). Types: float,
// double, half, bfloat16 (computed in float).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
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

// One row: writes backprop = softmax(x) - label and returns the loss.
// label(j) gives the label of class j.
template <typename T, typename Label>
ComputeType<T> CrossEntropyRow(const T* x, int64_t classes, const Label& label,
                               T* backprop) {
  using Acc = ComputeType<T>;
  if (classes == 0) return Acc(0);
  Acc max = static_cast<Acc>(x[0]);
  for (int64_t j = 1; j < classes; ++j) {
    max = std::max(max, static_cast<Acc>(x[j]));
  }
  Acc sum = 0;
  for (int64_t j = 0; j < classes; ++j) {
    sum += std::exp(static_cast<Acc>(x[j]) - max);
  }
  const Acc log_sum = std::log(sum);
  Acc loss = 0;
  for (int64_t j = 0; j < classes; ++j) {
    const Acc shifted = static_cast<Acc>(x[j]) - max;
    const Acc l = label(j);
    loss += l * (log_sum - shifted);
    backprop[j] = static_cast<T>(std::exp(shifted) / sum - l);
  }
  return loss;
}

template <typename T>
class SoftmaxCrossEntropyKernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& features = ctx.input(0);
    const Tensor& labels = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(features, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(labels, DataTypeOf<T>::value));
    if (features.rank() > 2 || labels.rank() > 2) {
      return ctx.InvalidArgument(absl::StrCat(
          "logits and labels must be either 2-dimensional, or broadcasted to "
          "be 2-dimensional, got logits_size=",
          features.shape().DebugString(),
          " labels_size=", labels.shape().DebugString()));
    }
    // Both as [rows, classes] (a lower rank broadcasts as leading 1s).
    auto as_2d = [](const Tensor& t) {
      const int64_t cols = t.rank() >= 1 ? t.dim(t.rank() - 1) : 1;
      const int64_t rows = t.rank() == 2 ? t.dim(0) : 1;
      return std::array<int64_t, 2>{rows, cols};
    };
    const auto f = as_2d(features), l = as_2d(labels);
    std::array<int64_t, 2> out;
    for (int i = 0; i < 2; ++i) {
      if (f[i] != l[i] && f[i] != 1 && l[i] != 1) {
        return ctx.InvalidArgument(absl::StrCat(
            "logits and labels must be broadcastable: logits_size=",
            features.shape().DebugString(),
            " labels_size=", labels.shape().DebugString()));
      }
      out[i] = f[i] == 1 ? l[i] : f[i];
    }
    const int64_t batch = out[0], classes = out[1];
    MS_ASSIGN_OR_RETURN(
        Tensor * loss,
        ctx.allocate_output(0, DataTypeOf<T>::value, TensorShape{batch}));
    MS_ASSIGN_OR_RETURN(Tensor * backprop,
                        ctx.allocate_output(1, DataTypeOf<T>::value,
                                            TensorShape{batch, classes}));
    if (batch == 0) return absl::OkStatus();
    const T* x = features.data<T>();
    const T* y = labels.data<T>();
    T* bp = backprop->data<T>();
    T* out_loss = loss->data<T>();
    // Rows of features/labels broadcast along the batch when they have one.
    const int64_t f_row = f[0] == 1 ? 0 : f[1], l_row = l[0] == 1 ? 0 : l[1];
    const bool f_col = f[1] != 1, l_col = l[1] != 1;
    ParallelFor(batch, 8.0 * classes, 20.0 * classes,
                [&](int64_t first, int64_t last) {
                  std::vector<T> xs(classes);
                  for (int64_t r = first; r < last; ++r) {
                    for (int64_t j = 0; j < classes; ++j) {
                      xs[j] = x[r * f_row + (f_col ? j : 0)];
                    }
                    const T* lr = y + r * l_row;
                    out_loss[r] = static_cast<T>(CrossEntropyRow(
                        xs.data(), classes,
                        [&](int64_t j) {
                          return static_cast<ComputeType<T>>(lr[l_col ? j : 0]);
                        },
                        bp + r * classes));
                  }
                });
    return absl::OkStatus();
  }
};

template <typename T>
class SparseSoftmaxCrossEntropyKernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& features = ctx.input(0);
    const Tensor& labels = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(features, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckIntTensor(labels, "labels"));
    if (features.rank() != 2) {
      return ctx.InvalidArgument(
          absl::StrCat("logits must be 2-D, but got shape ",
                       features.shape().DebugString()));
    }
    if (labels.rank() != 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "labels must be 1-D, but got shape ", labels.shape().DebugString()));
    }
    const int64_t batch = features.dim(0), classes = features.dim(1);
    if (labels.dim(0) != batch) {
      return ctx.InvalidArgument(absl::StrCat(
          "logits and labels must have the same first dimension, got logits "
          "shape ",
          features.shape().DebugString(), " and labels shape ",
          labels.shape().DebugString()));
    }
    if (batch > 0 && classes == 0) {
      return ctx.InvalidArgument(
          absl::StrCat("Must have at least one class, but got logits shape ",
                       features.shape().DebugString()));
    }
    for (int64_t r = 0; r < batch; ++r) {
      const int64_t label = IntAt(labels, r);
      if (label < 0 || label >= classes) {
        return ctx.InvalidArgument(
            absl::StrCat("Received a label value of ", label,
                         " which is outside the valid range of [0, ", classes,
                         ").  Label values: ", labels.DebugString()));
      }
    }
    MS_ASSIGN_OR_RETURN(
        Tensor * loss,
        ctx.allocate_output(0, DataTypeOf<T>::value, TensorShape{batch}));
    MS_ASSIGN_OR_RETURN(
        Tensor * backprop,
        ctx.allocate_output(1, DataTypeOf<T>::value, features.shape()));
    const T* x = features.data<T>();
    T* bp = backprop->data<T>();
    T* out_loss = loss->data<T>();
    ParallelFor(batch, 8.0 * classes, 20.0 * classes,
                [&](int64_t first, int64_t last) {
                  for (int64_t r = first; r < last; ++r) {
                    const int64_t label = IntAt(labels, r);
                    out_loss[r] = static_cast<T>(CrossEntropyRow(
                        x + r * classes, classes,
                        [&](int64_t j) {
                          return static_cast<ComputeType<T>>(j == label);
                        },
                        bp + r * classes));
                  }
                });
    return absl::OkStatus();
  }
};

template <template <typename> class Kernel>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateCrossEntropy(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  if (c.attrs.Has("Tlabels")) {
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tlabels"));
  }
  return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsFloat<T>) return std::make_unique<Kernel<T>>();
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(
    OpSpec("SoftmaxCrossEntropyWithLogits").Output("loss").Output("backprop"),
    CreateCrossEntropy<SoftmaxCrossEntropyKernel>);
REGISTER_KERNEL(OpSpec("SparseSoftmaxCrossEntropyWithLogits")
                    .Output("loss")
                    .Output("backprop"),
                CreateCrossEntropy<SparseSoftmaxCrossEntropyKernel>);

}  // namespace model_server
