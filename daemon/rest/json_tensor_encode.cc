#include "daemon/rest/json_tensor_encode.h"

#include <string>
#include <type_traits>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace model_server {
namespace {

template <typename T>
void WriteElement(const T& value, bool strings_as_base64, JsonWriter* writer) {
  if constexpr (std::is_same_v<T, std::string>) {
    WriteJsonBytes(value, strings_as_base64, writer);
  } else if constexpr (std::is_same_v<T, bool>) {
    writer->Bool(value);
  } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    WriteJsonDecimal(value, writer);
  } else if constexpr (std::is_same_v<T, Eigen::half> ||
                       std::is_same_v<T, Eigen::bfloat16>) {
    WriteJsonDecimal(static_cast<float>(value), writer);
  } else if constexpr (std::is_same_v<T, int64_t>) {
    writer->Int64(value);
  } else if constexpr (std::is_same_v<T, uint64_t>) {
    writer->Uint64(value);
  } else if constexpr (std::is_same_v<T, uint32_t>) {
    writer->Uint(value);
  } else {
    writer->Int(static_cast<int>(value));
  }
}

template <typename T>
void WriteValues(const T* data, const TensorShape& shape, int dim,
                 bool strings_as_base64, int64_t* offset, JsonWriter* writer) {
  if (dim >= shape.rank()) {
    WriteElement(data[(*offset)++], strings_as_base64, writer);
    return;
  }
  writer->StartArray();
  for (int64_t i = 0; i < shape.dim(dim); ++i) {
    WriteValues(data, shape, dim + 1, strings_as_base64, offset, writer);
  }
  writer->EndArray();
}

}  // namespace

bool IsBytesOutput(absl::string_view alias, DataType dtype) {
  return dtype == DT_STRING && absl::EndsWith(alias, "_bytes");
}

absl::Status WriteTensorJson(const Tensor& tensor, int first_dim,
                             bool strings_as_base64, int64_t* offset,
                             JsonWriter* writer) {
  bool written = false;
  SwitchOnDataType(tensor.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, std::shared_ptr<ResourceBase>> &&
                  !std::is_same_v<T, std::shared_ptr<VariantValue>> &&
                  !std::is_same_v<T, std::complex<float>> &&
                  !std::is_same_v<T, std::complex<double>>) {
      WriteValues(tensor.data<T>(), tensor.shape(), first_dim,
                  strings_as_base64, offset, writer);
      written = true;
    }
  });
  if (!written) {
    return absl::InvalidArgumentError(
        absl::StrCat("Failed to write JSON value for tensor type: ",
                     DataTypeName(tensor.dtype())));
  }
  return absl::OkStatus();
}

}  // namespace model_server
