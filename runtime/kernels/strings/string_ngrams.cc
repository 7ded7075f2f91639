// StringNGrams: the n-grams of each row of a ragged string tensor
// (tf.strings.ngrams, Keras TextVectorization with ngrams).
//
// Inputs: data (string vector), data_splits (Tsplits int32/int64, row
// splits over data). Attrs: separator, ngram_widths (list of int >= 1),
// left_pad, right_pad, pad_width (< 0: width - 1 per n-gram width; never
// more than width - 1), preserve_short_sequences. Outputs "ngrams" (string)
// and "ngrams_splits" (Tsplits, one row per input row).
//
// Per row of length L and width w with padding p, there are
// max(0, L + 2p - w + 1) n-grams, each joining w items of the padded row
// with the separator; a row's n-grams come width by width, in attr order.
// With preserve_short_sequences, a non-empty row that yields none gets one
// n-gram of the whole (padded) row.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

struct NgramOptions {
  std::string separator, left_pad, right_pad;
  std::vector<int64_t> widths;
  int64_t pad_width = -1;
  bool preserve_short = false;
};

class StringNGramsKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    NgramOptions o;
    MS_RETURN_IF_ERROR(c.attrs.Get("separator", &o.separator));
    MS_RETURN_IF_ERROR(c.attrs.Get("ngram_widths", &o.widths));
    MS_RETURN_IF_ERROR(c.attrs.Get("left_pad", &o.left_pad));
    MS_RETURN_IF_ERROR(c.attrs.Get("right_pad", &o.right_pad));
    MS_RETURN_IF_ERROR(c.attrs.Get("pad_width", &o.pad_width));
    MS_RETURN_IF_ERROR(
        c.attrs.Get("preserve_short_sequences", &o.preserve_short));
    for (int64_t w : o.widths) {
      if (w < 1 || w > (int64_t{1} << 20)) {
        return c.attrs.Error(
            absl::StrCat("ngram_widths must be in [1, 2^20], got ", w));
      }
    }
    if (o.pad_width > (int64_t{1} << 20)) {
      return c.attrs.Error(
          absl::StrCat("pad_width is too large: ", o.pad_width));
    }
    MS_ASSIGN_OR_RETURN(DataType splits, IndexTypeAttr(c, "Tsplits", DT_INT64));
    return std::unique_ptr<OpKernel>(
        new StringNGramsKernel(std::move(o), splits));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& data = ctx.input(0);
    const Tensor& splits = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckStringTensor(data, "data"));
    MS_RETURN_IF_ERROR(CheckIntTensor(splits, "data_splits"));
    if (data.rank() != 1 || splits.rank() != 1 || splits.NumElements() < 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "data must be a vector and data_splits a non-empty vector, got ",
          data.shape().DebugString(), " and ", splits.shape().DebugString()));
    }
    const int64_t rows = splits.NumElements() - 1;
    const int64_t n = data.NumElements();
    if (IntAt(splits, 0) != 0 || IntAt(splits, rows) != n) {
      return ctx.InvalidArgument(absl::StrCat(
          "Invalid split value: data_splits must start with 0 and end with "
          "the number of data elements (",
          n, ")"));
    }
    const std::string* items = data.data<std::string>();
    std::vector<std::string> ngrams;
    std::vector<int64_t> row_starts = {0};
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t begin = IntAt(splits, r), end = IntAt(splits, r + 1);
      if (end < begin) {
        return ctx.InvalidArgument(absl::StrCat(
            "Invalid split value: data_splits must be non-decreasing, got ",
            begin, " before ", end));
      }
      const int64_t length = end - begin;
      const size_t before = ngrams.size();
      for (int64_t w : o_.widths) {
        const int64_t pad = PadWidth(w);
        const int64_t count = std::max<int64_t>(0, length + 2 * pad - w + 1);
        MS_RETURN_IF_ERROR(Emit(items + begin, count, w, &ngrams));
      }
      if (o_.preserve_short && ngrams.size() == before && length > 0) {
        MS_RETURN_IF_ERROR(Emit(items + begin, 1,
                                length + 2 * std::max<int64_t>(o_.pad_width, 0),
                                &ngrams));
      }
      row_starts.push_back(static_cast<int64_t>(ngrams.size()));
    }
    const int64_t total = static_cast<int64_t>(ngrams.size());
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_STRING, TensorShape{total}));
    for (int64_t i = 0; i < total; ++i) {
      out->data<std::string>()[i] = std::move(ngrams[i]);
    }
    MS_ASSIGN_OR_RETURN(
        Tensor * out_splits,
        ctx.allocate_output(1, splits_dtype_, TensorShape{rows + 1}));
    for (int64_t r = 0; r <= rows; ++r) {
      if (splits_dtype_ == DT_INT32) {
        out_splits->data<int32_t>()[r] = static_cast<int32_t>(row_starts[r]);
      } else {
        out_splits->data<int64_t>()[r] = row_starts[r];
      }
    }
    return absl::OkStatus();
  }

 private:
  StringNGramsKernel(NgramOptions o, DataType splits_dtype)
      : o_(std::move(o)), splits_dtype_(splits_dtype) {}

  int64_t PadWidth(int64_t width) const {
    return std::min(o_.pad_width < 0 ? width - 1 : o_.pad_width, width - 1);
  }

  // Appends `count` n-grams of `width` over row `data` (padded by
  // PadWidth(width) on each side).
  absl::Status Emit(const std::string* data, int64_t count, int64_t width,
                    std::vector<std::string>* out) const {
    if (count > (int64_t{1} << 28)) {
      return absl::ResourceExhaustedError(
          absl::StrCat("StringNGrams would make ", count, " n-grams"));
    }
    const int64_t pad = PadWidth(width);
    for (int64_t k = 0; k < count; ++k) {
      const int64_t left = std::max<int64_t>(0, pad - k);
      const int64_t right = std::max<int64_t>(0, pad - (count - (k + 1)));
      const int64_t tokens = width - (left + right);
      const int64_t start = left > 0 ? 0 : k - pad;
      std::string ngram;
      for (int64_t i = 0; i < left; ++i)
        absl::StrAppend(&ngram, o_.left_pad, o_.separator);
      for (int64_t i = 0; i + 1 < tokens; ++i) {
        absl::StrAppend(&ngram, data[start + i], o_.separator);
      }
      if (tokens > 0) {
        ngram += data[start + tokens - 1];
        for (int64_t i = 0; i < right; ++i) {
          absl::StrAppend(&ngram, o_.separator, o_.right_pad);
        }
      } else {
        for (int64_t i = 0; i + 1 < right; ++i) {
          absl::StrAppend(&ngram, o_.right_pad, o_.separator);
        }
        ngram += o_.right_pad;
      }
      out->push_back(std::move(ngram));
    }
    return absl::OkStatus();
  }

  const NgramOptions o_;
  const DataType splits_dtype_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("StringNGrams").Output("ngrams").Output("ngrams_splits"),
                StringNGramsKernel::Create);

}  // namespace model_server
