// --model_config_file contents: text-format parsing with TF Serving's error
// text, and what a ModelServerConfig asks to serve; --grpc_channel_arguments.
#include "daemon/model_config_file.h"

#include <fstream>

#include "daemon/grpc_channel_arguments.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/scoped_temp_dir.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

TEST(ModelConfigFile, ParsesTextFormat) {
  auto config = ParseModelServerConfig(R"(
    model_config_list {
      config { name: "a" base_path: "/models/a" model_platform: "tensorflow" }
    })",
                                       "test");
  ASSERT_TRUE(config.ok()) << config.status();
  auto models = ModelsToServe(*config);
  ASSERT_TRUE(models.ok()) << models.status();
  ASSERT_TRUE(models->has_value());
  ASSERT_EQ((*models)->size(), 1u);
  EXPECT_EQ((**models)[0].name, "a");
}

TEST(ModelConfigFile, ParseErrorUsesTfServingTextWithLineAndFile) {
  auto config = ParseModelServerConfig(
      "model_config_list {\n  config { name: \"a\" bogus: 1 }\n}\n",
      "/etc/models.config");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(config.status().message(),
              HasSubstr("Error parsing text-format "
                        "tensorflow.serving.ModelServerConfig: 2:"));
  EXPECT_THAT(config.status().message(), HasSubstr("bogus"));
  EXPECT_THAT(config.status().message(), HasSubstr("/etc/models.config"));
}

TEST(ModelConfigFile, EmptyConfigAsksForNothing) {
  auto models = ModelsToServe(tensorflow::serving::ModelServerConfig());
  ASSERT_TRUE(models.ok());
  EXPECT_FALSE(models->has_value());
}

TEST(ModelConfigFile, CustomModelConfigIsRefused) {
  tensorflow::serving::ModelServerConfig config;
  config.mutable_custom_model_config();
  EXPECT_EQ(ModelsToServe(config).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ModelConfigFile, ReadsAFileAndReportsAMissingOne) {
  ScopedTempDir dir;
  std::ofstream(dir.Child("models.config"))
      << "model_config_list { config { name: \"a\" base_path: \"/a\" "
         "model_platform: \"tensorflow\" } }";
  auto config = ReadModelConfigFile(dir.Child("models.config"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->model_config_list().config(0).name(), "a");
  EXPECT_EQ(ReadModelConfigFile(dir.Child("missing")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadModelConfigFile(dir.path()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(GrpcChannelArguments, IntegersAndStringsAsTfServingParsesThem) {
  auto arguments = ParseGrpcChannelArguments(
      "grpc.max_connection_age_ms=2000,grpc.lb_policy_name=grpclb,");
  ASSERT_TRUE(arguments.ok()) << arguments.status();
  ASSERT_EQ(arguments->size(), 2u);
  EXPECT_EQ((*arguments)[0].key, "grpc.max_connection_age_ms");
  EXPECT_EQ(std::get<int32_t>((*arguments)[0].value), 2000);
  EXPECT_EQ((*arguments)[1].key, "grpc.lb_policy_name");
  EXPECT_EQ(std::get<std::string>((*arguments)[1].value), "grpclb");
  EXPECT_TRUE(ParseGrpcChannelArguments("")->empty());
  EXPECT_EQ(
      std::get<std::string>(ParseGrpcChannelArguments("k=a=b")->front().value),
      "a=b");
}

TEST(GrpcChannelArguments, PieceWithoutKeyValueIsAnError) {
  for (const char* bad : {"grpc.max_connection_age_ms", "=5", "a=1,b"}) {
    auto arguments = ParseGrpcChannelArguments(bad);
    EXPECT_EQ(arguments.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_THAT(arguments.status().message(), HasSubstr("not key=value"));
  }
}

}  // namespace
}  // namespace model_server
