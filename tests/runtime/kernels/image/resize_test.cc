#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Resize(const std::string& op,
                                           const Tensor& images, int32_t h,
                                           int32_t w, bool align_corners,
                                           bool half_pixel_centers) {
  KernelHarness k(op);
  k.Attr("T", images.dtype()).Attr("align_corners", align_corners);
  k.Attr("half_pixel_centers", half_pixel_centers);
  return k.Run({images, Tensor::Vector<int32_t>({h, w})});
}

// Naive reference straight from the definitions.
Tensor NaiveBilinear(const Tensor& in, int64_t oh, int64_t ow, bool align,
                     bool half) {
  const int64_t N = in.dim(0), H = in.dim(1), W = in.dim(2), C = in.dim(3);
  auto scale = [&](int64_t i, int64_t o) {
    return (align && o > 1) ? (i - 1) / static_cast<float>(o - 1)
                            : i / static_cast<float>(o);
  };
  const float hs = scale(H, oh), ws = scale(W, ow);
  std::vector<float> out;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        for (int64_t c = 0; c < C; ++c) {
          const float sy = half ? (y + 0.5f) * hs - 0.5f : y * hs;
          const float sx = half ? (x + 0.5f) * ws - 0.5f : x * ws;
          const int64_t y0 = std::max<int64_t>(0, std::floor(sy));
          const int64_t y1 = std::min<int64_t>(H - 1, std::ceil(sy));
          const int64_t x0 = std::max<int64_t>(0, std::floor(sx));
          const int64_t x1 = std::min<int64_t>(W - 1, std::ceil(sx));
          const float dy = sy - std::floor(sy), dx = sx - std::floor(sx);
          auto at = [&](int64_t yy, int64_t xx) {
            return in.data<float>()[((n * H + yy) * W + xx) * C + c];
          };
          const float top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * dx;
          const float bot = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * dx;
          out.push_back(top + (bot - top) * dy);
        }
  return Tensor::FromVector(out, TensorShape{N, oh, ow, C});
}

Tensor NaiveNearest(const Tensor& in, int64_t oh, int64_t ow, bool align,
                    bool half) {
  const int64_t N = in.dim(0), H = in.dim(1), W = in.dim(2), C = in.dim(3);
  auto scale = [&](int64_t i, int64_t o) {
    return (align && o > 1) ? (i - 1) / static_cast<float>(o - 1)
                            : i / static_cast<float>(o);
  };
  auto src = [&](int64_t o, float s, int64_t size) {
    const float f = half ? (o + 0.5f) * s : o * s;
    int64_t i = align ? static_cast<int64_t>(std::round(f))
                      : static_cast<int64_t>(std::floor(f));
    i = std::min(i, size - 1);
    return half ? std::max<int64_t>(i, 0) : i;
  };
  std::vector<float> out;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        for (int64_t c = 0; c < C; ++c) {
          const int64_t sy = src(y, scale(H, oh), H);
          const int64_t sx = src(x, scale(W, ow), W);
          out.push_back(in.data<float>()[((n * H + sy) * W + sx) * C + c]);
        }
  return Tensor::FromVector(out, TensorShape{N, oh, ow, C});
}

TEST(ResizeBilinear, HandComputedUpsampleLegacyAndAlignCorners) {
  Tensor in = Tensor::FromVector<float>({0, 1, 2, 3}, TensorShape{1, 2, 2, 1});
  auto legacy = Resize("ResizeBilinear", in, 4, 4, false, false);
  ASSERT_TRUE(legacy.ok()) << legacy.status();
  EXPECT_TENSOR_EQ(legacy->at(0),
                   Tensor::FromVector<float>(
                       {0, 0.5, 1, 1, 1, 1.5, 2, 2, 2, 2.5, 3, 3, 2, 2.5, 3, 3},
                       TensorShape{1, 4, 4, 1}));
  auto aligned = Resize("ResizeBilinear", in, 3, 3, true, false);
  ASSERT_TRUE(aligned.ok()) << aligned.status();
  EXPECT_TENSOR_EQ(aligned->at(0),
                   Tensor::FromVector<float>({0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3},
                                             TensorShape{1, 3, 3, 1}));
}

TEST(ResizeBilinear, HalfPixelCentersHandComputed) {
  // 1x1x2x1 -> width 4: source x = (x + 0.5) * 0.5 - 0.5 =
  // -0.25, 0.25, 0.75, 1.25 -> 0, 0.25, 0.75, 1 of the way from 10 to 20.
  Tensor in = Tensor::FromVector<float>({10, 20}, TensorShape{1, 1, 2, 1});
  auto out = Resize("ResizeBilinear", in, 1, 4, false, true);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0),
      Tensor::FromVector<float>({10, 12.5, 17.5, 20}, TensorShape{1, 1, 4, 1}));
}

TEST(ResizeBilinear, MatchesNaiveOnRandomShapes) {
  std::mt19937 rng(91);
  std::uniform_real_distribution<float> dist(-10, 10);
  for (int64_t batch : {1, 3}) {
    for (int64_t channels : {1, 3}) {
      for (auto [ih, iw, oh, ow] : std::vector<std::array<int64_t, 4>>{
               {5, 7, 9, 4}, {8, 8, 3, 3}, {1, 3, 4, 5}, {6, 5, 6, 5}}) {
        std::vector<float> v(batch * ih * iw * channels);
        for (float& x : v) x = dist(rng);
        Tensor in = Tensor::FromVector(v, TensorShape{batch, ih, iw, channels});
        for (int mode = 0; mode < 3; ++mode) {
          const bool align = mode == 1, half = mode == 2;
          auto out = Resize("ResizeBilinear", in, oh, ow, align, half);
          ASSERT_TRUE(out.ok()) << out.status();
          EXPECT_TENSOR_NEAR(out->at(0), NaiveBilinear(in, oh, ow, align, half),
                             1e-4, 1e-5)
              << ih << "x" << iw << " -> " << oh << "x" << ow << " mode "
              << mode;
          auto nn = Resize("ResizeNearestNeighbor", in, oh, ow, align, half);
          ASSERT_TRUE(nn.ok()) << nn.status();
          EXPECT_TENSOR_EQ(nn->at(0), NaiveNearest(in, oh, ow, align, half))
              << ih << "x" << iw << " -> " << oh << "x" << ow << " mode "
              << mode;
        }
      }
    }
  }
}

TEST(ResizeBilinear, IntegerInputGivesFloatOutput) {
  Tensor in = Tensor::FromVector<uint8_t>({0, 255}, TensorShape{1, 1, 2, 1});
  auto out = Resize("ResizeBilinear", in, 1, 3, true, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {0, 127.5, 255}, TensorShape{1, 1, 3, 1}));
}

TEST(ResizeNearestNeighbor, HandComputedKeepsInputType) {
  Tensor in =
      Tensor::FromVector<int32_t>({1, 2, 3, 4}, TensorShape{1, 2, 2, 1});
  auto out = Resize("ResizeNearestNeighbor", in, 4, 4, false, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int32_t>(
                       {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                       TensorShape{1, 4, 4, 1}));
  Tensor row = Tensor::FromVector<int32_t>({7, 8, 9}, TensorShape{1, 1, 3, 1});
  auto half = Resize("ResizeNearestNeighbor", row, 1, 2, false, true);
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_TENSOR_EQ(half->at(0), Tensor::FromVector<int32_t>(
                                    {7, 9}, TensorShape{1, 1, 2, 1}));
}

TEST(ResizeBilinear, RejectsBadInputs) {
  Tensor in = Tensor::FromVector<float>({0, 1, 2, 3}, TensorShape{1, 2, 2, 1});
  auto both = Resize("ResizeBilinear", in, 2, 2, true, true);
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.status().message().find(
                "If half_pixel_centers is True, align_corners must be False."),
            std::string::npos);
  auto zero = Resize("ResizeBilinear", in, 0, 2, false, false);
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("output dimensions must be positive"),
            std::string::npos);
  auto rank = Resize("ResizeNearestNeighbor",
                     Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}), 2, 2,
                     false, false);
  ASSERT_FALSE(rank.ok());
  EXPECT_NE(rank.status().message().find("input must be 4-dimensional"),
            std::string::npos);
  KernelHarness k("ResizeBilinear");
  k.Attr("T", DT_FLOAT);
  auto size = k.Run({in, Tensor::Vector<int32_t>({2, 2, 2})});
  ASSERT_FALSE(size.ok());
  EXPECT_NE(size.status().message().find("shape_t must have two elements"),
            std::string::npos);
  auto empty = Resize("ResizeBilinear",
                      Tensor::FromVector<float>({}, TensorShape{1, 0, 2, 1}), 2,
                      2, false, false);
  EXPECT_FALSE(empty.ok());
}

}  // namespace
}  // namespace model_server
