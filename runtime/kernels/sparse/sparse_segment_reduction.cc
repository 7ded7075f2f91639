// SparseSegmentSum, SparseSegmentMean, SparseSegmentSqrtN and their
// *WithNumSegments forms: reduce rows of `data` picked by `indices` into
// the segments named by sorted `segment_ids`.
//
// Inputs: data T [D, ...], indices Tidx [K], segment_ids Tsegmentids [K]
// (both int32 or int64, default int32; TF 1.x graphs have no Tsegmentids),
// and for *WithNumSegments num_segments (Tnumsegments) scalar. Output
// "output" [S, ...] where S = last segment id + 1, or num_segments. Row s
// combines data[indices[k]] over the k with segment_ids[k] == s: the sum,
// the mean, or the sum / sqrt(count). Rows of segments that no id names are
// 0. Segment ids must be sorted; errors use TensorFlow's texts.
//
// Summation order follows TensorFlow's CPU kernel (a leading group of
// count % 8 rows, or 8 or 9, then groups of 8 added in turn) so float sums
// agree bit for bit. Mean and SqrtN divide by the count (or its square
// root) as TensorFlow 1.x does; newer releases multiply by the reciprocal
// for segments of fewer than 10 rows, which can differ in the last bit.
// half and bfloat16 accumulate in float.
// T: float, double, half, bfloat16; Sum also takes the integer types.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class SegmentReduce { kSum, kMean, kSqrtN };

// a += b; integers wrap (two's complement) instead of overflowing.
template <typename Acc>
void AddTo(Acc& a, Acc b) {
  if constexpr (kIsInt<Acc>) {
    using U = std::make_unsigned_t<Acc>;
    a = static_cast<Acc>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    a += b;
  }
}

// Element `i` of an int32 or int64 vector.
int64_t IdAt(const Tensor& t, int64_t i) {
  return t.dtype() == DT_INT32 ? t.data<int32_t>()[i] : t.data<int64_t>()[i];
}

absl::Status CheckIdTensor(const Tensor& t, absl::string_view name) {
  if (t.dtype() != DT_INT32 && t.dtype() != DT_INT64) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " must be int32 or int64, got ", DataTypeName(t.dtype())));
  }
  return absl::OkStatus();
}

template <typename T, SegmentReduce kReduce>
class SparseSegmentReductionKernel final : public OpKernel {
 public:
  using Acc = std::conditional_t<kIsNarrowFloat<T>, float, T>;

  explicit SparseSegmentReductionKernel(bool has_num_segments)
      : has_num_segments_(has_num_segments) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& data = ctx.input(0);
    const Tensor& indices = ctx.input(1);
    const Tensor& segment_ids = ctx.input(2);
    MS_ASSIGN_OR_RETURN(int64_t output_rows,
                        Validate(ctx, data, indices, segment_ids));
    const int64_t k = indices.NumElements();

    TensorShape out_shape = data.shape();
    MS_RETURN_IF_ERROR(out_shape.SetDim(0, output_rows));
    MS_ASSIGN_OR_RETURN(
        Tensor * out, ctx.allocate_output(0, DataTypeOf<T>::value, out_shape));
    const int64_t cols =
        output_rows == 0 ? 0 : out->NumElements() / output_rows;
    T* o = out->data<T>();
    std::fill_n(o, out->NumElements(), T(0));
    if (k == 0) return absl::OkStatus();

    const int64_t data_rows = data.dim(0);
    const T* in = data.data<T>();
    std::vector<Acc> acc(cols), group(cols);
    int64_t start = 0;
    while (start < k) {
      const int64_t segment = IdAt(segment_ids, start);
      int64_t end = start + 1;
      while (end < k && IdAt(segment_ids, end) == segment) ++end;
      if (end < k && IdAt(segment_ids, end) < segment) {
        return ctx.InvalidArgument("segment ids are not increasing");
      }
      if (segment < 0 || segment >= output_rows) {
        return ctx.InvalidArgument(absl::StrCat(
            "Segment id ", segment, " out of range [0, ", output_rows,
            "), possibly because 'segment_ids' input is not sorted."));
      }
      for (int64_t j = start; j < end; ++j) {
        const int64_t row = IdAt(indices, j);
        if (row < 0 || row >= data_rows) {
          return ctx.InvalidArgument(
              absl::StrCat("Bad: indices[", j, "] == ", row,
                           " out of range [0, ", data_rows, ")"));
        }
      }
      ReduceSegment(in, indices, start, end - start, cols, acc, group);
      T* dst = o + segment * cols;
      for (int64_t c = 0; c < cols; ++c) dst[c] = static_cast<T>(acc[c]);
      start = end;
    }
    return absl::OkStatus();
  }

 private:
  // Checks shapes and ids; returns the number of output rows.
  absl::StatusOr<int64_t> Validate(OpKernelContext& ctx, const Tensor& data,
                                   const Tensor& indices,
                                   const Tensor& segment_ids) const {
    if (data.dtype() != DataTypeOf<T>::value) {
      return ctx.InvalidArgument(
          absl::StrCat("data must be ", DataTypeName(DataTypeOf<T>::value),
                       ", got ", DataTypeName(data.dtype())));
    }
    MS_RETURN_IF_ERROR(CheckIdTensor(indices, "indices"));
    MS_RETURN_IF_ERROR(CheckIdTensor(segment_ids, "segment_ids"));
    int64_t num_segments = -1;
    if (has_num_segments_) {
      const Tensor& n = ctx.input(3);
      MS_RETURN_IF_ERROR(CheckIdTensor(n, "num_segments"));
      if (n.rank() != 0) {
        return ctx.InvalidArgument(
            absl::StrCat("num_segments should be a scalar, not shape ",
                         n.shape().DebugString()));
      }
      num_segments = IdAt(n, 0);
      if (num_segments < 0) {
        return ctx.InvalidArgument("segment ids must be >= 0");
      }
    }
    if (indices.rank() != 1) {
      return ctx.InvalidArgument("indices should be a vector.");
    }
    if (segment_ids.rank() != 1) {
      return ctx.InvalidArgument("segment_ids should be a vector.");
    }
    const int64_t k = indices.NumElements();
    if (k != segment_ids.NumElements()) {
      return ctx.InvalidArgument(
          "segment_ids and indices should have same size.");
    }
    if (data.rank() < 1) {
      return ctx.InvalidArgument("Shape must be at least rank 1");
    }
    // Computed in 64 bits, so an id of INT64_MAX is the only overflow.
    const int64_t last = k > 0 ? IdAt(segment_ids, k - 1) : -1;
    if (last == INT64_MAX) {
      return ctx.InvalidArgument(
          absl::StrCat("Last segment id must be < kintmax, got ", last));
    }
    int64_t output_rows = last + 1;
    if (has_num_segments_) {
      if (num_segments < output_rows) {
        return ctx.InvalidArgument("segment ids must be < num_segments");
      }
      output_rows = num_segments;
    }
    if (output_rows < 0 || (k > 0 && output_rows == 0)) {
      return ctx.InvalidArgument("segment ids must be >= 0");
    }
    return output_rows;
  }

  // acc = combination of the `count` rows data[indices[start...]].
  void ReduceSegment(const T* in, const Tensor& indices, int64_t start,
                     int64_t count, int64_t cols, std::vector<Acc>& acc,
                     std::vector<Acc>& group) const {
    auto row = [&](int64_t j) { return in + IdAt(indices, start + j) * cols; };
    // Leading group: count % 8 rows, but 8 for 0 and 9 for 1 (all rows when
    // count < 10).
    int64_t lead = count % 8;
    if (count == 1) {
      lead = 1;
    } else if (lead == 0) {
      lead = 8;
    } else if (lead == 1) {
      lead = 9;
    }
    SumRows(row, 0, lead, cols, acc);
    if (count > 1 && count < 10 && kReduce != SegmentReduce::kSum) {
      const Acc m = kReduce == SegmentReduce::kMean
                        ? static_cast<Acc>(count)
                        : static_cast<Acc>(std::sqrt(count));
      for (Acc& v : acc) v = v / m;
    }
    for (int64_t r = lead; r < count; r += 8) {
      SumRows(row, r, 8, cols, group);
      for (int64_t c = 0; c < cols; ++c) AddTo(acc[c], group[c]);
    }
    if (count >= 10 && kReduce != SegmentReduce::kSum) {
      const Acc m = kReduce == SegmentReduce::kMean
                        ? static_cast<Acc>(count)
                        : static_cast<Acc>(std::sqrt(count));
      for (Acc& v : acc) v = v / m;
    }
  }

  // out = row(first) + row(first + 1) + ... (n rows, left to right).
  template <typename RowFn>
  static void SumRows(const RowFn& row, int64_t first, int64_t n, int64_t cols,
                      std::vector<Acc>& out) {
    const T* r0 = row(first);
    for (int64_t c = 0; c < cols; ++c) out[c] = static_cast<Acc>(r0[c]);
    for (int64_t j = 1; j < n; ++j) {
      const T* r = row(first + j);
      for (int64_t c = 0; c < cols; ++c) AddTo(out[c], static_cast<Acc>(r[c]));
    }
  }

  const bool has_num_segments_;
};

template <SegmentReduce kReduce>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateSparseSegmentReduction(
    const KernelConstruction& c) {
  const bool has_num_segments = absl::EndsWith(c.attrs.op(), "WithNumSegments");
  const int expected_inputs = has_num_segments ? 4 : 3;
  if (c.num_inputs != expected_inputs) {
    return c.attrs.Error(absl::StrCat("expects ", expected_inputs,
                                      " inputs, got ", c.num_inputs));
  }
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  for (const char* attr : {"Tidx", "Tsegmentids", "Tnumsegments"}) {
    DataType id_type;
    MS_RETURN_IF_ERROR(c.attrs.GetOr(attr, DT_INT32, &id_type));
    if (id_type != DT_INT32 && id_type != DT_INT64) {
      return c.attrs.Error(absl::StrCat("attr '", attr,
                                        "' must be int32 or int64, got ",
                                        DataTypeName(id_type)));
    }
  }
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsFloat<T> ||
                  (kReduce == SegmentReduce::kSum && kIsInt<T>)) {
      return std::make_unique<SparseSegmentReductionKernel<T, kReduce>>(
          has_num_segments);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("SparseSegmentSum").Output("output"),
                CreateSparseSegmentReduction<SegmentReduce::kSum>);
REGISTER_KERNEL(OpSpec("SparseSegmentSumWithNumSegments").Output("output"),
                CreateSparseSegmentReduction<SegmentReduce::kSum>);
REGISTER_KERNEL(OpSpec("SparseSegmentMean").Output("output"),
                CreateSparseSegmentReduction<SegmentReduce::kMean>);
REGISTER_KERNEL(OpSpec("SparseSegmentMeanWithNumSegments").Output("output"),
                CreateSparseSegmentReduction<SegmentReduce::kMean>);
REGISTER_KERNEL(OpSpec("SparseSegmentSqrtN").Output("output"),
                CreateSparseSegmentReduction<SegmentReduce::kSqrtN>);
REGISTER_KERNEL(OpSpec("SparseSegmentSqrtNWithNumSegments").Output("output"),
                CreateSparseSegmentReduction<SegmentReduce::kSqrtN>);

}  // namespace model_server
