#include "signatures/signature.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "runtime/missing_ops.h"
#include "runtime/tensor_proto.h"

namespace model_server {

std::unique_ptr<Signature> Signature::Compile(
    const std::string& key, const tensorflow::SignatureDef& def,
    const Graph& graph, const CompileEnv& env) {
  std::unique_ptr<Signature> signature(new Signature());
  signature->key_ = key;
  signature->def_ = def;

  std::vector<std::string> feed_names, fetch_names;
  for (const auto& [alias, info] : def.inputs()) {
    SignatureInput input;
    input.alias = alias;
    input.tensor_name = info.name();
    signature->inputs_.push_back(std::move(input));
  }
  for (const auto& [alias, info] : def.outputs()) {
    SignatureOutput output;
    output.alias = alias;
    output.tensor_name = info.name();
    signature->outputs_.push_back(std::move(output));
  }
  auto by_alias = [](const auto& a, const auto& b) {
    return a.alias < b.alias;
  };
  std::sort(signature->inputs_.begin(), signature->inputs_.end(), by_alias);
  std::sort(signature->outputs_.begin(), signature->outputs_.end(), by_alias);

  std::vector<std::string> sorted_tensors;
  for (const SignatureInput& in : signature->inputs_) {
    feed_names.push_back(in.tensor_name);
    sorted_tensors.push_back(in.tensor_name);
  }
  std::sort(sorted_tensors.begin(), sorted_tensors.end());
  for (SignatureInput& in : signature->inputs_) {
    in.arg_index = static_cast<int>(std::lower_bound(sorted_tensors.begin(),
                                                     sorted_tensors.end(),
                                                     in.tensor_name) -
                                    sorted_tensors.begin());
    auto it = def.defaults().find(in.alias);
    if (it != def.defaults().end()) {
      absl::StatusOr<Tensor> value = TensorFromProto(it->second);
      if (!value.ok()) {
        signature->status_ = absl::InvalidArgumentError(
            absl::StrCat("signature ", key, ": default for input '", in.alias,
                         "' is invalid: ", value.status().message()));
        return signature;
      }
      in.default_value = std::make_shared<const Tensor>(*std::move(value));
    }
  }
  for (const SignatureOutput& out : signature->outputs_) {
    fetch_names.push_back(out.tensor_name);
  }

  absl::StatusOr<std::unique_ptr<Plan>> plan =
      Plan::CompileByName(graph, feed_names, fetch_names, {}, env);
  if (!plan.ok()) {
    std::set<std::string> missing = MissingOpsOf(plan.status());
    signature->status_ =
        missing.empty()
            ? absl::Status(plan.status().code(),
                           absl::StrCat("signature ", key, ": ",
                                        plan.status().message()))
            : MissingOpsError(missing, absl::StrCat("signature ", key));
    return signature;
  }
  signature->plan_ = *std::move(plan);
  for (size_t i = 0; i < signature->inputs_.size(); ++i) {
    signature->inputs_[i].graph_dtype = signature->plan_->feed_dtype(i);
  }
  return signature;
}

int Signature::FindInput(absl::string_view alias) const {
  for (size_t i = 0; i < inputs_.size(); ++i) {
    if (inputs_[i].alias == alias) return static_cast<int>(i);
  }
  return -1;
}

int Signature::FindOutput(absl::string_view alias) const {
  for (size_t i = 0; i < outputs_.size(); ++i) {
    if (outputs_[i].alias == alias) return static_cast<int>(i);
  }
  return -1;
}

absl::Status Signature::Run(absl::Span<const Tensor* const> inputs,
                            absl::Span<const int> wanted,
                            std::vector<Tensor>* results,
                            const RunOptions& options) const {
  std::vector<Tensor> all;
  const absl::Time start = absl::Now();
  absl::Status status;
  if (batch_queue_ != nullptr && WantsBatching(inputs, wanted)) {
    status = batch_queue_->Run(inputs, options, &all);
  } else {
    absl::InlinedVector<const Tensor*, 8> feeds(inputs.begin(), inputs.end());
    for (size_t i = 0; i < feeds.size(); ++i) {
      if (feeds[i] == nullptr && inputs_[i].default_value != nullptr) {
        feeds[i] = inputs_[i].default_value.get();
      }
    }
    RunState state(options);
    status = RunPlan(*plan_, feeds, &all, &state);
  }
  if (options.report != nullptr) {
    options.report->run_time += absl::Now() - start;
    options.report->signature_key = key_;
  }
  if (!status.ok()) return status;
  results->clear();
  results->reserve(wanted.size());
  for (int index : wanted) results->push_back(std::move(all[index]));
  return absl::OkStatus();
}

bool Signature::WantsBatching(absl::Span<const Tensor* const> inputs,
                              absl::Span<const int> wanted) const {
  if (inputs.empty()) return false;
  for (const Tensor* input : inputs) {
    if (input == nullptr) return false;
  }
  std::vector<char> fetched(outputs_.size(), 0);
  for (int index : wanted) fetched[index] = 1;
  return std::find(fetched.begin(), fetched.end(), 0) == fetched.end();
}

void Signature::EnableBatching(BatchScheduler& scheduler,
                               const BatchingOptions& options) {
  batch_queue_ = scheduler.AddQueue(
      options, [plan = plan_.get()](absl::Span<const Tensor* const> feeds,
                                    const RunOptions& run_options,
                                    std::vector<Tensor>* outputs) {
        RunState state(run_options);
        return RunPlan(*plan, feeds, outputs, &state);
      });
}

}  // namespace model_server
