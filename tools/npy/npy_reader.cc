// Reading .npy files (npy.h).
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"
#include "tools/npy/npy.h"
#include "tools/npy/npy_dtype.h"
#include "tools/npy/npy_header.h"

namespace model_server {
namespace {

// Tensors hold numbers in the host's order, and the writer and '=' descrs
// take that to be little-endian.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the .npy reader assumes a little-endian host");

// Reverses the bytes of each `width`-byte value in place.
void SwapBytes(char* data, int64_t values, int64_t width) {
  for (int64_t i = 0; i < values; ++i) {
    std::reverse(data + i * width, data + (i + 1) * width);
  }
}

uint32_t CodePointAt(const char* p, bool big_endian) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    const int byte = big_endian ? i : 3 - i;
    value = (value << 8) | static_cast<uint8_t>(p[byte]);
  }
  return value;
}

void AppendUtf8(uint32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// One <U element as UTF-8, trailing NUL code points dropped.
absl::StatusOr<std::string> DecodeUtf32(absl::string_view item, bool big_endian,
                                        int64_t index) {
  size_t points = item.size() / 4;
  while (points > 0 &&
         CodePointAt(item.data() + 4 * (points - 1), big_endian) == 0) {
    --points;
  }
  std::string out;
  for (size_t i = 0; i < points; ++i) {
    const uint32_t c = CodePointAt(item.data() + 4 * i, big_endian);
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
      return absl::InvalidArgumentError(absl::StrCat(
          ".npy unicode element ", index, " holds ", c,
          ", which is not a Unicode scalar value (no UTF-8 encoding)"));
    }
    AppendUtf8(c, &out);
  }
  return out;
}

// Fills `out` (already allocated) from `data`, the elements in file order.
absl::Status DecodeElements(absl::string_view data, const NpyElementType& type,
                            Tensor* out) {
  const int64_t n = out->NumElements();
  switch (type.encoding) {
    case NpyElementType::Encoding::kBool: {
      bool* values = out->data<bool>();
      for (int64_t i = 0; i < n; ++i) values[i] = data[i] != 0;
      return absl::OkStatus();
    }
    case NpyElementType::Encoding::kNumber: {
      char* bytes = static_cast<char*>(out->raw_data());
      if (n > 0) std::memcpy(bytes, data.data(), data.size());
      if (type.big_endian) {
        // A complex number is two floats, each swapped on its own.
        const bool complex =
            type.dtype == DT_COMPLEX64 || type.dtype == DT_COMPLEX128;
        const int64_t width = complex ? type.item_size / 2 : type.item_size;
        SwapBytes(bytes, n * (type.item_size / width), width);
      }
      return absl::OkStatus();
    }
    case NpyElementType::Encoding::kBytes: {
      std::string* values = out->data<std::string>();
      for (int64_t i = 0; i < n; ++i) {
        absl::string_view item =
            data.substr(i * type.item_size, type.item_size);
        values[i] =
            std::string(item.substr(0, item.find_last_not_of('\0') + 1));
      }
      return absl::OkStatus();
    }
    case NpyElementType::Encoding::kUtf32: {
      std::string* values = out->data<std::string>();
      for (int64_t i = 0; i < n; ++i) {
        MS_ASSIGN_OR_RETURN(
            values[i],
            DecodeUtf32(data.substr(i * type.item_size, type.item_size),
                        type.big_endian, i));
      }
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unknown .npy element encoding");
}

// `fortran` holds the elements of a tensor of its shape in column-major
// order; returns them row-major.
absl::StatusOr<Tensor> FortranToRowMajor(const Tensor& fortran) {
  const TensorShape& shape = fortran.shape();
  MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(fortran.dtype(), shape));
  const int rank = shape.rank();
  // Column-major stride of each dimension.
  std::vector<int64_t> stride(rank);
  int64_t s = 1;
  for (int d = 0; d < rank; ++d) {
    stride[d] = s;
    s *= shape.dim(d);
  }
  SwitchOnDataType(fortran.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* src = fortran.data<T>();
    T* dst = out.data<T>();
    std::vector<int64_t> index(rank, 0);
    int64_t offset = 0;
    for (int64_t i = 0; i < shape.num_elements(); ++i) {
      dst[i] = src[offset];
      // Advance the row-major index (last dimension fastest).
      for (int d = rank - 1; d >= 0; --d) {
        if (++index[d] < shape.dim(d)) {
          offset += stride[d];
          break;
        }
        offset -= stride[d] * (shape.dim(d) - 1);
        index[d] = 0;
      }
    }
  });
  return out;
}

}  // namespace

absl::StatusOr<Tensor> ParseNpy(absl::string_view file) {
  MS_ASSIGN_OR_RETURN(NpyPreamble preamble, ParseNpyPreamble(file));
  const NpyHeader& header = preamble.header;
  MS_ASSIGN_OR_RETURN(NpyElementType type, ParseNpyDescr(header.descr));
  MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(header.shape));

  const absl::string_view data = file.substr(preamble.data_offset);
  const int64_t n = shape.num_elements();
  // Compare by division so a huge shape cannot overflow the product.
  if (n > 0 && static_cast<int64_t>(data.size()) / type.item_size < n) {
    return absl::InvalidArgumentError(absl::StrCat(
        ".npy data is ", data.size(), " bytes, too short for shape ",
        shape.DebugString(), " of '", header.descr, "' (", type.item_size,
        " bytes per element)"));
  }
  const int64_t expected = n * type.item_size;
  if (static_cast<int64_t>(data.size()) != expected) {
    return absl::InvalidArgumentError(absl::StrCat(
        ".npy data is ", data.size(), " bytes, but shape ", shape.DebugString(),
        " of '", header.descr, "' needs ", expected));
  }
  MS_ASSIGN_OR_RETURN(Tensor tensor, Tensor::Create(type.dtype, shape));
  MS_RETURN_IF_ERROR(DecodeElements(data, type, &tensor));
  if (header.fortran_order && shape.rank() > 1) {
    return FortranToRowMajor(tensor);
  }
  return tensor;
}

absl::StatusOr<Tensor> ReadNpyFile(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is a directory, not a .npy file"));
  }
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  const std::streamoff size = in.tellg();
  const std::streamoff limit =
      Tensor::kMaxBytes + static_cast<std::streamoff>(kMaxNpyHeaderBytes) + 12;
  if (size < 0) return absl::DataLossError(absl::StrCat("cannot read ", path));
  if (size > limit) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": a .npy file of ", size,
                     " bytes exceeds the limit of ", limit));
  }
  std::string file(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(file.data(), size)) {
    return absl::DataLossError(absl::StrCat("cannot read ", path));
  }
  absl::StatusOr<Tensor> tensor = ParseNpy(file);
  if (!tensor.ok()) {
    return absl::Status(tensor.status().code(),
                        absl::StrCat(path, ": ", tensor.status().message()));
  }
  return tensor;
}

}  // namespace model_server
