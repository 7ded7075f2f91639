#!/usr/bin/env bash
# Soak test (issue 14): gRPC and REST Predict load on one daemon for
# --seconds (default 600) while the loaded model's versions swap every
# --swap_seconds (default 2: a new version directory appears, the oldest
# goes) and a second model reloads through its config file at the same pace.
# The load runs in rounds of --round_seconds (default 10); after each round
# the daemon's RSS is read from /proc. Prints (and writes to --out) one
# table row per round: QPS, p99 and errors of each API, and RSS; then the
# verdicts issue 14 asks for: failed requests (must be 0), RSS drift over the
# run after the first round (within 5%), and the worst round's p99 against
# the median round's (within 2x).
#
#   bench/soak.sh build                         # 10 minutes
#   bench/soak.sh build --seconds=60 --out=     # a quick check, no file
#
# Needs model_server, write_example_model, load_generator and
# http_load_generator in BUILD (see bench/README.md). Run it on a quiet
# machine: other load shows up as p99 spikes. Everything is on 127.0.0.1
# and stops with the script.
set -euo pipefail

BUILD=""
TOTAL_SECONDS=600
ROUND_SECONDS=10
SWAP_SECONDS=2
CONCURRENCY=4
SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
OUT="$SCRIPT_DIR/results/soak.md"
for arg in "$@"; do
  case "$arg" in
    --seconds=*) TOTAL_SECONDS="${arg#*=}" ;;
    --round_seconds=*) ROUND_SECONDS="${arg#*=}" ;;
    --swap_seconds=*) SWAP_SECONDS="${arg#*=}" ;;
    --concurrency=*) CONCURRENCY="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --*) echo "soak.sh: unknown flag $arg" >&2; exit 2 ;;
    *) BUILD="$arg" ;;
  esac
done
[[ -n "$BUILD" ]] || { echo "usage: bench/soak.sh BUILD_DIR [flags]" >&2; exit 2; }
BUILD="$(cd "$BUILD" && pwd)"
for tool in daemon/model_server tools/write_example_model bench/load_generator \
    bench/http_load_generator; do
  [[ -x "$BUILD/$tool" ]] || { echo "soak.sh: $BUILD/$tool is missing; build it first" >&2; exit 1; }
done

TMP="$(mktemp -d /tmp/soak.XXXXXX)"
DAEMON_PID=""
SWAP_PID=""
cleanup() {
  [[ -z "$SWAP_PID" ]] || kill "$SWAP_PID" 2>/dev/null || true
  if [[ -n "$DAEMON_PID" ]]; then
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# "swapping": versions 1, 2, ... appear (written aside, then renamed in);
# "reloaded": the config flips its served version between 1 and 2.
"$BUILD/tools/write_example_model" --output_dir="$TMP/template" >/dev/null
mkdir -p "$TMP/swapping" "$TMP/reloaded"
cp -r "$TMP/template" "$TMP/swapping/1"
cp -r "$TMP/template" "$TMP/reloaded/1"
cp -r "$TMP/template" "$TMP/reloaded/2"
write_config() {  # write_config VERSION_OF_RELOADED, atomically
  cat >"$TMP/models.config.tmp" <<CONFIG
model_config_list {
  config { name: "swapping" base_path: "$TMP/swapping" model_platform: "tensorflow" }
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
REST_PORT=$(free_port)
while [[ "$REST_PORT" == "$PORT" ]]; do REST_PORT=$(free_port); done
"$BUILD/daemon/model_server" --port="$PORT" --rest_api_port="$REST_PORT" \
  --model_config_file="$TMP/models.config" \
  --model_config_file_poll_wait_seconds=1 \
  --file_system_poll_wait_seconds=1 >"$TMP/daemon.log" 2>&1 &
DAEMON_PID=$!
ready=""
for _ in $(seq 300); do
  if "$BUILD/bench/load_generator" --target="127.0.0.1:$PORT" --model_name=swapping \
      --seconds=0.1 --warmup_seconds=0 >/dev/null 2>&1; then
    ready=1; break
  fi
  sleep 0.1
done
[[ -n "$ready" ]] || { echo "the daemon did not serve; its log:" >&2; cat "$TMP/daemon.log" >&2; exit 1; }

swap() {  # a new version of "swapping" and a flip of "reloaded" per period
  local version=1 reloaded=1
  while true; do
    sleep "$SWAP_SECONDS"
    version=$((version + 1))
    cp -r "$TMP/template" "$TMP/incoming"
    mv "$TMP/incoming" "$TMP/swapping/$version"
    # Keep two versions on disk: the one serving and the one loading.
    rm -rf "$TMP/swapping/$((version - 2))"
    reloaded=$((3 - reloaded))
    write_config "$reloaded"
  done
}

rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$DAEMON_PID/status"; }
field() {  # field NAME JSON_LINE
  sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$2"
}

echo '{"instances": [[1.0]]}' >"$TMP/request.json"
report() { echo "$1"; [[ -z "$OUT" ]] || echo "$1" >>"$OUT"; }
[[ -z "$OUT" ]] || { mkdir -p "$(dirname "$OUT")"; : >"$OUT"; }
report "## Soak: gRPC + REST Predict, versions swapping every ${SWAP_SECONDS} s, a second model reloading ($(date -u +%Y-%m-%d))"
report ""
report "\`bench/soak.sh --seconds=$TOTAL_SECONDS --round_seconds=$ROUND_SECONDS --concurrency=$CONCURRENCY\`;"
report "load before the run: \`$(uptime | sed 's/.*load average/load average/')\` on $(nproc) CPUs."
report ""
report "| round | gRPC QPS | gRPC p99 us | gRPC errors | REST QPS | REST p99 us | REST errors | RSS kB |"
report "|---|---|---|---|---|---|---|---|"

swap & SWAP_PID=$!
rounds=$(( TOTAL_SECONDS / ROUND_SECONDS ))
: >"$TMP/rounds.tsv"
for round in $(seq "$rounds"); do
  "$BUILD/bench/http_load_generator" --target="127.0.0.1:$REST_PORT" \
    --path=/v1/models/swapping:predict --body_file="$TMP/request.json" \
    --concurrency="$CONCURRENCY" --seconds="$ROUND_SECONDS" --warmup_seconds=0 \
    >"$TMP/rest.out" 2>&1 &
  rest_pid=$!
  grpc=$("$BUILD/bench/load_generator" --target="127.0.0.1:$PORT" \
    --model_name=swapping --concurrency="$CONCURRENCY" \
    --seconds="$ROUND_SECONDS" --warmup_seconds=0 2>&1 | head -1 || true)
  wait "$rest_pid" || true
  rest=$(head -1 "$TMP/rest.out")
  rss=$(rss_kb)
  row=("$round" "$(field qps "$grpc")" "$(field p99_us "$grpc")" "$(field errors "$grpc")"
       "$(field qps "$rest")" "$(field p99_us "$rest")" "$(field errors "$rest")" "$rss")
  printf '%s\t' "${row[@]}" >>"$TMP/rounds.tsv"; echo >>"$TMP/rounds.tsv"
  report "| $(IFS='|'; echo "${row[*]}" | sed 's/|/ | /g') |"
done
kill "$SWAP_PID" 2>/dev/null || true; wait "$SWAP_PID" 2>/dev/null || true; SWAP_PID=""

loads=$(grep -c "Successfully loaded servable version" "$TMP/daemon.log" || true)
report ""
report "Versions loaded during the run (both models): $loads."
python3 - "$TMP/rounds.tsv" <<'PY' | while IFS= read -r line; do report "$line"; done
import statistics, sys
rows = [l.rstrip("\t\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
num = lambda s: float(s) if s else float("nan")
errors = sum(num(r[3]) + num(r[6]) for r in rows)
rss = [num(r[7]) for r in rows]
steady = rss[1:] or rss
drift = (max(steady) - min(steady)) / min(steady) * 100
verdict = lambda ok: "PASS" if ok else "FAIL"
print(f"- failed requests: {errors:.0f} ({verdict(errors == 0)})")
print(f"- RSS after the first round: {min(steady):.0f} to {max(steady):.0f} kB, "
      f"{drift:.1f}% ({verdict(drift <= 5)}: within 5%)")
for name, col in (("gRPC", 2), ("REST", 5)):
    p99 = [num(r[col]) for r in rows]
    median = statistics.median(p99)
    worst = max(p99)
    print(f"- {name} p99: median round {median:.0f} us, worst round {worst:.0f} us, "
          f"{worst / median:.2f}x ({verdict(worst <= 2 * median)}: within 2x)")
PY
