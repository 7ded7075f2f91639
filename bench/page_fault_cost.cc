// page_fault_cost: what a fresh large buffer costs on this machine. Maps
// anonymous memory, writes one byte per 4 KiB page and unmaps it, for sizes
// from 1 to 96 MiB, and prints the process CPU time per page. glibc serves
// allocations above its mmap threshold this way, so every tensor above it
// pays this once per run (docs/kernel_performance.md: on the project's VMs
// about 11 us a page, which made the CNN's 57 MB im2col buffer at batch 64
// cost several times its arithmetic).
//
//   page_fault_cost [--rounds=8]
#include <sys/mman.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace {

double CpuMicros() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e6 + t.tv_nsec * 1e-3;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 8;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--rounds=", 9) == 0) {
      rounds = std::atoi(argv[i] + 9);
    } else {
      std::fprintf(stderr, "usage: page_fault_cost [--rounds=8]\n");
      return 2;
    }
  }
  constexpr size_t kPage = 4096;
  std::printf("%8s %14s %14s\n", "MiB", "cpu_us/buffer", "cpu_us/page");
  for (size_t mib : {1, 2, 4, 8, 16, 32, 64, 96}) {
    const size_t bytes = mib << 20;
    const double start = CpuMicros();
    for (int r = 0; r < rounds; ++r) {
      void* map = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (map == MAP_FAILED) {
        std::perror("mmap");
        return 1;
      }
      volatile char* p = static_cast<char*>(map);
      for (size_t i = 0; i < bytes; i += kPage) p[i] = 1;
      munmap(map, bytes);
    }
    const double per_buffer = (CpuMicros() - start) / rounds;
    std::printf("%8zu %14.0f %14.2f\n", mib, per_buffer,
                per_buffer / static_cast<double>(bytes / kPage));
  }
  return 0;
}
