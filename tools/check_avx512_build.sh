#!/usr/bin/env bash
# CI check: the kernel library still compiles, warnings as errors, when the
# build targets AVX-512 (-march=x86-64-v4), as a user's -march=native build
# does on a current AMD EPYC or Intel Xeon. Compiling needs no AVX-512 CPU.
# Nothing is run. Usage: tools/check_avx512_build.sh [build dir]
set -euo pipefail
cd "$(dirname "$0")/.."
case "$(uname -m)" in
  x86_64) ;;
  *) echo "check_avx512_build: not an x86-64 machine, nothing to check"; exit 0 ;;
esac
BUILD_DIR=${1:-build-avx512}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
  -DMODEL_SERVER_ARCH=x86-64-v4 -DMODEL_SERVER_WERROR=ON \
  -DMODEL_SERVER_BUILD_TESTS=OFF -DMODEL_SERVER_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target model_server_kernels
echo "check_avx512_build: the kernels compile for x86-64-v4 with -Werror"
