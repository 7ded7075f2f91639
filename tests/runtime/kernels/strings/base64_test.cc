#include "gtest/gtest.h"
#include "tests/runtime/kernels/strings/string_test_util.h"

namespace model_server {
namespace {

absl::StatusOr<Tensor> Encode(const Tensor& input, bool pad) {
  KernelHarness k("EncodeBase64");
  k.Attr("pad", pad);
  return RunFirst(k, {input});
}

absl::StatusOr<Tensor> Decode(const Tensor& input) {
  KernelHarness k("DecodeBase64");
  return RunFirst(k, {input});
}

TEST(EncodeBase64, UsesTheWebSafeAlphabetWithOptionalPadding) {
  const Tensor input = Strings({"", "f", "fo", "foo", "foob", "\xfb\xff\xbf"});
  auto out = Encode(input, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Strings({"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "-_-_"}));
  out = Encode(input, true);
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out,
                   Strings({"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "-_-_"}));
}

TEST(DecodeBase64, AcceptsPaddedAndUnpaddedInput) {
  auto out = Decode(Tensor::FromVector<std::string>(
      {"Zg", "Zg==", "Zm9vYmFy", "-_-_", ""}, {5, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<std::string>(
                             {"f", "f", "foobar", "\xfb\xff\xbf", ""}, {5, 1}));
}

TEST(DecodeBase64, RejectsMalformedInput) {
  for (const char* bad : {"Z", "Zm9vY", "Zm+v", "Zm/v", "Z=g=", "Zg=a"}) {
    auto out = Decode(Strings({bad}));
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(DecodeBase64, RoundTripsEveryByte) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  auto encoded = Encode(Strings({bytes}), false);
  ASSERT_TRUE(encoded.ok());
  auto decoded = Decode(*encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->data<std::string>()[0], bytes);
}

}  // namespace
}  // namespace model_server
