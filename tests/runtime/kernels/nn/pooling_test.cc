#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

Tensor RandomFloats(const TensorShape& shape, std::mt19937* rng) {
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> values(shape.num_elements());
  for (float& v : values) v = dist(*rng);
  return Tensor::FromVector(values, shape);
}

struct Window {
  int64_t kh, kw, sh, sw;
  std::string padding;
};

// Independent naive NHWC pooling; `avg` divides by the in-bounds count.
Tensor NaivePool(const Tensor& in, const Window& w, bool avg) {
  const int64_t N = in.dim(0), H = in.dim(1), W = in.dim(2), C = in.dim(3);
  int64_t OH, OW, pt = 0, pl = 0;
  if (w.padding == "VALID") {
    OH = (H - w.kh) / w.sh + 1;
    OW = (W - w.kw) / w.sw + 1;
  } else {
    OH = (H + w.sh - 1) / w.sh;
    OW = (W + w.sw - 1) / w.sw;
    pt = std::max<int64_t>(0, (OH - 1) * w.sh + w.kh - H) / 2;
    pl = std::max<int64_t>(0, (OW - 1) * w.sw + w.kw - W) / 2;
  }
  std::vector<float> out;
  const float* x = in.data<float>();
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow)
        for (int64_t c = 0; c < C; ++c) {
          double sum = 0;
          float best = -std::numeric_limits<float>::max();
          int count = 0;
          for (int64_t i = 0; i < w.kh; ++i)
            for (int64_t j = 0; j < w.kw; ++j) {
              const int64_t ih = oh * w.sh - pt + i, iw = ow * w.sw - pl + j;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              const float v = x[((n * H + ih) * W + iw) * C + c];
              sum += v;
              best = std::max(best, v);
              ++count;
            }
          out.push_back(avg ? static_cast<float>(sum / count) : best);
        }
  return Tensor::FromVector(out, TensorShape{N, OH, OW, C});
}

std::unique_ptr<KernelHarness> MakePool(const std::string& op, const Window& w,
                                        DataType dtype = DT_FLOAT) {
  auto h = std::make_unique<KernelHarness>(op);
  h->Attr("T", dtype).Attr("padding", w.padding);
  h->Attr("ksize", std::vector<int64_t>{1, w.kh, w.kw, 1});
  h->Attr("strides", std::vector<int64_t>{1, w.sh, w.sw, 1});
  return h;
}

TEST(MaxPool, HandComputedTwoByTwoStrideTwo) {
  Tensor in = Tensor::FromVector<float>(
      {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
      TensorShape{1, 4, 4, 1});
  auto out = MakePool("MaxPool", {2, 2, 2, 2, "VALID"})->Run({in});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {6, 8, 14, 16}, TensorShape{1, 2, 2, 1}));
}

TEST(AvgPool, SamePaddingDividesByValidElementsOnly) {
  // 3x3 input, 2x2 window, stride 2, SAME: windows at the right/bottom edge
  // hold 2 or 1 real elements.
  Tensor in = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8, 9},
                                        TensorShape{1, 3, 3, 1});
  auto out = MakePool("AvgPool", {2, 2, 2, 2, "SAME"})->Run({in});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {3, 4.5, 7.5, 9}, TensorShape{1, 2, 2, 1}));
}

TEST(MaxPool, MatchesNaiveOnRandomShapes) {
  std::mt19937 rng(31);
  for (int64_t batch : {1, 3}) {
    for (int64_t hw : {5, 8}) {
      for (int64_t k : {1, 2, 3}) {
        for (int64_t s : {1, 2}) {
          for (const char* pad : {"SAME", "VALID"}) {
            Window w{k, k + 1 > hw ? k : k + 1, s, s == 1 ? 2 : 1, pad};
            Tensor in = RandomFloats(TensorShape{batch, hw, hw + 1, 5}, &rng);
            for (const char* op : {"MaxPool", "AvgPool"}) {
              auto out = MakePool(op, w)->Run({in});
              ASSERT_TRUE(out.ok()) << out.status();
              EXPECT_TENSOR_NEAR(out->at(0),
                                 NaivePool(in, w, std::string(op) == "AvgPool"),
                                 1e-4, 1e-5)
                  << op << " batch " << batch << " hw " << hw << " k " << k
                  << " s " << s << " " << pad;
            }
          }
        }
      }
    }
  }
}

TEST(MaxPool, LargeInputMatchesNaive) {
  std::mt19937 rng(32);
  Tensor in = RandomFloats(TensorShape{2, 57, 57, 64}, &rng);
  Window w{3, 3, 2, 2, "SAME"};
  for (const char* op : {"MaxPool", "AvgPool"}) {
    auto out = MakePool(op, w)->Run({in});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_NEAR(
        out->at(0), NaivePool(in, w, std::string(op) == "AvgPool"), 1e-4, 1e-5);
  }
}

TEST(MaxPool, ExplicitPaddingIgnoresPaddedPositions) {
  KernelHarness h("MaxPool");
  h.Attr("T", DT_FLOAT).Attr("padding", "EXPLICIT");
  h.Attr("ksize", std::vector<int64_t>{1, 2, 2, 1});
  h.Attr("strides", std::vector<int64_t>{1, 2, 2, 1});
  h.Attr("explicit_paddings", std::vector<int64_t>{0, 0, 1, 1, 1, 1, 0, 0});
  Tensor in =
      Tensor::FromVector<float>({-1, -2, -3, -4}, TensorShape{1, 2, 2, 1});
  auto out = h.Run({in});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {-1, -2, -3, -4}, TensorShape{1, 2, 2, 1}));
}

TEST(MaxPool, SupportsIntegerAndHalfTypes) {
  Tensor in =
      Tensor::FromVector<int32_t>({3, -1, 7, 2}, TensorShape{1, 2, 2, 1});
  auto out = MakePool("MaxPool", {2, 2, 1, 1, "VALID"}, DT_INT32)->Run({in});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int32_t>({7}, TensorShape{1, 1, 1, 1}));
  using H = Eigen::half;
  Tensor hin =
      Tensor::FromVector<H>({H(1), H(2), H(3), H(6)}, TensorShape{1, 2, 2, 1});
  auto avg = MakePool("AvgPool", {2, 2, 1, 1, "VALID"}, DT_HALF)->Run({hin});
  ASSERT_TRUE(avg.ok()) << avg.status();
  EXPECT_TENSOR_EQ(avg->at(0),
                   Tensor::FromVector<H>({H(3)}, TensorShape{1, 1, 1, 1}));
}

TEST(MaxPoolV2, TakesWindowFromInputs) {
  KernelHarness h("MaxPoolV2");
  h.Attr("T", DT_FLOAT).Attr("padding", "VALID");
  Tensor in = Tensor::FromVector<float>(
      {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
      TensorShape{1, 4, 4, 1});
  auto out = h.Run({in, Tensor::Vector<int32_t>({1, 2, 2, 1}),
                    Tensor::Vector<int32_t>({1, 2, 2, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {6, 8, 14, 16}, TensorShape{1, 2, 2, 1}));
  auto bad = h.Run({in, Tensor::Vector<int32_t>({1, 2, 2}),
                    Tensor::Vector<int32_t>({1, 2, 2, 1})});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(
                "Sliding window ksize field must specify 4 dimensions"),
            std::string::npos);
  auto batch = h.Run({in, Tensor::Vector<int32_t>({2, 2, 2, 1}),
                      Tensor::Vector<int32_t>({1, 2, 2, 1})});
  ASSERT_FALSE(batch.ok());
  EXPECT_NE(batch.status().message().find("batch dimension"),
            std::string::npos);
}

TEST(MaxPool, RejectsBadShapesAndAttributes) {
  auto rank = MakePool("MaxPool", {2, 2, 1, 1, "VALID"})
                  ->Run({Tensor::FromVector<float>({1, 2}, TensorShape{1, 2})});
  ASSERT_FALSE(rank.ok());
  EXPECT_EQ(rank.status().code(), absl::StatusCode::kInvalidArgument);
  // Like TensorFlow: a window one larger than the input gives an empty
  // output, two larger a negative size.
  Tensor small =
      Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{1, 2, 2, 1});
  auto empty = MakePool("MaxPool", {3, 3, 1, 1, "VALID"})->Run({small});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{1, 0, 0, 1}));
  auto too_big = MakePool("MaxPool", {4, 4, 1, 1, "VALID"})->Run({small});
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.status().message().find("would be negative"),
            std::string::npos);
  KernelHarness h("AvgPool");
  h.Attr("T", DT_FLOAT).Attr("padding", "SAME").Attr("data_format", "NHCW");
  h.Attr("ksize", std::vector<int64_t>{1, 1, 2, 2});
  h.Attr("strides", std::vector<int64_t>{1, 1, 1, 1});
  auto format =
      h.Run({Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1})});
  ASSERT_FALSE(format.ok());
  EXPECT_NE(format.status().message().find("Invalid data format: NHCW"),
            std::string::npos)
      << format.status();
  KernelHarness i("AvgPool");
  i.Attr("T", DT_INT32).Attr("padding", "SAME");
  i.Attr("ksize", std::vector<int64_t>{1, 2, 2, 1});
  i.Attr("strides", std::vector<int64_t>{1, 1, 1, 1});
  auto ints =
      i.Run({Tensor::FromVector<int32_t>({1}, TensorShape{1, 1, 1, 1})});
  ASSERT_FALSE(ints.ok());
}

}  // namespace
}  // namespace model_server
