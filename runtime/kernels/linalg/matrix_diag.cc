// MatrixDiag (diagonal), MatrixDiagV2 and MatrixDiagV3 (diagonal, k,
// num_rows, num_cols, padding_value; V3's align attr): builds a batch of
// matrices from packed diagonals (diag_band.h), padding_value (0 for V1)
// elsewhere. num_rows / num_cols of -1 are inferred as TensorFlow does (the
// smallest fitting size; square when both are -1). Every POD dtype; elements
// are moved, not read (data_movement.h).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/diag_band.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class MatrixDiagKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const bool v1 = c.attrs.op() == "MatrixDiag";
    MS_RETURN_IF_ERROR(CheckNumInputs(c, v1 ? 1 : 5));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    MS_RETURN_IF_ERROR(CheckPodDtype(c, dtype));
    MS_ASSIGN_OR_RETURN(DiagAlignment align,
                        ReadDiagAlignment(c, c.attrs.op() == "MatrixDiagV3"));
    return std::unique_ptr<OpKernel>(new MatrixDiagKernel(v1, dtype, align));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& diagonal = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(diagonal, dtype_));
    DiagRange range;
    int64_t num_rows = -1;
    int64_t num_cols = -1;
    const void* padding = nullptr;
    if (!v1_) {
      MS_ASSIGN_OR_RETURN(range, ReadDiagIndex(ctx.input(1)));
      MS_ASSIGN_OR_RETURN(num_rows, ScalarIndex(ctx.input(2), "num_rows"));
      MS_ASSIGN_OR_RETURN(num_cols, ScalarIndex(ctx.input(3), "num_cols"));
      MS_ASSIGN_OR_RETURN(padding, ReadPaddingValue(ctx.input(4), dtype_));
    }
    const int rank = diagonal.rank();
    if (rank < 1) {
      return ctx.InvalidArgument(
          absl::StrCat("diagonal must be at least 1-dim, received shape: ",
                       diagonal.shape().DebugString()));
    }
    const int64_t num_diags = range.num_diags();
    if (num_diags > 1 &&
        (rank < 2 || diagonal.shape().dim(rank - 2) != num_diags)) {
      return ctx.InvalidArgument(
          "The number of diagonals provided in the input does not match the "
          "lower_diag_index and upper_diag_index range.");
    }
    const int64_t max_len = diagonal.shape().dim(rank - 1);
    const int64_t min_rows = max_len - std::min<int64_t>(range.upper, 0);
    const int64_t min_cols = max_len + std::max<int64_t>(range.lower, 0);
    if (num_rows != -1 && num_rows < min_rows) {
      return ctx.InvalidArgument("The number of rows is too small.");
    }
    if (num_cols != -1 && num_cols < min_cols) {
      return ctx.InvalidArgument("The number of columns is too small.");
    }
    if (num_rows == -1 && num_cols == -1) {
      num_rows = num_cols = std::max(min_rows, min_cols);
    } else if (num_rows == -1) {
      num_rows = min_rows;
    } else if (num_cols == -1) {
      num_cols = min_cols;
    }
    if (num_rows != min_rows && num_cols != min_cols) {
      return ctx.InvalidArgument(
          "The number of rows or columns is not consistent with the specified "
          "d_lower, d_upper, and diagonal.");
    }
    const int batch_rank = num_diags > 1 ? rank - 2 : rank - 1;
    Dims out_dims(diagonal.shape().dims().begin(),
                  diagonal.shape().dims().begin() + batch_rank);
    const int64_t batches = Product(out_dims);
    out_dims.push_back(num_rows);
    out_dims.push_back(num_cols);
    MS_ASSIGN_OR_RETURN(TensorShape out_shape, TensorShape::FromDims(out_dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, out_shape));
    if (out->NumElements() == 0) return absl::OkStatus();

    const std::vector<DiagPlacement> placements =
        PlaceDiagonals(range, max_len, num_rows, num_cols, align_);
    SwitchOnMoveType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_trivially_copyable_v<T>) {
        const T pad = padding ? *static_cast<const T*>(padding) : T{};
        const T* in = DataAs<T>(diagonal);
        T* dst = DataAs<T>(out);
        const int64_t matrix = num_rows * num_cols;
        ForRows(batches, matrix, [&](int64_t begin, int64_t end) {
          for (int64_t b = begin; b < end; ++b) {
            const T* diags = in + b * num_diags * max_len;
            T* out_matrix = dst + b * matrix;
            for (int64_t i = 0; i < num_rows; ++i) {
              for (int64_t j = 0; j < num_cols; ++j) {
                const int64_t d = j - i;
                T value = pad;
                if (d >= range.lower && d <= range.upper) {
                  const int64_t m = range.upper - d;
                  const int64_t n = d >= 0 ? i : j;
                  value = diags[m * max_len + n + placements[m].offset];
                }
                out_matrix[i * num_cols + j] = value;
              }
            }
          }
        });
      }
    });
    return absl::OkStatus();
  }

 private:
  MatrixDiagKernel(bool v1, DataType dtype, DiagAlignment align)
      : v1_(v1), dtype_(dtype), align_(align) {}

  const bool v1_;
  const DataType dtype_;
  const DiagAlignment align_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("MatrixDiag").Output("output"),
                MatrixDiagKernel::Create);
REGISTER_KERNEL(OpSpec("MatrixDiagV2").Output("output"),
                MatrixDiagKernel::Create);
REGISTER_KERNEL(OpSpec("MatrixDiagV3").Output("output"),
                MatrixDiagKernel::Create);

}  // namespace model_server
