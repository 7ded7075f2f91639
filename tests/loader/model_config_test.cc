// ModelConfigsFromProto: TF Serving's validation of a ModelConfigList and
// its error texts.
#include "loader/model_config.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;

tfs::ModelConfigList List(const std::string& text) {
  tfs::ModelConfigList list;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &list))
      << text;
  return list;
}

absl::Status ErrorOf(const std::string& text) {
  return ModelConfigsFromProto(List(text)).status();
}

TEST(ModelConfig, ConvertsNamesPathsPoliciesAndLabels) {
  auto models = ModelConfigsFromProto(List(R"pb(
    config { name: "a" base_path: "/models/a" model_platform: "tensorflow" }
    config {
      name: "b"
      base_path: "/models/b"
      model_platform: "tensorflow"
      model_version_policy { specific { versions: 124 versions: 123 } }
      version_labels { key: "stable" value: 123 }
      version_labels { key: "canary" value: 124 }
    }
    config {
      name: "c"
      base_path: "/models/c"
      model_platform: "tensorflow"
      model_version_policy { all {} }
    }
    config {
      name: "d"
      base_path: "/models/d"
      model_platform: "tensorflow"
      model_version_policy { latest { num_versions: 3 } }
    }
  )pb"));
  ASSERT_TRUE(models.ok()) << models.status();
  ASSERT_EQ(models->size(), 4u);
  EXPECT_EQ((*models)[0].name, "a");
  EXPECT_EQ((*models)[0].base_path, "/models/a");
  EXPECT_EQ((*models)[0].version_policy, VersionPolicy::Latest(1));
  EXPECT_EQ((*models)[1].version_policy, VersionPolicy::Specific({123, 124}));
  EXPECT_EQ((*models)[1].version_labels,
            (std::map<std::string, int64_t>{{"canary", 124}, {"stable", 123}}));
  EXPECT_EQ((*models)[2].version_policy, VersionPolicy::All());
  EXPECT_EQ((*models)[3].version_policy, VersionPolicy::Latest(3));
}

TEST(ModelConfig, DuplicateNameIsRefusedWithTfServingText) {
  absl::Status status = ErrorOf(R"pb(
    config { name: "a" base_path: "/x" model_platform: "tensorflow" }
    config { name: "a" base_path: "/y" model_platform: "tensorflow" }
  )pb");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "Illegal to list model a multiple times in config list");
}

TEST(ModelConfig, RelativeBasePathIsRefusedWithTfServingText) {
  absl::Status status = ErrorOf(R"pb(
    config { name: "a" base_path: "models/a" model_platform: "tensorflow" }
  )pb");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "Expected model a to have an absolute path or URI; got "
            "base_path()=models/a");
  EXPECT_TRUE(ModelConfigsFromProto(List(R"pb(
                config {
                  name: "a"
                  base_path: "gs://bucket/a"
                  model_platform: "tensorflow"
                }
              )pb"))
                  .ok());
}

TEST(ModelConfig, PlatformErrorsUseTfServingTexts) {
  EXPECT_EQ(ErrorOf(R"pb(config { name: "a" base_path: "/a" })pb").message(),
            "Illegal setting neither ModelServerConfig::model_type "
            "(deprecated) nor ModelServerConfig::model_platform.");
  EXPECT_EQ(
      ErrorOf(R"pb(config {
                     name: "a"
                     base_path: "/a"
                     model_platform: "tensorflow"
                     model_type: TENSORFLOW
                   })pb")
          .message(),
      "Illegal setting both ModelServerConfig::model_type (deprecated) and "
      "ModelServerConfig::model_platform.");
  EXPECT_EQ(ErrorOf(R"pb(config {
                           name: "a"
                           base_path: "/a"
                           model_platform: "pytorch"
                         })pb")
                .message(),
            "Model a requests unsupported platform pytorch");
  EXPECT_EQ(
      ErrorOf(R"pb(config { name: "a" base_path: "/a" model_type: OTHER })pb")
          .message(),
      "ModelServerConfig::model_type choice 2 not supported.");
  // The deprecated model_type TENSORFLOW alone is accepted.
  EXPECT_TRUE(ModelConfigsFromProto(List(R"pb(config {
                                                name: "a"
                                                base_path: "/a"
                                                model_type: TENSORFLOW
                                              })pb"))
                  .ok());
}

TEST(ModelConfig, EmptyNameIsRefused) {
  absl::Status status =
      ErrorOf(R"pb(config { base_path: "/a" model_platform: "tensorflow" })pb");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("no name"));
}

TEST(ModelConfig, EmptyListServesNothing) {
  auto models = ModelConfigsFromProto(tfs::ModelConfigList());
  ASSERT_TRUE(models.ok());
  EXPECT_TRUE(models->empty());
}

}  // namespace
}  // namespace model_server
