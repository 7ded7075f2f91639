// LSTMBlockCell: one step of TensorFlow's fused LSTM cell
// (tf.contrib.rnn.LSTMBlockCell, tf.compat.v1 LSTMBlockCell).
//
// Inputs x [batch, input], cs_prev [batch, cell], h_prev [batch, cell],
// w [input + cell, 4 * cell], wci, wcf, wco [cell], b [4 * cell]; outputs
// i, cs, f, o, ci, co, h, each [batch, cell] (rnn_cell_math.h has the
// formulas; gate blocks i, c, f, o). Attrs forget_bias (1.0), cell_clip
// (3.0; > 0 clips the cell state), use_peephole (false), T in {half, float}
// as TensorFlow registers it (half is computed in float and rounded once).
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/rnn/rnn_cell_math.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class LstmBlockCellKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 8));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    if (dtype != DT_FLOAT && dtype != DT_HALF) {
      return UnsupportedDtypeError(c, dtype);
    }
    LstmCellOptions options;
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("forget_bias", 1.0f, &options.forget_bias));
    MS_RETURN_IF_ERROR(c.attrs.GetOr("cell_clip", 3.0f, &options.cell_clip));
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("use_peephole", false, &options.use_peephole));
    return std::unique_ptr<OpKernel>(new LstmBlockCellKernel(dtype, options));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    for (int i = 0; i < 8; ++i) {
      if (ctx.input(i).dtype() != dtype_) {
        return ctx.InvalidArgument(absl::StrCat(
            "input ", i, " is ", DataTypeName(ctx.input(i).dtype()),
            ", expected ", DataTypeName(dtype_)));
      }
    }
    const Tensor& x = ctx.input(0);
    const Tensor& cs_prev = ctx.input(1);
    const Tensor& h_prev = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckRank(x, 2, "x"));
    MS_RETURN_IF_ERROR(CheckRank(cs_prev, 2, "cs_prev"));
    MS_RETURN_IF_ERROR(CheckRank(h_prev, 2, "h_prev"));
    const int64_t batch = x.dim(0);
    const int64_t input = x.dim(1);
    const int64_t cell = cs_prev.dim(1);
    MS_RETURN_IF_ERROR(
        CheckDim(cs_prev.dim(0), batch, "cs_prev.dims(0)", "batch_size"));
    MS_RETURN_IF_ERROR(
        CheckDim(h_prev.dim(0), batch, "h_prev.dims(0)", "batch_size"));
    MS_RETURN_IF_ERROR(
        CheckDim(h_prev.dim(1), cell, "h_prev.dims(1)", "cell_size"));
    MS_RETURN_IF_ERROR(
        CheckLstmWeights(ctx.input(3), ctx.input(4), ctx.input(5), ctx.input(6),
                         ctx.input(7), input, cell, options_.use_peephole));
    std::vector<FloatInput> in;
    for (int i = 0; i < 8; ++i) in.emplace_back(ctx.input(i));
    const TensorShape shape{batch, cell};
    std::vector<FloatOutput> out;
    for (int o = 0; o < 7; ++o) {
      MS_ASSIGN_OR_RETURN(FloatOutput output,
                          FloatOutput::Allocate(ctx, o, dtype_, shape));
      out.push_back(std::move(output));
    }
    std::vector<float> xh(batch * (input + cell)), gates(batch * 4 * cell);
    // Outputs in TensorFlow's order: i, cs, f, o, ci, co, h.
    LstmStep(options_, batch, input, cell, in[0].data(), in[1].data(),
             in[2].data(), in[3].data(), in[4].data(), in[5].data(),
             in[6].data(), in[7].data(),
             {out[0].data(), out[1].data(), out[2].data(), out[3].data(),
              out[4].data(), out[5].data(), out[6].data()},
             xh.data(), gates.data());
    for (FloatOutput& output : out) output.Finish();
    return absl::OkStatus();
  }

 private:
  LstmBlockCellKernel(DataType dtype, LstmCellOptions options)
      : dtype_(dtype), options_(options) {}
  const DataType dtype_;
  const LstmCellOptions options_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("LSTMBlockCell")
                    .Output("i")
                    .Output("cs")
                    .Output("f")
                    .Output("o")
                    .Output("ci")
                    .Output("co")
                    .Output("h"),
                LstmBlockCellKernel::Create);

}  // namespace model_server
