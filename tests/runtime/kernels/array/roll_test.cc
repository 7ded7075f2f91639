#include <cstdint>
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

// out[(i + shift) mod n] = in[i] along each listed axis, element by element.
Tensor NaiveRoll(const Tensor& in, const std::vector<int64_t>& shift,
                 const std::vector<int64_t>& axis) {
  std::vector<float> out(in.NumElements());
  for (int64_t i = 0; i < in.NumElements(); ++i) {
    std::vector<int64_t> idx = Unflatten(i, in.shape());
    for (size_t k = 0; k < axis.size(); ++k) {
      const int a =
          static_cast<int>(axis[k] < 0 ? axis[k] + in.rank() : axis[k]);
      const int64_t n = in.dim(a);
      idx[a] = ((idx[a] + shift[k]) % n + n) % n;
    }
    out[Flatten(idx, in.shape())] = in.data<float>()[i];
  }
  return Tensor::FromVector(out, in.shape());
}

TEST(Roll, ShiftsAVectorAround) {
  KernelHarness k("Roll");
  k.Attr("T", DT_FLOAT).Attr("Tshift", DT_INT32).Attr("Taxis", DT_INT32);
  auto out = k.Run({Iota(TensorShape{5}), Tensor::Scalar<int32_t>(2),
                    Tensor::Scalar<int32_t>(0)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({3, 4, 0, 1, 2}));
  out = k.Run({Iota(TensorShape{5}), Tensor::Scalar<int32_t>(-7),
               Tensor::Scalar<int32_t>(0)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({2, 3, 4, 0, 1}));
}

TEST(Roll, ShiftsAlongNegativeAxis) {
  KernelHarness k("Roll");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{2, 3}), Tensor::Scalar<int32_t>(1),
                    Tensor::Scalar<int32_t>(-1)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({2, 0, 1, 5, 3, 4},
                                                         TensorShape{2, 3}));
}

TEST(Roll, AddsShiftsOnTheSameAxisAndMatchesNaiveReference) {
  KernelHarness k("Roll");
  k.Attr("T", DT_FLOAT).Attr("Tshift", DT_INT64).Attr("Taxis", DT_INT64);
  Tensor in = Iota(TensorShape{3, 4, 5, 2});
  std::vector<int64_t> shift = {1, -2, 7, 3, 1};
  std::vector<int64_t> axis = {0, 2, -2, 1, 0};
  auto out = k.Run(
      {in, Tensor::Vector<int64_t>(shift), Tensor::Vector<int64_t>(axis)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), NaiveRoll(in, shift, axis));
}

TEST(Roll, MovesStringsAndEmptyTensors) {
  KernelHarness k("Roll");
  k.Attr("T", DT_STRING);
  auto out =
      k.Run({Tensor::Vector<std::string>({"a", "b", "c"}),
             Tensor::Vector<int32_t>({1}), Tensor::Vector<int32_t>({0})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"c", "a", "b"}));
  KernelHarness e("Roll");
  e.Attr("T", DT_FLOAT);
  out =
      e.Run({Tensor::FromVector<float>({}, TensorShape{0, 3}),
             Tensor::Vector<int32_t>({1, 2}), Tensor::Vector<int32_t>({0, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3}));
}

TEST(Roll, RejectsBadArguments) {
  KernelHarness k("Roll");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Tensor::Scalar<float>(1), Tensor::Scalar<int32_t>(1),
                    Tensor::Scalar<int32_t>(0)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("input must be 1-D or higher"));
  out = k.Run({Iota(TensorShape{3}), Tensor::Vector<int32_t>({1, 2}),
               Tensor::Vector<int32_t>({0})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("shift and axis must have the same size"));
  out = k.Run({Iota(TensorShape{3}), Tensor::Scalar<int32_t>(1),
               Tensor::Scalar<int32_t>(1)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("axis 1 is out of range"));
  out = k.Run({Iota(TensorShape{3}),
               Tensor::FromVector<int32_t>({1}, TensorShape{1, 1}),
               Tensor::Scalar<int32_t>(0)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(
      out.status().message(),
      HasSubstr("shift must be a scalar or a 1-D vector. Found: [1,1]"));
}

}  // namespace
}  // namespace model_server
