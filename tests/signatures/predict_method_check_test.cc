// Predict with --enable_signature_method_name_check (TF Serving's
// VerifySignature) on the test model of example_model_fixture.h.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/tensor_proto.h"
#include "signatures/predict.h"
#include "tests/signatures/example_model_fixture.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;

class PredictMethodCheckTest : public testing::ExampleTestModelSuite {
 protected:
  absl::Status Predict(const std::string& signature,
                       const SignatureCheckOptions& checks) {
    tfs::PredictRequest request;
    request.mutable_model_spec()->set_name("m");
    request.mutable_model_spec()->set_signature_name(signature);
    Tensor examples = Tensor::Vector<std::string>(
        {testing::ExampleWithX(1).SerializeAsString()});
    absl::Status encoded =
        TensorToProto(examples, &(*request.mutable_inputs())["inputs"]);
    if (!encoded.ok()) return encoded;
    tfs::PredictResponse response;
    std::string key;
    return RunPredict(model().signatures(), request, RunOptions(), &response,
                      &key, checks);
  }
};

TEST_F(PredictMethodCheckTest, OtherMethodNamesFailOnlyWhenChecked) {
  SignatureCheckOptions strict;
  strict.check_method_name = true;
  EXPECT_TRUE(Predict("custom_method", SignatureCheckOptions()).ok());
  absl::Status status = Predict("custom_method", strict);
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(status.message()),
              ::testing::StartsWith(
                  "Expected prediction signature method_name to be one of "
                  "{tensorflow/serving/predict, tensorflow/serving/classify, "
                  "tensorflow/serving/regress}. Was: example.com/custom"));
  // Predict, classify and regress signatures all pass the check.
  for (const char* signature : {"predict_x", "regress", "classify_scores"}) {
    EXPECT_TRUE(Predict(signature, strict).ok()) << signature;
  }
}

}  // namespace
}  // namespace model_server
