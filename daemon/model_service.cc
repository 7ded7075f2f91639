#include "daemon/model_service.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "daemon/grpc_status.h"
#include "daemon/model_status.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context,
                                 const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* ModelServiceImpl::GetModelStatus(
    grpc::CallbackServerContext* context,
    const tfs::GetModelStatusRequest* request,
    tfs::GetModelStatusResponse* response) {
  return Finish(context,
                model_server::GetModelStatus(*models_, *request, response));
}

grpc::ServerUnaryReactor* ModelServiceImpl::HandleReloadConfigRequest(
    grpc::CallbackServerContext* context,
    const tfs::ReloadConfigRequest* request,
    tfs::ReloadConfigResponse* response) {
  if (reloader_ == nullptr) {
    return Finish(context, absl::UnimplementedError(
                               "this server does not reload its config"));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Finished on the reloader's thread once the config is applied; gRPC keeps
  // `response` alive until then.
  reloader_->Reload(request->config(),
                    [reactor, response](const absl::Status& status) {
                      ToStatusProto(status, response->mutable_status());
                      reactor->Finish(ToGrpcStatus(status));
                    });
  return reactor;
}

}  // namespace model_server
