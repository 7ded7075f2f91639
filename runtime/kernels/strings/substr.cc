// Substr: input (string), pos and len (int32 or int64, the same shape as
// each other) -> "output". pos/len are a scalar, the input's shape, or
// broadcast against it (TensorFlow broadcasts up to rank 2; any rank here).
// Attr unit: "BYTE" (default) or "UTF8_CHAR".
//
// BYTE: a negative pos counts from the end; pos must then lie in
//   [0, size] ("pos P out of range for string b'S' at index I"); a negative
//   len takes the rest of the string.
// UTF8_CHAR: pos counts characters (from the end if negative); it must lie
//   within the string ("pos P out of range for string at index I"); a
//   negative len with pos >= 0 gives "", as in TensorFlow.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/kernels/strings/utf8.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

// Moves *pos forward over up to n characters; true if all n were there.
bool ForwardChars(absl::string_view s, int64_t n, int64_t* pos) {
  int64_t counted = 0;
  const int64_t size = static_cast<int64_t>(s.size());
  while (counted < n && *pos < size) {
    do {
      ++*pos;
    } while (*pos < size && IsUtf8TrailByte(s[*pos]));
    ++counted;
  }
  return counted == n;
}

// Moves *pos backward over up to n characters; true if all n were there.
bool BackChars(absl::string_view s, int64_t n, int64_t* pos) {
  int64_t counted = 0;
  while (counted<n&& * pos> 0) {
    do {
      --*pos;
    } while (*pos > 0 && IsUtf8TrailByte(s[*pos]));
    ++counted;
  }
  return counted == n;
}

// The byte range of the substring, or false if pos is out of range.
bool Utf8Range(absl::string_view s, int64_t pos, int64_t len, int64_t* start,
               int64_t* length) {
  if (pos >= 0) {
    *start = 0;
    if (!ForwardChars(s, pos, start)) return false;
    int64_t end = *start;
    ForwardChars(s, len, &end);
    *length = end - *start;
    return true;
  }
  int64_t end = static_cast<int64_t>(s.size());
  // TensorFlow fails these too; checking first avoids overflow in -pos.
  if (pos < -end || len < 0) return false;
  const int64_t skip = std::max<int64_t>(0, -pos - len);
  if (!BackChars(s, skip, &end)) return false;
  *start = end;
  if (!BackChars(s, -pos - skip, start)) return false;
  *length = end - *start;
  return true;
}

class SubstrKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "T"));
    std::string unit;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("unit", std::string("BYTE"), &unit));
    if (unit != "BYTE" && unit != "UTF8_CHAR") {
      return c.attrs.Error(
          absl::StrCat("unit must be one of BYTE, UTF8_CHAR, got ", unit));
    }
    return std::unique_ptr<OpKernel>(new SubstrKernel(unit == "UTF8_CHAR"));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& pos = ctx.input(1);
    const Tensor& len = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckStringTensor(input, "input"));
    MS_RETURN_IF_ERROR(CheckIntTensor(pos, "pos"));
    MS_RETURN_IF_ERROR(CheckIntTensor(len, "len"));
    if (pos.shape() != len.shape()) {
      return ctx.InvalidArgument(absl::StrCat(
          "pos and len should have the same shape, got: ",
          pos.shape().DebugString(), " vs. ", len.shape().DebugString()));
    }
    const TensorShape* shapes[] = {&input.shape(), &pos.shape()};
    MS_ASSIGN_OR_RETURN(Broadcast bcast, Broadcast::Make(shapes));
    MS_ASSIGN_OR_RETURN(
        Tensor * out, ctx.allocate_output(0, DT_STRING, bcast.output_shape()));
    const std::string* in = input.data<std::string>();
    std::string* dst = out->data<std::string>();
    absl::Status status;
    bcast.ForEachSegment(
        0, bcast.num_elements(),
        [&](int64_t out_offset, const auto& offsets, int64_t length) {
          for (int64_t k = 0; k < length && status.ok(); ++k) {
            status = SubstrOne(in[offsets[0] + k * bcast.inner_stride(0)], pos,
                               len, offsets[1] + k * bcast.inner_stride(1),
                               out_offset + k, &dst[out_offset + k]);
          }
        });
    return status;
  }

 private:
  explicit SubstrKernel(bool utf8) : utf8_(utf8) {}

  // dst = the substring of s at pos[j], len[j]; `i` is the output index
  // for the error message.
  absl::Status SubstrOne(absl::string_view s, const Tensor& pos,
                         const Tensor& len, int64_t j, int64_t i,
                         std::string* dst) const {
    const int64_t p = IntAt(pos, j);
    const int64_t l = IntAt(len, j);
    int64_t start, length;
    if (utf8_) {
      if (!Utf8Range(s, p, l, &start, &length)) {
        return absl::InvalidArgumentError(
            absl::StrCat("pos ", p, " out of range for string at index ", i));
      }
    } else {
      start = p < 0 ? static_cast<int64_t>(s.size()) + p : p;
      if (start < 0 || start > static_cast<int64_t>(s.size())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "pos ", p, " out of range for string b'", s, "' at index ", i));
      }
      length = l < 0 ? static_cast<int64_t>(s.size()) : l;
    }
    *dst = std::string(s.substr(start, length));
    return absl::OkStatus();
  }

  const bool utf8_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("Substr").Output("output"), SubstrKernel::Create);

}  // namespace model_server
