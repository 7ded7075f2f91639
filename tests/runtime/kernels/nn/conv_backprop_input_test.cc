#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/runtime/kernels/nn/naive_conv.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using naive_conv::Geometry;

TensorShape Shape(const std::vector<int64_t>& dims) {
  return TensorShape::FromDims(dims).value();
}

// Shapes of a 2-D geometry (depth 1), channels last.
std::vector<int64_t> Input2D(const Geometry& g) {
  return {g.batch, g.input[1], g.input[2], g.in_depth};
}
std::vector<int64_t> Filter2D(const Geometry& g) {
  return {g.filter[1], g.filter[2], g.in_depth, g.out_depth};
}
std::vector<int64_t> Output2D(const Geometry& g) {
  const auto out = g.Output();
  return {g.batch, out[1], out[2], g.out_depth};
}

std::unique_ptr<KernelHarness> MakeConv2DBackpropInput(
    const Geometry& g, DataType dtype = DT_FLOAT,
    const std::string& format = "NHWC") {
  auto h = std::make_unique<KernelHarness>("Conv2DBackpropInput");
  h->Attr("T", dtype).Attr("padding", g.padding).Attr("data_format", format);
  const bool last = format == "NHWC";
  h->Attr("strides",
          last ? std::vector<int64_t>{1, g.stride[1], g.stride[2], 1}
               : std::vector<int64_t>{1, 1, g.stride[1], g.stride[2]});
  h->Attr("dilations",
          last ? std::vector<int64_t>{1, g.dilation[1], g.dilation[2], 1}
               : std::vector<int64_t>{1, 1, g.dilation[1], g.dilation[2]});
  if (g.padding == "EXPLICIT") {
    std::vector<int64_t> pads(8, 0);
    const int h_dim = last ? 1 : 2;
    pads[2 * h_dim] = g.pad_before[1];
    pads[2 * h_dim + 1] = g.pad_after[1];
    pads[2 * h_dim + 2] = g.pad_before[2];
    pads[2 * h_dim + 3] = g.pad_after[2];
    h->Attr("explicit_paddings", pads);
  }
  return h;
}

Tensor Sizes(const std::vector<int64_t>& dims) {
  return Tensor::Vector<int32_t>(
      std::vector<int32_t>(dims.begin(), dims.end()));
}

TEST(Conv2DBackpropInput, HandComputedSingleGradientPlacesTheFilter) {
  // 3x3 input, 2x2 filter [1 2; 3 4], VALID: a gradient of 1 at output (0,0)
  // flows back to the filter's footprint at the top left.
  Geometry g;
  g.input = {1, 3, 3};
  g.filter = {1, 2, 2};
  auto out = MakeConv2DBackpropInput(g)->Run(
      {Sizes({1, 3, 3, 1}),
       Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2, 1, 1}),
       Tensor::FromVector<float>({1, 0, 0, 0}, TensorShape{1, 2, 2, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({1, 2, 0, 3, 4, 0, 0, 0, 0},
                                             TensorShape{1, 3, 3, 1}));
}

TEST(Conv2DBackpropInput, HandComputedStrideTwoSpreadsTheGradient) {
  // Conv2DTranspose of a 2x2 image of ones with a 2x2 filter of ones and
  // stride 2 (SAME, 4x4 input): every input pixel receives exactly one tap.
  Geometry g;
  g.input = {1, 4, 4};
  g.filter = {1, 2, 2};
  g.stride = {1, 2, 2};
  g.padding = "SAME";
  auto out = MakeConv2DBackpropInput(g)->Run(
      {Sizes({1, 4, 4, 1}),
       Tensor::FromVector<float>({1, 1, 1, 1}, TensorShape{2, 2, 1, 1}),
       Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{1, 2, 2, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>(
                       {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                       TensorShape{1, 4, 4, 1}));
}

TEST(Conv2DBackpropInput, MatchesNaiveReferenceAcrossAttrsAndFormats) {
  std::mt19937 rng(11);
  int cases = 0;
  for (const char* format : {"NHWC", "NCHW"}) {
    for (const char* padding : {"SAME", "VALID", "EXPLICIT"}) {
      for (int64_t stride : {1, 2, 3}) {
        for (int64_t dilation : {1, 2}) {
          Geometry g;
          g.batch = 2;
          g.in_depth = 3;
          g.out_depth = 5;
          g.input = {1, 7, 6};
          g.filter = {1, 3, 2};
          g.stride = {1, stride, 2};
          g.dilation = {1, dilation, 1};
          g.padding = padding;
          g.pad_before = {0, 1, 2};
          g.pad_after = {0, 2, 0};
          const auto out_dims = Output2D(g);
          int64_t out_n = 1;
          for (int64_t d : out_dims) out_n *= d;
          const auto dy = naive_conv::RandomValues(out_n, &rng);
          const auto w = naive_conv::RandomValues(3 * 2 * 3 * 5, &rng);
          const auto dx =
              naive_conv::ToFloat(naive_conv::BackwardInput(g, dy, w));
          const bool first = std::string(format) == "NCHW";
          const auto in_dims =
              first ? naive_conv::ChannelsFirstDims(Input2D(g)) : Input2D(g);
          Tensor dy_t =
              first ? Tensor::FromVector(
                          naive_conv::ChannelsFirst(dy, out_dims),
                          Shape(naive_conv::ChannelsFirstDims(out_dims)))
                    : Tensor::FromVector(dy, Shape(out_dims));
          Tensor expected = first
                                ? Tensor::FromVector(
                                      naive_conv::ChannelsFirst(dx, Input2D(g)),
                                      Shape(in_dims))
                                : Tensor::FromVector(dx, Shape(in_dims));
          auto out =
              MakeConv2DBackpropInput(g, DT_FLOAT, format)
                  ->Run({Sizes(in_dims),
                         Tensor::FromVector(w, Shape(Filter2D(g))), dy_t});
          ASSERT_TRUE(out.ok()) << out.status();
          EXPECT_TENSOR_NEAR(out->at(0), expected, 1e-4, 1e-5)
              << format << " " << padding << " stride " << stride
              << " dilation " << dilation;
          ++cases;
        }
      }
    }
  }
  EXPECT_EQ(cases, 36);
}

TEST(Conv2DBackpropInput, LargeProblemUsesTheThreadPoolCorrectly) {
  // Big enough for the parallel GEMM and the channel-split col2im.
  std::mt19937 rng(13);
  Geometry g;
  g.batch = 2;
  g.in_depth = 32;
  g.out_depth = 24;
  g.input = {1, 17, 19};
  g.filter = {1, 3, 3};
  g.stride = {1, 2, 2};
  g.padding = "SAME";
  int64_t out_n = 1;
  for (int64_t d : Output2D(g)) out_n *= d;
  const auto dy = naive_conv::RandomValues(out_n, &rng);
  const auto w = naive_conv::RandomValues(3 * 3 * 32 * 24, &rng);
  auto out = MakeConv2DBackpropInput(g)->Run(
      {Sizes(Input2D(g)), Tensor::FromVector(w, Shape(Filter2D(g))),
       Tensor::FromVector(dy, Shape(Output2D(g)))});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::FromVector(
          naive_conv::ToFloat(naive_conv::BackwardInput(g, dy, w)),
          Shape(Input2D(g))),
      1e-4, 1e-4);
}

TEST(Conv2DBackpropInput, TwoElementInputSizesTakeBatchAndDepthFromOperands) {
  Geometry g;
  g.batch = 2;
  g.in_depth = 2;
  g.out_depth = 1;
  g.input = {1, 3, 3};
  g.filter = {1, 2, 2};
  std::mt19937 rng(17);
  const auto dy = naive_conv::RandomValues(2 * 2 * 2, &rng);
  const auto w = naive_conv::RandomValues(2 * 2 * 2, &rng);
  auto out = MakeConv2DBackpropInput(g)->Run(
      {Tensor::Vector<int32_t>({3, 3}),
       Tensor::FromVector(w, Shape(Filter2D(g))),
       Tensor::FromVector(dy, Shape(Output2D(g)))});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::FromVector(
          naive_conv::ToFloat(naive_conv::BackwardInput(g, dy, w)),
          Shape(Input2D(g))),
      1e-5, 1e-6);
}

TEST(Conv2DBackpropInput, NarrowFloatsAndIntegers) {
  Geometry g;
  g.input = {1, 3, 3};
  g.filter = {1, 2, 2};
  const std::vector<float> w = {1, 2, 3, 4}, dy = {1, -1, 2, 0.5};
  const auto dx = naive_conv::ToFloat(naive_conv::BackwardInput(g, dy, w));
  {
    std::vector<Eigen::bfloat16> wb, dyb, dxb;
    for (float v : w) wb.push_back(Eigen::bfloat16(v));
    for (float v : dy) dyb.push_back(Eigen::bfloat16(v));
    for (float v : dx) dxb.push_back(Eigen::bfloat16(v));
    auto out = MakeConv2DBackpropInput(g, DT_BFLOAT16)
                   ->Run({Sizes({1, 3, 3, 1}),
                          Tensor::FromVector(wb, TensorShape{2, 2, 1, 1}),
                          Tensor::FromVector(dyb, TensorShape{1, 2, 2, 1})});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(out->at(0),
                     Tensor::FromVector(dxb, TensorShape{1, 3, 3, 1}));
  }
  {
    auto out = MakeConv2DBackpropInput(g, DT_INT32)
                   ->Run({Sizes({1, 3, 3, 1}),
                          Tensor::FromVector<int32_t>({1, 2, 3, 4},
                                                      TensorShape{2, 2, 1, 1}),
                          Tensor::FromVector<int32_t>(
                              {1, -1, 2, 3}, TensorShape{1, 2, 2, 1})});
    ASSERT_TRUE(out.ok()) << out.status();
    // dx = sum of the filter placed at each output position times dy.
    EXPECT_TENSOR_EQ(out->at(0),
                     Tensor::FromVector<int32_t>({1, 1, -2, 5, 8, 2, 6, 17, 12},
                                                 TensorShape{1, 3, 3, 1}));
  }
}

TEST(Conv2DBackpropInput, EmptyTensors) {
  Geometry g;
  g.input = {1, 3, 3};
  g.filter = {1, 2, 2};
  // No images.
  auto batch = MakeConv2DBackpropInput(g)->Run(
      {Sizes({0, 3, 3, 1}),
       Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2, 1, 1}),
       Tensor::FromVector<float>({}, TensorShape{0, 2, 2, 1})});
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->at(0).shape(), (TensorShape{0, 3, 3, 1}));
  // No output channels: nothing flows back, the gradient is zero.
  auto channels = MakeConv2DBackpropInput(g)->Run(
      {Sizes({1, 3, 3, 1}),
       Tensor::FromVector<float>({}, TensorShape{2, 2, 1, 0}),
       Tensor::FromVector<float>({}, TensorShape{1, 2, 2, 0})});
  ASSERT_TRUE(channels.ok()) << channels.status();
  EXPECT_TENSOR_EQ(channels->at(0),
                   Tensor::FromVector<float>(std::vector<float>(9, 0.f),
                                             TensorShape{1, 3, 3, 1}));
}

TEST(Conv2DBackpropInput, RejectsInconsistentShapes) {
  Geometry g;
  g.input = {1, 3, 3};
  g.filter = {1, 2, 2};
  Tensor w = Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2, 1, 1});
  Tensor dy = Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{1, 2, 2, 1});
  auto expect_invalid = [&](const Tensor& sizes, const Tensor& filter,
                            const Tensor& grad, const std::string& text) {
    auto out = MakeConv2DBackpropInput(g)->Run({sizes, filter, grad});
    ASSERT_FALSE(out.ok()) << text;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument)
        << out.status();
    EXPECT_NE(out.status().message().find(text), std::string::npos)
        << out.status();
  };
  expect_invalid(Sizes({1, 4, 4, 1}), w, dy,
                 "Size of out_backprop doesn't match computed: actual = 2, "
                 "computed = 3");
  expect_invalid(Sizes({2, 3, 3, 1}), w, dy, "same batch size");
  expect_invalid(Sizes({1, 3, 3}), w, dy,
                 "requires input_sizes to contain 4 values or 2 values");
  expect_invalid(Sizes({1, -3, 3, 1}), w, dy, "must not be negative");
  expect_invalid(Tensor::Vector<int32_t>({-1, 3}), w, dy, "must be >= 0");
  expect_invalid(Tensor::FromVector<int32_t>({1, 3, 3, 1}, TensorShape{2, 2}),
                 w, dy, "must be 1-dim");
  expect_invalid(
      Sizes({1, 3, 3, 2}),
      Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8},
                                TensorShape{2, 2, 2, 1}),
      Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{1, 2, 2, 2}),
      "same out_depth");
}

TEST(Conv2DBackpropInput, HugeInputSizesAreResourceExhausted) {
  Geometry g;
  g.input = {1, 1 << 20, 1 << 20};
  g.filter = {1, 1, 1};
  g.stride = {1, 1 << 20, 1 << 20};
  auto out = MakeConv2DBackpropInput(g)->Run(
      {Sizes({1, 1 << 20, 1 << 20, 16}),
       Tensor::FromVector<float>(std::vector<float>(16, 1.f),
                                 TensorShape{1, 1, 16, 1}),
       Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted)
      << out.status();
}

TEST(Conv2DBackpropInput, RejectsUnsupportedDtypeAtLoad) {
  KernelHarness h("Conv2DBackpropInput");
  h.Attr("T", DT_INT64).Attr("padding", "VALID");
  h.Attr("strides", std::vector<int64_t>{1, 1, 1, 1});
  auto out = h.Run({Sizes({1, 1, 1, 1}),
                    Tensor::FromVector<int64_t>({1}, TensorShape{1, 1, 1, 1}),
                    Tensor::FromVector<int64_t>({1}, TensorShape{1, 1, 1, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
}

// 3-D: Conv3DBackpropInputV2 (input_sizes) and Conv3DBackpropInput (shape of
// its first input).
std::unique_ptr<KernelHarness> MakeConv3DBackprop(
    const std::string& op, const Geometry& g,
    const std::string& format = "NDHWC") {
  auto h = std::make_unique<KernelHarness>(op);
  h->Attr("T", DT_FLOAT).Attr("padding", g.padding);
  if (op == "Conv3DBackpropInputV2") h->Attr("data_format", format);
  const bool last = format == "NDHWC";
  h->Attr(
      "strides",
      last ? std::vector<int64_t>{1, g.stride[0], g.stride[1], g.stride[2], 1}
           : std::vector<int64_t>{1, 1, g.stride[0], g.stride[1], g.stride[2]});
  return h;
}

TEST(Conv3DBackpropInputV2, MatchesNaiveReferenceInBothFormats) {
  std::mt19937 rng(19);
  for (const char* format : {"NDHWC", "NCDHW"}) {
    for (const char* padding : {"SAME", "VALID"}) {
      Geometry g;
      g.batch = 2;
      g.in_depth = 2;
      g.out_depth = 3;
      g.input = {4, 5, 3};
      g.filter = {2, 3, 2};
      g.stride = {2, 1, 2};
      g.padding = padding;
      const auto out = g.Output();
      const std::vector<int64_t> out_dims = {2, out[0], out[1], out[2], 3};
      const std::vector<int64_t> in_dims = {2, 4, 5, 3, 2};
      const auto dy =
          naive_conv::RandomValues(2 * out[0] * out[1] * out[2] * 3, &rng);
      const auto w = naive_conv::RandomValues(2 * 3 * 2 * 2 * 3, &rng);
      const auto dx = naive_conv::ToFloat(naive_conv::BackwardInput(g, dy, w));
      const bool first = std::string(format) == "NCDHW";
      const auto sizes =
          first ? naive_conv::ChannelsFirstDims(in_dims) : in_dims;
      Tensor dy_t = first ? Tensor::FromVector(
                                naive_conv::ChannelsFirst(dy, out_dims),
                                Shape(naive_conv::ChannelsFirstDims(out_dims)))
                          : Tensor::FromVector(dy, Shape(out_dims));
      Tensor expected =
          first ? Tensor::FromVector(naive_conv::ChannelsFirst(dx, in_dims),
                                     Shape(sizes))
                : Tensor::FromVector(dx, Shape(sizes));
      auto h = MakeConv3DBackprop("Conv3DBackpropInputV2", g, format);
      h->Attr("Tshape", DT_INT64);
      auto result =
          h->Run({Tensor::Vector<int64_t>(sizes),
                  Tensor::FromVector(w, TensorShape{2, 3, 2, 2, 3}), dy_t});
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_TENSOR_NEAR(result->at(0), expected, 1e-4, 1e-5)
          << format << " " << padding;
    }
  }
}

TEST(Conv3DBackpropInput, TakesTheShapeOfItsFirstInput) {
  Geometry g;
  g.input = {2, 2, 2};
  g.filter = {2, 2, 2};
  // VALID: one output position whose gradient flows to every input.
  std::vector<float> w;
  for (int i = 1; i <= 8; ++i) w.push_back(static_cast<float>(i));
  auto out =
      MakeConv3DBackprop("Conv3DBackpropInput", g)
          ->Run({Tensor::FromVector<float>(std::vector<float>(8, 0.f),
                                           TensorShape{1, 2, 2, 2, 1}),
                 Tensor::FromVector(w, TensorShape{2, 2, 2, 1, 1}),
                 Tensor::FromVector<float>({2}, TensorShape{1, 1, 1, 1, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({2, 4, 6, 8, 10, 12, 14, 16},
                                             TensorShape{1, 2, 2, 2, 1}));
}

}  // namespace
}  // namespace model_server
