// gRPC's ModelSpec as the RPC-independent ServableRequest that
// ModelManager::GetHandle resolves (TF Serving's
// ServerCore::ServableRequestFromModelSpec): the name, and the version or the
// version_label when one is set. The checks and error texts are
// ModelManager's (loader/model_manager.h).
#ifndef MODEL_SERVER_DAEMON_MODEL_SPEC_H_
#define MODEL_SERVER_DAEMON_MODEL_SPEC_H_

#include "loader/servable_request.h"
#include "tensorflow_serving/apis/model.pb.h"

namespace model_server {

ServableRequest ServableRequestFromModelSpec(
    const tensorflow::serving::ModelSpec& spec);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_MODEL_SPEC_H_
