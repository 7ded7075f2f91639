// GRUBlockCell: one step of TensorFlow's fused GRU cell
// (tf.contrib.rnn.GRUBlockCell and GRUBlockCellV2 both emit it).
//
// Inputs x [batch, input], h_prev [batch, cell], w_ru [input + cell,
// 2 * cell], w_c [input + cell, cell], b_ru [2 * cell], b_c [cell]; outputs
// r, u, c, h, each [batch, cell] (rnn_cell_math.h has the formulas). T is
// float only, as TensorFlow registers it.
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/rnn/rnn_cell_math.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class GruBlockCellKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 6));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    if (dtype != DT_FLOAT) return UnsupportedDtypeError(c, dtype);
    return std::unique_ptr<OpKernel>(new GruBlockCellKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    static constexpr const char* kNames[] = {"x",   "h_prev", "w_ru",
                                             "w_c", "b_ru",   "b_c"};
    static constexpr int kRanks[] = {2, 2, 2, 2, 1, 1};
    for (int i = 0; i < 6; ++i) {
      if (ctx.input(i).dtype() != DT_FLOAT) {
        return ctx.InvalidArgument(
            absl::StrCat(kNames[i], " is ", DataTypeName(ctx.input(i).dtype()),
                         ", expected float"));
      }
      MS_RETURN_IF_ERROR(CheckRank(ctx.input(i), kRanks[i], kNames[i]));
    }
    const Tensor& x = ctx.input(0);
    const Tensor& h_prev = ctx.input(1);
    const Tensor& w_ru = ctx.input(2);
    const Tensor& w_c = ctx.input(3);
    const int64_t batch = x.dim(0);
    const int64_t input = x.dim(1);
    const int64_t cell = h_prev.dim(1);
    constexpr int64_t kMaxSize = int64_t{1} << 40;
    if (input > kMaxSize || cell > kMaxSize) {
      return ctx.InvalidArgument(absl::StrCat(
          "input size ", input, " or cell size ", cell, " is too large"));
    }
    MS_RETURN_IF_ERROR(
        CheckDim(h_prev.dim(0), batch, "h_prev.dims(0)", "batch_size"));
    MS_RETURN_IF_ERROR(CheckDim(w_ru.dim(0), input + cell, "w_ru.dim_size(0)",
                                "input_size + cell_size"));
    MS_RETURN_IF_ERROR(
        CheckDim(w_ru.dim(1), cell * 2, "w_ru.dim_size(1)", "cell_size * 2"));
    MS_RETURN_IF_ERROR(CheckDim(w_c.dim(0), input + cell, "w_c.dim_size(0)",
                                "input_size + cell_size"));
    MS_RETURN_IF_ERROR(
        CheckDim(w_c.dim(1), cell, "w_c.dim_size(1)", "cell_size"));
    MS_RETURN_IF_ERROR(CheckDim(ctx.input(4).dim(0), cell * 2,
                                "b_ru.dim_size(0)", "cell_size * 2"));
    MS_RETURN_IF_ERROR(
        CheckDim(ctx.input(5).dim(0), cell, "b_c.dim_size(0)", "cell_size"));
    const TensorShape shape{batch, cell};
    float* out[4];
    for (int o = 0; o < 4; ++o) {
      MS_ASSIGN_OR_RETURN(Tensor * t, ctx.allocate_output(o, DT_FLOAT, shape));
      out[o] = t->data<float>();
    }
    std::vector<float> xh(batch * (input + cell)), ru(batch * 2 * cell);
    GruStep(batch, input, cell, x.data<float>(), h_prev.data<float>(),
            w_ru.data<float>(), w_c.data<float>(), ctx.input(4).data<float>(),
            ctx.input(5).data<float>(), out[0], out[1], out[2], out[3],
            xh.data(), ru.data());
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(
    OpSpec("GRUBlockCell").Output("r").Output("u").Output("c").Output("h"),
    GruBlockCellKernel::Create);

}  // namespace model_server
