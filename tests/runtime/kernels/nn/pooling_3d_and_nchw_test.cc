// MaxPool3D / AvgPool3D and channels-first pooling (NCHW, NCDHW).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using Triple = std::array<int64_t, 3>;

struct Pool3 {
  Triple window = {1, 1, 1}, stride = {1, 1, 1};
  std::string padding = "VALID";
};

// Naive channels-last pooling over {D, H, W} of `x` [N, D, H, W, C].
std::vector<float> NaivePool3(const std::vector<float>& x, int64_t n,
                              const Triple& in, int64_t c, const Pool3& p,
                              bool avg, Triple* out) {
  Triple before;
  for (int s = 0; s < 3; ++s) {
    if (p.padding == "VALID") {
      (*out)[s] = (in[s] - p.window[s]) / p.stride[s] + 1;
      before[s] = 0;
    } else {
      (*out)[s] = (in[s] + p.stride[s] - 1) / p.stride[s];
      before[s] = std::max<int64_t>(
                      0, ((*out)[s] - 1) * p.stride[s] + p.window[s] - in[s]) /
                  2;
    }
  }
  std::vector<float> y;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t od = 0; od < (*out)[0]; ++od)
      for (int64_t oh = 0; oh < (*out)[1]; ++oh)
        for (int64_t ow = 0; ow < (*out)[2]; ++ow)
          for (int64_t ch = 0; ch < c; ++ch) {
            double sum = 0;
            float best = -std::numeric_limits<float>::max();
            int count = 0;
            for (int64_t i = 0; i < p.window[0]; ++i)
              for (int64_t j = 0; j < p.window[1]; ++j)
                for (int64_t k = 0; k < p.window[2]; ++k) {
                  const int64_t id = od * p.stride[0] - before[0] + i;
                  const int64_t ih = oh * p.stride[1] - before[1] + j;
                  const int64_t iw = ow * p.stride[2] - before[2] + k;
                  if (id < 0 || id >= in[0] || ih < 0 || ih >= in[1] ||
                      iw < 0 || iw >= in[2]) {
                    continue;
                  }
                  const float v =
                      x[(((b * in[0] + id) * in[1] + ih) * in[2] + iw) * c +
                        ch];
                  sum += v;
                  best = std::max(best, v);
                  ++count;
                }
            y.push_back(avg ? static_cast<float>(sum / count) : best);
          }
  return y;
}

std::vector<float> Random(int64_t n, std::mt19937* rng) {
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(*rng);
  return v;
}

// `x` [N, S..., C] as [N, C, S...].
std::vector<float> ToChannelsFirst(const std::vector<float>& x, int64_t n,
                                   int64_t spatial, int64_t c) {
  std::vector<float> y(x.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t s = 0; s < spatial; ++s)
      for (int64_t ch = 0; ch < c; ++ch)
        y[(b * c + ch) * spatial + s] = x[(b * spatial + s) * c + ch];
  return y;
}

TEST(MaxPool3D, HandComputedTwoByTwoByTwo) {
  KernelHarness h("MaxPool3D");
  h.Attr("T", DT_FLOAT).Attr("padding", "VALID");
  h.Attr("ksize", std::vector<int64_t>{1, 2, 2, 2, 1});
  h.Attr("strides", std::vector<int64_t>{1, 2, 2, 2, 1});
  auto out = h.Run({Tensor::FromVector<float>({1, 8, 3, 4, 5, 6, 7, 2},
                                              TensorShape{1, 2, 2, 2, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({8}, TensorShape{1, 1, 1, 1, 1}));
}

TEST(Pool3D, MatchesNaiveReferenceInBothFormats) {
  std::mt19937 rng(23);
  const int64_t n = 2, c = 3;
  const Triple in = {4, 5, 6};
  for (const char* op : {"MaxPool3D", "AvgPool3D"}) {
    for (const char* format : {"NDHWC", "NCDHW"}) {
      for (const char* padding : {"SAME", "VALID"}) {
        Pool3 p;
        p.window = {2, 3, 2};
        p.stride = {2, 1, 3};
        p.padding = padding;
        const auto x = Random(n * 4 * 5 * 6 * c, &rng);
        Triple out;
        const bool avg = std::string(op) == "AvgPool3D";
        auto y = NaivePool3(x, n, in, c, p, avg, &out);
        const bool first = std::string(format) == "NCDHW";
        KernelHarness h(op);
        h.Attr("T", DT_FLOAT).Attr("padding", padding);
        h.Attr("data_format", format);
        if (first) {
          h.Attr("ksize", std::vector<int64_t>{1, 1, 2, 3, 2});
          h.Attr("strides", std::vector<int64_t>{1, 1, 2, 1, 3});
        } else {
          h.Attr("ksize", std::vector<int64_t>{1, 2, 3, 2, 1});
          h.Attr("strides", std::vector<int64_t>{1, 2, 1, 3, 1});
        }
        Tensor input = first
                           ? Tensor::FromVector(ToChannelsFirst(x, n, 120, c),
                                                TensorShape{n, c, 4, 5, 6})
                           : Tensor::FromVector(x, TensorShape{n, 4, 5, 6, c});
        const int64_t positions = out[0] * out[1] * out[2];
        Tensor expected =
            first
                ? Tensor::FromVector(ToChannelsFirst(y, n, positions, c),
                                     TensorShape{n, c, out[0], out[1], out[2]})
                : Tensor::FromVector(y,
                                     TensorShape{n, out[0], out[1], out[2], c});
        auto result = h.Run({input});
        ASSERT_TRUE(result.ok()) << result.status();
        EXPECT_TENSOR_NEAR(result->at(0), expected, 1e-5, 1e-6)
            << op << " " << format << " " << padding;
      }
    }
  }
}

TEST(Pool2D, ChannelsFirstMatchesChannelsLast) {
  std::mt19937 rng(29);
  const int64_t n = 2, c = 4;
  const auto x = Random(n * 5 * 7 * c, &rng);
  for (const char* op : {"MaxPool", "AvgPool"}) {
    Pool3 p;
    p.window = {1, 3, 2};
    p.stride = {1, 2, 2};
    p.padding = "SAME";
    Triple out;
    const auto y =
        NaivePool3(x, n, {1, 5, 7}, c, p, std::string(op) == "AvgPool", &out);
    KernelHarness h(op);
    h.Attr("T", DT_FLOAT).Attr("padding", "SAME").Attr("data_format", "NCHW");
    h.Attr("ksize", std::vector<int64_t>{1, 1, 3, 2});
    h.Attr("strides", std::vector<int64_t>{1, 1, 2, 2});
    auto result = h.Run({Tensor::FromVector(ToChannelsFirst(x, n, 35, c),
                                            TensorShape{n, c, 5, 7})});
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_TENSOR_NEAR(
        result->at(0),
        Tensor::FromVector(ToChannelsFirst(y, n, out[1] * out[2], c),
                           TensorShape{n, c, out[1], out[2]}),
        1e-5, 1e-6)
        << op;
  }
}

TEST(Pool3D, EmptyAndBadInputs) {
  KernelHarness h("AvgPool3D");
  h.Attr("T", DT_FLOAT).Attr("padding", "SAME");
  h.Attr("ksize", std::vector<int64_t>{1, 2, 2, 2, 1});
  h.Attr("strides", std::vector<int64_t>{1, 1, 1, 1, 1});
  auto empty =
      h.Run({Tensor::FromVector<float>({}, TensorShape{0, 2, 2, 2, 3})});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 2, 2, 2, 3}));
  auto rank = h.Run({Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1})});
  ASSERT_FALSE(rank.ok());
  EXPECT_EQ(rank.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(rank.status().message().find("must be 5-dimensional"),
            std::string::npos)
      << rank.status();

  KernelHarness ints("AvgPool3D");
  ints.Attr("T", DT_INT32).Attr("padding", "SAME");
  ints.Attr("ksize", std::vector<int64_t>{1, 1, 1, 1, 1});
  ints.Attr("strides", std::vector<int64_t>{1, 1, 1, 1, 1});
  auto refused =
      ints.Run({Tensor::FromVector<int32_t>({1}, TensorShape{1, 1, 1, 1, 1})});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnimplemented);

  KernelHarness depth("MaxPool3D");
  depth.Attr("T", DT_FLOAT).Attr("padding", "SAME");
  depth.Attr("ksize", std::vector<int64_t>{1, 1, 1, 1, 2});
  depth.Attr("strides", std::vector<int64_t>{1, 1, 1, 1, 1});
  auto across = depth.Run(
      {Tensor::FromVector<float>({1, 2}, TensorShape{1, 1, 1, 1, 2})});
  ASSERT_FALSE(across.ok());
  EXPECT_EQ(across.status().code(), absl::StatusCode::kUnimplemented)
      << across.status();
}

TEST(MaxPool3D, IntegersKeepTheirType) {
  KernelHarness h("MaxPool3D");
  h.Attr("T", DT_INT64).Attr("padding", "VALID");
  h.Attr("ksize", std::vector<int64_t>{1, 1, 2, 1, 1});
  h.Attr("strides", std::vector<int64_t>{1, 1, 1, 1, 1});
  auto out = h.Run({Tensor::FromVector<int64_t>({-5, -7, 3, 9},
                                                TensorShape{1, 1, 2, 2, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int64_t>(
                                   {3, 9}, TensorShape{1, 1, 1, 2, 1}));
}

}  // namespace
}  // namespace model_server
