#include "bench/models/onnx_writer.h"

#include <cstring>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"

namespace model_server::bench {
namespace {

// onnx.proto field numbers used here.
namespace model_field {
constexpr int kIrVersion = 1, kProducerName = 2, kGraph = 7, kOpsetImport = 8;
}
namespace opset_field {
constexpr int kDomain = 1, kVersion = 2;
}
namespace graph_field {
constexpr int kNode = 1, kName = 2, kInitializer = 5, kInput = 11, kOutput = 12;
}
namespace node_field {
constexpr int kInput = 1, kOutput = 2, kName = 3, kOpType = 4, kAttribute = 5;
}
namespace attribute_field {
constexpr int kName = 1, kF = 2, kI = 3, kInts = 8, kType = 20;
constexpr int kTypeFloat = 1, kTypeInt = 2, kTypeInts = 7;
}  // namespace attribute_field
namespace tensor_field {
constexpr int kDims = 1, kDataType = 2, kName = 8, kRawData = 9;
constexpr int kFloat = 1, kInt64 = 7;
}  // namespace tensor_field
namespace value_info_field {
constexpr int kName = 1, kType = 2;
}
// TypeProto.tensor_type; TypeProto.Tensor elem_type, shape;
// TensorShapeProto.dim; Dimension dim_value, dim_param.
constexpr int kTypeTensorType = 1, kTensorElemType = 1, kTensorShape = 2,
              kShapeDim = 1, kDimValue = 1, kDimParam = 2;

ProtoBytes ValueInfo(const std::string& name,
                     const std::vector<int64_t>& dims) {
  ProtoBytes shape;
  for (int64_t d : dims) {
    ProtoBytes dim;
    if (d < 0) {
      dim.Bytes(kDimParam, "N");
    } else {
      dim.Varint(kDimValue, static_cast<uint64_t>(d));
    }
    shape.Message(kShapeDim, dim);
  }
  ProtoBytes tensor_type;
  tensor_type.Varint(kTensorElemType, tensor_field::kFloat);
  tensor_type.Message(kTensorShape, shape);
  ProtoBytes type;
  type.Message(kTypeTensorType, tensor_type);
  ProtoBytes info;
  info.Bytes(value_info_field::kName, name);
  info.Message(value_info_field::kType, type);
  return info;
}

ProtoBytes TensorHeader(const std::string& name,
                        const std::vector<int64_t>& dims, int data_type) {
  ProtoBytes tensor;
  for (int64_t d : dims) {
    tensor.Varint(tensor_field::kDims, static_cast<uint64_t>(d));
  }
  tensor.Varint(tensor_field::kDataType, static_cast<uint64_t>(data_type));
  tensor.Bytes(tensor_field::kName, name);
  return tensor;
}

}  // namespace

void ProtoBytes::RawVarint(uint64_t value) {
  while (value >= 0x80) {
    data_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  data_.push_back(static_cast<char>(value));
}

void ProtoBytes::Tag(int field, int wire_type) {
  RawVarint((static_cast<uint64_t>(field) << 3) |
            static_cast<uint64_t>(wire_type));
}

void ProtoBytes::Varint(int field, uint64_t value) {
  Tag(field, 0);
  RawVarint(value);
}

void ProtoBytes::Bytes(int field, const std::string& bytes) {
  Tag(field, 2);
  RawVarint(bytes.size());
  data_ += bytes;
}

void ProtoBytes::Float(int field, float value) {
  Tag(field, 5);
  char bytes[4];
  std::memcpy(bytes, &value, 4);  // little-endian hosts only (x86-64)
  data_.append(bytes, 4);
}

OnnxAttribute OnnxAttribute::Int(std::string name, int64_t value) {
  OnnxAttribute a;
  a.name = std::move(name);
  a.kind = Kind::kInt;
  a.i = value;
  return a;
}

OnnxAttribute OnnxAttribute::Float(std::string name, float value) {
  OnnxAttribute a;
  a.name = std::move(name);
  a.kind = Kind::kFloat;
  a.f = value;
  return a;
}

OnnxAttribute OnnxAttribute::Ints(std::string name,
                                  std::vector<int64_t> values) {
  OnnxAttribute a;
  a.name = std::move(name);
  a.kind = Kind::kInts;
  a.ints = std::move(values);
  return a;
}

void OnnxGraph::Input(const std::string& name,
                      const std::vector<int64_t>& dims) {
  graph_.Message(graph_field::kInput, ValueInfo(name, dims));
}

void OnnxGraph::Output(const std::string& name,
                       const std::vector<int64_t>& dims) {
  graph_.Message(graph_field::kOutput, ValueInfo(name, dims));
}

void OnnxGraph::Initializer(const std::string& name,
                            const std::vector<int64_t>& dims,
                            const std::vector<float>& values) {
  ProtoBytes tensor = TensorHeader(name, dims, tensor_field::kFloat);
  std::string raw(values.size() * sizeof(float), '\0');
  std::memcpy(raw.data(), values.data(), raw.size());
  tensor.Bytes(tensor_field::kRawData, raw);
  graph_.Message(graph_field::kInitializer, tensor);
}

void OnnxGraph::Int64Initializer(const std::string& name,
                                 const std::vector<int64_t>& dims,
                                 const std::vector<int64_t>& values) {
  ProtoBytes tensor = TensorHeader(name, dims, tensor_field::kInt64);
  std::string raw(values.size() * sizeof(int64_t), '\0');
  std::memcpy(raw.data(), values.data(), raw.size());
  tensor.Bytes(tensor_field::kRawData, raw);
  graph_.Message(graph_field::kInitializer, tensor);
}

void OnnxGraph::Node(const std::string& op_type,
                     const std::vector<std::string>& inputs,
                     const std::vector<std::string>& outputs,
                     const std::vector<OnnxAttribute>& attributes) {
  ProtoBytes node;
  for (const std::string& in : inputs) node.Bytes(node_field::kInput, in);
  for (const std::string& out : outputs) node.Bytes(node_field::kOutput, out);
  node.Bytes(node_field::kName, absl::StrCat(op_type, "_", nodes_++));
  node.Bytes(node_field::kOpType, op_type);
  for (const OnnxAttribute& a : attributes) {
    ProtoBytes attr;
    attr.Bytes(attribute_field::kName, a.name);
    switch (a.kind) {
      case OnnxAttribute::Kind::kInt:
        attr.Varint(attribute_field::kI, static_cast<uint64_t>(a.i));
        attr.Varint(attribute_field::kType, attribute_field::kTypeInt);
        break;
      case OnnxAttribute::Kind::kFloat:
        attr.Float(attribute_field::kF, a.f);
        attr.Varint(attribute_field::kType, attribute_field::kTypeFloat);
        break;
      case OnnxAttribute::Kind::kInts:
        for (int64_t v : a.ints) {
          attr.Varint(attribute_field::kInts, static_cast<uint64_t>(v));
        }
        attr.Varint(attribute_field::kType, attribute_field::kTypeInts);
        break;
    }
    node.Message(node_field::kAttribute, attr);
  }
  graph_.Message(graph_field::kNode, node);
}

std::string OnnxGraph::Serialize(const std::string& graph_name,
                                 int64_t opset) const {
  ProtoBytes graph = graph_;
  graph.Bytes(graph_field::kName, graph_name);
  ProtoBytes opset_id;
  opset_id.Bytes(opset_field::kDomain, "");
  opset_id.Varint(opset_field::kVersion, static_cast<uint64_t>(opset));
  ProtoBytes model;
  model.Varint(model_field::kIrVersion, 8);
  model.Bytes(model_field::kProducerName, "model_server bench");
  model.Message(model_field::kGraph, graph);
  model.Message(model_field::kOpsetImport, opset_id);
  return model.data();
}

absl::Status WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace model_server::bench
