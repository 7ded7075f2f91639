#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the server,
# writes the example model (half_plus_two: y = 0.5 * x + 2) and serves it
# on port 8500 for gRPC and 8501 for REST (override with PORT=... and
# REST_PORT=...). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
tools/build.sh model_server write_example_model
BUILD_DIR=${BUILD_DIR:-build}
MODEL_BASE=${MODEL_BASE:-$(cd "$BUILD_DIR" && pwd)/example_models/half_plus_two}
# Rewritten on every run (it takes milliseconds), so the model always matches
# the tool that was just built.
rm -rf "$MODEL_BASE.new"
"$BUILD_DIR"/tools/write_example_model --output_dir="$MODEL_BASE.new/1"
rm -rf "$MODEL_BASE"
mv "$MODEL_BASE.new" "$MODEL_BASE"
exec "$BUILD_DIR"/daemon/model_server --port="${PORT:-8500}" \
  --rest_api_port="${REST_PORT:-8501}" \
  --model_name=half_plus_two --model_base_path="$MODEL_BASE"
