// The command line: TF Serving's flag names and defaults, our parser's
// errors, and the daemon binary's --help / --version / bad-flag exits.
#include "daemon/flags.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

FlagParseResult Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "model_server");
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  return ParseDaemonFlags(static_cast<int>(argv.size()), argv.data());
}

TEST(DaemonFlags, DefaultsAreTfServings) {
  const FlagParseResult parsed = Parse({"--model_base_path=/m"});
  ASSERT_EQ(parsed.error, "");
  const DaemonFlags& flags = parsed.flags;
  EXPECT_EQ(flags.port, 8500);
  EXPECT_EQ(flags.grpc_socket_path, "");
  EXPECT_EQ(flags.model_name, "default");
  EXPECT_EQ(flags.model_base_path, "/m");
  EXPECT_EQ(flags.saved_model_tags, "serve");
  EXPECT_EQ(flags.file_system_poll_wait_seconds, 1);
  EXPECT_EQ(flags.max_num_load_retries, 5);
  EXPECT_EQ(flags.load_retry_interval_micros, 60000000);
  EXPECT_FALSE(flags.enable_signature_method_name_check);
  EXPECT_FALSE(flags.version);
  EXPECT_FALSE(flags.help);
}

TEST(DaemonFlags, ParsesEveryFlag) {
  const FlagParseResult parsed =
      Parse({"--port=9000", "--grpc_socket_path=/run/s.sock", "--model_name=m",
             "--model_base_path=/models/m", "--saved_model_tags=serve,gpu",
             "--file_system_poll_wait_seconds=0", "--max_num_load_retries=2",
             "--load_retry_interval_micros=5000000000",
             "--enable_signature_method_name_check=true"});
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.flags.port, 9000);
  EXPECT_EQ(parsed.flags.grpc_socket_path, "/run/s.sock");
  EXPECT_EQ(parsed.flags.model_name, "m");
  EXPECT_EQ(parsed.flags.model_base_path, "/models/m");
  EXPECT_EQ(ParseSavedModelTags(parsed.flags.saved_model_tags),
            (std::set<std::string>{"gpu", "serve"}));
  EXPECT_EQ(parsed.flags.file_system_poll_wait_seconds, 0);
  EXPECT_EQ(parsed.flags.max_num_load_retries, 2);
  EXPECT_EQ(parsed.flags.load_retry_interval_micros, 5000000000);
  EXPECT_TRUE(parsed.flags.enable_signature_method_name_check);
}

TEST(DaemonFlags, BoolFlagsMayBeBareOrExplicit) {
  EXPECT_TRUE(Parse({"--version"}).flags.version);
  EXPECT_TRUE(Parse({"--help=true"}).flags.help);
  const FlagParseResult off = Parse({"--model_base_path=/m", "--help=false"});
  EXPECT_EQ(off.error, "");
  EXPECT_FALSE(off.flags.help);
  EXPECT_EQ(Parse({"--help=yes"}).exit_code, kExitBadFlags);
}

TEST(DaemonFlags, UnknownFlagIsAnErrorWithExitCode1) {
  const FlagParseResult parsed =
      Parse({"--model_base_path=/m", "--platform_config_file=p"});
  EXPECT_THAT(parsed.error, HasSubstr("--platform_config_file=p"));
  EXPECT_EQ(parsed.exit_code, kExitUsage);
  EXPECT_EQ(Parse({"--model_base_path=/m", "positional"}).exit_code,
            kExitUsage);
}

TEST(DaemonFlags, RestApiFlagsHaveTfServingDefaults) {
  const FlagParseResult parsed = Parse({"--model_base_path=/m"});
  EXPECT_EQ(parsed.flags.rest_api_port, 0);
  EXPECT_EQ(parsed.flags.rest_api_timeout_in_ms, 30000);
  EXPECT_FALSE(parsed.flags.rest_api_enable_cors_support);
  EXPECT_GE(RestApiThreads(parsed.flags), 4);
  const FlagParseResult set =
      Parse({"--model_base_path=/m", "--rest_api_port=8501",
             "--rest_api_num_threads=3", "--rest_api_enable_cors_support"});
  EXPECT_EQ(set.error, "");
  EXPECT_EQ(set.flags.rest_api_port, 8501);
  EXPECT_EQ(RestApiThreads(set.flags), 3);
  EXPECT_TRUE(set.flags.rest_api_enable_cors_support);
}

TEST(DaemonFlags, RestApiPortMustDifferFromPort) {
  const FlagParseResult same =
      Parse({"--model_base_path=/m", "--port=8500", "--rest_api_port=8500"});
  EXPECT_EQ(same.exit_code, kExitBadFlags);
  EXPECT_THAT(same.error, HasSubstr("--rest_api_port cannot be the same"));
  EXPECT_EQ(Parse({"--model_base_path=/m", "--rest_api_port=70000"}).exit_code,
            kExitBadFlags);
}

TEST(DaemonFlags, BadValuesFailAsTfServingDoes) {
  for (const char* bad : {"--port=abc", "--port=99999999999", "--port=",
                          "--load_retry_interval_micros=1.5", "--port"}) {
    const FlagParseResult parsed = Parse({"--model_base_path=/m", bad});
    EXPECT_NE(parsed.error, "") << bad;
    EXPECT_EQ(parsed.exit_code, kExitBadFlags) << bad;
  }
  EXPECT_THAT(Parse({"--model_base_path=/m", "--port=abc"}).error,
              HasSubstr("Couldn't interpret value abc for flag port"));
  EXPECT_EQ(Parse({"--model_base_path=/m", "--port=70000"}).exit_code,
            kExitBadFlags);
}

TEST(DaemonFlags, ModelBasePathIsRequired) {
  const FlagParseResult parsed = Parse({"--model_name=m"});
  EXPECT_THAT(parsed.error, HasSubstr("--model_base_path is required"));
  EXPECT_EQ(parsed.exit_code, kExitBadFlags);
}

TEST(DaemonFlags, NeedsSomethingToListenOn) {
  EXPECT_EQ(Parse({"--model_base_path=/m", "--port=0"}).exit_code,
            kExitBadFlags);
  EXPECT_EQ(
      Parse({"--model_base_path=/m", "--port=0", "--grpc_socket_path=/tmp/s"})
          .error,
      "");
}

TEST(DaemonFlags, RequestLimitsHaveSaneDefaultsAndMustBePositive) {
  const DaemonFlags defaults = Parse({"--model_base_path=/m"}).flags;
  EXPECT_EQ(defaults.max_request_bytes, int64_t{256} << 20);
  EXPECT_EQ(defaults.max_tensor_elements, int64_t{1} << 28);
  EXPECT_EQ(defaults.max_request_tensor_bytes, int64_t{1} << 30);
  const FlagParseResult parsed =
      Parse({"--model_base_path=/m", "--max_request_bytes=1000",
             "--max_tensor_elements=5", "--max_request_tensor_bytes=7"});
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.flags.max_request_bytes, 1000);
  EXPECT_EQ(parsed.flags.max_tensor_elements, 5);
  EXPECT_EQ(parsed.flags.max_request_tensor_bytes, 7);
  for (const char* bad :
       {"--max_request_bytes=0", "--max_request_bytes=2147483648",
        "--max_tensor_elements=0", "--max_request_tensor_bytes=-1"}) {
    const FlagParseResult failed = Parse({"--model_base_path=/m", bad});
    EXPECT_THAT(failed.error, HasSubstr("must be")) << bad;
    EXPECT_EQ(failed.exit_code, kExitBadFlags) << bad;
  }
  const std::string usage = DaemonUsage("model_server");
  EXPECT_THAT(usage, HasSubstr("--max_request_bytes=268435456"));
  EXPECT_THAT(usage, HasSubstr("--max_tensor_elements=268435456"));
  EXPECT_THAT(usage, HasSubstr("--max_request_tensor_bytes=1073741824"));
}

TEST(DaemonFlags, UsageListsEveryFlagWithDefaultTypeAndHelp) {
  const std::string usage = DaemonUsage("model_server");
  EXPECT_THAT(usage, HasSubstr("usage: model_server\nFlags:\n"));
  EXPECT_THAT(usage, HasSubstr("--port=8500"));
  EXPECT_THAT(usage, HasSubstr("\tint32\tTCP port to listen on"));
  EXPECT_THAT(usage, HasSubstr("--model_name=\"default\""));
  EXPECT_THAT(usage, HasSubstr("--saved_model_tags=\"serve\""));
  EXPECT_THAT(usage, HasSubstr("--load_retry_interval_micros=60000000"));
  EXPECT_THAT(usage, HasSubstr("\tint64\t"));
  EXPECT_THAT(usage, HasSubstr("--version=false"));
  for (const char* name :
       {"port", "grpc_socket_path", "model_name", "model_base_path",
        "saved_model_tags", "file_system_poll_wait_seconds",
        "max_num_load_retries", "load_retry_interval_micros",
        "enable_signature_method_name_check", "version", "help"}) {
    EXPECT_THAT(usage, HasSubstr(std::string("\t--") + name + "=")) << name;
  }
}

class DaemonCommandLine : public ::testing::Test {
 protected:
  absl::StatusOr<testing::DaemonRun> Run(const std::vector<std::string>& args) {
    return testing::RunDaemonToExit(args);
  }
};

TEST_F(DaemonCommandLine, VersionPrintsAndExits0) {
  auto run = Run({"--version"});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 0) << run->stderr_text;
  EXPECT_THAT(run->stdout_text, HasSubstr("model_server "));
}

TEST_F(DaemonCommandLine, HelpPrintsUsageAndExits0) {
  auto run = Run({"--help"});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 0) << run->stderr_text;
  EXPECT_THAT(run->stdout_text, HasSubstr("--model_base_path=\"\""));
  EXPECT_THAT(run->stdout_text, HasSubstr("--port=8500"));
}

TEST_F(DaemonCommandLine, MissingModelBasePathFailsWithUsage) {
  auto run = Run({"--model_name=m"});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, kExitBadFlags);
  EXPECT_THAT(run->stderr_text, HasSubstr("--model_base_path is required"));
  EXPECT_THAT(run->stderr_text, HasSubstr("usage:"));
}

TEST_F(DaemonCommandLine, UnknownFlagFailsWithUsage) {
  auto run = Run({"--model_base_path=/nonexistent", "--platform_config_file=p"});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, kExitUsage);
  EXPECT_THAT(run->stderr_text, HasSubstr("unknown flag: --platform_config_file=p"));
  EXPECT_THAT(run->stderr_text, HasSubstr("usage:"));
}

}  // namespace
}  // namespace model_server
