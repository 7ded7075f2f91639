// StridedSlice: input, begin, end, strides (Index int32/int64); attrs
//   begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask with
//   TensorFlow's full semantics (negative indices and strides, clamping).
//   Every dtype (data_movement.h).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// The dense (one entry per input dimension) form of a strided slice and the
// shapes it produces; TensorFlow's ValidateStridedSliceOp.
struct StridedSliceSpec {
  Dims begin, end, strides;  // per input dimension, canonical
  Dims processing_shape;     // per input dimension
  Dims final_shape;          // after new axes and shrinks
  bool is_identity = true;
};

absl::Status BuildStridedSlice(const Tensor& begin_t, const Tensor& end_t,
                               const Tensor& strides_t,
                               absl::Span<const int64_t> input_shape,
                               int64_t begin_mask_spec, int64_t end_mask_spec,
                               int64_t ellipsis_mask, int64_t new_axis_mask,
                               int64_t shrink_axis_mask,
                               StridedSliceSpec* spec) {
  const int64_t n = strides_t.NumElements();
  if (begin_t.rank() != 1 || end_t.rank() != 1 || strides_t.rank() != 1 ||
      begin_t.NumElements() != n || end_t.NumElements() != n || n >= 32) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Expected begin, end, and strides to be 1D equal size tensors, but "
        "got shapes ",
        begin_t.shape().DebugString(), ", ", end_t.shape().DebugString(),
        ", and ", strides_t.shape().DebugString(), " instead."));
  }
  if (ellipsis_mask != 0 && (ellipsis_mask & (ellipsis_mask - 1)) != 0) {
    return absl::InvalidArgumentError(
        "Multiple ellipses in slice spec not allowed");
  }
  const Dims sparse_begin = IntValues(begin_t);
  const Dims sparse_end = IntValues(end_t);
  const Dims sparse_strides = IntValues(strides_t);
  auto bit = [](int64_t mask, int64_t i) { return (mask >> i) & 1; };

  // Step 1: count new axes after the ellipsis; add an implicit ellipsis at
  // the end if there is none.
  int64_t sparse_dims = n;
  int64_t new_axes_after_ellipsis = 0;
  bool ellipsis_seen = false;
  for (int64_t i = 0; i < n; ++i) {
    if (ellipsis_seen && bit(new_axis_mask, i)) ++new_axes_after_ellipsis;
    if (bit(ellipsis_mask, i)) ellipsis_seen = true;
  }
  if (!ellipsis_seen) {
    ellipsis_mask |= int64_t{1} << sparse_dims;
    ++sparse_dims;
  }

  // Step 2: expand to one entry per input dimension.
  const int64_t dims = static_cast<int64_t>(input_shape.size());
  spec->begin.assign(dims, 0);
  spec->end.assign(dims, 0);
  spec->strides.assign(dims, 1);
  std::vector<bool> begin_mask(dims, false), end_mask(dims, false),
      shrink(dims, false);
  constexpr int64_t kNewAxis = -2, kShrinkAxis = -1;
  Dims gather;  // where each final dimension comes from
  int64_t full = 0;
  for (int64_t i = 0; i < sparse_dims; ++i) {
    if (bit(ellipsis_mask, i)) {
      const int64_t next = std::min(
          dims - (sparse_dims - i) + 1 + new_axes_after_ellipsis, dims);
      for (; full < next; ++full) {
        begin_mask[full] = end_mask[full] = true;
        gather.push_back(full);
      }
    } else if (bit(new_axis_mask, i)) {
      gather.push_back(kNewAxis);
    } else {
      if (full == dims) {
        return absl::InvalidArgumentError(
            absl::StrCat("Index out of range using input dim ", full,
                         "; input has only ", dims, " dims"));
      }
      spec->begin[full] = sparse_begin[i];
      spec->end[full] = sparse_end[i];
      spec->strides[full] = sparse_strides[i];
      begin_mask[full] = bit(begin_mask_spec, i);
      end_mask[full] = bit(end_mask_spec, i);
      if (bit(shrink_axis_mask, i)) {
        gather.push_back(kShrinkAxis);
        shrink[full] = true;
      } else {
        gather.push_back(full);
      }
      ++full;
    }
  }

  // Step 3: canonicalize and bounds-check each dimension.
  spec->processing_shape.assign(dims, 0);
  spec->is_identity = true;
  for (int64_t i = 0; i < dims; ++i) {
    int64_t& b = spec->begin[i];
    int64_t& e = spec->end[i];
    const int64_t s = spec->strides[i];
    const int64_t dim = input_shape[i];
    if (s == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("strides[", i, "] must be non-zero"));
    }
    if (shrink[i] && s <= 0) {
      return absl::InvalidArgumentError(
          "only stride 1 allowed on non-range indexing.");
    }
    const int64_t lo = s > 0 ? 0 : -1;
    const int64_t hi = s > 0 ? dim : dim - 1;
    auto canonical = [&](int64_t x, bool masked, bool is_begin) {
      if (masked) return (s > 0) == is_begin ? lo : hi;
      const int64_t fwd = x < 0 ? dim + x : x;
      return fwd < lo ? lo : (fwd > hi ? hi : fwd);
    };
    if (shrink[i]) {
      const int64_t fwd = b < 0 ? dim + b : b;
      b = fwd;
      e = fwd + 1;
      if (fwd < 0 || fwd >= dim) {
        return absl::InvalidArgumentError(absl::StrCat(
            "slice index ", fwd, " of dimension ", i, " out of bounds."));
      }
    } else {
      b = canonical(b, begin_mask[i], true);
      e = canonical(e, end_mask[i], false);
    }
    spec->is_identity &= s == 1 && b == 0 && e == dim;
    const int64_t length = e - b;
    int64_t size = 0;
    if (length != 0 && (length < 0) == (s < 0)) {
      size = length / s + (length % s != 0 ? 1 : 0);
    }
    spec->processing_shape[i] = size;
  }

  // Step 4: the final shape.
  spec->final_shape.clear();
  for (int64_t g : gather) {
    if (g >= 0) {
      spec->final_shape.push_back(spec->processing_shape[g]);
    } else if (g == kNewAxis) {
      spec->final_shape.push_back(1);
    }
  }
  return absl::OkStatus();
}

class StridedSliceKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Index"));
    int64_t masks[5];
    const char* names[5] = {"begin_mask", "end_mask", "ellipsis_mask",
                            "new_axis_mask", "shrink_axis_mask"};
    for (int i = 0; i < 5; ++i) {
      MS_RETURN_IF_ERROR(c.attrs.GetOr(names[i], int64_t{0}, &masks[i]));
      masks[i] &= 0xffffffff;  // TensorFlow's masks are int32 bit sets.
    }
    return std::unique_ptr<OpKernel>(new StridedSliceKernel(masks));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    for (int i = 1; i < 4; ++i) {
      MS_RETURN_IF_ERROR(CheckIntTensor(
          ctx.input(i), i == 1 ? "begin" : (i == 2 ? "end" : "strides")));
    }
    StridedSliceSpec spec;
    MS_RETURN_IF_ERROR(BuildStridedSlice(
        ctx.input(1), ctx.input(2), ctx.input(3), input.shape().dims(),
        masks_[0], masks_[1], masks_[2], masks_[3], masks_[4], &spec));
    MS_ASSIGN_OR_RETURN(TensorShape final_shape,
                        TensorShape::FromDims(spec.final_shape));
    if (spec.is_identity) {
      MS_ASSIGN_OR_RETURN(Tensor out, input.Reshaped(final_shape));
      ctx.set_output(0, std::move(out));
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), final_shape));
    const Dims in_strides = StridesOf(input.shape().dims());
    Dims strides(input.rank());
    int64_t start = 0;
    for (int i = 0; i < input.rank(); ++i) {
      strides[i] = spec.strides[i] * in_strides[i];
      start += spec.begin[i] * in_strides[i];
    }
    CopyView(input, start, spec.processing_shape, strides, out);
    return absl::OkStatus();
  }

 private:
  explicit StridedSliceKernel(const int64_t* masks) {
    std::copy(masks, masks + 5, masks_);
  }
  int64_t masks_[5];
};

}  // namespace

REGISTER_KERNEL(OpSpec("StridedSlice").Output("output"),
                StridedSliceKernel::Create);

}  // namespace model_server
