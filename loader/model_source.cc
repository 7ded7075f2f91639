#include "loader/model_source.h"

#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "loader/proto_file.h"
#include "loader/saved_model_reader.h"
#include "loader/signature_inference.h"
#include "loader/signature_sidecar.h"
#include "runtime/status_macros.h"
#include "signatures/signature_map.h"

namespace model_server {
namespace {

constexpr char kMainOpCollection[] = "saved_model_main_op";
constexpr char kLegacyInitOpCollection[] = "legacy_init_op";
constexpr char kTableInitializerCollection[] = "table_initializer";
constexpr char kTablesInitializerNode[] = "init_all_tables";

bool FileExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

// The SavedModel init op's node name, or "" when the model has none.
absl::StatusOr<std::string> FindInitOp(
    const tensorflow::MetaGraphDef& meta_graph, const std::string& dir) {
  auto signature = meta_graph.signature_def().find(kInitOpSignatureKey);
  if (signature != meta_graph.signature_def().end()) {
    auto output = signature->second.outputs().find(kInitOpSignatureKey);
    if (output == signature->second.outputs().end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("Could not find output ", kInitOpSignatureKey));
    }
    return output->second.name();
  }
  for (const char* key : {kMainOpCollection, kLegacyInitOpCollection}) {
    auto it = meta_graph.collection_def().find(key);
    if (it == meta_graph.collection_def().end()) continue;
    const auto& nodes = it->second.node_list().value();
    if (nodes.size() != 1) {
      return absl::FailedPreconditionError(
          absl::StrCat("Expected exactly one main op in : ", dir));
    }
    return nodes[0];
  }
  return std::string();
}

// Signatures for a graph that came without usable ones: the sidecar, else
// `existing` (a checkpoint's own signature_defs) when not empty, else
// inferred.
absl::Status ChooseSignatures(const ModelFiles& files, ModelSource* source) {
  tensorflow::MetaGraphDef& meta_graph = source->meta_graph;
  if (!files.signature_sidecar.empty()) {
    MS_ASSIGN_OR_RETURN(SignatureDefs signatures,
                        ReadSignatureSidecar(files.signature_sidecar));
    ResolveImportPrefixes(meta_graph.graph_def(), &signatures);
    *meta_graph.mutable_signature_def() = std::move(signatures);
    source->signature_origin = SignatureOrigin::kSidecar;
    return absl::OkStatus();
  }
  bool has_serving_signature = false;
  for (const auto& [key, unused] : meta_graph.signature_def()) {
    if (key != kInitOpSignatureKey) has_serving_signature = true;
  }
  if (has_serving_signature) {
    source->signature_origin = SignatureOrigin::kModel;
    return absl::OkStatus();
  }
  absl::StatusOr<tensorflow::SignatureDef> inferred =
      InferServingSignature(meta_graph.graph_def());
  if (!inferred.ok()) {
    return absl::Status(
        inferred.status().code(),
        absl::StrCat(DescribeModel(files), ": ", inferred.status().message()));
  }
  (*meta_graph.mutable_signature_def())[kDefaultSignatureKey] =
      *std::move(inferred);
  source->signature_origin = SignatureOrigin::kInferred;
  return absl::OkStatus();
}

absl::Status ReadSavedModelSource(const ModelFiles& files,
                                  const std::set<std::string>& tags,
                                  ModelSource* source) {
  MS_ASSIGN_OR_RETURN(tensorflow::SavedModel saved_model,
                      ReadSavedModel(files.dir));
  MS_ASSIGN_OR_RETURN(source->meta_graph,
                      TakeMetaGraph(std::move(saved_model), tags));
  const std::string prefix = files.dir + "/variables/variables";
  if (FileExists(prefix + ".index")) source->restore_prefix = prefix;
  MS_ASSIGN_OR_RETURN(std::string init_op,
                      FindInitOp(source->meta_graph, files.dir));
  if (!init_op.empty()) source->init_targets.push_back(init_op);
  return absl::OkStatus();
}

absl::Status ReadCheckpointSource(const ModelFiles& files,
                                  ModelSource* source) {
  MS_RETURN_IF_ERROR(ReadProtoFile(files.model_file, ProtoEncoding::kBinary,
                                   "a MetaGraphDef", &source->meta_graph));
  source->restore_prefix = files.checkpoint_prefix;
  MS_ASSIGN_OR_RETURN(std::string init_op,
                      FindInitOp(source->meta_graph, files.dir));
  if (!init_op.empty()) {
    source->init_targets.push_back(init_op);
  } else {
    auto tables =
        source->meta_graph.collection_def().find(kTableInitializerCollection);
    if (tables != source->meta_graph.collection_def().end()) {
      for (const std::string& node : tables->second.node_list().value()) {
        source->init_targets.push_back(node);
      }
    }
  }
  return ChooseSignatures(files, source);
}

absl::Status ReadFrozenGraphSource(const ModelFiles& files,
                                   ModelSource* source) {
  MS_RETURN_IF_ERROR(
      ReadProtoFile(files.model_file, EncodingOfFileName(files.model_file),
                    "a GraphDef", source->meta_graph.mutable_graph_def()));
  for (const auto& node : source->meta_graph.graph_def().node()) {
    if (node.name() == kTablesInitializerNode) {
      source->init_targets.push_back(node.name());
    }
  }
  return ChooseSignatures(files, source);
}

}  // namespace

std::string DescribeModel(const ModelFiles& files) {
  switch (files.format) {
    case ModelFormat::kSavedModel:
      return absl::StrCat("SavedModel at ", files.dir);
    case ModelFormat::kCheckpoint:
      return absl::StrCat("TF1 checkpoint ", files.checkpoint_prefix);
    case ModelFormat::kFrozenGraph:
      return absl::StrCat("frozen GraphDef ", files.model_file);
  }
  return files.dir;
}

absl::StatusOr<ModelSource> ReadModelSource(const ModelFiles& files,
                                            const std::set<std::string>& tags) {
  ModelSource source;
  source.files = files;
  switch (files.format) {
    case ModelFormat::kSavedModel:
      MS_RETURN_IF_ERROR(ReadSavedModelSource(files, tags, &source));
      break;
    case ModelFormat::kCheckpoint:
      MS_RETURN_IF_ERROR(ReadCheckpointSource(files, &source));
      break;
    case ModelFormat::kFrozenGraph:
      MS_RETURN_IF_ERROR(ReadFrozenGraphSource(files, &source));
      break;
  }
  return source;
}

}  // namespace model_server
