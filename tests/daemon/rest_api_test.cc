// End-to-end REST API (--rest_api_port) through the real daemon serving TF
// Serving's saved_model_half_plus_two_cpu as "default", as TF Serving's own
// tensorflow_model_server_test.py does: its REST cases with the exact
// response texts TF Serving writes, status and metadata as its protobuf JSON
// printer writes them, and a matrix of bad requests that must each answer
// 4xx while the server keeps serving.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/http_client.h"

namespace model_server {
namespace {

using testing::DaemonOptions;
using testing::DaemonProcess;
using ::testing::HasSubstr;
using testing::HttpCall;
using testing::HttpResult;
using ::testing::StartsWith;

constexpr char kPredict[] = "/v1/models/default:predict";

class RestApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path = testing::SharedModelPath("tfs_half_plus_two_cpu");
    if (path.empty()) return;
    DaemonOptions options;
    options.model_base_path = path;
    options.rest_api = true;
    auto daemon = DaemonProcess::Start(options);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = daemon->release();
  }
  static void TearDownTestSuite() {
    if (daemon_ != nullptr) {
      auto code = daemon_->Stop();
      EXPECT_TRUE(code.ok() && *code == 0) << daemon_->Stderr();
      delete daemon_;
      daemon_ = nullptr;
    }
  }
  void SetUp() override {
    if (daemon_ == nullptr) {
      GTEST_SKIP() << "../shared/models/tfs_half_plus_two_cpu is absent: "
                      "end-to-end REST tests skipped";
    }
  }

  HttpResult Call(
      const std::string& method, const std::string& path,
      const std::string& body = "",
      const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    absl::StatusOr<HttpResult> result =
        HttpCall(daemon_->rest_port(), method, path, body, headers);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : HttpResult();
  }

  static DaemonProcess* daemon_;
};

DaemonProcess* RestApi::daemon_ = nullptr;

TEST_F(RestApi, PredictRowFormatAsTfServingWritesIt) {
  HttpResult r = Call("POST", kPredict, R"({"instances": [2.0, 3.0, 4.0]})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.body, "{\n    \"predictions\": [3.0, 3.5, 4.0\n    ]\n}");
}

TEST_F(RestApi, PredictColumnarFormatAsTfServingWritesIt) {
  HttpResult r = Call("POST", kPredict, R"({"inputs": [2.0, 3.0, 4.0]})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            "{\n    \"outputs\": [\n        3.0,\n        3.5,\n        4.0\n"
            "    ]\n}");
}

TEST_F(RestApi, ClassifyAsTfServingWritesIt) {
  HttpResult r =
      Call("POST", "/v1/models/default:classify",
           R"({"signature_name":"classify_x_to_y","examples":[{"x":2.0}]})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\n    \"results\": [[[\"\", 3.0]]\n    ]\n}");
}

TEST_F(RestApi, RegressAsTfServingWritesIt) {
  HttpResult r =
      Call("POST", "/v1/models/default:regress",
           R"({"signature_name":"regress_x_to_y","examples":[{"x":2.0}]})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\n    \"results\": [3.0]\n}");
}

TEST_F(RestApi, RegressWithContextMergesIntoEveryExample) {
  HttpResult r = Call("POST", "/v1/models/default:regress",
                      R"({"signature_name":"regress_x_to_y",
                          "context": {"x": 4.0}, "examples":[{}, {"x":2.0}]})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\n    \"results\": [4.0, 3.0]\n}");
}

TEST_F(RestApi, UnknownModelIsNotFound) {
  HttpResult r =
      Call("POST", "/v1/models/x:predict", R"({"instances": [2.0]})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body,
            "{\n    \"error\": \"Servable not found for request: "
            "Latest(x)\"\n}");
}

TEST_F(RestApi, StatusAsTfServingPrintsIt) {
  const std::string expected =
      "{\n \"model_version_status\": [\n  {\n   \"version\": \"123\",\n"
      "   \"state\": \"AVAILABLE\",\n   \"status\": {\n"
      "    \"error_code\": \"OK\",\n    \"error_message\": \"\"\n   }\n"
      "  }\n ]\n}\n";
  HttpResult r = Call("GET", "/v1/models/default");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, expected);
  HttpResult versioned = Call("GET", "/v1/models/default/versions/123");
  EXPECT_EQ(versioned.body, expected);
  HttpResult missing = Call("GET", "/v1/models/default/versions/7");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(missing.body,
              HasSubstr("Could not find version 7 of model default"));
}

TEST_F(RestApi, MetadataAsTfServingPrintsIt) {
  HttpResult r = Call("GET", "/v1/models/default/metadata");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, StartsWith("{\n\"model_spec\":{\n \"name\": \"default\","
                                 "\n \"signature_name\": \"\",\n \"version\": "
                                 "\"123\"\n}\n,\n\"metadata\": "
                                 "{\"signature_def\": {\n \"signature_def\": "
                                 "{\n"));
  rapidjson::Document document;
  document.Parse(r.body.c_str());
  ASSERT_FALSE(document.HasParseError()) << r.body;
  const rapidjson::Value& defs =
      document["metadata"]["signature_def"]["signature_def"];
  ASSERT_TRUE(defs.HasMember("serving_default"));
  const rapidjson::Value& x = defs["serving_default"]["inputs"]["x"];
  EXPECT_STREQ(x["dtype"].GetString(), "DT_FLOAT");
  EXPECT_STREQ(x["name"].GetString(), "x:0");
  EXPECT_STREQ(x["tensor_shape"]["dim"][0]["size"].GetString(), "-1");
  EXPECT_STREQ(defs["serving_default"]["method_name"].GetString(),
               "tensorflow/serving/predict");
  EXPECT_EQ(defs.MemberCount(), 5u);  // TF Serving's half_plus_two metadata
  for (const char* key : {"classify_x_to_y", "regress_x2_to_y3",
                          "regress_x_to_y", "regress_x_to_y2"}) {
    EXPECT_TRUE(defs.HasMember(key)) << key;
  }
  // Unknown rank prints an empty dim list (always_print_primitive_fields).
  const rapidjson::Value& examples =
      defs["classify_x_to_y"]["inputs"]["inputs"]["tensor_shape"];
  EXPECT_TRUE(examples["unknown_rank"].GetBool());
  EXPECT_TRUE(examples["dim"].IsArray() && examples["dim"].Empty());
  EXPECT_STREQ(x["tensor_shape"]["dim"][0]["name"].GetString(), "");
  EXPECT_FALSE(x["tensor_shape"]["unknown_rank"].GetBool());
}

TEST_F(RestApi, ListsModelsBeyondTfServing) {
  HttpResult r = Call("GET", "/v1/models");
  EXPECT_EQ(r.status, 200);
  rapidjson::Document document;
  document.Parse(r.body.c_str());
  ASSERT_FALSE(document.HasParseError()) << r.body;
  ASSERT_EQ(document["models"].Size(), 1u);
  EXPECT_STREQ(document["models"][0]["name"].GetString(), "default");
  EXPECT_STREQ(
      document["models"][0]["model_version_status"][0]["state"].GetString(),
      "AVAILABLE");
}

TEST_F(RestApi, PredictsOnAVersionPath) {
  HttpResult r = Call("POST", "/v1/models/default/versions/123:predict",
                      R"({"instances": [[1.0], [5.0]]})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\n    \"predictions\": [[2.5], [4.5]\n    ]\n}");
}

TEST_F(RestApi, NanAndInfinityTokensGoBothWays) {
  HttpResult r =
      Call("POST", kPredict, R"({"instances": [NaN, Infinity, -Infinity]})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body,
            "{\n    \"predictions\": [NaN, Infinity, -Infinity\n    ]\n}");
}

TEST_F(RestApi, AcceptsGzipBodies) {
  HttpResult r =
      Call("POST", kPredict, testing::Gzip(R"({"instances": [2.0, 3.0, 4.0]})"),
           {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\n    \"predictions\": [3.0, 3.5, 4.0\n    ]\n}");
}

TEST_F(RestApi, NamedInstancesAndNamedInputs) {
  HttpResult row = Call("POST", kPredict, R"({"instances": [{"x": [1.0]}]})");
  EXPECT_EQ(row.status, 200) << row.body;
  EXPECT_EQ(row.body, "{\n    \"predictions\": [[2.5]\n    ]\n}");
  HttpResult columnar = Call("POST", kPredict, R"({"inputs": {"x": [[1.0]]}})");
  EXPECT_EQ(columnar.status, 200) << columnar.body;
}

struct BadRequest {
  const char* name;
  std::string method;
  std::string path;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int status;
  const char* error;  // a substring of the error body
};

std::string Nested(int depth) {
  return absl::StrCat(R"({"instances": )", std::string(depth, '['), "1.0",
                      std::string(depth, ']'), "}");
}

std::vector<BadRequest> BadRequests() {
  const std::string c = "/v1/models/default:classify";
  const std::string r = "/v1/models/default:regress";
  return {
      {"MalformedJson",
       "POST",
       kPredict,
       R"({"instances": [1.0,)",
       {},
       400,
       "JSON Parse error"},
      {"EmptyBody", "POST", kPredict, "", {}, 400, "The document is empty"},
      {"NotAnObject", "POST", kPredict, "[1.0]", {}, 400, "Is not object"},
      {"BothInstancesAndInputs",
       "POST",
       kPredict,
       R"({"instances": [1.0], "inputs": [1.0]})",
       {},
       400,
       "expecting only one of 'inputs' or 'instances'"},
      {"NoInstancesNorInputs",
       "POST",
       kPredict,
       R"({"x": [1.0]})",
       {},
       400,
       "Missing 'inputs' or 'instances' key"},
      {"InstancesNotAList",
       "POST",
       kPredict,
       R"({"instances": 1.0})",
       {},
       400,
       "to be an list/array"},
      {"InstancesEmpty",
       "POST",
       kPredict,
       R"({"instances": []})",
       {},
       400,
       "No values in 'instances' array"},
      {"RaggedInstances",
       "POST",
       kPredict,
       R"({"instances": [[1.0], [1.0, 2.0]]})",
       {},
       400,
       "Expecting tensor size: 1 but got: 2"},
      {"RaggedInsideOneInstance",
       "POST",
       kPredict,
       R"({"instances": [[[1.0], [1.0, 2.0]]]})",
       {},
       400,
       "Encountered list at unexpected size: 2 at level: 1 expected size: 1"},
      {"RaggedColumnar",
       "POST",
       kPredict,
       R"({"inputs": [[1.0], [1.0, 2.0]]})",
       {},
       400,
       "Encountered list at unexpected size"},
      {"StringForFloat",
       "POST",
       kPredict,
       R"({"instances": ["a"]})",
       {},
       400,
       "is not of expected type: float"},
      {"LossyFloat",
       "POST",
       kPredict,
       R"({"instances": [1e40]})",
       {},
       400,
       "without loss of precision"},
      {"UnknownAliasInInstances",
       "POST",
       kPredict,
       R"({"instances": [{"z": 1.0}]})",
       {},
       400,
       "does not have named input: z"},
      {"UnknownAliasInInputs",
       "POST",
       kPredict,
       R"({"inputs": {"x": [1.0], "z": [1.0]}})",
       {},
       400,
       "not an input of the signature"},
      {"UnknownSignature",
       "POST",
       kPredict,
       R"({"signature_name": "nope", "instances": [1.0]})",
       {},
       400,
       "Serving signature name: \\\"nope\\\" not found in signature def"},
      {"SignatureNameNotAString",
       "POST",
       kPredict,
       R"({"signature_name": 1, "instances": [1.0]})",
       {},
       400,
       "'signature_name' key must be a string value"},
      {"NestedHundredThousandDeep",
       "POST",
       kPredict,
       Nested(100000),
       {},
       400,
       "nesting deeper than 260 levels"},
      {"NestedJustPastTheLimit",
       "POST",
       kPredict,
       Nested(261),
       {},
       400,
       "nesting deeper than 260 levels"},
      {"NestedDeepWithNanToken",
       "POST",
       kPredict,
       absl::StrCat(R"({"x": NaN, "instances": )", std::string(100000, '['),
                    "1.0", std::string(100000, ']'), "}"),
       {},
       400,
       "nesting deeper than 260 levels"},
      {"DeclaredOneGigabyteBody",
       "POST",
       kPredict,
       "{}",
       {{"Content-Length", "1073741824"}},
       413,
       "larger than the limit"},
      {"CorruptGzip",
       "POST",
       kPredict,
       "not gzip at all",
       {{"Content-Encoding", "gzip"}},
       400,
       "not gzip data"},
      {"TruncatedGzip",
       "POST",
       kPredict,
       testing::Gzip(R"({"instances": [2.0]})").substr(0, 12),
       {{"Content-Encoding", "gzip"}},
       400,
       "gzip"},
      {"UnsupportedEncoding",
       "POST",
       kPredict,
       R"({"instances": [2.0]})",
       {{"Content-Encoding", "br"}},
       415,
       "Content-Encoding br"},
      {"UnknownModel",
       "POST",
       "/v1/models/nope:predict",
       R"({"instances": [2.0]})",
       {},
       404,
       "Latest(nope)"},
      {"UnknownVersion",
       "POST",
       "/v1/models/default/versions/7:predict",
       R"({"instances": [2.0]})",
       {},
       404,
       "Specific(default, 7)"},
      {"UnknownLabel",
       "POST",
       "/v1/models/default/labels/canary:predict",
       R"({"instances": [2.0]})",
       {},
       400,
       "Unrecognized servable version label: canary"},
      {"VersionOverflow",
       "POST",
       "/v1/models/default/versions/99999999999999999999:predict",
       R"({"instances": [2.0]})",
       {},
       400,
       "Failed to convert version"},
      {"UnknownVerb",
       "POST",
       "/v1/models/default:explode",
       R"({"instances": [2.0]})",
       {},
       400,
       "Malformed request: POST"},
      {"GetOnPredict", "GET", kPredict, "", {}, 400, "Malformed request: GET"},
      {"PutMethod",
       "PUT",
       kPredict,
       R"({"instances": [2.0]})",
       {},
       400,
       "Malformed request: PUT"},
      {"OutsideTheApi", "GET", "/v2/nothing", "", {}, 404, "No handler"},
      {"ClassifyWithoutExamples",
       "POST",
       c,
       R"({"signature_name": "classify_x_to_y"})",
       {},
       400,
       "key 'examples' is expected"},
      {"ClassifyEmptyExamples",
       "POST",
       c,
       R"({"examples": []})",
       {},
       400,
       "'examples' value is an empty array"},
      {"ClassifyExampleNotAnObject",
       "POST",
       c,
       R"({"examples": [1.0]})",
       {},
       400,
       "Example must be JSON object"},
      {"RegressMixedFeatureKinds",
       "POST",
       r,
       R"({"signature_name": "regress_x_to_y", "examples": [{"x": [1, 2.5]}]})",
       {},
       400,
       "Unexpected element type in feature: x"},
      {"RegressNullFeature",
       "POST",
       r,
       R"({"signature_name": "regress_x_to_y", "examples": [{"x": null}]})",
       {},
       400,
       "unexpected JSON type: Null"},
      {"RegressOnPredictSignature",
       "POST",
       r,
       R"({"examples": [{"x": 1.0}]})",
       {},
       400,
       "serving_default"},
  };
}

TEST_F(RestApi, BadRequestsAnswer4xxAndTheServerKeepsServing) {
  const std::vector<BadRequest> cases = BadRequests();
  ASSERT_GE(cases.size(), 25u);
  for (const BadRequest& bad : cases) {
    SCOPED_TRACE(bad.name);
    HttpResult r = Call(bad.method, bad.path, bad.body, bad.headers);
    EXPECT_EQ(r.status, bad.status) << r.body;
    EXPECT_THAT(r.body, HasSubstr(bad.error));
    EXPECT_THAT(r.body, StartsWith("{\n    \"error\": \""));
  }
  EXPECT_TRUE(daemon_->running());
  HttpResult good = Call("POST", kPredict, R"({"instances": [2.0, 3.0, 4.0]})");
  EXPECT_EQ(good.status, 200);
  EXPECT_EQ(good.body, "{\n    \"predictions\": [3.0, 3.5, 4.0\n    ]\n}");
}

TEST_F(RestApi, GarbageOnTheWireIsRefusedAndTheServerKeepsServing) {
  absl::StatusOr<HttpResult> garbage =
      testing::HttpRaw(daemon_->rest_port(), "\x01\x02 nonsense\r\n\r\n");
  ASSERT_TRUE(garbage.ok()) << garbage.status();
  EXPECT_GE(garbage->status, 400);
  EXPECT_LT(garbage->status, 500);
  HttpResult good = Call("POST", kPredict, R"({"instances": [2.0]})");
  EXPECT_EQ(good.status, 200);
}

TEST(RestApiCors, AnswersPreflightAndAddsHeadersWhenEnabled) {
  const std::string path = testing::SharedModelPath("tfs_half_plus_two_cpu");
  if (path.empty()) GTEST_SKIP() << "../shared/models is absent";
  DaemonOptions options;
  options.model_base_path = path;
  options.rest_api = true;
  options.extra_flags = {"--rest_api_enable_cors_support"};
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto preflight = HttpCall((*daemon)->rest_port(), "OPTIONS", kPredict);
  ASSERT_TRUE(preflight.ok()) << preflight.status();
  EXPECT_EQ(preflight->status, 204);
  EXPECT_EQ(preflight->headers["access-control-allow-origin"], "*");
  auto predict = HttpCall((*daemon)->rest_port(), "POST", kPredict,
                          R"({"instances": [2.0]})");
  ASSERT_TRUE(predict.ok()) << predict.status();
  EXPECT_EQ(predict->status, 200);
  EXPECT_EQ(predict->headers["access-control-allow-methods"], "POST, GET");
  EXPECT_EQ(predict->headers["access-control-allow-headers"], "Content-Type");
  auto code = (*daemon)->Stop();
  EXPECT_TRUE(code.ok() && *code == 0);
}

}  // namespace
}  // namespace model_server
