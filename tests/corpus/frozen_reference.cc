#include "tests/corpus/frozen_reference.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "runtime/status_macros.h"
#include "tests/testing/test_paths.h"
#include "tools/npy/npy.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;
using Json = rapidjson::Value;

std::string Str(const Json& value) {
  return std::string(value.GetString(), value.GetStringLength());
}

absl::StatusOr<FrozenTensorSpec> ParseSpec(const std::string& key,
                                           const Json& json) {
  FrozenTensorSpec spec;
  spec.key = key;
  if (!json.IsObject() || !json.HasMember("dtype") ||
      !json["dtype"].IsString() || !json.HasMember("shape") ||
      !json["shape"].IsArray() || !json.HasMember("file") ||
      !json["file"].IsString()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", key, "' lacks a string dtype, an array shape or a string file"));
  }
  spec.dtype = DataTypeFromName(Str(json["dtype"]));
  spec.npy_dtype = spec.dtype;
  if (json.HasMember("npy_dtype") && json["npy_dtype"].IsString()) {
    spec.npy_dtype = DataTypeFromName(Str(json["npy_dtype"]));
  }
  if (spec.dtype == DT_INVALID || spec.npy_dtype == DT_INVALID) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", key, "' has an unknown dtype"));
  }
  for (const Json& dim : json["shape"].GetArray()) {
    if (!dim.IsInt64() || dim.GetInt64() < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", key, "' has a bad shape"));
    }
    spec.shape.push_back(dim.GetInt64());
  }
  spec.file = Str(json["file"]);
  return spec;
}

absl::Status ParseSpecs(const rapidjson::Document& doc, const char* member,
                        std::vector<FrozenTensorSpec>* specs) {
  if (!doc.HasMember(member) || !doc[member].IsObject()) {
    return absl::InvalidArgumentError(absl::StrCat("no '", member, "' object"));
  }
  for (const auto& entry : doc[member].GetObject()) {
    MS_ASSIGN_OR_RETURN(FrozenTensorSpec spec,
                        ParseSpec(Str(entry.name), entry.value));
    specs->push_back(std::move(spec));
  }
  return absl::OkStatus();
}

absl::Status ParseReference(const std::string& text,
                            FrozenGraphReference* graph) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JSON error at offset ", doc.GetErrorOffset(), ": ",
                     rapidjson::GetParseError_En(doc.GetParseError())));
  }
  if (!doc.IsObject()) return absl::InvalidArgumentError("not a JSON object");
  MS_RETURN_IF_ERROR(ParseSpecs(doc, "inputs", &graph->inputs));
  MS_RETURN_IF_ERROR(ParseSpecs(doc, "outputs", &graph->outputs));
  if (!doc.HasMember("tolerance") || !doc["tolerance"].IsObject() ||
      !doc["tolerance"].HasMember("rtol") ||
      !doc["tolerance"]["rtol"].IsNumber() ||
      !doc["tolerance"].HasMember("atol") ||
      !doc["tolerance"]["atol"].IsNumber()) {
    return absl::InvalidArgumentError("no numeric tolerance.rtol/atol");
  }
  graph->tolerance.relative = doc["tolerance"]["rtol"].GetDouble();
  graph->tolerance.absolute = doc["tolerance"]["atol"].GetDouble();
  if (!doc.HasMember("deterministic") || !doc["deterministic"].IsBool()) {
    return absl::InvalidArgumentError("no boolean 'deterministic'");
  }
  graph->deterministic = doc["deterministic"].GetBool();
  if (doc.HasMember("note") && doc["note"].IsString()) {
    graph->note = Str(doc["note"]);
  }
  return absl::OkStatus();
}

// Converts float32 values that are exact bfloat16 values to bfloat16.
absl::StatusOr<Tensor> ToBfloat16(const Tensor& floats) {
  MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DT_BFLOAT16, floats.shape()));
  absl::Span<const float> in = floats.flat<float>();
  for (size_t i = 0; i < in.size(); ++i) {
    const Eigen::bfloat16 value(in[i]);
    const float back = static_cast<float>(value);
    if (back != in[i] && !(std::isnan(back) && std::isnan(in[i]))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "element ", i, " (", in[i], ") is not a bfloat16 value"));
    }
    out.flat<Eigen::bfloat16>()[i] = value;
  }
  return out;
}

}  // namespace

std::string FrozenCorpusDir() { return testing::SharedDir() + "/frozen"; }

std::vector<std::string> ListFrozenGraphs(const std::string& root) {
  std::vector<std::string> names;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(root, error)) {
    if (fs::exists(entry.path() / "reference.json", error)) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string FrozenGraphCategory(const std::string& name) {
  return name.substr(0, name.find("__"));
}

absl::StatusOr<FrozenGraphReference> ReadFrozenReference(
    const std::string& root, const std::string& name) {
  FrozenGraphReference graph;
  graph.name = name;
  graph.category = FrozenGraphCategory(name);
  graph.dir = absl::StrCat(root, "/", name);
  const std::string path = graph.dir + "/reference.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream text;
  text << in.rdbuf();
  absl::Status status = ParseReference(text.str(), &graph);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", status.message()));
  }
  return graph;
}

absl::StatusOr<Tensor> ReadFrozenTensor(const FrozenGraphReference& graph,
                                        const FrozenTensorSpec& spec) {
  const std::string path = absl::StrCat(graph.dir, "/", spec.file);
  MS_ASSIGN_OR_RETURN(Tensor tensor, ReadNpyFile(path));
  absl::StatusOr<TensorShape> shape = TensorShape::FromDims(spec.shape);
  if (!shape.ok() || tensor.dtype() != spec.npy_dtype ||
      tensor.shape() != *shape) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " holds ", DataTypeName(tensor.dtype()), " ",
                     tensor.shape().DebugString(), " but reference.json says ",
                     DataTypeName(spec.npy_dtype), " ",
                     shape.ok() ? shape->DebugString() : "(bad shape)"));
  }
  if (spec.dtype == DT_BFLOAT16 && spec.npy_dtype == DT_FLOAT) {
    absl::StatusOr<Tensor> converted = ToBfloat16(tensor);
    if (!converted.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": ", converted.status().message()));
    }
    return converted;
  }
  if (spec.dtype != spec.npy_dtype) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": no conversion from ", DataTypeName(spec.npy_dtype), " to ",
        DataTypeName(spec.dtype)));
  }
  return tensor;
}

}  // namespace model_server
