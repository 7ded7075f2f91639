#include <algorithm>
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

absl::StatusOr<std::vector<Tensor>> RunResize(const std::string& op,
                                              const Tensor& images, int32_t h,
                                              int32_t w, bool align_corners,
                                              bool half_pixel_centers = false) {
  KernelHarness k(op);
  k.Attr("T", images.dtype()).Attr("align_corners", align_corners);
  if (op == "ResizeBicubic") k.Attr("half_pixel_centers", half_pixel_centers);
  return k.Run({images, Tensor::Vector<int32_t>({h, w})});
}

TEST(ResizeArea, HalvingAveragesBlocks) {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = i;
  auto out = RunResize("ResizeArea", Tensor::FromVector<float>(v, {1, 4, 4, 1}),
                       2, 2, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({2.5, 4.5, 10.5, 12.5},
                                                         {1, 2, 2, 1}));
}

TEST(ResizeArea, FractionalCellsWeighByOverlap) {
  // Width 3 -> 2: scale 1.5; cell 0 covers pixel 0 and half of pixel 1.
  Tensor in = Tensor::FromVector<int32_t>({3, 30, 6, 60, 9, 90}, {1, 1, 3, 2});
  auto out = RunResize("ResizeArea", in, 1, 2, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::FromVector<float>({4, 40, 8, 80}, {1, 1, 2, 2}),
                     1e-6, 1e-6);
}

TEST(ResizeArea, AlignCornersClampsCellsPastTheEdge) {
  // Width 3 -> 2 with align_corners: scale 2, cell 1 covers pixels 2 and a
  // clamped copy of pixel 2.
  auto out = RunResize("ResizeArea",
                       Tensor::FromVector<uint8_t>({3, 6, 9}, {1, 1, 3, 1}), 1,
                       2, true);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::FromVector<float>({4.5, 9}, {1, 1, 2, 1}), 1e-6,
                     1e-6);
}

TEST(ResizeArea, UpscalingRepeatsPixelsAndEmptyBatchIsEmpty) {
  auto out =
      RunResize("ResizeArea", Tensor::FromVector<double>({1, 2}, {1, 1, 2, 1}),
                2, 4, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::FromVector<float>({1, 1, 2, 2, 1, 1, 2, 2}, {1, 2, 4, 1}), 1e-6,
      1e-6);
  auto empty = RunResize(
      "ResizeArea", Tensor::FromVector<float>({}, {0, 2, 2, 3}), 5, 5, false);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 5, 5, 3}));
}

// Keys' cubic convolution kernel with parameter a.
double CubicKernel(double t, double a) {
  t = std::abs(t);
  if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  return 0;
}

// Naive separable bicubic reference straight from the definition (exact
// kernel, no table: agrees with TensorFlow to ~1e-3 of the value range).
std::vector<double> NaiveBicubic(const std::vector<double>& in, int64_t H,
                                 int64_t W, int64_t oh, int64_t ow, bool align,
                                 bool half) {
  const double a = half ? -0.5 : -0.75;
  auto scale = [&](int64_t i, int64_t o) {
    return (align && o > 1) ? (i - 1) / static_cast<double>(o - 1)
                            : i / static_cast<double>(o);
  };
  auto taps = [&](int64_t o, double s, int64_t size, std::vector<int64_t>* idx,
                  std::vector<double>* w) {
    const double p = half ? (o + 0.5) * s - 0.5 : o * s;
    const int64_t base = static_cast<int64_t>(std::floor(p));
    double sum = 0;
    for (int k = -1; k <= 2; ++k) {
      const int64_t i = base + k;
      const int64_t clamped = std::min(size - 1, std::max<int64_t>(0, i));
      double weight = CubicKernel(p - i, a);
      if (half && clamped != i) weight = 0;
      idx->push_back(clamped);
      w->push_back(weight);
      sum += weight;
    }
    if (half)
      for (double& x : *w) x /= sum;
  };
  std::vector<double> out;
  for (int64_t y = 0; y < oh; ++y) {
    std::vector<int64_t> iy;
    std::vector<double> wy;
    taps(y, scale(H, oh), H, &iy, &wy);
    for (int64_t x = 0; x < ow; ++x) {
      std::vector<int64_t> ix;
      std::vector<double> wx;
      taps(x, scale(W, ow), W, &ix, &wx);
      double v = 0;
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) v += wy[i] * wx[j] * in[iy[i] * W + ix[j]];
      out.push_back(v);
    }
  }
  return out;
}

TEST(ResizeBicubic, MatchesNaiveKeysCubicForEveryFlagCombination) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> in(5 * 7);
  for (double& v : in) v = u(rng);
  const std::vector<float> in_f(in.begin(), in.end());
  for (auto [oh, ow] : {std::pair{9, 4}, std::pair{3, 11}, std::pair{1, 1}}) {
    for (auto [align, half] : {std::pair{false, false}, std::pair{true, false},
                               std::pair{false, true}}) {
      auto out = RunResize("ResizeBicubic",
                           Tensor::FromVector<float>(in_f, {1, 5, 7, 1}), oh,
                           ow, align, half);
      ASSERT_TRUE(out.ok()) << out.status();
      const std::vector<double> want =
          NaiveBicubic(in, 5, 7, oh, ow, align, half);
      std::vector<float> want_f(want.begin(), want.end());
      EXPECT_TENSOR_NEAR(out->at(0),
                         Tensor::FromVector<float>(want_f, {1, oh, ow, 1}), 0,
                         3e-3)
          << oh << "x" << ow << " align=" << align << " half=" << half;
    }
  }
}

TEST(ResizeBicubic, SameSizeIsTheIdentityAndConstantsStayConstant) {
  auto same =
      RunResize("ResizeBicubic",
                Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6}, {1, 2, 3, 1}),
                2, 3, false);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_TENSOR_EQ(same->at(0),
                   Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, {1, 2, 3, 1}));
  auto flat =
      RunResize("ResizeBicubic",
                Tensor::FromVector<Eigen::half>(
                    std::vector<Eigen::half>(8, Eigen::half(7)), {2, 2, 2, 1}),
                5, 3, false, true);
  ASSERT_TRUE(flat.ok()) << flat.status();
  EXPECT_TENSOR_NEAR(
      flat->at(0),
      Tensor::FromVector<float>(std::vector<float>(30, 7), {2, 5, 3, 1}), 1e-5,
      1e-5);
}

TEST(ResizeAreaAndBicubic, RejectBadSizes) {
  const Tensor img = Tensor::FromVector<float>({1, 2, 3, 4}, {1, 2, 2, 1});
  for (const char* op : {"ResizeArea", "ResizeBicubic"}) {
    auto zero = RunResize(op, img, 0, 2, false);
    ASSERT_FALSE(zero.ok()) << op;
    EXPECT_EQ(zero.status().code(), absl::StatusCode::kInvalidArgument);
    auto rank3 = RunResize(op, Tensor::FromVector<float>({1, 2}, {1, 2, 1}), 2,
                           2, false);
    ASSERT_FALSE(rank3.ok()) << op;
    EXPECT_EQ(rank3.status().code(), absl::StatusCode::kInvalidArgument);
    KernelHarness k(op);
    k.Attr("T", DT_FLOAT);
    auto bad_size = k.Run({img, Tensor::Vector<int32_t>({2, 2, 2})});
    ASSERT_FALSE(bad_size.ok()) << op;
    EXPECT_EQ(bad_size.status().code(), absl::StatusCode::kInvalidArgument);
    auto huge = RunResize(op, img, 1 << 30, 1 << 30, false);
    ASSERT_FALSE(huge.ok()) << op;
    EXPECT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted);
  }
  auto both = RunResize("ResizeBicubic", img, 3, 3, true, true);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
