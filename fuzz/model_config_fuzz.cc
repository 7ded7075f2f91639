// Fuzz target: the --model_config_file text (a ModelServerConfig in
// protobuf text format), parsed and validated as the daemon does.
#include <cstddef>
#include <cstdint>

#include "daemon/model_config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace model_server;
  absl::StatusOr<tensorflow::serving::ModelServerConfig> config =
      ParseModelServerConfig(
          absl::string_view(reinterpret_cast<const char*>(data), size),
          "fuzz_input");
  if (!config.ok()) return 0;
  (void)ModelsToServe(*config);
  return 0;
}
