// The REST API on a server with several models, versions and labels
// (--model_config_file): /versions/N and /labels/L reach the version the
// ModelManager resolves, with TF Serving's errors, and GET /v1/models lists
// every model with its versions and labels.
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/http_client.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using testing::HttpCall;

TEST(RestApiModels, VersionsAndLabelsRouteThroughTheModelManager) {
  const std::string two_versions =
      testing::SharedModelPath("tfs_half_plus_two_2_versions");
  const std::string half_plus_three =
      testing::SharedModelPath("tfs_half_plus_three");
  if (two_versions.empty() || half_plus_three.empty()) {
    GTEST_SKIP() << "../shared/models is absent: REST multi-model test skipped";
  }
  auto scratch = testing::TempDirectory::Create();
  ASSERT_TRUE(scratch.ok()) << scratch.status();
  const std::string config = (*scratch)->path() + "/models.config";
  {
    std::ofstream out(config);
    out << "model_config_list {\n"
        << "  config { name: \"hp2\" base_path: \"" << two_versions
        << "\" model_platform: \"tensorflow\"\n"
        << "    model_version_policy { all {} }\n"
        << "    version_labels { key: \"stable\" value: 123 }\n"
        << "    version_labels { key: \"canary\" value: 124 } }\n"
        << "  config { name: \"hp3\" base_path: \"" << half_plus_three
        << "\" model_platform: \"tensorflow\" }\n"
        << "}\n";
  }
  testing::DaemonOptions options;
  options.model_name = "hp2";  // what the start waits for
  options.rest_api = true;
  options.extra_flags = {"--model_config_file=" + config,
                         "--allow_version_labels_for_unavailable_models"};
  auto daemon = testing::DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  const int port = (*daemon)->rest_port();
  auto predict = [&](const std::string& path) {
    auto r = HttpCall(port, "POST", path, R"({"instances": [2.0]})");
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : testing::HttpResult();
  };
  // Both versions of hp2 compute 0.5 x + 2; hp3 computes 0.5 x + 3.
  EXPECT_EQ(predict("/v1/models/hp2/labels/stable:predict").status, 200);
  EXPECT_EQ(predict("/v1/models/hp2/labels/canary:predict").status, 200);
  EXPECT_EQ(predict("/v1/models/hp2/versions/123:predict").body,
            "{\n    \"predictions\": [3.0\n    ]\n}");
  EXPECT_EQ(predict("/v1/models/hp3:predict").body,
            "{\n    \"predictions\": [4.0\n    ]\n}");
  const testing::HttpResult unknown_label =
      predict("/v1/models/hp2/labels/beta:predict");
  EXPECT_EQ(unknown_label.status, 400);
  EXPECT_THAT(unknown_label.body,
              HasSubstr("Unrecognized servable version label: beta"));
  EXPECT_EQ(predict("/v1/models/hp3/versions/9:predict").status, 404);

  auto status = HttpCall(port, "GET", "/v1/models/hp2/labels/canary");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->status, 200);
  auto metadata =
      HttpCall(port, "GET", "/v1/models/hp2/labels/canary/metadata");
  ASSERT_TRUE(metadata.ok());
  EXPECT_THAT(metadata->body, HasSubstr("\"version\": \"124\""));

  auto list = HttpCall(port, "GET", "/v1/models");
  ASSERT_TRUE(list.ok());
  rapidjson::Document document;
  document.Parse(list->body.c_str());
  ASSERT_FALSE(document.HasParseError()) << list->body;
  ASSERT_EQ(document["models"].Size(), 2u);
  const rapidjson::Value& hp2 = document["models"][0];
  EXPECT_STREQ(hp2["name"].GetString(), "hp2");
  EXPECT_EQ(hp2["model_version_status"].Size(), 2u);
  EXPECT_STREQ(hp2["labels"]["canary"].GetString(), "124");
  EXPECT_STREQ(document["models"][1]["name"].GetString(), "hp3");

  auto exit_code = (*daemon)->Stop();
  ASSERT_TRUE(exit_code.ok());
  EXPECT_EQ(*exit_code, 0);
}

}  // namespace
}  // namespace model_server
