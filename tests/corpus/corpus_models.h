// Where the shared model corpus is and how the corpus tests load its models.
#ifndef MODEL_SERVER_TESTS_CORPUS_CORPUS_MODELS_H_
#define MODEL_SERVER_TESTS_CORPUS_CORPUS_MODELS_H_

#include <memory>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "loader/loaded_model.h"

namespace model_server {

// ../shared/models.
std::string ModelsDir();

// True for the models whose gold pairs are an acceptance test (tfs_* and
// tfjsnode_*).
bool HasGold(const std::string& model);

// The tag set to load `export_dir` with: {"serve"} for the gold models and
// for every model that has it; otherwise the first MetaGraphDef's tags, which
// a TF Serving user would pass with --saved_model_tags
// (tfrust_regression_model is tagged {serve, train}).
std::set<std::string> ServingTags(const std::string& model,
                                  const std::string& export_dir);

// Loads ModelsDir()/<model>/<version> with ServingTags.
absl::StatusOr<std::unique_ptr<LoadedModel>> LoadVersion(
    const std::string& model, const std::string& version);

}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_CORPUS_CORPUS_MODELS_H_
