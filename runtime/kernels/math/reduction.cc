// Reductions: Sum, Mean, Max, Min, Prod, EuclideanNorm, All, Any.
//
// Inputs: input, reduction_indices (int32 or int64, scalar or any shape,
// flattened). Axes may be negative; a repeated axis is an error and no axes
// means nothing is reduced (the input is returned as is), as in TensorFlow.
// keep_dims keeps reduced axes as size 1.
//
// Like TensorFlow, the input is first viewed as alternating runs of kept and
// reduced axes (adjacent axes of the same kind merge, size-1 axes join the
// run before them, leading size-1 axes are dropped). If that leaves nothing
// to reduce the input is forwarded unchanged (so EuclideanNorm of a size-1
// axis returns x, not |x|, exactly as TensorFlow does). Otherwise one pass
// walks the runs: the innermost run is either reduced as a contiguous vector
// or combined element-wise into a contiguous slice of the accumulator, both
// vectorized by Eigen. Work is split over the outermost kept run on the
// shared pool; each index of that run owns disjoint outputs.
//
// Accumulation types: half/bfloat16 accumulate in float (TensorFlow keeps
// half sums in half; ours are more accurate). Mean of 8/16/32-bit integers
// sums in 64 bits and truncates the quotient, as TensorFlow does; other
// integer sums and products wrap in the input type. Reducing an empty axis
// gives TensorFlow's identities: Sum/EuclideanNorm 0, Prod 1, Max -inf
// (lowest for integers), Min +inf (highest), Mean NaN for float types (0 for
// integers and bfloat16), All true, Any false. Complex types are rejected.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class ReduceOp {
  kSum,
  kMean,
  kProd,
  kMax,
  kMin,
  kEuclideanNorm,
  kAll,
  kAny
};

template <ReduceOp kOp, typename T>
auto AccTag() {
  if constexpr (kIsNarrowFloat<T>) {
    return float{};
  } else if constexpr (kOp == ReduceOp::kMean && std::is_integral_v<T> &&
                       !std::is_same_v<T, bool>) {
    if constexpr (std::is_signed_v<T>) {
      return int64_t{};
    } else {
      return uint64_t{};
    }
  } else {
    return T{};
  }
}

// The per-op arithmetic. Acc is the accumulation type.
template <ReduceOp kOp, typename T>
struct Reducer {
  using Acc = decltype(AccTag<kOp, T>());
  using In = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;
  using Out = Eigen::Map<Eigen::Array<Acc, Eigen::Dynamic, 1>>;

  static Acc Init() {
    if constexpr (kOp == ReduceOp::kProd) {
      return Acc(1);
    } else if constexpr (kOp == ReduceOp::kMax) {
      if constexpr (std::numeric_limits<Acc>::has_infinity) {
        return -std::numeric_limits<Acc>::infinity();
      } else {
        return std::numeric_limits<Acc>::lowest();
      }
    } else if constexpr (kOp == ReduceOp::kMin) {
      if constexpr (std::numeric_limits<Acc>::has_infinity) {
        return std::numeric_limits<Acc>::infinity();
      } else {
        return std::numeric_limits<Acc>::max();
      }
    } else if constexpr (kOp == ReduceOp::kAll) {
      return true;
    } else if constexpr (kOp == ReduceOp::kAny) {
      return false;
    } else {
      return Acc(0);
    }
  }

  static Acc Combine(Acc a, Acc b) {
    if constexpr (kOp == ReduceOp::kProd) {
      return a * b;
    } else if constexpr (kOp == ReduceOp::kMax) {
      return a < b ? b : a;
    } else if constexpr (kOp == ReduceOp::kMin) {
      return b < a ? b : a;
    } else if constexpr (kOp == ReduceOp::kAll) {
      return a && b;
    } else if constexpr (kOp == ReduceOp::kAny) {
      return a || b;
    } else {
      return a + b;
    }
  }

  // Reduces n >= 1 contiguous inputs.
  static Acc ReduceRun(const T* in, int64_t n) {
    In x(in, n);
    if constexpr (kOp == ReduceOp::kAll) {
      return x.all();
    } else if constexpr (kOp == ReduceOp::kAny) {
      return x.any();
    } else if constexpr (kOp == ReduceOp::kProd) {
      return x.template cast<Acc>().prod();
    } else if constexpr (kOp == ReduceOp::kMax) {
      return x.template cast<Acc>().maxCoeff();
    } else if constexpr (kOp == ReduceOp::kMin) {
      return x.template cast<Acc>().minCoeff();
    } else if constexpr (kOp == ReduceOp::kEuclideanNorm) {
      return x.template cast<Acc>().square().sum();
    } else {
      return x.template cast<Acc>().sum();
    }
  }

  // out[i] = Combine(out[i], in[i]) for i < n.
  static void CombineRun(Acc* out, const T* in, int64_t n) {
    In x(in, n);
    Out o(out, n);
    if constexpr (kOp == ReduceOp::kAll) {
      o = o && x;
    } else if constexpr (kOp == ReduceOp::kAny) {
      o = o || x;
    } else if constexpr (kOp == ReduceOp::kProd) {
      o *= x.template cast<Acc>();
    } else if constexpr (kOp == ReduceOp::kMax) {
      o = o.max(x.template cast<Acc>());
    } else if constexpr (kOp == ReduceOp::kMin) {
      o = o.min(x.template cast<Acc>());
    } else if constexpr (kOp == ReduceOp::kEuclideanNorm) {
      o += x.template cast<Acc>().square();
    } else {
      o += x.template cast<Acc>();
    }
  }

  static T Finalize(Acc a, int64_t count) {
    if constexpr (kOp == ReduceOp::kMean) {
      return static_cast<T>(a / static_cast<Acc>(count));
    } else if constexpr (kOp == ReduceOp::kEuclideanNorm) {
      if constexpr (std::is_integral_v<Acc>) {
        return static_cast<T>(std::sqrt(static_cast<double>(a)));
      } else {
        return static_cast<T>(std::sqrt(a));
      }
    } else {
      return static_cast<T>(a);
    }
  }

  // Output for an empty reduction.
  static T Identity() {
    if constexpr (kOp == ReduceOp::kMean && (std::is_floating_point_v<T> ||
                                             std::is_same_v<T, Eigen::half>)) {
      return static_cast<T>(std::numeric_limits<float>::quiet_NaN());
    } else {
      return static_cast<T>(Init());
    }
  }
};

// The input as alternating runs of kept/reduced axes (TensorFlow's
// ReductionHelper::Simplify).
struct ReductionPlan {
  TensorShape out_shape;
  absl::InlinedVector<int64_t, 8> runs;
  bool reduce_first = false;
  int64_t reduced_count = 1;  // elements combined into each output
};

absl::Status Simplify(const Tensor& data, const Tensor& axes, bool keep_dims,
                      ReductionPlan* plan) {
  const int rank = data.rank();
  absl::InlinedVector<bool, 8> bitmap(rank, false);
  for (int64_t i = 0; i < axes.NumElements(); ++i) {
    int64_t index = axes.dtype() == DT_INT32
                        ? static_cast<int64_t>(axes.data<int32_t>()[i])
                        : axes.data<int64_t>()[i];
    if (index < -rank || index >= rank) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid reduction dimension (", index,
                       " for input with ", rank, " dimension(s)"));
    }
    if (index < 0) index += rank;
    if (bitmap[index]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Invalid reduction arguments: Axes contains duplicate dimension: ",
          index));
    }
    bitmap[index] = true;
  }
  std::vector<int64_t> out_dims;
  for (int i = 0; i < rank; ++i) {
    if (!bitmap[i]) {
      out_dims.push_back(data.dim(i));
    } else {
      plan->reduced_count *= data.dim(i);
      if (keep_dims) out_dims.push_back(1);
    }
  }
  MS_ASSIGN_OR_RETURN(plan->out_shape, TensorShape::FromDims(out_dims));
  int i = 0;
  while (i < rank && data.dim(i) == 1) ++i;
  if (i == rank) {
    plan->reduce_first = true;
    return absl::OkStatus();
  }
  plan->reduce_first = bitmap[i];
  plan->runs.push_back(data.dim(i));
  for (++i; i < rank; ++i) {
    if (data.dim(i) == 1) bitmap[i] = bitmap[i - 1];
    if (bitmap[i] != bitmap[i - 1]) {
      plan->runs.push_back(data.dim(i));
    } else {
      plan->runs.back() *= data.dim(i);
    }
  }
  return absl::OkStatus();
}

template <ReduceOp kOp, typename T>
class RunWalker {
 public:
  using R = Reducer<kOp, T>;
  using Acc = typename R::Acc;

  RunWalker(const ReductionPlan& plan, const T* in, Acc* acc)
      : plan_(plan), in_(in), acc_(acc) {
    const int n = static_cast<int>(plan.runs.size());
    in_stride_.resize(n);
    out_stride_.resize(n);
    reduced_.resize(n);
    int64_t in_s = 1, out_s = 1;
    for (int i = n - 1; i >= 0; --i) {
      reduced_[i] = (i % 2 == 0) == plan.reduce_first;
      in_stride_[i] = in_s;
      in_s *= plan.runs[i];
      out_stride_[i] = reduced_[i] ? 0 : out_s;
      if (!reduced_[i]) out_s *= plan.runs[i];
    }
    par_level_ = plan.reduce_first ? 1 : 0;
  }

  void Run() {
    const int64_t units = plan_.runs[par_level_];
    const int64_t total = [&] {
      int64_t t = 1;
      for (int64_t r : plan_.runs) t *= r;
      return t;
    }();
    const double per_unit = static_cast<double>(total) / units;
    const Eigen::TensorOpCost cost(per_unit * sizeof(T),
                                   per_unit / plan_.reduced_count * sizeof(T),
                                   per_unit);
    EigenDevice().parallelFor(units, cost,
                              [&](Eigen::Index first, Eigen::Index last) {
                                Walk(0, in_, acc_, first, last);
                              });
  }

 private:
  void Walk(int level, const T* in, Acc* out, int64_t first,
            int64_t last) const {
    const bool is_par = level == par_level_;
    const int64_t lo = is_par ? first : 0;
    const int64_t hi = is_par ? last : plan_.runs[level];
    if (level + 1 == static_cast<int>(plan_.runs.size())) {
      if (reduced_[level]) {
        *out = R::Combine(*out, R::ReduceRun(in, plan_.runs[level]));
      } else {
        R::CombineRun(out + lo, in + lo, hi - lo);
      }
      return;
    }
    for (int64_t i = lo; i < hi; ++i) {
      Walk(level + 1, in + i * in_stride_[level], out + i * out_stride_[level],
           first, last);
    }
  }

  const ReductionPlan& plan_;
  const T* in_;
  Acc* acc_;
  absl::InlinedVector<int64_t, 8> in_stride_, out_stride_;
  absl::InlinedVector<bool, 8> reduced_;
  int par_level_ = 0;
};

template <ReduceOp kOp, typename T>
absl::Status Reduce(const ReductionPlan& plan, const Tensor& data,
                    Tensor* output) {
  using R = Reducer<kOp, T>;
  using Acc = typename R::Acc;
  T* out = output->data<T>();
  const int64_t out_size = output->NumElements();
  if (data.NumElements() == 0) {
    std::fill(out, out + out_size, R::Identity());
    return absl::OkStatus();
  }
  constexpr bool kDirect = std::is_same_v<Acc, T> && kOp != ReduceOp::kMean &&
                           kOp != ReduceOp::kEuclideanNorm;
  Tensor acc_tensor;
  Acc* acc;
  if constexpr (kDirect) {
    acc = out;
  } else {
    MS_ASSIGN_OR_RETURN(acc_tensor, Tensor::Create(DataTypeOf<Acc>::value,
                                                   TensorShape{out_size}));
    acc = acc_tensor.data<Acc>();
  }
  std::fill(acc, acc + out_size, R::Init());
  if (plan.runs.size() == 1) {
    // Everything reduces to one value: partial results per chunk, combined.
    const T* in = data.data<T>();
    const int64_t n = plan.runs[0];
    constexpr int64_t kChunk = 16 * 1024;
    const int64_t chunks = (n + kChunk - 1) / kChunk;
    // Not std::vector: vector<bool> packs bits, which threads cannot share.
    std::unique_ptr<Acc[]> partial(new Acc[chunks]);
    const Eigen::TensorOpCost cost(kChunk * sizeof(T), sizeof(Acc), kChunk);
    EigenDevice().parallelFor(
        chunks, cost, [&](Eigen::Index first, Eigen::Index last) {
          for (Eigen::Index c = first; c < last; ++c) {
            const int64_t begin = c * kChunk;
            partial[c] = R::ReduceRun(in + begin, std::min(kChunk, n - begin));
          }
        });
    for (int64_t c = 0; c < chunks; ++c)
      acc[0] = R::Combine(acc[0], partial[c]);
  } else {
    RunWalker<kOp, T>(plan, data.data<T>(), acc).Run();
  }
  if constexpr (!kDirect) {
    for (int64_t i = 0; i < out_size; ++i) {
      out[i] = R::Finalize(acc[i], plan.reduced_count);
    }
  }
  return absl::OkStatus();
}

template <ReduceOp kOp>
class ReductionKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto k = std::unique_ptr<ReductionKernel>(new ReductionKernel());
    constexpr bool kBool = kOp == ReduceOp::kAll || kOp == ReduceOp::kAny;
    MS_RETURN_IF_ERROR(
        attrs.GetOr("T", kBool ? DT_BOOL : DT_FLOAT, &k->dtype_));
    MS_RETURN_IF_ERROR(attrs.GetOr("Tidx", DT_INT32, &k->tidx_));
    MS_RETURN_IF_ERROR(attrs.GetOr("keep_dims", false, &k->keep_dims_));
    bool supported = false;
    SwitchOnDataType(k->dtype_, [&](auto tag) {
      using T = decltype(tag);
      supported = kBool ? std::is_same_v<T, bool> : kIsRealNumber<T>;
    });
    if (!supported) {
      return UnsupportedDtypeError(c, k->dtype_);
    }
    if (k->tidx_ != DT_INT32 && k->tidx_ != DT_INT64) {
      return attrs.Error(absl::StrCat("Tidx must be int32 or int64, got ",
                                      DataTypeName(k->tidx_)));
    }
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& data = ctx.input(0);
    const Tensor& axes = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(data, dtype_));
    if (axes.dtype() != DT_INT32 && axes.dtype() != DT_INT64) {
      return ctx.InvalidArgument(
          absl::StrCat("reduction_indices must be int32 or int64, got ",
                       DataTypeName(axes.dtype())));
    }
    ReductionPlan plan;
    MS_RETURN_IF_ERROR(Simplify(data, axes, keep_dims_, &plan));
    const int n = static_cast<int>(plan.runs.size());
    if (n == 0 || (n == 1 && !plan.reduce_first)) {
      MS_ASSIGN_OR_RETURN(Tensor same, data.Reshaped(plan.out_shape));
      ctx.set_output(0, std::move(same));
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, plan.out_shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    absl::Status status;
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kOp == ReduceOp::kAll || kOp == ReduceOp::kAny) {
        if constexpr (std::is_same_v<T, bool>) {
          status = Reduce<kOp, T>(plan, data, out);
        }
      } else if constexpr (kIsRealNumber<T>) {
        status = Reduce<kOp, T>(plan, data, out);
      }
    });
    return status;
  }

 private:
  ReductionKernel() = default;

  DataType dtype_ = DT_FLOAT;
  DataType tidx_ = DT_INT32;
  bool keep_dims_ = false;
};

}  // namespace

REGISTER_KERNEL(OpSpec("Sum").Output("output"),
                ReductionKernel<ReduceOp::kSum>::Create);
REGISTER_KERNEL(OpSpec("Mean").Output("output"),
                ReductionKernel<ReduceOp::kMean>::Create);
REGISTER_KERNEL(OpSpec("Prod").Output("output"),
                ReductionKernel<ReduceOp::kProd>::Create);
REGISTER_KERNEL(OpSpec("Max").Output("output"),
                ReductionKernel<ReduceOp::kMax>::Create);
REGISTER_KERNEL(OpSpec("Min").Output("output"),
                ReductionKernel<ReduceOp::kMin>::Create);
REGISTER_KERNEL(OpSpec("EuclideanNorm").Output("output"),
                ReductionKernel<ReduceOp::kEuclideanNorm>::Create);
REGISTER_KERNEL(OpSpec("All").Output("output"),
                ReductionKernel<ReduceOp::kAll>::Create);
REGISTER_KERNEL(OpSpec("Any").Output("output"),
                ReductionKernel<ReduceOp::kAny>::Create);

}  // namespace model_server
