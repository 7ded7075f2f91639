#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/, docs/fuzzing.md) for SECONDS each,
# one or two at a time, after building them with clang in build-fuzz/.
#
# Usage: tools/run_fuzzers.sh [seconds] [target...]
#   seconds  per target (default 600); targets default to all of them.
# Environment:
#   JOBS             targets run at once and build parallelism (default 2)
#   FUZZ_KERNELS     a prebuilt libmodel_server_kernels.a (e.g. from build/)
#                    to link instead of compiling every kernel with clang
#                    (cmake/Fuzzing.cmake says what that trades)
#   FUZZ_OUT         where corpora, logs and findings go (default
#                    build-fuzz/runs)
#   FUZZ_NICE        the fuzzers' nice level (default 10)
#   FUZZ_NO_BUILD=1  run what build-fuzz/ holds, without configuring or
#                    building (e.g. while other targets are still building)
# Each target's corpus (FUZZ_OUT/<target>/corpus) starts from the seeds
# make_seeds.sh generates from ../shared plus fuzz/seeds/<target> and
# fuzz/regressions/<target>, and grows across runs. Crashes, leaks and
# timeouts land in FUZZ_OUT/<target>/ as crash-*, leak-*, timeout-*: minimize
# one with `<binary> -minimize_crash=1 -runs=10000 <file>`, add it under
# fuzz/regressions/<target>/ and fix the bug. Prints each target's
# executions, coverage and findings at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
jobs=${JOBS:-2}
all_targets=(tensor_proto tensor_bundle example image_decode model_config
             saved_model graph_def warmup rest_json)
targets=("${@:-${all_targets[@]}}")
out=$(realpath -m "${FUZZ_OUT:-build-fuzz/runs}")

if [[ -z ${FUZZ_NO_BUILD:-} ]]; then
  tools/install_deps.sh --fuzz
  kernels=${FUZZ_KERNELS:+$(realpath "$FUZZ_KERNELS")}
  cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release \
    -DMODEL_SERVER_FUZZ=ON -DMODEL_SERVER_BUILD_TESTS=OFF \
    -DMODEL_SERVER_BUILD_BENCH=OFF \
    -DMODEL_SERVER_PREBUILT_KERNELS="${kernels:-}" >/dev/null
  cmake --build build-fuzz -j"$jobs" --target "${targets[@]/%/_fuzz}"
fi

# Generated once per FUZZ_OUT (delete $out/seeds to regenerate).
seeds=$out/seeds
if [[ ! -d $seeds ]]; then
  fuzz/make_seeds.sh "$(command -v protoc)" "$PWD" "$PWD/../shared" "$seeds.tmp"
  mv "$seeds.tmp" "$seeds"
fi

run_one() {
  local t=$1 dir=$out/$1 extra=()
  mkdir -p "$dir/corpus"
  for d in "$seeds/$t" "fuzz/seeds/$t" "fuzz/regressions/$t"; do
    [[ -d $d ]] && extra+=("$(realpath "$d")")
  done
  # A model or TensorProto of a few bytes may declare a zero-filled tensor
  # of gigabytes (TensorFlow's splat constants): allocations past 256 MiB
  # fail (as on a server short of memory) and must be refused cleanly.
  # -timeout: a single input running longer is a finding (a hang).
  # Targets write their inputs out as model files: tmpfs when there is one.
  local tmp=/dev/shm
  [[ -d $tmp && -w $tmp ]] || tmp=${TMPDIR:-/tmp}
  (cd "$dir" && TMPDIR=$tmp \
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:max_allocation_size_mb=256 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$OLDPWD/fuzz/ubsan_suppressions.txt \
    nice -n "${FUZZ_NICE:-10}" "$OLDPWD/build-fuzz/fuzz/${t}_fuzz" \
      -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 \
      -max_len=262144 -print_final_stats=1 -print_funcs=0 \
      corpus "${extra[@]}" > fuzz.log 2>&1) || true
}

running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if (( running >= jobs )); then wait -n || true; running=$((running - 1)); fi
done
wait

printf '%-14s %12s %8s %8s  %s\n' target executions cov ft findings
for t in "${targets[@]}"; do
  log=$out/$t/fuzz.log
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  last=$(grep -E '#[0-9]+.*cov:' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo "?")
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo "?")
  findings=$(cd "$out/$t" && ls crash-* leak-* timeout-* oom-* 2>/dev/null | tr '\n' ' ' || true)
  printf '%-14s %12s %8s %8s  %s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${findings:-none}"
done
