#!/usr/bin/env bash
# Predict latency on one model while another model reloads every second,
# against the same load without reloads.
#
#   bench/multi_model_bench.sh BUILD_DIR [--seconds=60] [--rounds=6]
#        [--concurrency="1 8"] [--reload_model_dir=DIR]
#        [--out=bench/results/multi_model_reload.md]
#
# Serves two models from one daemon (--model_config_file):
#   steady:   the example model half_plus_two (y = 0.5 x + 2), written with
#             BUILD_DIR/tools/write_example_model; the load goes here;
#   reloaded: two copies (versions 1 and 2) of --reload_model_dir (default
#             ../shared/models/arm_openmv_mobilenet/1, a 2.7 MB Keras CNN with
#             ~400 functions, about half a second to load; the example model
#             when that is absent), served with policy specific { versions: V }.
# For each concurrency C it loads "steady" with load_generator (x: float [1],
# C calls in flight) for --seconds in each of three conditions, cut into
# --rounds rounds of one run each (the order of the conditions rotates from
# round to round; each run is 1 s warm-up + seconds/rounds measured) so that
# whatever else the machine does falls on all alike:
#   quiet:   nothing else happens;
#   busy:    a CPU-bound process at nice +10 runs beside the daemon (the
#            control: on a saturated machine with autogroup scheduling, any
#            runnable low-priority thread in the daemon's session speeds its
#            request threads up, so "reloads" is compared with this too);
#   reloads: every second the config file is rewritten with the other version
#            of "reloaded" (the daemon polls it every second,
#            --model_config_file_poll_wait_seconds=1), so "reloaded" loads one
#            version and unloads the other about once a second.
# Prints a Markdown table (and writes it to --out): per condition the mean
# QPS, the median over rounds of p50, p90 and p99, the worst p99 and max, the
# errors, and how many loads of "reloaded" the daemon logged, with their mean
# duration. Measures; asserts nothing. Everything talks to 127.0.0.1 and
# stops by itself; Ctrl-C cleans up.
set -euo pipefail

BUILD=""
SECONDS_PER_RUN=60
ROUNDS=6
CONCURRENCY="1 8"
SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
RELOAD_MODEL_DIR="$SCRIPT_DIR/../../shared/models/arm_openmv_mobilenet/1"
OUT="$SCRIPT_DIR/results/multi_model_reload.md"
for arg in "$@"; do
  case "$arg" in
    --seconds=*) SECONDS_PER_RUN="${arg#*=}" ;;
    --rounds=*) ROUNDS="${arg#*=}" ;;
    --concurrency=*) CONCURRENCY="${arg#*=}" ;;
    --reload_model_dir=*) RELOAD_MODEL_DIR="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --*) echo "multi_model_bench.sh: unknown flag $arg" >&2; exit 2 ;;
    *) BUILD="$arg" ;;
  esac
done
[[ -n "$BUILD" ]] || { echo "usage: bench/multi_model_bench.sh BUILD_DIR" >&2; exit 2; }
BUILD="$(cd "$BUILD" && pwd)"
for tool in daemon/model_server tools/write_example_model bench/load_generator; do
  if [[ ! -x "$BUILD/$tool" ]]; then
    echo "multi_model_bench.sh: $BUILD/$tool is missing; build it first" >&2
    exit 1
  fi
done

TMP="$(mktemp -d /tmp/multi_model_bench.XXXXXX)"
DAEMON_PID=""
TOGGLE_PID=""
SPINNER_PID=""
cleanup() {
  [[ -z "$TOGGLE_PID" ]] || kill "$TOGGLE_PID" 2>/dev/null || true
  [[ -z "$SPINNER_PID" ]] || kill "$SPINNER_PID" 2>/dev/null || true
  if [[ -n "$DAEMON_PID" ]]; then
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

"$BUILD/tools/write_example_model" --output_dir="$TMP/steady/1" >/dev/null
if [[ -d "$RELOAD_MODEL_DIR" ]]; then
  RELOAD_MODEL_DIR="$(cd "$RELOAD_MODEL_DIR" && pwd)"
else
  echo "multi_model_bench.sh: $RELOAD_MODEL_DIR is absent; reloading the example model instead" >&2
  RELOAD_MODEL_DIR="$TMP/steady/1"
fi
mkdir -p "$TMP/reloaded"
cp -r "$RELOAD_MODEL_DIR" "$TMP/reloaded/1"
cp -r "$RELOAD_MODEL_DIR" "$TMP/reloaded/2"

write_config() {  # write_config VERSION: atomically, as operators should
  cat >"$TMP/models.config.tmp" <<CONFIG
model_config_list {
  config { name: "steady" base_path: "$TMP/steady" model_platform: "tensorflow" }
  config {
    name: "reloaded" base_path: "$TMP/reloaded" model_platform: "tensorflow"
    model_version_policy { specific { versions: $1 } }
  }
}
CONFIG
  mv "$TMP/models.config.tmp" "$TMP/models.config"
}
write_config 1

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
PORT=$(free_port)
"$BUILD/daemon/model_server" --port="$PORT" \
  --model_config_file="$TMP/models.config" \
  --model_config_file_poll_wait_seconds=1 >"$TMP/daemon.log" 2>&1 &
DAEMON_PID=$!
ready=""
for _ in $(seq 300); do
  if "$BUILD/bench/load_generator" --target="127.0.0.1:$PORT" --model_name=steady \
      --seconds=0.1 --warmup_seconds=0 >/dev/null 2>&1; then
    ready=1; break
  fi
  sleep 0.1
done
[[ -n "$ready" ]] || { echo "the daemon did not serve; its log:" >&2; cat "$TMP/daemon.log" >&2; exit 1; }

toggle() {  # rewrites the config with the other version every second
  local version=1
  while true; do
    sleep 1
    version=$((3 - version))
    write_config "$version"
  done
}

field() {  # field NAME JSON_LINE
  sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$2"
}

# Loads of "reloaded" logged after line $1 of the daemon log: count and mean ms.
loads_since() {
  tail -n +"$(( $1 + 1 ))" "$TMP/daemon.log" |
    sed -n 's/.*Successfully loaded servable version {name: reloaded version: [0-9]*} in \([0-9.]*\)\(m\{0,1\}s\).*/\1 \2/p' |
    awk '{ ms = ($2 == "s") ? $1 * 1000 : $1; n++; sum += ms }
         END { if (n) printf "%d %.0f", n, sum / n; else printf "0 -" }'
}

ROUND_SECONDS=$(python3 -c "print(max(1, round($SECONDS_PER_RUN / $ROUNDS)))")

run() {  # run C LABEL: one JSON line
  "$BUILD/bench/load_generator" --target="127.0.0.1:$PORT" --model_name=steady \
    --shape=1 --concurrency="$1" --seconds="$ROUND_SECONDS" --warmup_seconds=1 \
    --label="$2" | head -1 || true
}

# summary FILE: "QPS p50 p90 p99 worst_p99 max errors" over the JSON lines of
# FILE (percentiles: the median over rounds; worst: the highest round's).
summary() {
  python3 - "$1" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
if not runs:
    print("- - - - - - -")
    sys.exit()
med = lambda key: statistics.median(r[key] for r in runs)
print(f"{statistics.mean(r['qps'] for r in runs):.0f} {med('p50_us'):.0f} "
      f"{med('p90_us'):.0f} {med('p99_us'):.0f} "
      f"{max(r['p99_us'] for r in runs):.0f} "
      f"{max(r['max_us'] for r in runs):.0f} {sum(r['errors'] for r in runs)}")
PY
}

report() { echo "$1"; [[ -z "$OUT" ]] || echo "$1" >>"$OUT"; }
[[ -z "$OUT" ]] || { mkdir -p "$(dirname "$OUT")"; : >"$OUT"; }
report "## Predict on one model while another reloads every second ($(date -u +%Y-%m-%d))"
report ""
report "\`bench/multi_model_bench.sh --seconds=$SECONDS_PER_RUN --rounds=$ROUNDS --concurrency=\"$CONCURRENCY\"\`:"
report "$ROUNDS rounds of ${ROUND_SECONDS} s per condition, order rotating; reloaded model"
report "\`$(basename "$(dirname "$RELOAD_MODEL_DIR")")/$(basename "$RELOAD_MODEL_DIR")\`."
report "Load before the run: \`$(uptime | sed 's/.*load average/load average/')\` on $(nproc) CPUs."
report ""
report "| in flight | condition | QPS | p50 us | p90 us | p99 us | p99 us, worst round | max us | errors | loads of the other model | mean load ms |"
report "|---|---|---|---|---|---|---|---|---|---|---|"
ORDERS=("quiet busy reloads" "busy reloads quiet" "reloads quiet busy")
for c in $CONCURRENCY; do
  : >"$TMP/quiet.jsonl"; : >"$TMP/busy.jsonl"; : >"$TMP/reloads.jsonl"
  loads=0; load_ms_sum=0
  for round in $(seq "$ROUNDS"); do
    # The order rotates: no condition always follows the same other one.
    for condition in ${ORDERS[$(( (round - 1) % 3 ))]}; do
      case "$condition" in
        quiet)
          run "$c" quiet >>"$TMP/quiet.jsonl" ;;
        busy)
          nice -n 10 bash -c 'while :; do :; done' & SPINNER_PID=$!
          run "$c" busy >>"$TMP/busy.jsonl"
          kill "$SPINNER_PID" 2>/dev/null || true; wait "$SPINNER_PID" 2>/dev/null || true
          SPINNER_PID="" ;;
        reloads)
          start_line=$(wc -l <"$TMP/daemon.log")
          toggle & TOGGLE_PID=$!
          run "$c" reloads >>"$TMP/reloads.jsonl"
          kill "$TOGGLE_PID" 2>/dev/null || true; wait "$TOGGLE_PID" 2>/dev/null || true
          TOGGLE_PID=""
          read -r n mean_ms <<<"$(loads_since "$start_line")"
          if [[ "$n" -gt 0 ]]; then
            loads=$((loads + n))
            load_ms_sum=$(python3 -c "print($load_ms_sum + $n * $mean_ms)")
          fi
          sleep 2 ;;  # let the last reload settle before the next run
      esac
    done
  done
  mean_load="-"
  [[ "$loads" -eq 0 ]] || mean_load=$(python3 -c "print(round($load_ms_sum / $loads))")
  for condition in quiet busy reloads; do
    read -r qps p50 p90 p99 worst99 max errors <<<"$(summary "$TMP/$condition.jsonl")"
    n=0; ms="-"
    [[ "$condition" != reloads ]] || { n=$loads; ms=$mean_load; }
    report "| $c | $condition | $qps | $p50 | $p90 | $p99 | $worst99 | $max | $errors | $n | $ms |"
  done
done
report ""
report "Load after the run: \`$(uptime | sed 's/.*load average/load average/')\`."
