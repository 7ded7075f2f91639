#!/usr/bin/env bash
# Is an AVX-512 variant of our kernels worth building? Compiles
# bench/avx512_probe.cc (plain Eigen, the code our kernels are made of) for
# x86-64-v3 (the portable default) and x86-64-v4 (AVX-512), runs both
# interleaved ROUNDS times (default 7) pinned to one core, and prints the
# best time of each case with the ratio v4 / v3. Writes the table to
# bench/results/avx512_probe.md. Needs a CPU with AVX-512; measures, asserts
# nothing. Takes about a minute.
#
# Usage: bench/avx512_probe.sh [--rounds=N]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=7
for arg in "$@"; do
  case "$arg" in
    --rounds=*) ROUNDS=${arg#*=} ;;
    *) echo "usage: $0 [--rounds=N]" >&2; exit 2 ;;
  esac
done
if ! grep -qw avx512f /proc/cpuinfo; then
  echo "this CPU has no AVX-512: nothing to compare" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for arch in x86-64-v3 x86-64-v4; do
  g++ -std=c++17 -O3 -DNDEBUG -march="$arch" -isystem /usr/include/eigen3 \
    bench/avx512_probe.cc -o "$work/probe-$arch"
done
for ((round = 1; round <= ROUNDS; round++)); do
  for arch in x86-64-v3 x86-64-v4; do
    taskset -c 0 "$work/probe-$arch" | sed "s/^/$arch /" >>"$work/runs.txt"
  done
done

python3 - "$work/runs.txt" "$ROUNDS" <<'PY' | tee bench/results/avx512_probe.md
import collections, subprocess, sys
best = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    arch, case, micros = line.split()
    best[case][arch] = min(float(micros), best[case].get(arch, float("inf")))
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                     capture_output=True, text=True).stdout.strip()
load = open("/proc/loadavg").read().split()[0]
print("# Eigen with AVX-512 (x86-64-v4) against the portable default (x86-64-v3)\n")
print(f"CPU: {cpu}; one core; best of {sys.argv[2]} interleaved rounds; "
      f"load average {load}; `bench/avx512_probe.sh`.\n")
print("| case | x86-64-v3 (µs) | x86-64-v4 (µs) | v4 / v3 |")
print("|---|---|---|---|")
for case, by_arch in best.items():
    v3, v4 = by_arch["x86-64-v3"], by_arch["x86-64-v4"]
    print(f"| {case} | {v3:.1f} | {v4:.1f} | {v4 / v3:.2f} |")
print("\nA ratio below 1 means AVX-512 is faster.")
PY
