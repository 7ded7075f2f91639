// EncodeBase64 / DecodeBase64 with the web-safe alphabet TensorFlow uses
// ('-' and '_' for 62 and 63). "output" has the input's shape.
//
// EncodeBase64: attr pad (default false) appends '=' to a multiple of 4.
// DecodeBase64: padding is optional; '=' may only end the string (at most
//   two); a length of 1 mod 4 (after padding is dropped) or a character
//   outside the alphabet is INVALID_ARGUMENT.
#include <cstdint>
#include <memory>
#include <string>

#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Encode(const std::string& in, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) |
                       (static_cast<uint8_t>(in[i + 1]) << 8) |
                       static_cast<uint8_t>(in[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (rest == 2) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    if (rest == 2) out += kAlphabet[(v >> 6) & 63];
    if (pad) out.append(3 - rest, '=');
  }
  return out;
}

int DecodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

absl::Status Decode(const std::string& in, std::string* out) {
  size_t size = in.size();
  if (size % 4 == 0) {
    for (int k = 0; k < 2 && size > 0 && in[size - 1] == '='; ++k) --size;
  }
  if (size % 4 == 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Invalid base64 string of ", in.size(), " characters: ", size,
        " of them before padding is 1 more than a multiple of 4"));
  }
  out->clear();
  out->reserve(size / 4 * 3 + 2);
  uint32_t bits = 0;
  int have = 0;
  for (size_t i = 0; i < size; ++i) {
    const int v = DecodeChar(in[i]);
    if (v < 0) {
      return absl::InvalidArgumentError("Invalid character found in base64.");
    }
    bits = (bits << 6) | static_cast<uint32_t>(v);
    have += 6;
    if (have >= 8) {
      have -= 8;
      out->push_back(static_cast<char>((bits >> have) & 0xFF));
    }
  }
  return absl::OkStatus();
}

class EncodeBase64Kernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    bool pad;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("pad", false, &pad));
    return std::unique_ptr<OpKernel>(new EncodeBase64Kernel(pad));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    return MapStrings<std::string>(
        ctx, [this](const std::string& in, std::string* out) {
          *out = Encode(in, pad_);
          return absl::OkStatus();
        });
  }

 private:
  explicit EncodeBase64Kernel(bool pad) : pad_(pad) {}
  const bool pad_;
};

class DecodeBase64Kernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new DecodeBase64Kernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    return MapStrings<std::string>(ctx, Decode);
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("EncodeBase64").Output("output"),
                EncodeBase64Kernel::Create);
REGISTER_KERNEL(OpSpec("DecodeBase64").Output("output"),
                DecodeBase64Kernel::Create);

}  // namespace model_server
