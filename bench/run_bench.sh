#!/usr/bin/env bash
# run_bench.sh: our daemon against the bare gRPC echo server, side by side.
#
# Usage:
#   bench/run_bench.sh BUILD_DIR [--model_dir=DIR] [--seconds=5]
#       [--warmup_seconds=1] [--shapes="1 1000"] [--concurrency="1 32"]
#       [--payload=typed|content] [--echo_only] [--tfserving=127.0.0.1:PORT]
#       [--examples="1 100"] [--json_out=FILE]
#
# Builds nothing: BUILD_DIR must hold bench/echo_server, bench/load_generator
# and (unless --echo_only) daemon/model_server, e.g. after
#   cmake --build BUILD_DIR --target model_server echo_server load_generator
#
# What it does, all on 127.0.0.1 and bounded in time:
#   1. writes the example model (half_plus_two: y = 0.5 * x + 2) with
#      BUILD_DIR/tools/write_example_model --output_dir=$TMP/half_plus_two/1;
#      --model_dir=DIR copies the version directory DIR instead (e.g.
#      ../shared/models/tfs_half_plus_two_cpu/00000123, which is also the
#      fallback when the tool is not built);
#   2. starts BUILD_DIR/daemon/model_server (TF Serving's flags: --port,
#      --model_name, --model_base_path) and bench/echo_server on free ports
#      and waits until the model answers Predict;
#   3. for each shape and concurrency runs load_generator against the echo
#      server and then the daemon with the same payload (input "x", float);
#   4. for each --examples count and concurrency runs Regress on
#      regress_x_to_y (that many tf.Examples with feature x) against the echo
#      server (which parses the request and answers one zero per example) and
#      the daemon, and Predict with the same rows as a float tensor [N,1]
#      against the daemon ("" skips this part);
#   5. prints tables of QPS, p50 and p99 with the ratios ours/echo (and
#      Regress/Predict), and the daemon's peak RSS (VmHWM) and its idle RSS
#      after the load.
# Child processes are stopped on exit, however the script ends.
#
# --tfserving: TensorFlow Serving itself is not installable here (no PyPI, no
# Docker), so comparisons are against the echo ceiling. Where a TF Serving is
# running on this machine with the same model as "half_plus_two", pass
# --tfserving=127.0.0.1:PORT to add it as a third column (loopback only).
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

BUILD=""
MODEL_DIR=""
SECONDS_PER_RUN=5
WARMUP_SECONDS=1
SHAPES="1 1000"
CONCURRENCY="1 32"
PAYLOAD=typed
ECHO_ONLY=0
TFSERVING=""
JSON_OUT=""
EXAMPLES="1 100"
for arg in "$@"; do
  case "$arg" in
    --model_dir=*) MODEL_DIR="${arg#*=}" ;;
    --seconds=*) SECONDS_PER_RUN="${arg#*=}" ;;
    --warmup_seconds=*) WARMUP_SECONDS="${arg#*=}" ;;
    --shapes=*) SHAPES="${arg#*=}" ;;
    --concurrency=*) CONCURRENCY="${arg#*=}" ;;
    --payload=*) PAYLOAD="${arg#*=}" ;;
    --echo_only) ECHO_ONLY=1 ;;
    --tfserving=*) TFSERVING="${arg#*=}" ;;
    --json_out=*) JSON_OUT="${arg#*=}" ;;
    --examples=*) EXAMPLES="${arg#*=}" ;;
    -h|--help) usage; exit 0 ;;
    --*) echo "run_bench.sh: unknown flag $arg (see --help)" >&2; exit 2 ;;
    *)
      if [[ -n "$BUILD" ]]; then
        echo "run_bench.sh: one BUILD_DIR only (got '$BUILD' and '$arg')" >&2
        exit 2
      fi
      BUILD="$arg" ;;
  esac
done
if [[ -z "$BUILD" ]]; then
  usage >&2
  exit 2
fi
BUILD="$(cd "$BUILD" && pwd)"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ECHO_SERVER="$BUILD/bench/echo_server"
LOAD="$BUILD/bench/load_generator"
DAEMON="$BUILD/daemon/model_server"
WRITE_MODEL="$BUILD/tools/write_example_model"
SHARED_MODEL="$SCRIPT_DIR/../../shared/models/tfs_half_plus_two_cpu/00000123"
MODEL_NAME=half_plus_two

for tool in "$ECHO_SERVER" "$LOAD"; do
  if [[ ! -x "$tool" ]]; then
    echo "run_bench.sh: $tool is missing; build it first:" >&2
    echo "  cmake --build $BUILD --target echo_server load_generator -j2" >&2
    exit 1
  fi
done

TMP="$(mktemp -d /tmp/model_server_bench.XXXXXX)"
CHILDREN=()
LOAD_PID=""
cleanup() {
  local pid
  if [[ -n "$LOAD_PID" ]]; then
    kill -TERM "$LOAD_PID" 2>/dev/null || true
    wait "$LOAD_PID" 2>/dev/null || true
  fi
  for pid in "${CHILDREN[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${CHILDREN[@]}"; do
    # Up to 5 s for a clean drain, then force.
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# free_port, json_field, proc_kib. The servers refuse a taken port
# (SO_REUSEPORT off), so a race is loud.
# shellcheck source=bench/bench_lib.sh
source "$SCRIPT_DIR/bench_lib.sh"

# ---- the model ------------------------------------------------------------
HAVE_DAEMON=0
if [[ "$ECHO_ONLY" == 0 ]]; then
  if [[ ! -x "$DAEMON" ]]; then
    echo "note: $DAEMON is not built; running the echo server alone" \
         "(cmake --build $BUILD --target model_server)" >&2
  else
    mkdir -p "$TMP/$MODEL_NAME"
    if [[ -n "$MODEL_DIR" ]]; then
      cp -r "$MODEL_DIR" "$TMP/$MODEL_NAME/1"
      echo "model: copied $MODEL_DIR"
      HAVE_DAEMON=1
    elif [[ -x "$WRITE_MODEL" ]]; then
      "$WRITE_MODEL" --output_dir="$TMP/$MODEL_NAME/1" >"$TMP/write_model.log" 2>&1 || {
        cat "$TMP/write_model.log" >&2
        echo "run_bench.sh: $WRITE_MODEL failed" >&2
        exit 1
      }
      echo "model: written by $WRITE_MODEL"
      HAVE_DAEMON=1
    elif [[ -d "$SHARED_MODEL" ]]; then
      cp -r "$SHARED_MODEL" "$TMP/$MODEL_NAME/1"
      echo "model: $WRITE_MODEL is not built; copied $SHARED_MODEL"
      HAVE_DAEMON=1
    else
      echo "note: no example model ($WRITE_MODEL not built, no --model_dir," \
           "no $SHARED_MODEL); running the echo server alone" >&2
    fi
  fi
fi

# ---- the servers ------------------------------------------------------------
ECHO_PORT=$(free_port)
"$ECHO_SERVER" --port="$ECHO_PORT" >"$TMP/echo_server.log" 2>&1 &
ECHO_PID=$!
CHILDREN+=("$ECHO_PID")

# wait_ready NAME PID TARGET: until one Predict succeeds (30 s at most).
wait_ready() {
  local name=$1 pid=$2 target=$3 log=$4
  for _ in $(seq 60); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run_bench.sh: $name exited early; its log:" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    if "$LOAD" --target="$target" --model_name="$MODEL_NAME" --seconds=0.05 \
         --warmup_seconds=0 --timeout_ms=2000 >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  echo "run_bench.sh: $name at $target did not answer Predict in 30 s; log:" >&2
  tail -n 30 "$log" >&2
  exit 1
}

wait_ready echo_server "$ECHO_PID" "127.0.0.1:$ECHO_PORT" "$TMP/echo_server.log"

SERVERS=(echo)
declare -A TARGET=([echo]="127.0.0.1:$ECHO_PORT")
if [[ "$HAVE_DAEMON" == 1 ]]; then
  DAEMON_PORT=$(free_port)
  while [[ "$DAEMON_PORT" == "$ECHO_PORT" ]]; do DAEMON_PORT=$(free_port); done
  "$DAEMON" --port="$DAEMON_PORT" --model_name="$MODEL_NAME" \
      --model_base_path="$TMP/$MODEL_NAME" >"$TMP/model_server.log" 2>&1 &
  DAEMON_PID=$!
  CHILDREN+=("$DAEMON_PID")
  wait_ready model_server "$DAEMON_PID" "127.0.0.1:$DAEMON_PORT" \
      "$TMP/model_server.log"
  SERVERS+=(ours)
  TARGET[ours]="127.0.0.1:$DAEMON_PORT"
  LOADED_RSS=$(proc_kib "$DAEMON_PID" VmRSS)
fi
if [[ -n "$TFSERVING" ]]; then
  SERVERS+=(tfserving)
  TARGET[tfserving]="$TFSERVING"
fi

# ---- the load ---------------------------------------------------------------
# Client and servers share the machine's cores; anything else running skews
# the numbers, so say so.
LOAD_AVG=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$LOAD_AVG" 'BEGIN { exit !(l > 0.5) }'; then
  echo "warning: load average is $LOAD_AVG before the run; other processes" \
       "compete for the cores and the numbers will be noisy" >&2
fi
RESULTS="$TMP/results.jsonl"
: >"$RESULTS"
declare -A QPS P50 P99 ERR
# run_load KEY SERVER LOAD_FLAGS...: one load_generator run, results under KEY.
run_load() {
  local key=$1 server=$2
  shift 2
  # In the background so that a signal interrupts `wait` at once.
  "$LOAD" --target="${TARGET[$server]}" --model_name="$MODEL_NAME" \
      --payload="$PAYLOAD" --seconds="$SECONDS_PER_RUN" \
      --warmup_seconds="$WARMUP_SECONDS" --label="$server" "$@" \
      >"$TMP/load.out" 2>"$TMP/load.err" &
  LOAD_PID=$!
  wait "$LOAD_PID" || true
  LOAD_PID=""
  local line json human
  line=$(cat "$TMP/load.out")
  json=$(grep '^{' <<<"$line" || true)
  human=$(grep -v '^{' <<<"$line" || true)
  if [[ -z "$json" ]]; then
    echo "run_bench.sh: load_generator failed against $server:" >&2
    cat "$TMP/load.err" >&2
    exit 1
  fi
  echo "$human"
  echo "$json" >>"$RESULTS"
  QPS[$key]=$(json_field "$json" qps)
  P50[$key]=$(json_field "$json" p50_us)
  P99[$key]=$(json_field "$json" p99_us)
  ERR[$key]=$(json_field "$json" errors)
}

for shape in $SHAPES; do
  for conc in $CONCURRENCY; do
    for server in "${SERVERS[@]}"; do
      run_load "$shape/$conc/$server" "$server" --shape="$shape" \
          --concurrency="$conc"
    done
  done
done

# Regress on tf.Examples: echo and ours, plus ours' Predict on the same rows.
if [[ "$HAVE_DAEMON" == 1 ]]; then
  for n in $EXAMPLES; do
    for conc in $CONCURRENCY; do
      for server in echo ours; do
        run_load "regress/$n/$conc/$server" "$server" --method=regress \
            --signature_name=regress_x_to_y --examples="$n" \
            --concurrency="$conc"
      done
      run_load "regress/$n/$conc/predict" ours --shape="$n,1" \
          --concurrency="$conc"
    done
  done
fi

# ---- memory -----------------------------------------------------------------
if [[ "$HAVE_DAEMON" == 1 ]]; then
  PEAK_RSS=$(proc_kib "$DAEMON_PID" VmHWM)
  sleep 2
  IDLE_RSS=$(proc_kib "$DAEMON_PID" VmRSS)
fi
ECHO_PEAK_RSS=$(proc_kib "$ECHO_PID" VmHWM)

# ---- the table --------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
echo
echo "payload=$PAYLOAD, ${SECONDS_PER_RUN}s per run after ${WARMUP_SECONDS}s warm-up," \
     "input x float; latencies in microseconds; $(nproc) cores," \
     "load average $LOAD_AVG before the run"
header=$(printf '%-8s %5s' shape conc)
for server in "${SERVERS[@]}"; do
  header+=$(printf ' | %9s %8s %8s' "$server QPS" p50 p99)
done
if [[ " ${SERVERS[*]} " == *" ours "* ]]; then
  header+=$(printf ' | %9s %9s' "QPS o/e" "p99 o/e")
fi
echo "$header"
for shape in $SHAPES; do
  for conc in $CONCURRENCY; do
    row=$(printf '%-8s %5s' "[$shape]" "$conc")
    for server in "${SERVERS[@]}"; do
      key="$shape/$conc/$server"
      errors=""
      [[ "${ERR[$key]}" != 0 ]] && errors=" (${ERR[$key]} errors)"
      row+=$(printf ' | %9.0f %8.0f %8.0f' "${QPS[$key]}" "${P50[$key]}" \
               "${P99[$key]}")
      row+="$errors"
    done
    if [[ " ${SERVERS[*]} " == *" ours "* ]]; then
      row+=$(printf ' | %9s %9s' \
               "$(ratio "${QPS[$shape/$conc/ours]}" "${QPS[$shape/$conc/echo]}")" \
               "$(ratio "${P99[$shape/$conc/ours]}" "${P99[$shape/$conc/echo]}")")
    fi
    echo "$row"
  done
done
echo
if [[ "$HAVE_DAEMON" == 1 ]]; then
  echo "model_server RSS: ${LOADED_RSS} kB loaded before load," \
       "peak (VmHWM) ${PEAK_RSS} kB, idle 2 s after load ${IDLE_RSS} kB"
else
  echo "model_server: not run (see the note above)"
fi
if [[ "$HAVE_DAEMON" == 1 && -n "$EXAMPLES" ]]; then
  echo
  echo "Regress on regress_x_to_y with N tf.Examples (feature x); 'predict' is" \
       "the daemon's Predict on the same N rows as a float [N,1] tensor"
  printf '%-8s %5s | %9s %8s %8s | %9s %8s %8s | %9s %8s | %9s %9s %9s\n' \
      examples conc "echo QPS" p50 p99 "ours QPS" p50 p99 "pred QPS" p99 \
      "QPS o/e" "p99 o/e" "QPS r/p"
  for n in $EXAMPLES; do
    for conc in $CONCURRENCY; do
      k="regress/$n/$conc"
      printf '%-8s %5s | %9.0f %8.0f %8.0f | %9.0f %8.0f %8.0f | %9.0f %8.0f | %9s %9s %9s\n' \
          "$n" "$conc" "${QPS[$k/echo]}" "${P50[$k/echo]}" "${P99[$k/echo]}" \
          "${QPS[$k/ours]}" "${P50[$k/ours]}" "${P99[$k/ours]}" \
          "${QPS[$k/predict]}" "${P99[$k/predict]}" \
          "$(ratio "${QPS[$k/ours]}" "${QPS[$k/echo]}")" \
          "$(ratio "${P99[$k/ours]}" "${P99[$k/echo]}")" \
          "$(ratio "${QPS[$k/ours]}" "${QPS[$k/predict]}")"
      for server in echo ours predict; do
        if [[ "${ERR[$k/$server]}" != 0 ]]; then
          echo "  ($server: ${ERR[$k/$server]} errors)"
        fi
      done
    done
  done
  echo
fi
echo "echo_server peak RSS (VmHWM): ${ECHO_PEAK_RSS} kB"
if [[ -n "$JSON_OUT" ]]; then
  cp "$RESULTS" "$JSON_OUT"
  echo "raw results: $JSON_OUT"
fi
