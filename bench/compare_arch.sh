#!/usr/bin/env bash
# What native tuning buys: builds kernels_bench for the portable default
# (x86-64-v3 on x86-64), for x86-64-v4 (AVX-512) and for -march=native, runs
# them interleaved (ROUNDS times, default 3) on this machine and prints the
# median time per benchmark with ratios to the default. Writes the table to
# bench/results/arch_comparison.md. Measures; asserts nothing.
#
# Usage: bench/compare_arch.sh [--rounds=N] [--filter=REGEX] [--variants=LIST]
#   LIST is comma-separated from default, x86-64-v4 (x86-64 only), native;
#   e.g. --variants=default,native skips the x86-64-v4 build on a CPU where
#   native already means AVX-512.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=3
FILTER=.
VARIANTS=
for arg in "$@"; do
  case "$arg" in
    --rounds=*) ROUNDS=${arg#*=} ;;
    --filter=*) FILTER=${arg#*=} ;;
    --variants=*) VARIANTS=${arg#*=} ;;
    *) echo "usage: $0 [--rounds=N] [--filter=REGEX] [--variants=LIST]" >&2
       exit 2 ;;
  esac
done

variants=(default native)
declare -A cmake_args=([default]="" [native]="-DMODEL_SERVER_NATIVE_ARCH=ON")
if [[ $(uname -m) == x86_64 ]]; then
  variants=(default x86-64-v4 native)
  cmake_args[x86-64-v4]="-DMODEL_SERVER_ARCH=x86-64-v4"
fi
if [[ -n $VARIANTS ]]; then
  IFS=, read -r -a variants <<<"$VARIANTS"
  for v in "${variants[@]}"; do
    [[ -v "cmake_args[$v]" ]] || { echo "unknown variant: $v" >&2; exit 2; }
  done
  [[ ${variants[0]} == default ]] || { echo "first variant must be default" >&2; exit 2; }
fi

# -Werror changes no generated code; it makes the default variant's compile
# commands those of a developer or CI build, so it reuses their ccache entries.
for v in "${variants[@]}"; do
  # shellcheck disable=SC2086
  cmake -S . -B "build-arch-$v" -DCMAKE_BUILD_TYPE=Release \
    -DMODEL_SERVER_BUILD_TESTS=OFF -DMODEL_SERVER_WERROR=ON \
    ${cmake_args[$v]} >/dev/null
  cmake --build "build-arch-$v" -j"$(nproc)" --target kernels_bench >/dev/null
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((r = 1; r <= ROUNDS; r++)); do
  for v in "${variants[@]}"; do
    echo "round $r/$ROUNDS: $v" >&2
    "build-arch-$v/bench/kernels_bench" --benchmark_filter="$FILTER" \
      --benchmark_format=json --benchmark_min_time=0.5 \
      >"$out/$v.$r.json" 2>/dev/null
  done
done

python3 - "$out" "$ROUNDS" "${variants[@]}" <<'PY' | tee bench/results/arch_comparison.md
import json, statistics, subprocess, sys
out, rounds, variants = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
times = {}
for v in variants:
    for r in range(1, rounds + 1):
        for b in json.load(open(f"{out}/{v}.{r}.json"))["benchmarks"]:
            if b.get("error_occurred"):
                continue
            scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[b.get("time_unit", "ns")]
            times.setdefault(b["name"], {}).setdefault(v, []).append(b["real_time"] * scale)
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                     capture_output=True, text=True).stdout.strip()
load = open("/proc/loadavg").read().split()[0]
print(f"# Kernel time by target architecture\n")
print(f"CPU: {cpu}, {len(open('/proc/cpuinfo').read().split('processor')) - 1} cores; "
      f"load average {load}; median of {rounds} interleaved runs; "
      f"`bench/compare_arch.sh`.\n")
print("| benchmark | " + " | ".join(f"{v} (µs)" for v in variants) + " | " +
      " | ".join(f"{v} / default" for v in variants[1:]) + " |")
print("|---|" + "---|" * (2 * len(variants) - 1))
for name, by_variant in times.items():
    med = {v: statistics.median(by_variant[v]) for v in variants if v in by_variant}
    if "default" not in med:
        continue
    cells = [f"{med[v]:.1f}" if v in med else "-" for v in variants]
    ratios = [f"{med[v] / med['default']:.2f}" if v in med else "-" for v in variants[1:]]
    print(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
print("\nA ratio below 1 means the variant is faster than the portable default.")
PY
