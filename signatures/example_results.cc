#include "signatures/example_results.h"

#include <climits>
#include <string>

#include "absl/strings/str_cat.h"

namespace model_server {
namespace {

// " (output 'scores' of signature 'k')".
std::string Where(const ExampleSignature& signature, int output) {
  return absl::StrCat(" (output '",
                      signature.signature->outputs()[output].alias,
                      "' of signature '", signature.signature->key(), "')");
}

// Checks one classification output: rank 2 (or 1), dtype, batch size.
absl::Status CheckClassOutput(const ExampleSignature& signature, int output,
                              const Tensor& tensor, DataType dtype,
                              absl::string_view name, int64_t num_examples) {
  const std::string where = Where(signature, output);
  if (tensor.rank() != 2 && tensor.rank() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected Tensor shape: [batch_size num_classes] but got ",
                     tensor.shape().DebugString(), where));
  }
  if (tensor.dtype() != dtype) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected ", name, " Tensor of ", DataTypeEnumName(dtype),
                     ". Got: ", DataTypeEnumName(tensor.dtype()), where));
  }
  if (tensor.dim(0) != num_examples) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected ", name, " output batch size of ", num_examples,
                     ". Got: ", tensor.dim(0), where));
  }
  return absl::OkStatus();
}

int64_t NumClasses(const Tensor& tensor) {
  return tensor.rank() == 2 ? tensor.dim(1) : 1;
}

}  // namespace

absl::Status ClassificationFromOutputs(
    const ExampleSignature& signature, int64_t num_examples,
    const Tensor* classes, const Tensor* scores,
    tensorflow::serving::ClassificationResult* result) {
  if (classes != nullptr) {
    absl::Status s = CheckClassOutput(signature, signature.classes, *classes,
                                      DT_STRING, "classes", num_examples);
    if (!s.ok()) return s;
  }
  if (scores != nullptr) {
    absl::Status s = CheckClassOutput(signature, signature.scores, *scores,
                                      DT_FLOAT, "scores", num_examples);
    if (!s.ok()) return s;
  }
  int64_t num_classes = 0;
  if (classes != nullptr && scores != nullptr &&
      NumClasses(*classes) != NumClasses(*scores)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Tensors class and score should match in dim_size(1). Got ",
        NumClasses(*classes), " vs. ", NumClasses(*scores), " (signature '",
        signature.signature->key(), "': classes ",
        classes->shape().DebugString(), ", scores ",
        scores->shape().DebugString(), ")"));
  }
  if (classes != nullptr) {
    num_classes = NumClasses(*classes);
  } else if (scores != nullptr) {
    num_classes = NumClasses(*scores);
  }
  // Each Class takes at least two bytes on the wire: more than this many
  // could never be sent in one gRPC message.
  constexpr int64_t kMaxClasses = INT_MAX / 2;
  if (num_classes > 0 && num_examples > kMaxClasses / num_classes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("signature '", signature.signature->key(), "' produced ",
                     num_classes, " classes for each of ", num_examples,
                     " examples: more results than one response can carry"));
  }
  const std::string* labels =
      classes == nullptr ? nullptr : classes->data<std::string>();
  const float* values = scores == nullptr ? nullptr : scores->data<float>();
  result->mutable_classifications()->Reserve(static_cast<int>(num_examples));
  for (int64_t i = 0; i < num_examples; ++i) {
    tensorflow::serving::Classifications* row = result->add_classifications();
    row->mutable_classes()->Reserve(static_cast<int>(num_classes));
    for (int64_t c = 0; c < num_classes; ++c) {
      tensorflow::serving::Class* entry = row->add_classes();
      const int64_t at = i * num_classes + c;
      if (labels != nullptr) entry->set_label(labels[at]);
      if (values != nullptr) entry->set_score(values[at]);
    }
  }
  return absl::OkStatus();
}

absl::Status RegressionFromOutputs(
    const ExampleSignature& signature, int64_t num_examples,
    const Tensor& values, tensorflow::serving::RegressionResult* result) {
  const std::string where = Where(signature, signature.values);
  if (!(values.rank() == 1 || (values.rank() == 2 && values.dim(1) == 1))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Expected output Tensor shape to be either [batch_size] or "
        "[batch_size, 1] but got ",
        values.shape().DebugString(), where));
  }
  if (values.dim(0) != num_examples) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Input batch size did not match output batch size: ", num_examples,
        " vs. ", values.dim(0), where));
  }
  if (values.dtype() != DT_FLOAT) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected output Tensor of DT_FLOAT.  Got: ",
                     DataTypeEnumName(values.dtype()), where));
  }
  const float* data = values.data<float>();
  result->mutable_regressions()->Reserve(static_cast<int>(num_examples));
  for (int64_t i = 0; i < num_examples; ++i) {
    result->add_regressions()->set_value(data[i]);
  }
  return absl::OkStatus();
}

}  // namespace model_server
