// Fingerprint: data (rank >= 1, any numeric or bool dtype, or string),
// method (scalar string, must be "farmhash64") -> uint8 "fingerprint" of
// shape [data.dim(0), 8]: one little-endian Fingerprint64 per row of `data`.
// A numeric row is fingerprinted as its raw little-endian bytes. A string
// row of one string is that string's fingerprint; of several, the
// fingerprint of their fingerprints' bytes concatenated (TensorFlow's
// scheme). A row with no elements is the fingerprint of no bytes (where
// TensorFlow leaves string rows unset). Errors use TensorFlow's texts.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>

#include "absl/strings/string_view.h"
#include "runtime/kernels/strings/fingerprint64.h"
#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

void StoreLittleEndian(uint64_t v, uint8_t* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}

bool IsFixedSize(DataType dtype) {
  return dtype != DT_STRING && dtype != DT_RESOURCE && dtype != DT_VARIANT &&
         DataTypeSize(dtype) > 0;
}

class FingerprintKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    if (dtype != DT_STRING && !IsFixedSize(dtype)) {
      return c.attrs.Error(
          absl::StrCat("Data type not supported: ", DataTypeName(dtype)));
    }
    return std::unique_ptr<OpKernel>(new FingerprintKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& method = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckStringTensor(method, "method"));
    if (method.rank() != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("`method` should be a scalar string: ",
                       method.shape().DebugString()));
    }
    if (method.scalar<std::string>() != "farmhash64") {
      return ctx.InvalidArgument(absl::StrCat(
          "Unsupported fingerprint method: ", method.scalar<std::string>()));
    }
    const Tensor& data = ctx.input(0);
    if (data.rank() < 1) {
      return ctx.InvalidArgument(
          absl::StrCat("`data` should have at least one dimension: ",
                       data.shape().DebugString()));
    }
    const int64_t rows = data.dim(0);
    const int64_t per_row = rows == 0 ? 0 : data.NumElements() / rows;
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_UINT8, TensorShape{rows, 8}));
    uint8_t* dst = out->data<uint8_t>();
    if (data.dtype() == DT_STRING) {
      const std::string* in = data.data<std::string>();
      std::string fingerprints(per_row * 8, '\0');
      for (int64_t r = 0; r < rows; ++r) {
        if (per_row == 1) {
          StoreLittleEndian(Fingerprint64(in[r]), dst + 8 * r);
          continue;
        }
        for (int64_t j = 0; j < per_row; ++j) {
          StoreLittleEndian(Fingerprint64(in[r * per_row + j]),
                            reinterpret_cast<uint8_t*>(&fingerprints[8 * j]));
        }
        StoreLittleEndian(Fingerprint64(fingerprints), dst + 8 * r);
      }
      return absl::OkStatus();
    }
    if (!IsFixedSize(data.dtype())) {
      return ctx.InvalidArgument(absl::StrCat("Data type not supported: ",
                                              DataTypeName(data.dtype())));
    }
    // The host is little-endian (x86-64, aarch64), as TensorFlow's byte
    // order requires.
    const int64_t row_bytes = per_row * DataTypeSize(data.dtype());
    const char* bytes = static_cast<const char*>(data.raw_data());
    for (int64_t r = 0; r < rows; ++r) {
      StoreLittleEndian(
          Fingerprint64(absl::string_view(bytes + r * row_bytes, row_bytes)),
          dst + 8 * r);
    }
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("Fingerprint").Output("fingerprint"),
                FingerprintKernel::Create);

}  // namespace model_server
