// UnicodeDecode[WithOffsets], UnicodeTranscode, UnicodeEncode and
// UnicodeScript against hand-computed code points and bytes.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/strings/string_test_util.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Decode(
    const Tensor& input, const std::string& encoding,
    const std::string& errors = "replace", bool control = false) {
  KernelHarness k("UnicodeDecodeWithOffsets");
  k.Attr("input_encoding", encoding)
      .Attr("errors", errors)
      .Attr("replacement_char", int64_t{0xFFFD})
      .Attr("replace_control_characters", control)
      .Attr("Tsplits", DT_INT64);
  return k.Run({input});
}

TEST(UnicodeDecodeWithOffsets, DecodesUtf8WithByteOffsets) {
  auto out = Decode(Strings({"héllo", "", "€"}), "UTF-8");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({0, 5, 5, 6}));
  EXPECT_TENSOR_EQ(out->at(1),
                   Tensor::Vector<int32_t>({104, 233, 108, 108, 111, 0x20AC}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({0, 1, 3, 4, 5, 0}));
}

TEST(UnicodeDecodeWithOffsets, AppliesTheErrorPolicy) {
  const Tensor bad =
      Strings({"\xff"
               "a\x01"});
  auto out = Decode(bad, "UTF-8");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({0xFFFD, 97, 1}));
  out = Decode(bad, "UTF-8", "replace", true);
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({0xFFFD, 97, 0xFFFD}));
  out = Decode(bad, "UTF-8", "ignore");
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({97, 1}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({1, 2}));
  out = Decode(bad, "UTF-8", "strict");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              ::testing::HasSubstr("Invalid formatting on input string"));
}

TEST(UnicodeDecode, ReadsOtherEncodings) {
  KernelHarness k("UnicodeDecode");
  k.Attr("input_encoding", "UTF-16-BE").Attr("Tsplits", DT_INT32);
  auto out =
      k.Run({Strings({std::string("\x00"
                                  "a\xd8\x3d\xde\x00",
                                  6)})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({0, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({97, 0x1F600}));
  KernelHarness unknown("UnicodeDecode");
  unknown.Attr("input_encoding", "NO-SUCH-ENCODING");
  EXPECT_EQ(unknown.Run({Strings({"a"})}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(UnicodeTranscode, ReencodesEachString) {
  KernelHarness k("UnicodeTranscode");
  k.Attr("input_encoding", "UTF-8").Attr("output_encoding", "UTF-16-BE");
  auto out = k.Run({Tensor::FromVector<std::string>({"hé", "\xff"}, {2, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<std::string>(
                       {std::string("\x00h\x00\xe9", 4), "\xff\xfd"}, {2, 1}));
  KernelHarness latin("UnicodeTranscode");
  latin.Attr("input_encoding", "ISO-8859-1").Attr("output_encoding", "UTF-8");
  out = latin.Run({Strings({"\xe9t\xe9"})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Strings({"été"}));
  KernelHarness bad("UnicodeTranscode");
  bad.Attr("input_encoding", "UTF-8").Attr("output_encoding", "UTF-7");
  EXPECT_EQ(bad.Run({Strings({"a"})}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(UnicodeEncode, EncodesRowsOfCodePoints) {
  KernelHarness k("UnicodeEncode");
  k.Attr("output_encoding", "UTF-8").Attr("Tsplits", DT_INT64);
  auto out = k.Run({Tensor::Vector<int32_t>({72, 105, 0x1F600, 0xD800}),
                    Tensor::Vector<int64_t>({0, 2, 2, 4})});
  ASSERT_TRUE(out.ok()) << out.status();
  // A surrogate is replaced with U+FFFD.
  EXPECT_TENSOR_EQ(out->at(0),
                   Strings({"Hi", "", "\xf0\x9f\x98\x80\xef\xbf\xbd"}));
  KernelHarness utf32("UnicodeEncode");
  utf32.Attr("output_encoding", "UTF-32-BE").Attr("errors", "strict");
  out = utf32.Run(
      {Tensor::Vector<int32_t>({0x20AC}), Tensor::Vector<int64_t>({0, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Strings({std::string("\x00\x00\x20\xac", 4)}));
  out = utf32.Run(
      {Tensor::Vector<int32_t>({0x110000}), Tensor::Vector<int64_t>({0, 1})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = utf32.Run(
      {Tensor::Vector<int32_t>({65}), Tensor::Vector<int64_t>({0, 2})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(UnicodeScript, GivesIcuScriptCodes) {
  KernelHarness k("UnicodeScript");
  auto out = k.Run({Tensor::FromVector<int32_t>(
      {97, 0x44F, 32, 0x4E2D, -1, 0x110000}, {2, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  // Latin 25, Cyrillic 8, Common 0, Han 17; invalid code points -1.
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int32_t>({25, 8, 0, 17, -1, -1}, {2, 3}));
}

}  // namespace
}  // namespace model_server
