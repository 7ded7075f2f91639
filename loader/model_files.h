// Which model format a version directory holds, and the files to read.
//
// Three formats are served (docs/model_formats.md):
//   - a SavedModel: saved_model.pb or saved_model.pbtxt;
//   - a TF1 checkpoint: <prefix>.meta (the MetaGraphDef tf.train.Saver
//     writes) with <prefix>.index and every <prefix>.data-NNNNN-of-NNNNN
//     shard; the `checkpoint` file, when present, names the prefix;
//   - a frozen GraphDef: one *.pb or *.pbtxt file other than
//     saved_model.pb[txt] and signatures.pbtxt.
// A directory holding several is read in that order of preference. Only the
// top level of the directory is looked at, and every file must be inside it
// (a `checkpoint` file naming a path elsewhere, as TensorFlow writes on the
// machine that trained, is read for its last component only).
#ifndef MODEL_SERVER_LOADER_MODEL_FILES_H_
#define MODEL_SERVER_LOADER_MODEL_FILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace model_server {

enum class ModelFormat { kSavedModel, kCheckpoint, kFrozenGraph };

// "SavedModel", "TF1 checkpoint", "frozen GraphDef".
absl::string_view ModelFormatName(ModelFormat format);

// The name of the optional signature sidecar beside a frozen graph or a
// checkpoint: a text-format tensorflow.serving.SignatureDefMap.
inline constexpr char kSignatureSidecarName[] = "signatures.pbtxt";

struct ModelFiles {
  ModelFormat format = ModelFormat::kSavedModel;
  // The version directory.
  std::string dir;
  // SavedModel: saved_model.pb or .pbtxt; checkpoint: the .meta file;
  // frozen graph: the GraphDef file.
  std::string model_file;
  // Checkpoint only: the prefix of its .index and .data-* files.
  std::string checkpoint_prefix;
  // <dir>/signatures.pbtxt when it exists (frozen graph and checkpoint only).
  std::string signature_sidecar;
};

// Finds the model in `dir`. Fails with NOT_FOUND when there is none (saying
// what was looked for, and which file an incomplete checkpoint lacks), and
// with INVALID_ARGUMENT when the choice is ambiguous (several graph files;
// several checkpoints and no `checkpoint` file naming one; a `checkpoint`
// file naming a prefix that is not there), and with FAILED_PRECONDITION when
// saved_model.pb or .pbtxt exists but is not a regular file (a FIFO, which
// would block a reader, a device or a link to one, a directory).
absl::StatusOr<ModelFiles> FindModelFiles(const std::string& dir);

// True when `dir` holds something FindModelFiles recognizes, even if the
// choice is ambiguous (the load then reports why): what the version watcher
// calls a model being present.
bool HoldsModel(const std::string& dir);

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_MODEL_FILES_H_
