// What `model_tool run` and `model_tool benchmark` share: the model that
// --dir names, loaded with --tag_set (default "serve"), and its
// --signature_def (default serving_default), ready to run.
#ifndef MODEL_SERVER_MODEL_TOOL_RUNNABLE_MODEL_H_
#define MODEL_SERVER_MODEL_TOOL_RUNNABLE_MODEL_H_

#include <memory>

#include "absl/status/statusor.h"
#include "loader/loaded_model.h"
#include "model_tool/command_line.h"
#include "signatures/signature_map.h"

namespace model_server {

struct RunnableModel {
  std::unique_ptr<LoadedModel> model;
  const Signature* signature = nullptr;  // owned by `model`
};

// Fails like ResolveModelPath and LoadedModel::Load; INVALID_ARGUMENT for a
// checkpoint without its graph; NOT_FOUND (listing the model's keys) for an
// unknown signature; the signature's own error when it could not be built.
absl::StatusOr<RunnableModel> LoadRunnableModel(const CommandLine& flags);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_RUNNABLE_MODEL_H_
