// Predict on TF Serving's half_plus_two / half_plus_three test models the
// way its own model-server tests do: x = [2.0] (shape [1]), optionally with
// output_filter "y"; answers y = 3.0 / 4.0.
#ifndef MODEL_SERVER_TESTS_TESTING_PREDICT_X_H_
#define MODEL_SERVER_TESTS_TESTING_PREDICT_X_H_

#include <cstdint>
#include <string>

#include "grpcpp/support/status.h"
#include "tensorflow_serving/apis/model.pb.h"
#include "tensorflow_serving/apis/prediction_service.grpc.pb.h"

namespace model_server {
namespace testing {

struct PredictXResult {
  grpc::Status status;
  float y = 0;                 // the single value of output "y"
  int64_t version = 0;         // response model_spec.version
  std::string model_name;      // response model_spec.name
  std::string signature_name;  // response model_spec.signature_name
};

// Sends x = [2.0] to `spec`; `filter_y` adds output_filter "y". A response
// without exactly one float in "y" is reported as an INTERNAL status.
PredictXResult PredictX(tensorflow::serving::PredictionService::Stub& stub,
                        const tensorflow::serving::ModelSpec& spec,
                        bool filter_y = false);

// A ModelSpec naming `model`, and the version or label when given.
tensorflow::serving::ModelSpec SpecFor(const std::string& model,
                                       int64_t version = 0,
                                       const std::string& label = "");

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_TESTING_PREDICT_X_H_
