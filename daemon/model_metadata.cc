#include "daemon/model_metadata.h"

#include "absl/strings/str_cat.h"
#include "daemon/model_spec.h"

namespace model_server {

namespace tfs = tensorflow::serving;

absl::Status GetModelMetadata(const ModelManager& models,
                              const tfs::GetModelMetadataRequest& request,
                              tfs::GetModelMetadataResponse* response) {
  if (!request.has_model_spec()) {
    return absl::InvalidArgumentError("Missing ModelSpec");
  }
  if (request.metadata_field().empty()) {
    return absl::InvalidArgumentError(
        "GetModelMetadataRequest must specify at least one metadata_field");
  }
  for (const std::string& field : request.metadata_field()) {
    if (field != kSignatureDefField) {
      // TF Serving builds this text with StrCat: the "%s" is literal and the
      // field follows without a space. Clients may match on it.
      return absl::InvalidArgumentError(
          absl::StrCat("Metadata field %s is not supported", field));
    }
  }
  absl::StatusOr<ServableHandle> handle =
      models.GetHandle(ServableRequestFromModelSpec(request.model_spec()));
  if (!handle.ok()) return handle.status();
  const ServedVersion& served = **handle;
  tfs::ModelSpec* spec = response->mutable_model_spec();
  spec->set_name(served.model_name);
  spec->mutable_version()->set_value(served.version);
  tfs::SignatureDefMap signature_defs;
  *signature_defs.mutable_signature_def() =
      served.model->meta_graph().signature_def();
  (*response->mutable_metadata())[kSignatureDefField].PackFrom(signature_defs);
  return absl::OkStatus();
}

}  // namespace model_server
