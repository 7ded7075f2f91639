// Tile: input, multiples (Tmultiples int32/int64). Every dtype
// (data_movement.h).
#include <algorithm>
#include <cstdint>
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

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

}  // namespace

REGISTER_KERNEL(OpSpec("Tile").Output("output"), TileKernel::Create);

}  // namespace model_server
