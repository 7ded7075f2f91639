#include "model_tool/model_path.h"

#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

bool IsFile(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::string SidecarBeside(const fs::path& file) {
  fs::path sidecar = file.parent_path() / kSignatureSidecarName;
  return IsFile(sidecar.string()) ? sidecar.string() : "";
}

ModelFiles CheckpointFiles(const std::string& prefix) {
  ModelFiles files;
  files.format = ModelFormat::kCheckpoint;
  files.dir = fs::path(prefix).parent_path().string();
  if (files.dir.empty()) files.dir = ".";
  files.model_file = prefix + ".meta";
  files.checkpoint_prefix = prefix;
  files.signature_sidecar = SidecarBeside(prefix);
  return files;
}

}  // namespace

absl::StatusOr<ModelPath> ResolveModelPath(const std::string& path) {
  ModelPath resolved;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    absl::StatusOr<ModelFiles> files = FindModelFiles(path);
    if (!files.ok()) return files.status();
    resolved.files = *files;
    if (files->format == ModelFormat::kSavedModel) {
      const std::string prefix = path + "/variables/variables";
      if (IsFile(prefix + ".index")) resolved.checkpoint_prefix = prefix;
    } else {
      resolved.checkpoint_prefix = files->checkpoint_prefix;
    }
    return resolved;
  }
  const fs::path file(path);
  const std::string name = file.filename().string();
  if (IsFile(path) &&
      (name == "saved_model.pb" || name == "saved_model.pbtxt")) {
    std::string dir = file.parent_path().string();
    return ResolveModelPath(dir.empty() ? "." : dir);
  }
  if (IsFile(path) && absl::EndsWith(name, ".meta")) {
    resolved.files = CheckpointFiles(path.substr(0, path.size() - 5));
    resolved.checkpoint_prefix = resolved.files->checkpoint_prefix;
    return resolved;
  }
  if (IsFile(path + ".index")) {
    resolved.checkpoint_prefix = path;
    if (IsFile(path + ".meta")) resolved.files = CheckpointFiles(path);
    return resolved;
  }
  if (IsFile(path) &&
      (absl::EndsWith(name, ".pb") || absl::EndsWith(name, ".pbtxt"))) {
    ModelFiles files;
    files.format = ModelFormat::kFrozenGraph;
    files.dir = file.parent_path().string();
    if (files.dir.empty()) files.dir = ".";
    files.model_file = path;
    files.signature_sidecar = SidecarBeside(file);
    resolved.files = files;
    return resolved;
  }
  return absl::NotFoundError(absl::StrCat(
      path,
      " is not a model: expected a model directory, a saved_model.pb, a "
      "frozen graph (.pb, .pbtxt), a checkpoint .meta or a checkpoint "
      "prefix (with a .index beside it)"));
}

}  // namespace model_server
