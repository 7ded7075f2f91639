#include "runtime/executor.h"

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "runtime/cancellation.h"
#include "runtime/step_profile.h"

namespace model_server {
namespace {

// Appends the failing node to an error, as TensorFlow does.
absl::Status AnnotateWithNode(const absl::Status& status,
                              const PlanStep& step) {
  absl::Status annotated(
      status.code(),
      absl::StrCat(status.message(), "\n\t [[{{node ", step.node_name, "}}]]"));
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    annotated.SetPayload(url, payload);
  });
  return annotated;
}

absl::Status MustFeedError(const Plan& plan, const PlanStep& step) {
  if (step.op == "Placeholder" || step.op == "_Arg") {
    return absl::InvalidArgumentError(absl::StrCat(
        "You must feed a value for placeholder tensor '", step.node_name,
        "' with dtype ", DataTypeName(step.declared_dtype)));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("You must feed a value for tensor '", step.node_name,
                   "': the plan was built with it fed"));
}

// Reads the value a step sees on one input edge into `out`.
absl::Status ReadInput(const Value& source, bool takes_ref, Value* out) {
  if (source.ref != nullptr && !takes_ref) {
    absl::StatusOr<Tensor> value = source.ref->Read();
    if (!value.ok()) return value.status();
    out->tensor = *std::move(value);
    out->ref = nullptr;
    out->dead = false;
    return absl::OkStatus();
  }
  *out = source;
  return absl::OkStatus();
}

}  // namespace

class DepthGuard {
 public:
  explicit DepthGuard(RunState* state) : state_(state) { ++state_->depth_; }
  ~DepthGuard() { --state_->depth_; }

 private:
  RunState* state_;
};

absl::Status RunState::CheckInterrupted() const {
  if (options_.deadline != absl::InfiniteFuture() &&
      absl::Now() > options_.deadline) {
    return absl::DeadlineExceededError("the request ran past its deadline");
  }
  if (options_.cancellation != nullptr && options_.cancellation->cancelled()) {
    return absl::CancelledError(
        "the client cancelled the request (it cancelled the call, or closed "
        "its connection)");
  }
  return absl::OkStatus();
}

void OpKernelContext::set_output_ref(int i,
                                     std::shared_ptr<Variable> variable) {
  outputs_[i].ref = std::move(variable);
}

absl::StatusOr<Tensor*> OpKernelContext::allocate_output(
    int i, DataType dtype, const TensorShape& shape) {
  if (shape.num_elements() > run_->options().max_tensor_elements) {
    return absl::ResourceExhaustedError(
        absl::StrCat("output ", i, " of type ", DataTypeName(dtype),
                     " and shape ", shape.DebugString(), " would hold ",
                     shape.num_elements(), " elements, more than the limit of ",
                     run_->options().max_tensor_elements,
                     " elements per tensor (--max_tensor_elements)"));
  }
  absl::StatusOr<Tensor> tensor = Tensor::Create(dtype, shape);
  if (!tensor.ok()) return tensor.status();
  outputs_[i].tensor = *std::move(tensor);
  return &outputs_[i].tensor;
}

absl::Status OpKernelContext::RunFunction(const Plan& plan,
                                          absl::Span<const Tensor> args,
                                          std::vector<Tensor>* results) {
  if (run_->depth() >= run_->options().max_call_depth) {
    return absl::ResourceExhaustedError(
        absl::StrCat("function calls nested deeper than ",
                     run_->options().max_call_depth, " calling ", plan.name()));
  }
  if (static_cast<int>(args.size()) != plan.num_feeds()) {
    return absl::InvalidArgumentError(
        absl::StrCat("function ", plan.name(), " takes ", plan.num_feeds(),
                     " arguments, got ", args.size()));
  }
  // Loops run their condition and body through here once per iteration,
  // and a body may have no step that runs a kernel: check before every
  // nested run so an endless loop stops at the deadline or cancellation.
  if (absl::Status status = run_->CheckInterrupted(); !status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat(status.message(),
                                     "; stopped before running ", plan.name()));
  }
  absl::InlinedVector<const Tensor*, 8> feeds;
  for (const Tensor& arg : args) feeds.push_back(&arg);
  DepthGuard guard(run_);
  return RunPlan(plan, feeds, results, run_);
}

absl::Status RunPlan(const Plan& plan, absl::Span<const Tensor* const> feeds,
                     std::vector<Tensor>* fetches, RunState* state) {
  if (static_cast<int>(feeds.size()) != plan.num_feeds()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "plan takes ", plan.num_feeds(), " feeds, got ", feeds.size()));
  }
  std::vector<Value> slots(plan.num_slots());
  const std::vector<PlanStep>& steps = plan.steps();
  std::vector<char> step_dead(steps.size(), 0);
  absl::InlinedVector<Value, 8> inputs;
  absl::InlinedVector<Value*, 8> input_ptrs;

  for (size_t s = 0; s < steps.size(); ++s) {
    const PlanStep& step = steps[s];
    Value* outputs = slots.data() + step.first_output;

    // Fed outputs: take the feeds and skip the kernel.
    if (!step.fed_outputs.empty()) {
      int supplied = 0;
      for (const auto& [output, feed] : step.fed_outputs) {
        if (feeds[feed] != nullptr) {
          outputs[output].tensor = *feeds[feed];
          ++supplied;
        }
      }
      if (supplied == static_cast<int>(step.fed_outputs.size())) continue;
      if (supplied > 0 || step.kernel == nullptr) {
        return MustFeedError(plan, step);
      }
    }
    if (step.kernel == nullptr) return MustFeedError(plan, step);

    bool dead = false;
    for (int c : step.control_steps) dead |= step_dead[c] != 0;
    inputs.resize(step.input_slots.size());
    input_ptrs.resize(step.input_slots.size());
    for (size_t i = 0; i < step.input_slots.size(); ++i) {
      const int slot = step.input_slots[i];
      if (slot < 0) {
        return AnnotateWithNode(
            absl::InternalError("input comes from a pruned node"), step);
      }
      const Value& source = slots[slot];
      dead |= source.dead;
      if (source.dead) {
        inputs[i] = source;
      } else {
        absl::Status status = ReadInput(source, step.takes_ref[i], &inputs[i]);
        if (!status.ok()) return AnnotateWithNode(status, step);
      }
      input_ptrs[i] = &inputs[i];
    }
    if (dead && !step.accepts_dead_inputs) {
      step_dead[s] = 1;
      for (int o = 0; o < step.num_outputs; ++o) outputs[o].dead = true;
    } else {
      // Before every kernel (an atomic load, and a clock read only with a
      // deadline): a chain of large kernels stops at the next one.
      if (absl::Status status = state->CheckInterrupted(); !status.ok()) {
        return AnnotateWithNode(status, step);
      }
      OpKernelContext ctx(state, &step.node_name, input_ptrs,
                          absl::Span<Value>(outputs, step.num_outputs));
      StepProfile* const profile = state->options().profile;
      const absl::Time start = profile != nullptr ? absl::Now() : absl::Time();
      absl::Status status = step.kernel->Compute(ctx);
      if (profile != nullptr) {
        profile->Add(step.node_name, step.op, absl::Now() - start);
      }
      if (!status.ok()) return AnnotateWithNode(status, step);
      bool all_outputs_dead = step.num_outputs > 0;
      for (int o = 0; o < step.num_outputs; ++o) {
        const Value& out = outputs[o];
        all_outputs_dead &= out.dead;
        if (!out.dead && out.ref == nullptr && !out.tensor.IsInitialized()) {
          return AnnotateWithNode(
              absl::InternalError(absl::StrCat("kernel ", step.op,
                                               " did not produce output ", o)),
              step);
        }
      }
      // A Merge whose inputs were all dead is itself dead, so its control
      // edges carry deadness too (TensorFlow's rule). A Switch that ran is
      // live even though one of its outputs is dead.
      if (step.accepts_dead_inputs && all_outputs_dead) step_dead[s] = 1;
    }
    for (int slot : step.release_slots) slots[slot] = Value();
  }

  fetches->clear();
  fetches->reserve(plan.num_fetches());
  for (int i = 0; i < plan.num_fetches(); ++i) {
    const int slot = plan.fetch_slots()[i];
    if (slot < 0) {
      return absl::InternalError(
          absl::StrCat("fetch ", plan.fetch_name(i), " has no value"));
    }
    Value& value = slots[slot];
    if (value.dead) {
      return absl::InvalidArgumentError(
          absl::StrCat("Retval[", i, "] (", plan.fetch_name(i),
                       ") does not have value: it is on an untaken branch"));
    }
    if (value.ref != nullptr) {
      absl::StatusOr<Tensor> read = value.ref->Read();
      if (!read.ok()) return read.status();
      fetches->push_back(*std::move(read));
    } else if (!value.tensor.IsInitialized()) {
      fetches->push_back(Tensor());
    } else {
      fetches->push_back(value.tensor);
    }
  }
  return absl::OkStatus();
}

absl::Status RunPlan(const Plan& plan, absl::Span<const Tensor> feeds,
                     std::vector<Tensor>* fetches, const RunOptions& options) {
  absl::InlinedVector<const Tensor*, 8> feed_ptrs;
  for (const Tensor& feed : feeds) feed_ptrs.push_back(&feed);
  RunState state(options);
  return RunPlan(plan, feed_ptrs, fetches, &state);
}

}  // namespace model_server
