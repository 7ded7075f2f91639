// What `model_tool show` reports about a model: saved_model_cli's tag sets
// and signatures, plus the op histogram (each op marked supported or not by
// this runtime), the function library, the checkpoint's variables (dtype,
// shape, bytes; values on request) and the asset files.
#ifndef MODEL_SERVER_MODEL_TOOL_MODEL_REPORT_H_
#define MODEL_SERVER_MODEL_TOOL_MODEL_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "loader/model_files.h"
#include "loader/model_source.h"
#include "runtime/tensor.h"
#include "tensorflow/core/protobuf/meta_graph.pb.h"

namespace model_server {

struct OpUse {
  std::string op;
  int count = 0;  // nodes in the graph and in function bodies
  bool supported = false;
  bool is_function = false;  // the op names a library function
  // Every node of this op is save, restore, init or training plumbing
  // (loader/signature_inference.h): serving never runs it.
  bool plumbing_only = false;
};

struct FunctionUse {
  std::string name;
  int nodes = 0;
};

struct MetaGraphReport {
  std::set<std::string> tags;
  std::map<std::string, tensorflow::SignatureDef> signatures;
  SignatureOrigin signature_origin = SignatureOrigin::kModel;
  int graph_nodes = 0;
  // Most used first, then by name.
  std::vector<OpUse> ops;
  std::vector<FunctionUse> functions;

  // Unsupported ops, sorted; `serving_only` leaves out plumbing-only ones.
  std::vector<std::string> UnsupportedOps(bool serving_only = false) const;
};

struct VariableReport {
  std::string name;
  DataType dtype = DT_INVALID;
  std::vector<int64_t> shape;
  int64_t bytes = 0;
  std::optional<Tensor> value;  // with ReportOptions.values
  std::string error;            // why the value could not be read
};

struct AssetReport {
  std::string name;  // relative to the model directory (assets/foo.txt)
  int64_t bytes = 0;
};

struct ModelReport {
  std::string path;  // what was asked for
  // Absent for a checkpoint prefix without its .meta (variables only).
  std::optional<ModelFormat> format;
  std::string model_file;
  std::vector<MetaGraphReport> meta_graphs;
  std::string checkpoint_prefix;  // "" when there are no variables
  std::vector<VariableReport> variables;
  std::vector<AssetReport> assets;

  int64_t VariableBytes() const;
  // The meta graph with exactly `tags`, or null.
  const MetaGraphReport* FindMetaGraph(const std::set<std::string>& tags) const;
};

struct ReportOptions {
  bool values = false;  // read every variable's value
};

// Reads the model at `path` (model_path.h says what a path may name). Fails
// like ResolveModelPath and the readers; a variable whose value cannot be
// read is reported with its error instead.
absl::StatusOr<ModelReport> BuildModelReport(const std::string& path,
                                             const ReportOptions& options);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_MODEL_REPORT_H_
