#include "model_tool/show_json.h"

#include <cmath>

#include "absl/strings/escaping.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "runtime/data_type.h"

namespace model_server {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void String(Writer& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void Key(Writer& w, const char* key) { w.Key(key); }

bool IsUtf8(const std::string& s) {
  rapidjson::StringStream stream(s.c_str());
  rapidjson::StringBuffer ignored;
  rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>,
                    rapidjson::UTF8<>, rapidjson::CrtAllocator,
                    rapidjson::kWriteValidateEncodingFlag>
      validating(ignored);
  return s.find('\0') == std::string::npos &&
         validating.String(s.data(),
                           static_cast<rapidjson::SizeType>(s.size()));
}

void Double(Writer& w, double v) {
  if (std::isnan(v)) {
    w.String("nan");
  } else if (std::isinf(v)) {
    w.String(v > 0 ? "inf" : "-inf");
  } else {
    w.Double(v);
  }
}

void Values(Writer& w, const Tensor& t) {
  w.StartArray();
  const int64_t n = t.NumElements();
  SwitchOnDataType(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* data = t.data<T>();
    for (int64_t i = 0; i < n; ++i) {
      if constexpr (std::is_same_v<T, bool>) {
        w.Bool(data[i]);
      } else if constexpr (std::is_same_v<T, std::string>) {
        if (IsUtf8(data[i])) {
          String(w, data[i]);
        } else {
          w.StartObject();
          Key(w, "b64");
          String(w, absl::Base64Escape(data[i]));
          w.EndObject();
        }
      } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        w.Int64(static_cast<int64_t>(data[i]));
      } else if constexpr (std::is_integral_v<T>) {
        w.Uint64(static_cast<uint64_t>(data[i]));
      } else if constexpr (std::is_same_v<T, float> ||
                           std::is_same_v<T, double> ||
                           std::is_same_v<T, Eigen::half> ||
                           std::is_same_v<T, Eigen::bfloat16>) {
        Double(w, static_cast<double>(static_cast<float>(data[i])));
      } else {
        w.Null();
      }
    }
  });
  w.EndArray();
}

void TensorInfos(
    Writer& w,
    const google::protobuf::Map<std::string, tensorflow::TensorInfo>& infos) {
  std::map<std::string, tensorflow::TensorInfo> sorted(infos.begin(),
                                                       infos.end());
  w.StartObject();
  for (const auto& [alias, info] : sorted) {
    String(w, alias);
    w.StartObject();
    Key(w, "name");
    String(w, info.name());
    Key(w, "dtype");
    String(w, DataTypeEnumName(info.dtype()));
    Key(w, "shape");
    if (info.tensor_shape().unknown_rank()) {
      w.Null();
    } else {
      w.StartArray();
      for (const auto& dim : info.tensor_shape().dim()) w.Int64(dim.size());
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndObject();
}

const char* OriginName(SignatureOrigin origin) {
  switch (origin) {
    case SignatureOrigin::kModel:
      return "model";
    case SignatureOrigin::kSidecar:
      return "sidecar";
    case SignatureOrigin::kInferred:
      return "inferred";
  }
  return "";
}

void MetaGraph(Writer& w, const MetaGraphReport& meta_graph) {
  w.StartObject();
  Key(w, "tags");
  w.StartArray();
  for (const std::string& tag : meta_graph.tags) String(w, tag);
  w.EndArray();
  Key(w, "signature_origin");
  w.String(OriginName(meta_graph.signature_origin));
  Key(w, "graph_nodes");
  w.Int(meta_graph.graph_nodes);
  Key(w, "signatures");
  w.StartObject();
  for (const auto& [key, def] : meta_graph.signatures) {
    String(w, key);
    w.StartObject();
    Key(w, "method_name");
    String(w, def.method_name());
    Key(w, "inputs");
    TensorInfos(w, def.inputs());
    Key(w, "outputs");
    TensorInfos(w, def.outputs());
    w.EndObject();
  }
  w.EndObject();
  Key(w, "ops");
  w.StartArray();
  for (const OpUse& use : meta_graph.ops) {
    w.StartObject();
    Key(w, "op");
    String(w, use.op);
    Key(w, "count");
    w.Int(use.count);
    Key(w, "supported");
    w.Bool(use.supported);
    Key(w, "function");
    w.Bool(use.is_function);
    Key(w, "plumbing_only");
    w.Bool(use.plumbing_only);
    w.EndObject();
  }
  w.EndArray();
  Key(w, "unsupported_ops");
  w.StartArray();
  for (const std::string& op : meta_graph.UnsupportedOps()) String(w, op);
  w.EndArray();
  Key(w, "unsupported_serving_ops");
  w.StartArray();
  for (const std::string& op : meta_graph.UnsupportedOps(true)) String(w, op);
  w.EndArray();
  Key(w, "functions");
  w.StartArray();
  for (const FunctionUse& function : meta_graph.functions) {
    w.StartObject();
    Key(w, "name");
    String(w, function.name);
    Key(w, "nodes");
    w.Int(function.nodes);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string ShowJson(const ModelReport& report) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Key(w, "path");
  String(w, report.path);
  Key(w, "format");
  if (report.format.has_value()) {
    String(w, std::string(ModelFormatName(*report.format)));
  } else {
    w.Null();
  }
  Key(w, "model_file");
  String(w, report.model_file);
  Key(w, "meta_graphs");
  w.StartArray();
  for (const MetaGraphReport& meta_graph : report.meta_graphs) {
    MetaGraph(w, meta_graph);
  }
  w.EndArray();
  Key(w, "checkpoint");
  if (report.checkpoint_prefix.empty()) {
    w.Null();
  } else {
    String(w, report.checkpoint_prefix);
  }
  Key(w, "variables");
  w.StartArray();
  for (const VariableReport& variable : report.variables) {
    w.StartObject();
    Key(w, "name");
    String(w, variable.name);
    Key(w, "dtype");
    String(w, DataTypeEnumName(variable.dtype));
    Key(w, "shape");
    w.StartArray();
    for (int64_t dim : variable.shape) w.Int64(dim);
    w.EndArray();
    Key(w, "bytes");
    w.Int64(variable.bytes);
    if (variable.value.has_value()) {
      Key(w, "value");
      Values(w, *variable.value);
    }
    if (!variable.error.empty()) {
      Key(w, "error");
      String(w, variable.error);
    }
    w.EndObject();
  }
  w.EndArray();
  Key(w, "assets");
  w.StartArray();
  for (const AssetReport& asset : report.assets) {
    w.StartObject();
    Key(w, "name");
    String(w, asset.name);
    Key(w, "bytes");
    w.Int64(asset.bytes);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace model_server
