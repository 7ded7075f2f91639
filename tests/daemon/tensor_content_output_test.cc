// --enable_serialization_as_tensor_content: gRPC Predict writes its float
// outputs as raw tensor_content bytes instead of float_val (TF Serving's
// flag), with the same values; without the flag they stay in float_val. Runs
// on the README's example model, which the test writes itself.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tools/example_model.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::DaemonOptions;
using testing::DaemonProcess;
using ::testing::ElementsAre;

constexpr char kModelName[] = "half_plus_two";

// Starts a daemon on a freshly written half_plus_two with `extra_flags` and
// returns the Predict response for x = [1, 2, 5] (shape [3, 1]).
tfs::PredictResponse PredictWith(const std::vector<std::string>& extra_flags) {
  auto scratch = testing::TempDirectory::Create();
  EXPECT_TRUE(scratch.ok()) << scratch.status();
  if (!scratch.ok()) return {};
  const std::string base = (*scratch)->path() + "/half_plus_two";
  EXPECT_TRUE(WriteHalfPlusTwo(base + "/1").ok());
  DaemonOptions options;
  options.model_name = kModelName;
  options.model_base_path = base;
  options.extra_flags = extra_flags;
  auto daemon = DaemonProcess::Start(options);
  EXPECT_TRUE(daemon.ok()) << daemon.status();
  if (!daemon.ok()) return {};
  tfs::PredictRequest request = testing::MakePredictRequest(kModelName);
  (*request.mutable_inputs())["x"] =
      testing::FloatTensorProto({1, 2, 5}, {3, 1});
  tfs::PredictResponse response;
  const grpc::Status status =
      testing::CallPredict((*daemon)->prediction(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

std::vector<float> FloatsOfContent(const std::string& bytes) {
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

TEST(SerializationAsTensorContent, FlagWritesOutputsAsRawBytes) {
  const tfs::PredictResponse response =
      PredictWith({"--enable_serialization_as_tensor_content=true"});
  ASSERT_EQ(response.outputs().count("y"), 1u) << response.ShortDebugString();
  const tensorflow::TensorProto& y = response.outputs().at("y");
  EXPECT_EQ(y.dtype(), tensorflow::DT_FLOAT);
  EXPECT_THAT(testing::ShapeOf(y), ElementsAre(3, 1));
  EXPECT_EQ(y.float_val_size(), 0);
  EXPECT_THAT(FloatsOfContent(y.tensor_content()), ElementsAre(2.5f, 3, 4.5f));
}

TEST(SerializationAsTensorContent, DefaultWritesTypedFloatVal) {
  const tfs::PredictResponse response = PredictWith({});
  ASSERT_EQ(response.outputs().count("y"), 1u) << response.ShortDebugString();
  const tensorflow::TensorProto& y = response.outputs().at("y");
  EXPECT_TRUE(y.tensor_content().empty());
  EXPECT_THAT(y.float_val(), ElementsAre(2.5f, 3, 4.5f));
}

}  // namespace
}  // namespace model_server
