#!/usr/bin/env bash
# Configures and builds model_server into ./build (or $BUILD_DIR).
# Usage: tools/build.sh [cmake --build targets...]
#
# Environment: BUILD_TYPE (default Release: optimised, no debug info; use
# RelWithDebInfo for symbols), CMAKE_ARGS (extra configure arguments, e.g.
# "-DMODEL_SERVER_NATIVE_ARCH=ON"; .ci/run adds -DMODEL_SERVER_WERROR=ON).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-Release}
# shellcheck disable=SC2086  # CMAKE_ARGS is a list of arguments.
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${CMAKE_ARGS:-} \
  >/dev/null
if (($# > 0)); then
  targets=()
  for target in "$@"; do targets+=(--target "$target"); done
  cmake --build "$BUILD_DIR" -j"$(nproc)" "${targets[@]}"
else
  cmake --build "$BUILD_DIR" -j"$(nproc)"
fi
