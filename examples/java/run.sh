#!/usr/bin/env bash
# Generates Java messages and gRPC stubs from model_server's protos, compiles
# them with Client.java using plain javac against Debian's jars, and runs it.
# Usage: run.sh <host:port> <model name>. Exit 77 when a Debian package it
# needs is missing (default-jdk-headless, protobuf-compiler,
# protobuf-compiler-grpc-java-plugin, libgrpc-java, libprotobuf-java,
# libnetty-java, libguava-java, libperfmark-java,
# libgeronimo-annotation-1.3-spec-java).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
protos=$(cd "$here/../../proto" && pwd)
jars=/usr/share/java
classpath=
for jar in grpc-api grpc-context grpc-core grpc-netty grpc-protobuf \
    grpc-protobuf-lite grpc-stub protobuf guava perfmark-api \
    netty-buffer netty-codec netty-codec-http netty-codec-http2 netty-common \
    netty-handler netty-resolver netty-transport geronimo-annotation-1.3-spec; do
  if [[ ! -f $jars/$jar.jar ]]; then
    echo "$jars/$jar.jar is missing (see the packages above): skipped"
    exit 77
  fi
  classpath+="$jars/$jar.jar:"
done
for tool in javac java protoc grpc_java_plugin; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is missing: skipped"
    exit 77
  fi
done
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
mkdir -p "$build/src" "$build/classes"
cd "$protos"
protoc -I . --java_out="$build/src" \
  --plugin=protoc-gen-grpc-java="$(command -v grpc_java_plugin)" \
  --grpc-java_out="$build/src" \
  $(find tensorflow tensorflow_serving/apis tensorflow_serving/config grpc \
    -name '*.proto' | sort)
javac -nowarn -encoding UTF-8 -cp "$classpath" -d "$build/classes" \
  $(find "$build/src" -name '*.java') "$here/Client.java" 2>"$build/javac.log" || {
  cat "$build/javac.log" >&2
  exit 1
}
java -cp "$build/classes:$classpath" Client "$@"
