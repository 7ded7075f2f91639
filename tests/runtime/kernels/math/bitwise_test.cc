#include <bitset>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> RunOp(const std::string& op,
                                          const std::vector<Tensor>& inputs) {
  KernelHarness h(op);
  h.Attr("T", inputs[0].dtype());
  return h.Run(inputs);
}

Tensor RunOk(const std::string& op, const std::vector<Tensor>& inputs) {
  auto out = RunOp(op, inputs);
  EXPECT_TRUE(out.ok()) << op << ": " << out.status();
  return out.ok() ? out->at(0) : Tensor();
}

TEST(BitwiseAnd, OrXorWithBroadcasting) {
  Tensor x =
      Tensor::FromVector<int32_t>({0b1100, 0b1010, -1, 0}, TensorShape{2, 2});
  Tensor y = Tensor::Vector<int32_t>({0b1010, 0b0110});
  EXPECT_TENSOR_EQ(RunOk("BitwiseAnd", {x, y}),
                   Tensor::FromVector<int32_t>({0b1000, 0b0010, 0b1010, 0},
                                               TensorShape{2, 2}));
  EXPECT_TENSOR_EQ(RunOk("BitwiseOr", {x, y}),
                   Tensor::FromVector<int32_t>({0b1110, 0b1110, -1, 0b0110},
                                               TensorShape{2, 2}));
  EXPECT_TENSOR_EQ(RunOk("BitwiseXor", {x, y}),
                   Tensor::FromVector<int32_t>(
                       {0b0110, 0b1100, ~0b1010, 0b0110}, TensorShape{2, 2}));
}

TEST(BitwiseAnd, EveryIntegerTypeAgainstNaiveReference) {
  std::mt19937_64 rng(5);
  auto check = [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> a(37), b(37), and_v(37), or_v(37), xor_v(37), inv(37);
    std::vector<uint8_t> pop(37);
    for (int i = 0; i < 37; ++i) {
      a[i] = static_cast<T>(rng());
      b[i] = static_cast<T>(rng());
      and_v[i] = static_cast<T>(a[i] & b[i]);
      or_v[i] = static_cast<T>(a[i] | b[i]);
      xor_v[i] = static_cast<T>(a[i] ^ b[i]);
      inv[i] = static_cast<T>(~a[i]);
      pop[i] = static_cast<uint8_t>(
          std::bitset<64>(static_cast<std::make_unsigned_t<T>>(a[i])).count());
    }
    Tensor x = Tensor::Vector(a), y = Tensor::Vector(b);
    EXPECT_TENSOR_EQ(RunOk("BitwiseAnd", {x, y}), Tensor::Vector(and_v));
    EXPECT_TENSOR_EQ(RunOk("BitwiseOr", {x, y}), Tensor::Vector(or_v));
    EXPECT_TENSOR_EQ(RunOk("BitwiseXor", {x, y}), Tensor::Vector(xor_v));
    EXPECT_TENSOR_EQ(RunOk("Invert", {x}), Tensor::Vector(inv));
    EXPECT_TENSOR_EQ(RunOk("PopulationCount", {x}), Tensor::Vector(pop));
  };
  check(int8_t());
  check(int16_t());
  check(int32_t());
  check(int64_t());
  check(uint8_t());
  check(uint16_t());
  check(uint32_t());
  check(uint64_t());
}

TEST(LeftShift, ClampsNegativeAndOversizedShifts) {
  Tensor x = Tensor::Vector<int8_t>({1, 1, 1, 1, -1, 3});
  Tensor y = Tensor::Vector<int8_t>({0, 3, 7, 100, -5, 6});
  // 1 << 7 sets the sign bit; 100 shifts by 7; -5 by 0; 3 << 6 drops a bit.
  EXPECT_TENSOR_EQ(RunOk("LeftShift", {x, y}),
                   Tensor::Vector<int8_t>({1, 8, -128, -128, -1, -64}));
  Tensor u = Tensor::Vector<uint32_t>({1, 0xffffffffu});
  Tensor s = Tensor::Vector<uint32_t>({40, 4});
  EXPECT_TENSOR_EQ(RunOk("LeftShift", {u, s}),
                   Tensor::Vector<uint32_t>({0x80000000u, 0xfffffff0u}));
}

TEST(RightShift, IsArithmeticForSignedAndClamps) {
  Tensor x = Tensor::Vector<int32_t>({-16, -16, 16, 16, -1});
  Tensor y = Tensor::Vector<int32_t>({2, 99, 2, -3, 31});
  EXPECT_TENSOR_EQ(RunOk("RightShift", {x, y}),
                   Tensor::Vector<int32_t>({-4, -1, 4, 16, -1}));
  Tensor u = Tensor::Vector<uint16_t>({0x8000, 0x8000});
  Tensor s = Tensor::Scalar<uint16_t>(15);
  EXPECT_TENSOR_EQ(RunOk("RightShift", {u, s}),
                   Tensor::Vector<uint16_t>({1, 1}));
  Tensor big = Tensor::Scalar<int64_t>(std::numeric_limits<int64_t>::min());
  EXPECT_TENSOR_EQ(RunOk("RightShift", {big, Tensor::Scalar<int64_t>(64)}),
                   Tensor::Scalar<int64_t>(-1));
}

TEST(BitwiseAnd, EmptyAndIncompatibleShapes) {
  Tensor empty = Tensor::FromVector<int32_t>({}, TensorShape{0, 2});
  Tensor out = RunOk("BitwiseAnd", {empty, Tensor::Vector<int32_t>({1, 2})});
  EXPECT_EQ(out.shape(), (TensorShape{0, 2}));
  EXPECT_EQ(RunOk("Invert", {empty}).shape(), (TensorShape{0, 2}));
  auto bad = RunOp("BitwiseOr", {Tensor::Vector<int32_t>({1, 2, 3}),
                                 Tensor::Vector<int32_t>({1, 2})});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BitwiseAnd, RejectsFloatsAtLoad) {
  for (const char* op : {"BitwiseAnd", "LeftShift", "RightShift"}) {
    auto out =
        RunOp(op, {Tensor::Vector<float>({1}), Tensor::Vector<float>({1})});
    EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented) << op;
  }
  EXPECT_EQ(RunOp("Invert", {Tensor::Vector<bool>({true})}).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(
      RunOp("PopulationCount", {Tensor::Vector<float>({1})}).status().code(),
      absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
