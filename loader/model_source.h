// The three model readers: a SavedModel, a TF1 checkpoint or a frozen
// GraphDef, each read into the same ModelSource, from which LoadedModel
// builds one kind of loaded model. Nothing above the loader knows which
// format a version came in.
//
//   SavedModel: the MetaGraphDef whose tag set equals the requested one;
//     variables from <dir>/variables/variables; the init op from
//     __saved_model_init_op, saved_model_main_op or legacy_init_op; assets.
//   TF1 checkpoint: the MetaGraphDef of <prefix>.meta (tags are not
//     checked: a Saver's MetaGraphDef has none); variables restored through
//     its SaverDef from <prefix>; ops of the table_initializer collection
//     (tf.tables_initializer) run after restoring; signatures from
//     signatures.pbtxt, else the MetaGraphDef's signature_def map, else
//     inferred (signature_inference.h).
//   Frozen GraphDef: the graph alone; signatures from signatures.pbtxt, else
//     inferred; a node named init_all_tables (what tf.tables_initializer
//     names its op) runs at load when the graph has one.
#ifndef MODEL_SERVER_LOADER_MODEL_SOURCE_H_
#define MODEL_SERVER_LOADER_MODEL_SOURCE_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "loader/model_files.h"
#include "tensorflow/core/protobuf/meta_graph.pb.h"

namespace model_server {

// Where a model's signatures came from (GetModelMetadata does not say;
// model_tool show does).
enum class SignatureOrigin { kModel, kSidecar, kInferred };

struct ModelSource {
  ModelFiles files;
  // The graph and its signatures; for a frozen graph a MetaGraphDef made
  // around it.
  tensorflow::MetaGraphDef meta_graph;
  SignatureOrigin signature_origin = SignatureOrigin::kModel;
  // The checkpoint prefix the SaverDef's restore op is fed, or "" when
  // nothing is restored.
  std::string restore_prefix;
  // Nodes run once after restoring (the init op), in order.
  std::vector<std::string> init_targets;
};

// Reads the model `files` describe. `tags` selects a SavedModel's
// MetaGraphDef and is ignored by the other formats. Fails like the
// underlying readers (NOT_FOUND, INVALID_ARGUMENT naming the file,
// FAILED_PRECONDITION when signatures cannot be inferred).
absl::StatusOr<ModelSource> ReadModelSource(const ModelFiles& files,
                                            const std::set<std::string>& tags);

// "SavedModel at <dir>", "TF1 checkpoint <prefix>", "frozen GraphDef
// <file>", for messages.
std::string DescribeModel(const ModelFiles& files);

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_MODEL_SOURCE_H_
