// Model warmup: assets.extra/tf_serving_warmup_requests replayed on a loaded
// version before it is AVAILABLE, with TF Serving's limits and errors.
#include "loader/warmup.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loader/model_manager.h"
#include "model_server/warmup_log.pb.h"
#include "signatures/predict.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tests/testing/test_paths.h"
#include "tests/testing/warmup_file.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;
namespace tfs = tensorflow::serving;
using ::testing::HasSubstr;
using testing::WarmupFilePath;
using testing::WriteWarmupFile;

std::string SharedVersion(const std::string& model, const std::string& dir) {
  return (fs::path(testing::SharedDir()) / "models" / model / dir).native();
}

tfs::PredictRequest PredictX(float x, const std::string& signature = "") {
  tfs::PredictRequest request;
  request.mutable_model_spec()->set_name("m");
  request.mutable_model_spec()->set_signature_name(signature);
  tensorflow::TensorProto& tensor = (*request.mutable_inputs())["x"];
  tensor.set_dtype(tensorflow::DT_FLOAT);
  tensor.mutable_tensor_shape()->add_dim()->set_size(1);
  tensor.add_float_val(x);
  return request;
}

std::vector<std::string> EveryLogKind() {
  return testing::HalfPlusTwoWarmupRecords("m");
}

class Warmup : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = SharedVersion("tfs_half_plus_two_2_versions", "00000123");
    if (!fs::exists(source_)) {
      GTEST_SKIP() << source_ << " not found; skipping warmup tests";
    }
    version_dir_ = dir_.Child("123");
    fs::copy(source_, version_dir_, fs::copy_options::recursive);
  }

  absl::StatusOr<int64_t> LoadAndWarmUp(WarmupOptions options = {}) {
    absl::StatusOr<std::unique_ptr<LoadedModel>> model =
        LoadedModel::Load(version_dir_, LoadOptions());
    if (!model.ok()) return model.status();
    return RunWarmup(**model, options);
  }

  ScopedTempDir dir_;
  std::string source_;
  std::string version_dir_;
};

TEST_F(Warmup, ReplaysEveryLogKindEachIteration) {
  ASSERT_TRUE(WriteWarmupFile(version_dir_, EveryLogKind()).ok());
  WarmupOptions options;
  options.num_request_iterations = 2;
  absl::StatusOr<int64_t> replayed = LoadAndWarmUp(options);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(*replayed, 8);
}

TEST_F(Warmup, NoFileOrDisabledMeansNoWarmup) {
  absl::StatusOr<int64_t> none = LoadAndWarmUp();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  ASSERT_TRUE(WriteWarmupFile(version_dir_, EveryLogKind()).ok());
  WarmupOptions disabled;
  disabled.enabled = false;
  EXPECT_EQ(*LoadAndWarmUp(disabled), 0);
}

TEST_F(Warmup, RecordWithoutLogIsSkipped) {
  ASSERT_TRUE(WriteWarmupFile(version_dir_, {"", EveryLogKind()[0]}).ok());
  EXPECT_EQ(*LoadAndWarmUp(), 1);
}

TEST_F(Warmup, CorruptFileIsDataLossNamingTheFileAndRecord) {
  ASSERT_TRUE(WriteWarmupFile(version_dir_, EveryLogKind()).ok());
  {
    std::fstream file(WarmupFilePath(version_dir_),
                      std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-6, std::ios::end);  // inside the last record's data
    file.put('\x7f');
  }
  absl::StatusOr<int64_t> replayed = LoadAndWarmUp();
  EXPECT_EQ(replayed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(replayed.status().message(), HasSubstr("in record 4 at offset"));
  EXPECT_THAT(replayed.status().message(),
              HasSubstr(WarmupFilePath(version_dir_)));
  EXPECT_THAT(replayed.status().message(),
              HasSubstr("Please verify your warmup data is in TFRecord "
                        "format."));
}

TEST_F(Warmup, UnparsableRecordIsInvalidArgument) {
  ASSERT_TRUE(
      WriteWarmupFile(version_dir_, {EveryLogKind()[0], "\xff\xff not a proto"})
          .ok());
  absl::StatusOr<int64_t> replayed = LoadAndWarmUp();
  EXPECT_EQ(replayed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(replayed.status().message(),
              HasSubstr("Failed to parse warmup record: record 2"));
}

TEST_F(Warmup, MoreThanAThousandRecordsIsInvalidArgument) {
  ASSERT_TRUE(
      WriteWarmupFile(version_dir_, std::vector<std::string>(1000, "")).ok());
  EXPECT_TRUE(LoadAndWarmUp().ok());
  ASSERT_TRUE(
      WriteWarmupFile(version_dir_, std::vector<std::string>(1001, "")).ok());
  absl::StatusOr<int64_t> replayed = LoadAndWarmUp();
  EXPECT_EQ(replayed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(replayed.status().message(),
            "Number of warmup records exceeds the maximum (1000) at " +
                WarmupFilePath(version_dir_));
}

TEST_F(Warmup, SessionRunLogIsUnimplemented) {
  WarmupPredictionLog log;
  log.set_session_run_log("whatever");
  ASSERT_TRUE(WriteWarmupFile(version_dir_, {log.SerializeAsString()}).ok());
  absl::StatusOr<int64_t> replayed = LoadAndWarmUp();
  EXPECT_EQ(replayed.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(replayed.status().message(),
              HasSubstr("Unsupported log_type for warmup: 5"));
}

TEST_F(Warmup, FailingRequestNamesItsRecord) {
  ASSERT_TRUE(WriteWarmupFile(version_dir_,
                              {EveryLogKind()[0],
                               testing::PredictLogRecord(PredictX(2, "nope"))})
                  .ok());
  absl::StatusOr<int64_t> replayed = LoadAndWarmUp();
  EXPECT_EQ(replayed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(replayed.status().message(),
              HasSubstr("warmup record 2 (predict_log) of " +
                        WarmupFilePath(version_dir_) +
                        " failed: Serving "
                        "signature key "
                        "\"nope\" not found."));
}

// The counter model counts the warmup's increments: the version a request
// first gets has already replayed them.
TEST(WarmupBeforeAvailable, FirstRequestSeesTheWarmedUpState) {
  const std::string source = SharedVersion("tfs_counter", "00000123");
  if (!fs::exists(source)) GTEST_SKIP() << source << " not found; skipped";
  ScopedTempDir dir;
  fs::copy(source, dir.Child("123"), fs::copy_options::recursive);
  tfs::PredictRequest increment;
  increment.mutable_model_spec()->set_signature_name("incr_counter");
  ASSERT_TRUE(WriteWarmupFile(dir.Child("123"),
                              std::vector<std::string>(
                                  3, testing::PredictLogRecord(increment)))
                  .ok());
  ModelManagerOptions options;
  options.file_system_poll_wait = absl::ZeroDuration();
  ModelManager manager(options);
  ServedModelConfig config;
  config.name = "counter";
  config.base_path = dir.path();
  ASSERT_TRUE(manager.ReloadConfig({config}).ok());
  EXPECT_EQ(manager.warmup_requests_replayed(), 3);

  auto handle = manager.GetHandle(ServableRequest::Latest("counter"));
  ASSERT_TRUE(handle.ok()) << handle.status();
  EXPECT_EQ((*handle)->warmup_requests_replayed, 3);
  tfs::PredictRequest get;
  get.mutable_model_spec()->set_signature_name("get_counter");
  tfs::PredictResponse response;
  std::string key;
  ASSERT_TRUE(RunPredict((*handle)->model->signatures(), get, RunOptions(),
                         &response, &key)
                  .ok());
  ASSERT_EQ(response.outputs().at("output").float_val_size(), 1);
  EXPECT_EQ(response.outputs().at("output").float_val(0), 3.0f);
}

TEST(WarmupBeforeAvailable, CorruptWarmupFailsOnlyThatVersion) {
  const std::string source =
      SharedVersion("tfs_half_plus_two_2_versions", "00000123");
  if (!fs::exists(source)) GTEST_SKIP() << source << " not found; skipped";
  ScopedTempDir dir;
  fs::copy(source, dir.Child("1"), fs::copy_options::recursive);
  fs::copy(source, dir.Child("2"), fs::copy_options::recursive);
  ASSERT_TRUE(WriteWarmupFile(dir.Child("2"), {}).ok());
  std::ofstream(WarmupFilePath(dir.Child("2")), std::ios::binary)
      << "this is not a TFRecord file";
  auto model = ServedModel::Create(
      ServedModelOptions{"m", dir.path(), VersionPolicy::All(), LoadOptions(),
                         WarmupOptions(), 0, absl::Seconds(60)},
      ServingThreads{std::make_shared<WorkerPool>("load", 1), nullptr, nullptr},
      nullptr);
  model->Poll();
  model->Poll();
  model->WaitForPendingLoads();
  EXPECT_TRUE(model->IsAvailable(1));
  EXPECT_FALSE(model->IsAvailable(2));
  std::optional<VersionStatus> failed = model->status_board()->Get(2);
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->state, VersionState::kEnd);
  EXPECT_EQ(failed->status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(failed->status.message(),
              HasSubstr(WarmupFilePath(dir.Child("2"))));
}

}  // namespace
}  // namespace model_server
