// MatrixBandPart: input, num_lower, num_upper (Tindex int32/int64 scalars):
// keeps the elements (i, j) of each innermost matrix with
// (num_lower < 0 || i - j <= num_lower) and (num_upper < 0 || j - i <=
// num_upper), zeroes the rest (a negative count keeps that whole triangle).
// Every POD dtype, as TensorFlow registers.
#include <algorithm>
#include <cstdint>
#include <cstring>
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

class MatrixBandPartKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tindex"));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    MS_RETURN_IF_ERROR(CheckPodDtype(c, dtype));
    return std::unique_ptr<OpKernel>(new MatrixBandPartKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, dtype_));
    const int rank = input.rank();
    MS_RETURN_IF_ERROR(CheckAtLeastMatrix(input));
    const int64_t rows = input.shape().dim(rank - 2);
    const int64_t cols = input.shape().dim(rank - 1);
    MS_ASSIGN_OR_RETURN(const int64_t num_lower,
                        ScalarIndex(ctx.input(1), "num_lower"));
    MS_ASSIGN_OR_RETURN(const int64_t num_upper,
                        ScalarIndex(ctx.input(2), "num_upper"));
    if (num_lower > rows) {
      return ctx.InvalidArgument(absl::StrCat(
          "num_lower must be negative or less or equal to number of rows (",
          rows, ") got: ", num_lower));
    }
    if (num_upper > cols) {
      return ctx.InvalidArgument(absl::StrCat(
          "num_upper must be negative or less or equal to number of columns (",
          cols, ") got: ", num_upper));
    }
    if ((num_lower < 0 || num_lower >= rows - 1) &&
        (num_upper < 0 || num_upper >= cols - 1)) {
      ctx.set_output(0, input);  // The band is the whole matrix.
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, input.shape()));
    const int64_t matrix = rows * cols;
    if (matrix == 0) return absl::OkStatus();
    const int64_t batches = input.NumElements() / matrix;
    SwitchOnMoveType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_trivially_copyable_v<T>) {
        const T* in = DataAs<T>(input);
        T* dst = DataAs<T>(out);
        ForRows(batches, matrix, [&](int64_t begin, int64_t end) {
          for (int64_t b = begin; b < end; ++b) {
            for (int64_t i = 0; i < rows; ++i) {
              // Columns [first, last) of row i lie in the band.
              const int64_t first =
                  num_lower < 0 ? 0 : std::max<int64_t>(0, i - num_lower);
              const int64_t last =
                  num_upper < 0 ? cols : std::min(cols, i + num_upper + 1);
              const int64_t offset = b * matrix + i * cols;
              for (int64_t j = 0; j < cols; ++j) {
                dst[offset + j] = j >= first && j < last ? in[offset + j] : T{};
              }
            }
          }
        });
      }
    });
    return absl::OkStatus();
  }

 private:
  explicit MatrixBandPartKernel(DataType dtype) : dtype_(dtype) {}

  const DataType dtype_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("MatrixBandPart").Output("band"),
                MatrixBandPartKernel::Create);

}  // namespace model_server
