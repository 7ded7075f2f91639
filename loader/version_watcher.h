// Finds the servable versions under a model's base path.
//
// A version is a child directory whose whole name is a decimal integer
// (leading zeros allowed: "00000123" is version 123); anything else is
// ignored. A version is reported complete only when it holds a model
// (model_files.h: a SavedModel, a complete TF1 checkpoint or a frozen
// GraphDef) and its files have not changed since the previous scan (or have
// not been modified for a few seconds), so a version still being copied is
// never loaded half-written.
#ifndef MODEL_SERVER_LOADER_VERSION_WATCHER_H_
#define MODEL_SERVER_LOADER_VERSION_WATCHER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace model_server {

// Parses a version directory name; nullopt if it is not one.
std::optional<int64_t> ParseVersionDirectoryName(absl::string_view name);

struct VersionDirectory {
  std::string path;
  // Summary of the directory's files (names, sizes, modification times);
  // equal fingerprints mean nothing changed.
  std::string fingerprint;
  // It holds a model (HoldsModel in model_files.h).
  bool has_model = false;
  // No file was modified in the last few seconds.
  bool quiet = false;
};

// Lists the version directories under `base_path`. Fails with NOT_FOUND when
// the base path does not exist or is not a directory.
absl::StatusOr<std::map<int64_t, VersionDirectory>> ListVersionDirectories(
    const std::string& base_path);

// Remembers the previous scan to tell complete versions from ones still being
// written. Not thread-safe; owned by the thread that polls.
class VersionWatcher {
 public:
  explicit VersionWatcher(std::string base_path)
      : base_path_(std::move(base_path)) {}

  struct Scan {
    // Complete versions, by number.
    std::map<int64_t, VersionDirectory> complete;
    // Every version directory present, complete or not.
    std::set<int64_t> present;
  };
  // Scans the base path. Fails like ListVersionDirectories.
  absl::StatusOr<Scan> Poll();

  const std::string& base_path() const { return base_path_; }

 private:
  std::string base_path_;
  std::map<int64_t, std::string> previous_fingerprints_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_VERSION_WATCHER_H_
