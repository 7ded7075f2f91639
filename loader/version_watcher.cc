#include "loader/version_watcher.h"

#include <chrono>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "loader/model_files.h"

namespace model_server {
namespace fs = std::filesystem;
namespace {

// Files untouched for this long are taken as completely written.
constexpr std::chrono::seconds kQuietPeriod(2);

// Names, sizes and modification times of every file below `dir`, so that a
// change anywhere (a file still growing, a new file) changes the result.
std::string Fingerprint(const fs::path& dir, fs::file_time_type* newest) {
  std::string fingerprint;
  *newest = fs::file_time_type::min();
  std::error_code ec;
  fs::recursive_directory_iterator it(
      dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) return absl::StrCat("unreadable:", ec.message());
  int entries = 0;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec || ++entries > 100000) break;
    const fs::directory_entry& entry = *it;
    std::error_code file_ec;
    if (!entry.is_regular_file(file_ec)) continue;
    auto size = entry.file_size(file_ec);
    fs::file_time_type written = entry.last_write_time(file_ec);
    if (written > *newest) *newest = written;
    auto mtime = written.time_since_epoch().count();
    absl::StrAppend(&fingerprint, entry.path().native(), ":", size, ":", mtime,
                    ";");
  }
  if (ec) absl::StrAppend(&fingerprint, "error:", ec.message());
  return fingerprint;
}

}  // namespace

std::optional<int64_t> ParseVersionDirectoryName(absl::string_view name) {
  if (name.empty() || name.size() > 18) return std::nullopt;
  for (char c : name) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  int64_t version;
  if (!absl::SimpleAtoi(name, &version)) return std::nullopt;
  return version;
}

absl::StatusOr<std::map<int64_t, VersionDirectory>> ListVersionDirectories(
    const std::string& base_path) {
  std::error_code ec;
  if (!fs::is_directory(base_path, ec)) {
    return absl::NotFoundError(
        absl::StrCat("Could not find base path ", base_path,
                     " (it does not exist or is not a directory)"));
  }
  std::map<int64_t, VersionDirectory> versions;
  fs::directory_iterator it(base_path, ec);
  if (ec) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot list ", base_path, ": ", ec.message()));
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    std::error_code entry_ec;
    if (!it->is_directory(entry_ec)) continue;
    std::optional<int64_t> version =
        ParseVersionDirectoryName(it->path().filename().native());
    if (!version.has_value()) continue;
    VersionDirectory directory;
    directory.path = it->path().native();
    fs::file_time_type newest;
    directory.has_model = HoldsModel(directory.path);
    directory.fingerprint = Fingerprint(it->path(), &newest);
    directory.quiet = newest < fs::file_time_type::clock::now() - kQuietPeriod;
    // "1" and "01" both name version 1: keep the first in name order.
    auto existing = versions.find(*version);
    if (existing == versions.end() || directory.path < existing->second.path) {
      versions[*version] = std::move(directory);
    }
  }
  return versions;
}

absl::StatusOr<VersionWatcher::Scan> VersionWatcher::Poll() {
  absl::StatusOr<std::map<int64_t, VersionDirectory>> listed =
      ListVersionDirectories(base_path_);
  if (!listed.ok()) return listed.status();
  Scan scan;
  std::map<int64_t, std::string> fingerprints;
  for (auto& [version, directory] : *listed) {
    scan.present.insert(version);
    fingerprints[version] = directory.fingerprint;
    auto previous = previous_fingerprints_.find(version);
    // Unchanged since the last scan, or untouched for a while (so a model
    // that was in place before the server started loads at once).
    const bool stable =
        directory.quiet || (previous != previous_fingerprints_.end() &&
                            previous->second == directory.fingerprint);
    if (directory.has_model && stable) {
      scan.complete.emplace(version, std::move(directory));
    }
  }
  previous_fingerprints_ = std::move(fingerprints);
  return scan;
}

}  // namespace model_server
