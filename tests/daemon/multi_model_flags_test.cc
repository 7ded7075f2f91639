// The flags of many-model serving: TF Serving's names and defaults, and our
// checks of their values.
#include <string>
#include <vector>

#include "daemon/flags.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

FlagParseResult Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "model_server");
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  return ParseDaemonFlags(static_cast<int>(argv.size()), argv.data());
}

TEST(MultiModelFlags, DefaultsAreTfServings) {
  const DaemonFlags flags = Parse({"--model_base_path=/m"}).flags;
  EXPECT_EQ(flags.model_config_file, "");
  EXPECT_EQ(flags.model_config_file_poll_wait_seconds, 0);
  EXPECT_EQ(flags.num_load_threads, 0);
  EXPECT_EQ(flags.num_unload_threads, 0);
  EXPECT_FALSE(flags.allow_version_labels_for_unavailable_models);
  EXPECT_TRUE(flags.enable_model_warmup);
  EXPECT_EQ(flags.num_request_iterations_for_warmup, 0);
  EXPECT_EQ(flags.grpc_channel_arguments, "");
}

TEST(MultiModelFlags, ParsesEveryFlag) {
  const FlagParseResult parsed = Parse(
      {"--model_config_file=/etc/models.config",
       "--model_config_file_poll_wait_seconds=5", "--num_load_threads=2",
       "--num_unload_threads=3",
       "--allow_version_labels_for_unavailable_models",
       "--enable_model_warmup=false", "--num_request_iterations_for_warmup=4",
       "--grpc_channel_arguments=grpc.max_connection_age_ms=2000"});
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.flags.model_config_file, "/etc/models.config");
  EXPECT_EQ(parsed.flags.model_config_file_poll_wait_seconds, 5);
  EXPECT_EQ(parsed.flags.num_load_threads, 2);
  EXPECT_EQ(parsed.flags.num_unload_threads, 3);
  EXPECT_TRUE(parsed.flags.allow_version_labels_for_unavailable_models);
  EXPECT_FALSE(parsed.flags.enable_model_warmup);
  EXPECT_EQ(parsed.flags.num_request_iterations_for_warmup, 4);
  EXPECT_EQ(parsed.flags.grpc_channel_arguments,
            "grpc.max_connection_age_ms=2000");
}

TEST(MultiModelFlags, ConfigFileReplacesModelBasePath) {
  EXPECT_EQ(Parse({"--model_config_file=/etc/models.config"}).error, "");
  EXPECT_THAT(Parse({"--model_name=m"}).error,
              HasSubstr("--model_base_path is required"));
}

TEST(MultiModelFlags, BadValuesExitWith255) {
  for (const char* bad :
       {"--num_load_threads=-1", "--num_unload_threads=-2",
        "--grpc_channel_arguments=grpc.max_connection_age_ms"}) {
    const FlagParseResult parsed = Parse({"--model_base_path=/m", bad});
    EXPECT_NE(parsed.error, "") << bad;
    EXPECT_EQ(parsed.exit_code, kExitBadFlags) << bad;
  }
}

TEST(MultiModelFlags, UsageListsThem) {
  const std::string usage = DaemonUsage("model_server");
  for (const char* name :
       {"model_config_file", "model_config_file_poll_wait_seconds",
        "num_load_threads", "num_unload_threads",
        "allow_version_labels_for_unavailable_models", "enable_model_warmup",
        "num_request_iterations_for_warmup", "grpc_channel_arguments"}) {
    EXPECT_THAT(usage, HasSubstr(std::string("\t--") + name + "=")) << name;
  }
}

}  // namespace
}  // namespace model_server
