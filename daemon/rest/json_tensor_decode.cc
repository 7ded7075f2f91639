#include "daemon/rest/json_tensor_decode.h"

#include <cmath>
#include <limits>
#include <type_traits>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/rest/json_document.h"
#include "daemon/rest/json_writer.h"

namespace model_server {
namespace {

constexpr size_t kMaxJsonTextChars = 256;

template <typename V>
void AppendJsonText(const V& value, std::string* out) {
  if (out->size() > kMaxJsonTextChars) return;
  switch (value.type()) {
    case JsonType::kNull:
      out->append("null");
      return;
    case JsonType::kBool:
      out->append(value.GetBool() ? "true" : "false");
      return;
    case JsonType::kNumber:
      if (value.IsInt64()) {
        absl::StrAppend(out, value.GetInt64());
      } else if (value.IsUint64()) {
        absl::StrAppend(out, value.GetUint64());
      } else {
        out->append(FormatJsonDecimal(value.GetDouble()));
      }
      return;
    case JsonType::kString:
      absl::StrAppend(out, "\"", absl::CHexEscape(value.GetString()), "\"");
      return;
    case JsonType::kArray: {
      out->push_back('[');
      bool first = true;
      (void)value.ForEachElement([&](const V& child) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonText(child, out);
        return out->size() > kMaxJsonTextChars ? absl::CancelledError()
                                               : absl::OkStatus();
      });
      out->push_back(']');
      return;
    }
    case JsonType::kObject: {
      out->push_back('{');
      bool first = true;
      (void)value.ForEachMember([&](absl::string_view key, const V& child) {
        if (!first) out->push_back(',');
        first = false;
        absl::StrAppend(out, "\"", absl::CHexEscape(key), "\":");
        AppendJsonText(child, out);
        return out->size() > kMaxJsonTextChars ? absl::CancelledError()
                                               : absl::OkStatus();
      });
      out->push_back('}');
      return;
    }
  }
}

template <typename V>
absl::Status TypeError(const V& value, DataType dtype) {
  return absl::InvalidArgumentError(absl::StrCat(
      "JSON Value: ", JsonText(value), " Type: ", JsonTypeName(value.type()),
      " is not of expected type: ", DataTypeName(dtype)));
}

template <typename V>
absl::Status LossyError(const V& value, const char* target) {
  return absl::InvalidArgumentError(
      absl::StrCat("Cannot convert JSON value: ", JsonText(value), " to ",
                   target, " without loss of precision."));
}

// TF Serving's IsLosslessDecimal: integers up to 2^digits, other finite
// numbers within the type's range.
template <typename T, typename V>
bool IsLosslessDecimal(const V& value) {
  constexpr int64_t kMaxInt =
      (int64_t{1} << std::numeric_limits<T>::digits) - 1;
  if (value.IsUint64()) return value.GetUint64() <= uint64_t{kMaxInt};
  if (value.IsInt64()) {
    const int64_t v = value.GetInt64();
    return v <= kMaxInt && v >= -kMaxInt;
  }
  const double v = value.GetDouble();
  if (!std::isfinite(v)) return true;
  return v <= std::numeric_limits<T>::max() &&
         v >= std::numeric_limits<T>::lowest();
}

template <typename T, typename V>
absl::Status ToInteger(const V& value, DataType dtype, T* out) {
  if (value.type() != JsonType::kNumber || value.IsDouble()) {
    return TypeError(value, dtype);
  }
  if (value.IsUint64()) {
    if (!std::is_same_v<T, uint64_t>) {
      return absl::InvalidArgumentError(
          absl::StrCat("JSON Value: ", JsonText(value), " is out of range for ",
                       DataTypeName(dtype)));
    }
    *out = static_cast<T>(value.GetUint64());
    return absl::OkStatus();
  }
  const int64_t v = value.GetInt64();
  if (v < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
      (v > 0 && static_cast<uint64_t>(v) >
                    static_cast<uint64_t>(std::numeric_limits<T>::max()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("JSON Value: ", JsonText(value), " is out of range for ",
                     DataTypeName(dtype)));
  }
  *out = static_cast<T>(v);
  return absl::OkStatus();
}

// One leaf into one element of type T.
template <typename T, typename V>
absl::Status ToElement(const V& value, DataType dtype, T* out) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (value.type() == JsonType::kString) {
      *out = std::string(value.GetString());
      return absl::OkStatus();
    }
    if (value.type() != JsonType::kObject) return TypeError(value, dtype);
    if (!IsBase64Object(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("JSON Value: ", JsonText(value),
                       " not formatted correctly for base64 data"));
    }
    if (!absl::Base64Unescape(value.Find("b64")->GetString(), out)) {
      return absl::InvalidArgumentError(
          absl::StrCat("Unable to base64 decode: ", JsonText(value)));
    }
    return absl::OkStatus();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (value.type() != JsonType::kBool) return TypeError(value, dtype);
    *out = value.GetBool();
    return absl::OkStatus();
  } else if constexpr (std::is_same_v<T, double>) {
    if (value.type() != JsonType::kNumber) return TypeError(value, dtype);
    if (!IsLosslessDecimal<double>(value)) return LossyError(value, "double");
    *out = value.GetDouble();
    return absl::OkStatus();
  } else if constexpr (std::is_same_v<T, float> ||
                       std::is_same_v<T, Eigen::half> ||
                       std::is_same_v<T, Eigen::bfloat16>) {
    if (value.type() != JsonType::kNumber) return TypeError(value, dtype);
    if (!IsLosslessDecimal<float>(value)) return LossyError(value, "float");
    *out = static_cast<T>(static_cast<float>(value.GetDouble()));
    return absl::OkStatus();
  } else if constexpr (std::is_integral_v<T>) {
    return ToInteger(value, dtype, out);
  } else {
    return absl::UnimplementedError(
        absl::StrCat("Conversion of JSON Value: ", JsonText(value),
                     " to type: ", DataTypeName(dtype)));
  }
}

// TF Serving's GetDenseTensorShape: follow the first element down.
template <typename V>
void DenseDims(const V& value, std::vector<int64_t>* dims) {
  dims->clear();
  std::optional<V> current = value;
  while (current->type() == JsonType::kArray) {
    const size_t size = current->Size();
    dims->push_back(static_cast<int64_t>(size));
    if (size == 0) break;
    current = current->First();
  }
}

std::string DimsText(const std::vector<int64_t>& dims) {
  return absl::StrCat("[", absl::StrJoin(dims, ","), "]");
}

// TF Serving's FillTensorProto, writing into out[*count...].
template <typename T, typename V>
absl::Status Fill(const V& value, int level, const std::vector<int64_t>& dims,
                  DataType dtype, T* out, int64_t* count) {
  const int rank = static_cast<int>(dims.size());
  if (value.type() != JsonType::kArray) {
    if (level != rank) {
      return absl::InvalidArgumentError(absl::StrCat(
          "JSON Value: ", JsonText(value), " found at incorrect level: ",
          level + 1, " in the JSON DOM. Expected at level: ", rank));
    }
    absl::Status status = ToElement(value, dtype, &out[*count]);
    if (status.ok()) ++*count;
    return status;
  }
  if (level >= rank) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Encountered list at unexpected level: ", level, " expected < ", rank));
  }
  const size_t size = value.Size();
  if (static_cast<int64_t>(size) != dims[level]) {
    return absl::InvalidArgumentError(
        absl::StrCat("Encountered list at unexpected size: ", size,
                     " at level: ", level, " expected size: ", dims[level]));
  }
  return value.ForEachElement([&](const V& child) {
    return Fill(child, level + 1, dims, dtype, out, count);
  });
}

// Decodes `value` (of shape `dims`) into `tensor` from element `offset`.
template <typename V>
absl::Status FillTensor(const V& value, const std::vector<int64_t>& dims,
                        int64_t offset, Tensor* tensor) {
  absl::Status status;
  const bool supported = SwitchOnDataType(tensor->dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, std::shared_ptr<ResourceBase>> ||
                  std::is_same_v<T, std::shared_ptr<VariantValue>> ||
                  std::is_same_v<T, std::complex<float>> ||
                  std::is_same_v<T, std::complex<double>>) {
      status = absl::UnimplementedError(
          absl::StrCat("Conversion of JSON Value: ", JsonText(value),
                       " to type: ", DataTypeName(tensor->dtype())));
    } else {
      int64_t count = 0;
      status = Fill(value, 0, dims, tensor->dtype(), tensor->data<T>() + offset,
                    &count);
    }
  });
  if (!supported) {
    return absl::UnimplementedError(
        absl::StrCat("Conversion of JSON Value: ", JsonText(value),
                     " to type: ", DataTypeName(tensor->dtype())));
  }
  return status;
}

}  // namespace

template <typename V>
std::string JsonText(const V& value) {
  std::string text;
  AppendJsonText(value, &text);
  if (text.size() > kMaxJsonTextChars) {
    text.resize(kMaxJsonTextChars);
    text += "...";
  }
  return text;
}

template <typename V>
bool IsBase64Object(const V& value) {
  if (value.type() != JsonType::kObject || value.MemberCount() != 1) {
    return false;
  }
  std::optional<V> b64 = value.Find("b64");
  return b64.has_value() && b64->type() == JsonType::kString;
}

template <typename V>
absl::StatusOr<Tensor> DecodeJsonTensor(const V& value, DataType dtype) {
  std::vector<int64_t> dims;
  DenseDims(value, &dims);
  absl::StatusOr<TensorShape> shape = TensorShape::FromDims(dims);
  if (!shape.ok()) return shape.status();
  absl::StatusOr<Tensor> tensor = Tensor::Create(dtype, *shape);
  if (!tensor.ok()) return tensor.status();
  absl::Status status = FillTensor(value, dims, 0, &*tensor);
  if (!status.ok()) return status;
  return tensor;
}

template <typename V>
absl::Status InstanceStacker::Add(const V& value) {
  DenseDims(value, &dims_);
  if (added_ == 0) {
    instance_dims_ = dims_;
    std::vector<int64_t> all = {num_instances_};
    all.insert(all.end(), dims_.begin(), dims_.end());
    absl::StatusOr<TensorShape> shape = TensorShape::FromDims(all);
    if (!shape.ok()) return shape.status();
    absl::StatusOr<Tensor> tensor = Tensor::Create(dtype_, *shape);
    if (!tensor.ok()) return tensor.status();
    tensor_ = *std::move(tensor);
    instance_elements_ =
        num_instances_ == 0 ? 0 : tensor_.NumElements() / num_instances_;
  } else if (dims_ != instance_dims_) {
    int64_t got = 1;
    for (int64_t d : dims_) got = d > 0 && got > INT64_MAX / d ? -1 : got * d;
    if (instance_elements_ != got) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Expecting tensor size: ", instance_elements_, " but got: ", got));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("Expecting shape ", DimsText(instance_dims_),
                     " but got: ", DimsText(dims_)));
  }
  absl::Status status =
      FillTensor(value, instance_dims_, added_ * instance_elements_, &tensor_);
  if (status.ok()) ++added_;
  return status;
}

#define MODEL_SERVER_INSTANTIATE(V)                                        \
  template std::string JsonText<V>(const V&);                              \
  template bool IsBase64Object<V>(const V&);                               \
  template absl::StatusOr<Tensor> DecodeJsonTensor<V>(const V&, DataType); \
  template absl::Status InstanceStacker::Add<V>(const V&);
MODEL_SERVER_INSTANTIATE(SimdJsonValue)
MODEL_SERVER_INSTANTIATE(RapidJsonValue)
#undef MODEL_SERVER_INSTANTIATE

}  // namespace model_server
