// One SignatureDef compiled against a loaded graph.
//
// Compiling never fails outright: a signature whose graph needs missing ops
// (or is otherwise broken) keeps that error in status() and answers it on
// every call, while the model's other signatures serve. Inputs and outputs
// are kept in alias order. Immutable after construction; Run() is
// thread-safe.
#ifndef MODEL_SERVER_SIGNATURES_SIGNATURE_H_
#define MODEL_SERVER_SIGNATURES_SIGNATURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "runtime/executor.h"
#include "runtime/graph.h"
#include "runtime/plan.h"
#include "signatures/batch_scheduler.h"
#include "tensorflow/core/protobuf/meta_graph.pb.h"

namespace model_server {

struct SignatureInput {
  std::string alias;
  std::string tensor_name;
  // The dtype the graph's fed node declares (the placeholder's), which is
  // what TensorFlow checks feeds against; DT_INVALID if the node does not say.
  DataType graph_dtype = DT_INVALID;
  // Position of tensor_name among the sorted input tensor names: TensorFlow
  // numbers feeds this way in "Expects arg[i]" errors.
  int arg_index = 0;
  // SignatureDef.defaults entry, used when a request leaves the input out.
  std::shared_ptr<const Tensor> default_value;
};

struct SignatureOutput {
  std::string alias;
  std::string tensor_name;
};

class Signature {
 public:
  // Compiles `def` (registered under `key`) against `graph`.
  static std::unique_ptr<Signature> Compile(const std::string& key,
                                            const tensorflow::SignatureDef& def,
                                            const Graph& graph,
                                            const CompileEnv& env);

  const std::string& key() const { return key_; }
  const tensorflow::SignatureDef& def() const { return def_; }
  const std::string& method_name() const { return def_.method_name(); }
  // OK when runnable; otherwise why not (UNIMPLEMENTED naming missing ops).
  const absl::Status& status() const { return status_; }

  const std::vector<SignatureInput>& inputs() const { return inputs_; }
  const std::vector<SignatureOutput>& outputs() const { return outputs_; }
  // Index into inputs()/outputs() by alias, or -1.
  int FindInput(absl::string_view alias) const;
  int FindOutput(absl::string_view alias) const;

  // Runs the signature. `inputs[i]` feeds inputs()[i] (null: not fed, the
  // graph's default or an error applies). Results are written for the
  // output indices in `wanted`, in that order.
  // REQUIRES: status().ok().
  // With batching enabled, a run that feeds every input itself (no
  // defaults) and wants every output goes through the batch queue (as TF
  // Serving batches only runs that match the signature); others run alone.
  // REQUIRES: status().ok().
  absl::Status Run(absl::Span<const Tensor* const> inputs,
                   absl::Span<const int> wanted, std::vector<Tensor>* results,
                   const RunOptions& options) const;

  // Gives this signature its own queue on `scheduler` (--enable_batching).
  // Call once, before the signature is shared between threads.
  // REQUIRES: status().ok(), ValidateBatchingOptions(options).ok().
  void EnableBatching(BatchScheduler& scheduler,
                      const BatchingOptions& options);
  bool batching() const { return batch_queue_ != nullptr; }

 private:
  Signature() = default;
  // Whether a run feeds every input itself and wants every output.
  bool WantsBatching(absl::Span<const Tensor* const> inputs,
                     absl::Span<const int> wanted) const;

  std::string key_;
  tensorflow::SignatureDef def_;
  absl::Status status_;
  std::vector<SignatureInput> inputs_;
  std::vector<SignatureOutput> outputs_;
  std::unique_ptr<Plan> plan_;  // feeds = inputs_, fetches = outputs_
  // Declared after plan_: destroyed first, while its runner's plan lives.
  std::unique_ptr<BatchQueue> batch_queue_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_SIGNATURE_H_
