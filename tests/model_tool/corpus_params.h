// What the model_tool corpus tests share: the models of ../shared/models as
// test parameters, and the dtype to send a signature input.
#ifndef MODEL_SERVER_TESTS_MODEL_TOOL_CORPUS_PARAMS_H_
#define MODEL_SERVER_TESTS_MODEL_TOOL_CORPUS_PARAMS_H_

#include <string>
#include <vector>

#include "loader/loaded_model.h"
#include "tests/corpus/corpus_models.h"
#include "tests/corpus/gold_pairs.h"

namespace model_server {
namespace testing {

// The parameter that stands for "no ../shared": tests skip on it.
inline constexpr char kNoCorpus[] = "NoSharedCorpus";

inline std::vector<std::string> CorpusModelsOrNone() {
  std::vector<std::string> models = ListCorpusModels(ModelsDir());
  if (models.empty()) models.push_back(kNoCorpus);
  return models;
}

// The graph placeholder's dtype for `alias` (what Predict checks), else the
// TensorInfo's; DT_INVALID when neither says.
inline DataType SignatureInputDtype(const LoadedModel& model,
                                    const std::string& signature,
                                    const std::string& alias) {
  const Signature* sig = model.signatures().Find(signature);
  if (sig == nullptr) return DT_INVALID;
  int index = sig->FindInput(alias);
  if (index >= 0 && sig->inputs()[index].graph_dtype != DT_INVALID) {
    return sig->inputs()[index].graph_dtype;
  }
  auto info = sig->def().inputs().find(alias);
  return info == sig->def().inputs().end()
             ? DT_INVALID
             : static_cast<DataType>(info->second.dtype());
}

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_MODEL_TOOL_CORPUS_PARAMS_H_
