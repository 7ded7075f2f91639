// The REST API's JSON codec in-process: numbers as TF Serving writes them,
// JSON into tensors of every dtype through both parsers, tensors back into
// JSON, and the path grammar.
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <type_traits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "daemon/rest/json_document.h"
#include "daemon/rest/json_predict.h"
#include "daemon/rest/json_tensor_decode.h"
#include "daemon/rest/json_writer.h"
#include "daemon/rest/rest_api_path.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace model_server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(JsonDecimal, WritesSixDigitsWhenTheyReadBack) {
  EXPECT_EQ(FormatJsonDecimal(3.0f), "3.0");
  EXPECT_EQ(FormatJsonDecimal(0.1f), "0.1");
  EXPECT_EQ(FormatJsonDecimal(2.5), "2.5");
  EXPECT_EQ(FormatJsonDecimal(-0.0f), "-0.0");
}

TEST(JsonDecimal, WritesMaxDigits10WhenSixDigitsDoNotReadBack) {
  EXPECT_EQ(FormatJsonDecimal(3.14159274f), "3.14159274");
  EXPECT_EQ(FormatJsonDecimal(0.1), "0.1");
  EXPECT_EQ(FormatJsonDecimal(1.0 / 3.0), "0.33333333333333331");
}

TEST(JsonDecimal, KeepsExponentsWithoutAddingPointZero) {
  EXPECT_EQ(FormatJsonDecimal(1e6f), "1e+06");
  EXPECT_EQ(FormatJsonDecimal(3e-05f), "3e-05");
  EXPECT_EQ(FormatJsonDecimal(9000000.0), "9e+06");
}

TEST(JsonDecimal, WritesNanAndInfinityTokens) {
  EXPECT_EQ(FormatJsonDecimal(std::numeric_limits<float>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatJsonDecimal(std::numeric_limits<double>::infinity()),
            "Infinity");
  EXPECT_EQ(FormatJsonDecimal(-std::numeric_limits<float>::infinity()),
            "-Infinity");
}

// TF Serving's WriteDecimal written as it is (absl::StrCat, SimpleAtof,
// StrFormat), the naive reference for the fast FormatJsonDecimal.
template <typename T>
std::string ReferenceDecimal(T value) {
  std::string text = absl::StrCat(value);
  T read_back;
  const bool ok =
      std::is_same_v<T, float>
          ? absl::SimpleAtof(text, reinterpret_cast<float*>(&read_back))
          : absl::SimpleAtod(text, reinterpret_cast<double*>(&read_back));
  if (!ok || read_back != value) {
    text = absl::StrFormat("%.*g", std::numeric_limits<T>::max_digits10, value);
  }
  if (text.find('.') == std::string::npos &&
      text.find('e') == std::string::npos) {
    text += ".0";
  }
  return text;
}

TEST(JsonDecimal, MatchesTfServingsWriteDecimalOnRandomValues) {
  std::mt19937_64 random(42);
  for (int i = 0; i < 200000; ++i) {
    const uint64_t bits = random();
    float f;
    const uint32_t low = static_cast<uint32_t>(bits);
    std::memcpy(&f, &low, sizeof(f));
    double d;
    std::memcpy(&d, &bits, sizeof(d));
    // Plain decimals too, the usual payload.
    const float plain = static_cast<float>(bits % 200001) / 1000.0f - 100.0f;
    for (float value : {f, plain}) {
      if (!std::isfinite(value)) continue;
      ASSERT_EQ(FormatJsonDecimal(value), ReferenceDecimal(value)) << value;
    }
    if (std::isfinite(d)) {
      ASSERT_EQ(FormatJsonDecimal(d), ReferenceDecimal(d)) << d;
    }
    const double plain_double = static_cast<double>(plain);
    ASSERT_EQ(FormatJsonDecimal(plain_double), ReferenceDecimal(plain_double));
  }
}

std::unique_ptr<JsonDocument> Parse(const std::string& text) {
  absl::StatusOr<std::unique_ptr<JsonDocument>> document =
      JsonDocument::Parse(text);
  EXPECT_TRUE(document.ok()) << document.status();
  return document.ok() ? *std::move(document) : nullptr;
}

absl::StatusOr<Tensor> Decode(const std::string& text, DataType dtype) {
  std::unique_ptr<JsonDocument> document = Parse(text);
  if (document == nullptr) return absl::InternalError("parse failed");
  return document->Visit(
      [&](const auto& root) { return DecodeJsonTensor(root, dtype); });
}

TEST(JsonDocument, UsesSimdjsonAndFallsBackToRapidJsonForNan) {
  EXPECT_STREQ(Parse("[1.0, 2]")->parser_name(), "simdjson");
  EXPECT_STREQ(Parse("[NaN, -Infinity]")->parser_name(), "rapidjson");
}

TEST(JsonDocument, ReportsParseErrorsInTfServingWords) {
  auto bad = JsonDocument::Parse("{\"a\": }");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "JSON Parse error: Invalid value. at offset: 6");
  auto empty = JsonDocument::Parse("");
  EXPECT_EQ(empty.status().message(),
            "JSON Parse error: The document is empty");
}

TEST(JsonDocument, RefusesDeepNestingInBothParsers) {
  const std::string deep =
      std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  auto simd = JsonDocument::Parse(deep);
  ASSERT_FALSE(simd.ok());
  EXPECT_THAT(simd.status().message(), HasSubstr("nesting deeper than"));
  const std::string deep_nan = "[NaN," + deep + "]";
  auto rapid = JsonDocument::Parse(deep_nan);
  ASSERT_FALSE(rapid.ok());
  EXPECT_THAT(rapid.status().message(), HasSubstr("nesting deeper than"));
  const std::string ok =
      std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(JsonDocument::Parse(ok).ok());
}

TEST(DecodeJsonTensor, ReadsShapeFromNesting) {
  absl::StatusOr<Tensor> t = Decode("[[1, 2.5], [3, 4]]", DT_FLOAT);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->shape().dims(), ElementsAre(2, 2));
  EXPECT_THAT(t->flat<float>(), ElementsAre(1, 2.5, 3, 4));
  absl::StatusOr<Tensor> scalar = Decode("7", DT_INT64);
  ASSERT_TRUE(scalar.ok());
  EXPECT_EQ(scalar->rank(), 0);
  EXPECT_EQ(scalar->scalar<int64_t>(), 7);
  absl::StatusOr<Tensor> empty = Decode("[]", DT_FLOAT);
  ASSERT_TRUE(empty.ok());
  EXPECT_THAT(empty->shape().dims(), ElementsAre(0));
}

TEST(DecodeJsonTensor, DecodesEveryDtype) {
  EXPECT_THAT(Decode("[1, -2]", DT_INT32)->flat<int32_t>(), ElementsAre(1, -2));
  EXPECT_THAT(Decode("[255, 0]", DT_UINT8)->flat<uint8_t>(),
              ElementsAre(255, 0));
  EXPECT_THAT(Decode("[9007199254740993]", DT_INT64)->flat<int64_t>(),
              ElementsAre(9007199254740993));
  EXPECT_THAT(Decode("[18446744073709551615]", DT_UINT64)->flat<uint64_t>(),
              ElementsAre(18446744073709551615u));
  EXPECT_THAT(Decode("[true, false]", DT_BOOL)->flat<bool>(),
              ElementsAre(true, false));
  EXPECT_THAT(Decode("[0.1, NaN]", DT_DOUBLE)->flat<double>()[0], 0.1);
  EXPECT_TRUE(std::isnan(Decode("[0.1, NaN]", DT_DOUBLE)->flat<double>()[1]));
  EXPECT_THAT(
      Decode(R"(["a", {"b64": "AP8="}])", DT_STRING)->flat<std::string>(),
      ElementsAre("a", std::string("\0\xff", 2)));
  EXPECT_EQ(
      static_cast<float>(Decode("[1.5]", DT_HALF)->flat<Eigen::half>()[0]),
      1.5f);
}

TEST(DecodeJsonTensor, RefusesWhatDoesNotFit) {
  EXPECT_THAT(Decode("[256]", DT_UINT8).status().message(),
              HasSubstr("out of range for uint8"));
  EXPECT_THAT(Decode("[1.5]", DT_INT32).status().message(),
              HasSubstr("JSON Value: 1.5 Type: Number is not of expected type: "
                        "int32"));
  EXPECT_THAT(Decode("[16777217]", DT_FLOAT).status().message(),
              HasSubstr("Cannot convert JSON value: 16777217 to float without "
                        "loss of precision."));
  EXPECT_THAT(
      Decode("[1, [2]]", DT_FLOAT).status().message(),
      HasSubstr("Encountered list at unexpected level: 1 expected < 1"));
  EXPECT_THAT(Decode("[[1], 2]", DT_FLOAT).status().message(),
              HasSubstr("JSON Value: 2 found at incorrect level: 2 in the JSON "
                        "DOM. Expected at level: 2"));
  EXPECT_THAT(Decode(R"([{"b64": 1}])", DT_STRING).status().message(),
              HasSubstr("not formatted correctly for base64 data"));
  EXPECT_THAT(Decode(R"(["a"])", DT_COMPLEX64).status().message(),
              HasSubstr("Conversion of JSON Value"));
}

TEST(EncodePredictResponse, WritesBytesOutputsAndInvalidUtf8AsBase64) {
  PredictOutputs outputs = {
      {"a_bytes", Tensor::Vector<std::string>({"hi"})},
      {"b", Tensor::Vector<std::string>({std::string("\xff", 1)})},
      {"c", Tensor::Vector<std::string>({"ok"})},
  };
  absl::StatusOr<std::string> json =
      EncodePredictResponse(outputs, JsonPredictFormat::kRow);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(*json,
            "{\n    \"predictions\": [\n        {\n"
            "            \"a_bytes\": {\n                \"b64\": \"aGk=\"\n"
            "            },\n"
            "            \"b\": {\n                \"b64\": \"/w==\"\n"
            "            },\n"
            "            \"c\": \"ok\"\n        }\n    ]\n}");
}

TEST(EncodePredictResponse, RowFormatNeedsOneBatchSize) {
  PredictOutputs outputs = {{"a", Tensor::Vector<float>({1, 2})},
                            {"b", Tensor::Vector<float>({1})}};
  EXPECT_THAT(EncodePredictResponse(outputs, JsonPredictFormat::kRow)
                  .status()
                  .message(),
              HasSubstr("Tensor name: b has inconsistent batch size: 1 "
                        "expecting: 2"));
  PredictOutputs scalar = {{"s", Tensor::Scalar<float>(1)}};
  EXPECT_THAT(
      EncodePredictResponse(scalar, JsonPredictFormat::kRow).status().message(),
      HasSubstr("Tensor name: s has no shape information"));
  EXPECT_EQ(*EncodePredictResponse(scalar, JsonPredictFormat::kColumnar),
            "{\n    \"outputs\": 1.0\n}");
}

TEST(EncodePredictResponse, RefusesAnswersOverTwoGigabytesOfJson) {
  absl::StatusOr<Tensor> big = Tensor::Create(DT_FLOAT, TensorShape{70000000});
  ASSERT_TRUE(big.ok());
  PredictOutputs outputs = {{"y", *big}};
  absl::StatusOr<std::string> json =
      EncodePredictResponse(outputs, JsonPredictFormat::kColumnar);
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(json.status().message(), HasSubstr("bytes of JSON"));
}

TEST(RestApiPath, ParsesTfServingPaths) {
  auto p = ParseRestApiPath("POST", "/v1/models/m/versions/3:predict");
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->model_name, "m");
  EXPECT_EQ((*p)->version, 3);
  EXPECT_EQ((*p)->verb, "predict");
  p = ParseRestApiPath("POST", "/v1/models/my%20model/labels/canary:classify");
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->model_name, "my model");
  EXPECT_EQ((*p)->label, "canary");
  p = ParseRestApiPath("GET", "/V1/MODELS/m/versions/2/metadata");
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->verb, "metadata");
  EXPECT_EQ((*p)->version, 2);
  p = ParseRestApiPath("GET", "/v1/models");
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->model_name, "");
}

TEST(RestApiPath, RejectsOtherForms) {
  for (const char* path :
       {"/v1/models/m:predict/x", "/v1/models/:predict", "/v1/models/m",
        "/v1/models/m/versions/x:predict", "/v1/models/m:Predict"}) {
    auto p = ParseRestApiPath("POST", path);
    EXPECT_TRUE(p.ok() && !p->has_value()) << path;
  }
  auto get = ParseRestApiPath("GET", "/v1/models/m/extra/stuff");
  EXPECT_TRUE(get.ok() && !get->has_value());
  auto overflow =
      ParseRestApiPath("GET", "/v1/models/m/versions/99999999999999999999");
  EXPECT_FALSE(overflow.ok());
}

}  // namespace
}  // namespace model_server
