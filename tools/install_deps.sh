#!/usr/bin/env bash
# Installs the Debian 12 packages model_server builds with. Quick when they
# are already there: apt-get runs only for missing packages.
# Usage: tools/install_deps.sh [--test|--fuzz]
#   --test: also what the tests use; --fuzz: also clang and its libFuzzer
#   runtime for tools/run_fuzzers.sh (docs/fuzzing.md)
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  protobuf-compiler libprotobuf-dev
  protobuf-compiler-grpc libgrpc++-dev
  libabsl-dev libeigen3-dev libgoogle-glog-dev libsnappy-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libmicrohttpd-dev libgnutls28-dev libsimdjson-dev rapidjson-dev zlib1g-dev
  libjpeg62-turbo-dev libpng-dev libgif-dev
  libre2-dev libicu-dev
  libsystemd-dev
)
# Tools only the test suite runs: qemu-user emulates an old CPU for the
# start-up CPU check (tests/daemon/cpu_guard_test.cc); curl runs the README's
# REST examples (tests/daemon/readme_rest_test.cc). Operations tests
# (docs/operations.md): promtool lints the metrics page, systemd-analyze
# checks the unit, the Python and Java client examples run against the
# daemon with Debian's gRPC packages; nginx balances three replicas in the
# scale-out test (tests/daemon/scale_out_test.cc). openssl makes the
# certificates of the TLS test (tests/daemon/tls_test.cc), curl is its HTTPS
# client.
TEST_PACKAGES=(
  qemu-user curl openssl
  prometheus systemd nginx
  python3 python3-grpcio python3-protobuf
  openjdk-17-jdk-headless protobuf-compiler-grpc-java-plugin libgrpc-java
  libprotobuf-java libnetty-java libguava-java libperfmark-java
  libgeronimo-annotation-1.3-spec-java
)

# chromium runs the web console headless (tests/console/console_test.py, a
# python3 script that needs only the standard library).
TEST_PACKAGES+=(chromium)
if [[ ${1:-} == --test ]]; then
  PACKAGES+=("${TEST_PACKAGES[@]}")
fi
# libFuzzer and the sanitizer runtimes come with Debian's clang 14.
if [[ ${1:-} == --fuzz ]]; then
  PACKAGES+=(clang libclang-rt-14-dev)
fi

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
      grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "Installing: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: run as root (or with sudo) to install packages" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
