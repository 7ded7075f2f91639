// MatrixSetDiag (input, diagonal), MatrixSetDiagV2 and MatrixSetDiagV3
// (input, diagonal, k; V3's align attr): a copy of a batch of matrices with
// the band of diagonals k replaced by the packed `diagonal` (diag_band.h);
// V1 replaces the main diagonal. Every POD dtype; elements are moved, not
// read (data_movement.h).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/diag_band.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class MatrixSetDiagKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const bool v1 = c.attrs.op() == "MatrixSetDiag";
    MS_RETURN_IF_ERROR(CheckNumInputs(c, v1 ? 2 : 3));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    MS_RETURN_IF_ERROR(CheckPodDtype(c, dtype));
    MS_ASSIGN_OR_RETURN(
        DiagAlignment align,
        ReadDiagAlignment(c, c.attrs.op() == "MatrixSetDiagV3"));
    return std::unique_ptr<OpKernel>(new MatrixSetDiagKernel(v1, dtype, align));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& diagonal = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, dtype_));
    MS_RETURN_IF_ERROR(CheckInputDtype(diagonal, dtype_));
    DiagRange range;
    if (!v1_) {
      MS_ASSIGN_OR_RETURN(range, ReadDiagIndex(ctx.input(2)));
    }
    const int rank = input.rank();
    MS_RETURN_IF_ERROR(CheckAtLeastMatrix(input));
    if (diagonal.rank() < 1) {
      return ctx.InvalidArgument(
          absl::StrCat("diagonal must be at least 1-dim, received shape: ",
                       diagonal.shape().DebugString()));
    }
    const int64_t rows = input.shape().dim(rank - 2);
    const int64_t cols = input.shape().dim(rank - 1);
    MS_RETURN_IF_ERROR(CheckDiagRangeInMatrix(range, rows, cols));
    const int64_t num_diags = range.num_diags();
    const int64_t max_len = MaxDiagLength(range, rows, cols);
    Dims expected(input.shape().dims().begin(),
                  input.shape().dims().begin() + rank - 2);
    const int64_t batches = Product(expected);
    if (num_diags > 1) expected.push_back(num_diags);
    expected.push_back(max_len);
    if (Dims(diagonal.shape().dims().begin(), diagonal.shape().dims().end()) !=
        expected) {
      MS_ASSIGN_OR_RETURN(TensorShape expected_shape,
                          TensorShape::FromDims(expected));
      return ctx.InvalidArgument(absl::StrCat(
          "Either first dimensions of diagonal don't match input.shape[:-2], "
          "or diagonal.shape[:-1] is not equal to the longests diagonal in "
          "range [lower_diag_index:upper_diag_index].\nInput shape: ",
          input.shape().DebugString(),
          "\nDiagonal shape: ", diagonal.shape().DebugString(),
          "\nExpected diagonal shape: ", expected_shape.DebugString()));
    }
    if (input.NumElements() == 0) {
      ctx.set_output(0, input);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, input.shape()));
    SwitchOnMoveType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_trivially_copyable_v<T>) {
        const T* in = DataAs<T>(input);
        const T* diags = DataAs<T>(diagonal);
        T* dst = DataAs<T>(out);
        const int64_t matrix = rows * cols;
        const int64_t packed = num_diags * max_len;
        ForRows(batches, matrix, [&](int64_t begin, int64_t end) {
          for (int64_t b = begin; b < end; ++b) {
            T* out_matrix = dst + b * matrix;
            CopyRun(in + b * matrix, matrix, out_matrix);
            for (int64_t m = 0; m < num_diags; ++m) {
              const int64_t d = range.upper - m;
              const DiagPlacement p =
                  PlaceDiagonal(d, max_len, rows, cols, align_);
              const int64_t row0 = d < 0 ? -d : 0;
              const int64_t col0 = d > 0 ? d : 0;
              const T* packed_row = diags + b * packed + m * max_len + p.offset;
              for (int64_t n = 0; n < p.length; ++n) {
                out_matrix[(row0 + n) * cols + col0 + n] = packed_row[n];
              }
            }
          }
        });
      }
    });
    return absl::OkStatus();
  }

 private:
  MatrixSetDiagKernel(bool v1, DataType dtype, DiagAlignment align)
      : v1_(v1), dtype_(dtype), align_(align) {}

  const bool v1_;
  const DataType dtype_;
  const DiagAlignment align_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("MatrixSetDiag").Output("output"),
                MatrixSetDiagKernel::Create);
REGISTER_KERNEL(OpSpec("MatrixSetDiagV2").Output("output"),
                MatrixSetDiagKernel::Create);
REGISTER_KERNEL(OpSpec("MatrixSetDiagV3").Output("output"),
                MatrixSetDiagKernel::Create);

}  // namespace model_server
