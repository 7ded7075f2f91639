// BlockLSTM and BlockLSTMV2: TensorFlow's fused LSTM over a whole sequence
// (tf.contrib.rnn.LSTMBlockFusedCell; BlockLSTMV2 is what Keras' LSTM
// lowers to on some paths).
//
// Inputs seq_len_max (int64 scalar), x [time, batch, input], cs_prev and
// h_prev [batch, cell] (the state before step 0), w [input + cell, 4 * cell],
// wci, wcf, wco [cell], b [4 * cell]. Outputs i, cs, f, o, ci, co, h, each
// [time, batch, cell]: step t runs LSTMBlockCell's arithmetic
// (rnn_cell_math.h) on x[t] and step t - 1's cs and h. Steps at or after
// seq_len_max are zeros (TensorFlow zeroes cs and h there and leaves the
// other outputs unset; we zero them all). seq_len_max outside [0, time] is
// INVALID_ARGUMENT.
//
// BlockLSTM: attrs forget_bias (1.0), cell_clip (3.0), use_peephole, T in
// {half, float}; gate blocks i, c, f, o. BlockLSTMV2: no forget_bias (0),
// cell_clip defaults to 0 (no clipping), gate blocks i, f, c, o.
#include <algorithm>
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

class BlockLstmKernel final : public OpKernel {
 public:
  template <LstmGateLayout kLayout>
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 9));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    if (dtype != DT_FLOAT && dtype != DT_HALF) {
      return UnsupportedDtypeError(c, dtype);
    }
    LstmCellOptions options;
    options.layout = kLayout;
    if (kLayout == LstmGateLayout::kICFO) {
      MS_RETURN_IF_ERROR(
          c.attrs.GetOr("forget_bias", 1.0f, &options.forget_bias));
      MS_RETURN_IF_ERROR(c.attrs.GetOr("cell_clip", 3.0f, &options.cell_clip));
    } else {
      options.forget_bias = 0.0f;
      MS_RETURN_IF_ERROR(c.attrs.GetOr("cell_clip", 0.0f, &options.cell_clip));
    }
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("use_peephole", false, &options.use_peephole));
    return std::unique_ptr<OpKernel>(new BlockLstmKernel(dtype, options));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& seq_len_max = ctx.input(0);
    if (seq_len_max.dtype() != DT_INT64 || seq_len_max.rank() != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("seq_len_max must be an int64 scalar, got ",
                       DataTypeName(seq_len_max.dtype()), " ",
                       seq_len_max.shape().DebugString()));
    }
    for (int i = 1; i < 9; ++i) {
      if (ctx.input(i).dtype() != dtype_) {
        return ctx.InvalidArgument(absl::StrCat(
            "input ", i, " is ", DataTypeName(ctx.input(i).dtype()),
            ", expected ", DataTypeName(dtype_)));
      }
    }
    const Tensor& x = ctx.input(1);
    const Tensor& cs_prev = ctx.input(2);
    const Tensor& h_prev = ctx.input(3);
    MS_RETURN_IF_ERROR(CheckRank(x, 3, "x"));
    MS_RETURN_IF_ERROR(CheckRank(cs_prev, 2, "cs_prev"));
    MS_RETURN_IF_ERROR(CheckRank(h_prev, 2, "h_prev"));
    const int64_t time = x.dim(0);
    const int64_t batch = x.dim(1);
    const int64_t input = x.dim(2);
    const int64_t cell = cs_prev.dim(1);
    const int64_t steps = seq_len_max.scalar<int64_t>();
    if (steps < 0 || steps > time) {
      return ctx.InvalidArgument(absl::StrCat(
          "seq_len_max must be in [0, ", time, "] (x.dims(0)), got ", steps));
    }
    MS_RETURN_IF_ERROR(
        CheckDim(cs_prev.dim(0), batch, "cs_prev.dims(0)", "batch_size"));
    MS_RETURN_IF_ERROR(
        CheckDim(h_prev.dim(0), batch, "h_prev.dims(0)", "batch_size"));
    MS_RETURN_IF_ERROR(
        CheckDim(h_prev.dim(1), cell, "h_prev.dims(1)", "cell_size"));
    MS_RETURN_IF_ERROR(
        CheckLstmWeights(ctx.input(4), ctx.input(5), ctx.input(6), ctx.input(7),
                         ctx.input(8), input, cell, options_.use_peephole));
    std::vector<FloatInput> in;
    for (int i = 1; i < 9; ++i) in.emplace_back(ctx.input(i));
    const TensorShape shape{time, batch, cell};
    std::vector<FloatOutput> out;
    for (int o = 0; o < 7; ++o) {
      MS_ASSIGN_OR_RETURN(FloatOutput output,
                          FloatOutput::Allocate(ctx, o, dtype_, shape));
      std::fill(output.data(), output.data() + shape.num_elements(), 0.0f);
      out.push_back(std::move(output));
    }
    std::vector<float> xh(batch * (input + cell)), gates(batch * 4 * cell);
    const int64_t x_step = batch * input;
    const int64_t step = batch * cell;
    for (int64_t t = 0; t < steps; ++t) {
      const float* cs_before =
          t == 0 ? in[1].data() : out[1].data() + (t - 1) * step;
      const float* h_before =
          t == 0 ? in[2].data() : out[6].data() + (t - 1) * step;
      LstmStepOutputs outputs;
      float** fields[] = {&outputs.i,  &outputs.cs, &outputs.f, &outputs.o,
                          &outputs.ci, &outputs.co, &outputs.h};
      for (int o = 0; o < 7; ++o) *fields[o] = out[o].data() + t * step;
      LstmStep(options_, batch, input, cell, in[0].data() + t * x_step,
               cs_before, h_before, in[3].data(), in[4].data(), in[5].data(),
               in[6].data(), in[7].data(), outputs, xh.data(), gates.data());
    }
    for (FloatOutput& output : out) output.Finish();
    return absl::OkStatus();
  }

 private:
  BlockLstmKernel(DataType dtype, LstmCellOptions options)
      : dtype_(dtype), options_(options) {}
  const DataType dtype_;
  const LstmCellOptions options_;
};

OpSpec BlockLstmSpec(const char* name) {
  return OpSpec(name)
      .Output("i")
      .Output("cs")
      .Output("f")
      .Output("o")
      .Output("ci")
      .Output("co")
      .Output("h");
}

}  // namespace

REGISTER_KERNEL(BlockLstmSpec("BlockLSTM"),
                BlockLstmKernel::Create<LstmGateLayout::kICFO>);
REGISTER_KERNEL(BlockLstmSpec("BlockLSTMV2"),
                BlockLstmKernel::Create<LstmGateLayout::kIFCO>);

}  // namespace model_server
