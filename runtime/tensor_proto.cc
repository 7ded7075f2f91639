#include "runtime/tensor_proto.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/repeated_field.h"
#include "tensorflow/core/framework/tensor.pb.h"
#include "tensorflow/core/framework/tensor_shape.pb.h"

namespace model_server {
namespace {

using tensorflow::TensorProto;

// Copies `count` proto values into `out` (n elements) with TensorFlow's
// zero-fill / repeat-last rule. `convert` maps a proto value to T.
template <typename T, typename Field, typename Convert>
absl::Status FillFromField(const Field& field, int64_t count, int64_t n,
                           absl::string_view field_name, T* out,
                           Convert convert) {
  if (count > n) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TensorProto has ", count, " values in ", field_name, " but its shape",
        " holds only ", n, " elements"));
  }
  if (count == 0) {
    for (int64_t i = 0; i < n; ++i) out[i] = T();
    return absl::OkStatus();
  }
  for (int64_t i = 0; i < count; ++i) out[i] = convert(i);
  for (int64_t i = count; i < n; ++i) out[i] = out[count - 1];
  return absl::OkStatus();
}

template <typename T, typename Field>
absl::Status FillDirect(const Field& field, int64_t n,
                        absl::string_view field_name, T* out) {
  return FillFromField<T>(field, field.size(), n, field_name, out,
                          [&](int64_t i) { return static_cast<T>(field[i]); });
}

template <typename C, typename Field>
absl::Status FillComplex(const Field& field, int64_t n,
                         absl::string_view field_name, C* out) {
  if (field.size() % 2 != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        field_name, " holds an odd number of values (", field.size(),
        "); complex values come in (real, imaginary) pairs"));
  }
  return FillFromField<C>(field, field.size() / 2, n, field_name, out,
                          [&](int64_t i) {
                            return C(field[2 * i], field[2 * i + 1]);
                          });
}

template <typename T>
absl::Status FillHalf(const TensorProto& proto, int64_t n, T* out) {
  const auto& field = proto.half_val();
  return FillFromField<T>(field, field.size(), n, "half_val", out,
                          [&](int64_t i) {
                            return Eigen::numext::bit_cast<T>(
                                static_cast<uint16_t>(field[i]));
                          });
}

absl::Status FillTyped(const TensorProto& proto, Tensor* t) {
  const int64_t n = t->NumElements();
  switch (t->dtype()) {
    case DT_FLOAT:
      return FillDirect(proto.float_val(), n, "float_val", t->data<float>());
    case DT_DOUBLE:
      return FillDirect(proto.double_val(), n, "double_val",
                        t->data<double>());
    case DT_INT32:
      return FillDirect(proto.int_val(), n, "int_val", t->data<int32_t>());
    case DT_UINT8:
      return FillDirect(proto.int_val(), n, "int_val", t->data<uint8_t>());
    case DT_INT16:
      return FillDirect(proto.int_val(), n, "int_val", t->data<int16_t>());
    case DT_INT8:
      return FillDirect(proto.int_val(), n, "int_val", t->data<int8_t>());
    case DT_UINT16:
      return FillDirect(proto.int_val(), n, "int_val", t->data<uint16_t>());
    case DT_INT64:
      return FillDirect(proto.int64_val(), n, "int64_val",
                        t->data<int64_t>());
    case DT_UINT32:
      return FillDirect(proto.uint32_val(), n, "uint32_val",
                        t->data<uint32_t>());
    case DT_UINT64:
      return FillDirect(proto.uint64_val(), n, "uint64_val",
                        t->data<uint64_t>());
    case DT_BOOL:
      return FillDirect(proto.bool_val(), n, "bool_val", t->data<bool>());
    case DT_STRING:
      return FillFromField<std::string>(
          proto.string_val(), proto.string_val_size(), n, "string_val",
          t->data<std::string>(),
          [&](int64_t i) { return proto.string_val(i); });
    case DT_COMPLEX64:
      return FillComplex(proto.scomplex_val(), n, "scomplex_val",
                         t->data<std::complex<float>>());
    case DT_COMPLEX128:
      return FillComplex(proto.dcomplex_val(), n, "dcomplex_val",
                         t->data<std::complex<double>>());
    case DT_HALF:
      return FillHalf(proto, n, t->data<Eigen::half>());
    case DT_BFLOAT16:
      return FillHalf(proto, n, t->data<Eigen::bfloat16>());
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "TensorProto of type ", DataTypeEnumName(t->dtype()),
          " cannot be decoded"));
  }
}

}  // namespace

absl::StatusOr<TensorShape> ShapeFromProto(
    const tensorflow::TensorShapeProto& proto) {
  if (proto.unknown_rank()) {
    return absl::InvalidArgumentError(
        "TensorProto shape has unknown rank; a tensor needs a full shape");
  }
  std::vector<int64_t> dims;
  dims.reserve(proto.dim_size());
  for (const auto& dim : proto.dim()) dims.push_back(dim.size());
  return TensorShape::FromDims(dims);
}

absl::StatusOr<Tensor> TensorFromProto(const TensorProto& proto) {
  const int type = proto.dtype();
  if (type == DT_INVALID || !IsSupportedDataType(type) ||
      type == DT_RESOURCE || type == DT_VARIANT) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TensorProto has unsupported dtype ", DataTypeEnumName(type)));
  }
  const DataType dtype = static_cast<DataType>(type);
  absl::StatusOr<TensorShape> shape = ShapeFromProto(proto.tensor_shape());
  if (!shape.ok()) return shape.status();
  const bool from_content =
      !proto.tensor_content().empty() && IsPodDataType(dtype);
  // Checked before allocating: a few bytes of proto may declare any shape.
  int64_t expected = 0;
  if (from_content &&
      (__builtin_mul_overflow(shape->num_elements(),
                              static_cast<int64_t>(DataTypeSize(dtype)),
                              &expected) ||
       static_cast<int64_t>(proto.tensor_content().size()) != expected)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TensorProto tensor_content holds ", proto.tensor_content().size(),
        " bytes but a ", DataTypeName(dtype), " tensor of shape ",
        shape->DebugString(), " needs ", shape->num_elements(), " x ",
        DataTypeSize(dtype), " bytes"));
  }
  absl::StatusOr<Tensor> tensor = Tensor::Create(dtype, *shape);
  if (!tensor.ok()) return tensor.status();

  if (from_content) {
    if (expected > 0) {
      std::memcpy(tensor->raw_data(), proto.tensor_content().data(), expected);
    }
    return tensor;
  }
  absl::Status status = FillTyped(proto, &*tensor);
  if (!status.ok()) return status;
  return tensor;
}

namespace {

template <typename T, typename Field>
void AppendAll(const Tensor& tensor, Field* field) {
  field->Reserve(static_cast<int>(tensor.NumElements()));
  for (const T& v : tensor.flat<T>()) field->Add(v);
}

template <typename C, typename Field>
void AppendComplex(const Tensor& tensor, Field* field) {
  field->Reserve(static_cast<int>(2 * tensor.NumElements()));
  for (const C& v : tensor.flat<C>()) {
    field->Add(v.real());
    field->Add(v.imag());
  }
}

void EncodeTypedFields(const Tensor& tensor, TensorProto* proto) {
  switch (tensor.dtype()) {
    case DT_FLOAT: AppendAll<float>(tensor, proto->mutable_float_val()); break;
    case DT_DOUBLE: AppendAll<double>(tensor, proto->mutable_double_val()); break;
    case DT_INT32: AppendAll<int32_t>(tensor, proto->mutable_int_val()); break;
    case DT_UINT8: AppendAll<uint8_t>(tensor, proto->mutable_int_val()); break;
    case DT_INT16: AppendAll<int16_t>(tensor, proto->mutable_int_val()); break;
    case DT_INT8: AppendAll<int8_t>(tensor, proto->mutable_int_val()); break;
    case DT_UINT16: AppendAll<uint16_t>(tensor, proto->mutable_int_val()); break;
    case DT_INT64: AppendAll<int64_t>(tensor, proto->mutable_int64_val()); break;
    case DT_UINT32: AppendAll<uint32_t>(tensor, proto->mutable_uint32_val()); break;
    case DT_UINT64: AppendAll<uint64_t>(tensor, proto->mutable_uint64_val()); break;
    case DT_BOOL: AppendAll<bool>(tensor, proto->mutable_bool_val()); break;
    case DT_COMPLEX64:
      AppendComplex<std::complex<float>>(tensor, proto->mutable_scomplex_val());
      break;
    case DT_COMPLEX128:
      AppendComplex<std::complex<double>>(tensor, proto->mutable_dcomplex_val());
      break;
    default: break;  // string and half handled by the caller
  }
}

}  // namespace

absl::Status TensorToProto(const Tensor& tensor, TensorProto* proto,
                           TensorEncoding encoding) {
  proto->Clear();
  const DataType dtype = tensor.dtype();
  if (dtype == DT_RESOURCE || dtype == DT_VARIANT || dtype == DT_INVALID) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot encode a tensor of type ", DataTypeName(dtype),
        " into a TensorProto"));
  }
  proto->set_dtype(static_cast<tensorflow::DataType>(dtype));
  auto* shape = proto->mutable_tensor_shape();
  for (int64_t d : tensor.shape().dims()) shape->add_dim()->set_size(d);
  const int64_t n = tensor.NumElements();
  if (dtype == DT_STRING) {
    auto* field = proto->mutable_string_val();
    field->Reserve(static_cast<int>(n));
    for (const std::string& s : tensor.flat<std::string>()) {
      field->Add()->assign(s);
    }
    return absl::OkStatus();
  }
  if (dtype == DT_HALF || dtype == DT_BFLOAT16) {
    auto* field = proto->mutable_half_val();
    field->Reserve(static_cast<int>(n));
    const uint16_t* bits = static_cast<const uint16_t*>(tensor.raw_data());
    for (int64_t i = 0; i < n; ++i) field->Add(bits[i]);
    return absl::OkStatus();
  }
  if (encoding == TensorEncoding::kTypedFields) {
    EncodeTypedFields(tensor, proto);
    return absl::OkStatus();
  }
  proto->set_tensor_content(static_cast<const char*>(tensor.raw_data()),
                            tensor.TotalBytes());
  return absl::OkStatus();
}

}  // namespace model_server
