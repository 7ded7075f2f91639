#include "model_tool/model_report.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/container/flat_hash_set.h"
#include "loader/saved_model_reader.h"
#include "loader/signature_inference.h"
#include "model_tool/model_path.h"
#include "runtime/bundle/bundle_reader.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

MetaGraphReport ReportMetaGraph(const tensorflow::MetaGraphDef& meta_graph,
                                SignatureOrigin origin) {
  MetaGraphReport report;
  const auto& tags = meta_graph.meta_info_def().tags();
  report.tags = std::set<std::string>(tags.begin(), tags.end());
  for (const auto& [key, def] : meta_graph.signature_def()) {
    report.signatures[key] = def;
  }
  report.signature_origin = origin;
  const auto& graph = meta_graph.graph_def();
  report.graph_nodes = graph.node_size();
  absl::flat_hash_set<std::string> functions;
  for (const auto& function : graph.library().function()) {
    functions.insert(function.signature().name());
    report.functions.push_back(
        {function.signature().name(), function.node_def_size()});
  }
  std::map<std::string, int> counts;
  std::map<std::string, bool> plumbing_only;
  auto count = [&](const tensorflow::NodeDef& node) {
    ++counts[node.op()];
    auto it = plumbing_only.emplace(node.op(), true).first;
    it->second = it->second && IsPlumbing(node);
  };
  for (const auto& node : graph.node()) count(node);
  for (const auto& function : graph.library().function()) {
    for (const auto& node : function.node_def()) count(node);
  }
  for (const auto& [op, n] : counts) {
    OpUse use{op, n, FindOp(op) != nullptr, functions.contains(op),
              plumbing_only[op]};
    if (use.is_function) use.supported = true;
    report.ops.push_back(use);
  }
  std::stable_sort(
      report.ops.begin(), report.ops.end(),
      [](const OpUse& a, const OpUse& b) { return a.count > b.count; });
  return report;
}

absl::Status ReportVariables(const std::string& prefix,
                             const ReportOptions& options,
                             ModelReport* report) {
  MS_ASSIGN_OR_RETURN(std::unique_ptr<BundleReader> reader,
                      BundleReader::Open(prefix));
  report->checkpoint_prefix = prefix;
  for (const std::string& key : reader->Keys()) {
    VariableReport variable;
    variable.name = key;
    absl::StatusOr<BundleEntryInfo> info = reader->GetEntryInfo(key);
    if (!info.ok()) {
      variable.error = std::string(info.status().message());
    } else {
      variable.dtype = info->dtype;
      for (int d = 0; d < info->shape.rank(); ++d) {
        variable.shape.push_back(info->shape.dim(d));
      }
      variable.bytes = reader->StoredBytes(key);
    }
    if (options.values && variable.error.empty()) {
      absl::StatusOr<Tensor> value = reader->Lookup(key);
      if (value.ok()) {
        variable.value = *value;
      } else {
        variable.error = std::string(value.status().message());
      }
    }
    report->variables.push_back(std::move(variable));
  }
  return absl::OkStatus();
}

void ReportAssets(const std::string& dir, ModelReport* report) {
  for (const char* folder : {"assets", "assets.extra"}) {
    std::error_code ec;
    fs::directory_iterator it(fs::path(dir) / folder, ec);
    std::vector<AssetReport> found;
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::error_code entry_ec;
      if (!it->is_regular_file(entry_ec)) continue;
      found.push_back(
          {std::string(folder) + "/" + it->path().filename().string(),
           static_cast<int64_t>(it->file_size(entry_ec))});
    }
    std::sort(found.begin(), found.end(),
              [](const AssetReport& a, const AssetReport& b) {
                return a.name < b.name;
              });
    report->assets.insert(report->assets.end(), found.begin(), found.end());
  }
}

}  // namespace

std::vector<std::string> MetaGraphReport::UnsupportedOps(
    bool serving_only) const {
  std::vector<std::string> ops;
  for (const OpUse& use : this->ops) {
    if (!use.supported && !(serving_only && use.plumbing_only)) {
      ops.push_back(use.op);
    }
  }
  std::sort(ops.begin(), ops.end());
  return ops;
}

int64_t ModelReport::VariableBytes() const {
  int64_t total = 0;
  for (const VariableReport& variable : variables) total += variable.bytes;
  return total;
}

const MetaGraphReport* ModelReport::FindMetaGraph(
    const std::set<std::string>& tags) const {
  for (const MetaGraphReport& meta_graph : meta_graphs) {
    if (meta_graph.tags == tags) return &meta_graph;
  }
  return nullptr;
}

absl::StatusOr<ModelReport> BuildModelReport(const std::string& path,
                                             const ReportOptions& options) {
  MS_ASSIGN_OR_RETURN(ModelPath resolved, ResolveModelPath(path));
  ModelReport report;
  report.path = path;
  if (resolved.files.has_value()) {
    const ModelFiles& files = *resolved.files;
    report.format = files.format;
    report.model_file = files.model_file;
    if (files.format == ModelFormat::kSavedModel) {
      MS_ASSIGN_OR_RETURN(tensorflow::SavedModel saved_model,
                          ReadSavedModel(files.dir));
      for (const auto& meta_graph : saved_model.meta_graphs()) {
        report.meta_graphs.push_back(
            ReportMetaGraph(meta_graph, SignatureOrigin::kModel));
      }
      ReportAssets(files.dir, &report);
    } else {
      MS_ASSIGN_OR_RETURN(ModelSource source, ReadModelSource(files, {}));
      report.meta_graphs.push_back(
          ReportMetaGraph(source.meta_graph, source.signature_origin));
    }
  }
  if (!resolved.checkpoint_prefix.empty()) {
    MS_RETURN_IF_ERROR(
        ReportVariables(resolved.checkpoint_prefix, options, &report));
  }
  return report;
}

}  // namespace model_server
