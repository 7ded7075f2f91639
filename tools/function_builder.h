// Builds a tensorflow.FunctionDef (a graph function: the body of a call, of
// If/Case branches, of While cond/body) in a GraphDef's function library, for
// tests and tools that write graphs without TensorFlow.
//
//   GraphBuilder g;
//   FunctionBuilder add_one(g, "add_one");
//   std::string x = add_one.Arg("x", DT_FLOAT);
//   std::string one = add_one.Const("one", Tensor::Scalar(1.0f));
//   add_one.Op("y", "AddV2").Input(x).Input(one).Attr("T", DT_FLOAT);
//   add_one.Ret("y", DT_FLOAT, "y:z:0");
//
// Names follow FunctionDef conventions: an argument is referred to by its
// name ("x"), a node's output as "node:output_arg:index" ("y:z:0"), a
// control input as "^node". Like GraphBuilder, nothing is checked against
// any OpDef. Not thread-safe.
#ifndef MODEL_SERVER_TOOLS_FUNCTION_BUILDER_H_
#define MODEL_SERVER_TOOLS_FUNCTION_BUILDER_H_

#include <string>

#include "absl/status/status.h"
#include "runtime/data_type.h"
#include "runtime/tensor.h"
#include "tensorflow/core/framework/function.pb.h"
#include "tools/graph_builder.h"

namespace model_server {

class FunctionBuilder {
 public:
  // Adds an empty function `name` to `graph`'s library. REQUIRES: `graph`
  // outlives this builder.
  FunctionBuilder(GraphBuilder& graph, const std::string& name);
  FunctionBuilder(const FunctionBuilder&) = delete;
  FunctionBuilder& operator=(const FunctionBuilder&) = delete;

  // Appends an input argument; returns its name (how the body refers to
  // it).
  std::string Arg(const std::string& name, DataType dtype);
  // Adds body node `name` running `op`, to be completed with inputs and
  // attrs.
  NodeBuilder Op(const std::string& name, const std::string& op);
  // A Const body node; returns "name:output:0".
  std::string Const(const std::string& name, const Tensor& value);
  // Appends an output argument `name` returning `tensor`
  // ("node:output_arg:index" or an argument name).
  void Ret(const std::string& name, DataType dtype, const std::string& tensor);

  const std::string& name() const { return function_->signature().name(); }
  tensorflow::FunctionDef& function_def() { return *function_; }

  // OK, or the first attr that could not be encoded.
  const absl::Status& status() const { return status_; }

 private:
  tensorflow::FunctionDef* function_;
  absl::Status status_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_TOOLS_FUNCTION_BUILDER_H_
