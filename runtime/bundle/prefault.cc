#include "runtime/bundle/prefault.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace model_server {
namespace {

// Linux 5.14's madvise value; older headers lack the name, older kernels
// answer EINVAL, which is ignored like any other refusal.
#ifdef MADV_POPULATE_WRITE
constexpr int kPopulateWrite = MADV_POPULATE_WRITE;
#else
constexpr int kPopulateWrite = 23;
#endif

constexpr uintptr_t kHugePageBytes = uintptr_t{2} << 20;
constexpr size_t kMinBytes = size_t{256} << 10;

uintptr_t RoundUp(uintptr_t value, uintptr_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

uintptr_t RoundDown(uintptr_t value, uintptr_t alignment) {
  return value / alignment * alignment;
}

// madvise over the part of [begin, end) aligned to `alignment`, if any.
void AdviseAligned(uintptr_t begin, uintptr_t end, uintptr_t alignment,
                   int advice) {
  const uintptr_t first = RoundUp(begin, alignment);
  const uintptr_t last = RoundDown(end, alignment);
  if (first >= last) return;
  (void)::madvise(reinterpret_cast<void*>(first), last - first, advice);
}

}  // namespace

void PrefaultForOverwrite(char* data, size_t size) {
  if (data == nullptr || size < kMinBytes) return;
  static const uintptr_t page_bytes = [] {
    const long page = ::sysconf(_SC_PAGESIZE);
    return page > 0 ? static_cast<uintptr_t>(page) : uintptr_t{4096};
  }();
  const uintptr_t begin = reinterpret_cast<uintptr_t>(data);
  const uintptr_t end = begin + size;
#ifdef MADV_HUGEPAGE
  // Before populating, so that the populate allocates huge pages.
  AdviseAligned(begin, end, kHugePageBytes, MADV_HUGEPAGE);
#endif
  AdviseAligned(begin, end, page_bytes, kPopulateWrite);
}

}  // namespace model_server
