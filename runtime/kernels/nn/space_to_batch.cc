// SpaceToBatchND, BatchToSpaceND, SpaceToBatch and BatchToSpace: moving
// blocks of spatial positions into the batch dimension and back, which is
// how TensorFlow runs dilated (atrous) convolutions.
//
// SpaceToBatchND(input, block_shape [M], paddings [M, 2]): for an input
// [B, S_1..S_M, R...], the spatial dimensions are zero-padded to
// P_i = S_i + pad_before_i + pad_after_i (each a multiple of block_i), and
//   out[(o_1..o_M) * B + b, i_1..i_M, r] = padded[b, i_1*block_1 + o_1, ..., r]
// with the block offsets (o_1..o_M) flattened row-major; the output is
// [B * prod(block), P_1/block_1, ..., R...].
// BatchToSpaceND(input, block_shape, crops [M, 2]) is the inverse, cropping
// crops[i] from the rebuilt spatial dimensions.
// SpaceToBatch / BatchToSpace: 4-D inputs, an int attr block_size (>= 2)
// for both spatial dimensions, paddings / crops [2, 2].
//
// Every dtype (elements are moved, not read: data_movement.h). block_shape,
// paddings and crops are int32 or int64 (Tblock_shape, Tpaddings, Tcrops,
// Tidx). Errors use TensorFlow's texts.
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// The layout of one space <-> batch move: the batch-side tensor is
// [batch * prod(block), blocked..., inner], the space-side tensor
// [batch, space..., inner], and space position p_i of block offset o_i and
// blocked index q_i is q_i * block_i + o_i - before_i.
struct BlockLayout {
  int64_t batch = 0;  // of the space-side tensor
  Dims block, before, space, blocked;
  int64_t inner = 1;  // elements per position (product of the rest)
  int64_t space_positions = 1, blocked_positions = 1;  // products
};

// Calls fn(space_row, batch_row) for the rows [first, last) of one side
// (`over_space`: the space-side tensor's rows (b, p_1..p_M), else the
// batch-side tensor's rows (ob, q_1..q_M)) and the row of the other side
// they map to, -1 when there is none (padding, or cropped away).
template <typename Fn>
void ForEachRowPair(const BlockLayout& l, bool over_space, int64_t first,
                    int64_t last, const Fn& fn) {
  const int m = static_cast<int>(l.block.size());
  Dims idx(m);
  for (int64_t row = first; row < last; ++row) {
    int64_t rest = row;
    if (over_space) {
      // row = (b, p_1..p_M) over the space-side shape.
      int64_t offset = 0, blocked_row = 0;
      bool inside = true;
      for (int i = m - 1; i >= 0; --i) {
        idx[i] = rest % l.space[i];
        rest /= l.space[i];
      }
      const int64_t b = rest;
      for (int i = 0; i < m; ++i) {
        const int64_t q = idx[i] + l.before[i];
        offset = offset * l.block[i] + q % l.block[i];
        blocked_row = blocked_row * l.blocked[i] + q / l.block[i];
        inside = inside && q / l.block[i] < l.blocked[i];
      }
      fn(row, inside
                  ? (offset * l.batch + b) * l.blocked_positions + blocked_row
                  : -1);
    } else {
      // row = (ob, q_1..q_M) over the batch-side shape.
      for (int i = m - 1; i >= 0; --i) {
        idx[i] = rest % l.blocked[i];
        rest /= l.blocked[i];
      }
      const int64_t b = rest % l.batch;
      int64_t offset = rest / l.batch;
      int64_t space_row = 0;
      bool inside = true;
      for (int i = m - 1; i >= 0; --i) {
        const int64_t o = offset % l.block[i];
        offset /= l.block[i];
        idx[i] = idx[i] * l.block[i] + o - l.before[i];
        inside = inside && idx[i] >= 0 && idx[i] < l.space[i];
      }
      for (int i = 0; i < m; ++i) space_row = space_row * l.space[i] + idx[i];
      fn(inside ? b * l.space_positions + space_row : -1, row);
    }
  }
}

class SpaceBatchKernel : public OpKernel {
 public:
  // `to_batch`: SpaceToBatch(ND); `block_size` > 0 for the V1 ops.
  SpaceBatchKernel(bool to_batch, int64_t block_size)
      : to_batch_(to_batch), block_size_(block_size) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    Dims block;
    const Tensor* pads_t = &ctx.input(1);
    if (block_size_ > 0) {
      if (input.rank() != 4) {
        return ctx.InvalidArgument(
            absl::StrCat("input must be 4-dimensional, got shape ",
                         input.shape().DebugString()));
      }
      block = {block_size_, block_size_};
    } else {
      const Tensor& block_t = ctx.input(1);
      pads_t = &ctx.input(2);
      MS_RETURN_IF_ERROR(CheckIntTensor(block_t, "block_shape"));
      if (block_t.rank() != 1) {
        return ctx.InvalidArgument(
            absl::StrCat("block_shape must be one-dimensional, got shape ",
                         block_t.shape().DebugString()));
      }
      block = IntValues(block_t);
    }
    const Tensor& pads = *pads_t;
    const char* pads_name = to_batch_ ? "paddings" : "crops";
    MS_RETURN_IF_ERROR(CheckIntTensor(pads, pads_name));
    const int m = static_cast<int>(block.size());
    if (pads.rank() != 2 || pads.dim(0) != m || pads.dim(1) != 2) {
      return ctx.InvalidArgument(absl::StrCat(pads_name, " should have shape [",
                                              m, ", 2] instead of ",
                                              pads.shape().DebugString()));
    }
    if (input.rank() < 1 + m) {
      return ctx.InvalidArgument(absl::StrCat("input rank should be >= ", 1 + m,
                                              " instead of ", input.rank()));
    }
    int64_t block_product = 1;
    for (int i = 0; i < m; ++i) {
      if (block[i] < 1) {
        return ctx.InvalidArgument(absl::StrCat(
            "All values in block_shape must be positive, got value, ", block[i],
            " at index ", i, "."));
      }
      if (__builtin_mul_overflow(block_product, block[i], &block_product)) {
        return ctx.InvalidArgument("block_shape product is too large");
      }
    }
    const Dims pad_values = IntValues(pads);
    BlockLayout l;
    l.block = block;
    for (int d = 1 + m; d < input.rank(); ++d) l.inner *= input.dim(d);
    Dims out_dims;
    if (to_batch_) {
      l.batch = input.dim(0);
      int64_t out_batch;
      if (__builtin_mul_overflow(l.batch, block_product, &out_batch)) {
        return ctx.InvalidArgument("output batch size is too large");
      }
      out_dims.push_back(out_batch);
      for (int i = 0; i < m; ++i) {
        const int64_t before = pad_values[2 * i];
        const int64_t after = pad_values[2 * i + 1];
        if (before < 0 || after < 0) {
          return ctx.InvalidArgument(
              absl::StrCat("Padding values must be non-negative, got paddings[",
                           i, "] = [", before, ", ", after, "]"));
        }
        const int64_t size = input.dim(1 + i);
        int64_t padded;
        if (__builtin_add_overflow(size, before, &padded) ||
            __builtin_add_overflow(padded, after, &padded)) {
          return ctx.InvalidArgument("padded size is too large");
        }
        if (padded % block[i] != 0) {
          return ctx.InvalidArgument(absl::StrCat(
              "padded_shape[", i, "]=", padded,
              " is not divisible by block_shape[", i, "]=", block[i]));
        }
        l.space.push_back(size);
        l.before.push_back(before);
        l.blocked.push_back(padded / block[i]);
        out_dims.push_back(padded / block[i]);
      }
    } else {
      const int64_t in_batch = input.dim(0);
      if (in_batch % block_product != 0) {
        return ctx.InvalidArgument(
            absl::StrCat("Input batch dimension (", in_batch,
                         ") is not divisible by product of block sizes (",
                         block_product, ")"));
      }
      l.batch = in_batch / block_product;
      out_dims.push_back(l.batch);
      for (int i = 0; i < m; ++i) {
        const int64_t start = pad_values[2 * i];
        const int64_t end = pad_values[2 * i + 1];
        if (start < 0 || end < 0) {
          return ctx.InvalidArgument(
              absl::StrCat("Crops must be non-negative, got crops[", i, "] = [",
                           start, ", ", end, "]"));
        }
        const int64_t blocked = input.dim(1 + i);
        int64_t uncropped, cropped = -1;
        if (__builtin_mul_overflow(blocked, block[i], &uncropped) ||
            __builtin_sub_overflow(uncropped, start, &cropped) ||
            __builtin_sub_overflow(cropped, end, &cropped) || cropped < 0) {
          return ctx.InvalidArgument(absl::StrCat(
              "Negative output dimension size caused by crops: ", blocked,
              " * ", block[i], " - ", start, " - ", end));
        }
        l.blocked.push_back(blocked);
        l.before.push_back(start);
        l.space.push_back(cropped);
        out_dims.push_back(cropped);
      }
    }
    for (int d = 1 + m; d < input.rank(); ++d) out_dims.push_back(input.dim(d));
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(out_dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    l.space_positions = Product(l.space);
    l.blocked_positions = Product(l.blocked);
    const int64_t out_rows = out->NumElements() / l.inner;
    const bool ok = SwitchOnMoveType(input.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = DataAs<T>(input);
      T* dst = DataAs<T>(out);
      ForRows(out_rows, l.inner, [&](int64_t first, int64_t last) {
        // SpaceToBatch fills batch-side rows (zeros for padding);
        // BatchToSpace fills space-side rows, always from inside.
        ForEachRowPair(l, /*over_space=*/!to_batch_, first, last,
                       [&](int64_t space_row, int64_t batch_row) {
                         if (to_batch_) {
                           T* to = dst + batch_row * l.inner;
                           if (space_row < 0) {
                             std::fill(to, to + l.inner, T());
                           } else {
                             CopyRun(src + space_row * l.inner, l.inner, to);
                           }
                         } else {
                           CopyRun(src + batch_row * l.inner, l.inner,
                                   dst + space_row * l.inner);
                         }
                       });
      });
    });
    if (!ok) {
      return ctx.InvalidArgument(
          absl::StrCat("unsupported dtype ", DataTypeName(input.dtype())));
    }
    return absl::OkStatus();
  }

 private:
  const bool to_batch_;
  const int64_t block_size_;
};

template <bool kToBatch>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateSpaceBatchND(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
  MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tblock_shape"));
  MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, kToBatch ? "Tpaddings" : "Tcrops"));
  return std::make_unique<SpaceBatchKernel>(kToBatch, 0);
}

template <bool kToBatch>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateSpaceBatch(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, kToBatch ? "Tpaddings" : "Tidx"));
  int64_t block_size;
  MS_RETURN_IF_ERROR(c.attrs.Get("block_size", &block_size));
  if (block_size < 2) {
    return c.attrs.Error(
        absl::StrCat("Block size should be > 1: ", block_size));
  }
  return std::make_unique<SpaceBatchKernel>(kToBatch, block_size);
}

}  // namespace

REGISTER_KERNEL(OpSpec("SpaceToBatchND").Output("output"),
                CreateSpaceBatchND<true>);
REGISTER_KERNEL(OpSpec("BatchToSpaceND").Output("output"),
                CreateSpaceBatchND<false>);
REGISTER_KERNEL(OpSpec("SpaceToBatch").Output("output"),
                CreateSpaceBatch<true>);
REGISTER_KERNEL(OpSpec("BatchToSpace").Output("output"),
                CreateSpaceBatch<false>);

}  // namespace model_server
