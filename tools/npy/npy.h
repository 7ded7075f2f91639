// Reading and writing NumPy .npy files as runtime Tensors.
//
//   absl::StatusOr<Tensor> x = ReadNpyFile("inputs/x.npy");
//   absl::Status s = WriteNpyFile(*x, "/tmp/x.npy");
//
// Reading accepts format versions 1.0, 2.0 and 3.0, little- and big-endian
// data, C and Fortran order (Fortran data is transposed into the runtime's
// row-major layout), and the element types listed in npy_dtype.h. Byte
// strings (|S<n>) and unicode strings (<U<n>, converted to UTF-8) both
// become DT_STRING; as in numpy, trailing NUL bytes or code points of an
// element are not part of its value.
//
// Files are untrusted: the header length, the shape's element count and the
// data size are checked against the bytes present before anything is
// allocated, and every failure is INVALID_ARGUMENT (RESOURCE_EXHAUSTED for a
// tensor over Tensor::kMaxBytes) with what was expected and what was found.
//
// Writing produces what numpy.save writes: version 1.0 (2.0 for huge
// headers), little-endian, C order, data aligned to 64 bytes. DT_STRING is
// written as |S<longest element>; DT_BFLOAT16, which numpy lacks, as
// float32 (exact).
#ifndef MODEL_SERVER_TOOLS_NPY_NPY_H_
#define MODEL_SERVER_TOOLS_NPY_NPY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/tensor.h"

namespace model_server {

// Parses a whole .npy file held in memory. Trailing bytes after the data are
// an error.
absl::StatusOr<Tensor> ParseNpy(absl::string_view file);

// Reads and parses the .npy file at `path`; errors name the path. Fails with
// NOT_FOUND if the file cannot be opened.
absl::StatusOr<Tensor> ReadNpyFile(const std::string& path);

// The .npy bytes of `tensor`. Fails with INVALID_ARGUMENT for dtypes numpy
// cannot hold (resource, variant) and for a string element that ends in a
// NUL byte (numpy would drop it, so the file would not say what the tensor
// holds).
absl::StatusOr<std::string> SerializeNpy(const Tensor& tensor);

// Writes SerializeNpy(tensor) to `path`, replacing the file.
absl::Status WriteNpyFile(const Tensor& tensor, const std::string& path);

}  // namespace model_server

#endif  // MODEL_SERVER_TOOLS_NPY_NPY_H_
