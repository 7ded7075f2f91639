// Helpers for model_tool tests: run a subcommand in-process and capture what
// it prints; run a loaded model's signature on float inputs.
#ifndef MODEL_SERVER_TESTS_MODEL_TOOL_TOOL_RUNNER_H_
#define MODEL_SERVER_TESTS_MODEL_TOOL_TOOL_RUNNER_H_

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "loader/loaded_model.h"
#include "model_tool/commands.h"
#include "tests/loader/predict_in_process.h"

namespace model_server {
namespace testing {

struct ToolResult {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs `command` ("show", "run", "freeze") with `args`.
inline ToolResult RunTool(const std::string& command,
                          const std::vector<std::string>& args) {
  std::ostringstream out, err;
  ToolResult result;
  if (command == "show") result.code = ShowCommand(args, out, err);
  if (command == "run") result.code = RunCommand(args, out, err);
  if (command == "freeze") result.code = FreezeCommand(args, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

using TensorMap = Tensors;

// Predict in-process, as the daemon runs it; outputs by alias.
inline absl::StatusOr<TensorMap> PredictInProcess(const LoadedModel& model,
                                                  const std::string& signature,
                                                  const TensorMap& inputs) {
  return Predict(model, signature, inputs);
}

inline std::vector<float> Floats(const Tensor& tensor) {
  const float* data = tensor.data<float>();
  return std::vector<float>(data, data + tensor.NumElements());
}

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_MODEL_TOOL_TOOL_RUNNER_H_
