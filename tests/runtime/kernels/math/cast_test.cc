#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using Eigen::bfloat16;
using Eigen::half;

absl::StatusOr<std::vector<Tensor>> RunCast(const Tensor& x, DataType dst,
                                            bool truncate = false) {
  KernelHarness h("Cast");
  h.Attr("SrcT", x.dtype()).Attr("DstT", dst);
  if (truncate) h.Attr("Truncate", true);
  return h.Run({x});
}

Tensor Cast(const Tensor& x, DataType dst, bool truncate = false) {
  auto out = RunCast(x, dst, truncate);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? out->at(0) : Tensor();
}

TEST(Cast, FloatToIntegerTruncatesTowardZero) {
  Tensor x = Tensor::Vector<float>({1.9f, -1.9f, 0.5f, -0.5f, 1e6f});
  EXPECT_TENSOR_EQ(Cast(x, DT_INT32),
                   Tensor::Vector<int32_t>({1, -1, 0, 0, 1000000}));
  EXPECT_TENSOR_EQ(Cast(x, DT_INT64),
                   Tensor::Vector<int64_t>({1, -1, 0, 0, 1000000}));
}

TEST(Cast, NaNAndOutOfRangeFloatsGiveTheMostNegativeInteger) {
  Tensor x = Tensor::Vector<float>({NAN, 1e20f, -1e20f, INFINITY});
  const int32_t min32 = std::numeric_limits<int32_t>::min();
  const int64_t min64 = std::numeric_limits<int64_t>::min();
  EXPECT_TENSOR_EQ(Cast(x, DT_INT32),
                   Tensor::Vector<int32_t>({min32, min32, min32, min32}));
  EXPECT_TENSOR_EQ(Cast(x, DT_INT64),
                   Tensor::Vector<int64_t>({min64, min64, min64, min64}));
}

TEST(Cast, NarrowIntegersWrapThroughInt32) {
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<float>({300, -1, 127.9f}), DT_UINT8),
                   Tensor::Vector<uint8_t>({44, 255, 127}));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<double>({-129, 70000}), DT_INT8),
                   Tensor::Vector<int8_t>({127, 112}));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<double>({-1, 5e9}), DT_UINT32),
                   Tensor::Vector<uint32_t>({4294967295u, 705032704u}));
  EXPECT_TENSOR_EQ(
      Cast(Tensor::Vector<double>({1.8446744073709552e19 / 2 * 1.5, -1}),
           DT_UINT64),
      Tensor::Vector<uint64_t>(
          {13835058055282163712ull, 18446744073709551615ull}));
}

TEST(Cast, IntegerToIntegerWraps) {
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<int32_t>({256, 257, -1}), DT_UINT8),
                   Tensor::Vector<uint8_t>({0, 1, 255}));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<int64_t>({int64_t{1} << 40}), DT_INT32),
                   Tensor::Vector<int32_t>({0}));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<uint8_t>({200}), DT_INT64),
                   Tensor::Vector<int64_t>({200}));
}

TEST(Cast, BoolConversions) {
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<float>({0, -0.f, 2, NAN}), DT_BOOL),
                   Tensor::Vector<bool>({false, false, true, true}));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<int64_t>({0, 7}), DT_BOOL),
                   Tensor::Vector<bool>({false, true}));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<half>({half(0.f), half(0.5f)}), DT_BOOL),
                   Tensor::Vector<bool>({false, true}));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<bool>({true, false}), DT_FLOAT),
                   Tensor::Vector<float>({1, 0}));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<bool>({true, false}), DT_INT32),
                   Tensor::Vector<int32_t>({1, 0}));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<bool>({true}), DT_HALF),
                   Tensor::Vector<half>({half(1.f)}));
}

TEST(Cast, HalfAndBfloat16RoundToNearestEven) {
  // 1 + 2^-11 is halfway between two halves: rounds to even (1.0).
  const float halfway = 1.0f + std::ldexp(1.0f, -11);
  Tensor h = Cast(Tensor::Vector<float>({halfway, 65504, 1e6f}), DT_HALF);
  EXPECT_EQ(static_cast<float>(h.data<half>()[0]), 1.0f);
  EXPECT_EQ(static_cast<float>(h.data<half>()[1]), 65504);
  EXPECT_TRUE(std::isinf(static_cast<float>(h.data<half>()[2])));
  Tensor b = Cast(Tensor::Vector<double>({1.0 + std::ldexp(1.0, -8) * 1.5}),
                  DT_BFLOAT16);
  EXPECT_EQ(static_cast<float>(b.data<bfloat16>()[0]),
            1.0f + std::ldexp(1.0f, -7));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<half>({half(2.5f)}), DT_FLOAT),
                   Tensor::Vector<float>({2.5f}));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<bfloat16>({bfloat16(-3.f)}), DT_INT32),
                   Tensor::Vector<int32_t>({-3}));
}

TEST(Cast, TruncateZeroesTheExtraMantissaBits) {
  // Just below 1 + 2^-7 in float: rounds up to it, truncates down to 1.
  const float x = 1.0f + std::ldexp(1.0f, -7) - std::ldexp(1.0f, -20);
  Tensor rounded = Cast(Tensor::Vector<float>({x}), DT_BFLOAT16);
  Tensor truncated = Cast(Tensor::Vector<float>({x}), DT_BFLOAT16, true);
  EXPECT_EQ(static_cast<float>(rounded.data<bfloat16>()[0]),
            1.0f + std::ldexp(1.0f, -7));
  EXPECT_EQ(static_cast<float>(truncated.data<bfloat16>()[0]), 1.0f);
  const double d = 1.0 + std::ldexp(1.0, -23) - std::ldexp(1.0, -40);
  EXPECT_EQ(Cast(Tensor::Vector<double>({d}), DT_FLOAT, true).data<float>()[0],
            1.0f);
  // Truncation does not apply to integer targets.
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector<float>({2.7f}), DT_INT32, true),
                   Tensor::Vector<int32_t>({2}));
}

TEST(Cast, SameTypeForwardsTheInput) {
  Tensor x = Tensor::Vector<float>({1, 2});
  auto out = RunCast(x, DT_FLOAT);
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), x);
}

TEST(Cast, LargeTensorsMatchScalarConversion) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1000, 1000);
  std::vector<float> values(100000);
  for (auto& v : values) v = dist(rng);
  Tensor x = Tensor::Vector(values);
  std::vector<int32_t> ints(values.size());
  std::vector<double> doubles(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    ints[i] = static_cast<int32_t>(values[i]);
    doubles[i] = values[i];
  }
  EXPECT_TENSOR_EQ(Cast(x, DT_INT32), Tensor::Vector(ints));
  EXPECT_TENSOR_EQ(Cast(x, DT_DOUBLE), Tensor::Vector(doubles));
  EXPECT_TENSOR_EQ(Cast(Tensor::Vector(ints), DT_FLOAT),
                   Cast(Cast(x, DT_INT32), DT_FLOAT));
}

TEST(Cast, UnsupportedPairsFailAtLoad) {
  auto out = RunCast(Tensor::Vector<std::string>({"1"}), DT_FLOAT);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("is not supported"), std::string::npos);
  EXPECT_NE(
      out.status().message().find("Cast string to float is not supported"),
      std::string::npos)
      << out.status();
  auto complex = RunCast(Tensor::Vector<float>({1}), DT_COMPLEX64);
  EXPECT_NE(complex.status().message().find("is not supported"),
            std::string::npos);
}

TEST(Cast, InputOfAnotherDtypeThanSrcTIsRejected) {
  KernelHarness h("Cast");
  h.Attr("SrcT", DT_INT32).Attr("DstT", DT_FLOAT);
  auto out = h.Run({Tensor::Vector<float>({1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
