#!/usr/bin/env bash
# Builds the project with a sanitizer in its own build tree and runs the
# whole test suite under it. Too slow for CI on 2 cores (a sanitized build
# of every kernel alone takes over an hour there, several on a shared
# machine): this is the scheduled local check, e.g. nightly, on an otherwise
# idle machine. Findings and past runs: docs/robustness.md.
#
# Usage: tools/run_sanitizer_tests.sh asan|tsan [ctest arguments...]
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer (leaks too), in
#         build-asan/; any report fails the test that triggered it.
#   tsan  ThreadSanitizer, in build-tsan/. gRPC, glog and Eigen's thread
#         pool come from Debian uninstrumented, so races inside them are
#         not seen; races in our code (model manager, config reloader,
#         metrics, REST server state) are.
# KERNELS=instrumented|prebuilt (default: instrumented for asan, prebuilt for
# tsan): prebuilt builds the kernels library of the normal build in build/
# (tools/build.sh, same commit) and links it uninstrumented, which saves the
# hour a sanitized build of every kernel takes; kernel bodies are then not
# checked. Races live in the serving code (each kernel call runs on one
# thread or splits its work over Eigen's pool); memory errors in kernels are
# what the asan mode with instrumented kernels is for.
# JOBS (default 2) bounds the build and test parallelism. TARGETS="daemon_test
# model_server" builds only those targets (and what they need); pass
# "-E NOT_BUILT" then, so ctest skips the test binaries that were not built.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
shift || true
jobs=${JOBS:-2}
# GCC 12 reports false positives inside Eigen under -fsanitize with these
# warnings on; they are not errors in our code.
quiet="-Wno-array-bounds -Wno-stringop-overflow -Wno-maybe-uninitialized"
case "$mode" in
  asan)
    dir=build-asan
    flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$PWD/fuzz/ubsan_suppressions.txt}
    kernels=${KERNELS:-instrumented}
    ;;
  tsan)
    dir=build-tsan
    flags="-fsanitize=thread"
    export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
    kernels=${KERNELS:-prebuilt}
    ;;
  *)
    echo "usage: $0 asan|tsan [ctest arguments...]" >&2
    exit 2
    ;;
esac
prebuilt=""
case "$kernels" in
  prebuilt)
    nice -n 10 tools/build.sh model_server_kernels
    prebuilt=$PWD/${BUILD_DIR:-build}/runtime/libmodel_server_kernels.a
    ;;
  instrumented) ;;
  *)
    echo "KERNELS must be instrumented or prebuilt, not '$kernels'" >&2
    exit 2
    ;;
esac
# -O1 with line tables only: about half the compile time of -O2 -g, still
# fast enough at run time (Eigen at -O0 is not), and every report has file
# and line. The build runs at low priority: the machine is shared.
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMODEL_SERVER_PREBUILT_KERNELS="$prebuilt" \
  -DMODEL_SERVER_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DCMAKE_CXX_FLAGS="$flags -fno-omit-frame-pointer $quiet" \
  -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags"
nice -n 10 cmake --build "$dir" -j"$jobs" ${TARGETS:+--target $TARGETS}
cd "$dir"
# Sanitized code runs several times slower: allow longer per test.
ctest --output-on-failure --timeout 1800 -j"$jobs" "$@"
