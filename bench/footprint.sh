#!/usr/bin/env bash
# footprint.sh: the daemon's cold start, memory and binary size, per
# allocator, written to a results file.
#
# Usage:
#   bench/footprint.sh BUILD_DIR [--reloads=100] [--cold_runs=7]
#       [--allocators="glibc jemalloc mimalloc"] [--load_seconds=5]
#       [--out=bench/results/footprint.md]
#
# Builds nothing: BUILD_DIR must hold daemon/model_server,
# bench/load_generator, bench/cold_start and tools/write_example_model.
#
# Allocators: "glibc" is the daemon as built (glibc malloc with the daemon's
# own mallopt tuning, daemon/allocator_tuning.cc); "jemalloc" and "mimalloc"
# preload Debian's libjemalloc.so.2 / libmimalloc.so.2 (packages
# libjemalloc2 / libmimalloc2.0, pulled in by libjemalloc-dev /
# libmimalloc-dev); an allocator whose library is absent is skipped.
#
# Per allocator, on half_plus_two (written by write_example_model):
#   1. cold start: bench/cold_start times exec to the first successful
#      Predict, --cold_runs times, allocators interleaved run by run;
#   2. memory: one daemon with the version watcher
#      (--file_system_poll_wait_seconds=1): VmRSS idle after loading, during
#      and after --load_seconds of Predict at 32 in flight (VmHWM is the
#      peak); then --reloads reloads of the model: each step copies the
#      current version directory to the next number and removes the old one,
#      so the watcher loads the new version and unloads the old; VmRSS after
#      10 reloads, half of them and all of them. The allocators' daemons
#      reload side by side (RSS does not depend on the machine's load).
# Binary size: the file, its sections (size(1)) and a stripped copy.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/bench_lib.sh
source "$SCRIPT_DIR/bench_lib.sh"

BUILD=""
RELOADS=100
COLD_RUNS=7
ALLOCATORS="glibc jemalloc mimalloc"
LOAD_SECONDS=5
OUT="$SCRIPT_DIR/results/footprint.md"
for arg in "$@"; do
  case "$arg" in
    --reloads=*) RELOADS="${arg#*=}" ;;
    --cold_runs=*) COLD_RUNS="${arg#*=}" ;;
    --allocators=*) ALLOCATORS="${arg#*=}" ;;
    --load_seconds=*) LOAD_SECONDS="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    -h|--help) usage; exit 0 ;;
    --*) echo "footprint.sh: unknown flag $arg (see --help)" >&2; exit 2 ;;
    *) BUILD="$arg" ;;
  esac
done
if [[ -z "$BUILD" ]]; then usage >&2; exit 2; fi
BUILD="$(cd "$BUILD" && pwd)"
DAEMON="$BUILD/daemon/model_server"
LOAD="$BUILD/bench/load_generator"
COLD="$BUILD/bench/cold_start"
for tool in "$DAEMON" "$LOAD" "$COLD" "$BUILD/tools/write_example_model"; do
  if [[ ! -x "$tool" ]]; then
    echo "footprint.sh: $tool is missing; build it first" >&2
    exit 1
  fi
done

declare -A PRELOAD=([glibc]="" \
  [jemalloc]=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 \
  [mimalloc]=/usr/lib/x86_64-linux-gnu/libmimalloc.so.2)
USED=()
for a in $ALLOCATORS; do
  if [[ -z "${PRELOAD[$a]+x}" ]]; then
    echo "footprint.sh: unknown allocator $a" >&2
    exit 2
  fi
  if [[ -n "${PRELOAD[$a]}" && ! -e "${PRELOAD[$a]}" ]]; then
    echo "note: ${PRELOAD[$a]} is absent (apt-get install lib$a-dev): $a skipped" >&2
    continue
  fi
  USED+=("$a")
done

bench_init
MODEL=half_plus_two
"$BUILD/tools/write_example_model" --output_dir="$BENCH_TMP/model/1" \
    >"$BENCH_TMP/write_model.log" 2>&1
with_allocator() {  # with_allocator NAME CMD ARGS...
  local a=$1
  shift
  if [[ -n "${PRELOAD[$a]}" ]]; then
    LD_PRELOAD="${PRELOAD[$a]}" "$@"
  else
    "$@"
  fi
}

UPTIME_BEFORE=$(uptime)
echo "before: $UPTIME_BEFORE"

# ---- 1. cold start, interleaved ---------------------------------------------
declare -A COLD_MS COLD_RSS COLD_CPU
for a in "${USED[@]}"; do
  mkdir -p "$BENCH_TMP/cold-$a"
  cp -r "$BENCH_TMP/model/1" "$BENCH_TMP/cold-$a/1"
done
for run in $(seq "$COLD_RUNS"); do
  for a in "${USED[@]}"; do
    line=$(with_allocator "$a" "$COLD" --runs=1 --model_name="$MODEL" -- \
             "$DAEMON" --model_name="$MODEL" \
             --model_base_path="$BENCH_TMP/cold-$a" | grep summary)
    COLD_MS[$a]+=" $(json_field "$line" median_ms)"
    COLD_RSS[$a]+=" $(json_field "$line" median_rss_kib)"
    COLD_CPU[$a]+=" $(json_field "$line" median_cpu_ms)"
  done
  echo "cold start round $run done"
done

# ---- 2. memory under load and across reloads --------------------------------
declare -A PID PORT BASE RSS_LOADED RSS_LOAD RSS_AFTER_LOAD HWM_LOAD RSS_AT
for a in "${USED[@]}"; do
  BASE[$a]="$BENCH_TMP/watch-$a"
  mkdir -p "${BASE[$a]}"
  cp -r "$BENCH_TMP/model/1" "${BASE[$a]}/1"
  PORT[$a]=$(free_port)
  with_allocator "$a" start_child "$BENCH_TMP/daemon-$a.log" "$DAEMON" \
      --port="${PORT[$a]}" --model_name="$MODEL" \
      --model_base_path="${BASE[$a]}" --file_system_poll_wait_seconds=1
  PID[$a]=$CHILD_PID
  wait_predict "daemon ($a)" "${PID[$a]}" "127.0.0.1:${PORT[$a]}" \
      "$BENCH_TMP/daemon-$a.log" "$MODEL" "$LOAD"
done
sleep 2
for a in "${USED[@]}"; do RSS_LOADED[$a]=$(proc_kib "${PID[$a]}" VmRSS); done
# Under load one daemon at a time (the client needs the cores).
for a in "${USED[@]}"; do
  "$LOAD" --target="127.0.0.1:${PORT[$a]}" --model_name="$MODEL" \
      --concurrency=32 --seconds="$LOAD_SECONDS" --warmup_seconds=0.5 \
      >"$BENCH_TMP/load-$a.out" 2>&1 &
  lp=$!
  sleep "$(awk -v s="$LOAD_SECONDS" 'BEGIN { print s * 0.8 }')"
  RSS_LOAD[$a]=$(proc_kib "${PID[$a]}" VmRSS)
  wait "$lp"
  HWM_LOAD[$a]=$(proc_kib "${PID[$a]}" VmHWM)
done
sleep 2
for a in "${USED[@]}"; do RSS_AFTER_LOAD[$a]=$(proc_kib "${PID[$a]}" VmRSS); done

unloaded() { grep -c "Done unloading servable version" "$1" || true; }
for step in $(seq "$RELOADS"); do
  for a in "${USED[@]}"; do
    cp -r "${BASE[$a]}/$step" "${BASE[$a]}/.next"
    mv "${BASE[$a]}/.next" "${BASE[$a]}/$((step + 1))"
    rm -rf "${BASE[$a]:?}/$step"
  done
  for a in "${USED[@]}"; do
    for _ in $(seq 300); do  # 30 s at most per reload
      [[ $(unloaded "$BENCH_TMP/daemon-$a.log") -ge "$step" ]] && break
      kill -0 "${PID[$a]}" || { echo "daemon ($a) died" >&2; exit 1; }
      sleep 0.1
    done
    if [[ $(unloaded "$BENCH_TMP/daemon-$a.log") -lt "$step" ]]; then
      echo "daemon ($a) did not reload version $step in 30 s" >&2
      tail -n 20 "$BENCH_TMP/daemon-$a.log" >&2
      exit 1
    fi
  done
  if [[ "$step" == 10 || "$step" == $((RELOADS / 2)) || "$step" == "$RELOADS" ]]; then
    for a in "${USED[@]}"; do
      RSS_AT[$a/$step]=$(proc_kib "${PID[$a]}" VmRSS)
    done
    echo "reloads: $step"
  fi
done
for a in "${USED[@]}"; do
  wait_predict "daemon ($a)" "${PID[$a]}" "127.0.0.1:${PORT[$a]}" \
      "$BENCH_TMP/daemon-$a.log" "$MODEL" "$LOAD"
done
UPTIME_AFTER=$(uptime)
echo "after: $UPTIME_AFTER"

# ---- the results ------------------------------------------------------------
mib() { awk -v k="$1" 'BEGIN { if (k == "" || k == "-") print "-"; else printf "%.1f", k / 1024 }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", (b - a) * 100 / a }'; }
STRIPPED="$BENCH_TMP/model_server.stripped"
strip -o "$STRIPPED" "$DAEMON"
HALF=$((RELOADS / 2))
mkdir -p "$(dirname "$OUT")"
{
  echo "# Footprint: cold start, memory, binary size"
  echo
  echo "Written by \`bench/footprint.sh\` (commit" \
       "$(git -C "$SCRIPT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
       "$(date -u '+%Y-%m-%d %H:%M UTC')); half_plus_two; $(nproc) cores."
  echo
  echo "- uptime before: \`$UPTIME_BEFORE\`"
  echo "- uptime after: \`$UPTIME_AFTER\`"
  echo
  echo "## Cold start: exec to the first successful Predict ($COLD_RUNS runs, interleaved)"
  echo
  echo "Wall time depends on how busy the shared cores are; the daemon's own"
  echo "CPU time (user + system, all threads) up to that Predict does much less."
  echo
  echo "| allocator | min ms | median ms | max ms | daemon CPU ms (median) | VmRSS at first Predict (MiB, median) |"
  echo "|---|---|---|---|---|---|"
  for a in "${USED[@]}"; do
    # shellcheck disable=SC2086
    echo "| $a | $(printf '%s\n' ${COLD_MS[$a]} | sort -g | head -1) |" \
         "$(median ${COLD_MS[$a]}) | $(printf '%s\n' ${COLD_MS[$a]} | sort -g | tail -1) |" \
         "$(median ${COLD_CPU[$a]}) |" \
         "$(mib "$(median ${COLD_RSS[$a]})") |"
  done
  echo
  echo "## Memory (VmRSS, MiB)"
  echo
  echo "Loaded and idle; at 80% of ${LOAD_SECONDS} s of Predict at 32 in flight" \
       "(peak: VmHWM); 2 s after the load; after N reloads of the version by" \
       "the version watcher; growth across the reloads from the RSS just" \
       "before them (after load) and from 10 reloads."
  echo
  echo "| allocator | idle | under load | peak | after load | 10 reloads | $HALF reloads | $RELOADS reloads | growth 10→$RELOADS | growth 0→$RELOADS |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for a in "${USED[@]}"; do
    echo "| $a | $(mib "${RSS_LOADED[$a]}") | $(mib "${RSS_LOAD[$a]}") |" \
         "$(mib "${HWM_LOAD[$a]}") | $(mib "${RSS_AFTER_LOAD[$a]}") |" \
         "$(mib "${RSS_AT[$a/10]:-}") | $(mib "${RSS_AT[$a/$HALF]:-}") |" \
         "$(mib "${RSS_AT[$a/$RELOADS]:-}") |" \
         "$(pct "${RSS_AT[$a/10]:-1}" "${RSS_AT[$a/$RELOADS]:-1}") |" \
         "$(pct "${RSS_AFTER_LOAD[$a]}" "${RSS_AT[$a/$RELOADS]:-1}") |"
  done
  echo
  echo "Predict QPS at 32 in flight during the memory run (one daemon at a time):"
  for a in "${USED[@]}"; do
    echo "- $a: $(grep -v '^{' "$BENCH_TMP/load-$a.out" | sed 's/.*: //')"
  done
  echo
  echo "## Binary size"
  echo
  echo "| file | bytes |"
  echo "|---|---|"
  echo "| daemon/model_server as built | $(stat -c %s "$DAEMON") |"
  echo "| stripped | $(stat -c %s "$STRIPPED") |"
  echo
  echo '```'
  size "$DAEMON"
  echo '```'
} >"$OUT.new"
mv "$OUT.new" "$OUT"
cat "$OUT"
