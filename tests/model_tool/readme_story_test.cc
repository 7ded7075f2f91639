// Runs the README's walk-through (between <!-- story:begin --> and
// <!-- story:end -->) command by command, in a temporary directory instead
// of /tmp/story: write a training checkpoint, inspect it, freeze it, run
// the frozen graph; the model_server line is started as a test daemon on a
// free loopback port, and Predict must answer what the README says.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace {

// The story's commands, continuation lines joined, comments dropped.
std::vector<std::string> StoryCommands() {
  std::ifstream file(testing::SourceDir() + "/README.md");
  std::stringstream text;
  text << file.rdbuf();
  const std::string readme = text.str();
  size_t begin = readme.find("<!-- story:begin -->");
  size_t end = readme.find("<!-- story:end -->");
  if (begin == std::string::npos || end == std::string::npos) return {};
  std::vector<std::string> commands;
  std::string pending;
  for (absl::string_view line :
       absl::StrSplit(readme.substr(begin, end - begin), '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#' || absl::StartsWith(line, "```") ||
        absl::StartsWith(line, "<!--")) {
      continue;
    }
    if (absl::ConsumeSuffix(&line, "\\")) {
      pending += std::string(line) + " ";
      continue;
    }
    commands.push_back(pending + std::string(line));
    pending.clear();
  }
  return commands;
}

std::string FlagValue(const std::string& command, const std::string& flag) {
  size_t at = command.find("--" + flag + "=");
  if (at == std::string::npos) return "";
  at += flag.size() + 3;
  return command.substr(at, command.find(' ', at) - at);
}

TEST(ReadmeStory, CheckpointToServedFrozenGraph) {
  std::vector<std::string> commands = StoryCommands();
  ASSERT_EQ(commands.size(), 6u) << "README.md's story block changed shape";
  ScopedTempDir dir;
  const std::string path = testing::BinaryDir() +
                           "/tools:" + testing::BinaryDir() +
                           "/model_tool:/usr/bin:/bin";
  for (std::string command : commands) {
    command = absl::StrReplaceAll(command, {{"/tmp/story", dir.path()}});
    if (absl::StartsWith(command, "model_server ")) {
      testing::DaemonOptions options;
      options.model_name = FlagValue(command, "model_name");
      options.model_base_path = FlagValue(command, "model_base_path");
      auto daemon = testing::DaemonProcess::Start(options);
      ASSERT_TRUE(daemon.ok()) << daemon.status();
      auto request = testing::MakePredictRequest(options.model_name);
      (*request.mutable_inputs())["x"] =
          testing::FloatTensorProto({1, 2, 5}, {3, 1});
      tensorflow::serving::PredictResponse response;
      grpc::Status status =
          testing::CallPredict((*daemon)->prediction(), request, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(testing::FloatValues(response.outputs().at("y")),
                (std::vector<float>{2.5f, 3.0f, 4.5f}));
      EXPECT_EQ((*daemon)->Stop().value_or(-1), 0);
      continue;
    }
    auto run = testing::RunProgramToExit(
        {"/usr/bin/env", "PATH=" + path, "/bin/sh", "-c", command});
    ASSERT_TRUE(run.ok()) << run.status();
    ASSERT_EQ(run->exit_code, 0) << command << "\n" << run->stderr_text;
    if (absl::StartsWith(command, "model_tool show")) {
      EXPECT_TRUE(absl::StrContains(run->stdout_text, "Variables: 2"))
          << run->stdout_text;
    }
    if (absl::StartsWith(command, "model_tool run")) {
      EXPECT_EQ(run->stdout_text,
                "Result for output key y:\n[[2.5]\n [3. ]\n [4.5]]\n");
    }
  }
}

}  // namespace
}  // namespace model_server
