// `model_tool show` as text: saved_model_cli show's output for the same
// flags (tag sets; a tag set's signature keys; one signature's inputs and
// outputs; --all), followed by what saved_model_cli cannot show: the model's
// format, the op histogram with unsupported ops marked, functions,
// variables and assets.
#ifndef MODEL_SERVER_MODEL_TOOL_SHOW_TEXT_H_
#define MODEL_SERVER_MODEL_TOOL_SHOW_TEXT_H_

#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "model_tool/model_report.h"

namespace model_server {

struct ShowRequest {
  std::optional<std::set<std::string>> tag_set;  // --tag_set
  std::string signature_def;                     // --signature_def
  bool all = false;                              // --all
  bool values = false;                           // --values
};

// Fails with NOT_FOUND for a tag set or signature the model lacks (listing
// those it has).
absl::StatusOr<std::string> ShowText(const ModelReport& report,
                                     const ShowRequest& request);

// "DT_FLOAT", "(-1, 3)" / "unknown_rank": saved_model_cli's spellings.
std::string ShapeText(const tensorflow::TensorShapeProto& shape);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_SHOW_TEXT_H_
