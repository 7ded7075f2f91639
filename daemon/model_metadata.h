// GetModelMetadata on the ModelManager, shared by the gRPC
// PredictionService and the REST API, with TF Serving's checks (research
// notes section 3): "Missing ModelSpec"; "GetModelMetadataRequest must
// specify at least one metadata_field"; "Metadata field %s is not
// supported<field>" for anything but "signature_def"; then the version
// lookup. Answers metadata["signature_def"] = Any(SignatureDefMap) with every
// signature of the loaded MetaGraphDef. Thread-safe.
#ifndef MODEL_SERVER_DAEMON_MODEL_METADATA_H_
#define MODEL_SERVER_DAEMON_MODEL_METADATA_H_

#include "absl/status/status.h"
#include "loader/model_manager.h"
#include "tensorflow_serving/apis/get_model_metadata.pb.h"

namespace model_server {

// The metadata field TF Serving supports.
inline constexpr char kSignatureDefField[] = "signature_def";

absl::Status GetModelMetadata(
    const ModelManager& models,
    const tensorflow::serving::GetModelMetadataRequest& request,
    tensorflow::serving::GetModelMetadataResponse* response);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_MODEL_METADATA_H_
