// Segment reductions: rows of `data` combined by the segment id each row
// carries.
//
// SegmentSum / Prod / Mean / Max / Min: data [N, ...], segment_ids (Tindices
//   int32/int64) [N], sorted and >= 0 -> output [last id + 1, ...]. A segment
//   no id names is 0 (1 for Prod).
// UnsortedSegmentSum / Prod / Max / Min: data, segment_ids of a shape that
//   prefixes data's, num_segments (Tnumsegments int32/int64 scalar) ->
//   output [num_segments] + data.shape[rank(segment_ids):]. Negative ids drop
//   their rows. An empty segment is the op's identity: 0, 1, the lowest
//   value (Max: -FLT_MAX for float, as TensorFlow's NumTraits::lowest) or
//   the highest (Min).
//
// Mean of integers divides the integer sum. Dtypes (TensorFlow's CPU
// registrations): Sum, Prod, Mean real and complex numbers; Max, Min real
// numbers. half and bfloat16 accumulate in float. Bad ids are
// INVALID_ARGUMENT with TensorFlow's texts.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/dtype_complex.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class SegmentOp { kSum, kProd, kMean, kMax, kMin };

template <SegmentOp op, typename T>
constexpr bool SegmentSupports() {
  if constexpr (op == SegmentOp::kMax || op == SegmentOp::kMin) {
    return kIsRealNumber<T>;
  } else {
    return kIsRealNumber<T> || kIsComplex<T>;
  }
}

// The value a reduction starts from (and an unsorted empty segment's), in
// the element type T (so half's lowest is -65504, not -inf).
template <SegmentOp op, typename T>
T Identity() {
  if constexpr (op == SegmentOp::kProd) {
    return T(1);
  } else if constexpr (op == SegmentOp::kMax) {
    return std::numeric_limits<T>::lowest();
  } else if constexpr (op == SegmentOp::kMin) {
    return std::numeric_limits<T>::max();
  } else {
    return T(0);
  }
}

// sum / count; integers divide their integer sum.
template <typename Acc>
Acc MeanOf(Acc sum, int64_t count) {
  if constexpr (kIsInt<Acc>) {
    return static_cast<Acc>(static_cast<int64_t>(sum) / count);
  } else {
    return sum / static_cast<Acc>(static_cast<double>(count));
  }
}

template <SegmentOp op, typename Acc>
void Combine(Acc& acc, Acc x) {
  if constexpr (op == SegmentOp::kMax) {
    if (acc < x) acc = x;
  } else if constexpr (op == SegmentOp::kMin) {
    if (x < acc) acc = x;
  } else if constexpr (kIsInt<Acc>) {
    // Integers wrap (two's complement) instead of overflowing.
    using U = std::make_unsigned_t<Acc>;
    acc = op == SegmentOp::kProd
              ? static_cast<Acc>(static_cast<U>(acc) * static_cast<U>(x))
              : static_cast<Acc>(static_cast<U>(acc) + static_cast<U>(x));
  } else if constexpr (op == SegmentOp::kProd) {
    acc = acc * x;
  } else {
    acc = acc + x;
  }
}

// out[s, :] = reduction of the data rows with id s; rows with id < 0 are
// skipped. Empty segments become `empty` (sorted ops) or the identity.
// REQUIRES: every id < num_segments.
template <SegmentOp op, typename T>
void Reduce(const Tensor& data, const Tensor& ids, int64_t num_segments,
            bool sorted, Tensor* out) {
  using Acc = ComputeType<T>;
  const int64_t rows = ids.NumElements();
  const int64_t inner =
      num_segments == 0 ? 0 : out->NumElements() / num_segments;
  std::vector<Acc> acc(out->NumElements(), static_cast<Acc>(Identity<op, T>()));
  std::vector<int64_t> count(num_segments, 0);
  const T* x = data.data<T>();
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t s = IntAt(ids, r);
    if (s < 0) continue;
    ++count[s];
    Acc* a = acc.data() + s * inner;
    const T* row = x + r * inner;
    for (int64_t j = 0; j < inner; ++j) {
      Combine<op, Acc>(a[j], static_cast<Acc>(row[j]));
    }
  }
  T* y = out->data<T>();
  for (int64_t s = 0; s < num_segments; ++s) {
    for (int64_t j = 0; j < inner; ++j) {
      Acc v = acc[s * inner + j];
      if (count[s] == 0) {
        if (sorted) v = Acc(op == SegmentOp::kProd ? 1 : 0);
      } else if constexpr (op == SegmentOp::kMean) {
        v = MeanOf(v, count[s]);
      }
      y[s * inner + j] = static_cast<T>(v);
    }
  }
}

template <SegmentOp op>
class SegmentReductionKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const bool unsorted = absl::StartsWith(c.attrs.op(), "Unsorted");
    MS_RETURN_IF_ERROR(CheckNumInputs(c, unsorted ? 3 : 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tindices"));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tnumsegments"));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    if (!DtypeIs(dtype, [](auto tag) {
          return SegmentSupports<op, decltype(tag)>();
        })) {
      return UnsupportedDtypeError(c, dtype);
    }
    return std::unique_ptr<OpKernel>(
        new SegmentReductionKernel(dtype, unsorted));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& data = ctx.input(0);
    const Tensor& ids = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(data, dtype_));
    MS_RETURN_IF_ERROR(CheckIntTensor(ids, "segment_ids"));
    int64_t num_segments = 0;
    int prefix_rank = 1;
    if (unsorted_) {
      MS_ASSIGN_OR_RETURN(num_segments, UnsortedSegments(ctx, data, ids));
      prefix_rank = ids.rank();
    } else {
      MS_ASSIGN_OR_RETURN(num_segments, SortedSegments(data, ids));
    }
    std::vector<int64_t> dims = {num_segments};
    absl::Span<const int64_t> data_dims = data.shape().dims();
    dims.insert(dims.end(), data_dims.begin() + prefix_rank, data_dims.end());
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, dtype_, shape));
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (SegmentSupports<op, T>()) {
        Reduce<op, T>(data, ids, num_segments, !unsorted_, out);
      }
    });
    return absl::OkStatus();
  }

 private:
  SegmentReductionKernel(DataType dtype, bool unsorted)
      : dtype_(dtype), unsorted_(unsorted) {}

  // The number of output rows of a sorted segment op, after checking ids.
  static absl::StatusOr<int64_t> SortedSegments(const Tensor& data,
                                                const Tensor& ids) {
    if (data.rank() < 1) {
      return absl::InvalidArgumentError("input must be at least rank 1");
    }
    if (ids.rank() != 1) {
      return absl::InvalidArgumentError("segment_ids should be a vector.");
    }
    if (ids.NumElements() != data.dim(0)) {
      return absl::InvalidArgumentError(
          "segment_ids should be the same size as dimension 0 of input.");
    }
    const int64_t n = ids.NumElements();
    if (n == 0) return 0;
    const int64_t rows = IntAt(ids, n - 1) + 1;
    if (rows < 1) {
      return absl::InvalidArgumentError("segment ids must be >= 0");
    }
    int64_t previous = 0;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t id = IntAt(ids, i);
      if (id < previous) {
        return absl::InvalidArgumentError(
            id < 0 ? absl::StrCat("Segment id ", id, " out of range [0, ", rows,
                                  "), possibly because 'segment_ids' input "
                                  "is not sorted.")
                   : std::string("segment ids are not increasing"));
      }
      previous = id;
    }
    return rows;
  }

  // num_segments of an unsorted op, after checking it and the ids.
  static absl::StatusOr<int64_t> UnsortedSegments(OpKernelContext& ctx,
                                                  const Tensor& data,
                                                  const Tensor& ids) {
    const Tensor& num_t = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckIntTensor(num_t, "num_segments"));
    if (num_t.rank() != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("num_segments should be a scalar, not shape ",
                       num_t.shape().DebugString()));
    }
    const int64_t num_segments = IntAt(num_t, 0);
    if (num_segments < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Input num_segments == ", num_segments, " must not be negative."));
    }
    bool prefix = ids.rank() <= data.rank();
    for (int d = 0; prefix && d < ids.rank(); ++d) {
      prefix = ids.dim(d) == data.dim(d);
    }
    if (!prefix) {
      return absl::InvalidArgumentError(
          absl::StrCat("data.shape = ", data.shape().DebugString(),
                       " does not start with segment_ids.shape = ",
                       ids.shape().DebugString()));
    }
    for (int64_t i = 0; i < ids.NumElements(); ++i) {
      const int64_t id = IntAt(ids, i);
      if (id >= num_segments) {
        return absl::InvalidArgumentError(absl::StrCat(
            "segment_ids", SliceDebugString(ids.shape().dims(), i), " = ", id,
            " is out of range [0, ", num_segments, ")"));
      }
    }
    return num_segments;
  }

  const DataType dtype_;
  const bool unsorted_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("SegmentSum").Output("output"),
                SegmentReductionKernel<SegmentOp::kSum>::Create);
REGISTER_KERNEL(OpSpec("SegmentProd").Output("output"),
                SegmentReductionKernel<SegmentOp::kProd>::Create);
REGISTER_KERNEL(OpSpec("SegmentMean").Output("output"),
                SegmentReductionKernel<SegmentOp::kMean>::Create);
REGISTER_KERNEL(OpSpec("SegmentMax").Output("output"),
                SegmentReductionKernel<SegmentOp::kMax>::Create);
REGISTER_KERNEL(OpSpec("SegmentMin").Output("output"),
                SegmentReductionKernel<SegmentOp::kMin>::Create);
REGISTER_KERNEL(OpSpec("UnsortedSegmentSum").Output("output"),
                SegmentReductionKernel<SegmentOp::kSum>::Create);
REGISTER_KERNEL(OpSpec("UnsortedSegmentProd").Output("output"),
                SegmentReductionKernel<SegmentOp::kProd>::Create);
REGISTER_KERNEL(OpSpec("UnsortedSegmentMax").Output("output"),
                SegmentReductionKernel<SegmentOp::kMax>::Create);
REGISTER_KERNEL(OpSpec("UnsortedSegmentMin").Output("output"),
                SegmentReductionKernel<SegmentOp::kMin>::Create);

}  // namespace model_server
