// Writes SavedModel directories without TensorFlow: the API tests use to make
// a model for any op or layout, and that write_example_model uses for the
// README's model.
//
//   SavedModelWriter model;
//   GraphBuilder& g = model.graph();
//   std::string x = g.Placeholder("x", DT_FLOAT, {-1});
//   std::string a = model.AddVariable("a", Tensor::Scalar(0.5f));
//   std::string y = g.Binary("y", "Mul", a, x, DT_FLOAT);
//   model.AddSignature("serving_default")
//       .Input("x", x, DT_FLOAT, {-1})
//       .Output("y", y, DT_FLOAT, {-1});
//   absl::Status status = model.Write("/tmp/m/1");
//
// What Write() produces, as TensorFlow's SavedModelBuilder does:
//   <dir>/saved_model.pb (or .pbtxt): one MetaGraphDef tagged {"serve"} (or
//     SetTags()), with the graph, signature_defs and collections;
//   <dir>/variables/variables.{index,data-00000-of-00001}: every variable's
//     value and every AddCheckpointTensor() entry, via BundleWriter;
//   <dir>/assets/<file>: each AddAsset() file.
// When there are variables, the graph also gets TensorFlow's restore
// subgraph: "save/Const" (PlaceholderWithDefault, the filename tensor),
// "save/RestoreV2" reading every variable by its checkpoint key,
// "save/Assign_<i>" (ref variables) or "save/AssignVariableOp_<i>"
// (resource variables), and the NoOp "save/restore_all"; the SaverDef names
// "save/Const:0" and "save/restore_all" (format V2).
//
// The writer never checks that the graph makes sense: tests may write broken
// models on purpose. Not thread-safe.
#ifndef MODEL_SERVER_TOOLS_SAVED_MODEL_BUILDER_H_
#define MODEL_SERVER_TOOLS_SAVED_MODEL_BUILDER_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/tensor.h"
#include "signatures/method_names.h"
#include "tensorflow/core/protobuf/meta_graph.pb.h"
#include "tensorflow/core/protobuf/saved_model.pb.h"
#include "tools/graph_builder.h"

namespace model_server {

// The TF1 collection that names the init op run after restoring.
inline constexpr char kMainOpCollectionKey[] = "saved_model_main_op";

// Fills one SignatureDef. Valid as long as the SavedModelWriter.
class SignatureBuilder {
 public:
  explicit SignatureBuilder(tensorflow::SignatureDef* def) : def_(def) {}

  // An input or output of unknown shape (TensorInfo unknown_rank).
  SignatureBuilder& Input(const std::string& alias,
                          const std::string& tensor_name, DataType dtype);
  SignatureBuilder& Output(const std::string& alias,
                           const std::string& tensor_name, DataType dtype);
  // With a known rank; -1 marks an unknown dimension.
  SignatureBuilder& Input(const std::string& alias,
                          const std::string& tensor_name, DataType dtype,
                          const Dims& dims);
  SignatureBuilder& Output(const std::string& alias,
                           const std::string& tensor_name, DataType dtype,
                           const Dims& dims);
  // SignatureDef.defaults: the value used when a request leaves `alias` out.
  SignatureBuilder& Default(const std::string& alias, const Tensor& value);

  tensorflow::SignatureDef* def() const { return def_; }

 private:
  tensorflow::SignatureDef* def_;
};

struct WriteOptions {
  // saved_model.pbtxt (text format) instead of saved_model.pb.
  bool text_format = false;
};

// How WriteCheckpoint() lays out a TF1 checkpoint, as tf.train.Saver does.
struct CheckpointOptions {
  // <dir>/<prefix_name>.meta, .index and .data-00000-of-00001.
  std::string prefix_name = "model.ckpt";
  // The `checkpoint` state file names this path (model_checkpoint_path);
  // empty names prefix_name. Tests write an absolute path from another
  // machine here.
  std::string state_path;
  bool write_state_file = true;
};

class SavedModelWriter {
 public:
  SavedModelWriter();
  SavedModelWriter(const SavedModelWriter&) = delete;
  SavedModelWriter& operator=(const SavedModelWriter&) = delete;

  // The graph to add nodes to.
  GraphBuilder& graph() { return graph_; }

  // A TF1 reference variable holding `value` after restore: VariableV2
  // `name` and its reader `name/read` (see GraphBuilder::VariableV2), with
  // `value` stored in the checkpoint under `name`. Returns "name/read:0".
  std::string AddVariable(const std::string& name, const Tensor& value);
  // A TF2 resource variable: VarHandleOp `name` and its ReadVariableOp,
  // restored from checkpoint key `checkpoint_key` (default: `name`).
  // Returns the read tensor.
  std::string AddResourceVariable(const std::string& name, const Tensor& value,
                                  const std::string& checkpoint_key = "");
  // A checkpoint entry that no variable restores (e.g. to test readers).
  // A later entry with the same key replaces an earlier one.
  void AddCheckpointTensor(const std::string& key, const Tensor& value);

  // Adds (or replaces) the signature `key`.
  SignatureBuilder AddSignature(
      const std::string& key,
      const std::string& method_name = kPredictMethodName);

  // Appends `value` to the node_list collection `collection`.
  void AddToCollection(const std::string& collection, const std::string& value);
  // Names `node` as the init op (collection saved_model_main_op).
  void SetMainOp(const std::string& node) {
    AddToCollection(kMainOpCollectionKey, node);
  }

  // An asset file, TF1 style: writes `contents` to assets/<filename>, adds
  // the string Const `node_name` holding `filename` (the loader feeds it the
  // full path) and lists it in the saved_model_assets and asset_filepaths
  // collections. Returns the Const's tensor name.
  std::string AddAsset(const std::string& node_name,
                       const std::string& filename,
                       const std::string& contents);

  // Replaces the MetaGraphDef's tags (default {"serve"}).
  void SetTags(const std::set<std::string>& tags);

  // The MetaGraphDef to edit directly (signatures, collections, saver_def,
  // meta_info_def). Its graph_def is ignored: Build() takes the graph().
  tensorflow::MetaGraphDef& meta_graph() { return meta_graph_; }

  // The SavedModel Write() would write: meta_graph() with the graph and,
  // when there are variables, the restore subgraph and SaverDef. Fails with
  // the graph's status() or INVALID_ARGUMENT for a variable that cannot be
  // stored.
  absl::StatusOr<tensorflow::SavedModel> Build() const;

  // The checkpoint tensors by key (variables and AddCheckpointTensor()).
  const std::map<std::string, Tensor>& checkpoint() const {
    return checkpoint_;
  }

  // Builds and writes the SavedModel to `export_dir` (see WriteSavedModel).
  absl::Status Write(const std::string& export_dir,
                     const WriteOptions& options = WriteOptions()) const;

  // Writes what tf.train.Saver writes instead of a SavedModel: the
  // MetaGraphDef (Build()'s, without tags) as <dir>/<prefix>.meta, the
  // variables as the bundle <dir>/<prefix>.index + .data-00000-of-00001, and
  // the `checkpoint` state file. Like Write(), `dir` must not exist and
  // appears whole (written beside it, then renamed).
  absl::Status WriteCheckpoint(
      const std::string& dir,
      const CheckpointOptions& options = CheckpointOptions()) const;

 private:
  struct Variable {
    std::string node;  // VariableV2 or VarHandleOp node
    std::string checkpoint_key;
    DataType dtype;
    bool resource;
  };

  GraphBuilder graph_;
  tensorflow::MetaGraphDef meta_graph_;
  std::vector<Variable> variables_;
  std::map<std::string, Tensor> checkpoint_;
  std::map<std::string, std::string> assets_;  // filename -> contents
};

// Writes a SavedModel directory: `saved_model`, the `checkpoint` bundle
// under variables/ (nothing when empty) and `assets` (filename -> contents)
// under assets/. Everything is written to a temporary sibling directory
// first and renamed into place, so a version watcher never sees a
// half-written version. Fails with ALREADY_EXISTS when `export_dir` exists
// (as TensorFlow's builder does), else with the I/O error naming the path.
absl::Status WriteSavedModel(const std::string& export_dir,
                             const tensorflow::SavedModel& saved_model,
                             const std::map<std::string, Tensor>& checkpoint,
                             const std::map<std::string, std::string>& assets,
                             const WriteOptions& options = WriteOptions());

}  // namespace model_server

#endif  // MODEL_SERVER_TOOLS_SAVED_MODEL_BUILDER_H_
