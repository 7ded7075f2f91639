// ModelManager: the server's set of models, labels, config reloads and
// TF Serving's lookup texts.
#include "loader/model_manager.h"

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string SharedModel(const std::string& name) {
  return (fs::path(testing::SharedDir()) / "models" / name).native();
}

ServedModelConfig Model(const std::string& name, const std::string& dir,
                        VersionPolicy policy = VersionPolicy::Latest(),
                        std::map<std::string, int64_t> labels = {}) {
  ServedModelConfig config;
  config.name = name;
  config.base_path = SharedModel(dir);
  config.version_policy = std::move(policy);
  config.version_labels = std::move(labels);
  return config;
}

class ModelManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* dir : {"tfs_half_plus_two_cpu", "tfs_half_plus_three",
                            "tfs_half_plus_two_2_versions"}) {
      if (!fs::exists(SharedModel(dir))) {
        GTEST_SKIP() << SharedModel(dir)
                     << " not found; skipping ModelManager tests";
      }
    }
  }

  static std::unique_ptr<ModelManager> MakeManager(
      bool allow_unavailable_labels = false) {
    ModelManagerOptions options;
    options.file_system_poll_wait = absl::ZeroDuration();  // no poll thread
    options.max_num_load_retries = 0;
    options.allow_version_labels_for_unavailable_models =
        allow_unavailable_labels;
    return std::make_unique<ModelManager>(options);
  }

  static int64_t VersionFor(const ModelManager& manager,
                            const ServableRequest& request) {
    auto handle = manager.GetHandle(request);
    return handle.ok() ? (*handle)->version : -1;
  }
};

TEST_F(ModelManagerTest, ServesEveryModelOfTheConfig) {
  auto manager = MakeManager();
  ASSERT_TRUE(manager
                  ->ReloadConfig({Model("two", "tfs_half_plus_two_cpu"),
                                  Model("three", "tfs_half_plus_three")})
                  .ok());
  EXPECT_THAT(manager->ModelNames(), ElementsAre("three", "two"));
  auto two = manager->GetHandle(ServableRequest::Latest("two"));
  auto three = manager->GetHandle(ServableRequest::Latest("three"));
  ASSERT_TRUE(two.ok()) << two.status();
  ASSERT_TRUE(three.ok()) << three.status();
  EXPECT_EQ((*two)->model_name, "two");
  EXPECT_EQ((*three)->version, 123);
}

TEST_F(ModelManagerTest, LookupErrorsUseTfServingTexts) {
  auto manager = MakeManager(/*allow_unavailable_labels=*/true);
  ASSERT_TRUE(
      manager
          ->ReloadConfig({Model("m", "tfs_half_plus_two_2_versions",
                                VersionPolicy::Latest(), {{"stable", 124}})})
          .ok());
  auto empty = manager->GetHandle(ServableRequest::Latest(""));
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(empty.status().message(), "ModelSpec has no name specified.");

  auto unknown = manager->GetHandle(ServableRequest::Latest("nope"));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().message(),
            "Servable not found for request: Latest(nope)");

  auto version = manager->GetHandle(ServableRequest::Specific("m", 123));
  EXPECT_EQ(version.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(version.status().message(),
            "Servable not found for request: Specific(m, 123)");

  for (const ServableRequest& request :
       {ServableRequest::Labeled("m", "canary"),
        ServableRequest::Labeled("nope", "stable")}) {
    auto label = manager->GetHandle(request);
    EXPECT_EQ(label.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(label.status().message(),
              "Unrecognized servable version label: " + *request.label);
  }
}

TEST_F(ModelManagerTest, LabelsRouteToTheirVersions) {
  auto manager = MakeManager();
  // Serve both versions first: labels may only name AVAILABLE versions.
  ASSERT_TRUE(manager
                  ->ReloadConfig({Model("m", "tfs_half_plus_two_2_versions",
                                        VersionPolicy::All())})
                  .ok());
  ASSERT_TRUE(manager
                  ->ReloadConfig({Model("m", "tfs_half_plus_two_2_versions",
                                        VersionPolicy::All(),
                                        {{"stable", 123}, {"canary", 124}})})
                  .ok());
  EXPECT_EQ(VersionFor(*manager, ServableRequest::Labeled("m", "stable")), 123);
  EXPECT_EQ(VersionFor(*manager, ServableRequest::Labeled("m", "canary")), 124);
  EXPECT_EQ(VersionFor(*manager, ServableRequest::Latest("m")), 124);
  EXPECT_EQ(manager->VersionLabels("m"),
            (std::map<std::string, int64_t>{{"canary", 124}, {"stable", 123}}));
}

TEST_F(ModelManagerTest, LabelOnUnavailableVersionIsRefusedAndChangesNothing) {
  auto manager = MakeManager();
  ASSERT_TRUE(
      manager->ReloadConfig({Model("m", "tfs_half_plus_two_2_versions")}).ok());
  absl::Status status =
      manager->ReloadConfig({Model("m", "tfs_half_plus_two_2_versions",
                                   VersionPolicy::All(), {{"stable", 123}}),
                             Model("other", "tfs_half_plus_three")});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "Request to assign label to version 123 of model m, which is not "
            "currently available for inference");
  EXPECT_THAT(manager->ModelNames(), ElementsAre("m"));
  EXPECT_FALSE(manager->GetHandle(ServableRequest::Specific("m", 123)).ok());
}

TEST_F(ModelManagerTest, StartupLabelsNeedAllowVersionLabelsForUnavailable) {
  const ServedModelConfig labelled =
      Model("m", "tfs_half_plus_two_2_versions", VersionPolicy::All(),
            {{"stable", 123}, {"canary", 124}});
  EXPECT_EQ(MakeManager()->ReloadConfig({labelled}).code(),
            absl::StatusCode::kFailedPrecondition);

  auto manager = MakeManager(/*allow_unavailable_labels=*/true);
  ASSERT_TRUE(manager->ReloadConfig({labelled}).ok());
  EXPECT_EQ(VersionFor(*manager, ServableRequest::Labeled("m", "stable")), 123);
  EXPECT_EQ(VersionFor(*manager, ServableRequest::Labeled("m", "canary")), 124);
}

TEST_F(ModelManagerTest, MovingALabelToAnUnavailableVersionIsRefused) {
  auto manager = MakeManager(/*allow_unavailable_labels=*/true);
  ASSERT_TRUE(manager
                  ->ReloadConfig({Model("m", "tfs_half_plus_two_2_versions",
                                        VersionPolicy::Specific({124}),
                                        {{"stable", 124}})})
                  .ok());
  absl::Status moved =
      manager->ReloadConfig({Model("m", "tfs_half_plus_two_2_versions",
                                   VersionPolicy::All(), {{"stable", 123}})});
  EXPECT_EQ(moved.code(), absl::StatusCode::kFailedPrecondition) << moved;
  EXPECT_EQ(VersionFor(*manager, ServableRequest::Labeled("m", "stable")), 124);
}

TEST_F(ModelManagerTest, RemovedModelIsNotFoundAndKeepsItsHistory) {
  auto manager = MakeManager();
  ASSERT_TRUE(manager
                  ->ReloadConfig({Model("two", "tfs_half_plus_two_cpu"),
                                  Model("three", "tfs_half_plus_three")})
                  .ok());
  auto held = manager->GetHandle(ServableRequest::Latest("three"));
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(
      manager->ReloadConfig({Model("two", "tfs_half_plus_two_cpu")}).ok());
  EXPECT_EQ(
      manager->GetHandle(ServableRequest::Latest("three")).status().message(),
      "Servable not found for request: Latest(three)");
  // The request that still holds version 123 finishes on it.
  EXPECT_EQ((*held)->model_name, "three");
  auto statuses = manager->GetModelStatus("three", std::nullopt);
  ASSERT_TRUE(statuses.ok()) << statuses.status();
  ASSERT_EQ(statuses->size(), 1u);
  EXPECT_EQ((*statuses)[0].state, VersionState::kUnloading);
  held->reset();
  // Back in the config: loads again.
  ASSERT_TRUE(manager
                  ->ReloadConfig({Model("two", "tfs_half_plus_two_cpu"),
                                  Model("three", "tfs_half_plus_three")})
                  .ok());
  EXPECT_EQ(VersionFor(*manager, ServableRequest::Latest("three")), 123);
}

TEST_F(ModelManagerTest, ModelThatCannotLoadIsReportedWithTfServingText) {
  auto manager = MakeManager();
  ServedModelConfig ghost = Model("ghost", "tfs_half_plus_three");
  ghost.base_path = "/nonexistent/model_server/ghost";
  absl::Status status =
      manager->ReloadConfig({Model("two", "tfs_half_plus_two_cpu"), ghost});
  EXPECT_EQ(status.code(), absl::StatusCode::kUnknown);
  EXPECT_THAT(status.message(),
              HasSubstr("1 model(s) did not become available: {{{name: "
                        "ghost} due to error: Could not find base path "
                        "/nonexistent/model_server/ghost"));
  // The model that could load serves.
  EXPECT_EQ(VersionFor(*manager, ServableRequest::Latest("two")), 123);
}

TEST_F(ModelManagerTest, MissingSpecificVersionIsNamedInTheReloadError) {
  auto manager = MakeManager();
  absl::Status status = manager->ReloadConfig({Model(
      "two", "tfs_half_plus_two_2_versions", VersionPolicy::Specific({125}))});
  EXPECT_EQ(status.code(), absl::StatusCode::kUnknown);
  EXPECT_THAT(status.message(),
              HasSubstr("{{name: two} due to error: Version 125 of servable "
                        "two, which was requested to be served as a "
                        "'specific' version in the servable's version policy, "
                        "was not found in the file system}"));
}

TEST_F(ModelManagerTest, GetModelStatusTexts) {
  auto manager = MakeManager();
  ASSERT_TRUE(
      manager->ReloadConfig({Model("two", "tfs_half_plus_two_cpu")}).ok());
  auto all = manager->GetModelStatus("two", std::nullopt);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].version, 123);
  EXPECT_EQ((*all)[0].state, VersionState::kAvailable);
  EXPECT_EQ(manager->GetModelStatus("two", 7).status().message(),
            "Could not find version 7 of model two");
  EXPECT_EQ(manager->GetModelStatus("nope", std::nullopt).status().message(),
            "Could not find any versions of model nope");
}

}  // namespace
}  // namespace model_server
