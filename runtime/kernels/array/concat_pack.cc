// Joining and splitting tensors along one axis.
//
// ConcatV2: values (N >= 2 tensors of T), axis (Tidx int32/int64 scalar, may
//   be negative). Concat: concat_dim (int32) first, then the N values.
// Pack: N tensors of equal shape stacked along a new axis (attr axis).
// ParallelConcat: N tensors of shape [1, ...] stacked along axis 0 (attr
//   shape gives the result's shape).
// Unpack: one tensor split into attr num tensors along axis, which is
//   removed ("output", sized by num).
// Split: split_dim (int32), value; num_split equal pieces ("output").
// SplitV: value, size_splits (Tlen int32/int64, one entry may be -1),
//   split_dim (int32); num_split pieces ("output").
//
// Every op views its tensors as [outer, inner] matrices around the axis and
// copies contiguous row chunks, so any dtype (numbers, strings, resources)
// works; large copies are spread over the shared thread pool.
#include <algorithm>
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
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Reads an int attribute that counts tensors and checks it is in range.
absl::StatusOr<int> CountAttr(const KernelConstruction& c,
                              absl::string_view name, int min) {
  int64_t n;
  MS_RETURN_IF_ERROR(c.attrs.Get(std::string(name), &n));
  if (n < min || n > 100000) {
    return c.attrs.Error(
        absl::StrCat("attr '", name, "' = ", n, " must be >= ", min));
  }
  return static_cast<int>(n);
}

// One side of a concat/split: a tensor viewed as [outer, inner].
struct Block {
  const void* in = nullptr;  // concat source
  void* out = nullptr;       // split destination
  int64_t inner = 0;
};

// out[r, :] = concat(blocks[0][r, :], blocks[1][r, :], ...).
void ConcatRows(const std::vector<Block>& blocks, int64_t outer, Tensor* out) {
  const int64_t out_inner = outer == 0 ? 0 : out->NumElements() / outer;
  if (out_inner == 0) return;
  SwitchOnMoveType(out->dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* dst = static_cast<T*>(out->raw_data());
    ForRows(outer, out_inner, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        T* row = dst + r * out_inner;
        for (const Block& b : blocks) {
          if (b.inner == 0) continue;
          CopyRun(static_cast<const T*>(b.in) + r * b.inner, b.inner, row);
          row += b.inner;
        }
      }
    });
  });
}

// blocks[k][r, :] = in[r, start_k : start_k + inner_k].
void SplitRows(const Tensor& in, int64_t outer,
               const std::vector<Block>& blocks) {
  const int64_t in_inner = outer == 0 ? 0 : in.NumElements() / outer;
  if (in_inner == 0) return;
  SwitchOnMoveType(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* src = static_cast<const T*>(in.raw_data());
    ForRows(outer, in_inner, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        const T* row = src + r * in_inner;
        for (const Block& b : blocks) {
          if (b.inner == 0) continue;
          CopyRun(row, b.inner, static_cast<T*>(b.out) + r * b.inner);
          row += b.inner;
        }
      }
    });
  });
}

// ConcatV2 (axis last) and Concat (concat_dim first).
class ConcatKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const bool v2 = c.attrs.op() == "ConcatV2";
    MS_ASSIGN_OR_RETURN(int n, CountAttr(c, "N", 1));
    MS_RETURN_IF_ERROR(CheckNumInputs(c, n + 1));
    return std::unique_ptr<OpKernel>(new ConcatKernel(n, v2));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const int first = v2_ ? 0 : 1;
    const Tensor& axis_tensor = ctx.input(v2_ ? n_ : 0);
    MS_ASSIGN_OR_RETURN(int64_t concat_dim,
                        ScalarIndex(axis_tensor, v2_ ? "axis" : "concat_dim"));
    const Tensor& in0 = ctx.input(first);
    const int rank = in0.rank();
    const int64_t axis = concat_dim < 0 ? concat_dim + rank : concat_dim;
    if (axis < 0 || axis >= rank) {
      return ctx.InvalidArgument(absl::StrCat(
          "ConcatOp : Expected concatenating dimensions in the range [", -rank,
          ", ", rank, "), but got ", concat_dim));
    }
    const int64_t outer = Product(in0.shape().dims().subspan(0, axis));
    int64_t axis_size = 0;
    std::vector<Block> blocks(n_);
    for (int i = 0; i < n_; ++i) {
      const Tensor& in = ctx.input(first + i);
      if (in.dtype() != in0.dtype()) {
        return ctx.InvalidArgument(absl::StrCat(
            "ConcatOp : all inputs must have the same type: values[0] is ",
            DataTypeName(in0.dtype()), ", values[", i, "] is ",
            DataTypeName(in.dtype())));
      }
      if (in.rank() != rank) {
        return ctx.InvalidArgument(absl::StrCat(
            "ConcatOp : Ranks of all input tensors should match: shape[0] = ",
            in0.shape().DebugString(), " vs. shape[", i,
            "] = ", in.shape().DebugString()));
      }
      for (int j = 0; j < rank; ++j) {
        if (j != axis && in.dim(j) != in0.dim(j)) {
          return ctx.InvalidArgument(
              absl::StrCat("ConcatOp : Dimension ", j,
                           " in both shapes must be equal: shape[0] = ",
                           in0.shape().DebugString(), " vs. shape[", i,
                           "] = ", in.shape().DebugString()));
        }
      }
      axis_size += in.dim(axis);
      blocks[i].in = in.raw_data();
      blocks[i].inner = outer == 0 ? 0 : in.NumElements() / outer;
    }
    TensorShape shape = in0.shape();
    MS_RETURN_IF_ERROR(shape.SetDim(static_cast<int>(axis), axis_size));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, in0.dtype(), shape));
    ConcatRows(blocks, outer, out);
    return absl::OkStatus();
  }

 private:
  ConcatKernel(int n, bool v2) : n_(n), v2_(v2) {}
  const int n_;
  const bool v2_;
};

class PackKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_ASSIGN_OR_RETURN(int n, CountAttr(c, "N", 1));
    MS_RETURN_IF_ERROR(CheckNumInputs(c, n));
    int64_t axis;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("axis", int64_t{0}, &axis));
    return std::unique_ptr<OpKernel>(new PackKernel(n, axis));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& in0 = ctx.input(0);
    const int out_rank = in0.rank() + 1;
    const int64_t axis = axis_ < 0 ? axis_ + out_rank : axis_;
    if (axis < 0 || axis >= out_rank) {
      return ctx.InvalidArgument(absl::StrCat("axis = ", axis_, " not in [",
                                              -out_rank, ", ", out_rank, ")"));
    }
    std::vector<Block> blocks(n_);
    const int64_t outer = Product(in0.shape().dims().subspan(0, axis));
    const int64_t inner = outer == 0 ? 0 : in0.NumElements() / outer;
    for (int i = 0; i < n_; ++i) {
      const Tensor& in = ctx.input(i);
      if (in.shape() != in0.shape()) {
        return ctx.InvalidArgument(
            absl::StrCat("Shapes of all inputs must match: values[0].shape = ",
                         in0.shape().DebugString(), " != values[", i,
                         "].shape = ", in.shape().DebugString()));
      }
      if (in.dtype() != in0.dtype()) {
        return ctx.InvalidArgument(
            absl::StrCat("all inputs must have the same type: values[0] is ",
                         DataTypeName(in0.dtype()), ", values[", i, "] is ",
                         DataTypeName(in.dtype())));
      }
      blocks[i] = Block{in.raw_data(), nullptr, inner};
    }
    TensorShape shape = in0.shape();
    MS_RETURN_IF_ERROR(shape.InsertDim(static_cast<int>(axis), n_));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, in0.dtype(), shape));
    ConcatRows(blocks, outer, out);
    return absl::OkStatus();
  }

 private:
  PackKernel(int n, int64_t axis) : n_(n), axis_(axis) {}
  const int n_;
  const int64_t axis_;
};

// ParallelConcat: N tensors of shape [1, ...] stacked along axis 0 into attr
// `shape` ([N, ...]; tf.parallel_stack). TensorFlow's graph rewrite turns it
// into in-place updates of one buffer; the values are those of a concat.
class ParallelConcatKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_ASSIGN_OR_RETURN(int n, CountAttr(c, "N", 1));
    MS_RETURN_IF_ERROR(CheckNumInputs(c, n));
    PartialShape shape;
    MS_RETURN_IF_ERROR(c.attrs.Get("shape", &shape));
    return std::unique_ptr<OpKernel>(
        new ParallelConcatKernel(n, std::move(shape)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& in0 = ctx.input(0);
    if (in0.rank() < 1 || in0.dim(0) != 1) {
      return ctx.InvalidArgument(
          absl::StrCat("ParallelConcat inputs must have shape [1, ...], got ",
                       in0.shape().DebugString()));
    }
    std::vector<Block> blocks(n_);
    for (int i = 0; i < n_; ++i) {
      const Tensor& in = ctx.input(i);
      if (in.shape() != in0.shape() || in.dtype() != in0.dtype()) {
        return ctx.InvalidArgument(absl::StrCat(
            "ParallelConcat inputs must all be ", DataTypeName(in0.dtype()),
            " ", in0.shape().DebugString(), ", but values[", i, "] is ",
            DataTypeName(in.dtype()), " ", in.shape().DebugString()));
      }
      blocks[i] = Block{in.raw_data(), nullptr, in.NumElements()};
    }
    TensorShape out_shape = in0.shape();
    MS_RETURN_IF_ERROR(out_shape.SetDim(0, n_));
    bool compatible = shape_.rank < 0 || shape_.rank == out_shape.rank();
    for (int d = 0; compatible && shape_.rank >= 0 && d < shape_.rank; ++d) {
      compatible = shape_.dims[d] < 0 || shape_.dims[d] == out_shape.dim(d);
    }
    if (!compatible) {
      return ctx.InvalidArgument(absl::StrCat(
          "ParallelConcat of ", n_, " values of shape ",
          in0.shape().DebugString(), " gives ", out_shape.DebugString(),
          ", not the attr shape ", shape_.DebugString()));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, in0.dtype(), out_shape));
    ConcatRows(blocks, 1, out);
    return absl::OkStatus();
  }

 private:
  ParallelConcatKernel(int n, PartialShape shape)
      : n_(n), shape_(std::move(shape)) {}
  const int n_;
  const PartialShape shape_;
};

// Allocates the outputs of a split of `in` along `axis` into pieces of
// `sizes`, and copies the data.
absl::Status SplitInto(OpKernelContext& ctx, const Tensor& in, int axis,
                       absl::Span<const int64_t> sizes, bool drop_axis) {
  const int64_t outer = Product(in.shape().dims().subspan(0, axis));
  const int64_t after = Product(in.shape().dims().subspan(axis + 1));
  std::vector<Block> blocks(sizes.size());
  for (size_t k = 0; k < sizes.size(); ++k) {
    TensorShape shape = in.shape();
    if (drop_axis) {
      shape.RemoveDim(axis);
    } else {
      MS_RETURN_IF_ERROR(shape.SetDim(axis, sizes[k]));
    }
    // A single piece covering the whole input shares its buffer.
    if (sizes.size() == 1) {
      MS_ASSIGN_OR_RETURN(Tensor whole, in.Reshaped(shape));
      ctx.set_output(0, std::move(whole));
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(static_cast<int>(k),
                                                          in.dtype(), shape));
    blocks[k] = Block{nullptr, out->raw_data(), sizes[k] * after};
  }
  SplitRows(in, outer, blocks);
  return absl::OkStatus();
}

class UnpackKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    MS_ASSIGN_OR_RETURN(int num, CountAttr(c, "num", 0));
    int64_t axis;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("axis", int64_t{0}, &axis));
    return std::unique_ptr<OpKernel>(new UnpackKernel(num, axis));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& in = ctx.input(0);
    const int rank = in.rank();
    const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (axis < 0 || axis >= rank) {
      return ctx.InvalidArgument(
          absl::StrCat("axis = ", axis_, " not in [", -rank, ", ", rank, ")"));
    }
    if (in.dim(static_cast<int>(axis)) != num_) {
      return ctx.InvalidArgument(
          absl::StrCat("Input shape axis ", axis, " must equal ", num_,
                       ", got shape ", in.shape().DebugString()));
    }
    std::vector<int64_t> sizes(num_, 1);
    return SplitInto(ctx, in, static_cast<int>(axis), sizes, true);
  }

 private:
  UnpackKernel(int num, int64_t axis) : num_(num), axis_(axis) {}
  const int num_;
  const int64_t axis_;
};

absl::StatusOr<int> SplitAxis(const Tensor& split_dim, const Tensor& in) {
  if (split_dim.dtype() != DT_INT32 && split_dim.dtype() != DT_INT64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "split_dim must be int32, got ", DataTypeName(split_dim.dtype())));
  }
  if (split_dim.NumElements() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("split_dim must be a scalar but has shape ",
                     split_dim.shape().DebugString()));
  }
  const int64_t orig = split_dim.dtype() == DT_INT32
                           ? split_dim.data<int32_t>()[0]
                           : split_dim.data<int64_t>()[0];
  const int rank = in.rank();
  const int64_t axis = orig < 0 ? orig + rank : orig;
  if (axis < 0 || axis >= rank) {
    return absl::InvalidArgumentError(
        absl::StrCat("-input rank(-", rank, ") <= split_dim < input rank (",
                     rank, "), but got ", orig));
  }
  return static_cast<int>(axis);
}

class SplitKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_ASSIGN_OR_RETURN(int num_split, CountAttr(c, "num_split", 1));
    return std::unique_ptr<OpKernel>(new SplitKernel(num_split));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& in = ctx.input(1);
    MS_ASSIGN_OR_RETURN(int axis, SplitAxis(ctx.input(0), in));
    const int64_t size = in.dim(axis);
    if (size % num_split_ != 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "Number of ways to split should evenly divide the split dimension, "
          "but got split_dim ",
          axis, " (size = ", size, ") and num_split ", num_split_));
    }
    std::vector<int64_t> sizes(num_split_, size / num_split_);
    return SplitInto(ctx, in, axis, sizes, false);
  }

 private:
  explicit SplitKernel(int num_split) : num_split_(num_split) {}
  const int num_split_;
};

class SplitVKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_ASSIGN_OR_RETURN(int num_split, CountAttr(c, "num_split", 1));
    return std::unique_ptr<OpKernel>(new SplitVKernel(num_split));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& in = ctx.input(0);
    const Tensor& split_sizes = ctx.input(1);
    MS_ASSIGN_OR_RETURN(int axis, SplitAxis(ctx.input(2), in));
    if (split_sizes.dtype() != DT_INT32 && split_sizes.dtype() != DT_INT64) {
      return ctx.InvalidArgument(
          absl::StrCat("size_splits must be int32 or int64, got ",
                       DataTypeName(split_sizes.dtype())));
    }
    if (split_sizes.rank() != 1 || split_sizes.NumElements() != num_split_) {
      return ctx.InvalidArgument(absl::StrCat(
          "size of the split_tensor must be 1-D and have the same elements as "
          "outputs got ",
          split_sizes.rank(), " -D and ", split_sizes.NumElements(),
          " elements"));
    }
    std::vector<int64_t> sizes(num_split_);
    int unknown = -1;
    int64_t determined = 0;
    for (int i = 0; i < num_split_; ++i) {
      sizes[i] = split_sizes.dtype() == DT_INT32
                     ? split_sizes.data<int32_t>()[i]
                     : split_sizes.data<int64_t>()[i];
      if (sizes[i] == -1) {
        if (unknown != -1) {
          return ctx.InvalidArgument("There can only be one -1 in the input.");
        }
        unknown = i;
      } else if (sizes[i] < 0) {
        return ctx.InvalidArgument(absl::StrCat(
            "Split size at index ", i, " must be >= 0. Got: ", sizes[i]));
      } else if (__builtin_add_overflow(determined, sizes[i], &determined)) {
        determined = std::numeric_limits<int64_t>::max();
      }
    }
    const int64_t size = in.dim(axis);
    if ((unknown == -1 && determined != size) ||
        (unknown >= 0 && determined > size)) {
      return ctx.InvalidArgument(absl::StrCat(
          "Determined shape must either match input shape along split_dim "
          "exactly if fully specified, or be less than the size of the input "
          "along split_dim if not fully specified.  Got: ",
          determined));
    }
    if (unknown >= 0) sizes[unknown] = size - determined;
    return SplitInto(ctx, in, axis, sizes, false);
  }

 private:
  explicit SplitVKernel(int num_split) : num_split_(num_split) {}
  const int num_split_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("ConcatV2").Output("output"), ConcatKernel::Create);
REGISTER_KERNEL(OpSpec("Concat").Output("output"), ConcatKernel::Create);
REGISTER_KERNEL(OpSpec("Pack").Output("output"), PackKernel::Create);
REGISTER_KERNEL(OpSpec("ParallelConcat").Output("output"),
                ParallelConcatKernel::Create);
REGISTER_KERNEL(OpSpec("Unpack").Output("output", "num"), UnpackKernel::Create);
REGISTER_KERNEL(OpSpec("Split").Output("output", "num_split"),
                SplitKernel::Create);
REGISTER_KERNEL(OpSpec("SplitV").Output("output", "num_split"),
                SplitVKernel::Create);

}  // namespace model_server
