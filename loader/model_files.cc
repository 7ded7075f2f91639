#include "loader/model_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/text_format.h"
#include "tensorflow/python/training/checkpoint_state.pb.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

constexpr char kCheckpointStateFile[] = "checkpoint";
constexpr char kMetaSuffix[] = ".meta";
// Protobuf files that sit in model directories but are not graphs.
constexpr const char* kNotGraphs[] = {"saved_model.pb", "saved_model.pbtxt",
                                      kSignatureSidecarName,
                                      "keras_metadata.pb", "fingerprint.pb"};

bool IsFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

// What kind of file system object `status` describes, for error messages.
const char* FileKind(const fs::file_status& status) {
  switch (status.type()) {
    case fs::file_type::directory:
      return "a directory";
    case fs::file_type::fifo:
      return "a FIFO";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

// Regular files directly in `dir`, sorted by name.
std::vector<std::string> ListFiles(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code entry_ec;
    if (it->is_regular_file(entry_ec)) {
      names.push_back(it->path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// "" when <prefix>.index and every data shard exist; otherwise the first
// missing file's name.
std::string MissingCheckpointFile(const std::string& dir,
                                  const std::string& prefix_name,
                                  const std::vector<std::string>& files) {
  const std::string index = prefix_name + ".index";
  if (!std::binary_search(files.begin(), files.end(), index)) return index;
  // Shard names: <prefix>.data-00000-of-00002; the count comes from any one.
  const std::string data = prefix_name + ".data-";
  int shards = -1;
  for (const std::string& file : files) {
    if (!absl::StartsWith(file, data)) continue;
    absl::string_view rest = absl::string_view(file).substr(data.size());
    size_t of = rest.find("-of-");
    int count = 0;
    if (of != absl::string_view::npos &&
        absl::SimpleAtoi(rest.substr(of + 4), &count) && count > 0 &&
        count <= 100000) {
      shards = count;
      break;
    }
  }
  if (shards < 0) return absl::StrCat(data, "00000-of-00001");
  for (int i = 0; i < shards; ++i) {
    std::string shard = absl::StrFormat("%s%05d-of-%05d", data, i, shards);
    if (!std::binary_search(files.begin(), files.end(), shard)) return shard;
  }
  return "";
}

// The prefix named by the `checkpoint` file, reduced to its last path
// component, or "" when the file is absent. Fails when it does not parse.
absl::StatusOr<std::string> PrefixFromStateFile(const std::string& dir) {
  const std::string path = dir + "/" + kCheckpointStateFile;
  if (!IsFile(path)) return std::string();
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  tensorflow::CheckpointState state;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &state) ||
      state.model_checkpoint_path().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     " is not a checkpoint state file (expected a line "
                     "model_checkpoint_path: \"<prefix>\")"));
  }
  // The path may be absolute on the machine that trained: the checkpoint
  // is the one beside this file.
  return fs::path(state.model_checkpoint_path()).filename().string();
}

// Looks for a complete checkpoint. nullopt-like "" prefix with OK status
// means no checkpoint is present at all.
absl::StatusOr<std::string> FindCheckpointPrefix(
    const std::string& dir, const std::vector<std::string>& files) {
  std::vector<std::string> metas;
  for (const std::string& file : files) {
    if (absl::EndsWith(file, kMetaSuffix) && file.size() > 5) {
      metas.push_back(file.substr(0, file.size() - 5));
    }
  }
  absl::StatusOr<std::string> named = PrefixFromStateFile(dir);
  if (!named.ok()) return named.status();
  if (metas.empty()) {
    if (!named->empty()) {
      return absl::NotFoundError(
          absl::StrCat("the checkpoint file in ", dir, " names '", *named,
                       "' but ", dir, "/", *named, kMetaSuffix,
                       " (the MetaGraphDef, written by tf.train.Saver with "
                       "write_meta_graph=True) is missing"));
    }
    return std::string();
  }
  std::string prefix;
  if (!named->empty()) {
    if (std::find(metas.begin(), metas.end(), *named) == metas.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the checkpoint file in ", dir, " names '", *named, "' but only ",
          absl::StrJoin(metas, kMetaSuffix + std::string(", ")), kMetaSuffix,
          " is there"));
    }
    prefix = *named;
  } else if (metas.size() == 1) {
    prefix = metas[0];
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        dir, " holds several checkpoints (", absl::StrJoin(metas, ", "),
        ") and no checkpoint file saying which one to serve"));
  }
  std::string missing = MissingCheckpointFile(dir, prefix, files);
  if (!missing.empty()) {
    return absl::NotFoundError(absl::StrCat("checkpoint ", dir, "/", prefix,
                                            " is incomplete: ", missing,
                                            " is missing"));
  }
  return prefix;
}

std::vector<std::string> GraphFiles(const std::vector<std::string>& files) {
  std::vector<std::string> graphs;
  for (const std::string& file : files) {
    if (!absl::EndsWith(file, ".pb") && !absl::EndsWith(file, ".pbtxt")) {
      continue;
    }
    if (std::find(std::begin(kNotGraphs), std::end(kNotGraphs), file) !=
        std::end(kNotGraphs)) {
      continue;
    }
    graphs.push_back(file);
  }
  return graphs;
}

}  // namespace

absl::string_view ModelFormatName(ModelFormat format) {
  switch (format) {
    case ModelFormat::kSavedModel:
      return "SavedModel";
    case ModelFormat::kCheckpoint:
      return "TF1 checkpoint";
    case ModelFormat::kFrozenGraph:
      return "frozen GraphDef";
  }
  return "unknown format";
}

absl::StatusOr<ModelFiles> FindModelFiles(const std::string& dir) {
  ModelFiles found;
  found.dir = dir;
  for (const char* name : {"saved_model.pb", "saved_model.pbtxt"}) {
    std::error_code ec;
    // Follows links: a link to /dev/zero is a character device.
    const fs::file_status status = fs::status(fs::path(dir) / name, ec);
    if (fs::is_regular_file(status)) {
      found.format = ModelFormat::kSavedModel;
      found.model_file = dir + "/" + name;
      return found;
    }
    if (!ec && fs::exists(status)) {
      // Opening a FIFO would block, a device might never end: refused
      // before anything opens it, as a load error the operator sees.
      return absl::FailedPreconditionError(
          absl::StrCat(dir, "/", name, " is ", FileKind(status),
                       ", not a regular file: a SavedModel's graph must be a "
                       "regular file"));
    }
  }
  const std::vector<std::string> files = ListFiles(dir);
  if (IsFile(fs::path(dir) / kSignatureSidecarName)) {
    found.signature_sidecar = dir + "/" + kSignatureSidecarName;
  }
  absl::StatusOr<std::string> prefix = FindCheckpointPrefix(dir, files);
  if (!prefix.ok()) return prefix.status();
  if (!prefix->empty()) {
    found.format = ModelFormat::kCheckpoint;
    found.model_file = absl::StrCat(dir, "/", *prefix, kMetaSuffix);
    found.checkpoint_prefix = absl::StrCat(dir, "/", *prefix);
    return found;
  }
  std::vector<std::string> graphs = GraphFiles(files);
  if (graphs.size() == 1) {
    found.format = ModelFormat::kFrozenGraph;
    found.model_file = dir + "/" + graphs[0];
    return found;
  }
  if (graphs.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        dir, " holds several graph files (", absl::StrJoin(graphs, ", "),
        "); a version directory serves one: keep one, or make it a "
        "SavedModel"));
  }
  return absl::NotFoundError(absl::StrCat(
      "Could not find SavedModel .pb or .pbtxt at supplied export directory "
      "path: ",
      dir,
      ". Check that the directory exists and that you have the right "
      "permissions for accessing it. (Also looked for a TF1 checkpoint "
      "(<prefix>.meta, .index, .data-*) and a frozen GraphDef (*.pb, "
      "*.pbtxt).)"));
}

bool HoldsModel(const std::string& dir) {
  absl::StatusOr<ModelFiles> files = FindModelFiles(dir);
  return files.ok() || files.status().code() != absl::StatusCode::kNotFound;
}

}  // namespace model_server
