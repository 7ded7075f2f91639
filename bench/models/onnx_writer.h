// A minimal ONNX model writer for the bench models: just the parts of
// onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
// ValueInfoProto) these graphs need, encoded by hand in the protobuf wire
// format (field numbers from onnx.proto, which is not packaged in Debian 12).
// Float tensors only; weights go in raw_data. Not a general ONNX library.
#ifndef MODEL_SERVER_BENCH_MODELS_ONNX_WRITER_H_
#define MODEL_SERVER_BENCH_MODELS_ONNX_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace model_server::bench {

// Protobuf wire-format encoder: fields appended in the order written.
class ProtoBytes {
 public:
  void Varint(int field, uint64_t value);
  void Bytes(int field, const std::string& bytes);
  void Message(int field, const ProtoBytes& message) {
    Bytes(field, message.data_);
  }
  void Float(int field, float value);
  const std::string& data() const { return data_; }

 private:
  void Tag(int field, int wire_type);
  void RawVarint(uint64_t value);
  std::string data_;
};

struct OnnxAttribute {
  enum class Kind { kInt, kFloat, kInts };
  std::string name;
  Kind kind = Kind::kInt;
  int64_t i = 0;
  float f = 0;
  std::vector<int64_t> ints;

  static OnnxAttribute Int(std::string name, int64_t value);
  static OnnxAttribute Float(std::string name, float value);
  static OnnxAttribute Ints(std::string name, std::vector<int64_t> values);
};

// One graph; dims of -1 in inputs/outputs are written as the symbolic "N".
class OnnxGraph {
 public:
  void Input(const std::string& name, const std::vector<int64_t>& dims);
  void Output(const std::string& name, const std::vector<int64_t>& dims);
  // A float initializer (a weight) of `dims`, `values` in row-major order.
  void Initializer(const std::string& name, const std::vector<int64_t>& dims,
                   const std::vector<float>& values);
  // An int64 initializer (shapes, axes).
  void Int64Initializer(const std::string& name,
                        const std::vector<int64_t>& dims,
                        const std::vector<int64_t>& values);
  void Node(const std::string& op_type, const std::vector<std::string>& inputs,
            const std::vector<std::string>& outputs,
            const std::vector<OnnxAttribute>& attributes = {});

  // The ModelProto (IR version 8, default-domain opset `opset`).
  std::string Serialize(const std::string& graph_name, int64_t opset) const;

 private:
  ProtoBytes graph_;
  int nodes_ = 0;
};

absl::Status WriteFile(const std::string& path, const std::string& bytes);

}  // namespace model_server::bench

#endif  // MODEL_SERVER_BENCH_MODELS_ONNX_WRITER_H_
