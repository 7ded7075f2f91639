# Which CPU the build targets.
#
# Portable by default: x86-64 builds target x86-64-v3 (AVX2, FMA, BMI2: every
# x86 server of the last decade), other architectures the compiler's default.
# A binary built here runs on any such machine; one built with -march=native
# may die with SIGILL elsewhere. Opt in to native tuning with
# -DMODEL_SERVER_NATIVE_ARCH=ON, or name an -march value with
# -DMODEL_SERVER_ARCH=... (e.g. x86-64-v2 for older CPUs, x86-64-v4 for
# AVX-512, armv8.2-a).
#
# Sets MODEL_SERVER_ARCH_FLAGS (added to every compile) and
# MODEL_SERVER_REQUIRED_CPU_FEATURES (what runtime/cpu_guard checks at
# start-up, as the compiler's feature names, space-separated).
option(MODEL_SERVER_NATIVE_ARCH "Tune for the build machine (-march=native)" OFF)
set(MODEL_SERVER_ARCH "" CACHE STRING
    "-march value; empty: x86-64-v3 on x86-64, the compiler default elsewhere")

if(MODEL_SERVER_NATIVE_ARCH)
  set(MODEL_SERVER_ARCH_FLAGS -march=native)
elseif(MODEL_SERVER_ARCH)
  set(MODEL_SERVER_ARCH_FLAGS -march=${MODEL_SERVER_ARCH})
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(MODEL_SERVER_ARCH_FLAGS -march=x86-64-v3)
else()
  set(MODEL_SERVER_ARCH_FLAGS "")
endif()
add_compile_options(${MODEL_SERVER_ARCH_FLAGS})

# Ask the compiler which instruction-set macros the flags turn on, so the
# start-up check requires exactly what the code may use.
set(MODEL_SERVER_REQUIRED_CPU_FEATURES "")
set(MODEL_SERVER_TARGETS_AVX512 OFF)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  execute_process(
    COMMAND ${CMAKE_CXX_COMPILER} ${MODEL_SERVER_ARCH_FLAGS} -dM -E -x c++
            /dev/null
    OUTPUT_VARIABLE _ms_macros ERROR_QUIET)
  # Compiler macro -> feature name (cpu_guard.cc knows how to test each).
  foreach(_ms_pair
      SSE3:sse3 SSSE3:ssse3 SSE4_1:sse4.1 SSE4_2:sse4.2 POPCNT:popcnt
      AVX:avx AVX2:avx2 FMA:fma F16C:f16c BMI:bmi BMI2:bmi2 LZCNT:lzcnt
      MOVBE:movbe AVX512F:avx512f AVX512CD:avx512cd AVX512BW:avx512bw
      AVX512DQ:avx512dq AVX512VL:avx512vl AVX512VNNI:avx512vnni
      AVX512BF16:avx512bf16 AVX512VBMI:avx512vbmi AVX512IFMA:avx512ifma)
    string(REPLACE ":" ";" _ms_kv ${_ms_pair})
    list(GET _ms_kv 0 _ms_macro)
    list(GET _ms_kv 1 _ms_feature)
    if(_ms_macros MATCHES "#define __${_ms_macro}__ 1")
      string(APPEND MODEL_SERVER_REQUIRED_CPU_FEATURES " ${_ms_feature}")
    endif()
  endforeach()
  string(STRIP "${MODEL_SERVER_REQUIRED_CPU_FEATURES}"
         MODEL_SERVER_REQUIRED_CPU_FEATURES)
  if(_ms_macros MATCHES "#define __AVX512F__ 1")
    set(MODEL_SERVER_TARGETS_AVX512 ON)
  endif()
endif()

# GCC 12's own avx512fintrin.h trips -Wuninitialized when Eigen's AVX-512
# packet math is inlined ("'__Y' is used uninitialized", a false positive in
# the compiler's intrinsics header, not in our code; GCC 13 no longer reports
# it). Only AVX-512 builds with GCC < 13 get this one suppression.
if(MODEL_SERVER_TARGETS_AVX512 AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU"
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-uninitialized)
endif()

# On aarch64, GCC 12.2 reports -Wuse-after-free ("pointer may be used after
# 'void free(void*)'") at Eigen/src/Core/util/Memory.h:203 when an
# Eigen::Array that was resized (freeing its old buffer) is later destroyed
# (freeing the new one): GCC's flow analysis confuses the two pointers. Seen
# compiling runtime/kernels/nn/softmax.cc for aarch64; a false positive in a
# third-party header, not in our code. Only aarch64 builds with GCC < 13 get
# this one suppression.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$"
   AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU"
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-use-after-free)
endif()

string(JOIN " " _ms_flags_text ${MODEL_SERVER_ARCH_FLAGS})
message(STATUS "model_server target: ${CMAKE_SYSTEM_PROCESSOR} "
               "[${_ms_flags_text}] requires: ${MODEL_SERVER_REQUIRED_CPU_FEATURES}")
