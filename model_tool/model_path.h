// What a model_tool --dir (or --input_*) path names: a version directory of
// any format (loader/model_files.h), a SavedModel's saved_model.pb, a frozen
// graph file, a checkpoint's .meta file, or a checkpoint prefix
// ("train/model.ckpt-1000", whose .index exists) with or without its .meta.
#ifndef MODEL_SERVER_MODEL_TOOL_MODEL_PATH_H_
#define MODEL_SERVER_MODEL_TOOL_MODEL_PATH_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "loader/model_files.h"

namespace model_server {

struct ModelPath {
  // The model, when the path names one with a graph.
  std::optional<ModelFiles> files;
  // A checkpoint prefix whose variables can be listed (with or without a
  // graph); "" when there is none.
  std::string checkpoint_prefix;
};

// Fails with NOT_FOUND when `path` names nothing model_tool can read, and
// like FindModelFiles for directories.
absl::StatusOr<ModelPath> ResolveModelPath(const std::string& path);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_MODEL_PATH_H_
