// The two Keras RNN models of the shared corpus through Predict, at batch 1
// and 8 and sequence lengths 1, 5 and 50 (their signatures say [-1, 5, F],
// but Predict does not hold clients to the TensorInfo shape and the graphs
// loop over whatever length they get):
//
//   iteam1_gru: GRU(64, reset_after=True) -> Dense(32, relu) ->
//     Dense(32, relu) -> Dense(1); input [B, T, 1].
//   tfnet_lstm_from_sequential: LSTM(32) -> Dense(1, sigmoid); input
//     [B, T, 3].
//
// Both lower to a StatelessWhile over TensorLists. The expected values come
// from a naive reference of the same cells, computed in double from the
// model's own weights (read from its checkpoint with our BundleReader);
// each test first checks that the reference reproduces the oracle's pair
// (oracle_gold/), which pins it to what TensorFlow computes. Without
// ../shared the tests skip.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "loader/loaded_model.h"
#include "runtime/bundle/bundle_reader.h"
#include "runtime/status_macros.h"
#include "runtime/tensor_proto.h"
#include "signatures/predict.h"
#include "tests/corpus/corpus_models.h"
#include "tests/corpus/gold_pairs.h"
#include "tests/corpus/gold_tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

// A row-major matrix of doubles.
struct Matrix {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<double> values;
  double at(int64_t r, int64_t c) const { return values[r * cols + c]; }
};

Matrix ToMatrix(const Tensor& t) {
  Matrix m;
  m.rows = t.rank() == 1 ? 1 : t.dim(0);
  m.cols = t.rank() == 1 ? t.dim(0) : t.dim(1);
  for (float v : t.flat<float>()) m.values.push_back(v);
  return m;
}

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// x [n] times w [n, m] plus bias row `bias_row` of `bias`.
std::vector<double> Affine(const std::vector<double>& x, const Matrix& w,
                           const Matrix& bias, int64_t bias_row) {
  std::vector<double> y(w.cols);
  for (int64_t j = 0; j < w.cols; ++j) {
    double sum = bias.at(bias_row, j);
    for (int64_t i = 0; i < w.rows; ++i) sum += x[i] * w.at(i, j);
    y[j] = sum;
  }
  return y;
}

enum class Activation { kLinear, kRelu, kSigmoid };

struct Dense {
  Matrix kernel;
  Matrix bias;
  Activation activation;

  std::vector<double> Apply(const std::vector<double>& x) const {
    std::vector<double> y = Affine(x, kernel, bias, 0);
    for (double& v : y) {
      if (activation == Activation::kRelu) v = std::max(v, 0.0);
      if (activation == Activation::kSigmoid) v = Sigmoid(v);
    }
    return y;
  }
};

// The weights of one model and its reference forward pass for one sequence.
class ReferenceModel {
 public:
  virtual ~ReferenceModel() = default;
  // sequence[t] is the feature vector at step t; returns the model output.
  virtual std::vector<double> Run(
      const std::vector<std::vector<double>>& sequence) const = 0;
};

// Keras GRU with reset_after=True (TF2's default and the cuDNN layout):
// kernel [F, 3U] and recurrent kernel [U, 3U] in gate order z, r, h; bias
// [2, 3U] (input bias, recurrent bias).
//   z = sigmoid(x Wz + bz + h Uz + rbz), r likewise,
//   hh = tanh(x Wh + bh + r * (h Uh + rbh)), h = z * h + (1 - z) * hh.
class GruModel final : public ReferenceModel {
 public:
  Matrix kernel, recurrent, bias;
  std::vector<Dense> head;

  std::vector<double> Run(
      const std::vector<std::vector<double>>& sequence) const override {
    const int64_t units = recurrent.rows;
    std::vector<double> h(units, 0.0);
    for (const std::vector<double>& x : sequence) {
      std::vector<double> xs = Affine(x, kernel, bias, 0);
      std::vector<double> hs = Affine(h, recurrent, bias, 1);
      std::vector<double> next(units);
      for (int64_t u = 0; u < units; ++u) {
        double z = Sigmoid(xs[u] + hs[u]);
        double r = Sigmoid(xs[units + u] + hs[units + u]);
        double hh = std::tanh(xs[2 * units + u] + r * hs[2 * units + u]);
        next[u] = z * h[u] + (1 - z) * hh;
      }
      h = next;
    }
    for (const Dense& layer : head) h = layer.Apply(h);
    return h;
  }
};

// Keras LSTM: kernel [F, 4U], recurrent kernel [U, 4U], bias [4U], gate
// order i, f, c, o.
//   g = x W + h U + b; c = sigmoid(gf) * c + sigmoid(gi) * tanh(gc);
//   h = sigmoid(go) * tanh(c).
class LstmModel final : public ReferenceModel {
 public:
  Matrix kernel, recurrent, bias;
  std::vector<Dense> head;

  std::vector<double> Run(
      const std::vector<std::vector<double>>& sequence) const override {
    const int64_t units = recurrent.rows;
    std::vector<double> h(units, 0.0), c(units, 0.0);
    Matrix no_bias{1, 4 * units, std::vector<double>(4 * units, 0.0)};
    for (const std::vector<double>& x : sequence) {
      std::vector<double> gates = Affine(x, kernel, bias, 0);
      std::vector<double> hs = Affine(h, recurrent, no_bias, 0);
      for (int64_t u = 0; u < units; ++u) {
        double i = Sigmoid(gates[u] + hs[u]);
        double f = Sigmoid(gates[units + u] + hs[units + u]);
        double g = std::tanh(gates[2 * units + u] + hs[2 * units + u]);
        double o = Sigmoid(gates[3 * units + u] + hs[3 * units + u]);
        c[u] = f * c[u] + i * g;
        h[u] = o * std::tanh(c[u]);
      }
    }
    for (const Dense& layer : head) h = layer.Apply(h);
    return h;
  }
};

absl::StatusOr<Matrix> ReadWeight(const BundleReader& reader,
                                  const std::string& key) {
  absl::StatusOr<Tensor> t =
      reader.Lookup(absl::StrCat(key, "/.ATTRIBUTES/VARIABLE_VALUE"));
  if (!t.ok()) return t.status();
  if (t->dtype() != DT_FLOAT || t->rank() < 1 || t->rank() > 2) {
    return absl::InvalidArgumentError(
        absl::StrCat(key, " is ", t->DebugString(0)));
  }
  return ToMatrix(*t);
}

absl::StatusOr<Dense> ReadDense(const BundleReader& reader,
                                const std::string& layer,
                                Activation activation) {
  Dense dense;
  dense.activation = activation;
  absl::StatusOr<Matrix> kernel = ReadWeight(reader, layer + "/kernel");
  if (!kernel.ok()) return kernel.status();
  absl::StatusOr<Matrix> bias = ReadWeight(reader, layer + "/bias");
  if (!bias.ok()) return bias.status();
  dense.kernel = *std::move(kernel);
  dense.bias = *std::move(bias);
  return dense;
}

std::string VersionDir(const std::string& model) {
  return ModelsDir() + "/" + model + "/1";
}

absl::StatusOr<std::unique_ptr<ReferenceModel>> ReadGru() {
  auto reader =
      BundleReader::Open(VersionDir("iteam1_gru") + "/variables/variables");
  if (!reader.ok()) return reader.status();
  auto model = std::make_unique<GruModel>();
  for (auto [key, target] :
       {std::pair{"trainable_variables/0", &model->kernel},
        std::pair{"trainable_variables/1", &model->recurrent},
        std::pair{"trainable_variables/2", &model->bias}}) {
    absl::StatusOr<Matrix> m = ReadWeight(**reader, key);
    if (!m.ok()) return m.status();
    *target = *std::move(m);
  }
  for (auto [layer, activation] :
       {std::pair{"layer_with_weights-1", Activation::kRelu},
        std::pair{"layer_with_weights-2", Activation::kRelu},
        std::pair{"layer_with_weights-3", Activation::kLinear}}) {
    absl::StatusOr<Dense> dense = ReadDense(**reader, layer, activation);
    if (!dense.ok()) return dense.status();
    model->head.push_back(*std::move(dense));
  }
  return model;
}

absl::StatusOr<std::unique_ptr<ReferenceModel>> ReadLstm() {
  auto reader = BundleReader::Open(VersionDir("tfnet_lstm_from_sequential") +
                                   "/variables/variables");
  if (!reader.ok()) return reader.status();
  auto model = std::make_unique<LstmModel>();
  for (auto [key, target] : {std::pair{"variables/0", &model->kernel},
                             std::pair{"variables/1", &model->recurrent},
                             std::pair{"variables/2", &model->bias}}) {
    absl::StatusOr<Matrix> m = ReadWeight(**reader, key);
    if (!m.ok()) return m.status();
    *target = *std::move(m);
  }
  absl::StatusOr<Dense> dense =
      ReadDense(**reader, "layer_with_weights-1", Activation::kSigmoid);
  if (!dense.ok()) return dense.status();
  model->head.push_back(*std::move(dense));
  return model;
}

// The reference outputs [B, out] for input [B, T, F].
Tensor ReferenceOutputs(const ReferenceModel& model, const Tensor& input) {
  const int64_t batch = input.dim(0), steps = input.dim(1),
                features = input.dim(2);
  std::vector<float> out;
  int64_t width = 0;
  for (int64_t b = 0; b < batch; ++b) {
    std::vector<std::vector<double>> sequence(steps);
    for (int64_t t = 0; t < steps; ++t) {
      for (int64_t f = 0; f < features; ++f) {
        sequence[t].push_back(
            input.data<float>()[(b * steps + t) * features + f]);
      }
    }
    std::vector<double> y = model.Run(sequence);
    width = static_cast<int64_t>(y.size());
    for (double v : y) out.push_back(static_cast<float>(v));
  }
  return Tensor::FromVector(out, TensorShape{batch, width});
}

// Deterministic inputs in [-1, 1).
Tensor SequenceInput(int64_t batch, int64_t steps, int64_t features,
                     uint32_t seed) {
  std::vector<float> values(batch * steps * features);
  uint32_t state = seed;
  for (float& v : values) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(state >> 8) / static_cast<float>(1 << 23) - 1.0f;
  }
  return Tensor::FromVector(values, TensorShape{batch, steps, features});
}

absl::StatusOr<Tensor> Predict(const LoadedModel& model,
                               const std::string& alias, const Tensor& input,
                               const std::string& output) {
  tensorflow::serving::PredictRequest request;
  request.mutable_model_spec()->set_name("rnn");
  MS_RETURN_IF_ERROR(TensorToProto(input, &(*request.mutable_inputs())[alias],
                                   TensorEncoding::kTensorContent));
  tensorflow::serving::PredictResponse response;
  std::string key;
  MS_RETURN_IF_ERROR(
      RunPredict(model.signatures(), request, RunOptions(), &response, &key));
  auto it = response.outputs().find(output);
  if (it == response.outputs().end()) {
    return absl::NotFoundError(absl::StrCat("no output ", output));
  }
  return TensorFromProto(it->second);
}

struct RnnModelCase {
  std::string model;
  std::string input_alias;
  std::string output_alias;
  int64_t features;
  absl::StatusOr<std::unique_ptr<ReferenceModel>> (*read)();
};

class KerasRnnModelTest : public ::testing::TestWithParam<RnnModelCase> {
 protected:
  void SetUp() override {
    const RnnModelCase& c = GetParam();
    auto versions = ListVersions(ModelsDir() + "/" + c.model);
    if (versions.empty()) {
      GTEST_SKIP() << "no shared model corpus at " << ModelsDir() << " ("
                   << c.model << "); skipped";
    }
    auto loaded = LoadVersion(c.model, "1");
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    model_ = *std::move(loaded);
    auto reference = c.read();
    ASSERT_TRUE(reference.ok()) << reference.status();
    reference_ = *std::move(reference);
  }

  std::unique_ptr<LoadedModel> model_;
  std::unique_ptr<ReferenceModel> reference_;
};

TEST_P(KerasRnnModelTest, ReferenceReproducesTheOraclePair) {
  const RnnModelCase& c = GetParam();
  auto groups = ReadModelGold(ModelsDir(), c.model);
  ASSERT_TRUE(groups.ok()) << groups.status();
  int checked = 0;
  for (const PairGroup& group : *groups) {
    for (const GoldPair& pair : group.pairs) {
      if (!pair.skip_reason.empty()) continue;
      ASSERT_EQ(pair.inputs.size(), 1u);
      auto input = ToTensor(pair.inputs[0].second, DT_FLOAT);
      ASSERT_TRUE(input.ok()) << input.status();
      Tensor expected = ReferenceOutputs(*reference_, *input);
      EXPECT_EQ(MatchTensor(expected, pair.outputs[0].second), "")
          << "the reference does not compute what TensorFlow computed";
      auto actual = Predict(*model_, c.input_alias, *input, c.output_alias);
      ASSERT_TRUE(actual.ok()) << actual.status();
      EXPECT_EQ(MatchTensor(*actual, pair.outputs[0].second), "");
      ++checked;
    }
  }
  EXPECT_GT(checked, 0) << c.model << " has no oracle pair";
}

TEST_P(KerasRnnModelTest, MatchesTheReferenceAtEveryBatchAndLength) {
  const RnnModelCase& c = GetParam();
  uint32_t seed = 1;
  for (int64_t batch : {1, 8}) {
    for (int64_t steps : {1, 5, 50}) {
      SCOPED_TRACE(absl::StrCat("batch ", batch, ", length ", steps));
      Tensor input = SequenceInput(batch, steps, c.features, seed++);
      auto actual = Predict(*model_, c.input_alias, input, c.output_alias);
      ASSERT_TRUE(actual.ok()) << actual.status();
      EXPECT_TENSOR_NEAR(*actual, ReferenceOutputs(*reference_, input), 1e-4,
                         1e-5);
    }
  }
}

// With no time steps the loop runs zero times and the layer's last-output
// slice (outputs[-1]) has nothing to take: TensorFlow's StridedSlice error,
// a clean INVALID_ARGUMENT.
TEST_P(KerasRnnModelTest, EmptySequenceIsACleanError) {
  const RnnModelCase& c = GetParam();
  auto actual = Predict(*model_, c.input_alias,
                        SequenceInput(2, 0, c.features, 7), c.output_alias);
  ASSERT_FALSE(actual.ok());
  EXPECT_EQ(actual.status().code(), absl::StatusCode::kInvalidArgument)
      << actual.status();
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, KerasRnnModelTest,
    ::testing::Values(RnnModelCase{"iteam1_gru", "input_10", "dense_29", 1,
                                   &ReadGru},
                      RnnModelCase{"tfnet_lstm_from_sequential", "input_1",
                                   "dense", 3, &ReadLstm}),
    [](const auto& info) { return info.param.model; });

}  // namespace
}  // namespace model_server
