// Start-up check that this CPU can run the instructions the build targets.
//
// The build targets x86-64-v3 by default (cmake/TargetArch.cmake). Run on a
// CPU without, say, AVX2, such a binary would die with SIGILL somewhere in a
// kernel; instead every executable that links the runtime checks the CPU
// before any other static initialiser runs and, if something is missing,
// prints one line naming the missing features and exits with status 1.
//
// cpu_guard.cc is compiled for the plain x86-64 baseline and uses no inline
// library code, so the check itself runs on any x86-64 CPU.
#ifndef MODEL_SERVER_RUNTIME_CPU_GUARD_H_
#define MODEL_SERVER_RUNTIME_CPU_GUARD_H_

#include <cstddef>

namespace model_server {

// Whether this CPU (and the OS, for AVX/AVX-512 register state) supports
// `feature`, named as the compiler names it ("avx2", "fma", "avx512f", ...).
// Unknown names and non-x86 CPUs report false.
bool CpuHasFeature(const char* feature);

// Writes to `out` (NUL-terminated, truncated to `out_size`) the
// space-separated features of `required` (space-separated) that `has` reports
// missing. Returns how many are missing.
int ListMissingCpuFeatures(const char* required, bool (*has)(const char*),
                           char* out, std::size_t out_size);

// The features this build requires (from the compile flags), space-separated.
const char* RequiredCpuFeatures();

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_CPU_GUARD_H_
