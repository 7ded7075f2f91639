#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> RunBiasAdd(
    const Tensor& value, const Tensor& bias, const char* data_format = nullptr,
    const char* op = "BiasAdd") {
  KernelHarness h(op);
  h.Attr("T", value.dtype());
  if (data_format != nullptr) h.Attr("data_format", data_format);
  return h.Run({value, bias});
}

// value + bias along `channel_dim`, the obvious way.
template <typename T>
Tensor NaiveBiasAdd(const Tensor& value, const Tensor& bias, int channel_dim) {
  std::vector<T> out(value.NumElements());
  int64_t inner = 1;
  for (int d = channel_dim + 1; d < value.rank(); ++d) inner *= value.dim(d);
  for (int64_t i = 0; i < value.NumElements(); ++i) {
    const int64_t c = (i / inner) % value.dim(channel_dim);
    out[i] = value.data<T>()[i] + bias.data<T>()[c];
  }
  return Tensor::FromVector(out, value.shape());
}

template <typename T>
Tensor Random(const TensorShape& shape, std::mt19937* rng) {
  std::uniform_int_distribution<int> dist(-50, 50);
  std::vector<T> v(shape.num_elements());
  for (auto& x : v) x = static_cast<T>(dist(*rng));
  return Tensor::FromVector(v, shape);
}

TEST(BiasAdd, AddsBiasToTheLastDimension) {
  Tensor value =
      Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{2, 3});
  auto out = RunBiasAdd(value, Tensor::Vector<float>({10, 20, 30}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0),
      Tensor::FromVector<float>({11, 22, 33, 14, 25, 36}, TensorShape{2, 3}));
}

TEST(BiasAdd, NchwAddsBiasToDimensionOne) {
  Tensor value = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8},
                                           TensorShape{1, 2, 2, 2});
  auto out = RunBiasAdd(value, Tensor::Vector<float>({100, 200}), "NCHW");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {101, 102, 103, 104, 205, 206, 207, 208},
                                   TensorShape{1, 2, 2, 2}));
}

TEST(BiasAdd, MatchesNaiveOnRandomShapesAndLayouts) {
  std::mt19937 rng(10);
  const std::vector<TensorShape> shapes = {
      TensorShape{3, 5},          TensorShape{1000, 64},
      TensorShape{2, 7, 9, 3},    TensorShape{4, 3, 8, 8},
      TensorShape{2, 16, 33, 40}, TensorShape{5, 2, 3, 2, 4},
      TensorShape{30000, 3}};
  for (const TensorShape& shape : shapes) {
    for (bool nchw : {false, true}) {
      const int channel_dim = nchw ? 1 : shape.rank() - 1;
      Tensor value = Random<float>(shape, &rng);
      Tensor bias = Random<float>(TensorShape{shape.dim(channel_dim)}, &rng);
      auto out = RunBiasAdd(value, bias, nchw ? "NCHW" : "NHWC");
      ASSERT_TRUE(out.ok()) << out.status();
      EXPECT_TENSOR_EQ(out->at(0),
                       NaiveBiasAdd<float>(value, bias, channel_dim))
          << shape.DebugString() << (nchw ? " NCHW" : " NHWC");
    }
  }
}

TEST(BiasAdd, IntegerAndHalfTypes) {
  std::mt19937 rng(3);
  Tensor value = Random<int64_t>(TensorShape{4, 6}, &rng);
  Tensor bias = Random<int64_t>(TensorShape{6}, &rng);
  auto out = RunBiasAdd(value, bias);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), NaiveBiasAdd<int64_t>(value, bias, 1));
  using Eigen::half;
  auto h = RunBiasAdd(
      Tensor::FromVector<half>({half(1.f), half(2.f)}, TensorShape{1, 2}),
      Tensor::Vector<half>({half(0.5f), half(0.25f)}));
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_TENSOR_EQ(h->at(0), Tensor::FromVector<half>({half(1.5f), half(2.25f)},
                                                      TensorShape{1, 2}));
}

TEST(BiasAddV1, AlwaysUsesTheLastDimension) {
  Tensor value = Tensor::FromVector<double>({1, 2, 3, 4}, TensorShape{2, 2});
  auto out =
      RunBiasAdd(value, Tensor::Vector<double>({10, 20}), nullptr, "BiasAddV1");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<double>({11, 22, 13, 24},
                                                          TensorShape{2, 2}));
}

TEST(BiasAdd, BiasLengthMustMatchTheChannels) {
  auto out = RunBiasAdd(
      Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8}, TensorShape{2, 4}),
      Tensor::Vector<float>({1, 2, 3}));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(
      out.status().message().find(
          "Must provide as many biases as the last dimension of the input "
          "tensor: [3] vs. [2,4]"),
      std::string::npos)
      << out.status();
}

TEST(BiasAdd, RanksAreChecked) {
  auto vector_value =
      RunBiasAdd(Tensor::Vector<float>({1, 2}), Tensor::Vector<float>({1, 2}));
  ASSERT_FALSE(vector_value.ok());
  EXPECT_NE(vector_value.status().message().find(
                "Input tensor must be at least 2D: [2]"),
            std::string::npos);
  auto matrix_bias =
      RunBiasAdd(Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2}),
                 Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2}));
  ASSERT_FALSE(matrix_bias.ok());
  EXPECT_NE(matrix_bias.status().message().find("Biases must be 1D: [2,2]"),
            std::string::npos);
}

TEST(BiasAdd, BadDataFormatAndDtypeFailAtLoad) {
  auto format = RunBiasAdd(Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
                           Tensor::Vector<float>({1, 2}), "NCDHW");
  ASSERT_FALSE(format.ok());
  EXPECT_EQ(format.status().code(), absl::StatusCode::kInvalidArgument);
  auto dtype =
      RunBiasAdd(Tensor::FromVector<bool>({true, true}, TensorShape{1, 2}),
                 Tensor::Vector<bool>({true, false}));
  ASSERT_FALSE(dtype.ok());
  EXPECT_NE(dtype.status().message().find("unsupported dtype"),
            std::string::npos);
}

TEST(BiasAdd, EmptyValue) {
  auto out = RunBiasAdd(Tensor::FromVector<float>({}, TensorShape{0, 3}),
                        Tensor::Vector<float>({1, 2, 3}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3}));
}

}  // namespace
}  // namespace model_server
