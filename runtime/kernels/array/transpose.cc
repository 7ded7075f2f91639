// Transpose: x, perm (Tperm int32/int64) -> "y". Every dtype
// (data_movement.h); numbers of collapsed rank 2..5 are shuffled by Eigen.
// InvertPermutation: x (T int32/int64 vector, a permutation of 0..n-1) ->
//   "y" with y[x[i]] = i; TensorFlow's texts for values out of range or
//   repeated.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
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
    SimplifyStridedView(&out_dims, &strides);
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

class InvertPermutationKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "T"));
    return std::unique_ptr<OpKernel>(new InvertPermutationKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckIntTensor(x, "x"));
    if (x.rank() != 1) {
      return ctx.InvalidArgument(
          absl::StrCat("invert_permutation expects a 1D vector. Got shape ",
                       x.shape().DebugString()));
    }
    const int64_t n = x.NumElements();
    if (n > std::numeric_limits<int32_t>::max()) {
      return ctx.InvalidArgument(
          "permutation of nonnegative int32s must have <= int32 max "
          "elements");
    }
    MS_ASSIGN_OR_RETURN(Tensor * y,
                        ctx.allocate_output(0, x.dtype(), x.shape()));
    std::vector<int64_t> inverse(n, -1);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t d = IntAt(x, i);
      if (d < 0 || d >= n) {
        return ctx.InvalidArgument(
            absl::StrCat(d, " is not between 0 and ", n));
      }
      if (inverse[d] != -1) {
        return ctx.InvalidArgument(
            absl::StrCat(d, " is duplicated in the input."));
      }
      inverse[d] = i;
    }
    for (int64_t i = 0; i < n; ++i) {
      if (x.dtype() == DT_INT32) {
        y->data<int32_t>()[i] = static_cast<int32_t>(inverse[i]);
      } else {
        y->data<int64_t>()[i] = inverse[i];
      }
    }
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("InvertPermutation").Output("y"),
                InvertPermutationKernel::Create);
REGISTER_KERNEL(OpSpec("Transpose").Output("y"), TransposeKernel::Create);

}  // namespace model_server
