#!/usr/bin/env bash
# Generates the Python messages and gRPC stubs of model_server's protos into
# <out dir>, with Debian's protoc (protobuf-compiler) and gRPC's Python
# plugin (grpc_python_plugin, from protobuf-compiler-grpc). Python-side
# runtime: python3-grpcio and python3-protobuf.
# Usage: generate_stubs.sh <out dir>
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
protos=$(cd "$here/../../proto" && pwd)
mkdir -p "$out"
# The health proto goes in as grpc_health/v1/ (as the grpcio-health-checking
# package names it): a generated "grpc" package would hide grpcio itself.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/grpc_health/v1"
cp "$protos/grpc/health/v1/health.proto" "$scratch/grpc_health/v1/"
cd "$protos"
protoc -I . -I "$scratch" --python_out="$out" \
  --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" \
  --grpc_python_out="$out" \
  $(find tensorflow tensorflow_serving -name '*.proto' | sort) \
  grpc_health/v1/health.proto
# Packages for Python 3's import system.
find "$out" -type d -exec touch {}/__init__.py \;
