// GetModelStatus on the ModelManager, shared by the gRPC ModelService and
// the REST API (research notes section 4): "Missing ModelSpec" when absent;
// with a version, that version's entry or NOT_FOUND "Could not find version
// <v> of model <name>"; without, every version the model's manager has seen,
// highest first, or NOT_FOUND "Could not find any versions of model <name>".
// Each entry carries the state (START/LOADING/AVAILABLE/UNLOADING/END) and a
// StatusProto whose error_code/error_message hold a failed load's error.
// version_label is ignored, as in TF Serving. Thread-safe.
#ifndef MODEL_SERVER_DAEMON_MODEL_STATUS_H_
#define MODEL_SERVER_DAEMON_MODEL_STATUS_H_

#include "absl/status/status.h"
#include "loader/model_manager.h"
#include "tensorflow_serving/apis/get_model_status.pb.h"

namespace model_server {

// TF Serving's ToStatusProto: the code, and the message only when not OK.
void ToStatusProto(const absl::Status& from,
                   tensorflow::serving::StatusProto* to);

absl::Status GetModelStatus(
    const ModelManager& models,
    const tensorflow::serving::GetModelStatusRequest& request,
    tensorflow::serving::GetModelStatusResponse* response);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_MODEL_STATUS_H_
