// Prometheus metrics end to end: --monitoring_config_file turns the page
// on at its path on the REST port; requests over gRPC and REST move TF
// Serving's and our counters by exactly the requests made; the load of the
// model is counted; and `promtool check metrics` (Debian's prometheus
// package) parses the page, with lint remarks only on TF Serving's own
// names (kept as TF Serving spells them).
#include <unistd.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/http_client.h"
#include "tests/testing/predict_x.h"

namespace model_server {
namespace {

using testing::DaemonOptions;
using testing::DaemonProcess;
using ::testing::HasSubstr;
using testing::HttpCall;
using testing::TempDirectory;

constexpr char kMetricsPath[] = "/metrics";

// The page's samples: "name{labels}" -> value.
std::map<std::string, double> Samples(const std::string& page) {
  std::map<std::string, double> samples;
  for (absl::string_view line : absl::StrSplit(page, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    double value = 0;
    if (space == absl::string_view::npos ||
        !absl::SimpleAtod(line.substr(space + 1), &value)) {
      continue;
    }
    samples[std::string(line.substr(0, space))] = value;
  }
  return samples;
}

double SampleOr0(const std::map<std::string, double>& samples,
                 const std::string& key) {
  auto it = samples.find(key);
  return it == samples.end() ? 0 : it->second;
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = testing::SharedModelPath("tfs_half_plus_two_cpu");
    if (model_.empty()) {
      GTEST_SKIP() << "../shared/models/tfs_half_plus_two_cpu is absent: "
                      "skipped";
    }
    auto scratch = TempDirectory::Create();
    ASSERT_TRUE(scratch.ok()) << scratch.status();
    scratch_ = *std::move(scratch);
    const std::string config = scratch_->path() + "/monitoring.config";
    std::ofstream(config) << "prometheus_config {\n  enable: true\n  path: \""
                          << kMetricsPath << "\"\n}\n";
    DaemonOptions options;
    options.model_name = "half_plus_two";
    options.model_base_path = model_;
    options.rest_api = true;
    options.extra_flags = {"--monitoring_config_file=" + config};
    auto daemon = DaemonProcess::Start(options);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = *std::move(daemon);
  }

  std::string Page() {
    auto page = HttpCall(daemon_->rest_port(), "GET", kMetricsPath);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) return "";
    EXPECT_EQ(page->status, 200);
    EXPECT_THAT(page->headers["content-type"], HasSubstr("text/plain"));
    return page->body;
  }

  std::string model_;
  std::unique_ptr<TempDirectory> scratch_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(MetricsTest, CountsMoveWithRequests) {
  const std::map<std::string, double> before = Samples(Page());
  const std::string tf_ok =
      ":tensorflow:serving:request_count{model_name=\"half_plus_two\","
      "status=\"OK\"}";
  const std::string tf_not_found =
      ":tensorflow:serving:request_count{model_name=\"half_plus_two\","
      "status=\"NOT_FOUND\"}";
  const std::string ours_grpc =
      "model_server_requests_total{model=\"half_plus_two\",version=\"123\","
      "signature=\"serving_default\",api=\"Predict\",entrypoint=\"GRPC\","
      "code=\"OK\"}";
  const std::string ours_rest =
      "model_server_requests_total{model=\"half_plus_two\",version=\"123\","
      "signature=\"serving_default\",api=\"Predict\",entrypoint=\"REST\","
      "code=\"OK\"}";
  const std::string latency_count =
      ":tensorflow:serving:request_latency_count{model_name=\"half_plus_two\","
      "API=\"Predict\",entrypoint=\"GRPC\"}";
  const std::string runtime_count =
      ":tensorflow:serving:runtime_latency_count{model_name=\"half_plus_two\","
      "API=\"Predict\",runtime=\"TF1\"}";

  // Two gRPC predicts, one REST predict, one gRPC predict of a missing
  // version, one of a model that is not configured.
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(testing::PredictX(daemon_->prediction(),
                                  testing::SpecFor("half_plus_two"))
                    .status.ok());
  }
  auto rest =
      HttpCall(daemon_->rest_port(), "POST", "/v1/models/half_plus_two:predict",
               "{\"instances\": [1.0]}");
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->status, 200) << rest->body;
  EXPECT_EQ(testing::PredictX(daemon_->prediction(),
                              testing::SpecFor("half_plus_two", 7))
                .status.error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(testing::PredictX(daemon_->prediction(),
                              testing::SpecFor("no_such_model"))
                .status.error_code(),
            grpc::StatusCode::NOT_FOUND);

  const std::string page = Page();
  const std::map<std::string, double> after = Samples(page);
  EXPECT_EQ(SampleOr0(after, tf_ok) - SampleOr0(before, tf_ok), 3) << page;
  EXPECT_EQ(SampleOr0(after, tf_not_found) - SampleOr0(before, tf_not_found),
            1);
  // The unconfigured name is not a label value.
  EXPECT_THAT(page, ::testing::Not(HasSubstr("no_such_model")));
  EXPECT_EQ(SampleOr0(after,
                      ":tensorflow:serving:request_count{model_name=\"\","
                      "status=\"NOT_FOUND\"}"),
            1);
  EXPECT_EQ(SampleOr0(after, ours_grpc) - SampleOr0(before, ours_grpc), 2);
  EXPECT_EQ(SampleOr0(after, ours_rest) - SampleOr0(before, ours_rest), 1);
  EXPECT_EQ(SampleOr0(after, latency_count) - SampleOr0(before, latency_count),
            2);
  // runtime_latency has no entrypoint label: gRPC's two and REST's one.
  EXPECT_EQ(SampleOr0(after, runtime_count) - SampleOr0(before, runtime_count),
            3);
  EXPECT_EQ(
      SampleOr0(after, "model_server_requests_in_flight{entrypoint=\"GRPC\"}"),
      0);

  // The start-up load.
  const std::string version_dir = model_ + "/00000123";
  EXPECT_EQ(
      SampleOr0(after, absl::StrCat(":tensorflow:cc:saved_model:load_attempt_"
                                    "count{model_path=\"",
                                    version_dir, "\",status=\"success\"}")),
      1)
      << page;
  EXPECT_GT(SampleOr0(after, absl::StrCat(":tensorflow:cc:saved_model:load_"
                                          "latency{model_path=\"",
                                          version_dir, "\"}")),
            0);
  EXPECT_EQ(SampleOr0(after,
                      "model_server_model_load_attempts_total{model=\"half_"
                      "plus_two\",status=\"OK\"}"),
            1);
  EXPECT_GT(SampleOr0(after, "process_resident_memory_bytes"), 0);
  EXPECT_GT(SampleOr0(after, "process_threads"), 1);
  EXPECT_GT(SampleOr0(after, "process_start_time_seconds"), 1.5e9);
}

TEST_F(MetricsTest, PromtoolAcceptsThePage) {
  if (access("/usr/bin/promtool", X_OK) != 0) {
    GTEST_SKIP() << "promtool is absent (Debian package prometheus): skipped";
  }
  // Put some of every family on the page first.
  EXPECT_TRUE(testing::PredictX(daemon_->prediction(),
                                testing::SpecFor("half_plus_two"))
                  .status.ok());
  const std::string page_path = scratch_->path() + "/page.txt";
  std::ofstream(page_path) << Page();
  auto run = testing::RunProgramToExit(
      {"/bin/sh", "-c", "/usr/bin/promtool check metrics < " + page_path});
  ASSERT_TRUE(run.ok()) << run.status();
  // promtool exits non-zero for lint remarks too; what matters is that it
  // parsed the page and that every remark is about TF Serving's names.
  const std::string output = run->stdout_text + run->stderr_text;
  EXPECT_THAT(output, ::testing::Not(HasSubstr("error while linting")))
      << output;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (line.empty()) continue;
    EXPECT_TRUE(absl::StartsWith(line, ":tensorflow:"))
        << "promtool remark on one of our names: " << line << "\n"
        << output;
  }
}

}  // namespace
}  // namespace model_server
