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
  return Finish(context, absl::UnimplementedError(
                             "HandleReloadConfigRequest is not implemented "
                             "yet: the daemon serves the model given by "
                             "--model_name and --model_base_path"));
}

}  // namespace model_server
