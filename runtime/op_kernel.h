// The kernel interface: how one op is created at load time and run per
// request.
//
// A kernel is created once per graph node when a model version loads. Its
// factory validates the node's attributes and dtypes and returns an error
// (never aborts) for anything unsupported. Compute() is const: one kernel
// object serves concurrent requests, and all per-request state lives in the
// OpKernelContext. Kernels self-register with REGISTER_KERNEL (op_registry.h).
#ifndef MODEL_SERVER_RUNTIME_OP_KERNEL_H_
#define MODEL_SERVER_RUNTIME_OP_KERNEL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "runtime/node_attrs.h"
#include "runtime/resource.h"
#include "runtime/tensor.h"

namespace model_server {

class FunctionLibrary;
class Plan;
class RunState;

// What a kernel factory may use while the model loads.
struct KernelConstruction {
  const NodeAttrs& attrs;
  // Number of data inputs wired to the node.
  int num_inputs;
  // The loading model version's resources (variables, tables).
  ResourceManager* resources;
  // The model's functions, for call and control-flow kernels. May be null
  // when the graph has no function library.
  FunctionLibrary* functions;
  // Directory of the model version being loaded ("" in unit tests).
  std::string export_dir;

  const std::string& node_name() const { return attrs.node_name(); }
};

// The node's attr error (INVALID_ARGUMENT naming the node) unless it has
// exactly `expected` data inputs.
inline absl::Status CheckNumInputs(const KernelConstruction& c, int expected) {
  if (c.num_inputs != expected) {
    return c.attrs.Error(absl::StrCat("expects ", expected, " input",
                                      expected == 1 ? "" : "s", ", got ",
                                      c.num_inputs));
  }
  return absl::OkStatus();
}

// UNIMPLEMENTED "<Op> node '<name>': unsupported dtype <dtype>", for a kernel
// that has no instantiation for the node's dtype.
inline absl::Status UnsupportedDtypeError(const KernelConstruction& c,
                                          DataType dtype) {
  return absl::UnimplementedError(
      absl::StrCat(c.attrs.op(), " node '", c.node_name(),
                   "': unsupported dtype ", DataTypeName(dtype)));
}

// One edge's value while a plan runs.
struct Value {
  Tensor tensor;
  // Set instead of `tensor` on reference edges (outputs of VariableV2,
  // Assign, ...): consumers that do not take a reference read the variable.
  std::shared_ptr<Variable> ref;
  // Set on the untaken branch of a Switch; see executor.h.
  bool dead = false;
};

// Per-request view of one node's inputs and outputs. Created by the executor.
class OpKernelContext {
 public:
  OpKernelContext(RunState* run, const std::string* node_name,
                  absl::Span<Value* const> inputs, absl::Span<Value> outputs)
      : run_(run), node_name_(node_name), inputs_(inputs), outputs_(outputs) {}

  const std::string& node_name() const { return *node_name_; }
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  int num_outputs() const { return static_cast<int>(outputs_.size()); }

  // The value of data input `i` (a reference input is read, so this is its
  // current value). REQUIRES: the input is not dead.
  const Tensor& input(int i) const { return inputs_[i]->tensor; }
  // The variable behind reference input `i` (declared with
  // OpSpec::RefInput), or null if the edge does not carry a reference.
  const std::shared_ptr<Variable>& ref_input(int i) const {
    return inputs_[i]->ref;
  }
  bool input_is_dead(int i) const { return inputs_[i]->dead; }

  void set_output(int i, Tensor tensor) {
    outputs_[i].tensor = std::move(tensor);
  }
  // Outputs a reference to `variable` (and its current value for readers).
  void set_output_ref(int i, std::shared_ptr<Variable> variable);
  void set_output_dead(int i) { outputs_[i].dead = true; }

  // Allocates output `i`. Fails with RESOURCE_EXHAUSTED beyond the tensor
  // size limit.
  absl::StatusOr<Tensor*> allocate_output(int i, DataType dtype,
                                          const TensorShape& shape);

  // Runs a compiled function with `args`; its results go to `results`.
  // Used by call and control-flow kernels. Fails on excessive nesting.
  absl::Status RunFunction(const Plan& plan, absl::Span<const Tensor> args,
                           std::vector<Tensor>* results);

  // INVALID_ARGUMENT with `message`; the executor adds the node name.
  static absl::Status InvalidArgument(absl::string_view message) {
    return absl::InvalidArgumentError(message);
  }

 private:
  RunState* run_;
  const std::string* node_name_;
  absl::Span<Value* const> inputs_;
  absl::Span<Value> outputs_;
};

class OpKernel {
 public:
  virtual ~OpKernel() = default;
  // Computes every output. Returns an error for bad input data (shapes,
  // values); the executor adds the node name to the message.
  virtual absl::Status Compute(OpKernelContext& ctx) const = 0;
};

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_OP_KERNEL_H_
