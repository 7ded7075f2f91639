#!/usr/bin/env bash
# serving_overhead.sh: Predict on half_plus_two against the bare gRPC echo
# server with the same payload, interleaved, written to a results file.
#
# Usage:
#   bench/serving_overhead.sh BUILD_DIR [--rounds=3] [--seconds=2]
#       [--warmup_seconds=0.5] [--concurrency="1 8 32 64"] [--shape=1]
#       [--baseline_daemon=PATH] [--out=bench/results/serving_overhead.md]
#
# Builds nothing: BUILD_DIR must hold bench/echo_server, bench/load_generator,
# daemon/model_server and tools/write_example_model, e.g. after
#   cmake --build BUILD_DIR -j2 --target model_server echo_server \
#       load_generator write_example_model
#
# Starts, on 127.0.0.1: the echo server; the daemon serving half_plus_two
# (written by write_example_model); a second daemon with
# --enable_serialization_as_tensor_content; and with --baseline_daemon a
# third daemon from another binary (e.g. a copy of main's model_server) so
# that before/after is measured in the same interleaved run. Two payloads:
#   typed:   the request's x in float_val; responses in float_val (echo
#            returns the request's tensor, the daemon writes float_val);
#   content: x in tensor_content; the daemon with the flag answers in
#            tensor_content too (the baseline binary may not know the flag:
#            it answers in float_val).
# For each round, each concurrency, every (server, payload) pair runs once,
# in an order that rotates each round, so that whatever else the shared
# machine does falls on all of them alike. The tables hold the median over
# rounds of QPS, p50 and p99, the ratios ours/echo, and each server's CPU
# time per request (user + system of all its threads, /proc/PID/stat, over
# the run's requests including warm-up): the figure least disturbed by other
# processes on a shared machine. `uptime` before and after goes in the file.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/bench_lib.sh
source "$SCRIPT_DIR/bench_lib.sh"

BUILD=""
ROUNDS=3
SECONDS_PER_RUN=2
WARMUP_SECONDS=0.5
CONCURRENCY="1 8 32 64"
SHAPE=1
BASELINE=""
OUT="$SCRIPT_DIR/results/serving_overhead.md"
for arg in "$@"; do
  case "$arg" in
    --rounds=*) ROUNDS="${arg#*=}" ;;
    --seconds=*) SECONDS_PER_RUN="${arg#*=}" ;;
    --warmup_seconds=*) WARMUP_SECONDS="${arg#*=}" ;;
    --concurrency=*) CONCURRENCY="${arg#*=}" ;;
    --shape=*) SHAPE="${arg#*=}" ;;
    --baseline_daemon=*) BASELINE="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    -h|--help) usage; exit 0 ;;
    --*) echo "serving_overhead.sh: unknown flag $arg (see --help)" >&2; exit 2 ;;
    *) BUILD="$arg" ;;
  esac
done
if [[ -z "$BUILD" ]]; then usage >&2; exit 2; fi
BUILD="$(cd "$BUILD" && pwd)"
LOAD="$BUILD/bench/load_generator"
for tool in "$BUILD/bench/echo_server" "$LOAD" "$BUILD/daemon/model_server" \
            "$BUILD/tools/write_example_model" ${BASELINE:+"$BASELINE"}; do
  if [[ ! -x "$tool" ]]; then
    echo "serving_overhead.sh: $tool is missing; build it first" >&2
    exit 1
  fi
done

bench_init
MODEL=half_plus_two
"$BUILD/tools/write_example_model" --output_dir="$BENCH_TMP/$MODEL/1" \
    >"$BENCH_TMP/write_model.log" 2>&1

declare -A TARGET SERVER_PID
start_server() {  # start_server NAME CMD ARGS... (the port is appended)
  local name=$1 port
  shift
  port=$(free_port)
  start_child "$BENCH_TMP/$name.log" "$@" --port="$port"
  wait_predict "$name" "$CHILD_PID" "127.0.0.1:$port" "$BENCH_TMP/$name.log" \
      "$MODEL" "$LOAD"
  TARGET[$name]="127.0.0.1:$port"
  SERVER_PID[$name]=$CHILD_PID
}
DAEMON_FLAGS=(--model_name="$MODEL" --model_base_path="$BENCH_TMP/$MODEL")
start_server echo "$BUILD/bench/echo_server"
start_server ours "$BUILD/daemon/model_server" "${DAEMON_FLAGS[@]}"
start_server ours_tc "$BUILD/daemon/model_server" "${DAEMON_FLAGS[@]}" \
    --enable_serialization_as_tensor_content=true
# (server payload) pairs, interleaved.
PAIRS=("echo typed" "ours typed" "echo content" "ours_tc content")
if [[ -n "$BASELINE" ]]; then
  start_server base "$BASELINE" "${DAEMON_FLAGS[@]}"
  PAIRS+=("base typed" "base content")
fi

UPTIME_BEFORE=$(uptime)
echo "before: $UPTIME_BEFORE"
declare -A QPS P50 P99 CPU
TICK_US=$((1000000 / $(getconf CLK_TCK)))
for round in $(seq "$ROUNDS"); do
  n=${#PAIRS[@]}
  for conc in $CONCURRENCY; do
    for i in $(seq 0 $((n - 1))); do
      pair=${PAIRS[$(((i + round) % n))]}
      server=${pair% *}
      payload=${pair#* }
      ticks_before=$(proc_cpu_ticks "${SERVER_PID[$server]}")
      out=$("$LOAD" --target="${TARGET[$server]}" --model_name="$MODEL" \
              --payload="$payload" --shape="$SHAPE" --concurrency="$conc" \
              --seconds="$SECONDS_PER_RUN" --warmup_seconds="$WARMUP_SECONDS" \
              --label="$server") || {
        echo "load_generator failed against $server: $out" >&2
        exit 1
      }
      json=$(grep '^{' <<<"$out")
      ticks=$(( $(proc_cpu_ticks "${SERVER_PID[$server]}") - ticks_before ))
      key="$server/$payload/$conc"
      QPS[$key]+=" $(json_field "$json" qps)"
      P50[$key]+=" $(json_field "$json" p50_us)"
      P99[$key]+=" $(json_field "$json" p99_us)"
      CPU[$key]+=" $(awk -v t="$ticks" -v us="$TICK_US" \
                     -v n="$(json_field "$json" requests)" \
                     'BEGIN { printf "%.1f", t * us / n }')"
      echo "round $round: $(grep -v '^{' <<<"$out")"
    done
  done
done
UPTIME_AFTER=$(uptime)
echo "after: $UPTIME_AFTER"

fmt() { awk -v v="$1" 'BEGIN { if (v == "-") print "-"; else printf "%.0f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
diff_us() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.0f", a - b }'; }

table() {  # table PAYLOAD OURS_NAME
  local payload=$1 ours=$2 conc e o b
  local header="| in flight | echo QPS | ours QPS | QPS ours/echo | echo p50 | ours p50 | p50 ours−echo | echo p99 | ours p99 | echo CPU µs/req | ours CPU µs/req |"
  local rule="|---|---|---|---|---|---|---|---|---|---|---|"
  if [[ -n "$BASELINE" ]]; then
    header+=" baseline QPS | baseline/echo | baseline p50 − echo | baseline CPU µs/req |"
    rule+="---|---|---|---|"
  fi
  echo "$header"
  echo "$rule"
  for conc in $CONCURRENCY; do
    # shellcheck disable=SC2086
    {
      e=$(median ${QPS[echo/$payload/$conc]}); o=$(median ${QPS[$ours/$payload/$conc]})
      ep50=$(median ${P50[echo/$payload/$conc]}); op50=$(median ${P50[$ours/$payload/$conc]})
      ep99=$(median ${P99[echo/$payload/$conc]}); op99=$(median ${P99[$ours/$payload/$conc]})
    }
    local row="| $conc | $(fmt "$e") | $(fmt "$o") | $(ratio "$o" "$e") | $(fmt "$ep50") | $(fmt "$op50") | $(diff_us "$op50" "$ep50") | $(fmt "$ep99") | $(fmt "$op99") |"
    # shellcheck disable=SC2086
    row+=" $(median ${CPU[echo/$payload/$conc]}) | $(median ${CPU[$ours/$payload/$conc]}) |"
    if [[ -n "$BASELINE" ]]; then
      # shellcheck disable=SC2086
      b=$(median ${QPS[base/$payload/$conc]}); bp50=$(median ${P50[base/$payload/$conc]})
      # shellcheck disable=SC2086
      row+=" $(fmt "$b") | $(ratio "$b" "$e") | $(diff_us "$bp50" "$ep50") | $(median ${CPU[base/$payload/$conc]}) |"
    fi
    echo "$row"
  done
}

mkdir -p "$(dirname "$OUT")"
{
  echo "# Serving overhead: Predict on half_plus_two against the bare gRPC echo"
  echo
  echo "Written by \`bench/serving_overhead.sh\` (commit" \
       "$(git -C "$SCRIPT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
       "$(date -u '+%Y-%m-%d %H:%M UTC'))."
  echo "Input x float of shape [$SHAPE]; $ROUNDS interleaved rounds of" \
       "${SECONDS_PER_RUN} s per run after ${WARMUP_SECONDS} s warm-up;" \
       "medians over rounds; latencies in µs; one gRPC channel per run;" \
       "$(nproc) cores shared by client and servers."
  echo
  echo "- uptime before: \`$UPTIME_BEFORE\`"
  echo "- uptime after: \`$UPTIME_AFTER\`"
  if [[ -n "$BASELINE" ]]; then
    echo "- baseline: \`$BASELINE\` in the same rounds"
  fi
  echo
  echo "## float_val (typed) request and response"
  echo
  table typed ours
  echo
  echo "## tensor_content request; the daemon runs with --enable_serialization_as_tensor_content"
  echo
  table content ours_tc
} >"$OUT.new"
mv "$OUT.new" "$OUT"
cat "$OUT"
