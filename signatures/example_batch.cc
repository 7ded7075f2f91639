#include "signatures/example_batch.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tensorflow/core/example/example.pb.h"

namespace model_server {
namespace {

absl::Status EmptyInputError(absl::string_view what) {
  // TF Serving's text first: clients match on it.
  return absl::InvalidArgumentError(
      absl::StrCat("Input is empty. The request's input ", what,
                   "; Classify, Regress and MultiInference need at least one "
                   "tf.Example in input.example_list or "
                   "input.example_list_with_context."));
}

absl::StatusOr<Tensor> StringVector(int64_t size) {
  return Tensor::Create(DT_STRING, TensorShape{size});
}

// Fails when `examples` with `context` before each would exceed the limit.
absl::Status CheckBatchBytes(
    const google::protobuf::RepeatedPtrField<std::string>& examples,
    int64_t context_bytes) {
  int64_t total = context_bytes * examples.size();  // < 2^31 * 2^31
  for (const std::string& example : examples) {
    total += static_cast<int64_t>(example.size());
  }
  if (total > kMaxExampleBatchBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the ", examples.size(), " examples with the context (", context_bytes,
        " bytes) prepended to each would take ", total,
        " bytes, more than the limit of ", kMaxExampleBatchBytes,
        "; send fewer examples per request or a smaller context"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Tensor> TakeSerializedExamples(SerializedInput* input) {
  switch (input->kind_case()) {
    case SerializedInput::kExampleList: {
      auto* examples = input->mutable_example_list()->mutable_examples();
      if (examples->empty())
        return EmptyInputError("has an empty example_list");
      absl::StatusOr<Tensor> batch = StringVector(examples->size());
      if (!batch.ok()) return batch.status();
      absl::Span<std::string> out = batch->flat<std::string>();
      for (int i = 0; i < examples->size(); ++i) {
        out[i] = std::move(*examples->Mutable(i));
      }
      return batch;
    }
    case SerializedInput::kExampleListWithContext: {
      auto* list = input->mutable_example_list_with_context();
      if (list->examples().empty()) {
        return EmptyInputError(
            "has an example_list_with_context without examples");
      }
      const std::string context = absl::StrJoin(list->context(), "");
      if (tensorflow::Example parsed; !parsed.ParseFromString(context)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "Could not parse input.example_list_with_context.context (",
            context.size(), " bytes) as a tf.Example"));
      }
      if (absl::Status s = CheckBatchBytes(list->examples(), context.size());
          !s.ok()) {
        return s;
      }
      absl::StatusOr<Tensor> batch = StringVector(list->examples_size());
      if (!batch.ok()) return batch.status();
      absl::Span<std::string> out = batch->flat<std::string>();
      for (int i = 0; i < list->examples_size(); ++i) {
        std::string& example = *list->mutable_examples(i);
        out[i].reserve(context.size() + example.size());
        out[i].append(context).append(example);
        std::string().swap(example);
      }
      return batch;
    }
    case SerializedInput::KIND_NOT_SET:
      break;
  }
  return EmptyInputError("is not set");
}

}  // namespace model_server
