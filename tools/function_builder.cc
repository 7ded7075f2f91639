#include "tools/function_builder.h"

#include "absl/strings/str_cat.h"

namespace model_server {

FunctionBuilder::FunctionBuilder(GraphBuilder& graph, const std::string& name)
    : function_(graph.graph_def().mutable_library()->add_function()) {
  function_->mutable_signature()->set_name(name);
}

std::string FunctionBuilder::Arg(const std::string& name, DataType dtype) {
  auto* arg = function_->mutable_signature()->add_input_arg();
  arg->set_name(name);
  arg->set_type(static_cast<tensorflow::DataType>(dtype));
  return name;
}

NodeBuilder FunctionBuilder::Op(const std::string& name,
                                const std::string& op) {
  tensorflow::NodeDef* node = function_->add_node_def();
  node->set_name(name);
  node->set_op(op);
  return NodeBuilder(node, &status_);
}

std::string FunctionBuilder::Const(const std::string& name,
                                   const Tensor& value) {
  Op(name, "Const").Attr("dtype", value.dtype()).Attr("value", value);
  return absl::StrCat(name, ":output:0");
}

void FunctionBuilder::Ret(const std::string& name, DataType dtype,
                          const std::string& tensor) {
  auto* ret = function_->mutable_signature()->add_output_arg();
  ret->set_name(name);
  ret->set_type(static_cast<tensorflow::DataType>(dtype));
  (*function_->mutable_ret())[name] = tensor;
}

}  // namespace model_server
