// tensorflow.serving.ModelService on gRPC's callback API.
//
//   - GetModelStatus (research notes §4): "Missing ModelSpec" when absent;
//     with a version, that version's entry or NOT_FOUND
//     "Could not find version <v> of model <name>"; without, every version
//     the model's manager has seen, highest first, or NOT_FOUND
//     "Could not find any versions of model <name>". Each entry carries the
//     state (START/LOADING/AVAILABLE/UNLOADING/END) and a StatusProto whose
//     error_code/error_message hold a failed load's error. version_label is
//     ignored, as in TF Serving.
//   - HandleReloadConfigRequest: the config goes to the ConfigReloader, which
//     applies it on its own thread; the call finishes when the new models
//     are AVAILABLE, or with the error (INVALID_ARGUMENT for a config that is
//     not a model_config_list, TF Serving's validation and label errors,
//     UNKNOWN "<n> model(s) did not become available: ..."). The response's
//     status carries the same code and message. Without a reloader the RPC
//     answers UNIMPLEMENTED.
//
// Thread-safe; no mutable state.
#ifndef MODEL_SERVER_DAEMON_MODEL_SERVICE_H_
#define MODEL_SERVER_DAEMON_MODEL_SERVICE_H_

#include "daemon/config_reloader.h"
#include "loader/model_manager.h"
#include "tensorflow_serving/apis/model_service.grpc.pb.h"

namespace model_server {

class ModelServiceImpl final
    : public tensorflow::serving::ModelService::CallbackService {
 public:
  // `models` and `reloader` (may be null) must outlive the service.
  ModelServiceImpl(const ModelManager* models, ConfigReloader* reloader)
      : models_(models), reloader_(reloader) {}

  grpc::ServerUnaryReactor* GetModelStatus(
      grpc::CallbackServerContext* context,
      const tensorflow::serving::GetModelStatusRequest* request,
      tensorflow::serving::GetModelStatusResponse* response) override;

  grpc::ServerUnaryReactor* HandleReloadConfigRequest(
      grpc::CallbackServerContext* context,
      const tensorflow::serving::ReloadConfigRequest* request,
      tensorflow::serving::ReloadConfigResponse* response) override;

 private:
  const ModelManager* const models_;
  ConfigReloader* const reloader_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_MODEL_SERVICE_H_
