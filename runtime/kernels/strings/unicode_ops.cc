// The Unicode ops (tf.strings.unicode_decode / encode / transcode), with
// TensorFlow's error policy (unicode_util.h): "replace" emits
// replacement_char for each malformed sequence ICU reports, "ignore" drops
// it, "strict" fails with INVALID_ARGUMENT "Invalid formatting on input
// string". input_encoding is any encoding ICU knows (checked at load);
// output_encoding is UTF-8, UTF-16-BE or UTF-32-BE.
//
// UnicodeDecode: input (string, any shape, read flat) -> "row_splits"
//   (Tsplits int32/int64, [n + 1]) and "char_values" (int32 code points).
// UnicodeDecodeWithOffsets: also "char_to_byte_starts" (Tsplits, the byte
//   offset where each character starts).
// UnicodeTranscode: input -> "output", same shape, re-encoded.
// UnicodeEncode: input_values (int32 code points), input_splits (Tsplits,
//   row_splits over the values) -> "output" (string [rows]). Code points
//   outside Unicode, surrogates and noncharacters are errors ("Code point is
//   out of range for Unicode, or a noncharacter.").
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/kernels/strings/unicode_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "unicode/utf.h"

namespace model_server {
namespace {

absl::Status FormatError() {
  return absl::InvalidArgumentError("Invalid formatting on input string");
}

void StoreIndex(Tensor* t, int64_t i, int64_t v) {
  if (t->dtype() == DT_INT32) {
    t->data<int32_t>()[i] = static_cast<int32_t>(v);
  } else {
    t->data<int64_t>()[i] = v;
  }
}

class UnicodeDecodeKernel final : public OpKernel {
 public:
  template <bool kOffsets>
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    MS_ASSIGN_OR_RETURN(UnicodeErrorPolicy policy, ReadUnicodeErrorPolicy(c));
    std::string encoding;
    MS_RETURN_IF_ERROR(c.attrs.Get("input_encoding", &encoding));
    absl::StatusOr<std::unique_ptr<UnicodeDecoder>> check =
        UnicodeDecoder::Open(encoding);
    if (!check.ok()) return c.attrs.Error(check.status().message());
    MS_ASSIGN_OR_RETURN(DataType splits, IndexTypeAttr(c, "Tsplits", DT_INT64));
    return std::unique_ptr<OpKernel>(
        new UnicodeDecodeKernel(policy, encoding, splits, kOffsets));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckStringTensor(input, "input"));
    MS_ASSIGN_OR_RETURN(std::unique_ptr<UnicodeDecoder> decoder,
                        UnicodeDecoder::Open(encoding_));
    const int64_t n = input.NumElements();
    MS_ASSIGN_OR_RETURN(
        Tensor * splits,
        ctx.allocate_output(0, splits_dtype_, TensorShape{n + 1}));
    std::vector<int32_t> chars;
    std::vector<int64_t> starts;
    bool any_error = false;
    StoreIndex(splits, 0, 0);
    for (int64_t i = 0; i < n; ++i) {
      int64_t offset = 0;
      decoder->Decode(input.data<std::string>()[i], [&](int32_t c, int length,
                                                        bool format_error) {
        const int32_t out = policy_.Apply(c, format_error, &any_error);
        if (out >= 0) {
          chars.push_back(out);
          starts.push_back(offset);
        }
        offset += length;
      });
      StoreIndex(splits, i + 1, static_cast<int64_t>(chars.size()));
    }
    if (policy_.strict && any_error) return FormatError();
    const int64_t m = static_cast<int64_t>(chars.size());
    MS_ASSIGN_OR_RETURN(Tensor * values,
                        ctx.allocate_output(1, DT_INT32, TensorShape{m}));
    std::copy(chars.begin(), chars.end(), values->data<int32_t>());
    if (offsets_) {
      MS_ASSIGN_OR_RETURN(
          Tensor * out_starts,
          ctx.allocate_output(2, splits_dtype_, TensorShape{m}));
      for (int64_t j = 0; j < m; ++j) StoreIndex(out_starts, j, starts[j]);
    }
    return absl::OkStatus();
  }

 private:
  UnicodeDecodeKernel(UnicodeErrorPolicy policy, std::string encoding,
                      DataType splits_dtype, bool offsets)
      : policy_(policy),
        encoding_(std::move(encoding)),
        splits_dtype_(splits_dtype),
        offsets_(offsets) {}
  const UnicodeErrorPolicy policy_;
  const std::string encoding_;
  const DataType splits_dtype_;
  const bool offsets_;
};

class UnicodeTranscodeKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    MS_ASSIGN_OR_RETURN(UnicodeErrorPolicy policy, ReadUnicodeErrorPolicy(c));
    std::string input_encoding, output_encoding;
    MS_RETURN_IF_ERROR(c.attrs.Get("input_encoding", &input_encoding));
    MS_RETURN_IF_ERROR(c.attrs.Get("output_encoding", &output_encoding));
    absl::StatusOr<UnicodeEncoding> encoding =
        ParseUnicodeEncoding(output_encoding);
    if (!encoding.ok()) return c.attrs.Error(encoding.status().message());
    absl::StatusOr<std::unique_ptr<UnicodeDecoder>> check =
        UnicodeDecoder::Open(input_encoding);
    if (!check.ok()) return c.attrs.Error(check.status().message());
    return std::unique_ptr<OpKernel>(
        new UnicodeTranscodeKernel(policy, input_encoding, *encoding));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::unique_ptr<UnicodeDecoder> decoder,
                        UnicodeDecoder::Open(input_encoding_));
    bool any_error = false;
    std::vector<int32_t> chars;
    MS_RETURN_IF_ERROR(MapStrings<std::string>(
        ctx, [&](const std::string& in, std::string* out) {
          chars.clear();
          decoder->Decode(in, [&](int32_t c, int, bool format_error) {
            const int32_t emitted = policy_.Apply(c, format_error, &any_error);
            if (emitted >= 0) chars.push_back(emitted);
          });
          out->clear();
          EncodeCodePoints(chars, output_encoding_, out);
          return absl::OkStatus();
        }));
    if (policy_.strict && any_error) return FormatError();
    return absl::OkStatus();
  }

 private:
  UnicodeTranscodeKernel(UnicodeErrorPolicy policy, std::string input_encoding,
                         UnicodeEncoding output_encoding)
      : policy_(policy),
        input_encoding_(std::move(input_encoding)),
        output_encoding_(output_encoding) {}
  const UnicodeErrorPolicy policy_;
  const std::string input_encoding_;
  const UnicodeEncoding output_encoding_;
};

class UnicodeEncodeKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_ASSIGN_OR_RETURN(UnicodeErrorPolicy policy, ReadUnicodeErrorPolicy(c));
    std::string output_encoding;
    MS_RETURN_IF_ERROR(c.attrs.Get("output_encoding", &output_encoding));
    absl::StatusOr<UnicodeEncoding> encoding =
        ParseUnicodeEncoding(output_encoding);
    if (!encoding.ok()) return c.attrs.Error(encoding.status().message());
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tsplits"));
    return std::unique_ptr<OpKernel>(
        new UnicodeEncodeKernel(policy, *encoding));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& values = ctx.input(0);
    const Tensor& splits = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(values, DT_INT32));
    MS_RETURN_IF_ERROR(CheckIntTensor(splits, "input_splits"));
    if (values.rank() != 1 || splits.rank() != 1 || splits.NumElements() < 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "input_values must be a vector and input_splits a non-empty vector, "
          "got ",
          values.shape().DebugString(), " and ", splits.shape().DebugString()));
    }
    const int64_t rows = splits.NumElements() - 1;
    if (IntAt(splits, 0) != 0 || IntAt(splits, rows) != values.NumElements()) {
      return ctx.InvalidArgument(absl::StrCat(
          "input_splits must start with 0 and end with the number of values (",
          values.NumElements(), ")"));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_STRING, TensorShape{rows}));
    std::vector<int32_t> chars;
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t begin = IntAt(splits, r), end = IntAt(splits, r + 1);
      if (end < begin) {
        return ctx.InvalidArgument("input_splits must be non-decreasing");
      }
      chars.clear();
      for (int64_t j = begin; j < end; ++j) {
        int32_t c = values.data<int32_t>()[j];
        if (!U_IS_UNICODE_CHAR(c)) {
          if (policy_.strict) {
            return ctx.InvalidArgument(
                "Code point is out of range for Unicode, or a noncharacter.");
          }
          if (policy_.ignore) continue;
          c = policy_.replacement;
        }
        chars.push_back(c);
      }
      EncodeCodePoints(chars, encoding_, &out->data<std::string>()[r]);
    }
    return absl::OkStatus();
  }

 private:
  UnicodeEncodeKernel(UnicodeErrorPolicy policy, UnicodeEncoding encoding)
      : policy_(policy), encoding_(encoding) {}
  const UnicodeErrorPolicy policy_;
  const UnicodeEncoding encoding_;
};

}  // namespace

REGISTER_KERNEL(
    OpSpec("UnicodeDecode").Output("row_splits").Output("char_values"),
    UnicodeDecodeKernel::Create<false>);
REGISTER_KERNEL(OpSpec("UnicodeDecodeWithOffsets")
                    .Output("row_splits")
                    .Output("char_values")
                    .Output("char_to_byte_starts"),
                UnicodeDecodeKernel::Create<true>);
REGISTER_KERNEL(OpSpec("UnicodeTranscode").Output("output"),
                UnicodeTranscodeKernel::Create);
REGISTER_KERNEL(OpSpec("UnicodeEncode").Output("output"),
                UnicodeEncodeKernel::Create);

}  // namespace model_server
