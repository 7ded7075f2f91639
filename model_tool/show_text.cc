#include "model_tool/show_text.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "model_tool/numpy_text.h"
#include "runtime/data_type.h"

namespace model_server {
namespace {

std::string TagSetText(const std::set<std::string>& tags) {
  return absl::StrJoin(tags, ", ");
}

std::string Indent(int levels) { return std::string(2 * levels, ' '); }

void AppendTensorInfo(const tensorflow::TensorInfo& info, int indent,
                      std::string* out) {
  const std::string pad = Indent(indent);
  absl::StrAppend(out, pad, "    dtype: ", DataTypeEnumName(info.dtype()),
                  "\n");
  absl::StrAppend(out, pad, "    shape: ", ShapeText(info.tensor_shape()),
                  "\n");
  absl::StrAppend(out, pad, "    name: ", info.name(), "\n");
}

// saved_model_cli's _show_inputs_outputs.
void AppendSignature(const tensorflow::SignatureDef& def, int indent,
                     std::string* out) {
  const std::string pad = Indent(indent);
  absl::StrAppend(out, pad,
                  "The given SavedModel SignatureDef contains the following "
                  "input(s):\n");
  std::map<std::string, tensorflow::TensorInfo> inputs(def.inputs().begin(),
                                                       def.inputs().end());
  for (const auto& [alias, info] : inputs) {
    absl::StrAppend(out, pad, "  inputs['", alias, "'] tensor_info:\n");
    AppendTensorInfo(info, indent + 1, out);
  }
  absl::StrAppend(out, pad,
                  "The given SavedModel SignatureDef contains the following "
                  "output(s):\n");
  std::map<std::string, tensorflow::TensorInfo> outputs(def.outputs().begin(),
                                                        def.outputs().end());
  for (const auto& [alias, info] : outputs) {
    absl::StrAppend(out, pad, "  outputs['", alias, "'] tensor_info:\n");
    AppendTensorInfo(info, indent + 1, out);
  }
  absl::StrAppend(out, pad, "Method name is: ", def.method_name(), "\n");
}

std::string OriginText(SignatureOrigin origin) {
  switch (origin) {
    case SignatureOrigin::kModel:
      return "from the model";
    case SignatureOrigin::kSidecar:
      return "from signatures.pbtxt";
    case SignatureOrigin::kInferred:
      return "inferred from the graph";
  }
  return "";
}

void AppendMetaGraphExtras(const MetaGraphReport& meta_graph,
                           std::string* out) {
  std::vector<std::string> unsupported = meta_graph.UnsupportedOps();
  std::vector<std::string> serving = meta_graph.UnsupportedOps(true);
  absl::StrAppend(
      out, "\nGraph", meta_graph.tags.empty() ? "" : " of tag-set '",
      TagSetText(meta_graph.tags), meta_graph.tags.empty() ? "" : "'", ": ",
      meta_graph.graph_nodes, " nodes, ", meta_graph.functions.size(),
      " functions; signatures ", OriginText(meta_graph.signature_origin), "\n");
  absl::StrAppend(out, "Ops: ", meta_graph.ops.size(), " distinct, ");
  if (unsupported.empty()) {
    absl::StrAppend(out, "all supported by model_server\n");
  } else {
    absl::StrAppend(out, unsupported.size(), " not supported by model_server: ",
                    absl::StrJoin(unsupported, ", "));
    if (serving.size() < unsupported.size()) {
      absl::StrAppend(out, " (", unsupported.size() - serving.size(),
                      " of them only in save/restore/training plumbing, "
                      "which serving never runs)");
    }
    absl::StrAppend(out, "\n");
  }
  for (const OpUse& use : meta_graph.ops) {
    absl::StrAppendFormat(
        out, "  %6d  %s%s\n", use.count, use.op,
        use.supported       ? (use.is_function ? "  [function]" : "")
        : use.plumbing_only ? "  [not supported; plumbing only]"
                            : "  [not supported]");
  }
  if (!meta_graph.functions.empty()) {
    absl::StrAppend(out, "Functions: ", meta_graph.functions.size(), "\n");
    for (const FunctionUse& function : meta_graph.functions) {
      absl::StrAppend(out, "  ", function.name, " (", function.nodes,
                      " nodes)\n");
    }
  }
}

void AppendVariables(const ModelReport& report, bool values, std::string* out) {
  if (report.checkpoint_prefix.empty()) {
    absl::StrAppend(out, "\nVariables: none (no checkpoint)\n");
    return;
  }
  absl::StrAppend(out, "\nVariables: ", report.variables.size(),
                  " in checkpoint ", report.checkpoint_prefix, " (",
                  report.VariableBytes(), " bytes)\n");
  for (const VariableReport& variable : report.variables) {
    std::string shape = absl::StrJoin(variable.shape, ", ");
    if (variable.shape.size() == 1) shape += ",";
    absl::StrAppend(out, "  ", variable.name, "  ",
                    DataTypeEnumName(variable.dtype), "  (", shape, ")  ",
                    variable.bytes, " bytes\n");
    if (!variable.error.empty()) {
      absl::StrAppend(out, "    error: ", variable.error, "\n");
    } else if (values && variable.value.has_value()) {
      std::string text = NumpyText(*variable.value);
      absl::StrAppend(out, "    ",
                      absl::StrReplaceAll(text, {{"\n", "\n    "}}), "\n");
    }
  }
}

void AppendExtras(const ModelReport& report, const MetaGraphReport* only,
                  bool values, std::string* out) {
  if (report.format.has_value()) {
    absl::StrAppend(out, "\nFormat: ", ModelFormatName(*report.format), " (",
                    report.model_file, ")\n");
  } else {
    absl::StrAppend(out, "\nFormat: checkpoint without its .meta graph (",
                    report.checkpoint_prefix, ")\n");
  }
  for (const MetaGraphReport& meta_graph : report.meta_graphs) {
    if (only == nullptr || only == &meta_graph) {
      AppendMetaGraphExtras(meta_graph, out);
    }
  }
  AppendVariables(report, values, out);
  if (!report.assets.empty()) {
    absl::StrAppend(out, "\nAssets: ", report.assets.size(), "\n");
    for (const AssetReport& asset : report.assets) {
      absl::StrAppend(out, "  ", asset.name, " (", asset.bytes, " bytes)\n");
    }
  }
}

std::string TagSetList(const ModelReport& report) {
  std::vector<std::string> sets;
  for (const MetaGraphReport& meta_graph : report.meta_graphs) {
    sets.push_back(absl::StrCat("'", TagSetText(meta_graph.tags), "'"));
  }
  return absl::StrJoin(sets, ", ");
}

}  // namespace

std::string ShapeText(const tensorflow::TensorShapeProto& shape) {
  if (shape.unknown_rank()) return "unknown_rank";
  std::vector<int64_t> dims;
  for (const auto& dim : shape.dim()) dims.push_back(dim.size());
  return absl::StrCat("(", absl::StrJoin(dims, ", "), ")");
}

absl::StatusOr<std::string> ShowText(const ModelReport& report,
                                     const ShowRequest& request) {
  std::string out;
  const bool saved_model = report.format == ModelFormat::kSavedModel;
  const MetaGraphReport* selected = nullptr;
  if (request.tag_set.has_value() && saved_model) {
    selected = report.FindMetaGraph(*request.tag_set);
    if (selected == nullptr) {
      return absl::NotFoundError(absl::StrCat(
          "MetaGraphDef associated with tag-set '",
          TagSetText(*request.tag_set),
          "' could not be found in SavedModel; available tag-sets: ",
          TagSetList(report)));
    }
  } else if (!report.meta_graphs.empty() && !saved_model) {
    selected = &report.meta_graphs[0];  // a graph has exactly one
  }

  if (!request.signature_def.empty()) {
    if (selected == nullptr) {
      return absl::InvalidArgumentError(
          "--signature_def needs --tag_set for a SavedModel");
    }
    auto it = selected->signatures.find(request.signature_def);
    if (it == selected->signatures.end()) {
      std::vector<std::string> keys;
      for (const auto& [key, unused] : selected->signatures)
        keys.push_back(key);
      return absl::NotFoundError(
          absl::StrCat("no signature '", request.signature_def,
                       "'; the signatures are: ", absl::StrJoin(keys, ", ")));
    }
    AppendSignature(it->second, 0, &out);
    return out;
  }

  if (!saved_model) {
    // No tag sets: show every signature, as --all does.
    if (selected != nullptr) {
      absl::StrAppend(&out, "The given ", ModelFormatName(*report.format),
                      " has no tag-sets; its signatures (",
                      OriginText(selected->signature_origin), "):\n");
      for (const auto& [key, def] : selected->signatures) {
        absl::StrAppend(&out, "\nsignature_def['", key, "']:\n");
        AppendSignature(def, 1, &out);
      }
    }
    AppendExtras(report, nullptr, request.values, &out);
    return out;
  }

  if (request.all) {
    std::vector<const MetaGraphReport*> sorted;
    for (const MetaGraphReport& meta_graph : report.meta_graphs) {
      sorted.push_back(&meta_graph);
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const MetaGraphReport* a, const MetaGraphReport* b) {
                return a->tags < b->tags;
              });
    for (const MetaGraphReport* meta_graph : sorted) {
      absl::StrAppend(&out, "\nMetaGraphDef with tag-set: '",
                      TagSetText(meta_graph->tags),
                      "' contains the following SignatureDefs:\n");
      for (const auto& [key, def] : meta_graph->signatures) {
        absl::StrAppend(&out, "\nsignature_def['", key, "']:\n");
        AppendSignature(def, 1, &out);
      }
    }
  } else if (selected != nullptr) {
    absl::StrAppend(&out,
                    "The given SavedModel MetaGraphDef contains SignatureDefs "
                    "with the following keys:\n");
    for (const auto& [key, unused] : selected->signatures) {
      absl::StrAppend(&out, "SignatureDef key: \"", key, "\"\n");
    }
  } else {
    absl::StrAppend(&out,
                    "The given SavedModel contains the following tag-sets:\n");
    std::vector<std::string> sets;
    for (const MetaGraphReport& meta_graph : report.meta_graphs) {
      sets.push_back(absl::StrCat("'", TagSetText(meta_graph.tags), "'"));
    }
    std::sort(sets.begin(), sets.end());
    for (const std::string& set : sets) absl::StrAppend(&out, set, "\n");
  }
  AppendExtras(report, selected, request.values, &out);
  return out;
}

}  // namespace model_server
