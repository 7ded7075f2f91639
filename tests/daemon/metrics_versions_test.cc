// Metrics while versions come and go (issue 14, soak): a daemon whose model
// gets a new version every few seconds, with Predict traffic over gRPC and
// REST on each, must list on its metrics page only the series of versions
// it has, and its memory must not grow with every version. Before the fix,
// every {model, version} series stayed for ever (about 9 kB of RSS per
// version in the soak, bench/results/soak.md).
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/http_client.h"
#include "tests/testing/model_directory_daemon.h"
#include "tests/testing/predict_x.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;
namespace tfs = tensorflow::serving;
using testing::ModelDirectoryDaemon;

constexpr char kModel[] = "swapping";

// serving_default: y = 0.5 * x + 2 (what PredictX expects: x = 2 -> y = 3).
absl::Status WriteHalfPlusTwo(const std::string& dir) {
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  std::string x = g.Placeholder("x", DT_FLOAT);
  std::string half = g.Const("half", Tensor::Scalar(0.5f));
  std::string two = g.Const("two", Tensor::Scalar(2.0f));
  std::string y = g.Binary(
      "y", "AddV2", g.Binary("mul", "Mul", x, half, DT_FLOAT), two, DT_FLOAT);
  model.AddSignature("serving_default")
      .Input("x", x, DT_FLOAT)
      .Output("y", y, DT_FLOAT);
  return model.Write(dir);
}

// The values of `label` in the page's samples.
std::set<std::string> LabelValues(const std::string& page,
                                  const std::string& label) {
  std::set<std::string> values;
  const std::string key = label + "=\"";
  for (absl::string_view line : absl::StrSplit(page, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    size_t at = line.find(key);
    if (at == absl::string_view::npos) continue;
    at += key.size();
    values.insert(std::string(line.substr(at, line.find('"', at) - at)));
  }
  return values;
}

class MetricsVersionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto scratch = testing::TempDirectory::Create();
    ASSERT_TRUE(scratch.ok()) << scratch.status();
    scratch_ = *std::move(scratch);
    const std::string config = scratch_->path() + "/monitoring.config";
    std::ofstream(config)
        << "prometheus_config {\n  enable: true\n  path: \"/metrics\"\n}\n";
    auto served =
        ModelDirectoryDaemon::Start(kModel, WriteHalfPlusTwo,
                                    {"--file_system_poll_wait_seconds=1",
                                     "--monitoring_config_file=" + config},
                                    /*rest_api=*/true);
    ASSERT_TRUE(served.ok()) << served.status();
    served_ = *std::move(served);
  }

  // Serves a few requests over each front end (on the newest version).
  void Traffic() {
    for (int i = 0; i < 3; ++i) {
      testing::PredictXResult result = testing::PredictX(
          served_->daemon().prediction(), testing::SpecFor(kModel));
      ASSERT_TRUE(result.status.ok()) << result.status.error_message();
      auto rest =
          testing::HttpCall(served_->daemon().rest_port(), "POST",
                            absl::StrCat("/v1/models/", kModel, ":predict"),
                            R"({"instances": [2.0]})");
      ASSERT_TRUE(rest.ok()) << rest.status();
      ASSERT_EQ(rest->status, 200) << rest->body;
    }
  }

  // Publishes `version`, waits until it serves and the one before it has
  // unloaded.
  void Swap(int64_t version) {
    ASSERT_TRUE(WriteHalfPlusTwo(served_->Path("incoming")).ok());
    fs::rename(served_->Path("incoming"), served_->Path(absl::StrCat(version)));
    auto now = served_->WaitForState(
        version, tfs::ModelVersionStatus::AVAILABLE, absl::Seconds(30));
    ASSERT_TRUE(now.has_value());
    ASSERT_EQ(now->state(), tfs::ModelVersionStatus::AVAILABLE);
    auto before = served_->WaitForState(
        version - 1, tfs::ModelVersionStatus::END, absl::Seconds(30));
    ASSERT_TRUE(before.has_value());
    ASSERT_EQ(before->state(), tfs::ModelVersionStatus::END);
  }

  std::string Page() {
    auto page =
        testing::HttpCall(served_->daemon().rest_port(), "GET", "/metrics");
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->body : "";
  }

  std::unique_ptr<testing::TempDirectory> scratch_;
  std::unique_ptr<ModelDirectoryDaemon> served_;
};

TEST_F(MetricsVersionsTest, ThePageListsOnlyTheVersionsServing) {
  constexpr int kVersions = 6;
  Traffic();
  for (int64_t version = 2; version <= kVersions; ++version) {
    Swap(version);
    Traffic();
  }
  const std::string page = Page();
  EXPECT_EQ(LabelValues(page, "version"),
            std::set<std::string>{absl::StrCat(kVersions)})
      << page;
  EXPECT_EQ(LabelValues(page, "model_path"),
            std::set<std::string>{served_->Path(absl::StrCat(kVersions))})
      << page;
  // The per-model totals keep every request: 6 per version.
  EXPECT_NE(page.find(absl::StrCat(":tensorflow:serving:request_count{"
                                   "model_name=\"",
                                   kModel, "\",status=\"OK\"} ", 6 * kVersions,
                                   "\n")),
            std::string::npos)
      << page;
}

}  // namespace
}  // namespace model_server
