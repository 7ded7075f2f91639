// Helpers shared by the fuzz targets in this folder (docs/fuzzing.md).
//
// Every target is one file defining LLVMFuzzerTestOneInput; the same file is
// linked with libFuzzer in the clang build (MODEL_SERVER_FUZZ=ON) and with
// replay_main.cc in the normal build, where ctest replays its seeds.
#ifndef MODEL_SERVER_FUZZ_FUZZ_SUPPORT_H_
#define MODEL_SERVER_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace model_server::fuzz {

// A directory private to this process, created on first use under $TMPDIR
// (or /tmp) and removed with everything in it at exit.
const std::string& ProcessTempDir();

// Writes `data` to `path`, replacing it; aborts on failure (a broken test
// machine, not a finding).
void WriteFileOrDie(const std::string& path, absl::string_view data);

// Creates `path` (one level) unless it exists; aborts on failure.
void MakeDirOrDie(const std::string& path);

// Reads fields off the front of a fuzz input: targets use the first bytes
// to choose options and pass the rest to the code under test.
class InputReader {
 public:
  InputReader(const uint8_t* data, size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}

  // The next byte, or 0 when the input is used up.
  uint8_t Byte();
  // A little-endian uint32 (missing bytes read as 0).
  uint32_t Uint32();
  // The next `n` bytes, or fewer at the end of the input.
  absl::string_view Bytes(size_t n);
  // Everything not read yet.
  absl::string_view Rest() const { return rest_; }

 private:
  absl::string_view rest_;
};

}  // namespace model_server::fuzz

#endif  // MODEL_SERVER_FUZZ_FUZZ_SUPPORT_H_
