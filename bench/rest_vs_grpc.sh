#!/usr/bin/env bash
# REST Predict against gRPC Predict on one daemon, same model, same tensor.
#
#   bench/rest_vs_grpc.sh BUILD_DIR [--seconds=5] [--sizes="1 1000"]
#                         [--concurrency="1 32"] [--out=FILE]
#
# Writes the example model half_plus_two (y = 0.5 x + 2) with
# BUILD_DIR/tools/write_example_model, starts BUILD_DIR/daemon/model_server
# with --port and --rest_api_port on free loopback ports, and for each size
# N (floats per request) and concurrency C runs, back to back:
#   gRPC: load_generator --shape=N (x: float [N] in float_val, as
#         tf.make_tensor_proto sends it), C calls in flight on one channel;
#   REST: http_load_generator with {"instances": [N floats]} (the same
#         x: float [N]), C keep-alive connections with one request each;
# each 1 s warm-up + --seconds measured. Then rest_json_bench measures, in
# process, how long parsing, decoding and encoding the same bodies take next
# to running the model: the share of a REST call's server work that is JSON.
# Prints a Markdown report (also to --out=FILE). Measures; asserts nothing.
# Everything talks to 127.0.0.1 and stops by itself; Ctrl-C cleans up.
set -euo pipefail

BUILD=""
SECONDS_PER_RUN=5
SIZES="1 1000"
CONCURRENCY="1 32"
OUT=""
for arg in "$@"; do
  case "$arg" in
    --seconds=*) SECONDS_PER_RUN="${arg#*=}" ;;
    --sizes=*) SIZES="${arg#*=}" ;;
    --concurrency=*) CONCURRENCY="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --*) echo "rest_vs_grpc.sh: unknown flag $arg" >&2; exit 2 ;;
    *) BUILD="$arg" ;;
  esac
done
[[ -n "$BUILD" ]] || { echo "usage: bench/rest_vs_grpc.sh BUILD_DIR" >&2; exit 2; }
BUILD="$(cd "$BUILD" && pwd)"
for tool in daemon/model_server tools/write_example_model bench/load_generator \
            bench/http_load_generator bench/rest_json_bench; do
  if [[ ! -x "$BUILD/$tool" ]]; then
    echo "rest_vs_grpc.sh: $BUILD/$tool is missing; build it first" >&2
    exit 1
  fi
done

TMP="$(mktemp -d /tmp/rest_vs_grpc.XXXXXX)"
DAEMON_PID=""
cleanup() {
  if [[ -n "$DAEMON_PID" ]]; then
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
GRPC_PORT=$(free_port)
REST_PORT=$(free_port)
while [[ "$REST_PORT" == "$GRPC_PORT" ]]; do REST_PORT=$(free_port); done

"$BUILD/tools/write_example_model" --output_dir="$TMP/half_plus_two/1" >/dev/null
"$BUILD/daemon/model_server" --port="$GRPC_PORT" --rest_api_port="$REST_PORT" \
  --model_name=half_plus_two --model_base_path="$TMP/half_plus_two" \
  >"$TMP/daemon.log" 2>&1 &
DAEMON_PID=$!
for _ in $(seq 100); do
  if curl -sf "http://127.0.0.1:$REST_PORT/v1/models/half_plus_two" >/dev/null 2>&1; then
    break
  fi
  sleep 0.1
done

field() {  # field NAME JSON_LINE
  sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$2"
}

report() { echo "$1"; [[ -z "$OUT" ]] || echo "$1" >>"$OUT"; }
[[ -z "$OUT" ]] || : >"$OUT"
report "## REST vs gRPC Predict: half_plus_two, $(date -u +%Y-%m-%d)"
report ""
report "Load before the run: \`$(uptime | sed 's/.*load average/load average/')\` on $(nproc) CPUs."
report "Each row: 1 s warm-up, ${SECONDS_PER_RUN} s measured, back to back on one daemon."
report ""
report "| floats | in flight | gRPC req/s | REST req/s | REST/gRPC req/s | gRPC p50 us | REST p50 us | REST/gRPC p50 | gRPC p99 us | REST p99 us |"
report "|---|---|---|---|---|---|---|---|---|---|"
for n in $SIZES; do
  python3 -c "import sys; n=int(sys.argv[1]); print('{\"instances\": [' + ', '.join(repr(0.001*(i%1000)) for i in range(n)) + ']}')" "$n" \
    >"$TMP/body_$n.json"
  for c in $CONCURRENCY; do
    grpc=$("$BUILD/bench/load_generator" --target="127.0.0.1:$GRPC_PORT" \
      --model_name=half_plus_two --shape="$n" --concurrency="$c" \
      --seconds="$SECONDS_PER_RUN" --warmup_seconds=1 | head -1)
    rest=$("$BUILD/bench/http_load_generator" --target="127.0.0.1:$REST_PORT" \
      --path=/v1/models/half_plus_two:predict --body_file="$TMP/body_$n.json" \
      --concurrency="$c" --seconds="$SECONDS_PER_RUN" --warmup_seconds=1 | head -1)
    gq=$(field qps "$grpc"); rq=$(field qps "$rest")
    g50=$(field p50_us "$grpc"); r50=$(field p50_us "$rest")
    g99=$(field p99_us "$grpc"); r99=$(field p99_us "$rest")
    report "| $n | $c | $gq | $rq | $(python3 -c "print(f'{$rq/$gq:.2f}')") | $g50 | $r50 | $(python3 -c "print(f'{$r50/$g50:.2f}')") | $g99 | $r99 |"
  done
done
report ""
report "Inside the server, one thread (\`rest_json_bench\`): CPU microseconds per request."
report ""
report "| floats | body bytes | parse | parse + decode | run the model | encode | JSON share |"
report "|---|---|---|---|---|---|---|"
while read -r line; do
  [[ "$line" == \{* ]] || continue
  report "| $(field floats "$line") | $(field body_bytes "$line") | $(field parse_us "$line") | $(field parse_decode_us "$line") | $(field run_us "$line") | $(field encode_us "$line") | $(python3 -c "print(f'{100*$(field json_share "$line"):.0f}%')") |"
done < <("$BUILD/bench/rest_json_bench" --sizes="$(echo "$SIZES" | tr ' ' ',')")
