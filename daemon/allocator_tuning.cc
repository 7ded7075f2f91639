#include "daemon/allocator_tuning.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace model_server {

void TuneAllocatorForServing() {
  // An operator's own malloc tunables take precedence.
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr &&
      std::strstr(tunables, "glibc.malloc.") != nullptr) {
    return;
  }
  constexpr int kThresholdBytes = 2 << 20;
  mallopt(M_MMAP_THRESHOLD, kThresholdBytes);
  mallopt(M_TRIM_THRESHOLD, kThresholdBytes);
}

}  // namespace model_server
