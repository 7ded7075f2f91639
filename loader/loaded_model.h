// One model version loaded and ready to serve: the chosen MetaGraphDef,
// its variables restored, its init op run, and every signature compiled.
// The version may be a SavedModel, a TF1 checkpoint or a frozen GraphDef
// (model_source.h); all three load into this one class.
//
// Loading follows TensorFlow's SavedModel loader: restore by running the
// SaverDef's restore op with its filename tensor fed the checkpoint prefix
// ("<dir>/variables/variables" for a SavedModel; skipped when there is no
// checkpoint), then run the init op (model_source.h says which), feeding
// asset paths to both. Ops that restore,
// init or a signature need are checked before anything runs: a missing op
// there, or in every signature, fails the load with one message listing every
// missing op; a signature with missing ops otherwise answers UNIMPLEMENTED.
//
// Immutable after Load() except for the model's own variables, which
// stateful signatures change under their own locks; safe to use from many
// threads.
#ifndef MODEL_SERVER_LOADER_LOADED_MODEL_H_
#define MODEL_SERVER_LOADER_LOADED_MODEL_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "loader/model_files.h"
#include "loader/model_source.h"
#include "runtime/resource.h"
#include "signatures/batch_scheduler.h"
#include "signatures/signature_map.h"
#include "tensorflow/core/protobuf/meta_graph.pb.h"

namespace model_server {

struct LoadOptions {
  // The SavedModel MetaGraphDef to load; other formats ignore it.
  std::set<std::string> tags = {"serve"};
  // Keep the GraphDef in meta_graph() after loading (model_tool freeze reads
  // it together with the restored variables); servers drop it.
  bool keep_graph_def = false;
  // --enable_batching: every runnable signature gets a batch queue on this
  // scheduler (signatures/batch_scheduler.h). Null: no batching.
  std::shared_ptr<BatchScheduler> batch_scheduler;
  BatchingOptions batching;
};

class LoadedModel {
 public:
  // Finds the model in `export_dir` (FindModelFiles) and loads it.
  static absl::StatusOr<std::unique_ptr<LoadedModel>> Load(
      const std::string& export_dir, const LoadOptions& options);
  // Loads a model already read (model_tool reads first to show or freeze).
  static absl::StatusOr<std::unique_ptr<LoadedModel>> Load(
      ModelSource source, const LoadOptions& options);
  ~LoadedModel();

  const std::string& export_dir() const { return export_dir_; }
  const ModelFiles& files() const { return files_; }
  SignatureOrigin signature_origin() const { return signature_origin_; }
  // The MetaGraphDef with its graph_def dropped after compiling (signatures,
  // collections and meta_info_def stay) unless LoadOptions.keep_graph_def.
  const tensorflow::MetaGraphDef& meta_graph() const { return meta_graph_; }
  // The model's variables and tables, as restore and init left them
  // (model_tool freeze reads them from a model it loaded for itself).
  ResourceManager* resources() { return &resources_; }
  const SignatureMap& signatures() const { return signatures_; }
  // Signatures that cannot run, with why (also logged at load).
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  LoadedModel() = default;

  std::string export_dir_;
  ModelFiles files_;
  SignatureOrigin signature_origin_ = SignatureOrigin::kModel;
  tensorflow::MetaGraphDef meta_graph_;
  ResourceManager resources_;
  // Declared last so compiled plans (and the kernels that hold resources)
  // are destroyed first.
  SignatureMap signatures_;
  std::vector<std::string> warnings_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_LOADED_MODEL_H_
