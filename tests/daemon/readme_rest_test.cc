// The README's REST examples, run verbatim: every ```sh block between the
// rest-examples markers is one curl command line, followed by a ```json
// block with what it prints. The command runs through /bin/sh exactly as
// written (localhost:8501); a .curlrc in CURL_HOME points curl's
// "localhost:8501" at the test daemon's port (--connect-to), so the README
// text itself is never rewritten. An expected block ending in a "..." line
// is compared up to that line.
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/test_paths.h"
#include "tools/example_model.h"

namespace model_server {
namespace {

struct CurlExample {
  std::string command;
  std::string expected;
  bool prefix_only = false;
};

std::vector<CurlExample> ReadmeExamples() {
  std::ifstream in(testing::SourceDir() + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const size_t begin = readme.find("<!-- rest-examples-begin -->");
  const size_t end = readme.find("<!-- rest-examples-end -->");
  std::vector<CurlExample> examples;
  if (begin == std::string::npos || end == std::string::npos) return examples;
  std::vector<std::string> lines =
      absl::StrSplit(readme.substr(begin, end - begin), '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != "```sh") continue;
    CurlExample example;
    example.command = lines[++i];
    while (i < lines.size() && lines[i] != "```json") ++i;
    for (++i; i < lines.size() && lines[i] != "```"; ++i) {
      if (lines[i] == "...") {
        example.prefix_only = true;
        continue;
      }
      absl::StrAppend(&example.expected, lines[i], "\n");
    }
    examples.push_back(std::move(example));
  }
  return examples;
}

TEST(ReadmeRestExamples, RunVerbatimAgainstTheExampleModel) {
  if (access("/usr/bin/curl", X_OK) != 0) {
    GTEST_SKIP() << "curl is not installed (tools/install_deps.sh --test "
                    "installs it): README REST examples not run";
  }
  const std::vector<CurlExample> examples = ReadmeExamples();
  ASSERT_GE(examples.size(), 6u) << "README.md lost its REST examples";
  auto scratch = testing::TempDirectory::Create();
  ASSERT_TRUE(scratch.ok()) << scratch.status();
  const std::string base = (*scratch)->path() + "/half_plus_two";
  ASSERT_TRUE(WriteHalfPlusTwo(base + "/1").ok());
  testing::DaemonOptions options;
  options.model_name = "half_plus_two";
  options.model_base_path = base;
  options.rest_api = true;
  auto daemon = testing::DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  {
    std::ofstream curlrc((*scratch)->path() + "/.curlrc");
    curlrc << "connect-to = localhost:8501:127.0.0.1:" << (*daemon)->rest_port()
           << "\nsilent\n";
  }
  for (const CurlExample& example : examples) {
    SCOPED_TRACE(example.command);
    ASSERT_TRUE(absl::StartsWith(example.command, "curl "));
    auto run = testing::RunProgramToExit(
        {"/usr/bin/env", absl::StrCat("CURL_HOME=", (*scratch)->path()),
         "/bin/sh", "-c", example.command});
    ASSERT_TRUE(run.ok()) << run.status();
    EXPECT_EQ(run->exit_code, 0) << run->stderr_text;
    std::string output = run->stdout_text;
    if (!absl::EndsWith(output, "\n")) output += "\n";
    if (example.prefix_only) {
      EXPECT_TRUE(absl::StartsWith(output, example.expected)) << output;
    } else {
      EXPECT_EQ(output, example.expected);
    }
  }
  auto exit_code = (*daemon)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

}  // namespace
}  // namespace model_server
