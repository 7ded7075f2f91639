// The arithmetic of TensorFlow's fused RNN cells (LSTMBlockCell, BlockLSTM,
// BlockLSTMV2, GRUBlockCell), on float row-major buffers, and the float views
// the kernels use to run half tensors through it (widened once, rounded once
// at the end; TensorFlow computes half in half precision).
#ifndef MODEL_SERVER_RUNTIME_KERNELS_RNN_RNN_CELL_MATH_H_
#define MODEL_SERVER_RUNTIME_KERNELS_RNN_RNN_CELL_MATH_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/op_kernel.h"
#include "runtime/tensor.h"

namespace model_server {

// Which column block of the [*, 4 * cell] gate matrix holds which gate:
// LSTMBlockCell and BlockLSTM use i, c, f, o; BlockLSTMV2 (Keras order)
// i, f, c, o.
enum class LstmGateLayout { kICFO, kIFCO };

struct LstmCellOptions {
  float forget_bias = 1.0f;
  // Clips the cell state to [-cell_clip, cell_clip] when > 0.
  float cell_clip = 3.0f;
  bool use_peephole = false;
  LstmGateLayout layout = LstmGateLayout::kICFO;
};

// One LSTM step for a batch. Inputs: x [batch, input], cs_prev and h_prev
// [batch, cell], w [input + cell, 4 * cell], wci/wcf/wco [cell] (read only
// with use_peephole), b [4 * cell]. Outputs, each [batch, cell]: the gates
// i, f, o, the cell input ci, the cell state cs, co = tanh(cs) and h:
//   i  = sigmoid((xh w + b)_i + cs_prev * wci)
//   ci = tanh((xh w + b)_c)
//   f  = sigmoid((xh w + b)_f + forget_bias + cs_prev * wcf)
//   cs = clip(ci * i + cs_prev * f)
//   o  = sigmoid((xh w + b)_o + cs * wco)
//   co = tanh(cs), h = co * o
// `xh` ([batch, input + cell]) and `gates` ([batch, 4 * cell]) are scratch.
struct LstmStepOutputs {
  float* i;
  float* cs;
  float* f;
  float* o;
  float* ci;
  float* co;
  float* h;
};
void LstmStep(const LstmCellOptions& options, int64_t batch, int64_t input,
              int64_t cell, const float* x, const float* cs_prev,
              const float* h_prev, const float* w, const float* wci,
              const float* wcf, const float* wco, const float* b,
              const LstmStepOutputs& out, float* xh, float* gates);

// One GRU step: x [batch, input], h_prev [batch, cell], w_ru
// [input + cell, 2 * cell], w_c [input + cell, cell], b_ru [2 * cell], b_c
// [cell]. Outputs [batch, cell]:
//   [r, u] = sigmoid([x, h_prev] w_ru + b_ru)
//   c = tanh([x, r * h_prev] w_c + b_c)
//   h = u * h_prev + (1 - u) * c
// `xh` ([batch, input + cell]) and `ru` ([batch, 2 * cell]) are scratch.
void GruStep(int64_t batch, int64_t input, int64_t cell, const float* x,
             const float* h_prev, const float* w_ru, const float* w_c,
             const float* b_ru, const float* b_c, float* r, float* u, float* c,
             float* h, float* xh, float* ru);

// A tensor's elements as floats: the tensor's own buffer for float, a
// widened copy for half.
class FloatInput {
 public:
  explicit FloatInput(const Tensor& t);
  const float* data() const { return data_; }

 private:
  std::vector<float> copy_;
  const float* data_;
};

// An output tensor of dtype `dtype` written as floats: float outputs are
// written in place, half outputs through a float buffer that Finish()
// rounds into the tensor.
class FloatOutput {
 public:
  FloatOutput() = default;
  FloatOutput(FloatOutput&&) = default;
  FloatOutput& operator=(FloatOutput&&) = default;
  FloatOutput(const FloatOutput&) = delete;
  FloatOutput& operator=(const FloatOutput&) = delete;

  static absl::StatusOr<FloatOutput> Allocate(OpKernelContext& ctx, int index,
                                              DataType dtype,
                                              const TensorShape& shape);
  float* data() { return data_; }
  void Finish();

 private:
  Tensor* tensor_ = nullptr;
  std::vector<float> buffer_;
  float* data_ = nullptr;
};

// Checks the LSTM parameters w [input + cell, 4 * cell], wci, wcf, wco
// [cell] (with use_peephole) and b [4 * cell] with TensorFlow's messages, and
// that the sizes are small enough to multiply without overflow.
absl::Status CheckLstmWeights(const Tensor& w, const Tensor& wci,
                              const Tensor& wcf, const Tensor& wco,
                              const Tensor& b, int64_t input, int64_t cell,
                              bool use_peephole);

// INVALID_ARGUMENT "<name> must be <rank>-D, got shape <shape>" unless
// `t` has rank `rank`.
absl::Status CheckRank(const Tensor& t, int rank, absl::string_view name);
// INVALID_ARGUMENT "<what> != <expected_name>: <got> vs. <expected>" unless
// got == expected (TensorFlow's wording for the RNN cells' shape checks).
absl::Status CheckDim(int64_t got, int64_t expected, absl::string_view what,
                      absl::string_view expected_name);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_RNN_RNN_CELL_MATH_H_
