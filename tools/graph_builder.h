// Builds a tensorflow.GraphDef node by node, for tests and tools that write
// SavedModels without TensorFlow.
//
//   GraphBuilder g;
//   std::string x = g.Placeholder("x", DT_FLOAT, {-1, 1});
//   std::string two = g.Const("two", Tensor::Scalar(2.0f));
//   g.Op("y", "AddV2").Input(x).Input(two).Attr("T", DT_FLOAT);
//
// Names are TensorFlow's: a node is "name", its outputs "name:0", "name:1"
// (plain "name" means output 0), a control input "^name". The builder does
// not check ops or attrs against any OpDef: it writes what it is told, so
// tests can also make graphs that are wrong on purpose. Not thread-safe.
#ifndef MODEL_SERVER_TOOLS_GRAPH_BUILDER_H_
#define MODEL_SERVER_TOOLS_GRAPH_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "runtime/data_type.h"
#include "runtime/tensor.h"
#include "tensorflow/core/framework/attr_value.pb.h"
#include "tensorflow/core/framework/graph.pb.h"
#include "tensorflow/core/framework/node_def.pb.h"

namespace model_server {

// Dimensions of a shape attr or TensorInfo; -1 marks an unknown size.
using Dims = std::vector<int64_t>;

// Fills `proto` with `dims` (known rank).
void SetShape(const Dims& dims, tensorflow::TensorShapeProto* proto);

// Edits one node of a GraphBuilder's graph. Cheap to copy; valid as long as
// the GraphBuilder that made it.
class NodeBuilder {
 public:
  // `error` collects the first error of an attr that could not be encoded.
  NodeBuilder(tensorflow::NodeDef* node, absl::Status* error)
      : node_(node), error_(error) {}

  // Appends a data input: "node" or "node:k".
  NodeBuilder& Input(const std::string& tensor);
  // Appends a control input on `node` (written "^node").
  NodeBuilder& ControlInput(const std::string& node);

  NodeBuilder& Attr(const std::string& name, int64_t value);
  NodeBuilder& Attr(const std::string& name, int value) {
    return Attr(name, static_cast<int64_t>(value));
  }
  NodeBuilder& Attr(const std::string& name, float value);
  NodeBuilder& Attr(const std::string& name, bool value);
  NodeBuilder& Attr(const std::string& name, const std::string& value);
  NodeBuilder& Attr(const std::string& name, const char* value) {
    return Attr(name, std::string(value));
  }
  NodeBuilder& Attr(const std::string& name, DataType value);
  NodeBuilder& Attr(const std::string& name, const std::vector<int64_t>& value);
  NodeBuilder& Attr(const std::string& name, const std::vector<float>& value);
  NodeBuilder& Attr(const std::string& name,
                    const std::vector<DataType>& value);
  NodeBuilder& Attr(const std::string& name,
                    const std::vector<std::string>& value);
  // A tensor attr (e.g. Const's "value"), encoded with tensor_content. A
  // tensor that cannot be encoded (resource, variant) is recorded in the
  // GraphBuilder's status().
  NodeBuilder& Attr(const std::string& name, const Tensor& value);
  // A shape attr of known rank; -1 marks an unknown dimension.
  NodeBuilder& ShapeAttr(const std::string& name, const Dims& dims);
  // A shape attr of unknown rank.
  NodeBuilder& UnknownShapeAttr(const std::string& name);
  NodeBuilder& ShapeListAttr(const std::string& name,
                             const std::vector<Dims>& shapes);
  // A func attr naming a FunctionDef of the graph's library.
  NodeBuilder& FuncAttr(const std::string& name,
                        const std::string& function_name);
  // A list(func) attr (Case's `branches`).
  NodeBuilder& FuncListAttr(const std::string& name,
                            const std::vector<std::string>& function_names);
  // Any attr, as an AttrValue proto.
  NodeBuilder& RawAttr(const std::string& name,
                       const tensorflow::AttrValue& value);
  NodeBuilder& Device(const std::string& device);

  const std::string& name() const { return node_->name(); }
  // "name:index".
  std::string Output(int index) const;
  tensorflow::NodeDef* node() const { return node_; }

 private:
  tensorflow::NodeDef* node_;
  absl::Status* error_;
};

class GraphBuilder {
 public:
  GraphBuilder();
  GraphBuilder(const GraphBuilder&) = delete;
  GraphBuilder& operator=(const GraphBuilder&) = delete;

  // Adds node `name` running `op`, to be completed with inputs and attrs.
  // Node names are not checked for uniqueness (the loader reports
  // duplicates).
  NodeBuilder Op(const std::string& name, const std::string& op);

  // Placeholder of unknown shape; returns its tensor name "name:0".
  std::string Placeholder(const std::string& name, DataType dtype);
  // Placeholder with a shape attr (-1 for unknown dimensions).
  std::string Placeholder(const std::string& name, DataType dtype,
                          const Dims& dims);
  // Const holding `value`; returns "name:0".
  std::string Const(const std::string& name, const Tensor& value);
  // Identity of `input` (attr T = dtype); returns "name:0".
  std::string Identity(const std::string& name, const std::string& input,
                       DataType dtype);
  // Element-wise binary op with attr T (Add, AddV2, Mul, Sub, ...);
  // returns "name:0".
  std::string Binary(const std::string& name, const std::string& op,
                     const std::string& x, const std::string& y,
                     DataType dtype);
  // NoOp depending on `control_inputs` (node names); returns the node name.
  std::string NoOp(const std::string& name,
                   const std::vector<std::string>& control_inputs);

  // TF1 reference variable: VariableV2 `name` (attrs dtype, shape,
  // container, shared_name) and its reader `name/read` (Identity). Returns
  // the reader's tensor "name/read:0". Nothing initializes it: pair it with
  // an Assign (see SavedModelWriter::AddVariable for the restored kind).
  std::string VariableV2(const std::string& name, DataType dtype,
                         const Dims& dims);
  // Assign `name` = Assign(ref_variable, value) (attr T, validate_shape,
  // use_locking); returns the node name.
  std::string Assign(const std::string& name, const std::string& variable,
                     const std::string& value, DataType dtype);

  // TF2 resource variable: VarHandleOp `name` (attrs dtype, shape,
  // shared_name = name) and `name/Read/ReadVariableOp`. Returns the read
  // tensor.
  std::string VarHandle(const std::string& name, DataType dtype,
                        const Dims& dims);
  // AssignVariableOp(handle, value) (attr dtype); returns the node name.
  std::string AssignVariable(const std::string& name, const std::string& handle,
                             const std::string& value, DataType dtype);

  // The graph so far; mutable for anything the helpers do not cover
  // (function library, versions, editing nodes).
  tensorflow::GraphDef& graph_def() { return graph_; }
  const tensorflow::GraphDef& graph_def() const { return graph_; }

  // OK, or the first attr that could not be encoded.
  const absl::Status& status() const { return status_; }

 private:
  tensorflow::GraphDef graph_;
  absl::Status status_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_TOOLS_GRAPH_BUILDER_H_
