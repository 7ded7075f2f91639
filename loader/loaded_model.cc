#include "loader/loaded_model.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "glog/logging.h"
#include "loader/asset_feeds.h"
#include "runtime/executor.h"
#include "runtime/function_library.h"
#include "runtime/graph.h"
#include "runtime/missing_ops.h"
#include "runtime/plan.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// A plan for the restore or init run, with the given extra feed first and
// the asset feeds after it (those absent from the graph are skipped).
struct SetupRun {
  std::string what;
  std::unique_ptr<Plan> plan;
  std::vector<Tensor> feeds;
};

absl::StatusOr<SetupRun> CompileSetupRun(
    const std::string& what, const Graph& graph,
    const std::vector<std::string>& targets,
    const std::vector<std::pair<std::string, Tensor>>& extra_feeds,
    const std::vector<AssetFeed>& assets, const CompileEnv& env) {
  SetupRun run{what, nullptr, {}};
  std::vector<std::string> feed_names;
  for (const auto& [name, value] : extra_feeds) {
    feed_names.push_back(name);
    run.feeds.push_back(value);
  }
  for (const AssetFeed& asset : assets) {
    if (!graph.FindTensor(asset.tensor_name).ok()) continue;
    feed_names.push_back(asset.tensor_name);
    run.feeds.push_back(asset.path);
  }
  absl::StatusOr<std::unique_ptr<Plan>> plan =
      Plan::CompileByName(graph, feed_names, {}, targets, env);
  if (!plan.ok()) return plan.status();
  run.plan = *std::move(plan);
  return run;
}

}  // namespace

LoadedModel::~LoadedModel() = default;

absl::StatusOr<std::unique_ptr<LoadedModel>> LoadedModel::Load(
    const std::string& export_dir, const LoadOptions& options) {
  MS_ASSIGN_OR_RETURN(ModelFiles files, FindModelFiles(export_dir));
  MS_ASSIGN_OR_RETURN(ModelSource source, ReadModelSource(files, options.tags));
  return Load(std::move(source), options);
}

absl::StatusOr<std::unique_ptr<LoadedModel>> LoadedModel::Load(
    ModelSource source, const LoadOptions& options) {
  std::unique_ptr<LoadedModel> model(new LoadedModel());
  const std::string export_dir = source.files.dir;
  const std::string described = DescribeModel(source.files);
  model->export_dir_ = export_dir;
  model->files_ = source.files;
  model->signature_origin_ = source.signature_origin;
  model->meta_graph_ = std::move(source.meta_graph);
  const tensorflow::MetaGraphDef& meta_graph = model->meta_graph_;

  // Function plans are shared by the kernels that call them, so the library
  // (which points into the GraphDef) is only needed while compiling.
  auto functions = std::make_unique<FunctionLibrary>(
      meta_graph.graph_def().library(), &model->resources_, export_dir);
  MS_ASSIGN_OR_RETURN(
      std::unique_ptr<Graph> graph,
      Graph::FromGraphDef(meta_graph.graph_def(), functions.get()));
  CompileEnv env{&model->resources_, functions.get(), export_dir};
  MS_ASSIGN_OR_RETURN(std::vector<AssetFeed> assets,
                      CollectAssetFeeds(meta_graph, export_dir));

  std::set<std::string> missing;
  std::vector<std::string> errors;
  std::vector<SetupRun> setup;
  auto add_setup = [&](absl::StatusOr<SetupRun> run, const std::string& what) {
    if (run.ok()) {
      setup.push_back(*std::move(run));
      return;
    }
    std::set<std::string> ops = MissingOpsOf(run.status());
    if (!ops.empty()) {
      missing.insert(ops.begin(), ops.end());
    } else {
      errors.push_back(absl::StrCat(what, ": ", run.status().message()));
    }
  };

  const auto& saver = meta_graph.saver_def();
  if (!saver.restore_op_name().empty() && !source.restore_prefix.empty()) {
    add_setup(CompileSetupRun(
                  "restoring variables", *graph, {saver.restore_op_name()},
                  {{saver.filename_tensor_name(),
                    Tensor::Scalar<std::string>(source.restore_prefix)}},
                  assets, env),
              "restoring variables");
  } else if (!saver.restore_op_name().empty()) {
    LOG(INFO) << "The SavedModel at " << export_dir
              << " has no variables; no checkpoint was restored.";
  } else if (source.files.format == ModelFormat::kCheckpoint) {
    return absl::InvalidArgumentError(absl::StrCat(
        source.files.model_file,
        " has no SaverDef (restore_op_name), so the checkpoint's variables "
        "cannot be restored; write the .meta with tf.train.Saver"));
  }
  if (!source.init_targets.empty()) {
    add_setup(CompileSetupRun("running the init op", *graph,
                              source.init_targets, {}, assets, env),
              absl::StrCat("running the init op ",
                           absl::StrJoin(source.init_targets, ", ")));
  }

  // Signatures.
  std::set<std::string> signature_missing;
  int runnable = 0, total = 0;
  for (const auto& [key, def] : meta_graph.signature_def()) {
    if (key == kInitOpSignatureKey) continue;
    ++total;
    std::unique_ptr<Signature> signature =
        Signature::Compile(key, def, *graph, env);
    if (signature->status().ok()) {
      ++runnable;
      if (options.batch_scheduler != nullptr) {
        signature->EnableBatching(*options.batch_scheduler, options.batching);
      }
    } else {
      std::set<std::string> ops = MissingOpsOf(signature->status());
      signature_missing.insert(ops.begin(), ops.end());
      model->warnings_.push_back(std::string(signature->status().message()));
    }
    model->signatures_.Add(std::move(signature));
  }

  if (total > 0 && runnable == 0) {
    missing.insert(signature_missing.begin(), signature_missing.end());
    if (signature_missing.empty()) {
      errors.insert(errors.end(), model->warnings_.begin(),
                    model->warnings_.end());
    }
  }
  if (!missing.empty()) {
    std::string context = absl::StrCat("cannot load ", described);
    if (!errors.empty()) {
      absl::StrAppend(&context, " (also: ", absl::StrJoin(errors, "; "), ")");
    }
    return MissingOpsError(missing, context);
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot load ", described, ": ", absl::StrJoin(errors, "; ")));
  }

  for (SetupRun& run : setup) {
    std::vector<Tensor> unused;
    absl::Status status = RunPlan(*run.plan, run.feeds, &unused);
    if (!status.ok()) {
      return absl::Status(
          status.code(),
          absl::StrCat(run.what, " for ", described, ": ", status.message()));
    }
  }
  for (const std::string& warning : model->warnings_) {
    LOG(WARNING) << described << ": " << warning;
  }
  // Everything that needs the graph is compiled; keep only the metadata.
  setup.clear();
  graph.reset();
  functions.reset();
  if (!options.keep_graph_def) model->meta_graph_.clear_graph_def();
  return model;
}

}  // namespace model_server
