#include "tests/corpus/corpus_models.h"

#include "absl/strings/match.h"
#include "loader/saved_model_reader.h"
#include "tests/testing/test_paths.h"

namespace model_server {

std::string ModelsDir() { return testing::SharedDir() + "/models"; }

bool HasGold(const std::string& model) {
  return absl::StartsWith(model, "tfs_") ||
         absl::StartsWith(model, "tfjsnode_");
}

std::set<std::string> ServingTags(const std::string& model,
                                  const std::string& export_dir) {
  const std::set<std::string> serve = {"serve"};
  if (HasGold(model)) return serve;
  absl::StatusOr<tensorflow::SavedModel> saved_model =
      ReadSavedModel(export_dir);
  if (!saved_model.ok() || saved_model->meta_graphs().empty()) return serve;
  for (const auto& meta_graph : saved_model->meta_graphs()) {
    const auto& tags = meta_graph.meta_info_def().tags();
    if (std::set<std::string>(tags.begin(), tags.end()) == serve) return serve;
  }
  const auto& tags = saved_model->meta_graphs(0).meta_info_def().tags();
  return std::set<std::string>(tags.begin(), tags.end());
}

absl::StatusOr<std::unique_ptr<LoadedModel>> LoadVersion(
    const std::string& model, const std::string& version) {
  const std::string export_dir = ModelsDir() + "/" + model + "/" + version;
  LoadOptions options;
  options.tags = ServingTags(model, export_dir);
  return LoadedModel::Load(export_dir, options);
}

}  // namespace model_server
