#include <cstdint>
#include <cstring>
#include <string>

#include "gtest/gtest.h"
#include "runtime/kernels/strings/fingerprint64.h"
#include "tests/runtime/kernels/strings/string_test_util.h"

namespace model_server {
namespace {

// The 8 little-endian bytes of Fingerprint64(s).
std::vector<uint8_t> Bytes(const std::string& s) {
  const uint64_t f = Fingerprint64(s);
  std::vector<uint8_t> out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(f >> (8 * i)));
  return out;
}

std::vector<uint8_t> Row(const Tensor& t, int r) {
  return std::vector<uint8_t>(t.data<uint8_t>() + 8 * r,
                              t.data<uint8_t>() + 8 * r + 8);
}

absl::StatusOr<Tensor> Fingerprint(const Tensor& data,
                                   const std::string& method = "farmhash64") {
  KernelHarness k("Fingerprint");
  k.Attr("T", data.dtype());
  return RunFirst(k, {data, Tensor::Scalar<std::string>(method)});
}

TEST(Fingerprint, FingerprintsEachStringRow) {
  auto out = Fingerprint(Strings({"hello", ""}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{2, 8}));
  EXPECT_EQ(Row(*out, 0), Bytes("hello"));
  EXPECT_EQ(Row(*out, 1), Bytes(""));
}

TEST(Fingerprint, FingerprintsTheFingerprintsOfMultiStringRows) {
  auto out = Fingerprint(
      Tensor::FromVector<std::string>({"a", "b", "c", "d"}, {2, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  std::string concatenated;
  for (uint8_t b : Bytes("c")) concatenated.push_back(static_cast<char>(b));
  for (uint8_t b : Bytes("d")) concatenated.push_back(static_cast<char>(b));
  EXPECT_EQ(Row(*out, 1), Bytes(concatenated));
}

TEST(Fingerprint, FingerprintsTheRawBytesOfNumericRows) {
  auto out = Fingerprint(Tensor::FromVector<int32_t>({1, 2, 3, 4}, {2, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  const int32_t row[] = {3, 4};
  std::string bytes(reinterpret_cast<const char*>(row), sizeof(row));
  EXPECT_EQ(Row(*out, 1), Bytes(bytes));
  out = Fingerprint(Tensor::FromVector<float>({}, {0, 3}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape(), (TensorShape{0, 8}));
}

TEST(Fingerprint, RejectsScalarsAndOtherMethods) {
  EXPECT_EQ(Fingerprint(Tensor::Scalar<int32_t>(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fingerprint(Strings({"a"}), "md5").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
