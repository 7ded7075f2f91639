#include <cstdint>
#include <cstring>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Bitcast(const Tensor& x, DataType to) {
  KernelHarness h("Bitcast");
  h.Attr("T", x.dtype()).Attr("type", to);
  return h.Run({x});
}

TEST(Bitcast, EqualSizesKeepTheShape) {
  Tensor x = Tensor::FromVector<float>({1.0f, -2.0f}, TensorShape{2, 1});
  auto out = Bitcast(x, DT_INT32);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0),
      Tensor::FromVector<int32_t>(
          {0x3f800000, static_cast<int32_t>(0xc0000000)}, TensorShape{2, 1}));
}

TEST(Bitcast, LargerToSmallerAddsALastDimensionInMemoryOrder) {
  auto out =
      Bitcast(Tensor::Vector<uint32_t>({0x04030201u, 0xffffffffu}), DT_UINT8);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<uint8_t>({1, 2, 3, 4, 255, 255, 255, 255},
                                               TensorShape{2, 4}));
  // A scalar becomes a vector.
  auto scalar = Bitcast(Tensor::Scalar<double>(1.0), DT_UINT16);
  ASSERT_TRUE(scalar.ok()) << scalar.status();
  EXPECT_TENSOR_EQ(scalar->at(0), Tensor::Vector<uint16_t>({0, 0, 0, 0x3ff0}));
}

TEST(Bitcast, SmallerToLargerConsumesTheLastDimension) {
  Tensor x =
      Tensor::FromVector<int16_t>({0, 0x3f80, 0, 0x4000}, TensorShape{2, 2});
  auto out = Bitcast(x, DT_FLOAT);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({1.0f, 2.0f}));
}

TEST(Bitcast, RoundTripsEveryNumericPair) {
  const std::vector<DataType> types = {
      DT_BFLOAT16, DT_HALF,   DT_FLOAT,     DT_DOUBLE,    DT_INT8,
      DT_INT16,    DT_INT32,  DT_INT64,     DT_UINT8,     DT_UINT16,
      DT_UINT32,   DT_UINT64, DT_COMPLEX64, DT_COMPLEX128};
  std::vector<uint8_t> bytes(32);
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<uint8_t>(i * 37 + 11);
  }
  Tensor raw = Tensor::Vector<uint8_t>(bytes);
  for (DataType from : types) {
    // uint8 -> a wider type needs [.., size]: reshape the 32 bytes first.
    const int64_t size = static_cast<int64_t>(DataTypeSize(from));
    auto shaped = raw.Reshaped(size == 1 ? TensorShape{32}
                                         : TensorShape{32 / size, size});
    ASSERT_TRUE(shaped.ok());
    auto typed = Bitcast(*shaped, from);
    ASSERT_TRUE(typed.ok()) << DataTypeName(from) << typed.status();
    const Tensor flat = typed->at(0);
    for (DataType to : types) {
      // A wider type needs [.., ratio] elements of the narrower one.
      const int64_t to_size = static_cast<int64_t>(DataTypeSize(to));
      const int64_t n = flat.NumElements();
      auto input =
          to_size > size
              ? flat.Reshaped(TensorShape{n * size / to_size, to_size / size})
              : absl::StatusOr<Tensor>(flat);
      ASSERT_TRUE(input.ok());
      auto out = Bitcast(*input, to);
      ASSERT_TRUE(out.ok())
          << DataTypeName(from) << "->" << DataTypeName(to) << out.status();
      const Tensor& t = out->at(0);
      ASSERT_EQ(t.dtype(), to);
      ASSERT_EQ(t.TotalBytes(), 32u);
      EXPECT_EQ(std::memcmp(t.raw_data(), bytes.data(), 32), 0)
          << DataTypeName(from) << "->" << DataTypeName(to);
    }
  }
}

TEST(Bitcast, EmptyTensors) {
  auto out =
      Bitcast(Tensor::FromVector<float>({}, TensorShape{0, 3}), DT_UINT8);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3, 4}));
  auto wider =
      Bitcast(Tensor::FromVector<uint8_t>({}, TensorShape{0, 4}), DT_INT32);
  ASSERT_TRUE(wider.ok()) << wider.status();
  EXPECT_EQ(wider->at(0).shape(), (TensorShape{0}));
}

TEST(Bitcast, RejectsAWrongLastDimensionAndScalars) {
  auto out = Bitcast(Tensor::Vector<uint8_t>({1, 2, 3}), DT_INT32);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find(
                "Cannot bitcast from uint8 to int32: shape [3]"),
            std::string::npos)
      << out.status();
  auto scalar = Bitcast(Tensor::Scalar<float>(1), DT_DOUBLE);
  EXPECT_EQ(scalar.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Bitcast, RejectsNonNumericTypesAtLoad) {
  auto out = Bitcast(Tensor::Vector<bool>({true}), DT_UINT8);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
  auto to_string = Bitcast(Tensor::Vector<uint8_t>({1}), DT_STRING);
  EXPECT_EQ(to_string.status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
