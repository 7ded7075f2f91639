#!/usr/bin/env bash
# Generates the stubs into a temporary directory and runs client.py.
# Usage: run.sh <host:port> <model name>. Exit 77 if Debian's packages for
# it are missing (python3-grpcio, python3-protobuf, protobuf-compiler,
# protobuf-compiler-grpc).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! /usr/bin/python3 -c 'import grpc, google.protobuf' 2>/dev/null ||
    ! command -v protoc >/dev/null || ! command -v grpc_python_plugin >/dev/null; then
  echo "python3-grpcio, python3-protobuf, protobuf-compiler or protobuf-compiler-grpc missing: skipped"
  exit 77
fi
stubs=$(mktemp -d)
trap 'rm -rf "$stubs"' EXIT
"$here/generate_stubs.sh" "$stubs"
PYTHONPATH=$stubs /usr/bin/python3 "$here/client.py" "$@"
