#!/usr/bin/env bash
# Runs a client example (examples/<language>/run.sh) against a real daemon
# serving TF Serving's half_plus_two, and checks that it prints exactly
# examples/expected_output.txt.
# Usage: run_client_example.sh <language> <model_server binary> <shared dir>
# Exit 77 (CTest: skipped) when the shared model or the language's Debian
# packages are absent (run.sh exits 77 itself for the latter).
set -euo pipefail
language=$1
binary=$2
model=$3/models/tfs_half_plus_two_cpu
examples=$(cd "$(dirname "$0")/../../examples" && pwd)
if [[ ! -d $model ]]; then
  echo "$model is absent: skipped"
  exit 77
fi
scratch=$(mktemp -d)
daemon_pid=
cleanup() {
  if [[ -n $daemon_pid ]]; then kill "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# A free loopback port: bind to 0, read it, close.
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" --port="$port" --model_name=half_plus_two \
  --model_base_path="$model" >"$scratch/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done

status=0
"$examples/$language/run.sh" "127.0.0.1:$port" half_plus_two \
  >"$scratch/output" 2>"$scratch/errors" || status=$?
if [[ $status -eq 77 ]]; then
  cat "$scratch/output" "$scratch/errors"
  exit 77
fi
cat "$scratch/output"
if [[ $status -ne 0 ]] || ! diff -u "$examples/expected_output.txt" "$scratch/output"; then
  echo "FAIL: the $language example (exit $status) did not print the expected values"
  cat "$scratch/errors"
  echo "--- daemon log:"
  cat "$scratch/daemon.log"
  exit 1
fi
kill -TERM "$daemon_pid"
wait "$daemon_pid" || { echo "FAIL: the daemon did not exit 0 on SIGTERM"; exit 1; }
daemon_pid=
echo "PASS: the $language example printed the expected values"
