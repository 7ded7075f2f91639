#include "fuzz/fuzz_support.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "glog/logging.h"
#include "google/protobuf/stubs/logging.h"

namespace model_server::fuzz {
namespace {

std::string* temp_dir = nullptr;

// Fuzz inputs make protobuf and the loader log an error for nearly every
// input; the noise slows the fuzzer down and hides its own output.
[[maybe_unused]] const bool quiet_logs = [] {
  google::protobuf::SetLogHandler(nullptr);
  FLAGS_minloglevel = google::GLOG_FATAL;
  return true;
}();

void RemoveTempDir() {
  if (temp_dir == nullptr) return;
  std::error_code ignored;
  std::filesystem::remove_all(*temp_dir, ignored);
}

}  // namespace

const std::string& ProcessTempDir() {
  if (temp_dir == nullptr) {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
        "/model_server_fuzz.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::fprintf(stderr, "mkdtemp %s: %s\n", pattern.c_str(),
                   std::strerror(errno));
      std::abort();
    }
    temp_dir = new std::string(pattern);
    std::atexit(RemoveTempDir);
  }
  return *temp_dir;
}

void WriteFileOrDie(const std::string& path, absl::string_view data) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(data.data(), static_cast<std::streamsize>(data.size()));
  file.close();
  if (!file) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::abort();
  }
}

void MakeDirOrDie(const std::string& path) {
  if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    std::fprintf(stderr, "mkdir %s: %s\n", path.c_str(), std::strerror(errno));
    std::abort();
  }
}

uint8_t InputReader::Byte() {
  if (rest_.empty()) return 0;
  const uint8_t byte = static_cast<uint8_t>(rest_.front());
  rest_.remove_prefix(1);
  return byte;
}

uint32_t InputReader::Uint32() {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<uint32_t>(Byte()) << (8 * i);
  return value;
}

absl::string_view InputReader::Bytes(size_t n) {
  absl::string_view bytes = rest_.substr(0, n);
  rest_.remove_prefix(bytes.size());
  return bytes;
}

}  // namespace model_server::fuzz
