#include "loader/signature_sidecar.h"

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "loader/proto_file.h"
#include "runtime/status_macros.h"
#include "tensorflow_serving/apis/get_model_metadata.pb.h"

namespace model_server {
namespace {

// "a/b:1" -> "a/b".
absl::string_view NodeOf(absl::string_view tensor_name) {
  size_t colon = tensor_name.rfind(':');
  return colon == absl::string_view::npos ? tensor_name
                                          : tensor_name.substr(0, colon);
}

class GraphNames {
 public:
  explicit GraphNames(const tensorflow::GraphDef& graph) {
    bool first = true;
    for (const auto& node : graph.node()) {
      nodes_.insert(node.name());
      size_t slash = node.name().find('/');
      std::string scope = slash == std::string::npos
                              ? std::string()
                              : node.name().substr(0, slash);
      scopes_.insert(scope);
      if (first) {
        common_scope_ = scope;
        first = false;
      } else if (scope != common_scope_) {
        common_scope_.clear();
      }
    }
  }

  // The name to use for `tensor_name` in this graph.
  std::string Resolve(const std::string& tensor_name) const {
    absl::string_view node = NodeOf(tensor_name);
    if (nodes_.contains(node)) return tensor_name;
    size_t slash = node.find('/');
    if (slash != absl::string_view::npos) {
      std::string prefix(node.substr(0, slash));
      std::string stripped = tensor_name.substr(slash + 1);
      if (!scopes_.contains(prefix) && nodes_.contains(NodeOf(stripped))) {
        return stripped;
      }
    }
    if (!common_scope_.empty()) {
      std::string prefixed = absl::StrCat(common_scope_, "/", tensor_name);
      if (nodes_.contains(NodeOf(prefixed))) return prefixed;
    }
    return tensor_name;
  }

 private:
  absl::flat_hash_set<std::string> nodes_;
  absl::flat_hash_set<std::string> scopes_;
  std::string common_scope_;  // the scope every node shares, or ""
};

}  // namespace

absl::StatusOr<SignatureDefs> ReadSignatureSidecar(const std::string& path) {
  tensorflow::serving::SignatureDefMap map;
  MS_RETURN_IF_ERROR(ReadProtoFile(path, ProtoEncoding::kText,
                                   "a tensorflow.serving.SignatureDefMap",
                                   &map));
  if (map.signature_def().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path,
        " holds no signature_def entry (expected signature_def { key: "
        "\"serving_default\" value { inputs {...} outputs {...} } })"));
  }
  for (const auto& [key, signature] : map.signature_def()) {
    if (signature.outputs().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": signature '", key, "' has no outputs"));
    }
  }
  return map.signature_def();
}

void ResolveImportPrefixes(const tensorflow::GraphDef& graph,
                           SignatureDefs* signatures) {
  GraphNames names(graph);
  for (auto& [key, signature] : *signatures) {
    for (auto* infos :
         {signature.mutable_inputs(), signature.mutable_outputs()}) {
      for (auto& [alias, info] : *infos) {
        if (!info.name().empty()) info.set_name(names.Resolve(info.name()));
      }
    }
  }
}

}  // namespace model_server
