// Writing .npy files (npy.h).
#include <algorithm>
#include <cstring>
#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"
#include "tools/npy/npy.h"
#include "tools/npy/npy_dtype.h"
#include "tools/npy/npy_header.h"

namespace model_server {
namespace {

// Width of the |S<n> descr for `strings`: the longest element, at least 1
// (numpy's own choice for an array of empty strings).
absl::StatusOr<int64_t> StringWidth(absl::Span<const std::string> strings) {
  int64_t width = 1;
  for (size_t i = 0; i < strings.size(); ++i) {
    const std::string& s = strings[i];
    if (!s.empty() && s.back() == '\0') {
      return absl::InvalidArgumentError(absl::StrCat(
          "string element ", i,
          " ends in a NUL byte, which a .npy byte string cannot hold (numpy "
          "drops trailing NULs)"));
    }
    width = std::max(width, static_cast<int64_t>(s.size()));
  }
  return width;
}

}  // namespace

absl::StatusOr<std::string> SerializeNpy(const Tensor& tensor) {
  const DataType dtype = tensor.dtype();
  int64_t string_width = 0;
  if (dtype == DT_STRING) {
    MS_ASSIGN_OR_RETURN(string_width, StringWidth(tensor.flat<std::string>()));
  }
  NpyHeader header;
  MS_ASSIGN_OR_RETURN(header.descr, NpyDescrFor(dtype, string_width));
  header.shape.assign(tensor.shape().dims().begin(),
                      tensor.shape().dims().end());
  std::string out = FormatNpyPreamble(header);
  const size_t data_offset = out.size();
  const int64_t n = tensor.NumElements();

  if (dtype == DT_STRING) {
    out.resize(data_offset + n * string_width, '\0');
    absl::Span<const std::string> strings = tensor.flat<std::string>();
    for (int64_t i = 0; i < n; ++i) {
      std::memcpy(&out[data_offset + i * string_width], strings[i].data(),
                  strings[i].size());
    }
  } else if (dtype == DT_BFLOAT16) {
    out.resize(data_offset + n * sizeof(float));
    absl::Span<const Eigen::bfloat16> values = tensor.flat<Eigen::bfloat16>();
    for (int64_t i = 0; i < n; ++i) {
      const float f = static_cast<float>(values[i]);
      std::memcpy(&out[data_offset + i * sizeof(float)], &f, sizeof(float));
    }
  } else if (dtype == DT_BOOL) {
    out.resize(data_offset + n);
    absl::Span<const bool> values = tensor.flat<bool>();
    for (int64_t i = 0; i < n; ++i) out[data_offset + i] = values[i] ? 1 : 0;
  } else {
    // Every other descr NpyDescrFor accepts is the tensor's own little-endian
    // layout.
    out.append(static_cast<const char*>(tensor.raw_data()),
               tensor.TotalBytes());
  }
  return out;
}

absl::Status WriteNpyFile(const Tensor& tensor, const std::string& path) {
  MS_ASSIGN_OR_RETURN(std::string bytes, SerializeNpy(tensor));
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot open ", path, " for writing"));
  }
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return absl::DataLossError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace model_server
