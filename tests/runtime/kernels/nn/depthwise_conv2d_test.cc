#include <algorithm>
#include <cstdint>
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

struct Params {
  int64_t stride = 1, dil_h = 1, dil_w = 1;
  std::string padding = "VALID";
  int64_t pads[4] = {0, 0, 0, 0};  // top, bottom, left, right
};

// Independent naive depthwise convolution, NHWC, out channel c*M + m.
Tensor NaiveDepthwise(const Tensor& in, const Tensor& f, const Params& p) {
  const int64_t N = in.dim(0), H = in.dim(1), W = in.dim(2), C = in.dim(3);
  const int64_t KH = f.dim(0), KW = f.dim(1), M = f.dim(3);
  const int64_t eh = (KH - 1) * p.dil_h + 1, ew = (KW - 1) * p.dil_w + 1;
  int64_t OH, OW, pt = 0, pl = 0;
  if (p.padding == "VALID") {
    OH = (H - eh) / p.stride + 1;
    OW = (W - ew) / p.stride + 1;
  } else if (p.padding == "SAME") {
    OH = (H + p.stride - 1) / p.stride;
    OW = (W + p.stride - 1) / p.stride;
    pt = std::max<int64_t>(0, (OH - 1) * p.stride + eh - H) / 2;
    pl = std::max<int64_t>(0, (OW - 1) * p.stride + ew - W) / 2;
  } else {
    pt = p.pads[0];
    pl = p.pads[2];
    OH = (H + p.pads[0] + p.pads[1] - eh) / p.stride + 1;
    OW = (W + p.pads[2] + p.pads[3] - ew) / p.stride + 1;
  }
  std::vector<float> out(N * OH * OW * C * M);
  const float* x = in.data<float>();
  const float* w = f.data<float>();
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow)
        for (int64_t c = 0; c < C; ++c)
          for (int64_t m = 0; m < M; ++m) {
            double sum = 0;
            for (int64_t kh = 0; kh < KH; ++kh)
              for (int64_t kw = 0; kw < KW; ++kw) {
                const int64_t ih = oh * p.stride - pt + kh * p.dil_h;
                const int64_t iw = ow * p.stride - pl + kw * p.dil_w;
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                sum += static_cast<double>(x[((n * H + ih) * W + iw) * C + c]) *
                       w[((kh * KW + kw) * C + c) * M + m];
              }
            out[(((n * OH + oh) * OW + ow) * C + c) * M + m] =
                static_cast<float>(sum);
          }
  return Tensor::FromVector(out, TensorShape{N, OH, OW, C * M});
}

std::unique_ptr<KernelHarness> MakeDepthwise(const Params& p,
                                             DataType dtype = DT_FLOAT) {
  auto h = std::make_unique<KernelHarness>("DepthwiseConv2dNative");
  h->Attr("T", dtype).Attr("padding", p.padding);
  h->Attr("strides", std::vector<int64_t>{1, p.stride, p.stride, 1});
  h->Attr("dilations", std::vector<int64_t>{1, p.dil_h, p.dil_w, 1});
  if (p.padding == "EXPLICIT") {
    h->Attr("explicit_paddings",
            std::vector<int64_t>{0, 0, p.pads[0], p.pads[1], p.pads[2],
                                 p.pads[3], 0, 0});
  }
  return h;
}

TEST(DepthwiseConv2dNative, HandComputedTwoChannelsMultiplierTwo) {
  // 1x2x2x2 input, 2x2 filter, multiplier 2, VALID: one output pixel.
  Tensor in = Tensor::FromVector<float>({1, 10, 2, 20, 3, 30, 4, 40},
                                        TensorShape{1, 2, 2, 2});
  // f[kh,kw,c,m]: channel 0 sums (m=0) / weights 1,0,0,0 (m=1);
  // channel 1 sums times 0.1 (m=0) / picks last tap (m=1).
  Tensor f = Tensor::FromVector<float>(
      {1, 1, 0.1f, 0, 1, 0, 0.1f, 0, 1, 0, 0.1f, 0, 1, 0, 0.1f, 1},
      TensorShape{2, 2, 2, 2});
  Params p;
  auto out = MakeDepthwise(p)->Run({in, f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::FromVector<float>({10, 1, 10, 40}, TensorShape{1, 1, 1, 4}), 1e-5,
      1e-5);
}

TEST(DepthwiseConv2dNative, MatchesNaiveOnRandomShapes) {
  std::mt19937 rng(21);
  int cases = 0;
  for (int64_t batch : {1, 3}) {
    for (int64_t hw : {5, 8}) {
      for (int64_t kernel : {1, 3}) {
        for (int64_t stride : {1, 2}) {
          for (int64_t dil : {1, 2}) {
            for (int64_t mult : {1, 3}) {
              for (const char* pad : {"SAME", "VALID"}) {
                Params p;
                p.stride = stride;
                p.dil_h = dil;
                p.dil_w = dil == 2 ? 1 : 2;
                p.padding = pad;
                const int64_t c = 3 + hw % 2 * 4;
                Tensor in =
                    RandomFloats(TensorShape{batch, hw, hw + 2, c}, &rng);
                Tensor f = RandomFloats(
                    TensorShape{kernel, kernel + 1, c, mult}, &rng);
                auto out = MakeDepthwise(p)->Run({in, f});
                ASSERT_TRUE(out.ok()) << out.status();
                EXPECT_TENSOR_NEAR(out->at(0), NaiveDepthwise(in, f, p), 1e-4,
                                   1e-4)
                    << "batch " << batch << " hw " << hw << " kernel " << kernel
                    << " stride " << stride << " dil " << dil << " mult "
                    << mult << " " << pad;
                ++cases;
              }
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, 128);
}

TEST(DepthwiseConv2dNative, ExplicitPaddingMatchesNaive) {
  std::mt19937 rng(22);
  Params p;
  p.padding = "EXPLICIT";
  p.pads[0] = 2;
  p.pads[1] = 0;
  p.pads[2] = 1;
  p.pads[3] = 1;
  p.stride = 2;
  Tensor in = RandomFloats(TensorShape{2, 7, 6, 5}, &rng);
  Tensor f = RandomFloats(TensorShape{3, 3, 5, 2}, &rng);
  auto out = MakeDepthwise(p)->Run({in, f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), NaiveDepthwise(in, f, p), 1e-4, 1e-4);
}

TEST(DepthwiseConv2dNative, LargeInputRunsInParallelAndMatchesNaive) {
  std::mt19937 rng(23);
  Params p;
  p.padding = "SAME";
  Tensor in = RandomFloats(TensorShape{1, 64, 64, 32}, &rng);
  Tensor f = RandomFloats(TensorShape{3, 3, 32, 1}, &rng);
  auto out = MakeDepthwise(p)->Run({in, f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), NaiveDepthwise(in, f, p), 1e-4, 1e-4);
}

TEST(DepthwiseConv2dNative, SupportsHalfAndDouble) {
  using H = Eigen::half;
  Params p;
  auto half =
      MakeDepthwise(p, DT_HALF)
          ->Run({Tensor::FromVector<H>({H(1), H(2)}, TensorShape{1, 1, 1, 2}),
                 Tensor::FromVector<H>({H(3), H(4)}, TensorShape{1, 1, 2, 1})});
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_TENSOR_EQ(half->at(0), Tensor::FromVector<H>({H(3), H(8)},
                                                      TensorShape{1, 1, 1, 2}));
  auto dbl =
      MakeDepthwise(p, DT_DOUBLE)
          ->Run({Tensor::FromVector<double>({1, 2}, TensorShape{1, 1, 1, 2}),
                 Tensor::FromVector<double>({3, 4}, TensorShape{1, 1, 2, 1})});
  ASSERT_TRUE(dbl.ok()) << dbl.status();
  EXPECT_TENSOR_EQ(dbl->at(0),
                   Tensor::FromVector<double>({3, 8}, TensorShape{1, 1, 1, 2}));
}

TEST(DepthwiseConv2dNative, RejectsDepthMismatchAndBadRanks) {
  Params p;
  auto depth = MakeDepthwise(p)->Run(
      {Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 1, 1, 3}),
       Tensor::FromVector<float>({1, 2}, TensorShape{1, 1, 2, 1})});
  ASSERT_FALSE(depth.ok());
  EXPECT_NE(depth.status().message().find(
                "input and filter must have the same depth: 3 vs 2"),
            std::string::npos)
      << depth.status();
  auto rank = MakeDepthwise(p)->Run(
      {Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
       Tensor::FromVector<float>({1, 2}, TensorShape{1, 1, 2, 1})});
  ASSERT_FALSE(rank.ok());
  EXPECT_EQ(rank.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DepthwiseConv2dNative, RejectsNchwAndBadStridesAtLoad) {
  Tensor in = Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1});
  {
    KernelHarness h("DepthwiseConv2dNative");
    h.Attr("T", DT_FLOAT).Attr("padding", "SAME").Attr("data_format", "NCHW");
    h.Attr("strides", std::vector<int64_t>{1, 1, 1, 1});
    auto out = h.Run({in, in});
    ASSERT_FALSE(out.ok());
    EXPECT_NE(out.status().message().find("only the NHWC data format"),
              std::string::npos)
        << out.status();
  }
  {
    KernelHarness h("DepthwiseConv2dNative");
    h.Attr("T", DT_FLOAT).Attr("padding", "SAME");
    h.Attr("strides", std::vector<int64_t>{1, 0, 1, 1});
    auto out = h.Run({in, in});
    ASSERT_FALSE(out.ok());
    EXPECT_NE(out.status().message().find("strides should be larger than 0"),
              std::string::npos)
        << out.status();
  }
}

}  // namespace
}  // namespace model_server
