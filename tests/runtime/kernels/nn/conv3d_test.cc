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

std::unique_ptr<KernelHarness> MakeConv3D(const Geometry& g,
                                          DataType dtype = DT_FLOAT,
                                          const std::string& format = "NDHWC") {
  auto h = std::make_unique<KernelHarness>("Conv3D");
  h->Attr("T", dtype).Attr("padding", g.padding).Attr("data_format", format);
  if (format == "NDHWC") {
    h->Attr("strides",
            std::vector<int64_t>{1, g.stride[0], g.stride[1], g.stride[2], 1});
    h->Attr("dilations", std::vector<int64_t>{1, g.dilation[0], g.dilation[1],
                                              g.dilation[2], 1});
  } else {
    h->Attr("strides",
            std::vector<int64_t>{1, 1, g.stride[0], g.stride[1], g.stride[2]});
    h->Attr("dilations", std::vector<int64_t>{1, 1, g.dilation[0],
                                              g.dilation[1], g.dilation[2]});
  }
  return h;
}

std::vector<int64_t> InputDims(const Geometry& g) {
  return {g.batch, g.input[0], g.input[1], g.input[2], g.in_depth};
}
std::vector<int64_t> FilterDims(const Geometry& g) {
  return {g.filter[0], g.filter[1], g.filter[2], g.in_depth, g.out_depth};
}
std::vector<int64_t> OutputDims(const Geometry& g) {
  const auto out = g.Output();
  return {g.batch, out[0], out[1], out[2], g.out_depth};
}

TensorShape Shape(const std::vector<int64_t>& dims) {
  return TensorShape::FromDims(dims).value();
}

TEST(Conv3D, HandComputedCubeOfOnes) {
  // 2x2x2 input 1..8, 2x2x2 filter of ones, VALID: one output, the sum.
  Geometry g;
  g.input = {2, 2, 2};
  g.filter = {2, 2, 2};
  Tensor in = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8},
                                        TensorShape{1, 2, 2, 2, 1});
  Tensor f = Tensor::FromVector<float>(std::vector<float>(8, 1.f),
                                       TensorShape{2, 2, 2, 1, 1});
  auto out = MakeConv3D(g)->Run({in, f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({36}, TensorShape{1, 1, 1, 1, 1}));
}

TEST(Conv3D, MatchesNaiveReferenceAcrossAttrsAndFormats) {
  std::mt19937 rng(3);
  int cases = 0;
  for (const char* format : {"NDHWC", "NCDHW"}) {
    for (const char* padding : {"SAME", "VALID"}) {
      for (int64_t stride : {1, 2}) {
        for (int64_t dilation : {1, 2}) {
          Geometry g;
          g.batch = 2;
          g.in_depth = 3;
          g.out_depth = 4;
          g.input = {4, 5, 6};
          g.filter = {2, 3, 2};
          g.stride = {stride, 1, stride};
          g.dilation = {1, dilation, 1};
          g.padding = padding;
          const auto x = naive_conv::RandomValues(2 * 4 * 5 * 6 * 3, &rng);
          const auto w = naive_conv::RandomValues(2 * 3 * 2 * 3 * 4, &rng);
          const auto y = naive_conv::ToFloat(naive_conv::Forward(g, x, w));
          const bool first = std::string(format) == "NCDHW";
          Tensor in =
              first ? Tensor::FromVector(
                          naive_conv::ChannelsFirst(x, InputDims(g)),
                          Shape(naive_conv::ChannelsFirstDims(InputDims(g))))
                    : Tensor::FromVector(x, Shape(InputDims(g)));
          Tensor expected =
              first ? Tensor::FromVector(
                          naive_conv::ChannelsFirst(y, OutputDims(g)),
                          Shape(naive_conv::ChannelsFirstDims(OutputDims(g))))
                    : Tensor::FromVector(y, Shape(OutputDims(g)));
          auto out =
              MakeConv3D(g, DT_FLOAT, format)
                  ->Run({in, Tensor::FromVector(w, Shape(FilterDims(g)))});
          ASSERT_TRUE(out.ok()) << out.status();
          EXPECT_TENSOR_NEAR(out->at(0), expected, 1e-4, 1e-5)
              << format << " " << padding << " stride " << stride
              << " dilation " << dilation;
          ++cases;
        }
      }
    }
  }
  EXPECT_EQ(cases, 16);
}

TEST(Conv3D, HalfAndDoubleMatchFloat) {
  std::mt19937 rng(5);
  Geometry g;
  g.in_depth = 2;
  g.out_depth = 3;
  g.input = {3, 3, 3};
  g.filter = {2, 2, 2};
  g.padding = "SAME";
  const auto x = naive_conv::RandomValues(27 * 2, &rng);
  const auto w = naive_conv::RandomValues(8 * 6, &rng);
  const auto y = naive_conv::Forward(g, x, w);
  {
    std::vector<double> xd(x.begin(), x.end()), wd(w.begin(), w.end());
    auto out = MakeConv3D(g, DT_DOUBLE)
                   ->Run({Tensor::FromVector(xd, Shape(InputDims(g))),
                          Tensor::FromVector(wd, Shape(FilterDims(g)))});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_NEAR(out->at(0), Tensor::FromVector(y, Shape(OutputDims(g))),
                       1e-12, 1e-12);
  }
  {
    std::vector<Eigen::half> xh, wh;
    for (float v : x) xh.push_back(Eigen::half(v));
    for (float v : w) wh.push_back(Eigen::half(v));
    std::vector<float> xr(xh.begin(), xh.end()), wr(wh.begin(), wh.end());
    std::vector<Eigen::half> yh;
    for (double v : naive_conv::Forward(g, xr, wr)) {
      yh.push_back(Eigen::half(static_cast<float>(v)));
    }
    auto out = MakeConv3D(g, DT_HALF)
                   ->Run({Tensor::FromVector(xh, Shape(InputDims(g))),
                          Tensor::FromVector(wh, Shape(FilterDims(g)))});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_NEAR(out->at(0), Tensor::FromVector(yh, Shape(OutputDims(g))),
                       1e-3, 1e-3);
  }
}

TEST(Conv3D, EmptyBatchGivesEmptyOutput) {
  Geometry g;
  g.batch = 0;
  g.input = {3, 3, 3};
  g.filter = {2, 2, 2};
  auto out = MakeConv3D(g)->Run(
      {Tensor::FromVector<float>({}, TensorShape{0, 3, 3, 3, 1}),
       Tensor::FromVector<float>(std::vector<float>(8, 1.f),
                                 TensorShape{2, 2, 2, 1, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 2, 2, 2, 1}));
}

TEST(Conv3D, RejectsBadShapesAndDtypes) {
  Geometry g;
  auto rank = MakeConv3D(g)->Run(
      {Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1}),
       Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1, 1})});
  ASSERT_FALSE(rank.ok());
  EXPECT_EQ(rank.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(rank.status().message().find("input must be 5-dimensional"),
            std::string::npos)
      << rank.status();
  g.filter = {3, 1, 1};
  auto negative = MakeConv3D(g)->Run(
      {Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1, 1}),
       Tensor::FromVector<float>({1, 1, 1}, TensorShape{3, 1, 1, 1, 1})});
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("would be negative"),
            std::string::npos)
      << negative.status();
  auto int32 =
      MakeConv3D(Geometry(), DT_INT32)
          ->Run({Tensor::FromVector<int32_t>({1}, TensorShape{1, 1, 1, 1, 1}),
                 Tensor::FromVector<int32_t>({1}, TensorShape{1, 1, 1, 1, 1})});
  ASSERT_FALSE(int32.ok());
  EXPECT_EQ(int32.status().code(), absl::StatusCode::kUnimplemented);
  KernelHarness four_strides("Conv3D");
  four_strides.Attr("T", DT_FLOAT).Attr("padding", "SAME");
  four_strides.Attr("strides", std::vector<int64_t>{1, 1, 1, 1});
  auto strides = four_strides.Run(
      {Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1, 1}),
       Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1, 1})});
  ASSERT_FALSE(strides.ok());
  EXPECT_NE(strides.status().message().find("must specify 5 dimensions"),
            std::string::npos)
      << strides.status();
}

}  // namespace
}  // namespace model_server
