#include "fuzz/half_plus_two.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "fuzz/fuzz_support.h"
#include "tools/example_model.h"

namespace model_server::fuzz {

const LoadedModel& HalfPlusTwo() {
  static const LoadedModel* const model = [] {
    const std::string base = ProcessTempDir() + "/half_plus_two";
    MakeDirOrDie(base);
    const std::string export_dir = base + "/1";
    absl::Status written = WriteHalfPlusTwo(export_dir);
    if (!written.ok()) {
      std::fprintf(stderr, "half_plus_two: %s\n", written.ToString().c_str());
      std::abort();
    }
    absl::StatusOr<std::unique_ptr<LoadedModel>> loaded =
        LoadedModel::Load(export_dir, LoadOptions());
    if (!loaded.ok()) {
      std::fprintf(stderr, "half_plus_two: %s\n",
                   loaded.status().ToString().c_str());
      std::abort();
    }
    return loaded->release();
  }();
  return *model;
}

}  // namespace model_server::fuzz
