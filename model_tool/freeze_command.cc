// model_tool freeze: freeze_graph.py's flags where they apply.
//
//   from a SavedModel:  --input_saved_model_dir D [--saved_model_tags serve]
//                       [--signature_def serving_default]
//   from a checkpoint:  --input_meta_graph M.meta --input_checkpoint PREFIX
//   GraphDef + ckpt:    --input_graph G.pb[txt] [--input_binary]
//                       --input_checkpoint PREFIX [--input_saver S]
//                       [--restore_op_name save/restore_all]
//                       [--filename_tensor_name save/Const:0]
// The outputs are --output_node_names (comma separated) or else the
// signature's outputs; a signature's aliases are kept in signatures.pbtxt
// written beside --output_graph. --output_saved_model_dir writes a
// SavedModel holding the frozen graph and that signature.
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/text_format.h"
#include "loader/loaded_model.h"
#include "loader/model_source.h"
#include "loader/proto_file.h"
#include "loader/saved_model_reader.h"
#include "loader/signature_inference.h"
#include "model_tool/command_line.h"
#include "model_tool/commands.h"
#include "model_tool/freeze/graph_freezer.h"
#include "runtime/status_macros.h"
#include "signatures/signature_map.h"
#include "tensorflow/core/protobuf/saver.pb.h"
#include "tensorflow_serving/apis/get_model_metadata.pb.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

const std::vector<FlagSpec>& FreezeFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"input_saved_model_dir", false, "freeze a SavedModel's signature"},
      {"saved_model_tags", false, "its tag set (default serve)"},
      {"signature_def", false, "its signature (default serving_default)"},
      {"input_meta_graph", false, "a checkpoint's .meta (MetaGraphDef)"},
      {"input_graph", false, "a GraphDef (.pb, or text .pbtxt)"},
      {"input_binary", true, "--input_graph is binary (default: by name)"},
      {"input_saver", false, "a SaverDef file for --input_graph"},
      {"input_checkpoint", false, "the checkpoint prefix (model.ckpt-1000)"},
      {"restore_op_name", false, "restore op of --input_graph"},
      {"filename_tensor_name", false, "its filename tensor"},
      {"output_node_names", false, "comma-separated nodes to keep"},
      {"output_graph", false, "where to write the frozen GraphDef"},
      {"output_saved_model_dir", false, "also write a SavedModel here"},
      {"clear_devices", true, "drop device placements (default true)"},
      {"variable_names_whitelist", false, "convert only these variables"},
      {"variable_names_blacklist", false, "keep these variables"},
      {"initializer_nodes", false, "nodes to run before freezing"},
      {"checkpoint_version", false, "accepted; V2 (TensorBundle) is read"},
  };
  return *flags;
}

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    items.emplace_back(item);
  }
  return items;
}

int64_t NodeCount(const tensorflow::GraphDef& graph) {
  int64_t nodes = graph.node_size();
  for (const auto& function : graph.library().function()) {
    nodes += function.node_def_size();
  }
  return nodes;
}

// The model to load, and the signature (key and def) whose outputs to keep
// when no --output_node_names are given.
struct FreezeInput {
  ModelSource source;
  std::string signature_key;
};

absl::StatusOr<FreezeInput> ReadInput(const CommandLine& flags) {
  FreezeInput input;
  input.signature_key = flags.Get("signature_def", kDefaultSignatureKey);
  if (flags.Has("input_saved_model_dir")) {
    MS_ASSIGN_OR_RETURN(ModelFiles files,
                        FindModelFiles(flags.Get("input_saved_model_dir")));
    if (files.format != ModelFormat::kSavedModel) {
      return absl::InvalidArgumentError(
          absl::StrCat(flags.Get("input_saved_model_dir"), " holds a ",
                       ModelFormatName(files.format),
                       ", not a SavedModel; pass it with --input_meta_graph/"
                       "--input_graph"));
    }
    MS_ASSIGN_OR_RETURN(
        input.source,
        ReadModelSource(files,
                        ParseTags(flags.Get("saved_model_tags", "serve"))));
    return input;
  }
  if (!flags.Has("input_checkpoint")) {
    return absl::InvalidArgumentError(
        "give --input_saved_model_dir, or --input_checkpoint with "
        "--input_meta_graph or --input_graph");
  }
  const std::string prefix = flags.Get("input_checkpoint");
  ModelFiles files;
  files.dir = fs::path(prefix).parent_path().string();
  if (files.dir.empty()) files.dir = ".";
  files.checkpoint_prefix = prefix;
  if (flags.Has("input_meta_graph")) {
    files.format = ModelFormat::kCheckpoint;
    files.model_file = flags.Get("input_meta_graph");
    if (flags.Has("output_node_names")) {
      // Read without inferring: the outputs are named.
      MS_RETURN_IF_ERROR(ReadProtoFile(files.model_file, ProtoEncoding::kBinary,
                                       "a MetaGraphDef",
                                       &input.source.meta_graph));
      input.source.files = files;
      input.source.restore_prefix = prefix;
    } else {
      MS_ASSIGN_OR_RETURN(input.source, ReadModelSource(files, {}));
    }
    return input;
  }
  if (!flags.Has("input_graph")) {
    return absl::InvalidArgumentError(
        "--input_checkpoint needs --input_meta_graph or --input_graph");
  }
  files.format = ModelFormat::kFrozenGraph;  // a bare graph, plus variables
  files.model_file = flags.Get("input_graph");
  ProtoEncoding encoding =
      flags.Has("input_binary")
          ? (flags.GetBool("input_binary") ? ProtoEncoding::kBinary
                                           : ProtoEncoding::kText)
          : EncodingOfFileName(files.model_file);
  tensorflow::MetaGraphDef& meta_graph = input.source.meta_graph;
  MS_RETURN_IF_ERROR(ReadProtoFile(files.model_file, encoding, "a GraphDef",
                                   meta_graph.mutable_graph_def()));
  if (flags.Has("input_saver")) {
    MS_RETURN_IF_ERROR(ReadProtoFile(
        flags.Get("input_saver"), EncodingOfFileName(flags.Get("input_saver")),
        "a SaverDef", meta_graph.mutable_saver_def()));
  } else {
    meta_graph.mutable_saver_def()->set_restore_op_name(
        flags.Get("restore_op_name", "save/restore_all"));
    meta_graph.mutable_saver_def()->set_filename_tensor_name(
        flags.Get("filename_tensor_name", "save/Const:0"));
  }
  input.source.files = files;
  input.source.restore_prefix = prefix;
  return input;
}

absl::Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

absl::Status Freeze(const CommandLine& flags, std::ostream& out) {
  if (!flags.Has("output_graph") && !flags.Has("output_saved_model_dir")) {
    return absl::InvalidArgumentError(
        "give --output_graph and/or --output_saved_model_dir");
  }
  MS_ASSIGN_OR_RETURN(FreezeInput input, ReadInput(flags));
  const tensorflow::GraphDef original = input.source.meta_graph.graph_def();

  FreezeOptions options;
  tensorflow::SignatureDef signature;
  const bool named_outputs = flags.Has("output_node_names");
  if (named_outputs) {
    options.outputs = SplitList(flags.Get("output_node_names"));
    MS_ASSIGN_OR_RETURN(signature,
                        SignatureForOutputs(original, options.outputs));
    // Loading compiles signatures: load with just this one.
    auto& signatures = *input.source.meta_graph.mutable_signature_def();
    signatures.clear();
    signatures[input.signature_key] = signature;
  } else {
    const auto& signatures = input.source.meta_graph.signature_def();
    auto it = signatures.find(input.signature_key);
    if (it == signatures.end()) {
      std::vector<std::string> keys;
      for (const auto& [key, unused] : signatures) keys.push_back(key);
      return absl::NotFoundError(absl::StrCat(
          "no signature '", input.signature_key,
          "' to freeze; the model has: ", absl::StrJoin(keys, ", "),
          " (or name the outputs with --output_node_names)"));
    }
    signature = it->second;
    for (const auto& [alias, info] : signature.outputs()) {
      options.outputs.push_back(info.name());
    }
    for (const auto& [alias, info] : signature.inputs()) {
      options.inputs.push_back(info.name());
    }
  }
  options.clear_devices = flags.GetBool("clear_devices", true);
  for (const std::string& name :
       SplitList(flags.Get("variable_names_whitelist"))) {
    options.variable_allowlist.insert(name);
  }
  for (const std::string& name :
       SplitList(flags.Get("variable_names_blacklist"))) {
    options.variable_denylist.insert(name);
  }
  for (const std::string& node : SplitList(flags.Get("initializer_nodes"))) {
    input.source.init_targets.push_back(node);
  }

  LoadOptions load;
  load.keep_graph_def = true;
  MS_ASSIGN_OR_RETURN(std::unique_ptr<LoadedModel> model,
                      LoadedModel::Load(std::move(input.source), load));
  MS_ASSIGN_OR_RETURN(FreezeResult frozen, FreezeLoadedModel(*model, options));

  // The signature, renamed to the frozen graph's tensors.
  tensorflow::SignatureDef frozen_signature = signature;
  for (auto& [alias, info] : *frozen_signature.mutable_outputs()) {
    for (size_t i = 0; i < options.outputs.size(); ++i) {
      if (options.outputs[i] == info.name()) {
        info.set_name(frozen.output_tensors[i]);
      }
    }
  }
  tensorflow::serving::SignatureDefMap signature_map;
  (*signature_map.mutable_signature_def())[input.signature_key] =
      frozen_signature;

  const std::string bytes = frozen.graph.SerializeAsString();
  out << "Converted " << frozen.variables_converted
      << " variables to const ops.\n"
      << frozen.graph.node_size() << " ops in the final graph.\n"
      << "Before: " << NodeCount(original) << " nodes, "
      << original.ByteSizeLong() << " bytes (graph) + "
      << model->meta_graph().graph_def().library().function_size()
      << " functions\n"
      << "After:  " << NodeCount(frozen.graph) << " nodes, " << bytes.size()
      << " bytes\n";
  if (flags.Has("output_graph")) {
    const std::string path = flags.Get("output_graph");
    if (EncodingOfFileName(path) == ProtoEncoding::kText) {
      std::string text;
      google::protobuf::TextFormat::PrintToString(frozen.graph, &text);
      MS_RETURN_IF_ERROR(WriteText(path, text));
    } else {
      MS_RETURN_IF_ERROR(WriteText(path, bytes));
    }
    out << "Wrote " << path << "\n";
    if (!named_outputs) {
      fs::path sidecar = fs::path(path).parent_path() / kSignatureSidecarName;
      std::string text;
      google::protobuf::TextFormat::PrintToString(signature_map, &text);
      MS_RETURN_IF_ERROR(WriteText(sidecar.string(), text));
      out << "Wrote " << sidecar.string() << " (signature '"
          << input.signature_key << "' with its aliases)\n";
    }
  }
  if (flags.Has("output_saved_model_dir")) {
    tensorflow::SavedModel saved_model;
    saved_model.set_saved_model_schema_version(1);
    tensorflow::MetaGraphDef* meta_graph = saved_model.add_meta_graphs();
    meta_graph->mutable_meta_info_def()->add_tags("serve");
    *meta_graph->mutable_graph_def() = frozen.graph;
    *meta_graph->mutable_signature_def() = signature_map.signature_def();
    if (!frozen.init_node.empty()) {
      // Tables are filled by the init op TF Serving runs after loading.
      (*meta_graph->mutable_collection_def())["saved_model_main_op"]
          .mutable_node_list()
          ->add_value(frozen.init_node);
    }
    const std::string dir = flags.Get("output_saved_model_dir");
    MS_RETURN_IF_ERROR(WriteSavedModel(dir, saved_model, {}, {}));
    out << "Wrote SavedModel " << dir << " (tag-set 'serve', signature '"
        << input.signature_key << "', no variables)\n";
  }
  return absl::OkStatus();
}

}  // namespace

int FreezeCommand(const std::vector<std::string>& args, std::ostream& out,
                  std::ostream& err) {
  absl::StatusOr<CommandLine> flags = CommandLine::Parse(args, FreezeFlags());
  if (!flags.ok()) {
    err << flags.status().message() << "\nusage: model_tool freeze [flags]\n"
        << FlagHelp(FreezeFlags());
    return 2;
  }
  absl::Status status = Freeze(*flags, out);
  if (!status.ok()) {
    err << "model_tool freeze: " << status.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace model_server
