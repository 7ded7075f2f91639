// See cpu_guard.h. Compiled with -march=x86-64 whatever the build targets
// (runtime/CMakeLists.txt): nothing here may use a library inline function,
// whose one shared copy could come from a translation unit built for AVX2.
#include "runtime/cpu_guard.h"

#include <string.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#ifndef MODEL_SERVER_REQUIRED_CPU_FEATURES
#define MODEL_SERVER_REQUIRED_CPU_FEATURES ""
#endif
#ifndef MODEL_SERVER_ARCH_FLAGS
#define MODEL_SERVER_ARCH_FLAGS ""
#endif

namespace model_server {
namespace {

#if defined(__x86_64__) || defined(__i386__)
enum Register { kEax, kEbx, kEcx, kEdx };

// A feature is one bit of one CPUID leaf.
struct FeatureBit {
  const char* name;
  unsigned leaf;
  unsigned subleaf;
  Register reg;
  int bit;
  // Needs the OS to save YMM (AVX) or ZMM (AVX-512) state.
  bool needs_avx_state;
  bool needs_avx512_state;
};

constexpr FeatureBit kFeatures[] = {
    {"sse3", 1, 0, kEcx, 0, false, false},
    {"ssse3", 1, 0, kEcx, 9, false, false},
    {"fma", 1, 0, kEcx, 12, true, false},
    {"sse4.1", 1, 0, kEcx, 19, false, false},
    {"sse4.2", 1, 0, kEcx, 20, false, false},
    {"movbe", 1, 0, kEcx, 22, false, false},
    {"popcnt", 1, 0, kEcx, 23, false, false},
    {"avx", 1, 0, kEcx, 28, true, false},
    {"f16c", 1, 0, kEcx, 29, true, false},
    {"bmi", 7, 0, kEbx, 3, false, false},
    {"avx2", 7, 0, kEbx, 5, true, false},
    {"bmi2", 7, 0, kEbx, 8, false, false},
    {"avx512f", 7, 0, kEbx, 16, false, true},
    {"avx512dq", 7, 0, kEbx, 17, false, true},
    {"avx512ifma", 7, 0, kEbx, 21, false, true},
    {"avx512cd", 7, 0, kEbx, 28, false, true},
    {"avx512bw", 7, 0, kEbx, 30, false, true},
    {"avx512vl", 7, 0, kEbx, 31, false, true},
    {"avx512vbmi", 7, 0, kEcx, 1, false, true},
    {"avx512vnni", 7, 0, kEcx, 11, false, true},
    {"avx512bf16", 7, 1, kEax, 5, false, true},
    {"lzcnt", 0x80000001u, 0, kEcx, 5, false, false},
};

// XCR0: which register state the OS saves on a context switch.
unsigned long long ReadXcr0() {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  if (!(ecx & (1u << 27))) return 0;  // OSXSAVE: XGETBV is usable.
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<unsigned long long>(hi) << 32) | lo;
}
#endif

void WriteAll(const char* text) {
  size_t left = strlen(text);
  while (left > 0) {
    ssize_t written = write(2, text, left);
    if (written <= 0) return;
    text += written;
    left -= static_cast<size_t>(written);
  }
}

void Append(char* out, size_t out_size, size_t* used, const char* text,
            size_t length) {
  if (out_size == 0) return;
  for (size_t i = 0; i < length && *used + 1 < out_size; ++i) {
    out[(*used)++] = text[i];
  }
  out[*used] = '\0';
}

}  // namespace

bool CpuHasFeature(const char* feature) {
#if defined(__x86_64__) || defined(__i386__)
  for (const FeatureBit& f : kFeatures) {
    if (strcmp(f.name, feature) != 0) continue;
    unsigned regs[4] = {0, 0, 0, 0};
    if (!__get_cpuid_count(f.leaf, f.subleaf, &regs[kEax], &regs[kEbx],
                           &regs[kEcx], &regs[kEdx])) {
      return false;
    }
    if (!(regs[f.reg] & (1u << f.bit))) return false;
    const unsigned long long xcr0 = ReadXcr0();
    if (f.needs_avx_state && (xcr0 & 0x6) != 0x6) return false;
    if (f.needs_avx512_state && (xcr0 & 0xe6) != 0xe6) return false;
    return true;
  }
#else
  (void)feature;
#endif
  return false;
}

int ListMissingCpuFeatures(const char* required, bool (*has)(const char*),
                           char* out, size_t out_size) {
  size_t used = 0;
  if (out_size > 0) out[0] = '\0';
  int missing = 0;
  const char* p = required;
  while (*p != '\0') {
    while (*p == ' ') ++p;
    const char* end = p;
    while (*end != '\0' && *end != ' ') ++end;
    const size_t length = static_cast<size_t>(end - p);
    char name[32];
    if (length > 0 && length < sizeof(name)) {
      memcpy(name, p, length);
      name[length] = '\0';
      if (!has(name)) {
        if (missing > 0) Append(out, out_size, &used, " ", 1);
        Append(out, out_size, &used, name, length);
        ++missing;
      }
    }
    p = end;
  }
  return missing;
}

const char* RequiredCpuFeatures() { return MODEL_SERVER_REQUIRED_CPU_FEATURES; }

namespace {

// Runs before every default-priority static initialiser of the executable
// (kernel registration, Eigen, glog), which may already use AVX2.
__attribute__((constructor(101))) void RefuseUnsupportedCpu() {
  char missing[256];
  if (ListMissingCpuFeatures(RequiredCpuFeatures(), CpuHasFeature, missing,
                             sizeof(missing)) == 0) {
    return;
  }
  char program[256] = "model_server";
  const ssize_t n = readlink("/proc/self/exe", program, sizeof(program) - 1);
  if (n > 0) program[n] = '\0';
  const char* base = strrchr(program, '/');
  WriteAll(base != nullptr ? base + 1 : program);
  WriteAll(": this CPU lacks ");
  WriteAll(missing);
  WriteAll(", which this build requires (compiled with " MODEL_SERVER_ARCH_FLAGS
           "); rebuild with -DMODEL_SERVER_ARCH=x86-64-v2 or "
           "-DMODEL_SERVER_NATIVE_ARCH=ON (docs/building.md)\n");
  _exit(1);
}

}  // namespace
}  // namespace model_server
