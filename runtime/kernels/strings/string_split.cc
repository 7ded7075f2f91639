// StringSplit and StringSplitV2: split a vector of strings into a sparse
// matrix of tokens. Outputs "indices" (int64 [n, 2]: row, position),
// "values" (string [n]) and "shape" (int64 [2]: rows, most tokens in a row).
//
// StringSplit: input (vector), delimiter (scalar); attr skip_empty (default
//   true). Every byte of `delimiter` is a delimiter; an empty delimiter
//   splits into single bytes; an empty input string has no tokens. With
//   skip_empty, empty tokens are dropped.
// StringSplitV2: input (vector), sep (scalar); attr maxsplit (default -1).
//   Python's str.split: a non-empty sep is matched as a whole string and
//   consecutive separators delimit empty tokens ("" gives [""]); an empty
//   sep splits at runs of ASCII whitespace and drops leading and trailing
//   whitespace ("" gives []). With maxsplit > 0, at most maxsplit splits are
//   made and the rest of the string is the last token; maxsplit 0 keeps the
//   string whole.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

std::vector<absl::string_view> SplitOnAnyByte(absl::string_view text,
                                              absl::string_view delimiters,
                                              bool skip_empty) {
  std::vector<absl::string_view> tokens;
  if (text.empty()) return tokens;
  if (delimiters.empty()) {
    for (size_t i = 0; i < text.size(); ++i)
      tokens.push_back(text.substr(i, 1));
    return tokens;
  }
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() ||
        delimiters.find(text[i]) != absl::string_view::npos) {
      absl::string_view token = text.substr(start, i - start);
      if (!skip_empty || !token.empty()) tokens.push_back(token);
      start = i + 1;
    }
  }
  return tokens;
}

bool IsSpace(char c) {
  return absl::ascii_isspace(static_cast<unsigned char>(c));
}

std::vector<absl::string_view> SplitLikePython(absl::string_view text,
                                               absl::string_view sep,
                                               int64_t maxsplit) {
  std::vector<absl::string_view> tokens;
  if (maxsplit == 0) {
    tokens.push_back(text);
    return tokens;
  }
  int64_t splits = 0;
  if (sep.empty()) {
    size_t i = 0;
    while (true) {
      while (i < text.size() && IsSpace(text[i])) ++i;
      if (i == text.size()) return tokens;
      if (maxsplit > 0 && splits == maxsplit) {
        tokens.push_back(text.substr(i));
        return tokens;
      }
      const size_t start = i;
      while (i < text.size() && !IsSpace(text[i])) ++i;
      tokens.push_back(text.substr(start, i - start));
      ++splits;
    }
  }
  size_t start = 0;
  while (maxsplit < 0 || splits < maxsplit) {
    const size_t found = text.find(sep, start);
    if (found == absl::string_view::npos) break;
    tokens.push_back(text.substr(start, found - start));
    start = found + sep.size();
    ++splits;
  }
  tokens.push_back(text.substr(start));
  return tokens;
}

// Writes the three sparse outputs for the tokens of each row.
absl::Status WriteSparse(
    OpKernelContext& ctx,
    const std::vector<std::vector<absl::string_view>>& rows) {
  int64_t total = 0, widest = 0;
  for (const auto& row : rows) {
    total += static_cast<int64_t>(row.size());
    widest = std::max<int64_t>(widest, static_cast<int64_t>(row.size()));
  }
  MS_ASSIGN_OR_RETURN(Tensor * indices,
                      ctx.allocate_output(0, DT_INT64, TensorShape{total, 2}));
  MS_ASSIGN_OR_RETURN(Tensor * values,
                      ctx.allocate_output(1, DT_STRING, TensorShape{total}));
  MS_ASSIGN_OR_RETURN(Tensor * shape,
                      ctx.allocate_output(2, DT_INT64, TensorShape{2}));
  int64_t* index = indices->data<int64_t>();
  std::string* value = values->data<std::string>();
  int64_t k = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t j = 0; j < rows[r].size(); ++j, ++k) {
      index[2 * k] = static_cast<int64_t>(r);
      index[2 * k + 1] = static_cast<int64_t>(j);
      value[k] = std::string(rows[r][j]);
    }
  }
  shape->data<int64_t>()[0] = static_cast<int64_t>(rows.size());
  shape->data<int64_t>()[1] = widest;
  return absl::OkStatus();
}

absl::Status CheckVectorInput(const Tensor& input) {
  MS_RETURN_IF_ERROR(CheckStringTensor(input, "input"));
  if (input.rank() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input must be a vector, got shape: ", input.shape().DebugString()));
  }
  return absl::OkStatus();
}

class StringSplitKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    bool skip_empty;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("skip_empty", true, &skip_empty));
    return std::unique_ptr<OpKernel>(new StringSplitKernel(skip_empty));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckVectorInput(input));
    MS_ASSIGN_OR_RETURN(std::string delimiter,
                        ScalarString(ctx.input(1), "delimiter"));
    std::vector<std::vector<absl::string_view>> rows(input.NumElements());
    for (int64_t i = 0; i < input.NumElements(); ++i) {
      rows[i] =
          SplitOnAnyByte(input.data<std::string>()[i], delimiter, skip_empty_);
    }
    return WriteSparse(ctx, rows);
  }

 private:
  explicit StringSplitKernel(bool skip_empty) : skip_empty_(skip_empty) {}
  const bool skip_empty_;
};

class StringSplitV2Kernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    int64_t maxsplit;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("maxsplit", int64_t{-1}, &maxsplit));
    return std::unique_ptr<OpKernel>(new StringSplitV2Kernel(maxsplit));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckVectorInput(input));
    MS_ASSIGN_OR_RETURN(std::string sep, ScalarString(ctx.input(1), "sep"));
    std::vector<std::vector<absl::string_view>> rows(input.NumElements());
    for (int64_t i = 0; i < input.NumElements(); ++i) {
      rows[i] = SplitLikePython(input.data<std::string>()[i], sep, maxsplit_);
    }
    return WriteSparse(ctx, rows);
  }

 private:
  explicit StringSplitV2Kernel(int64_t maxsplit) : maxsplit_(maxsplit) {}
  const int64_t maxsplit_;
};

}  // namespace

REGISTER_KERNEL(
    OpSpec("StringSplit").Output("indices").Output("values").Output("shape"),
    StringSplitKernel::Create);
REGISTER_KERNEL(
    OpSpec("StringSplitV2").Output("indices").Output("values").Output("shape"),
    StringSplitV2Kernel::Create);

}  // namespace model_server
