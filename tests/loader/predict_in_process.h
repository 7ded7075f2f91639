// Runs Predict on a LoadedModel in-process, as the daemon does, with the
// inputs and outputs as runtime Tensors keyed by alias (loader tests).
#ifndef MODEL_SERVER_TESTS_LOADER_PREDICT_IN_PROCESS_H_
#define MODEL_SERVER_TESTS_LOADER_PREDICT_IN_PROCESS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "loader/loaded_model.h"
#include "runtime/tensor_proto.h"
#include "signatures/predict.h"

namespace model_server {

using Tensors = std::map<std::string, Tensor>;

inline absl::StatusOr<Tensors> Predict(const LoadedModel& model,
                                       const std::string& signature,
                                       const Tensors& inputs) {
  tensorflow::serving::PredictRequest request;
  request.mutable_model_spec()->set_name("test");
  request.mutable_model_spec()->set_signature_name(signature);
  for (const auto& [alias, tensor] : inputs) {
    absl::Status status =
        TensorToProto(tensor, &(*request.mutable_inputs())[alias]);
    if (!status.ok()) return status;
  }
  tensorflow::serving::PredictResponse response;
  std::string key;
  absl::Status status =
      RunPredict(model.signatures(), request, RunOptions(), &response, &key);
  if (!status.ok()) return status;
  Tensors outputs;
  for (const auto& [alias, proto] : response.outputs()) {
    absl::StatusOr<Tensor> tensor = TensorFromProto(proto);
    if (!tensor.ok()) return tensor.status();
    outputs[alias] = *tensor;
  }
  return outputs;
}

}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_LOADER_PREDICT_IN_PROCESS_H_
