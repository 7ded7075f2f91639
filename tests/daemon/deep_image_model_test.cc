// stfs_deep_image_model end to end: a TF 1.8 CNN whose serving input is a
// batch of web-safe base64 JPEG strings (DecodeBase64 -> DecodeJpeg ->
// ResizeBilinear inside a tf.map_fn loop). The test encodes its own JPEGs
// with libjpeg, sends them through the real daemon's Predict and checks the
// 17 softmax scores of each image (a distribution summing to 1, ArgMax
// agreeing with `prediction`, the same image scoring the same in any
// position, different images differently). The corpus has no gold pairs for
// this model (TensorFlow's oracle skipped it), so the scores themselves are not
// compared.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/jpeg_encode.h"
#include "tests/testing/shared_daemons.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::CallPredict;
using testing::DaemonProcess;

constexpr char kModelDir[] = "stfs_deep_image_model";
constexpr int kClasses = 17;

// An RGB image with a pattern that depends on `seed`, JPEG-encoded by
// libjpeg at quality 90.
std::string EncodeTestJpeg(int rows, int cols, int seed) {
  std::vector<uint8_t> pixels(static_cast<size_t>(rows) * cols * 3);
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      for (int c = 0; c < 3; ++c) {
        pixels[(static_cast<size_t>(y) * cols + x) * 3 + c] =
            static_cast<uint8_t>((x * (seed + 3) + y * (2 * seed + 1) +
                                  c * 70 * seed + ((x / 8 + y / 8) % 2) * 90) %
                                 256);
      }
    }
  }
  return testing::EncodeJpeg(pixels, rows, cols, 3, 90);
}

tfs::PredictRequest ImagesRequest(const std::vector<std::string>& images) {
  tfs::PredictRequest request = testing::MakePredictRequest("deep_image");
  tensorflow::TensorProto& input = (*request.mutable_inputs())["images"];
  input.set_dtype(tensorflow::DT_STRING);
  input.mutable_tensor_shape()->add_dim()->set_size(
      static_cast<int64_t>(images.size()));
  for (const std::string& image : images) input.add_string_val(image);
  return request;
}

std::vector<int64_t> Int64Values(const tensorflow::TensorProto& tensor) {
  if (!tensor.int64_val().empty()) {
    return {tensor.int64_val().begin(), tensor.int64_val().end()};
  }
  std::vector<int64_t> values(tensor.tensor_content().size() / 8);
  std::copy_n(tensor.tensor_content().data(), values.size() * 8,
              reinterpret_cast<char*>(values.data()));
  return values;
}

// One daemon for the suite (the model takes a few seconds to load).
class DeepImageModel : public ::testing::Test {
 protected:
  static void TearDownTestSuite() { daemons_->StopAll(); }

  void SetUp() override {
    if (testing::SharedModelPath(kModelDir).empty()) {
      GTEST_SKIP() << "../shared/models/" << kModelDir
                   << " is absent: the image model test is skipped";
    }
    daemon_ = daemons_->Get(kModelDir, "deep_image");
    ASSERT_NE(daemon_, nullptr);
  }

  static testing::SharedDaemons* daemons_;
  DaemonProcess* daemon_ = nullptr;
};

testing::SharedDaemons* DeepImageModel::daemons_ = new testing::SharedDaemons();

TEST_F(DeepImageModel, ClassifiesBase64JpegsIntoSoftmaxScores) {
  // Three images of different sizes; the first is repeated last.
  const std::vector<std::string> jpegs = {EncodeTestJpeg(64, 64, 1),
                                          EncodeTestJpeg(120, 90, 2),
                                          EncodeTestJpeg(31, 47, 3)};
  std::vector<std::string> encoded;
  for (const std::string& jpeg : jpegs) {
    encoded.push_back(absl::WebSafeBase64Escape(jpeg));
  }
  encoded.push_back(encoded[0]);

  tfs::PredictResponse response;
  const grpc::Status status =
      CallPredict(daemon_->prediction(), ImagesRequest(encoded), &response,
                  absl::Seconds(60));
  ASSERT_TRUE(status.ok()) << status.error_code() << ": "
                           << status.error_message() << "\n"
                           << daemon_->Stderr();
  ASSERT_EQ(response.outputs().count("softmax"), 1u);
  ASSERT_EQ(response.outputs().count("prediction"), 1u);
  const tensorflow::TensorProto& softmax = response.outputs().at("softmax");
  EXPECT_EQ(testing::ShapeOf(softmax), (std::vector<int64_t>{4, kClasses}));
  const std::vector<float> scores = testing::FloatValues(softmax);
  ASSERT_EQ(scores.size(), 4u * kClasses);
  const std::vector<int64_t> predictions =
      Int64Values(response.outputs().at("prediction"));
  ASSERT_EQ(predictions.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const auto row = scores.begin() + i * kClasses;
    for (int k = 0; k < kClasses; ++k) {
      EXPECT_GE(row[k], 0.0f);
      EXPECT_LE(row[k], 1.0f);
    }
    EXPECT_NEAR(std::accumulate(row, row + kClasses, 0.0), 1.0, 1e-5)
        << "image " << i;
    EXPECT_EQ(predictions[i], std::max_element(row, row + kClasses) - row)
        << "image " << i;
  }
  for (int k = 0; k < kClasses; ++k) {
    EXPECT_EQ(scores[k], scores[3 * kClasses + k]) << "class " << k;
  }
  // Different images score differently (the pixels reach the network).
  EXPECT_NE(std::vector<float>(scores.begin(), scores.begin() + kClasses),
            std::vector<float>(scores.begin() + kClasses,
                               scores.begin() + 2 * kClasses));
}

TEST_F(DeepImageModel, MalformedImageIsInvalidArgument) {
  tfs::PredictResponse response;
  const grpc::Status status = CallPredict(
      daemon_->prediction(),
      ImagesRequest({absl::WebSafeBase64Escape("not a jpeg at all")}),
      &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
}

}  // namespace
}  // namespace model_server
