#include "runtime/kernels/rnn/rnn_cell_math.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "Eigen/Core"
#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

using RowMajor =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// out[batch, cols] = [a (a_cols), b (b_cols)] * w + bias, with the
// concatenation written into `ab` first.
void ConcatMatMulBias(int64_t batch, const float* a, int64_t a_cols,
                      const float* b, int64_t b_cols, const float* w,
                      const float* bias, int64_t cols, float* ab, float* out) {
  const int64_t k = a_cols + b_cols;
  for (int64_t r = 0; r < batch; ++r) {
    std::copy(a + r * a_cols, a + (r + 1) * a_cols, ab + r * k);
    std::copy(b + r * b_cols, b + (r + 1) * b_cols, ab + r * k + a_cols);
  }
  Eigen::Map<const RowMajor> abm(ab, batch, k);
  Eigen::Map<const RowMajor> wm(w, k, cols);
  Eigen::Map<RowMajor> om(out, batch, cols);
  if (batch > 0 && cols > 0) {
    if (k > 0) {
      om.noalias() = abm * wm;
    } else {
      om.setZero();
    }
  }
  for (int64_t r = 0; r < batch; ++r) {
    for (int64_t j = 0; j < cols; ++j) out[r * cols + j] += bias[j];
  }
}

}  // namespace

void LstmStep(const LstmCellOptions& options, int64_t batch, int64_t input,
              int64_t cell, const float* x, const float* cs_prev,
              const float* h_prev, const float* w, const float* wci,
              const float* wcf, const float* wco, const float* b,
              const LstmStepOutputs& out, float* xh, float* gates) {
  ConcatMatMulBias(batch, x, input, h_prev, cell, w, b, 4 * cell, xh, gates);
  const bool icfo = options.layout == LstmGateLayout::kICFO;
  const int64_t c_block = icfo ? 1 : 2;
  const int64_t f_block = icfo ? 2 : 1;
  for (int64_t r = 0; r < batch; ++r) {
    const float* g = gates + r * 4 * cell;
    for (int64_t j = 0; j < cell; ++j) {
      const int64_t at = r * cell + j;
      const float prev = cs_prev[at];
      float i_in = g[j];
      float f_in = g[f_block * cell + j] + options.forget_bias;
      if (options.use_peephole) {
        i_in += prev * wci[j];
        f_in += prev * wcf[j];
      }
      const float i = Sigmoid(i_in);
      const float ci = std::tanh(g[c_block * cell + j]);
      const float f = Sigmoid(f_in);
      float cs = ci * i + prev * f;
      if (options.cell_clip > 0.0f) {
        cs = std::clamp(cs, -options.cell_clip, options.cell_clip);
      }
      float o_in = g[3 * cell + j];
      if (options.use_peephole) o_in += cs * wco[j];
      const float o = Sigmoid(o_in);
      const float co = std::tanh(cs);
      out.i[at] = i;
      out.ci[at] = ci;
      out.f[at] = f;
      out.cs[at] = cs;
      out.o[at] = o;
      out.co[at] = co;
      out.h[at] = co * o;
    }
  }
}

void GruStep(int64_t batch, int64_t input, int64_t cell, const float* x,
             const float* h_prev, const float* w_ru, const float* w_c,
             const float* b_ru, const float* b_c, float* r, float* u, float* c,
             float* h, float* xh, float* ru) {
  ConcatMatMulBias(batch, x, input, h_prev, cell, w_ru, b_ru, 2 * cell, xh, ru);
  for (int64_t row = 0; row < batch; ++row) {
    for (int64_t j = 0; j < cell; ++j) {
      const int64_t at = row * cell + j;
      r[at] = Sigmoid(ru[row * 2 * cell + j]);
      u[at] = Sigmoid(ru[row * 2 * cell + cell + j]);
      // r * h_prev goes where the cell's candidate input reads h.
      h[at] = r[at] * h_prev[at];
    }
  }
  ConcatMatMulBias(batch, x, input, h, cell, w_c, b_c, cell, xh, c);
  for (int64_t at = 0; at < batch * cell; ++at) {
    c[at] = std::tanh(c[at]);
    h[at] = u[at] * h_prev[at] + (1.0f - u[at]) * c[at];
  }
}

FloatInput::FloatInput(const Tensor& t) {
  if (t.dtype() == DT_FLOAT) {
    data_ = t.data<float>();
    return;
  }
  copy_.resize(t.NumElements());
  const Eigen::half* in = t.data<Eigen::half>();
  for (size_t i = 0; i < copy_.size(); ++i) {
    copy_[i] = static_cast<float>(in[i]);
  }
  data_ = copy_.data();
}

absl::StatusOr<FloatOutput> FloatOutput::Allocate(OpKernelContext& ctx,
                                                  int index, DataType dtype,
                                                  const TensorShape& shape) {
  FloatOutput out;
  MS_ASSIGN_OR_RETURN(out.tensor_, ctx.allocate_output(index, dtype, shape));
  if (dtype == DT_FLOAT) {
    out.data_ = out.tensor_->data<float>();
  } else {
    out.buffer_.resize(shape.num_elements());
    out.data_ = out.buffer_.data();
  }
  return out;
}

void FloatOutput::Finish() {
  if (buffer_.empty()) return;
  Eigen::half* out = tensor_->data<Eigen::half>();
  for (size_t i = 0; i < buffer_.size(); ++i) {
    out[i] = static_cast<Eigen::half>(buffer_[i]);
  }
}

absl::Status CheckRank(const Tensor& t, int rank, absl::string_view name) {
  if (t.rank() != rank) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " must be ", rank, "-D, got shape ", t.shape().DebugString()));
  }
  return absl::OkStatus();
}

absl::Status CheckDim(int64_t got, int64_t expected, absl::string_view what,
                      absl::string_view expected_name) {
  if (got != expected) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " != ", expected_name, ": ", got, " vs. ", expected));
  }
  return absl::OkStatus();
}

absl::Status CheckLstmWeights(const Tensor& w, const Tensor& wci,
                              const Tensor& wcf, const Tensor& wco,
                              const Tensor& b, int64_t input, int64_t cell,
                              bool use_peephole) {
  constexpr int64_t kMaxSize = int64_t{1} << 40;
  if (input > kMaxSize || cell > kMaxSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input size ", input, " or cell size ", cell, " is too large"));
  }
  MS_RETURN_IF_ERROR(CheckRank(w, 2, "w"));
  MS_RETURN_IF_ERROR(CheckRank(b, 1, "b"));
  MS_RETURN_IF_ERROR(CheckDim(w.dim(0), input + cell, "w.dim_size(0)",
                              "input_size + cell_size"));
  MS_RETURN_IF_ERROR(
      CheckDim(w.dim(1), cell * 4, "w.dim_size(1)", "cell_size * 4"));
  MS_RETURN_IF_ERROR(
      CheckDim(b.dim(0), cell * 4, "b.dim_size(0)", "cell_size * 4"));
  if (use_peephole) {
    for (const auto& [t, name] :
         {std::pair<const Tensor*, const char*>{&wci, "wci"},
          {&wcf, "wcf"},
          {&wco, "wco"}}) {
      MS_RETURN_IF_ERROR(CheckRank(*t, 1, name));
      MS_RETURN_IF_ERROR(CheckDim(
          t->dim(0), cell, absl::StrCat(name, ".dim_size(0)"), "cell_size"));
    }
  }
  return absl::OkStatus();
}

}  // namespace model_server
