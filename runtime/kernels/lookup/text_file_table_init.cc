// InitializeTableFromTextFileV2 (and its TF1 form InitializeTableFromTextFile):
// fills a static lookup table from a text file, one entry per line
// (typically a vocabulary asset fed by the loader).
//
// Inputs: table_handle, filename (string scalar). Attrs: key_index and
// value_index (>= 0: that column of the line split at `delimiter`; -1: the
// line number plus `offset`, int64 only; -2: the whole line), vocab_size
// (-1 = every line; otherwise exactly that many lines are read and a shorter
// file is an error), delimiter (one character, default tab), offset.
// Integer and float fields are parsed as the table's dtypes; int32 fields
// also get `offset` added, as in TensorFlow. Lines end at "\n" and '\r' is
// dropped; an empty line is an error. If the table is already initialized
// it is left as it is (TensorFlow ignores a second initialization from a
// file), but the file is still read and checked.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "runtime/kernels/lookup/lookup_table.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

constexpr int64_t kLineNumber = -1;
constexpr int64_t kWholeLine = -2;

struct TextFileFormat {
  int64_t key_index;
  int64_t value_index;
  int64_t vocab_size;
  char delimiter;
  int64_t offset;
};

bool IsInteger(DataType dtype) {
  return dtype == DT_INT32 || dtype == DT_INT64;
}

// TensorFlow's checks of the column choice against the table's dtypes.
absl::Status CheckColumns(const TextFileFormat& format, DataType key_dtype,
                          DataType value_dtype) {
  if (format.key_index == kLineNumber && key_dtype != DT_INT64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Key index for line number requires table key dtype of int64, got ",
        DataTypeName(key_dtype)));
  }
  if (format.key_index == kWholeLine && !IsInteger(key_dtype) &&
      key_dtype != DT_STRING) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Key index for whole line requires string or integer table key, got ",
        DataTypeName(key_dtype)));
  }
  if (format.value_index == kLineNumber && value_dtype != DT_INT64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Value index for line number requires table value dtype of int64, "
        "got ",
        DataTypeName(value_dtype)));
  }
  if (format.value_index == kWholeLine && !IsInteger(value_dtype) &&
      value_dtype != DT_STRING) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Value index for whole line requires table value dtype of integer or "
        "string, got ",
        DataTypeName(value_dtype)));
  }
  return absl::OkStatus();
}

// One column of the file, filled line by line.
class Column {
 public:
  static absl::StatusOr<Column> Create(DataType dtype, int64_t index,
                                       int64_t offset, int64_t lines) {
    MS_ASSIGN_OR_RETURN(Tensor values,
                        Tensor::Create(dtype, TensorShape{lines}));
    return Column(std::move(values), index, offset);
  }

  // Stores this column's field of line `line` (0-based).
  absl::Status Set(int64_t line, const std::string& text,
                   const std::vector<absl::string_view>& tokens) {
    if (index_ == kLineNumber) {
      values_.data<int64_t>()[line] = line + offset_;
      return absl::OkStatus();
    }
    const absl::string_view field =
        index_ == kWholeLine ? absl::string_view(text) : tokens[index_];
    bool ok = true;
    switch (values_.dtype()) {
      case DT_STRING:
        values_.data<std::string>()[line] = std::string(field);
        break;
      case DT_INT32: {
        int32_t v;
        ok = absl::SimpleAtoi(field, &v);
        if (ok)
          values_.data<int32_t>()[line] = static_cast<int32_t>(v + offset_);
        break;
      }
      case DT_INT64:
        ok = absl::SimpleAtoi(field, &values_.data<int64_t>()[line]);
        break;
      case DT_FLOAT:
        ok = absl::SimpleAtof(field, &values_.data<float>()[line]);
        break;
      case DT_DOUBLE:
        ok = absl::SimpleAtod(field, &values_.data<double>()[line]);
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat(
            "Data type ", DataTypeName(values_.dtype()), " not supported."));
    }
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("Field ", field, " in line ", line, " is not a valid ",
                       DataTypeName(values_.dtype()), "."));
    }
    return absl::OkStatus();
  }

  const Tensor& values() const { return values_; }

 private:
  Column(Tensor values, int64_t index, int64_t offset)
      : values_(std::move(values)), index_(index), offset_(offset) {}
  Tensor values_;
  int64_t index_;
  int64_t offset_;
};

// Reads the lines `format` selects from `filename`.
absl::StatusOr<std::vector<std::string>> ReadLines(
    const std::string& filename, const TextFileFormat& format) {
  std::ifstream file(filename, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(
        absl::StrCat("cannot open table initialization file ", filename));
  }
  std::vector<std::string> lines;
  std::string line;
  while (format.vocab_size < 0 ||
         static_cast<int64_t>(lines.size()) < format.vocab_size) {
    if (!std::getline(file, line)) break;
    line.erase(std::remove(line.begin(), line.end(), '\r'), line.end());
    if (line.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid content in ", filename,
                       ": empty line found at line ", lines.size(), "."));
    }
    lines.push_back(std::move(line));
  }
  if (file.bad()) {
    return absl::DataLossError(absl::StrCat("error reading ", filename));
  }
  if (format.vocab_size >= 0 &&
      static_cast<int64_t>(lines.size()) != format.vocab_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid vocab_size in ", filename, ": expected ",
                     format.vocab_size, " but got ", lines.size()));
  }
  return lines;
}

class InitializeTableFromTextFileKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    TextFileFormat format;
    std::string delimiter;
    MS_RETURN_IF_ERROR(c.attrs.Get("key_index", &format.key_index));
    MS_RETURN_IF_ERROR(c.attrs.Get("value_index", &format.value_index));
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("vocab_size", int64_t{-1}, &format.vocab_size));
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("delimiter", std::string("\t"), &delimiter));
    MS_RETURN_IF_ERROR(c.attrs.GetOr("offset", int64_t{0}, &format.offset));
    if (delimiter.size() != 1) {
      return c.attrs.Error("delimiter should be only 1 char");
    }
    format.delimiter = delimiter[0];
    if (format.key_index < kWholeLine || format.value_index < kWholeLine) {
      return c.attrs.Error(
          absl::StrCat("key_index and value_index must be >= -2, got ",
                       format.key_index, " and ", format.value_index));
    }
    if (format.vocab_size < -1) {
      return c.attrs.Error(
          absl::StrCat("vocab_size must be >= -1, got ", format.vocab_size));
    }
    return std::unique_ptr<OpKernel>(
        new InitializeTableFromTextFileKernel(format));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(LookupTable * table,
                        LookupTableFromHandle(ctx.input(0)));
    const Tensor& filename = ctx.input(1);
    if (filename.dtype() != DT_STRING || filename.rank() != 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "filename should be a single string, but got ",
          DataTypeName(filename.dtype()), " ", filename.shape().DebugString()));
    }
    const std::string& path = filename.scalar<std::string>();
    if (path.empty()) return ctx.InvalidArgument("filename cannot be empty.");
    MS_RETURN_IF_ERROR(
        CheckColumns(format_, table->key_dtype(), table->value_dtype()));
    MS_ASSIGN_OR_RETURN(std::vector<std::string> lines,
                        ReadLines(path, format_));
    const int64_t n = static_cast<int64_t>(lines.size());
    MS_ASSIGN_OR_RETURN(Column keys,
                        Column::Create(table->key_dtype(), format_.key_index,
                                       format_.offset, n));
    MS_ASSIGN_OR_RETURN(
        Column values, Column::Create(table->value_dtype(), format_.value_index,
                                      format_.offset, n));
    const int64_t columns =
        std::max(format_.key_index, format_.value_index) + 1;
    std::vector<absl::string_view> tokens;
    for (int64_t i = 0; i < n; ++i) {
      if (columns > 0) {
        tokens = absl::StrSplit(lines[i], format_.delimiter);
        if (static_cast<int64_t>(tokens.size()) < columns) {
          return ctx.InvalidArgument(
              absl::StrCat("Invalid number of columns in ", path, " line ", i,
                           " (", lines[i], ") : expected at least ", columns,
                           " got ", tokens.size()));
        }
      }
      MS_RETURN_IF_ERROR(keys.Set(i, lines[i], tokens));
      MS_RETURN_IF_ERROR(values.Set(i, lines[i], tokens));
    }
    absl::Status status = table->Initialize(keys.values(), values.values());
    if (absl::IsFailedPrecondition(status) && table->initialized()) {
      return absl::OkStatus();
    }
    if (!status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("initializing table ", table->name(),
                                       " from ", path, ": ", status.message()));
    }
    return absl::OkStatus();
  }

 private:
  explicit InitializeTableFromTextFileKernel(TextFileFormat format)
      : format_(format) {}
  const TextFileFormat format_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("InitializeTableFromTextFileV2"),
                InitializeTableFromTextFileKernel::Create);
REGISTER_KERNEL(OpSpec("InitializeTableFromTextFile"),
                InitializeTableFromTextFileKernel::Create);

}  // namespace model_server
