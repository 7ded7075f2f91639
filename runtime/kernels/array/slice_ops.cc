// Indexing and rearranging ops: slices, tiles, gathers, transposes.
//
// StridedSlice: input, begin, end, strides (Index int32/int64); attrs
//   begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask with
//   TensorFlow's full semantics (negative indices and strides, clamping).
// Slice: input, begin, size (Index); size -1 means "to the end".
// Tile: input, multiples (Tmultiples). Transpose: x, perm (Tperm) -> "y".
// ReverseV2: tensor, axis (Tidx).
// GatherV2: params, indices (Tindices), axis (Taxis); attr batch_dims.
// Gather: params, indices (axis 0). GatherNd: params, indices.
// Fill: dims (index_type), value. ZerosLike / OnesLike: x -> "y".
// Range: start, limit, delta (Tidx float/double/int8/int16/int32/int64/
//   uint16/uint32).
// OneHot: indices (TI uint8/int8/int32/int64), depth, on_value, off_value;
//   attr axis. Where: input -> "index" (int64 coordinates of true elements).
//
// Data-movement ops are written once per element size (numbers are moved as
// same-sized unsigned integers) plus strings, resources and variants, so
// every dtype works without an instantiation per type.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/eigen_device.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

using Dims = absl::InlinedVector<int64_t, 8>;

// ---------------------------------------------------------------------------
// Shared helpers.

absl::Status Unsupported(const KernelConstruction& c, absl::string_view what) {
  return absl::UnimplementedError(
      absl::StrCat(c.attrs.op(), " node '", c.node_name(), "': ", what));
}

// Checks an optional int32/int64 type attribute.
absl::Status CheckIndexTypeAttr(const KernelConstruction& c,
                                absl::string_view name) {
  if (!c.attrs.Has(name)) return absl::OkStatus();
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get(name, &dtype));
  if (dtype != DT_INT32 && dtype != DT_INT64) {
    return Unsupported(
        c, absl::StrCat("attr '", name, "' must be int32 or int64, got ",
                        DataTypeName(dtype)));
  }
  return absl::OkStatus();
}

absl::Status CheckIntTensor(const Tensor& t, absl::string_view what) {
  if (t.dtype() != DT_INT32 && t.dtype() != DT_INT64) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " must be int32 or int64, got ", DataTypeName(t.dtype())));
  }
  return absl::OkStatus();
}

// Element `i` of an int32/int64 tensor. REQUIRES: CheckIntTensor passed.
int64_t IntAt(const Tensor& t, int64_t i) {
  return t.dtype() == DT_INT32 ? t.data<int32_t>()[i] : t.data<int64_t>()[i];
}

Dims IntValues(const Tensor& t) {
  Dims values(t.NumElements());
  for (int64_t i = 0; i < t.NumElements(); ++i) values[i] = IntAt(t, i);
  return values;
}

int64_t Product(absl::Span<const int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

// Row-major strides (in elements) of a shape.
Dims StridesOf(absl::Span<const int64_t> dims) {
  Dims strides(dims.size());
  int64_t stride = 1;
  for (int i = static_cast<int>(dims.size()) - 1; i >= 0; --i) {
    strides[i] = stride;
    stride *= dims[i];
  }
  return strides;
}

// "[i,j]" position of flat index `flat` in `shape`; "" for a scalar.
std::string SliceDebugString(absl::Span<const int64_t> shape, int64_t flat) {
  if (shape.empty()) return "";
  Dims index(shape.size());
  for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
    index[d] = shape[d] == 0 ? 0 : flat % shape[d];
    flat = shape[d] == 0 ? 0 : flat / shape[d];
  }
  return absl::StrCat("[", absl::StrJoin(index, ","), "]");
}

// Numbers are moved as unsigned integers of the same size.
struct Pod16 {
  uint64_t lo, hi;
};

// Calls fn(tag) with a type that moves elements of `dtype`; false if the
// dtype is not supported.
template <typename Fn>
bool SwitchOnMoveType(DataType dtype, Fn&& fn) {
  switch (dtype) {
    case DT_STRING:
      fn(std::string());
      return true;
    case DT_RESOURCE:
      fn(std::shared_ptr<ResourceBase>());
      return true;
    case DT_VARIANT:
      fn(std::shared_ptr<VariantValue>());
      return true;
    default:
      break;
  }
  switch (DataTypeSize(dtype)) {
    case 1:
      fn(uint8_t());
      return true;
    case 2:
      fn(uint16_t());
      return true;
    case 4:
      fn(uint32_t());
      return true;
    case 8:
      fn(uint64_t());
      return true;
    case 16:
      fn(Pod16());
      return true;
    default:
      return false;
  }
}

template <typename T>
const T* DataAs(const Tensor& t) {
  return static_cast<const T*>(t.raw_data());
}
template <typename T>
T* DataAs(Tensor* t) {
  return static_cast<T*>(t->raw_data());
}

template <typename T>
void CopyRun(const T* src, int64_t n, T* dst) {
  if constexpr (std::is_trivially_copyable_v<T>) {
    std::memcpy(dst, src, n * sizeof(T));
  } else {
    std::copy(src, src + n, dst);
  }
}

// Runs fn(begin, end) over [0, rows), on the thread pool when the rows hold
// at least kMinParallelWork elements.
template <typename Fn>
void ForRows(int64_t rows, int64_t per_row, const Fn& fn) {
  if (rows > 1 && rows * per_row >= kMinParallelWork) {
    const double bytes = 8.0 * static_cast<double>(per_row);
    EigenDevice().parallelFor(
        rows, Eigen::TensorOpCost(bytes, bytes, 1),
        [&](Eigen::Index begin, Eigen::Index end) { fn(begin, end); });
  } else {
    fn(0, rows);
  }
}

// Drops size-1 dimensions and merges neighbours that are contiguous in the
// source, so strided copies run over as few, as long, rows as possible.
void Simplify(Dims* dims, Dims* strides) {
  Dims d, s;
  for (size_t i = 0; i < dims->size(); ++i) {
    if ((*dims)[i] == 1) continue;
    if (!d.empty() && s.back() == (*strides)[i] * (*dims)[i]) {
      d.back() *= (*dims)[i];
      s.back() = (*strides)[i];
      continue;
    }
    d.push_back((*dims)[i]);
    s.push_back((*strides)[i]);
  }
  *dims = std::move(d);
  *strides = std::move(s);
}

// out (contiguous, shape `dims`) = in[start + sum_d idx_d * strides_d].
template <typename T>
void StridedCopy(const T* in, int64_t start, Dims dims, Dims strides, T* out) {
  Simplify(&dims, &strides);
  const int rank = static_cast<int>(dims.size());
  if (rank == 0) {
    out[0] = in[start];
    return;
  }
  const int64_t inner = dims[rank - 1];
  const int64_t inner_stride = strides[rank - 1];
  const int64_t rows = Product(absl::MakeSpan(dims).subspan(0, rank - 1));
  ForRows(rows, inner, [&](int64_t begin, int64_t end) {
    Dims idx(rank - 1, 0);
    int64_t offset = start;
    int64_t rest = begin;
    for (int d = rank - 2; d >= 0; --d) {
      idx[d] = rest % dims[d];
      rest /= dims[d];
      offset += idx[d] * strides[d];
    }
    for (int64_t row = begin; row < end; ++row) {
      const T* src = in + offset;
      T* dst = out + row * inner;
      if (inner_stride == 1) {
        CopyRun(src, inner, dst);
      } else {
        for (int64_t j = 0; j < inner; ++j) dst[j] = src[j * inner_stride];
      }
      for (int d = rank - 2; d >= 0; --d) {
        offset += strides[d];
        if (++idx[d] < dims[d]) break;
        offset -= strides[d] * dims[d];
        idx[d] = 0;
      }
    }
  });
}

// Copies a strided view of `in` into `out` (already allocated, contiguous).
void CopyView(const Tensor& in, int64_t start, const Dims& dims,
              const Dims& strides, Tensor* out) {
  if (out->NumElements() == 0) return;
  SwitchOnMoveType(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    StridedCopy<T>(DataAs<T>(in), start, dims, strides, DataAs<T>(out));
  });
}

// ---------------------------------------------------------------------------
// StridedSlice.

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

// ---------------------------------------------------------------------------
// Slice, Tile, Transpose, ReverseV2.

class SliceKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Index"));
    return std::unique_ptr<OpKernel>(new SliceKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& begin_t = ctx.input(1);
    const Tensor& size_t_ = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckIntTensor(begin_t, "begin"));
    MS_RETURN_IF_ERROR(CheckIntTensor(size_t_, "size"));
    const int rank = input.rank();
    if (begin_t.rank() != 1 || size_t_.rank() != 1 ||
        begin_t.NumElements() != rank || size_t_.NumElements() != rank) {
      return ctx.InvalidArgument(absl::StrCat(
          "Expected begin and size arguments to be 1-D tensors of size ", rank,
          ", but got shapes ", begin_t.shape().DebugString(), " and ",
          size_t_.shape().DebugString(), " instead."));
    }
    Dims sizes(rank);
    int64_t start = 0;
    const Dims in_strides = StridesOf(input.shape().dims());
    bool identity = true;
    for (int i = 0; i < rank; ++i) {
      const int64_t dim = input.dim(i);
      const int64_t b = IntAt(begin_t, i);
      int64_t s = IntAt(size_t_, i);
      if (s == -1) s = dim - b;
      if (dim == 0) {
        if (b != 0 || s != 0) {
          return ctx.InvalidArgument(absl::StrCat(
              "Expected begin[", i, "] == 0 (got ", b, ") and size[", i,
              "] == 0 (got ", s, ") when input.dim_size(", i, ") == 0"));
        }
      } else {
        if (b < 0 || b > dim) {
          return ctx.InvalidArgument(absl::StrCat(
              "Expected begin[", i, "] in [0, ", dim, "], but got ", b));
        }
        if (s < 0 || s > dim - b) {
          return ctx.InvalidArgument(absl::StrCat(
              "Expected size[", i, "] in [0, ", dim - b, "], but got ", s));
        }
      }
      sizes[i] = s;
      start += b * in_strides[i];
      identity &= b == 0 && s == dim;
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(sizes));
    if (identity) {
      ctx.set_output(0, input);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), shape));
    CopyView(input, start, sizes, in_strides, out);
    return absl::OkStatus();
  }
};

class TileKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tmultiples"));
    return std::unique_ptr<OpKernel>(new TileKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& multiples_t = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(multiples_t, "multiples"));
    const int rank = input.rank();
    if (multiples_t.rank() > 1 || multiples_t.NumElements() != rank) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected multiples argument to be a vector of length ",
                       rank, " but got length ", multiples_t.NumElements()));
    }
    Dims out_dims(rank);
    for (int i = 0; i < rank; ++i) {
      const int64_t m = IntAt(multiples_t, i);
      if (m < 0) {
        return ctx.InvalidArgument(
            absl::StrCat("Expected multiples[", i, "] >= 0, but got ", m));
      }
      if (__builtin_mul_overflow(input.dim(i), m, &out_dims[i])) {
        return ctx.InvalidArgument("Tile output shape is too large");
      }
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(out_dims));
    if (shape == input.shape()) {
      ctx.set_output(0, input);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    SwitchOnMoveType(input.dtype(), [&](auto tag) {
      using T = decltype(tag);
      Tile<T>(DataAs<T>(input), input.shape().dims(), out_dims, DataAs<T>(out));
    });
    return absl::OkStatus();
  }

 private:
  // out[i0, .., ik] = in[i0 % d0, .., ik % dk]; the last dimension is copied
  // as whole input rows.
  template <typename T>
  static void Tile(const T* in, absl::Span<const int64_t> in_dims,
                   const Dims& out_dims, T* out) {
    const int rank = static_cast<int>(in_dims.size());
    const int64_t in_inner = in_dims[rank - 1];
    const int64_t out_inner = out_dims[rank - 1];
    const Dims in_strides = StridesOf(in_dims);
    const int64_t rows =
        Product(absl::MakeConstSpan(out_dims).subspan(0, rank - 1));
    ForRows(rows, out_inner, [&](int64_t begin, int64_t end) {
      for (int64_t row = begin; row < end; ++row) {
        int64_t rest = row, src = 0;
        for (int d = rank - 2; d >= 0; --d) {
          src += (rest % out_dims[d]) % in_dims[d] * in_strides[d];
          rest /= out_dims[d];
        }
        T* dst = out + row * out_inner;
        if (in_inner == 1) {
          std::fill(dst, dst + out_inner, in[src]);
          continue;
        }
        for (int64_t j = 0; j < out_inner; j += in_inner) {
          CopyRun(in + src, in_inner, dst + j);
        }
      }
    });
  }
};

// out = shuffle of in (POD types, collapsed ranks 2..5) with Eigen.
template <typename T, int R>
void EigenTranspose(const T* in, const Dims& in_dims, const Dims& perm,
                    T* out) {
  Eigen::array<Eigen::Index, R> dims, shuffle;
  for (int i = 0; i < R; ++i) {
    dims[i] = in_dims[i];
    shuffle[i] = perm[i];
  }
  Eigen::TensorMap<Eigen::Tensor<const T, R, Eigen::RowMajor>> x(in, dims);
  Eigen::array<Eigen::Index, R> out_dims;
  for (int i = 0; i < R; ++i) out_dims[i] = dims[perm[i]];
  Eigen::TensorMap<Eigen::Tensor<T, R, Eigen::RowMajor>> y(out, out_dims);
  if (x.size() >= kMinParallelWork) {
    y.device(EigenDevice()) = x.shuffle(shuffle);
  } else {
    y = x.shuffle(shuffle);
  }
}

class TransposeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tperm"));
    return std::unique_ptr<OpKernel>(new TransposeKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& perm_t = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(perm_t, "perm"));
    if (perm_t.rank() != 1) {
      return ctx.InvalidArgument(absl::StrCat("perm must be rank 1, got shape ",
                                              perm_t.shape().DebugString()));
    }
    const int rank = input.rank();
    if (perm_t.NumElements() != rank) {
      return ctx.InvalidArgument(absl::StrCat(
          "transpose expects a vector of size ", rank,
          ". But input(1) is a vector of size ", perm_t.NumElements()));
    }
    const Dims perm = IntValues(perm_t);
    std::vector<bool> seen(rank, false);
    for (int i = 0; i < rank; ++i) {
      if (perm[i] < 0 || perm[i] >= rank) {
        return ctx.InvalidArgument(
            absl::StrCat(perm[i], " is out of range [0 .. ", rank, ")"));
      }
      seen[perm[i]] = true;
    }
    for (int i = 0; i < rank; ++i) {
      if (!seen[i]) {
        return ctx.InvalidArgument(absl::StrCat(
            i, " is missing from {", absl::StrJoin(perm, ","), "}."));
      }
    }
    const Dims in_strides = StridesOf(input.shape().dims());
    Dims out_dims(rank), strides(rank);
    for (int i = 0; i < rank; ++i) {
      out_dims[i] = input.dim(perm[i]);
      strides[i] = in_strides[perm[i]];
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(out_dims));
    Simplify(&out_dims, &strides);
    // An order-preserving permutation (after dropping size-1 dimensions)
    // moves no data.
    if (out_dims.size() <= 1) {
      MS_ASSIGN_OR_RETURN(Tensor same, input.Reshaped(shape));
      ctx.set_output(0, std::move(same));
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    const int r = static_cast<int>(out_dims.size());
    if (DataTypeSize(input.dtype()) > 0 && r <= 5) {
      // Recover the collapsed input layout: input axes in decreasing stride.
      Dims order(r);
      for (int i = 0; i < r; ++i) order[i] = i;
      std::sort(order.begin(), order.end(),
                [&](int64_t a, int64_t b) { return strides[a] > strides[b]; });
      Dims in_dims(r), small_perm(r);
      for (int k = 0; k < r; ++k) in_dims[k] = out_dims[order[k]];
      for (int k = 0; k < r; ++k) small_perm[order[k]] = k;
      SwitchOnMoveType(input.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_arithmetic_v<T>) {
          const T* x = DataAs<T>(input);
          T* y = DataAs<T>(out);
          switch (r) {
            case 2:
              EigenTranspose<T, 2>(x, in_dims, small_perm, y);
              break;
            case 3:
              EigenTranspose<T, 3>(x, in_dims, small_perm, y);
              break;
            case 4:
              EigenTranspose<T, 4>(x, in_dims, small_perm, y);
              break;
            default:
              EigenTranspose<T, 5>(x, in_dims, small_perm, y);
              break;
          }
        } else {
          StridedCopy<T>(DataAs<T>(input), 0, out_dims, strides,
                         DataAs<T>(out));
        }
      });
      return absl::OkStatus();
    }
    CopyView(input, 0, out_dims, strides, out);
    return absl::OkStatus();
  }
};

class ReverseV2Kernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tidx"));
    return std::unique_ptr<OpKernel>(new ReverseV2Kernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& axis_t = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(axis_t, "axis"));
    if (axis_t.rank() != 1) {
      return ctx.InvalidArgument(
          absl::StrCat("'dims' must be 1-dimension, not ", axis_t.rank()));
    }
    const int rank = input.rank();
    std::vector<bool> reverse(rank, false);
    for (int64_t i = 0; i < axis_t.NumElements(); ++i) {
      const int64_t axis = IntAt(axis_t, i);
      const int64_t canonical = axis < 0 ? axis + rank : axis;
      if (canonical < 0 || canonical >= rank) {
        return ctx.InvalidArgument(absl::StrCat("'axis'[", i, "] = ", axis,
                                                " is out of valid range [0, ",
                                                rank - 1, "]."));
      }
      if (reverse[canonical]) {
        return ctx.InvalidArgument(
            absl::StrCat("axis ", canonical, " specified more than once."));
      }
      reverse[canonical] = true;
    }
    Dims dims(input.shape().dims().begin(), input.shape().dims().end());
    Dims strides = StridesOf(dims);
    int64_t start = 0;
    bool any = false;
    for (int i = 0; i < rank; ++i) {
      if (reverse[i] && dims[i] > 1) {
        start += (dims[i] - 1) * strides[i];
        strides[i] = -strides[i];
        any = true;
      }
    }
    if (!any) {
      ctx.set_output(0, input);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), input.shape()));
    CopyView(input, start, dims, strides, out);
    return absl::OkStatus();
  }
};

// ---------------------------------------------------------------------------
// Gathers.

template <typename Index>
int64_t FirstBadIndex(const Index* indices, int64_t n, int64_t limit) {
  for (int64_t i = 0; i < n; ++i) {
    if (indices[i] < 0 || indices[i] >= limit) return i;
  }
  return -1;
}

// out[b, o, n, :] = params[b, o, indices[b, n], :] for params viewed as
// [batch, outer, gather_dim, inner] and indices as [batch, per_batch].
template <typename T, typename Index>
void GatherRows(const T* params, const Index* indices, T* out, int64_t batch,
                int64_t outer, int64_t gather_dim, int64_t per_batch,
                int64_t inner) {
  const int64_t rows = batch * outer * per_batch;
  ForRows(rows, inner, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t n = row % per_batch;
      const int64_t bo = row / per_batch;  // b * outer + o
      const int64_t b = bo / outer;
      const int64_t index = static_cast<int64_t>(indices[b * per_batch + n]);
      const T* src = params + (bo * gather_dim + index) * inner;
      if (inner == 1) {
        out[row] = *src;
      } else {
        CopyRun(src, inner, out + row * inner);
      }
    }
  });
}

// GatherV2 (axis input), Gather (axis 0) and the gather of ResourceGather.
class GatherKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const bool v2 = c.attrs.op() == "GatherV2";
    MS_RETURN_IF_ERROR(CheckNumInputs(c, v2 ? 3 : 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tindices"));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Taxis"));
    int64_t batch_dims = 0;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("batch_dims", int64_t{0}, &batch_dims));
    return std::unique_ptr<OpKernel>(new GatherKernel(v2, batch_dims));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& params = ctx.input(0);
    const Tensor& indices = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(indices, "indices"));
    if (params.rank() < 1) {
      return ctx.InvalidArgument("params must be at least 1 dimensional");
    }
    int64_t axis = 0;
    if (v2_) {
      const Tensor& axis_t = ctx.input(2);
      MS_RETURN_IF_ERROR(CheckIntTensor(axis_t, "axis"));
      if (axis_t.rank() != 0) return ctx.InvalidArgument("axis must be scalar");
      axis = IntAt(axis_t, 0);
    }
    const int rank = params.rank();
    if (axis < -rank || axis >= rank) {
      return ctx.InvalidArgument(absl::StrCat("Expected axis in the range [",
                                              -rank, ", ", rank, "), but got ",
                                              axis));
    }
    if (axis < 0) axis += rank;
    int64_t batch_dims = batch_dims_;
    if (batch_dims != 0) {
      if (batch_dims < -indices.rank() || batch_dims > indices.rank()) {
        return ctx.InvalidArgument(
            absl::StrCat("Expected batch_dims in the range [", -indices.rank(),
                         ", ", indices.rank(), "], but got ", batch_dims));
      }
      if (batch_dims < 0) batch_dims += indices.rank();
      if (batch_dims >= rank) {
        return ctx.InvalidArgument(
            absl::StrCat("batch_dims (", batch_dims,
                         ") must be less than rank(params) (", rank, ")."));
      }
      if (axis < batch_dims) {
        return ctx.InvalidArgument(absl::StrCat(
            "batch_dims (", batch_dims, ") must be less than or equal to ",
            "axis (", axis, ")."));
      }
      for (int i = 0; i < batch_dims; ++i) {
        if (params.dim(i) != indices.dim(i)) {
          return ctx.InvalidArgument(absl::StrCat(
              "params.shape[", i, "]: ", params.dim(i),
              " should be equal to indices.shape[", i, "]: ", indices.dim(i)));
        }
      }
    }
    absl::Span<const int64_t> pdims = params.shape().dims();
    absl::Span<const int64_t> idims = indices.shape().dims();
    const int64_t batch = Product(pdims.subspan(0, batch_dims));
    const int64_t outer = Product(pdims.subspan(batch_dims, axis - batch_dims));
    const int64_t gather_dim = pdims[axis];
    const int64_t inner = Product(pdims.subspan(axis + 1));
    const int64_t per_batch = Product(idims.subspan(batch_dims));
    std::vector<int64_t> dims(pdims.begin(), pdims.begin() + axis);
    dims.insert(dims.end(), idims.begin() + batch_dims, idims.end());
    dims.insert(dims.end(), pdims.begin() + axis + 1, pdims.end());
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, params.dtype(), shape));
    const int64_t bad = indices.dtype() == DT_INT32
                            ? FirstBadIndex(indices.data<int32_t>(),
                                            indices.NumElements(), gather_dim)
                            : FirstBadIndex(indices.data<int64_t>(),
                                            indices.NumElements(), gather_dim);
    if (bad >= 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "indices", SliceDebugString(idims, bad), " = ", IntAt(indices, bad),
          " is not in [0, ", gather_dim, ")"));
    }
    if (out->NumElements() == 0) return absl::OkStatus();
    SwitchOnMoveType(params.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if (indices.dtype() == DT_INT32) {
        GatherRows<T>(DataAs<T>(params), indices.data<int32_t>(),
                      DataAs<T>(out), batch, outer, gather_dim, per_batch,
                      inner);
      } else {
        GatherRows<T>(DataAs<T>(params), indices.data<int64_t>(),
                      DataAs<T>(out), batch, outer, gather_dim, per_batch,
                      inner);
      }
    });
    return absl::OkStatus();
  }

 private:
  GatherKernel(bool v2, int64_t batch_dims)
      : v2_(v2), batch_dims_(batch_dims) {}
  const bool v2_;
  const int64_t batch_dims_;
};

class GatherNdKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tindices"));
    return std::unique_ptr<OpKernel>(new GatherNdKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& params = ctx.input(0);
    const Tensor& indices = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(indices, "indices"));
    if (params.rank() < 1) {
      return ctx.InvalidArgument("params must be at least a vector");
    }
    if (indices.rank() < 1) {
      return ctx.InvalidArgument("indices must be at least a vector");
    }
    const int64_t k = indices.dim(indices.rank() - 1);
    if (k > params.rank()) {
      return ctx.InvalidArgument(absl::StrCat(
          "index innermost dimension length must be <= params rank; saw: ", k,
          " vs. ", params.rank()));
    }
    absl::Span<const int64_t> pdims = params.shape().dims();
    absl::Span<const int64_t> idims = indices.shape().dims();
    absl::Span<const int64_t> batch_shape = idims.subspan(0, idims.size() - 1);
    std::vector<int64_t> dims(batch_shape.begin(), batch_shape.end());
    dims.insert(dims.end(), pdims.begin() + k, pdims.end());
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, params.dtype(), shape));
    if (out->NumElements() > 0 && params.NumElements() == 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "Requested more than 0 entries, but params is empty.  Params "
          "shape: ",
          params.shape().DebugString()));
    }
    const int64_t n = Product(batch_shape);
    const int64_t slice = Product(pdims.subspan(k));
    const Dims strides = StridesOf(pdims.subspan(0, k));
    // Resolve every index tuple to a slice offset, checking bounds.
    std::vector<int64_t> offsets(n);
    for (int64_t i = 0; i < n; ++i) {
      int64_t offset = 0;
      for (int64_t j = 0; j < k; ++j) {
        const int64_t v = IntAt(indices, i * k + j);
        if (v < 0 || v >= pdims[j]) {
          std::vector<int64_t> tuple;
          for (int64_t t = 0; t < k; ++t) {
            tuple.push_back(IntAt(indices, i * k + t));
          }
          return ctx.InvalidArgument(absl::StrCat(
              "indices", SliceDebugString(batch_shape, i), " = [",
              absl::StrJoin(tuple, ", "), "] does not index into param shape ",
              params.shape().DebugString(), ", node name: ", ctx.node_name()));
        }
        offset += v * strides[j];
      }
      offsets[i] = offset * slice;
    }
    if (out->NumElements() == 0) return absl::OkStatus();
    SwitchOnMoveType(params.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = DataAs<T>(params);
      T* dst = DataAs<T>(out);
      ForRows(n, slice, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
          CopyRun(src + offsets[i], slice, dst + i * slice);
        }
      });
    });
    return absl::OkStatus();
  }
};

// ---------------------------------------------------------------------------
// Fill, ZerosLike, OnesLike, Range.

template <typename T>
void FillWith(T* out, int64_t n, const T& value) {
  ForRows(n, 1, [&](int64_t begin, int64_t end) {
    std::fill(out + begin, out + end, value);
  });
}

class FillKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "index_type"));
    return std::unique_ptr<OpKernel>(new FillKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& dims_t = ctx.input(0);
    const Tensor& value = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(dims_t, "dims"));
    if (dims_t.rank() > 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "dims must be a vector, got shape ", dims_t.shape().DebugString()));
    }
    if (value.NumElements() != 1 || value.rank() > 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "value must be a scalar, got shape ", value.shape().DebugString()));
    }
    const Dims dims = IntValues(dims_t);
    for (size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] < 0) {
        return ctx.InvalidArgument(
            absl::StrCat("Dimension ", dims[i], " must be >= 0"));
      }
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, value.dtype(), shape));
    SwitchOnMoveType(value.dtype(), [&](auto tag) {
      using T = decltype(tag);
      FillWith<T>(DataAs<T>(out), out->NumElements(), DataAs<T>(value)[0]);
    });
    return absl::OkStatus();
  }
};

// ZerosLike (kOne = false) and OnesLike (kOne = true).
template <bool kOne>
class FillLikeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    if (dtype == DT_RESOURCE || dtype == DT_VARIANT ||
        (kOne && dtype == DT_STRING)) {
      return Unsupported(
          c, absl::StrCat("unsupported type ", DataTypeName(dtype)));
    }
    return std::unique_ptr<OpKernel>(new FillLikeKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, x.dtype(), x.shape()));
    bool ok = false;
    SwitchOnDataType(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_same_v<T, std::string>) {
        ok = !kOne;  // Tensor::Create already made empty strings.
      } else if constexpr (!std::is_same_v<T, std::shared_ptr<ResourceBase>> &&
                           !std::is_same_v<T, std::shared_ptr<VariantValue>>) {
        FillWith<T>(out->data<T>(), out->NumElements(),
                    kOne ? static_cast<T>(1) : T());
        ok = true;
      }
    });
    if (!ok) {
      return ctx.InvalidArgument(absl::StrCat(kOne ? "OnesLike" : "ZerosLike",
                                              " does not support type ",
                                              DataTypeName(x.dtype())));
    }
    return absl::OkStatus();
  }
};

class RangeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("Tidx", DT_INT32, &dtype));
    switch (dtype) {
      case DT_FLOAT:
      case DT_DOUBLE:
      case DT_INT8:
      case DT_INT16:
      case DT_INT32:
      case DT_INT64:
      case DT_UINT16:
      case DT_UINT32:
        break;
      default:
        return Unsupported(
            c, absl::StrCat("unsupported Tidx ", DataTypeName(dtype)));
    }
    return std::unique_ptr<OpKernel>(new RangeKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const char* names[3] = {"start", "limit", "delta"};
    for (int i = 0; i < 3; ++i) {
      const Tensor& t = ctx.input(i);
      if (t.NumElements() != 1 || t.rank() > 1) {
        return ctx.InvalidArgument(absl::StrCat(names[i],
                                                " must be a scalar, not shape ",
                                                t.shape().DebugString()));
      }
      if (t.dtype() != ctx.input(0).dtype()) {
        return ctx.InvalidArgument(
            "start, limit and delta must have the same type");
      }
    }
    absl::Status status = ctx.InvalidArgument(absl::StrCat(
        "Range does not support type ", DataTypeName(ctx.input(0).dtype())));
    SwitchOnDataType(ctx.input(0).dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
        status = Run<T>(ctx);
      }
    });
    return status;
  }

 private:
  template <typename T>
  static absl::Status Run(OpKernelContext& ctx) {
    const T start = ctx.input(0).data<T>()[0];
    const T limit = ctx.input(1).data<T>()[0];
    const T delta = ctx.input(2).data<T>()[0];
    if (delta == 0) {
      return ctx.InvalidArgument(absl::StrCat("Requires delta != 0: ", delta));
    }
    if (delta > 0 && start > limit) {
      return ctx.InvalidArgument(absl::StrCat(
          "Requires start <= limit when delta > 0: ", start, "/", limit));
    }
    if (delta < 0 && start < limit) {
      return ctx.InvalidArgument(absl::StrCat(
          "Requires start >= limit when delta < 0: ", start, "/", limit));
    }
    int64_t size;
    if constexpr (std::is_integral_v<T>) {
      // |limit - start| and |delta| always fit in uint64 (modular arithmetic
      // gives the exact distance).
      const uint64_t lo = static_cast<uint64_t>(
          static_cast<int64_t>(start <= limit ? start : limit));
      const uint64_t hi = static_cast<uint64_t>(
          static_cast<int64_t>(start <= limit ? limit : start));
      const uint64_t span = hi - lo;
      const uint64_t step =
          delta > 0 ? static_cast<uint64_t>(static_cast<int64_t>(delta))
                    : uint64_t{0} -
                          static_cast<uint64_t>(static_cast<int64_t>(delta));
      const uint64_t count = span / step + (span % step != 0 ? 1 : 0);
      if (count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return ctx.InvalidArgument(
            absl::StrCat("Requires ((limit - start) / delta) <= ",
                         std::numeric_limits<int64_t>::max()));
      }
      size = static_cast<int64_t>(count);
    } else {
      // Computed in T, as TensorFlow does, so float rounding matches.
      const double count =
          static_cast<double>(std::ceil(std::abs((limit - start) / delta)));
      if (!(count < 9.2e18)) {
        return ctx.InvalidArgument(
            absl::StrCat("Requires ((limit - start) / delta) <= ",
                         std::numeric_limits<int64_t>::max()));
      }
      size = static_cast<int64_t>(count);
    }
    const int64_t dims[1] = {size};
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DataTypeOf<T>::value, shape));
    T* values = out->data<T>();
    if constexpr (std::is_integral_v<T>) {
      // Every element lies between start and limit; modular arithmetic keeps
      // the intermediate products defined.
      for (int64_t i = 0; i < size; ++i) {
        const uint64_t v =
            static_cast<uint64_t>(static_cast<int64_t>(start)) +
            static_cast<uint64_t>(i) *
                static_cast<uint64_t>(static_cast<int64_t>(delta));
        values[i] = static_cast<T>(static_cast<int64_t>(v));
      }
    } else {
      // TensorFlow accumulates, and so rounds, the same way.
      T value = start;
      for (int64_t i = 0; i < size; ++i) {
        values[i] = value;
        value += delta;
      }
    }
    return absl::OkStatus();
  }
};

// ---------------------------------------------------------------------------
// OneHot and Where.

class OneHotKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
    int64_t axis;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("axis", int64_t{-1}, &axis));
    if (axis < -1) return c.attrs.Error("axis must be >= -1");
    DataType ti;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("TI", DT_INT64, &ti));
    if (ti != DT_UINT8 && ti != DT_INT8 && ti != DT_INT32 && ti != DT_INT64) {
      return Unsupported(c, absl::StrCat("unsupported TI ", DataTypeName(ti)));
    }
    return std::unique_ptr<OpKernel>(new OneHotKernel(axis));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& depth_t = ctx.input(1);
    const Tensor& on = ctx.input(2);
    const Tensor& off = ctx.input(3);
    if (depth_t.rank() != 0 || depth_t.dtype() != DT_INT32) {
      return ctx.InvalidArgument(absl::StrCat(
          "depth must be a scalar, but got: ", depth_t.shape().DebugString()));
    }
    if (on.rank() != 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "on_value must be a scalar, but got: ", on.shape().DebugString()));
    }
    if (off.rank() != 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "off_value must be a scalar, but got: ", off.shape().DebugString()));
    }
    if (on.dtype() != off.dtype()) {
      return ctx.InvalidArgument("on_value and off_value must have one type");
    }
    const int out_rank = indices.rank() + 1;
    if (axis_ != -1 && axis_ >= out_rank) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected axis to be -1 or between [0, ", out_rank,
                       ").  But received: ", axis_));
    }
    const int64_t depth = depth_t.data<int32_t>()[0];
    if (depth < 0) {
      return ctx.InvalidArgument(
          absl::StrCat("depth must be non-negative, got: ", depth));
    }
    const int axis = axis_ == -1 ? indices.rank() : static_cast<int>(axis_);
    TensorShape shape = indices.shape();
    MS_RETURN_IF_ERROR(shape.InsertDim(axis, depth));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, on.dtype(), shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    const int64_t prefix = Product(indices.shape().dims().subspan(0, axis));
    const int64_t suffix = Product(indices.shape().dims().subspan(axis));
    Dims index(indices.NumElements());
    for (int64_t i = 0; i < indices.NumElements(); ++i) {
      switch (indices.dtype()) {
        case DT_UINT8:
          index[i] = indices.data<uint8_t>()[i];
          break;
        case DT_INT8:
          index[i] = indices.data<int8_t>()[i];
          break;
        case DT_INT32:
          index[i] = indices.data<int32_t>()[i];
          break;
        case DT_INT64:
          index[i] = indices.data<int64_t>()[i];
          break;
        default:
          return ctx.InvalidArgument(
              absl::StrCat("indices must be an integer tensor, got ",
                           DataTypeName(indices.dtype())));
      }
    }
    SwitchOnMoveType(on.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T on_value = DataAs<T>(on)[0];
      const T off_value = DataAs<T>(off)[0];
      T* y = DataAs<T>(out);
      // y[p, d, s] = indices[p, s] == d ? on : off.
      ForRows(prefix * depth, suffix, [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row) {
          const int64_t p = row / depth, d = row % depth;
          const int64_t* idx = index.data() + p * suffix;
          T* dst = y + row * suffix;
          for (int64_t s = 0; s < suffix; ++s) {
            dst[s] = idx[s] == d ? on_value : off_value;
          }
        }
      });
    });
    return absl::OkStatus();
  }

 private:
  explicit OneHotKernel(int64_t axis) : axis_(axis) {}
  const int64_t axis_;
};

class WhereKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_BOOL, &dtype));
    if (dtype == DT_STRING || dtype == DT_RESOURCE || dtype == DT_VARIANT) {
      return Unsupported(
          c, absl::StrCat("unsupported type ", DataTypeName(dtype)));
    }
    return std::unique_ptr<OpKernel>(new WhereKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    std::vector<int64_t> true_positions;
    bool supported = false;
    SwitchOnDataType(input.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (!std::is_same_v<T, std::string> &&
                    !std::is_same_v<T, std::shared_ptr<ResourceBase>> &&
                    !std::is_same_v<T, std::shared_ptr<VariantValue>>) {
        supported = true;
        const T* x = input.data<T>();
        for (int64_t i = 0; i < input.NumElements(); ++i) {
          if (x[i] != T()) true_positions.push_back(i);
        }
      }
    });
    if (!supported) {
      return ctx.InvalidArgument(absl::StrCat("Where does not support type ",
                                              DataTypeName(input.dtype())));
    }
    const int rank = input.rank();
    const int64_t count = static_cast<int64_t>(true_positions.size());
    MS_ASSIGN_OR_RETURN(
        Tensor * out,
        ctx.allocate_output(0, DT_INT64, TensorShape{count, rank}));
    int64_t* coords = out->data<int64_t>();
    for (int64_t i = 0; i < count; ++i) {
      int64_t rest = true_positions[i];
      for (int d = rank - 1; d >= 0; --d) {
        coords[i * rank + d] = rest % input.dim(d);
        rest /= input.dim(d);
      }
    }
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("StridedSlice").Output("output"),
                StridedSliceKernel::Create);
REGISTER_KERNEL(OpSpec("Slice").Output("output"), SliceKernel::Create);
REGISTER_KERNEL(OpSpec("Tile").Output("output"), TileKernel::Create);
REGISTER_KERNEL(OpSpec("Transpose").Output("y"), TransposeKernel::Create);
REGISTER_KERNEL(OpSpec("ReverseV2").Output("output"), ReverseV2Kernel::Create);
REGISTER_KERNEL(OpSpec("GatherV2").Output("output"), GatherKernel::Create);
REGISTER_KERNEL(OpSpec("Gather").Output("output"), GatherKernel::Create);
REGISTER_KERNEL(OpSpec("GatherNd").Output("output"), GatherNdKernel::Create);
REGISTER_KERNEL(OpSpec("Fill").Output("output"), FillKernel::Create);
REGISTER_KERNEL(OpSpec("ZerosLike").Output("y"), FillLikeKernel<false>::Create);
REGISTER_KERNEL(OpSpec("OnesLike").Output("y"), FillLikeKernel<true>::Create);
REGISTER_KERNEL(OpSpec("Range").Output("output"), RangeKernel::Create);
REGISTER_KERNEL(OpSpec("OneHot").Output("output"), OneHotKernel::Create);
REGISTER_KERNEL(OpSpec("Where").Output("index"), WhereKernel::Create);

}  // namespace model_server
