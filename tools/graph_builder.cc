#include "tools/graph_builder.h"

#include "absl/strings/str_cat.h"
#include "runtime/tensor_proto.h"
#include "tensorflow/core/framework/tensor_shape.pb.h"

namespace model_server {
namespace {

tensorflow::AttrValue& AttrOf(tensorflow::NodeDef* node,
                              const std::string& name) {
  return (*node->mutable_attr())[name];
}

tensorflow::DataType ProtoType(DataType dtype) {
  return static_cast<tensorflow::DataType>(dtype);
}

std::string OutputZero(const std::string& node) {
  return absl::StrCat(node, ":0");
}

}  // namespace

void SetShape(const Dims& dims, tensorflow::TensorShapeProto* proto) {
  proto->Clear();
  for (int64_t d : dims) proto->add_dim()->set_size(d);
}

// NodeBuilder ---------------------------------------------------------------

NodeBuilder& NodeBuilder::Input(const std::string& tensor) {
  node_->add_input(tensor);
  return *this;
}

NodeBuilder& NodeBuilder::ControlInput(const std::string& node) {
  node_->add_input(absl::StrCat("^", node));
  return *this;
}

NodeBuilder& NodeBuilder::Attr(const std::string& name, int64_t value) {
  AttrOf(node_, name).set_i(value);
  return *this;
}

NodeBuilder& NodeBuilder::Attr(const std::string& name, float value) {
  AttrOf(node_, name).set_f(value);
  return *this;
}

NodeBuilder& NodeBuilder::Attr(const std::string& name, bool value) {
  AttrOf(node_, name).set_b(value);
  return *this;
}

NodeBuilder& NodeBuilder::Attr(const std::string& name,
                               const std::string& value) {
  AttrOf(node_, name).set_s(value);
  return *this;
}

NodeBuilder& NodeBuilder::Attr(const std::string& name, DataType value) {
  AttrOf(node_, name).set_type(ProtoType(value));
  return *this;
}

NodeBuilder& NodeBuilder::Attr(const std::string& name,
                               const std::vector<int64_t>& value) {
  auto* list = AttrOf(node_, name).mutable_list();
  list->Clear();
  for (int64_t v : value) list->add_i(v);
  return *this;
}

NodeBuilder& NodeBuilder::Attr(const std::string& name,
                               const std::vector<float>& value) {
  auto* list = AttrOf(node_, name).mutable_list();
  list->Clear();
  for (float v : value) list->add_f(v);
  return *this;
}

NodeBuilder& NodeBuilder::Attr(const std::string& name,
                               const std::vector<DataType>& value) {
  auto* list = AttrOf(node_, name).mutable_list();
  list->Clear();
  for (DataType v : value) list->add_type(ProtoType(v));
  return *this;
}

NodeBuilder& NodeBuilder::Attr(const std::string& name,
                               const std::vector<std::string>& value) {
  auto* list = AttrOf(node_, name).mutable_list();
  list->Clear();
  for (const std::string& v : value) list->add_s(v);
  return *this;
}

NodeBuilder& NodeBuilder::Attr(const std::string& name, const Tensor& value) {
  absl::Status status =
      TensorToProto(value, AttrOf(node_, name).mutable_tensor());
  if (!status.ok() && error_->ok()) {
    *error_ = absl::Status(
        status.code(), absl::StrCat("attr '", name, "' of node '",
                                    node_->name(), "': ", status.message()));
  }
  return *this;
}

NodeBuilder& NodeBuilder::ShapeAttr(const std::string& name, const Dims& dims) {
  SetShape(dims, AttrOf(node_, name).mutable_shape());
  return *this;
}

NodeBuilder& NodeBuilder::UnknownShapeAttr(const std::string& name) {
  auto* shape = AttrOf(node_, name).mutable_shape();
  shape->Clear();
  shape->set_unknown_rank(true);
  return *this;
}

NodeBuilder& NodeBuilder::ShapeListAttr(const std::string& name,
                                        const std::vector<Dims>& shapes) {
  auto* list = AttrOf(node_, name).mutable_list();
  list->Clear();
  for (const Dims& dims : shapes) SetShape(dims, list->add_shape());
  return *this;
}

NodeBuilder& NodeBuilder::FuncAttr(const std::string& name,
                                   const std::string& function_name) {
  AttrOf(node_, name).mutable_func()->set_name(function_name);
  return *this;
}

NodeBuilder& NodeBuilder::FuncListAttr(
    const std::string& name, const std::vector<std::string>& function_names) {
  auto* list = AttrOf(node_, name).mutable_list();
  list->Clear();
  for (const std::string& function : function_names) {
    list->add_func()->set_name(function);
  }
  return *this;
}

NodeBuilder& NodeBuilder::RawAttr(const std::string& name,
                                  const tensorflow::AttrValue& value) {
  AttrOf(node_, name) = value;
  return *this;
}

NodeBuilder& NodeBuilder::Device(const std::string& device) {
  node_->set_device(device);
  return *this;
}

std::string NodeBuilder::Output(int index) const {
  return absl::StrCat(node_->name(), ":", index);
}

// GraphBuilder --------------------------------------------------------------

GraphBuilder::GraphBuilder() = default;

NodeBuilder GraphBuilder::Op(const std::string& name, const std::string& op) {
  tensorflow::NodeDef* node = graph_.add_node();
  node->set_name(name);
  node->set_op(op);
  return NodeBuilder(node, &status_);
}

std::string GraphBuilder::Placeholder(const std::string& name, DataType dtype) {
  Op(name, "Placeholder").Attr("dtype", dtype).UnknownShapeAttr("shape");
  return OutputZero(name);
}

std::string GraphBuilder::Placeholder(const std::string& name, DataType dtype,
                                      const Dims& dims) {
  Op(name, "Placeholder").Attr("dtype", dtype).ShapeAttr("shape", dims);
  return OutputZero(name);
}

std::string GraphBuilder::Const(const std::string& name, const Tensor& value) {
  Op(name, "Const").Attr("dtype", value.dtype()).Attr("value", value);
  return OutputZero(name);
}

std::string GraphBuilder::Identity(const std::string& name,
                                   const std::string& input, DataType dtype) {
  Op(name, "Identity").Input(input).Attr("T", dtype);
  return OutputZero(name);
}

std::string GraphBuilder::Binary(const std::string& name, const std::string& op,
                                 const std::string& x, const std::string& y,
                                 DataType dtype) {
  Op(name, op).Input(x).Input(y).Attr("T", dtype);
  return OutputZero(name);
}

std::string GraphBuilder::NoOp(const std::string& name,
                               const std::vector<std::string>& control_inputs) {
  NodeBuilder node = Op(name, "NoOp");
  for (const std::string& input : control_inputs) node.ControlInput(input);
  return name;
}

std::string GraphBuilder::VariableV2(const std::string& name, DataType dtype,
                                     const Dims& dims) {
  Op(name, "VariableV2")
      .Attr("dtype", dtype)
      .ShapeAttr("shape", dims)
      .Attr("container", "")
      .Attr("shared_name", "");
  return Identity(absl::StrCat(name, "/read"), name, dtype);
}

std::string GraphBuilder::Assign(const std::string& name,
                                 const std::string& variable,
                                 const std::string& value, DataType dtype) {
  Op(name, "Assign")
      .Input(variable)
      .Input(value)
      .Attr("T", dtype)
      .Attr("validate_shape", true)
      .Attr("use_locking", true);
  return name;
}

std::string GraphBuilder::VarHandle(const std::string& name, DataType dtype,
                                    const Dims& dims) {
  Op(name, "VarHandleOp")
      .Attr("dtype", dtype)
      .ShapeAttr("shape", dims)
      .Attr("container", "")
      .Attr("shared_name", name);
  const std::string read = absl::StrCat(name, "/Read/ReadVariableOp");
  Op(read, "ReadVariableOp").Input(name).Attr("dtype", dtype);
  return OutputZero(read);
}

std::string GraphBuilder::AssignVariable(const std::string& name,
                                         const std::string& handle,
                                         const std::string& value,
                                         DataType dtype) {
  Op(name, "AssignVariableOp").Input(handle).Input(value).Attr("dtype", dtype);
  return name;
}

}  // namespace model_server
