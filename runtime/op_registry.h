// The registry of ops the runtime can run, keyed by op name.
//
// Each kernel file registers its op(s) at static-initialisation time:
//
//   REGISTER_KERNEL(OpSpec("AddV2").Output("z"), MakeBinaryKernel<Add>);
//
// An OpSpec holds the parts of TensorFlow's OpDef the runtime needs: the
// output argument names and sizes (to resolve FunctionDef references such as
// "node:output:0" and to size value slots), which inputs take a variable
// reference, and which op names accept dead inputs (Merge). REGISTER_KERNEL
// also records the source file that registers the op (docs/ops.md is
// generated from the registry, tools/ops_doc.h). The registry is filled
// before main() and read-only afterwards, so lookups need no lock.
#ifndef MODEL_SERVER_RUNTIME_OP_REGISTRY_H_
#define MODEL_SERVER_RUNTIME_OP_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/node_attrs.h"
#include "runtime/op_kernel.h"

namespace model_server {

using KernelFactory = std::function<absl::StatusOr<std::unique_ptr<OpKernel>>(
    const KernelConstruction&)>;

class OpSpec {
 public:
  explicit OpSpec(std::string op_name) : op_name_(std::move(op_name)) {}

  // One output argument. `count_attr` names an int attribute (number_attr)
  // or a list(type) attribute (type_list_attr) giving how many tensors the
  // argument holds; empty means exactly one.
  OpSpec& Output(std::string name, std::string count_attr = "") {
    outputs_.push_back({std::move(name), std::move(count_attr)});
    return *this;
  }
  // Input `index` (flat position) takes a variable reference (Assign's `ref`).
  OpSpec& RefInput(int index) {
    ref_inputs_.push_back(index);
    return *this;
  }
  // The kernel runs even when some inputs are dead (Merge).
  OpSpec& AcceptsDeadInputs() {
    accepts_dead_inputs_ = true;
    return *this;
  }

  struct OutputArg {
    std::string name;
    std::string count_attr;
  };
  const std::string& op_name() const { return op_name_; }
  const std::vector<OutputArg>& outputs() const { return outputs_; }
  const std::vector<int>& ref_inputs() const { return ref_inputs_; }
  bool accepts_dead_inputs() const { return accepts_dead_inputs_; }

  // How many tensors each output argument holds for this node.
  absl::StatusOr<std::vector<int>> OutputArgSizes(const NodeAttrs& attrs) const;

 private:
  std::string op_name_;
  std::vector<OutputArg> outputs_;
  std::vector<int> ref_inputs_;
  bool accepts_dead_inputs_ = false;
};

struct RegisteredOp {
  OpSpec spec;
  KernelFactory factory;
  // The file that registers the op, from the repository root:
  // "runtime/kernels/math/cwise_unary.cc", "runtime/function_call_kernel.cc".
  std::string source_file;
};

// Returns the op registered under `op_name`, or null.
const RegisteredOp* FindOp(absl::string_view op_name);
// Every registered op name, sorted (for docs and tests).
std::vector<std::string> RegisteredOpNames();

// Registers an op; aborts on a duplicate name (a programming error).
// `source_file` is the registering file's __FILE__; it is stored from its
// last "runtime/" component on (see RegisteredOp::source_file), whatever
// directory the build compiled it from.
bool RegisterKernel(OpSpec spec, KernelFactory factory,
                    absl::string_view source_file);

// The repository-relative form of a __FILE__ path, as stored in
// RegisteredOp::source_file: from the last "runtime/" component on, or the
// path unchanged if it has none.
std::string SourcePathFromRepositoryRoot(absl::string_view file);

// Factory for kernels whose constructor-style Create takes the construction
// context: `static absl::StatusOr<std::unique_ptr<OpKernel>> Create(const
// KernelConstruction&)`.
#define MS_REGISTER_CONCAT_INNER_(a, b) a##b
#define MS_REGISTER_CONCAT_(a, b) MS_REGISTER_CONCAT_INNER_(a, b)
#define REGISTER_KERNEL(spec, factory)                                   \
  [[maybe_unused]] static const bool MS_REGISTER_CONCAT_(ms_registered_, \
                                                         __COUNTER__) =  \
      ::model_server::RegisterKernel(spec, factory, __FILE__)

// Convenience factory for kernels without attributes to check.
template <typename Kernel>
absl::StatusOr<std::unique_ptr<OpKernel>> MakeSimpleKernel(
    const KernelConstruction&) {
  return std::unique_ptr<OpKernel>(new Kernel());
}

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_OP_REGISTRY_H_
