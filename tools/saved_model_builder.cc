#include "tools/saved_model_builder.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "runtime/bundle/bundle_writer.h"
#include "runtime/status_macros.h"
#include "runtime/tensor_proto.h"
#include "tensorflow/core/protobuf/saver.pb.h"
#include "tensorflow/python/training/checkpoint_state.pb.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

void SetTensorInfo(const std::string& tensor_name, DataType dtype,
                   const Dims* dims, tensorflow::TensorInfo* info) {
  info->Clear();
  info->set_name(tensor_name);
  info->set_dtype(static_cast<tensorflow::DataType>(dtype));
  if (dims == nullptr) {
    info->mutable_tensor_shape()->set_unknown_rank(true);
  } else {
    SetShape(*dims, info->mutable_tensor_shape());
  }
}

Dims DimsOf(const Tensor& tensor) {
  Dims dims;
  for (int i = 0; i < tensor.rank(); ++i) dims.push_back(tensor.dim(i));
  return dims;
}

absl::Status IoError(const std::string& what, const std::string& path,
                     const std::error_code& error) {
  return absl::InternalError(
      absl::StrCat("cannot ", what, " ", path, ": ", error.message()));
}

absl::Status WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  if (!out) {
    return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

// A directory name next to `export_dir` that no other writer uses and that
// a version watcher ignores (not all digits).
std::string TemporarySibling(const std::string& export_dir) {
  static std::atomic<int> counter{0};
  fs::path path(export_dir);
  std::string name = path.filename().string();
  if (name.empty()) name = path.parent_path().filename().string();
  return (path.parent_path() /
          absl::StrCat(".", name, ".tmp-", getpid(), "-", counter++))
      .string();
}

absl::Status WriteContents(const std::string& dir,
                           const tensorflow::SavedModel& saved_model,
                           const std::map<std::string, Tensor>& checkpoint,
                           const std::map<std::string, std::string>& assets,
                           const WriteOptions& options) {
  std::string bytes;
  std::string file;
  if (options.text_format) {
    file = dir + "/saved_model.pbtxt";
    if (!google::protobuf::TextFormat::PrintToString(saved_model, &bytes)) {
      return absl::InternalError("cannot print the SavedModel as text");
    }
  } else {
    file = dir + "/saved_model.pb";
    if (!saved_model.SerializeToString(&bytes)) {
      return absl::InternalError("cannot serialize the SavedModel");
    }
  }
  MS_RETURN_IF_ERROR(WriteFile(file, bytes));

  if (!checkpoint.empty()) {
    BundleWriter writer(dir + "/variables/variables");
    for (const auto& [key, tensor] : checkpoint) {
      MS_RETURN_IF_ERROR(writer.Add(key, tensor));
    }
    MS_RETURN_IF_ERROR(writer.Finish());
  }

  if (!assets.empty()) {
    std::error_code error;
    const std::string assets_dir = dir + "/assets";
    fs::create_directories(assets_dir, error);
    if (error) return IoError("create", assets_dir, error);
    for (const auto& [filename, contents] : assets) {
      MS_RETURN_IF_ERROR(WriteFile(assets_dir + "/" + filename, contents));
    }
  }
  return absl::OkStatus();
}

}  // namespace

// SignatureBuilder ----------------------------------------------------------

SignatureBuilder& SignatureBuilder::Input(const std::string& alias,
                                          const std::string& tensor_name,
                                          DataType dtype) {
  SetTensorInfo(tensor_name, dtype, nullptr, &(*def_->mutable_inputs())[alias]);
  return *this;
}

SignatureBuilder& SignatureBuilder::Output(const std::string& alias,
                                           const std::string& tensor_name,
                                           DataType dtype) {
  SetTensorInfo(tensor_name, dtype, nullptr,
                &(*def_->mutable_outputs())[alias]);
  return *this;
}

SignatureBuilder& SignatureBuilder::Input(const std::string& alias,
                                          const std::string& tensor_name,
                                          DataType dtype, const Dims& dims) {
  SetTensorInfo(tensor_name, dtype, &dims, &(*def_->mutable_inputs())[alias]);
  return *this;
}

SignatureBuilder& SignatureBuilder::Output(const std::string& alias,
                                           const std::string& tensor_name,
                                           DataType dtype, const Dims& dims) {
  SetTensorInfo(tensor_name, dtype, &dims, &(*def_->mutable_outputs())[alias]);
  return *this;
}

SignatureBuilder& SignatureBuilder::Default(const std::string& alias,
                                            const Tensor& value) {
  // Defaults are program-made POD or string tensors; an unencodable one
  // leaves the entry out, which the loader reports as a missing input.
  tensorflow::TensorProto proto;
  if (TensorToProto(value, &proto).ok()) {
    (*def_->mutable_defaults())[alias] = std::move(proto);
  }
  return *this;
}

// SavedModelWriter ----------------------------------------------------------

SavedModelWriter::SavedModelWriter() {
  meta_graph_.mutable_meta_info_def()->add_tags("serve");
}

std::string SavedModelWriter::AddVariable(const std::string& name,
                                          const Tensor& value) {
  variables_.push_back({name, name, value.dtype(), /*resource=*/false});
  checkpoint_[name] = value;
  return graph_.VariableV2(name, value.dtype(), DimsOf(value));
}

std::string SavedModelWriter::AddResourceVariable(
    const std::string& name, const Tensor& value,
    const std::string& checkpoint_key) {
  const std::string key = checkpoint_key.empty() ? name : checkpoint_key;
  variables_.push_back({name, key, value.dtype(), /*resource=*/true});
  checkpoint_[key] = value;
  return graph_.VarHandle(name, value.dtype(), DimsOf(value));
}

void SavedModelWriter::AddCheckpointTensor(const std::string& key,
                                           const Tensor& value) {
  checkpoint_[key] = value;
}

SignatureBuilder SavedModelWriter::AddSignature(
    const std::string& key, const std::string& method_name) {
  tensorflow::SignatureDef& def = (*meta_graph_.mutable_signature_def())[key];
  def.Clear();
  def.set_method_name(method_name);
  return SignatureBuilder(&def);
}

void SavedModelWriter::AddToCollection(const std::string& collection,
                                       const std::string& value) {
  (*meta_graph_.mutable_collection_def())[collection]
      .mutable_node_list()
      ->add_value(value);
}

std::string SavedModelWriter::AddAsset(const std::string& node_name,
                                       const std::string& filename,
                                       const std::string& contents) {
  const std::string tensor =
      graph_.Const(node_name, Tensor::Scalar<std::string>(filename));
  assets_[filename] = contents;
  tensorflow::AssetFileDef asset;
  asset.mutable_tensor_info()->set_name(tensor);
  asset.mutable_tensor_info()->set_dtype(tensorflow::DT_STRING);
  asset.set_filename(filename);
  (*meta_graph_.mutable_collection_def())["saved_model_assets"]
      .mutable_any_list()
      ->add_value()
      ->PackFrom(asset);
  AddToCollection("asset_filepaths", tensor);
  return tensor;
}

void SavedModelWriter::SetTags(const std::set<std::string>& tags) {
  auto* info = meta_graph_.mutable_meta_info_def();
  info->clear_tags();
  for (const std::string& tag : tags) info->add_tags(tag);
}

absl::StatusOr<tensorflow::SavedModel> SavedModelWriter::Build() const {
  MS_RETURN_IF_ERROR(graph_.status());
  GraphBuilder graph;
  graph.graph_def() = graph_.graph_def();
  tensorflow::MetaGraphDef meta_graph = meta_graph_;

  if (!variables_.empty()) {
    // TensorFlow's restore subgraph: RestoreV2 fed the checkpoint prefix,
    // one assignment per variable, and a NoOp that depends on them all.
    const std::string default_filename = graph.Const(
        "save/filename/input", Tensor::Scalar<std::string>("model"));
    const std::string filename =
        graph.Op("save/Const", "PlaceholderWithDefault")
            .Input(default_filename)
            .Attr("dtype", DT_STRING)
            .ShapeAttr("shape", {})
            .Output(0);
    std::vector<std::string> keys;
    std::vector<DataType> dtypes;
    for (const Variable& variable : variables_) {
      keys.push_back(variable.checkpoint_key);
      dtypes.push_back(variable.dtype);
    }
    const int64_t n = static_cast<int64_t>(keys.size());
    const std::string names =
        graph.Const("save/RestoreV2/tensor_names",
                    Tensor::FromVector<std::string>(keys, TensorShape{n}));
    const std::string slices =
        graph.Const("save/RestoreV2/shape_and_slices",
                    Tensor::FromVector<std::string>(
                        std::vector<std::string>(keys.size()), TensorShape{n}));
    graph.Op("save/RestoreV2", "RestoreV2")
        .Input(filename)
        .Input(names)
        .Input(slices)
        .Attr("dtypes", dtypes);
    std::vector<std::string> assignments;
    for (size_t i = 0; i < variables_.size(); ++i) {
      const Variable& variable = variables_[i];
      const std::string restored = absl::StrCat("save/RestoreV2:", i);
      const std::string suffix = i == 0 ? "" : absl::StrCat("_", i);
      if (variable.resource) {
        assignments.push_back(
            graph.AssignVariable(absl::StrCat("save/AssignVariableOp", suffix),
                                 variable.node, restored, variable.dtype));
      } else {
        assignments.push_back(graph.Assign(absl::StrCat("save/Assign", suffix),
                                           variable.node, restored,
                                           variable.dtype));
      }
    }
    graph.NoOp("save/restore_all", assignments);

    tensorflow::SaverDef* saver = meta_graph.mutable_saver_def();
    saver->set_filename_tensor_name(filename);
    saver->set_restore_op_name("save/restore_all");
    saver->set_sharded(true);
    saver->set_version(tensorflow::SaverDef::V2);
  }
  MS_RETURN_IF_ERROR(graph.status());

  tensorflow::SavedModel saved_model;
  saved_model.set_saved_model_schema_version(1);
  tensorflow::MetaGraphDef* out = saved_model.add_meta_graphs();
  *out = std::move(meta_graph);
  *out->mutable_graph_def() = std::move(graph.graph_def());
  return saved_model;
}

absl::Status SavedModelWriter::Write(const std::string& export_dir,
                                     const WriteOptions& options) const {
  MS_ASSIGN_OR_RETURN(tensorflow::SavedModel saved_model, Build());
  return WriteSavedModel(export_dir, saved_model, checkpoint_, assets_,
                         options);
}

namespace {

// Creates `dir` whole: `write` fills a temporary sibling, which is renamed
// into place. Fails with ALREADY_EXISTS when `dir` exists.
absl::Status WriteDirectoryAtomically(
    const std::string& dir, const std::string& what,
    const std::function<absl::Status(const std::string&)>& write) {
  std::error_code error;
  if (fs::exists(dir, error)) {
    return absl::AlreadyExistsError(
        absl::StrCat("Export directory already exists: ", dir));
  }
  const fs::path parent = fs::path(dir).parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, error);
    if (error) return IoError("create", parent.string(), error);
  }
  const std::string temp = TemporarySibling(dir);
  fs::create_directory(temp, error);
  if (error) return IoError("create", temp, error);

  absl::Status status = write(temp);
  if (status.ok()) {
    fs::rename(temp, dir, error);
    if (error) status = IoError("move into place", dir, error);
  }
  if (!status.ok()) {
    std::error_code ignored;
    fs::remove_all(temp, ignored);
    return absl::Status(status.code(), absl::StrCat("writing ", what, " ", dir,
                                                    ": ", status.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteSavedModel(const std::string& export_dir,
                             const tensorflow::SavedModel& saved_model,
                             const std::map<std::string, Tensor>& checkpoint,
                             const std::map<std::string, std::string>& assets,
                             const WriteOptions& options) {
  return WriteDirectoryAtomically(
      export_dir, "SavedModel", [&](const std::string& temp) {
        return WriteContents(temp, saved_model, checkpoint, assets, options);
      });
}

absl::Status SavedModelWriter::WriteCheckpoint(
    const std::string& dir, const CheckpointOptions& options) const {
  MS_ASSIGN_OR_RETURN(tensorflow::SavedModel saved_model, Build());
  tensorflow::MetaGraphDef meta_graph =
      std::move(*saved_model.mutable_meta_graphs(0));
  meta_graph.mutable_meta_info_def()->clear_tags();
  return WriteDirectoryAtomically(
      dir, "checkpoint", [&](const std::string& temp) -> absl::Status {
        const std::string prefix = temp + "/" + options.prefix_name;
        std::string bytes;
        if (!meta_graph.SerializeToString(&bytes)) {
          return absl::InternalError("cannot serialize the MetaGraphDef");
        }
        MS_RETURN_IF_ERROR(WriteFile(prefix + ".meta", bytes));
        BundleWriter writer(prefix);
        for (const auto& [key, tensor] : checkpoint_) {
          MS_RETURN_IF_ERROR(writer.Add(key, tensor));
        }
        MS_RETURN_IF_ERROR(writer.Finish());
        if (!options.write_state_file) return absl::OkStatus();
        const std::string named = options.state_path.empty()
                                      ? options.prefix_name
                                      : options.state_path;
        tensorflow::CheckpointState state;
        state.set_model_checkpoint_path(named);
        state.add_all_model_checkpoint_paths(named);
        std::string text;
        google::protobuf::TextFormat::PrintToString(state, &text);
        return WriteFile(temp + "/checkpoint", text);
      });
}

}  // namespace model_server
