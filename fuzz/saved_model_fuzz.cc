// Fuzz target: a SavedModel's saved_model.pb, loaded as the server loads a
// version: parse, pick the "serve" MetaGraphDef, run its init op (there is
// no checkpoint, so no restore) and compile every signature's plan.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "loader/loaded_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace model_server;
  static const std::string* const export_dir = [] {
    auto* dir = new std::string(fuzz::ProcessTempDir() + "/saved_model");
    fuzz::MakeDirOrDie(*dir);
    return dir;
  }();
  fuzz::WriteFileOrDie(*export_dir + "/saved_model.pb",
                       {reinterpret_cast<const char*>(data), size});
  (void)LoadedModel::Load(*export_dir, LoadOptions());
  return 0;
}
