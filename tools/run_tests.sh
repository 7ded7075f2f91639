#!/usr/bin/env bash
# The README's second command: installs what is missing, builds everything
# and runs the whole test suite with CTest. Tests that need ../shared/models
# say clearly when they skip.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh --test
tools/build.sh
BUILD_DIR=${BUILD_DIR:-build}
cd "$BUILD_DIR"
ctest --output-on-failure --timeout 600 -j"$(nproc)"
