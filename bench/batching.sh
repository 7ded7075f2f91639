#!/usr/bin/env bash
# batching.sh: Predict on the 784-512-256-10 MLP at 32 in flight, with and
# without server-side batching (--enable_batching), interleaved; written to
# a results file.
#
# Usage:
#   bench/batching.sh BUILD_DIR [--model_dir=DIR] [--rounds=3] [--seconds=4]
#       [--concurrency="1 32"] [--max_batch_size=32]
#       [--batch_timeout_micros=1000] [--num_batch_threads=2]
#       [--out=bench/results/batching.md]
#
# Builds nothing: BUILD_DIR must hold daemon/model_server,
# bench/load_generator and (unless --model_dir names an MLP version
# directory with input x float [-1, 784]) bench/write_mlp_model.
#
# Two daemons serve the same MLP: "off" as is, "on" with --enable_batching
# and a batching_parameters_file of the flags above (max_enqueued_batches
# 1000, so that the queue never refuses at this concurrency). Each request
# carries one row (x of shape [1, 784], float_val). Each round runs every
# (daemon, concurrency) pair once, alternating which daemon goes first.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/bench_lib.sh
source "$SCRIPT_DIR/bench_lib.sh"

BUILD=""
MODEL_SRC=""
ROUNDS=3
SECONDS_PER_RUN=4
CONCURRENCY="1 32"
MAX_BATCH=32
TIMEOUT_US=1000
BATCH_THREADS=2
OUT="$SCRIPT_DIR/results/batching.md"
for arg in "$@"; do
  case "$arg" in
    --model_dir=*) MODEL_SRC="${arg#*=}" ;;
    --rounds=*) ROUNDS="${arg#*=}" ;;
    --seconds=*) SECONDS_PER_RUN="${arg#*=}" ;;
    --concurrency=*) CONCURRENCY="${arg#*=}" ;;
    --max_batch_size=*) MAX_BATCH="${arg#*=}" ;;
    --batch_timeout_micros=*) TIMEOUT_US="${arg#*=}" ;;
    --num_batch_threads=*) BATCH_THREADS="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    -h|--help) usage; exit 0 ;;
    --*) echo "batching.sh: unknown flag $arg (see --help)" >&2; exit 2 ;;
    *) BUILD="$arg" ;;
  esac
done
if [[ -z "$BUILD" ]]; then usage >&2; exit 2; fi
BUILD="$(cd "$BUILD" && pwd)"
DAEMON="$BUILD/daemon/model_server"
LOAD="$BUILD/bench/load_generator"
for tool in "$DAEMON" "$LOAD"; do
  if [[ ! -x "$tool" ]]; then
    echo "batching.sh: $tool is missing; build it first" >&2
    exit 1
  fi
done

bench_init
MODEL=mlp
if [[ -n "$MODEL_SRC" ]]; then
  mkdir -p "$BENCH_TMP/$MODEL"
  cp -r "$MODEL_SRC" "$BENCH_TMP/$MODEL/1"
  MODEL_NOTE="copied from $MODEL_SRC"
else
  if [[ ! -x "$BUILD/bench/write_mlp_model" ]]; then
    echo "batching.sh: $BUILD/bench/write_mlp_model is missing (or pass" \
         "--model_dir)" >&2
    exit 1
  fi
  "$BUILD/bench/write_mlp_model" --output_dir="$BENCH_TMP/$MODEL/1"
  MODEL_NOTE="written by bench/write_mlp_model (weights as Const)"
fi
cat >"$BENCH_TMP/batching.txt" <<EOF
max_batch_size { value: $MAX_BATCH }
batch_timeout_micros { value: $TIMEOUT_US }
max_enqueued_batches { value: 1000 }
num_batch_threads { value: $BATCH_THREADS }
EOF

declare -A TARGET
for mode in off on; do
  port=$(free_port)
  extra=()
  if [[ "$mode" == on ]]; then
    extra=(--enable_batching=true
           --batching_parameters_file="$BENCH_TMP/batching.txt")
  fi
  start_child "$BENCH_TMP/daemon-$mode.log" "$DAEMON" --port="$port" \
      --model_name="$MODEL" --model_base_path="$BENCH_TMP/$MODEL" "${extra[@]}"
  wait_predict "daemon (batching $mode)" "$CHILD_PID" "127.0.0.1:$port" \
      "$BENCH_TMP/daemon-$mode.log" "$MODEL" "$LOAD" 1,784
  TARGET[$mode]="127.0.0.1:$port"
done

UPTIME_BEFORE=$(uptime)
echo "before: $UPTIME_BEFORE"
declare -A QPS P50 P99 ERRORS
for round in $(seq "$ROUNDS"); do
  order=(off on)
  (( round % 2 == 0 )) && order=(on off)
  for conc in $CONCURRENCY; do
    for mode in "${order[@]}"; do
      out=$("$LOAD" --target="${TARGET[$mode]}" --model_name="$MODEL" \
              --shape=1,784 --concurrency="$conc" \
              --seconds="$SECONDS_PER_RUN" --warmup_seconds=1 \
              --label="batching-$mode") || true
      json=$(grep '^{' <<<"$out" || true)
      if [[ -z "$json" ]]; then
        echo "load_generator failed against batching $mode: $out" >&2
        exit 1
      fi
      QPS[$mode/$conc]+=" $(json_field "$json" qps)"
      P50[$mode/$conc]+=" $(json_field "$json" p50_us)"
      P99[$mode/$conc]+=" $(json_field "$json" p99_us)"
      ERRORS[$mode/$conc]=$(( ${ERRORS[$mode/$conc]:-0} + $(json_field "$json" errors) ))
      echo "round $round: $(grep -v '^{' <<<"$out")"
    done
  done
done
UPTIME_AFTER=$(uptime)
echo "after: $UPTIME_AFTER"

fmt() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mkdir -p "$(dirname "$OUT")"
{
  echo "# Server-side batching on the 784-512-256-10 MLP"
  echo
  echo "Written by \`bench/batching.sh\` (commit" \
       "$(git -C "$SCRIPT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
       "$(date -u '+%Y-%m-%d %H:%M UTC')); $(nproc) cores shared by client" \
       "and daemons."
  echo "Model $MODEL_NOTE; each request one row, x float [1, 784] (float_val)." \
       "Batching: max_batch_size $MAX_BATCH, batch_timeout_micros $TIMEOUT_US," \
       "num_batch_threads $BATCH_THREADS, max_enqueued_batches 1000." \
       "$ROUNDS interleaved rounds of ${SECONDS_PER_RUN} s after 1 s warm-up;" \
       "medians over rounds; latencies in µs."
  echo
  echo "- uptime before: \`$UPTIME_BEFORE\`"
  echo "- uptime after: \`$UPTIME_AFTER\`"
  echo
  echo "| in flight | off QPS | on QPS | QPS on/off | off p50 | on p50 | off p99 | on p99 | p99 on/off | errors off/on |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for conc in $CONCURRENCY; do
    # shellcheck disable=SC2086
    {
      qo=$(median ${QPS[off/$conc]}); qn=$(median ${QPS[on/$conc]})
      po=$(median ${P50[off/$conc]}); pn=$(median ${P50[on/$conc]})
      no=$(median ${P99[off/$conc]}); nn=$(median ${P99[on/$conc]})
    }
    echo "| $conc | $(fmt "$qo") | $(fmt "$qn") | $(ratio "$qn" "$qo") |" \
         "$(fmt "$po") | $(fmt "$pn") | $(fmt "$no") | $(fmt "$nn") |" \
         "$(ratio "$nn" "$no") | ${ERRORS[off/$conc]}/${ERRORS[on/$conc]} |"
  done
} >"$OUT.new"
mv "$OUT.new" "$OUT"
cat "$OUT"
