#include "tests/testing/predict_x.h"

#include "tests/testing/daemon_process.h"

namespace model_server {
namespace testing {

namespace tfs = tensorflow::serving;

PredictXResult PredictX(tfs::PredictionService::Stub& stub,
                        const tfs::ModelSpec& spec, bool filter_y) {
  tfs::PredictRequest request;
  *request.mutable_model_spec() = spec;
  (*request.mutable_inputs())["x"] = FloatTensorProto({2.0f}, {1});
  if (filter_y) request.add_output_filter("y");
  tfs::PredictResponse response;
  PredictXResult result;
  result.status = CallPredict(stub, request, &response, absl::Seconds(10));
  if (!result.status.ok()) return result;
  auto y = response.outputs().find("y");
  const std::vector<float> values = y == response.outputs().end()
                                        ? std::vector<float>()
                                        : FloatValues(y->second);
  if (values.size() != 1) {
    result.status =
        grpc::Status(grpc::StatusCode::INTERNAL,
                     "unexpected response: " + response.ShortDebugString());
    return result;
  }
  result.y = values[0];
  result.version = response.model_spec().version().value();
  result.model_name = response.model_spec().name();
  result.signature_name = response.model_spec().signature_name();
  return result;
}

tfs::ModelSpec SpecFor(const std::string& model, int64_t version,
                       const std::string& label) {
  tfs::ModelSpec spec;
  spec.set_name(model);
  if (version != 0) spec.mutable_version()->set_value(version);
  if (!label.empty()) spec.set_version_label(label);
  return spec;
}

}  // namespace testing
}  // namespace model_server
