// Diag (diagonal of shape S -> output of shape S + S, zero off the diagonal)
// and DiagPart (input of shape S + S -> its diagonal of shape S). half,
// bfloat16, float, double, int32, int64, complex64, complex128, as
// TensorFlow registers; elements are moved, not read (data_movement.h).
#include <algorithm>
#include <complex>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

absl::StatusOr<DataType> ReadDiagDtype(const KernelConstruction& c) {
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  const bool registered = DtypeIs(dtype, [](auto tag) {
    using T = decltype(tag);
    return kIsFloat<T> || std::is_same_v<T, int32_t> ||
           std::is_same_v<T, int64_t> ||
           std::is_same_v<T, std::complex<float>> ||
           std::is_same_v<T, std::complex<double>>;
  });
  if (!registered) return UnsupportedDtypeError(c, dtype);
  return dtype;
}

class DiagKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    MS_ASSIGN_OR_RETURN(DataType dtype, ReadDiagDtype(c));
    return std::unique_ptr<OpKernel>(new DiagKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& diagonal = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(diagonal, dtype_));
    if (diagonal.rank() < 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "Input must be >= 1-dim, but got: ", diagonal.shape().DebugString()));
    }
    Dims out_dims(diagonal.shape().dims().begin(),
                  diagonal.shape().dims().end());
    out_dims.insert(out_dims.end(), diagonal.shape().dims().begin(),
                    diagonal.shape().dims().end());
    MS_ASSIGN_OR_RETURN(TensorShape out_shape, TensorShape::FromDims(out_dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, out_shape));
    const int64_t n = diagonal.NumElements();
    SwitchOnMoveType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_trivially_copyable_v<T>) {
        const T* in = DataAs<T>(diagonal);
        T* dst = DataAs<T>(out);
        ForRows(n, n, [&](int64_t begin, int64_t end) {
          for (int64_t i = begin; i < end; ++i) {
            T* row = dst + i * n;
            std::fill(row, row + n, T{});
            row[i] = in[i];
          }
        });
      }
    });
    return absl::OkStatus();
  }

 private:
  explicit DiagKernel(DataType dtype) : dtype_(dtype) {}

  const DataType dtype_;
};

class DiagPartKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    MS_ASSIGN_OR_RETURN(DataType dtype, ReadDiagDtype(c));
    return std::unique_ptr<OpKernel>(new DiagPartKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, dtype_));
    const int rank = input.rank();
    if (rank == 0 || rank % 2 != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("The rank of the tensor should be even and positive, "
                       "got shape ",
                       input.shape().DebugString()));
    }
    const int half = rank / 2;
    for (int i = 0; i < half; ++i) {
      if (input.shape().dim(i) != input.shape().dim(i + half)) {
        return ctx.InvalidArgument(absl::StrCat(
            "Invalid shape ", input.shape().DebugString(), ": dimensions ", i,
            " and ", i + half, " do not match."));
      }
    }
    Dims out_dims(input.shape().dims().begin(),
                  input.shape().dims().begin() + half);
    MS_ASSIGN_OR_RETURN(TensorShape out_shape, TensorShape::FromDims(out_dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, out_shape));
    const int64_t n = out->NumElements();
    SwitchOnMoveType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_trivially_copyable_v<T>) {
        const T* in = DataAs<T>(input);
        T* dst = DataAs<T>(out);
        for (int64_t i = 0; i < n; ++i) dst[i] = in[i * n + i];
      }
    });
    return absl::OkStatus();
  }

 private:
  explicit DiagPartKernel(DataType dtype) : dtype_(dtype) {}

  const DataType dtype_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("Diag").Output("output"), DiagKernel::Create);
REGISTER_KERNEL(OpSpec("DiagPart").Output("diagonal"), DiagPartKernel::Create);

}  // namespace model_server
