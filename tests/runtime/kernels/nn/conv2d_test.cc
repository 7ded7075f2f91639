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
  int64_t stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1;
  std::string padding = "VALID";
  // top, bottom, left, right (EXPLICIT only).
  int64_t pads[4] = {0, 0, 0, 0};
};

// Independent naive NHWC convolution (grouped when C > filter depth).
Tensor NaiveConv(const Tensor& in, const Tensor& f, const Params& p) {
  const int64_t N = in.dim(0), H = in.dim(1), W = in.dim(2), C = in.dim(3);
  const int64_t KH = f.dim(0), KW = f.dim(1), FD = f.dim(2), OC = f.dim(3);
  const int64_t groups = C / FD, ocg = OC / groups;
  const int64_t eh = (KH - 1) * p.dil_h + 1, ew = (KW - 1) * p.dil_w + 1;
  int64_t OH, OW, pt = 0, pl = 0;
  if (p.padding == "VALID") {
    OH = (H - eh) / p.stride_h + 1;
    OW = (W - ew) / p.stride_w + 1;
  } else if (p.padding == "SAME") {
    OH = (H + p.stride_h - 1) / p.stride_h;
    OW = (W + p.stride_w - 1) / p.stride_w;
    pt = std::max<int64_t>(0, (OH - 1) * p.stride_h + eh - H) / 2;
    pl = std::max<int64_t>(0, (OW - 1) * p.stride_w + ew - W) / 2;
  } else {
    pt = p.pads[0];
    pl = p.pads[2];
    OH = (H + p.pads[0] + p.pads[1] - eh) / p.stride_h + 1;
    OW = (W + p.pads[2] + p.pads[3] - ew) / p.stride_w + 1;
  }
  std::vector<float> out(N * OH * OW * OC);
  const float* x = in.data<float>();
  const float* w = f.data<float>();
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow)
        for (int64_t oc = 0; oc < OC; ++oc) {
          const int64_t g = oc / ocg;
          double sum = 0;
          for (int64_t kh = 0; kh < KH; ++kh)
            for (int64_t kw = 0; kw < KW; ++kw) {
              const int64_t ih = oh * p.stride_h - pt + kh * p.dil_h;
              const int64_t iw = ow * p.stride_w - pl + kw * p.dil_w;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              for (int64_t c = 0; c < FD; ++c) {
                sum += static_cast<double>(
                           x[((n * H + ih) * W + iw) * C + g * FD + c]) *
                       w[((kh * KW + kw) * FD + c) * OC + oc];
              }
            }
          out[((n * OH + oh) * OW + ow) * OC + oc] = static_cast<float>(sum);
        }
  return Tensor::FromVector(out, TensorShape{N, OH, OW, OC});
}

std::unique_ptr<KernelHarness> MakeConv(const Params& p,
                                        DataType dtype = DT_FLOAT,
                                        const std::string& format = "NHWC") {
  auto h = std::make_unique<KernelHarness>("Conv2D");
  h->Attr("T", dtype).Attr("padding", p.padding).Attr("data_format", format);
  if (format == "NHWC") {
    h->Attr("strides", std::vector<int64_t>{1, p.stride_h, p.stride_w, 1});
    h->Attr("dilations", std::vector<int64_t>{1, p.dil_h, p.dil_w, 1});
  } else {
    h->Attr("strides", std::vector<int64_t>{1, 1, p.stride_h, p.stride_w});
    h->Attr("dilations", std::vector<int64_t>{1, 1, p.dil_h, p.dil_w});
  }
  if (p.padding == "EXPLICIT") {
    if (format == "NHWC") {
      h->Attr("explicit_paddings",
              std::vector<int64_t>{0, 0, p.pads[0], p.pads[1], p.pads[2],
                                   p.pads[3], 0, 0});
    } else {
      h->Attr("explicit_paddings",
              std::vector<int64_t>{0, 0, 0, 0, p.pads[0], p.pads[1], p.pads[2],
                                   p.pads[3]});
    }
  }
  return h;
}

TEST(Conv2D, HandComputedSamePadding) {
  // 1x3x3x1 input 1..9, 2x2 filter of ones, SAME, stride 1: pads bottom/right.
  Tensor in = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8, 9},
                                        TensorShape{1, 3, 3, 1});
  Tensor f = Tensor::FromVector<float>({1, 1, 1, 1}, TensorShape{2, 2, 1, 1});
  Params p;
  p.padding = "SAME";
  auto out = MakeConv(p)->Run({in, f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({12, 16, 9, 24, 28, 15, 15, 17, 9},
                                             TensorShape{1, 3, 3, 1}));
}

TEST(Conv2D, HandComputedValidStrideTwoTwoChannels) {
  // 1x3x3x2 input; 1x1 filter mixing channels; stride 2 picks the corners.
  std::vector<float> v;
  for (int i = 0; i < 18; ++i) v.push_back(static_cast<float>(i));
  Tensor in = Tensor::FromVector<float>(v, TensorShape{1, 3, 3, 2});
  Tensor f = Tensor::FromVector<float>({1, 2, 10, 20}, TensorShape{1, 1, 2, 2});
  Params p;
  p.stride_h = p.stride_w = 2;
  auto out = MakeConv(p)->Run({in, f});
  ASSERT_TRUE(out.ok()) << out.status();
  // Pixels (0,0)=[0,1], (0,2)=[4,5], (2,0)=[12,13], (2,2)=[16,17].
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {10, 20, 54, 108, 142, 284, 186, 372},
                                   TensorShape{1, 2, 2, 2}));
}

TEST(Conv2D, MatchesNaiveOnRandomShapes) {
  std::mt19937 rng(7);
  int cases = 0;
  for (int64_t batch : {1, 3}) {
    for (int64_t hw : {5, 8}) {
      for (int64_t kernel : {1, 2, 3}) {
        for (int64_t stride : {1, 2}) {
          for (int64_t dil : {1, 2}) {
            for (const char* pad : {"SAME", "VALID"}) {
              Params p;
              p.stride_h = stride;
              p.stride_w = stride == 1 ? 1 : 1 + (hw % 2);
              p.dil_h = dil;
              p.dil_w = 1;
              p.padding = pad;
              const int64_t in_c = 3 + (kernel % 2), out_c = 2 + kernel;
              Tensor in =
                  RandomFloats(TensorShape{batch, hw, hw + 1, in_c}, &rng);
              Tensor f = RandomFloats(
                  TensorShape{kernel, kernel + 1, in_c, out_c}, &rng);
              auto out = MakeConv(p)->Run({in, f});
              ASSERT_TRUE(out.ok()) << out.status();
              EXPECT_TENSOR_NEAR(out->at(0), NaiveConv(in, f, p), 1e-4, 1e-4)
                  << "batch " << batch << " hw " << hw << " kernel " << kernel
                  << " stride " << stride << " dil " << dil << " " << pad;
              ++cases;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, 96);
}

TEST(Conv2D, OneByOneStrideOneIsPlainMatMul) {
  std::mt19937 rng(8);
  for (const char* pad : {"SAME", "VALID"}) {
    Params p;
    p.padding = pad;
    Tensor in = RandomFloats(TensorShape{2, 9, 7, 16}, &rng);
    Tensor f = RandomFloats(TensorShape{1, 1, 16, 33}, &rng);
    auto out = MakeConv(p)->Run({in, f});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_NEAR(out->at(0), NaiveConv(in, f, p), 1e-4, 1e-4);
  }
}

TEST(Conv2D, FilterCoveringWholeImageIsPerImageMatMul) {
  std::mt19937 rng(9);
  Params p;
  Tensor in = RandomFloats(TensorShape{3, 4, 5, 6}, &rng);
  Tensor f = RandomFloats(TensorShape{4, 5, 6, 7}, &rng);
  auto out = MakeConv(p)->Run({in, f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{3, 1, 1, 7}));
  EXPECT_TENSOR_NEAR(out->at(0), NaiveConv(in, f, p), 1e-4, 1e-4);
}

TEST(Conv2D, ExplicitPaddingMatchesNaive) {
  std::mt19937 rng(10);
  Params p;
  p.padding = "EXPLICIT";
  p.pads[0] = 1;
  p.pads[1] = 2;
  p.pads[2] = 0;
  p.pads[3] = 3;
  p.stride_h = 2;
  Tensor in = RandomFloats(TensorShape{2, 6, 5, 3}, &rng);
  Tensor f = RandomFloats(TensorShape{3, 3, 3, 4}, &rng);
  auto out = MakeConv(p)->Run({in, f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), NaiveConv(in, f, p), 1e-4, 1e-4);
}

TEST(Conv2D, GroupedConvolutionMatchesNaive) {
  std::mt19937 rng(11);
  Params p;
  p.padding = "SAME";
  p.stride_h = p.stride_w = 2;
  Tensor in = RandomFloats(TensorShape{2, 7, 7, 6}, &rng);
  Tensor f = RandomFloats(TensorShape{3, 3, 2, 9}, &rng);  // 3 groups
  auto out = MakeConv(p)->Run({in, f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), NaiveConv(in, f, p), 1e-4, 1e-4);
}

TEST(Conv2D, LargePatchMatrixIsTiledAndMatchesNaive) {
  // 1x120x120x128 with a 3x3 filter: the patch matrix (14400 x 1152 floats,
  // 66 MB) is computed in tiles of about 512 KB (113 rows), on every thread.
  std::mt19937 rng(12);
  Params p;
  p.padding = "SAME";
  Tensor in = RandomFloats(TensorShape{1, 120, 120, 128}, &rng);
  Tensor f = RandomFloats(TensorShape{3, 3, 128, 4}, &rng);
  auto out = MakeConv(p)->Run({in, f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), NaiveConv(in, f, p), 1e-4, 1e-4);
}

// Random input and filter of these shapes, SAME padding, against NaiveConv.
void ExpectSameConvMatchesNaive(const TensorShape& input,
                                const TensorShape& filter, uint32_t seed,
                                double tolerance) {
  std::mt19937 rng(seed);
  Params p;
  p.padding = "SAME";
  Tensor in = RandomFloats(input, &rng);
  Tensor f = RandomFloats(filter, &rng);
  auto out = MakeConv(p)->Run({in, f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), NaiveConv(in, f, p), tolerance, tolerance);
}

TEST(Conv2D, TilesSpanningImagesMatchNaive) {
  // 3 images of 30x30 (2700 output rows of 27 values): tiles of 900 rows
  // start and end inside images.
  ExpectSameConvMatchesNaive(TensorShape{3, 30, 30, 3}, TensorShape{3, 3, 3, 5},
                             14, 1e-4);
}

TEST(Conv2D, GroupedConvolutionOverManyTilesMatchesNaive) {
  // 2 groups, 3200 output rows: every tile computes both groups' slices of
  // the filter and the output.
  ExpectSameConvMatchesNaive(TensorShape{2, 40, 40, 8}, TensorShape{3, 3, 4, 6},
                             15, 1e-4);
}

TEST(Conv2D, PatchRowLongerThanATileMatchesNaive) {
  // One patch row is 3 * 3 * 16384 floats (576 KB), more than a tile's
  // 512 KB: tiles hold whole rows all the same.
  ExpectSameConvMatchesNaive(TensorShape{1, 3, 3, 16384},
                             TensorShape{3, 3, 16384, 2}, 16, 1e-3);
}

Tensor NhwcToNchw(const Tensor& t) {
  const int64_t N = t.dim(0), H = t.dim(1), W = t.dim(2), C = t.dim(3);
  std::vector<float> v(t.NumElements());
  for (int64_t n = 0; n < N; ++n)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t w = 0; w < W; ++w)
        for (int64_t c = 0; c < C; ++c)
          v[((n * C + c) * H + h) * W + w] =
              t.data<float>()[((n * H + h) * W + w) * C + c];
  return Tensor::FromVector(v, TensorShape{N, C, H, W});
}

TEST(Conv2D, NchwIsComputedThroughTransposes) {
  std::mt19937 rng(13);
  Params p;
  p.padding = "SAME";
  p.stride_w = 2;
  Tensor in = RandomFloats(TensorShape{2, 5, 6, 3}, &rng);
  Tensor f = RandomFloats(TensorShape{3, 3, 3, 4}, &rng);
  auto out = MakeConv(p, DT_FLOAT, "NCHW")->Run({NhwcToNchw(in), f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), NhwcToNchw(NaiveConv(in, f, p)), 1e-4, 1e-4);
}

TEST(Conv2D, SupportsHalfDoubleAndInt32) {
  Params p;
  using H = Eigen::half;
  auto half = MakeConv(p, DT_HALF)
                  ->Run({Tensor::FromVector<H>({H(1), H(2), H(3), H(4)},
                                               TensorShape{1, 2, 2, 1}),
                         Tensor::FromVector<H>({H(1), H(0.5f)},
                                               TensorShape{1, 1, 1, 2})});
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_TENSOR_EQ(half->at(0),
                   Tensor::FromVector<H>(
                       {H(1), H(0.5f), H(2), H(1), H(3), H(1.5f), H(4), H(2)},
                       TensorShape{1, 2, 2, 2}));
  auto dbl = MakeConv(p, DT_DOUBLE)
                 ->Run({Tensor::FromVector<double>({1, 2, 3, 4},
                                                   TensorShape{1, 2, 2, 1}),
                        Tensor::FromVector<double>({1, 1, 1, 1},
                                                   TensorShape{2, 2, 1, 1})});
  ASSERT_TRUE(dbl.ok()) << dbl.status();
  EXPECT_TENSOR_EQ(dbl->at(0),
                   Tensor::FromVector<double>({10}, TensorShape{1, 1, 1, 1}));
  auto i32 = MakeConv(p, DT_INT32)
                 ->Run({Tensor::FromVector<int32_t>({1, 2, 3, 4},
                                                    TensorShape{1, 2, 2, 1}),
                        Tensor::FromVector<int32_t>({1, 2, 3, 4},
                                                    TensorShape{2, 2, 1, 1})});
  ASSERT_TRUE(i32.ok()) << i32.status();
  EXPECT_TENSOR_EQ(i32->at(0),
                   Tensor::FromVector<int32_t>({30}, TensorShape{1, 1, 1, 1}));
}

TEST(Conv2D, LargeInt32ConvolutionMatchesNaive) {
  std::mt19937 rng(14);
  std::uniform_int_distribution<int32_t> dist(-3, 3);
  Params p;
  p.padding = "SAME";
  const TensorShape in_shape{1, 20, 20, 16}, f_shape{3, 3, 16, 8};
  std::vector<int32_t> iv(in_shape.num_elements()), fv(f_shape.num_elements());
  for (auto& v : iv) v = dist(rng);
  for (auto& v : fv) v = dist(rng);
  auto out = MakeConv(p, DT_INT32)
                 ->Run({Tensor::FromVector(iv, in_shape),
                        Tensor::FromVector(fv, f_shape)});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<float> as_float(
      out->at(0).data<int32_t>(),
      out->at(0).data<int32_t>() + out->at(0).NumElements());
  Tensor expected = NaiveConv(
      Tensor::FromVector(std::vector<float>(iv.begin(), iv.end()), in_shape),
      Tensor::FromVector(std::vector<float>(fv.begin(), fv.end()), f_shape), p);
  EXPECT_TENSOR_EQ(Tensor::FromVector(as_float, out->at(0).shape()), expected);
}

TEST(Conv2D, RejectsBadInputShapes) {
  Params p;
  auto rank = MakeConv(p)->Run(
      {Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 3, 1}),
       Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1})});
  ASSERT_FALSE(rank.ok());
  EXPECT_EQ(rank.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(rank.status().message().find("input must be 4-dimensional"),
            std::string::npos);
  auto depth = MakeConv(p)->Run(
      {Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 1, 1, 3}),
       Tensor::FromVector<float>({1, 2}, TensorShape{1, 1, 2, 1})});
  ASSERT_FALSE(depth.ok());
  EXPECT_NE(depth.status().message().find(
                "input depth must be evenly divisible by filter depth: 3 vs 2"),
            std::string::npos)
      << depth.status();
  auto negative = MakeConv(p)->Run(
      {Tensor::FromVector<float>({1, 2}, TensorShape{1, 1, 2, 1}),
       Tensor::FromVector<float>(std::vector<float>(9, 1),
                                 TensorShape{3, 3, 1, 1})});
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("would be negative"),
            std::string::npos)
      << negative.status();
}

// Load-time (factory) errors reach the caller as the plan compiler's
// INVALID_ARGUMENT; the message names the problem.
TEST(Conv2D, RejectsBadAttributesAtLoad) {
  Tensor in = Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1});
  Tensor f = Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1});
  {
    KernelHarness h("Conv2D");
    h.Attr("T", DT_FLOAT).Attr("padding", "SAME");
    h.Attr("strides", std::vector<int64_t>{1, 1, 1});
    auto out = h.Run({in, f});
    ASSERT_FALSE(out.ok());
    EXPECT_NE(out.status().message().find("must specify 4 dimensions"),
              std::string::npos);
  }
  {
    KernelHarness h("Conv2D");
    h.Attr("T", DT_FLOAT).Attr("padding", "SAME");
    h.Attr("strides", std::vector<int64_t>{2, 1, 1, 1});
    auto out = h.Run({in, f});
    ASSERT_FALSE(out.ok());
    EXPECT_NE(out.status().message().find("batch and depth dimensions"),
              std::string::npos)
        << out.status();
  }
  {
    KernelHarness h("Conv2D");
    h.Attr("T", DT_FLOAT).Attr("padding", "EXPLICIT");
    h.Attr("strides", std::vector<int64_t>{1, 1, 1, 1});
    h.Attr("explicit_paddings", std::vector<int64_t>{0, 0, 1, 1});
    auto out = h.Run({in, f});
    ASSERT_FALSE(out.ok());
    EXPECT_NE(out.status().message().find("must contain 8 values"),
              std::string::npos);
  }
  {
    KernelHarness h("Conv2D");
    h.Attr("T", DT_INT64).Attr("padding", "SAME");
    h.Attr("strides", std::vector<int64_t>{1, 1, 1, 1});
    auto out =
        h.Run({Tensor::FromVector<int64_t>({1}, TensorShape{1, 1, 1, 1}),
               Tensor::FromVector<int64_t>({1}, TensorShape{1, 1, 1, 1})});
    ASSERT_FALSE(out.ok());
    EXPECT_NE(out.status().message().find("unsupported dtype int64"),
              std::string::npos)
        << out.status();
  }
}

}  // namespace
}  // namespace model_server
