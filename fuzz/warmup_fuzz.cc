// Fuzz target: the warmup requests file (a TFRecord file of PredictionLog
// records) replayed on half_plus_two. An even first byte frames the rest
// of the input as records itself (each a little-endian uint32 length, then
// that many bytes), so mutations reach the PredictionLog and request
// decoding past the checksums; an odd first byte writes the rest as the
// file, as is, to fuzz the TFRecord reader.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "fuzz/half_plus_two.h"
#include "loader/tfrecord_reader.h"
#include "loader/warmup.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace model_server;
  const LoadedModel& model = fuzz::HalfPlusTwo();
  static const std::string* const path = [&model] {
    fuzz::MakeDirOrDie(model.export_dir() + "/assets.extra");
    return new std::string(model.export_dir() + "/" + kWarmupRequestsFile);
  }();
  fuzz::InputReader input(data, size);
  std::string file;
  if (input.Byte() & 1) {
    file = std::string(input.Rest());
  } else {
    while (!input.Rest().empty()) {
      const uint32_t length = input.Uint32();
      file += EncodeTFRecord(input.Bytes(length));
    }
  }
  fuzz::WriteFileOrDie(*path, file);
  (void)RunWarmup(model, WarmupOptions());
  return 0;
}
