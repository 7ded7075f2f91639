// Element-wise comparisons and logic with numpy-style broadcasting
// (broadcast.h): Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual,
// LogicalAnd, LogicalOr, and the unary LogicalNot. Every output is bool.
//
// dtypes: the ordered comparisons take float, double, half, bfloat16 and the
// eight integer types; Equal and NotEqual also take bool and string. The
// logical ops take bool only.
//
// Equal/NotEqual have TensorFlow's `incompatible_shape_error` attr (default
// true): when false, shapes that do not broadcast give a scalar false
// (Equal) or true (NotEqual) instead of "Incompatible shapes".
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// `Compare` is a transparent std:: comparison; half and bfloat16 compare as
// float (exactly).
template <typename T, typename Compare>
struct CompareOp {
  bool operator()(const T& a, const T& b) const {
    if constexpr (std::is_same_v<T, Eigen::half> ||
                  std::is_same_v<T, Eigen::bfloat16>) {
      return Compare()(static_cast<float>(a), static_cast<float>(b));
    } else {
      return Compare()(a, b);
    }
  }
};

template <typename T, typename F>
class CompareKernel final : public OpKernel {
 public:
  // `incompatible_result` is the scalar answer for shapes that do not
  // broadcast when `incompatible_shape_error` is false.
  CompareKernel(bool incompatible_shape_error, bool incompatible_result)
      : incompatible_shape_error_(incompatible_shape_error),
        incompatible_result_(incompatible_result) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    constexpr DataType kDtype = DataTypeOf<T>::value;
    const Tensor& x = ctx.input(0);
    const Tensor& y = ctx.input(1);
    if (x.dtype() != kDtype || y.dtype() != kDtype) {
      return ctx.InvalidArgument(absl::StrCat(
          "Expected two ", DataTypeName(kDtype), " inputs, got ",
          DataTypeName(x.dtype()), " and ", DataTypeName(y.dtype())));
    }
    absl::StatusOr<Broadcast> bcast = Broadcast::Make({&x.shape(), &y.shape()});
    if (!bcast.ok()) {
      if (!incompatible_shape_error_ &&
          bcast.status().code() == absl::StatusCode::kInvalidArgument) {
        // TensorFlow: a scalar saying the tensors are not equal.
        MS_ASSIGN_OR_RETURN(Tensor * out,
                            ctx.allocate_output(0, DT_BOOL, TensorShape()));
        out->data<bool>()[0] = incompatible_result_;
        return absl::OkStatus();
      }
      return bcast.status();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_BOOL, bcast->output_shape()));
    if (bcast->num_elements() == 0) return absl::OkStatus();
    BroadcastBinaryLoop(*bcast, x.data<T>(), y.data<T>(), out->data<bool>(),
                        std::is_same_v<T, std::string> ? 10 : 1, F());
    return absl::OkStatus();
  }

 private:
  const bool incompatible_shape_error_;
  const bool incompatible_result_;
};

enum class Comparison {
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kEqual,
  kNotEqual
};

template <Comparison kCmp>
struct ComparisonFunctor;
template <>
struct ComparisonFunctor<Comparison::kLess> {
  using type = std::less<>;
};
template <>
struct ComparisonFunctor<Comparison::kLessEqual> {
  using type = std::less_equal<>;
};
template <>
struct ComparisonFunctor<Comparison::kGreater> {
  using type = std::greater<>;
};
template <>
struct ComparisonFunctor<Comparison::kGreaterEqual> {
  using type = std::greater_equal<>;
};
template <>
struct ComparisonFunctor<Comparison::kEqual> {
  using type = std::equal_to<>;
};
template <>
struct ComparisonFunctor<Comparison::kNotEqual> {
  using type = std::not_equal_to<>;
};

template <Comparison kCmp>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateComparison(
    const KernelConstruction& construction) {
  constexpr bool kEquality =
      kCmp == Comparison::kEqual || kCmp == Comparison::kNotEqual;
  const NodeAttrs& attrs = construction.attrs;
  MS_RETURN_IF_ERROR(CheckNumInputs(construction, 2));
  DataType dtype;
  MS_RETURN_IF_ERROR(attrs.Get("T", &dtype));
  bool incompatible_shape_error = true;
  if (kEquality) {
    MS_RETURN_IF_ERROR(attrs.GetOr("incompatible_shape_error", true,
                                   &incompatible_shape_error));
  }
  return MakeTypedKernel(
      construction, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
        using T = decltype(tag);
        constexpr bool kSupported =
            kIsRealNumber<T> || (kEquality && (std::is_same_v<T, bool> ||
                                               std::is_same_v<T, std::string>));
        if constexpr (kSupported) {
          using F = CompareOp<T, typename ComparisonFunctor<kCmp>::type>;
          return std::make_unique<CompareKernel<T, F>>(
              incompatible_shape_error, kCmp == Comparison::kNotEqual);
        }
        return nullptr;
      });
}

template <typename F>
class LogicalBinaryKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& y = ctx.input(1);
    if (x.dtype() != DT_BOOL || y.dtype() != DT_BOOL) {
      return ctx.InvalidArgument(absl::StrCat("Expected two bool inputs, got ",
                                              DataTypeName(x.dtype()), " and ",
                                              DataTypeName(y.dtype())));
    }
    MS_ASSIGN_OR_RETURN(Broadcast bcast,
                        Broadcast::Make({&x.shape(), &y.shape()}));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_BOOL, bcast.output_shape()));
    if (bcast.num_elements() == 0) return absl::OkStatus();
    BroadcastBinaryLoop(bcast, x.data<bool>(), y.data<bool>(),
                        out->data<bool>(), 1, F());
    return absl::OkStatus();
  }
};

class LogicalNotKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    if (x.dtype() != DT_BOOL) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected a bool input, got ", DataTypeName(x.dtype())));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_BOOL, x.shape()));
    const bool* in = x.data<bool>();
    bool* o = out->data<bool>();
    ParallelFor(x.NumElements(), 2, 1, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) o[i] = !in[i];
    });
    return absl::OkStatus();
  }
};

template <typename Kernel, int kInputs>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateLogical(
    const KernelConstruction& construction) {
  if (construction.num_inputs != kInputs) {
    return construction.attrs.Error(absl::StrCat(
        "expects ", kInputs, " inputs, got ", construction.num_inputs));
  }
  return std::unique_ptr<OpKernel>(new Kernel());
}

}  // namespace

REGISTER_KERNEL(OpSpec("Less").Output("z"),
                CreateComparison<Comparison::kLess>);
REGISTER_KERNEL(OpSpec("LessEqual").Output("z"),
                CreateComparison<Comparison::kLessEqual>);
REGISTER_KERNEL(OpSpec("Greater").Output("z"),
                CreateComparison<Comparison::kGreater>);
REGISTER_KERNEL(OpSpec("GreaterEqual").Output("z"),
                CreateComparison<Comparison::kGreaterEqual>);
REGISTER_KERNEL(OpSpec("Equal").Output("z"),
                CreateComparison<Comparison::kEqual>);
REGISTER_KERNEL(OpSpec("NotEqual").Output("z"),
                CreateComparison<Comparison::kNotEqual>);
REGISTER_KERNEL(
    OpSpec("LogicalAnd").Output("z"),
    (CreateLogical<LogicalBinaryKernel<std::logical_and<bool>>, 2>));
REGISTER_KERNEL(OpSpec("LogicalOr").Output("z"),
                (CreateLogical<LogicalBinaryKernel<std::logical_or<bool>>, 2>));
REGISTER_KERNEL(OpSpec("LogicalNot").Output("y"),
                (CreateLogical<LogicalNotKernel, 1>));

}  // namespace model_server
