// Fuzz target: a frozen GraphDef (binary), loaded as the server loads a
// frozen-graph version: parse, infer its signature from the graph's
// Placeholders and sinks, and compile the plan.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "loader/loaded_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace model_server;
  static const std::string* const export_dir = [] {
    auto* dir = new std::string(fuzz::ProcessTempDir() + "/frozen");
    fuzz::MakeDirOrDie(*dir);
    return dir;
  }();
  fuzz::WriteFileOrDie(*export_dir + "/frozen_model.pb",
                       {reinterpret_cast<const char*>(data), size});
  (void)LoadedModel::Load(*export_dir, LoadOptions());
  return 0;
}
