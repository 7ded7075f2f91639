#include "model_tool/runnable_model.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "loader/saved_model_reader.h"
#include "model_tool/model_path.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::StatusOr<RunnableModel> LoadRunnableModel(const CommandLine& flags) {
  MS_ASSIGN_OR_RETURN(ModelPath path, ResolveModelPath(flags.Get("dir")));
  if (!path.files.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flags.Get("dir"),
                     " is a checkpoint without its .meta graph: there is "
                     "nothing to run"));
  }
  MS_ASSIGN_OR_RETURN(
      ModelSource source,
      ReadModelSource(*path.files, ParseTags(flags.Get("tag_set", "serve"))));
  RunnableModel runnable;
  MS_ASSIGN_OR_RETURN(runnable.model,
                      LoadedModel::Load(std::move(source), LoadOptions()));
  const std::string key = flags.Get("signature_def", kDefaultSignatureKey);
  runnable.signature = runnable.model->signatures().Find(key);
  if (runnable.signature == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "no signature '", key,
        "'; the model has: ", runnable.model->signatures().KeyList()));
  }
  MS_RETURN_IF_ERROR(runnable.signature->status());
  return runnable;
}

}  // namespace model_server
