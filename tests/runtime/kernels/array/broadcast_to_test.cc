#include <cstdint>
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

TEST(BroadcastTo, RepeatsSizeOneAndMissingDimensions) {
  KernelHarness k("BroadcastTo");
  k.Attr("T", DT_FLOAT).Attr("Tidx", DT_INT32);
  auto out =
      k.Run({Iota(TensorShape{3, 1}), Tensor::Vector<int32_t>({2, 3, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2},
                                   TensorShape{2, 3, 2}));
}

TEST(BroadcastTo, MatchesNaiveReferenceAndTakesInt64Shapes) {
  KernelHarness k("BroadcastTo");
  k.Attr("T", DT_FLOAT).Attr("Tidx", DT_INT64);
  Tensor in = Iota(TensorShape{2, 1, 4, 1});
  TensorShape shape{3, 2, 5, 4, 3};
  auto out = k.Run({in, Tensor::Vector<int64_t>({3, 2, 5, 4, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<float> want(shape.num_elements());
  for (int64_t o = 0; o < shape.num_elements(); ++o) {
    std::vector<int64_t> idx = Unflatten(o, shape);
    std::vector<int64_t> src = {idx[1], 0, idx[3], 0};
    want[o] = in.data<float>()[Flatten(src, in.shape())];
  }
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(want, shape));
}

TEST(BroadcastTo, HandlesScalarsStringsAndEmptyShapes) {
  KernelHarness k("BroadcastTo");
  k.Attr("T", DT_STRING);
  auto out =
      k.Run({Tensor::Scalar<std::string>("x"), Tensor::Vector<int32_t>({2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"x", "x"}));
  KernelHarness f("BroadcastTo");
  f.Attr("T", DT_FLOAT);
  out = f.Run({Iota(TensorShape{1, 3}), Tensor::Vector<int32_t>({0, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3}));
}

TEST(BroadcastTo, RejectsIncompatibleShapes) {
  KernelHarness k("BroadcastTo");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{2, 3}), Tensor::Vector<int32_t>({4, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("Unable to broadcast tensor of shape [2,3] to tensor "
                        "of shape [4,3]"));
  out = k.Run({Iota(TensorShape{2, 3}), Tensor::Vector<int32_t>({3})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Rank of input (2) must be no greater than rank of "
                        "output shape (1)."));
  out = k.Run({Iota(TensorShape{3}), Tensor::Vector<int32_t>({-1, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("Dimension -1 must be >= 0"));
}

TEST(BroadcastTo, HugeShapeIsResourceExhausted) {
  KernelHarness k("BroadcastTo");
  k.Attr("T", DT_FLOAT).Attr("Tidx", DT_INT64);
  auto out =
      k.Run({Iota(TensorShape{1}),
             Tensor::Vector<int64_t>({int64_t{1} << 20, int64_t{1} << 20})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(BroadcastArgs, GivesTheBroadcastShape) {
  KernelHarness k("BroadcastArgs");
  k.Attr("T", DT_INT32);
  auto out =
      k.Run({Tensor::Vector<int32_t>({2, 1}), Tensor::Vector<int32_t>({4})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({2, 4}));
  out = k.Run({Tensor::Vector<int32_t>({}), Tensor::Vector<int32_t>({0, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({0, 1}));
  KernelHarness k64("BroadcastArgs");
  k64.Attr("T", DT_INT64);
  out = k64.Run(
      {Tensor::Vector<int64_t>({5, 1, 3}), Tensor::Vector<int64_t>({1, 4, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({5, 4, 3}));
}

TEST(BroadcastArgs, RejectsIncompatibleShapes) {
  KernelHarness k("BroadcastArgs");
  k.Attr("T", DT_INT32);
  auto out =
      k.Run({Tensor::Vector<int32_t>({2, 3}), Tensor::Vector<int32_t>({4})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("Incompatible shapes: [2,3] vs. [4]"));
  out = k.Run({Tensor::Scalar<int32_t>(2), Tensor::Vector<int32_t>({4})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("must be a vector"));
}

}  // namespace
}  // namespace model_server
