#include "model_tool/benchmark_inputs.h"

#include <random>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "runtime/status_macros.h"
#include "tools/npy/npy.h"

namespace model_server {
namespace {

DataType InputDtype(const SignatureInput& input,
                    const tensorflow::TensorInfo& info) {
  return input.graph_dtype != DT_INVALID ? input.graph_dtype
                                         : BaseType(info.dtype());
}

absl::Status FillRandom(std::mt19937& rng, Tensor* t) {
  bool filled = false;
  SwitchOnDataType(t->dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* data = t->data<T>();
    if constexpr (std::is_same_v<T, bool>) {
      std::bernoulli_distribution coin;
      for (int64_t i = 0; i < t->NumElements(); ++i) data[i] = coin(rng);
      filled = true;
    } else if constexpr (std::is_floating_point_v<T> ||
                         std::is_same_v<T, Eigen::half> ||
                         std::is_same_v<T, Eigen::bfloat16>) {
      std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
      for (int64_t i = 0; i < t->NumElements(); ++i) {
        data[i] = static_cast<T>(uniform(rng));
      }
      filled = true;
    } else if constexpr (std::is_integral_v<T>) {
      std::uniform_int_distribution<int> digits(0, 9);
      for (int64_t i = 0; i < t->NumElements(); ++i) {
        data[i] = static_cast<T>(digits(rng));
      }
      filled = true;
    }
  });
  if (!filled) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot make random ", DataTypeName(t->dtype()),
                     " values: give this input as a .npy file (--inputs)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Tensor>> RandomSignatureInputs(
    const Signature& signature, int64_t batch, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Tensor> inputs;
  for (const SignatureInput& input : signature.inputs()) {
    auto info = signature.def().inputs().find(input.alias);
    if (info == signature.def().inputs().end()) {
      return absl::InternalError(
          absl::StrCat("input '", input.alias, "' has no TensorInfo"));
    }
    const tensorflow::TensorShapeProto& proto = info->second.tensor_shape();
    if (proto.unknown_rank()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input '", input.alias,
          "' has an unknown rank: give it as a .npy file (--inputs)"));
    }
    std::vector<int64_t> dims;
    for (const auto& dim : proto.dim()) {
      dims.push_back(dim.size() < 0 ? batch : dim.size());
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor tensor,
                        Tensor::Create(InputDtype(input, info->second), shape));
    if (absl::Status s = FillRandom(rng, &tensor); !s.ok()) {
      return absl::Status(
          s.code(), absl::StrCat("input '", input.alias, "': ", s.message()));
    }
    inputs.push_back(std::move(tensor));
  }
  return inputs;
}

absl::StatusOr<std::vector<Tensor>> NpyInputs(const Signature& signature,
                                              const std::string& spec) {
  std::vector<Tensor> inputs(signature.inputs().size());
  std::vector<bool> given(inputs.size(), false);
  for (absl::string_view item : absl::StrSplit(spec, ';', absl::SkipEmpty())) {
    const size_t equals = item.find('=');
    if (equals == absl::string_view::npos || equals == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--inputs \"", item, "\": expected <input_key>=<file.npy>"));
    }
    const std::string alias(item.substr(0, equals));
    const int index = signature.FindInput(alias);
    if (index < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--inputs: '", alias, "' is not an input of signature '",
                       signature.key(), "'"));
    }
    MS_ASSIGN_OR_RETURN(inputs[index],
                        ReadNpyFile(std::string(item.substr(equals + 1))));
    given[index] = true;
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!given[i]) {
      return absl::InvalidArgumentError(
          absl::StrCat("--inputs gives no file for input '",
                       signature.inputs()[i].alias, "'"));
    }
  }
  return inputs;
}

}  // namespace model_server
