// The part of a NumPy .npy file before the array data.
//
// A .npy file is the magic string "\x93NUMPY", a version (1.0, 2.0 or 3.0),
// the header's length (2 bytes little-endian in 1.0, 4 bytes in 2.0/3.0)
// and the header: a Python dict literal padded with spaces and ended by a
// newline, for example
//
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//
// The array data follows the header directly. This file parses and writes
// that preamble; npy_dtype.h interprets `descr`. Files are untrusted: every
// length is checked against the bytes actually present.
#ifndef MODEL_SERVER_TOOLS_NPY_NPY_HEADER_H_
#define MODEL_SERVER_TOOLS_NPY_NPY_HEADER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace model_server {

// The three keys every .npy header has, and only those.
struct NpyHeader {
  // The element type in numpy's array-protocol spelling: "<f4", "|b1",
  // "|S5", "<U3", ...
  std::string descr;
  // True when the data is stored column-major.
  bool fortran_order = false;
  // Dimensions, outermost first; empty for a scalar.
  std::vector<int64_t> shape;
};

// Largest header accepted when reading. numpy's own reader refuses headers
// over 10,000 bytes unless told otherwise; a header for any array the
// runtime can hold (rank <= 254) fits comfortably.
inline constexpr size_t kMaxNpyHeaderBytes = 65536;

struct NpyPreamble {
  NpyHeader header;
  // Offset of the first data byte in the file.
  size_t data_offset = 0;
};

// Parses the magic string, version, header length and header at the start
// of `file`. Fails with INVALID_ARGUMENT saying what is wrong: not a .npy
// file, an unknown version, a header longer than the file or than
// kMaxNpyHeaderBytes, a header that is not the dict numpy writes (missing,
// extra or repeated keys, a structured `descr`, a negative dimension).
absl::StatusOr<NpyPreamble> ParseNpyPreamble(absl::string_view file);

// Parses the dict literal alone (the header without magic and length).
absl::StatusOr<NpyHeader> ParseNpyHeaderDict(absl::string_view text);

// The magic string, version, length and header for `header`, padded so the
// data starts at a multiple of 64 bytes as numpy does. Version 1.0 unless the
// header needs more than 65,535 bytes, then 2.0.
// REQUIRES: header.descr is ASCII without quotes.
std::string FormatNpyPreamble(const NpyHeader& header);

}  // namespace model_server

#endif  // MODEL_SERVER_TOOLS_NPY_NPY_HEADER_H_
