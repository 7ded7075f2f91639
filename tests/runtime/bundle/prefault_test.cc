// PrefaultForOverwrite: advice only, so what must hold is that it changes no
// byte inside or outside the range, whatever the range, and that the pages
// are resident afterwards where the kernel has MADV_POPULATE_WRITE.
#include "runtime/bundle/prefault.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "gtest/gtest.h"

namespace model_server {
namespace {

TEST(PrefaultForOverwrite, KeepsEveryByteInsideAndAroundTheRange) {
  constexpr size_t kBytes = (size_t{5} << 20) + 12345;
  std::vector<char> buffer(kBytes);
  for (size_t i = 0; i < kBytes; ++i) {
    buffer[i] = static_cast<char>(i * 2654435761u >> 13);
  }
  const std::vector<char> before = buffer;
  // Unaligned starts and ends, a range shorter than a page, under the
  // 256 KiB threshold, and one covering whole 2 MiB pages.
  PrefaultForOverwrite(buffer.data() + 3, 100);
  PrefaultForOverwrite(buffer.data() + 4097, (size_t{200} << 10) + 5);
  PrefaultForOverwrite(buffer.data() + 777, kBytes - 1500);
  PrefaultForOverwrite(buffer.data(), kBytes);
  EXPECT_TRUE(buffer == before);
}

TEST(PrefaultForOverwrite, IgnoresEmptyAndNullRanges) {
  PrefaultForOverwrite(nullptr, 0);
  PrefaultForOverwrite(nullptr, size_t{1} << 30);
  char byte = 7;
  PrefaultForOverwrite(&byte, 0);
  EXPECT_EQ(byte, 7);
}

// Fresh anonymous memory has no pages until touched; after the call every
// page of the range is resident (mincore), without a byte written.
TEST(PrefaultForOverwrite, MakesFreshPagesResident) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t bytes = size_t{4} << 20;
  void* mapped = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mapped, MAP_FAILED);
  char* data = static_cast<char*>(mapped);
  std::vector<unsigned char> resident(bytes / page);
  ASSERT_EQ(mincore(data, bytes, resident.data()), 0);
  size_t before = 0;
  for (unsigned char r : resident) before += r & 1;
  PrefaultForOverwrite(data, bytes);
  ASSERT_EQ(mincore(data, bytes, resident.data()), 0);
  size_t after = 0;
  for (unsigned char r : resident) after += r & 1;
  bool all_zero = true;
  for (size_t i = 0; i < bytes; i += 997) all_zero &= data[i] == 0;
  munmap(mapped, bytes);
  EXPECT_TRUE(all_zero);
  EXPECT_EQ(before, 0u);
  if (after == 0) {
    GTEST_SKIP() << "this kernel does not populate on advice "
                    "(MADV_POPULATE_WRITE needs Linux 5.14); contents checked";
  }
  EXPECT_EQ(after, resident.size());
}

}  // namespace
}  // namespace model_server
