// MatrixDiagPart (input), MatrixDiagPartV2 and MatrixDiagPartV3 (input, k,
// padding_value; V3's align attr): extracts the band of diagonals k of a
// batch of (not necessarily square) matrices, packed as diag_band.h says;
// V1 extracts the main diagonal. Every POD dtype; elements are moved, not
// read (data_movement.h).
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

class MatrixDiagPartKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const bool v1 = c.attrs.op() == "MatrixDiagPart";
    MS_RETURN_IF_ERROR(CheckNumInputs(c, v1 ? 1 : 3));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    MS_RETURN_IF_ERROR(CheckPodDtype(c, dtype));
    MS_ASSIGN_OR_RETURN(
        DiagAlignment align,
        ReadDiagAlignment(c, c.attrs.op() == "MatrixDiagPartV3"));
    return std::unique_ptr<OpKernel>(
        new MatrixDiagPartKernel(v1, dtype, align));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, dtype_));
    DiagRange range;
    const void* padding = nullptr;
    if (!v1_) {
      MS_ASSIGN_OR_RETURN(range, ReadDiagIndex(ctx.input(1)));
      MS_ASSIGN_OR_RETURN(padding, ReadPaddingValue(ctx.input(2), dtype_));
    }
    const int rank = input.rank();
    MS_RETURN_IF_ERROR(CheckAtLeastMatrix(input));
    const int64_t rows = input.shape().dim(rank - 2);
    const int64_t cols = input.shape().dim(rank - 1);
    MS_RETURN_IF_ERROR(CheckDiagRangeInMatrix(range, rows, cols));
    const int64_t num_diags = range.num_diags();
    const int64_t max_len = MaxDiagLength(range, rows, cols);
    Dims out_dims(input.shape().dims().begin(),
                  input.shape().dims().begin() + rank - 2);
    const int64_t batches = Product(out_dims);
    if (num_diags > 1) out_dims.push_back(num_diags);
    out_dims.push_back(max_len);
    MS_ASSIGN_OR_RETURN(TensorShape out_shape, TensorShape::FromDims(out_dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, out_shape));
    if (out->NumElements() == 0) return absl::OkStatus();

    const std::vector<DiagPlacement> placements =
        PlaceDiagonals(range, max_len, rows, cols, align_);
    SwitchOnMoveType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_trivially_copyable_v<T>) {
        const T pad = padding ? *static_cast<const T*>(padding) : T{};
        const T* in = DataAs<T>(input);
        T* dst = DataAs<T>(out);
        const int64_t packed = num_diags * max_len;
        ForRows(batches, packed, [&](int64_t begin, int64_t end) {
          for (int64_t b = begin; b < end; ++b) {
            const T* matrix = in + b * rows * cols;
            for (int64_t m = 0; m < num_diags; ++m) {
              const int64_t d = range.upper - m;
              const DiagPlacement& p = placements[m];
              const int64_t row0 = d < 0 ? -d : 0;
              const int64_t col0 = d > 0 ? d : 0;
              T* packed_row = dst + b * packed + m * max_len;
              for (int64_t n = 0; n < max_len; ++n) {
                const int64_t j = n - p.offset;
                packed_row[n] = j >= 0 && j < p.length
                                    ? matrix[(row0 + j) * cols + col0 + j]
                                    : pad;
              }
            }
          }
        });
      }
    });
    return absl::OkStatus();
  }

 private:
  MatrixDiagPartKernel(bool v1, DataType dtype, DiagAlignment align)
      : v1_(v1), dtype_(dtype), align_(align) {}

  const bool v1_;
  const DataType dtype_;
  const DiagAlignment align_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("MatrixDiagPart").Output("diagonal"),
                MatrixDiagPartKernel::Create);
REGISTER_KERNEL(OpSpec("MatrixDiagPartV2").Output("diagonal"),
                MatrixDiagPartKernel::Create);
REGISTER_KERNEL(OpSpec("MatrixDiagPartV3").Output("diagonal"),
                MatrixDiagPartKernel::Create);

}  // namespace model_server
