#include "daemon/model_status.h"

#include <optional>
#include <vector>

#include "tensorflow/core/protobuf/error_codes.pb.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;

void ToProto(const VersionStatus& from, tfs::ModelVersionStatus* to) {
  to->set_version(from.version);
  to->set_state(static_cast<tfs::ModelVersionStatus::State>(from.state));
  ToStatusProto(from.status, to->mutable_status());
}

}  // namespace

void ToStatusProto(const absl::Status& from, tfs::StatusProto* to) {
  to->set_error_code(static_cast<tensorflow::error::Code>(from.code()));
  if (!from.ok()) to->set_error_message(std::string(from.message()));
}

absl::Status GetModelStatus(const ModelManager& models,
                            const tfs::GetModelStatusRequest& request,
                            tfs::GetModelStatusResponse* response) {
  if (!request.has_model_spec()) {
    return absl::InvalidArgumentError("Missing ModelSpec");
  }
  const tfs::ModelSpec& spec = request.model_spec();
  std::optional<int64_t> version;
  if (spec.has_version()) version = spec.version().value();
  absl::StatusOr<std::vector<VersionStatus>> statuses =
      models.GetModelStatus(spec.name(), version);
  if (!statuses.ok()) return statuses.status();
  for (const VersionStatus& status : *statuses) {
    ToProto(status, response->add_model_version_status());
  }
  return absl::OkStatus();
}

}  // namespace model_server
