#!/usr/bin/env bash
# load_big_model.sh: loading a generated ~1 GB SavedModel against reading its
# files, cold and warm page cache, and the daemon's peak RSS against the
# weights; written to a results file.
#
# Usage:
#   bench/load_big_model.sh BUILD_DIR [--megabytes=1024] [--variables=64]
#       [--rounds=3] [--baseline_daemon=PATH] [--out=bench/results/loading.md]
#
# Builds nothing: BUILD_DIR must hold daemon/model_server, bench/cold_start
# and bench/write_big_model. The model is written under /tmp at the start
# and removed at the end (never committed).
#
# Each round, in this order, cold then warm:
#   read:  cat of every file of the version directory to /dev/null;
#   load:  bench/cold_start: exec of the daemon to its first successful
#          Predict, and the daemon's VmHWM (peak RSS) at that moment;
#   base:  the same with --baseline_daemon (e.g. main's binary), if given.
# "Cold" drops the page cache first (echo 3 > /proc/sys/vm/drop_caches,
# which needs root; without it only warm runs are made and the file says
# so). The table has the medians over rounds, load/read ratios, and peak
# RSS / weights.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/bench_lib.sh
source "$SCRIPT_DIR/bench_lib.sh"

BUILD=""
MEGABYTES=1024
VARIABLES=64
ROUNDS=3
BASELINE=""
OUT="$SCRIPT_DIR/results/loading.md"
for arg in "$@"; do
  case "$arg" in
    --megabytes=*) MEGABYTES="${arg#*=}" ;;
    --variables=*) VARIABLES="${arg#*=}" ;;
    --rounds=*) ROUNDS="${arg#*=}" ;;
    --baseline_daemon=*) BASELINE="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    -h|--help) usage; exit 0 ;;
    --*) echo "load_big_model.sh: unknown flag $arg (see --help)" >&2; exit 2 ;;
    *) BUILD="$arg" ;;
  esac
done
if [[ -z "$BUILD" ]]; then usage >&2; exit 2; fi
BUILD="$(cd "$BUILD" && pwd)"
DAEMON="$BUILD/daemon/model_server"
COLD="$BUILD/bench/cold_start"
for tool in "$DAEMON" "$COLD" "$BUILD/bench/write_big_model" \
            ${BASELINE:+"$BASELINE"}; do
  if [[ ! -x "$tool" ]]; then
    echo "load_big_model.sh: $tool is missing; build it first" >&2
    exit 1
  fi
done

bench_init
MODEL_DIR="$BENCH_TMP/big"
"$BUILD/bench/write_big_model" --output_dir="$MODEL_DIR/1" \
    --megabytes="$MEGABYTES" --variables="$VARIABLES"
WEIGHT_BYTES=$(stat -c %s "$MODEL_DIR"/1/variables/variables.data-* |
               awk '{ s += $1 } END { print s }')
FILE_BYTES=$(find "$MODEL_DIR/1" -type f -printf '%s\n' |
             awk '{ s += $1 } END { print s }')

CAN_DROP=0
if (echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then CAN_DROP=1; fi
CACHES=(warm)
if [[ "$CAN_DROP" == 1 ]]; then CACHES=(cold warm); fi

now_ms() { date +%s%N | awk '{ printf "%.1f", $1 / 1e6 }'; }
read_files_ms() {
  local start end
  start=$(now_ms)
  find "$MODEL_DIR/1" -type f -exec cat {} + >/dev/null
  end=$(now_ms)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}
# load_once DAEMON -> "ms hwm_kib cpu_ms"
load_once() {
  local line
  line=$("$COLD" --runs=1 --model_name=big --input=x --input_shape=1,4096 -- \
           "$1" --model_name=big --model_base_path="$MODEL_DIR" | grep summary)
  echo "$(json_field "$line" median_ms) $(json_field "$line" median_hwm_kib)" \
       "$(json_field "$line" median_cpu_ms)"
}

UPTIME_BEFORE=$(uptime)
echo "before: $UPTIME_BEFORE"
declare -A READ LOAD HWM CPU
KINDS=(ours)
if [[ -n "$BASELINE" ]]; then KINDS+=(base); fi
for round in $(seq "$ROUNDS"); do
  for cache in "${CACHES[@]}"; do
    [[ "$cache" == cold ]] && sync && echo 3 >/proc/sys/vm/drop_caches
    READ[$cache]+=" $(read_files_ms)"
    for kind in "${KINDS[@]}"; do
      daemon=$DAEMON
      [[ "$kind" == base ]] && daemon=$BASELINE
      [[ "$cache" == cold ]] && echo 3 >/proc/sys/vm/drop_caches
      read -r ms hwm cpu <<<"$(load_once "$daemon")"
      LOAD[$kind/$cache]+=" $ms"
      CPU[$kind/$cache]+=" $cpu"
      HWM[$kind/$cache]+=" $hwm"
    done
    echo "round $round $cache: read ${READ[$cache]##* } ms," \
         "load ${LOAD[ours/$cache]##* } ms, VmHWM ${HWM[ours/$cache]##* } kB"
  done
done
UPTIME_AFTER=$(uptime)
echo "after: $UPTIME_AFTER"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
mkdir -p "$(dirname "$OUT")"
{
  echo "# Loading a ${MEGABYTES} MiB SavedModel"
  echo
  echo "Written by \`bench/load_big_model.sh\` (commit" \
       "$(git -C "$SCRIPT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
       "$(date -u '+%Y-%m-%d %H:%M UTC')); $(nproc) cores."
  echo "Model: $VARIABLES resource variables of float [rows, 4096] in one data" \
       "shard, written by \`bench/write_big_model\`; weights $WEIGHT_BYTES bytes" \
       "($(mib $((WEIGHT_BYTES / 1024))) MiB), all files $FILE_BYTES bytes."
  echo "Read: \`cat\` of every file to /dev/null. Load: exec of the daemon to" \
       "its first successful Predict (bench/cold_start); daemon CPU: its user +" \
       "system time up to then, all threads. Medians of $ROUNDS" \
       "rounds, interleaved."
  if [[ "$CAN_DROP" == 0 ]]; then
    echo "The page cache could not be dropped (not root): warm runs only."
  fi
  echo
  echo "- uptime before: \`$UPTIME_BEFORE\`"
  echo "- uptime after: \`$UPTIME_AFTER\`"
  [[ -n "$BASELINE" ]] && echo "- baseline: \`$BASELINE\` in the same rounds"
  echo
  echo "| daemon | page cache | read files ms | load ms | load / read | daemon CPU ms | peak RSS (VmHWM) MiB | peak RSS / weights |"
  echo "|---|---|---|---|---|---|---|---|"
  for kind in "${KINDS[@]}"; do
    for cache in "${CACHES[@]}"; do
      # shellcheck disable=SC2086
      {
        r=$(median ${READ[$cache]}); l=$(median ${LOAD[$kind/$cache]})
        h=$(median ${HWM[$kind/$cache]}); c=$(median ${CPU[$kind/$cache]})
      }
      echo "| $kind | $cache | $r | $l | $(ratio "$l" "$r") | $c | $(mib "$h") |" \
           "$(ratio "$((h * 1024))" "$WEIGHT_BYTES") |"
    done
  done
} >"$OUT.new"
mv "$OUT.new" "$OUT"
cat "$OUT"
