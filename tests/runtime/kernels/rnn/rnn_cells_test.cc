// LSTMBlockCell, BlockLSTM, BlockLSTMV2 and GRUBlockCell against naive
// references written from TensorFlow's formulas, plus hand-checked values
// and the shape errors.
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

std::vector<float> RandomValues(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

Tensor Random(const TensorShape& shape, uint32_t seed) {
  return Tensor::FromVector<float>(RandomValues(shape.num_elements(), seed),
                                   shape);
}

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

struct LstmRef {
  std::vector<float> i, cs, f, o, ci, co, h;
};

// The LSTM step written out plainly. `ifco` selects BlockLSTMV2's gate order.
LstmRef NaiveLstm(const Tensor& x, const Tensor& cs_prev, const Tensor& h_prev,
                  const Tensor& w, const Tensor& wci, const Tensor& wcf,
                  const Tensor& wco, const Tensor& b, double forget_bias,
                  double cell_clip, bool peephole, bool ifco) {
  const int64_t batch = x.dim(0), input = x.dim(1), cell = cs_prev.dim(1);
  LstmRef r;
  for (auto* v : {&r.i, &r.cs, &r.f, &r.o, &r.ci, &r.co, &r.h}) {
    v->resize(batch * cell);
  }
  const float* xd = x.data<float>();
  const float* hd = h_prev.data<float>();
  const float* wd = w.data<float>();
  auto gate = [&](int64_t row, int64_t column) {
    double sum = b.data<float>()[column];
    for (int64_t k = 0; k < input; ++k) {
      sum += double(xd[row * input + k]) * wd[k * 4 * cell + column];
    }
    for (int64_t k = 0; k < cell; ++k) {
      sum += double(hd[row * cell + k]) * wd[(input + k) * 4 * cell + column];
    }
    return sum;
  };
  const int64_t c_block = ifco ? 2 : 1, f_block = ifco ? 1 : 2;
  for (int64_t row = 0; row < batch; ++row) {
    for (int64_t j = 0; j < cell; ++j) {
      const int64_t at = row * cell + j;
      const double prev = cs_prev.data<float>()[at];
      const double i =
          Sigmoid(gate(row, j) + (peephole ? prev * wci.data<float>()[j] : 0));
      const double ci = std::tanh(gate(row, c_block * cell + j));
      const double f = Sigmoid(gate(row, f_block * cell + j) + forget_bias +
                               (peephole ? prev * wcf.data<float>()[j] : 0));
      double cs = ci * i + prev * f;
      if (cell_clip > 0) cs = std::max(-cell_clip, std::min(cell_clip, cs));
      const double o = Sigmoid(gate(row, 3 * cell + j) +
                               (peephole ? cs * wco.data<float>()[j] : 0));
      r.i[at] = i;
      r.ci[at] = ci;
      r.f[at] = f;
      r.cs[at] = cs;
      r.o[at] = o;
      r.co[at] = std::tanh(cs);
      r.h[at] = std::tanh(cs) * o;
    }
  }
  return r;
}

struct LstmInputs {
  Tensor x, cs_prev, h_prev, w, wci, wcf, wco, b;
  std::vector<Tensor> All() const {
    return {x, cs_prev, h_prev, w, wci, wcf, wco, b};
  }
};

LstmInputs RandomLstmInputs(int64_t batch, int64_t input, int64_t cell) {
  return {Random({batch, input}, 1), Random({batch, cell}, 2),
          Random({batch, cell}, 3),  Random({input + cell, 4 * cell}, 4),
          Random({cell}, 5),         Random({cell}, 6),
          Random({cell}, 7),         Random({4 * cell}, 8)};
}

void ExpectLstmOutputs(const std::vector<Tensor>& out, const LstmRef& ref,
                       const TensorShape& shape) {
  const std::vector<float>* expected[] = {&ref.i,  &ref.cs, &ref.f, &ref.o,
                                          &ref.ci, &ref.co, &ref.h};
  for (int k = 0; k < 7; ++k) {
    EXPECT_TENSOR_NEAR(out[k], Tensor::FromVector<float>(*expected[k], shape),
                       1e-5, 1e-6)
        << "output " << k;
  }
}

TEST(LSTMBlockCell, MatchesTheNaiveCellWithPeepholeAndClip) {
  for (bool peephole : {false, true}) {
    for (float clip : {-1.0f, 0.3f}) {
      LstmInputs in = RandomLstmInputs(3, 4, 5);
      KernelHarness cell("LSTMBlockCell");
      cell.Attr("T", DT_FLOAT)
          .Attr("forget_bias", 2.0f)
          .Attr("cell_clip", clip)
          .Attr("use_peephole", peephole);
      auto out = cell.Run(in.All());
      ASSERT_TRUE(out.ok()) << out.status();
      ExpectLstmOutputs(
          *out,
          NaiveLstm(in.x, in.cs_prev, in.h_prev, in.w, in.wci, in.wcf, in.wco,
                    in.b, 2.0, clip, peephole, false),
          TensorShape{3, 5});
    }
  }
}

TEST(LSTMBlockCell, HandComputedZeroWeights) {
  // With zero weights and biases every gate is sigmoid(0) = 0.5 (forget
  // gate sigmoid(forget_bias)), ci = 0: cs = cs_prev * f.
  KernelHarness cell("LSTMBlockCell");
  cell.Attr("T", DT_FLOAT).Attr("forget_bias", 0.0f).Attr("cell_clip", -1.0f);
  Tensor zeros_w = Tensor::FromVector<float>(std::vector<float>(12, 0), {3, 4});
  auto out = cell.Run({Tensor::FromVector<float>({1, 2}, {1, 2}),
                       Tensor::FromVector<float>({0.8f}, {1, 1}),
                       Tensor::FromVector<float>({0}, {1, 1}), zeros_w,
                       Tensor::Vector<float>({0}), Tensor::Vector<float>({0}),
                       Tensor::Vector<float>({0}),
                       Tensor::Vector<float>({0, 0, 0, 0})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(1), Tensor::FromVector<float>({0.4f}, {1, 1}),
                     1e-6, 1e-7);
  EXPECT_TENSOR_NEAR(
      out->at(6), Tensor::FromVector<float>({0.5f * std::tanh(0.4f)}, {1, 1}),
      1e-6, 1e-7);
}

TEST(LSTMBlockCell, RunsHalfInFloat) {
  LstmInputs in = RandomLstmInputs(2, 3, 2);
  std::vector<Tensor> halves;
  for (const Tensor& t : in.All()) {
    Tensor h = *Tensor::Create(DT_HALF, t.shape());
    for (int64_t k = 0; k < t.NumElements(); ++k) {
      h.data<Eigen::half>()[k] = Eigen::half(t.data<float>()[k]);
    }
    halves.push_back(h);
  }
  KernelHarness cell("LSTMBlockCell");
  cell.Attr("T", DT_HALF).Attr("forget_bias", 1.0f).Attr("cell_clip", 3.0f);
  auto out = cell.Run(halves);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->at(6).dtype(), DT_HALF);
  KernelHarness reference("LSTMBlockCell");
  reference.Attr("T", DT_FLOAT)
      .Attr("forget_bias", 1.0f)
      .Attr("cell_clip", 3.0f);
  auto want = reference.Run(in.All());
  for (int64_t k = 0; k < 4; ++k) {
    EXPECT_NEAR(float(out->at(6).data<Eigen::half>()[k]),
                want->at(6).data<float>()[k], 5e-3);
  }
}

TEST(LSTMBlockCell, EmptyBatchGivesEmptyOutputs) {
  LstmInputs in = RandomLstmInputs(0, 3, 2);
  KernelHarness cell("LSTMBlockCell");
  cell.Attr("T", DT_FLOAT);
  auto out = cell.Run(in.All());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(6).shape(), TensorShape({0, 2}));
}

TEST(LSTMBlockCell, RejectsMismatchedShapesAndDoubles) {
  LstmInputs in = RandomLstmInputs(2, 3, 2);
  in.w = Random({4, 8}, 9);
  KernelHarness cell("LSTMBlockCell");
  cell.Attr("T", DT_FLOAT);
  auto out = cell.Run(in.All());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("w.dim_size(0) != input_size + cell_size: 4 vs. 5"));
  in = RandomLstmInputs(2, 3, 2);
  in.h_prev = Random({3, 2}, 10);
  EXPECT_THAT(cell.Run(in.All()).status().message(),
              HasSubstr("h_prev.dims(0) != batch_size: 3 vs. 2"));
  in = RandomLstmInputs(2, 3, 2);
  in.x = Random({2}, 11);
  EXPECT_THAT(cell.Run(in.All()).status().message(),
              HasSubstr("x must be 2-D"));
  KernelHarness doubles("LSTMBlockCell");
  doubles.Attr("T", DT_DOUBLE);
  EXPECT_EQ(doubles.Run(in.All()).status().code(),
            absl::StatusCode::kUnimplemented);
}

// Runs BlockLSTM over `time` steps and compares step t with the naive cell
// fed step t - 1's state.
void CheckBlockLstm(const std::string& op, bool ifco, double forget_bias,
                    int64_t seq_len_max) {
  const int64_t time = 3, batch = 2, input = 3, cell = 2;
  LstmInputs in = RandomLstmInputs(batch, input, cell);
  Tensor x = Random({time, batch, input}, 12);
  KernelHarness block(op);
  block.Attr("T", DT_FLOAT).Attr("cell_clip", 0.0f).Attr("use_peephole", true);
  if (!ifco) block.Attr("forget_bias", float(forget_bias));
  auto out = block.Run({Tensor::Scalar<int64_t>(seq_len_max), x, in.cs_prev,
                        in.h_prev, in.w, in.wci, in.wcf, in.wco, in.b});
  ASSERT_TRUE(out.ok()) << out.status();
  Tensor cs = in.cs_prev, h = in.h_prev;
  for (int64_t t = 0; t < time; ++t) {
    std::vector<float> step(x.data<float>() + t * batch * input,
                            x.data<float>() + (t + 1) * batch * input);
    const int64_t n = batch * cell;
    if (t >= seq_len_max) {
      for (int k = 0; k < 7; ++k) {
        for (int64_t e = 0; e < n; ++e) {
          EXPECT_EQ(out->at(k).data<float>()[t * n + e], 0.0f);
        }
      }
      continue;
    }
    LstmRef ref =
        NaiveLstm(Tensor::FromVector<float>(step, {batch, input}), cs, h, in.w,
                  in.wci, in.wcf, in.wco, in.b, forget_bias, 0.0, true, ifco);
    for (int64_t e = 0; e < n; ++e) {
      EXPECT_NEAR(out->at(1).data<float>()[t * n + e], ref.cs[e], 1e-5);
      EXPECT_NEAR(out->at(6).data<float>()[t * n + e], ref.h[e], 1e-5);
    }
    cs = Tensor::FromVector<float>(ref.cs, {batch, cell});
    h = Tensor::FromVector<float>(ref.h, {batch, cell});
  }
}

TEST(BlockLSTM, EqualsTheCellAppliedStepByStep) {
  CheckBlockLstm("BlockLSTM", false, 1.5, 3);
}

TEST(BlockLSTM, StepsFromSeqLenMaxOnAreZero) {
  CheckBlockLstm("BlockLSTM", false, 1.0, 1);
  CheckBlockLstm("BlockLSTM", false, 1.0, 0);
}

TEST(BlockLSTMV2, UsesKerasGateOrderWithoutForgetBias) {
  CheckBlockLstm("BlockLSTMV2", true, 0.0, 3);
}

TEST(BlockLSTM, RejectsSeqLenMaxBeyondTheInput) {
  LstmInputs in = RandomLstmInputs(2, 3, 2);
  KernelHarness block("BlockLSTM");
  block.Attr("T", DT_FLOAT);
  auto out =
      block.Run({Tensor::Scalar<int64_t>(4), Random({3, 2, 3}, 1), in.cs_prev,
                 in.h_prev, in.w, in.wci, in.wcf, in.wco, in.b});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("seq_len_max must be in"));
}

TEST(GRUBlockCell, MatchesTheNaiveCell) {
  const int64_t batch = 2, input = 3, cell = 4;
  Tensor x = Random({batch, input}, 1), h_prev = Random({batch, cell}, 2);
  Tensor w_ru = Random({input + cell, 2 * cell}, 3);
  Tensor w_c = Random({input + cell, cell}, 4);
  Tensor b_ru = Random({2 * cell}, 5), b_c = Random({cell}, 6);
  KernelHarness gru("GRUBlockCell");
  gru.Attr("T", DT_FLOAT);
  auto out = gru.Run({x, h_prev, w_ru, w_c, b_ru, b_c});
  ASSERT_TRUE(out.ok()) << out.status();
  auto xhd = [&](int64_t row, int64_t k, const std::vector<double>& h) {
    return k < input ? double(x.data<float>()[row * input + k])
                     : h[row * cell + k - input];
  };
  std::vector<double> h(h_prev.data<float>(),
                        h_prev.data<float>() + batch * cell);
  for (int64_t row = 0; row < batch; ++row) {
    std::vector<double> r(cell), u(cell), hr(batch * cell);
    for (int64_t j = 0; j < cell; ++j) {
      double rs = b_ru.data<float>()[j], us = b_ru.data<float>()[cell + j];
      for (int64_t k = 0; k < input + cell; ++k) {
        rs += xhd(row, k, h) * w_ru.data<float>()[k * 2 * cell + j];
        us += xhd(row, k, h) * w_ru.data<float>()[k * 2 * cell + cell + j];
      }
      r[j] = Sigmoid(rs);
      u[j] = Sigmoid(us);
      hr[row * cell + j] = r[j] * h[row * cell + j];
    }
    for (int64_t j = 0; j < cell; ++j) {
      double cs = b_c.data<float>()[j];
      for (int64_t k = 0; k < input + cell; ++k) {
        cs += xhd(row, k, hr) * w_c.data<float>()[k * cell + j];
      }
      const double c = std::tanh(cs);
      const int64_t at = row * cell + j;
      EXPECT_NEAR(out->at(0).data<float>()[at], r[j], 1e-5);
      EXPECT_NEAR(out->at(1).data<float>()[at], u[j], 1e-5);
      EXPECT_NEAR(out->at(2).data<float>()[at], c, 1e-5);
      EXPECT_NEAR(out->at(3).data<float>()[at], u[j] * h[at] + (1 - u[j]) * c,
                  1e-5);
    }
  }
}

TEST(GRUBlockCell, RejectsMismatchedWeights) {
  KernelHarness gru("GRUBlockCell");
  gru.Attr("T", DT_FLOAT);
  auto out = gru.Run({Random({2, 3}, 1), Random({2, 4}, 2), Random({7, 7}, 3),
                      Random({7, 4}, 4), Random({8}, 5), Random({4}, 6)});
  EXPECT_THAT(out.status().message(),
              HasSubstr("w_ru.dim_size(1) != cell_size * 2: 7 vs. 8"));
  KernelHarness half("GRUBlockCell");
  half.Attr("T", DT_HALF);
  EXPECT_EQ(half.Run({Random({2, 3}, 1), Random({2, 4}, 2), Random({7, 8}, 3),
                      Random({7, 4}, 4), Random({8}, 5), Random({4}, 6)})
                .status()
                .code(),
            absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
