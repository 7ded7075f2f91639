#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/array/array_test_tensors.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using testing_tensors::Flatten;
using testing_tensors::Iota;
using testing_tensors::Unflatten;

Tensor Paddings(std::vector<int32_t> v) {
  const int64_t rows = static_cast<int64_t>(v.size()) / 2;
  return Tensor::FromVector(std::move(v), TensorShape{rows, 2});
}

// The naive reference: every output element looks up its input coordinate
// dimension by dimension.
Tensor NaivePad(const Tensor& in, const std::vector<int64_t>& pads,
                const std::string& mode, float fill) {
  std::vector<int64_t> dims;
  for (int d = 0; d < in.rank(); ++d) {
    dims.push_back(pads[2 * d] + in.dim(d) + pads[2 * d + 1]);
  }
  TensorShape shape = *TensorShape::FromDims(dims);
  std::vector<float> out(shape.num_elements());
  for (int64_t o = 0; o < shape.num_elements(); ++o) {
    std::vector<int64_t> idx = Unflatten(o, shape);
    bool inside = true;
    for (int d = 0; d < in.rank(); ++d) {
      const int64_t n = in.dim(d);
      int64_t i = idx[d] - pads[2 * d];
      if (i < 0) {
        i = mode == "REFLECT" ? -i : -i - 1;
        inside = inside && mode != "CONSTANT";
      } else if (i >= n) {
        i = mode == "REFLECT" ? 2 * n - i - 2 : 2 * n - i - 1;
        inside = inside && mode != "CONSTANT";
      }
      idx[d] = i;
    }
    out[o] = inside ? in.data<float>()[Flatten(idx, in.shape())] : fill;
  }
  return Tensor::FromVector(out, shape);
}

TEST(Pad, PadsWithZerosAroundEachDimension) {
  KernelHarness k("Pad");
  k.Attr("T", DT_FLOAT).Attr("Tpaddings", DT_INT32);
  auto out = k.Run({Iota(TensorShape{2, 2}, 1), Paddings({1, 0, 0, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({0, 0, 0, 0,  //
                                                          1, 2, 0, 0,  //
                                                          3, 4, 0, 0},
                                                         TensorShape{3, 4}));
}

TEST(Pad, TakesInt64PaddingsAndStrings) {
  KernelHarness k("Pad");
  k.Attr("T", DT_STRING).Attr("Tpaddings", DT_INT64);
  auto out = k.Run({Tensor::Vector<std::string>({"a", "b"}),
                    Tensor::FromVector<int64_t>({1, 1}, TensorShape{1, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"", "a", "b", ""}));
}

TEST(PadV2, PadsWithTheConstantValue) {
  KernelHarness k("PadV2");
  k.Attr("T", DT_INT32).Attr("Tpaddings", DT_INT32);
  auto out = k.Run({Tensor::Vector<int32_t>({5, 6}), Paddings({2, 1}),
                    Tensor::Scalar<int32_t>(-1)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({-1, -1, 5, 6, -1}));
}

TEST(PadV2, MatchesNaiveReferenceOnRank4) {
  KernelHarness k("PadV2");
  k.Attr("T", DT_FLOAT);
  Tensor in = Iota(TensorShape{2, 3, 4, 5});
  std::vector<int64_t> pads = {0, 1, 2, 0, 1, 1, 3, 2};
  std::vector<int32_t> pads32(pads.begin(), pads.end());
  auto out = k.Run({in, Paddings(pads32), Tensor::Scalar<float>(7.5f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), NaivePad(in, pads, "CONSTANT", 7.5f));
}

TEST(Pad, HandlesEmptyInputsAndScalars) {
  KernelHarness k("PadV2");
  k.Attr("T", DT_FLOAT);
  // An empty dimension padded becomes all constant.
  auto out = k.Run({Tensor::FromVector<float>({}, TensorShape{0, 2}),
                    Paddings({1, 1, 0, 0}), Tensor::Scalar<float>(3)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({3, 3, 3, 3}, TensorShape{2, 2}));
  // Unpadded, it stays empty.
  out = k.Run({Tensor::FromVector<float>({}, TensorShape{0, 2}),
               Paddings({0, 0, 1, 0}), Tensor::Scalar<float>(3)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3}));
  // A scalar takes a [0, 2] paddings matrix.
  out = k.Run({Tensor::Scalar<float>(4),
               Tensor::FromVector<int32_t>({}, TensorShape{0, 2}),
               Tensor::Scalar<float>(3)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<float>(4));
}

TEST(Pad, RejectsBadPaddings) {
  KernelHarness k("Pad");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{2}), Tensor::Vector<int32_t>({1, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("paddings must be a matrix with 2 columns: [2]"));
  out = k.Run({Iota(TensorShape{2}), Paddings({1, 1, 1, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("The first dimension of paddings must be the rank of "
                        "inputs[2,2] [2]"));
  out = k.Run({Iota(TensorShape{2}), Paddings({1, -1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Paddings must be non-negative: 1 -1"));
}

TEST(Pad, HugePaddingIsResourceExhausted) {
  KernelHarness k("Pad");
  k.Attr("T", DT_FLOAT).Attr("Tpaddings", DT_INT64);
  auto out = k.Run(
      {Iota(TensorShape{2}),
       Tensor::FromVector<int64_t>({0, int64_t{1} << 40}, TensorShape{1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
  out = k.Run({Iota(TensorShape{2}),
               Tensor::FromVector<int64_t>({0, INT64_MAX}, TensorShape{1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(MirrorPad, ReflectDoesNotRepeatTheEdge) {
  KernelHarness k("MirrorPad");
  k.Attr("T", DT_FLOAT).Attr("mode", "REFLECT");
  auto out = k.Run({Iota(TensorShape{3}, 1), Paddings({2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({3, 2, 1, 2, 3, 2, 1}));
}

TEST(MirrorPad, SymmetricRepeatsTheEdge) {
  KernelHarness k("MirrorPad");
  k.Attr("T", DT_FLOAT).Attr("mode", "SYMMETRIC");
  auto out = k.Run({Iota(TensorShape{3}, 1), Paddings({2, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({2, 1, 1, 2, 3, 3, 2, 1}));
}

TEST(MirrorPad, MatchesNaiveReferenceOnRank3) {
  for (const std::string mode : {"REFLECT", "SYMMETRIC"}) {
    KernelHarness k("MirrorPad");
    k.Attr("T", DT_FLOAT).Attr("mode", mode);
    Tensor in = Iota(TensorShape{3, 4, 5});
    std::vector<int64_t> pads = {2, 1, 0, 3, 1, 2};
    std::vector<int32_t> pads32(pads.begin(), pads.end());
    auto out = k.Run({in, Paddings(pads32)});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(out->at(0), NaivePad(in, pads, mode, 0));
  }
}

TEST(MirrorPad, RejectsPaddingsBeyondTheDimension) {
  KernelHarness reflect("MirrorPad");
  reflect.Attr("T", DT_FLOAT).Attr("mode", "REFLECT");
  auto out = reflect.Run({Iota(TensorShape{3}), Paddings({3, 0})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("3, 0 not less than 3"));
  KernelHarness symmetric("MirrorPad");
  symmetric.Attr("T", DT_FLOAT).Attr("mode", "SYMMETRIC");
  EXPECT_TRUE(symmetric.Run({Iota(TensorShape{3}), Paddings({3, 0})}).ok());
  out = symmetric.Run({Iota(TensorShape{3}), Paddings({0, 4})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("0, 4 greater than 3"));
}

TEST(MirrorPad, RejectsAnUnknownMode) {
  KernelHarness k("MirrorPad");
  k.Attr("T", DT_FLOAT).Attr("mode", "WRAP");
  auto out = k.Run({Iota(TensorShape{3}), Paddings({1, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("mode must be either REFLECT or SYMMETRIC."));
}

}  // namespace
}  // namespace model_server
