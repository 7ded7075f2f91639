#!/usr/bin/env bash
# Generates the fuzz targets' seed corpora into OUT_DIR/<target>/ (never
# committed): models, graphs and checkpoints from ../shared, and the
# text-format seeds under fuzz/textproto/ encoded with protoc.
#
#   fuzz/make_seeds.sh PROTOC SOURCE_DIR SHARED_DIR OUT_DIR
#
# Without SHARED_DIR the model-based corpora stay empty (said on stdout);
# the targets then start from their committed seeds alone.
set -euo pipefail
protoc=$1 src=$2 shared=$3 out=$4

rm -rf "$out"
mkdir -p "$out"/{saved_model,graph_def,tensor_bundle,tensor_proto,example,warmup}

# A little-endian uint32 as 4 raw bytes.
u32() {
  printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) \
    $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"
}

encode() {  # encode MESSAGE PROTO_FILE < text
  "$protoc" -I"$src/proto" --encode="$1" "$2"
}

for f in "$src"/fuzz/textproto/tensor_proto/*.txt; do
  encode tensorflow.TensorProto tensorflow/core/framework/tensor.proto \
    < "$f" > "$out/tensor_proto/$(basename "$f" .txt)"
done
for f in "$src"/fuzz/textproto/example/*.txt; do
  name=$(basename "$f" .txt)
  example=$(mktemp)
  encode tensorflow.Example tensorflow/core/example/example.proto < "$f" > "$example"
  { printf '\000'; cat "$example"; } > "$out/example/single_$name"
  { printf '\001'; cat "$example"; } > "$out/example/batch_$name"
  rm -f "$example"
done
all_records=$(mktemp)
for f in "$src"/fuzz/textproto/warmup/*.txt; do
  record=$(mktemp)
  encode model_server.WarmupPredictionLog model_server/warmup_log.proto \
    < "$f" > "$record"
  framed=$(mktemp)
  { u32 "$(stat -c %s "$record")"; cat "$record"; } > "$framed"
  { printf '\000'; cat "$framed"; } > "$out/warmup/$(basename "$f" .txt)"
  cat "$framed" >> "$all_records"
  rm -f "$record" "$framed"
done
{ printf '\000'; cat "$all_records"; } > "$out/warmup/all_records"
rm -f "$all_records"

if [[ ! -d "$shared/models" ]]; then
  echo "make_seeds: no $shared/models: model-based corpora are empty"
  exit 0
fi
# SavedModels (saved_model.pb up to 256 KiB).
n=0
while IFS= read -r pb; do
  n=$((n + 1))
  cp "$pb" "$out/saved_model/$(printf %03d $n)_$(basename "$(dirname "$(dirname "$pb")")")"
done < <(find "$shared/models" -name saved_model.pb -size -256k | sort)
# Checkpoints with one data shard, up to 256 KiB (the fuzzers' -max_len):
# uint32 index size, index, data.
n=0
while IFS= read -r index; do
  data=${index%.index}.data-00000-of-00001
  [[ -f "$data" ]] || continue
  (( $(stat -c %s "$index") + $(stat -c %s "$data") <= 262144 )) || continue
  n=$((n + 1))
  { u32 "$(stat -c %s "$index")"; cat "$index" "$data"; } \
    > "$out/tensor_bundle/$(printf %03d $n)_$(basename "$(dirname "$(dirname "$(dirname "$index")")")")"
done < <(find "$shared/models" "$shared/checkpoints" -name '*.index' 2>/dev/null | sort)
# Frozen GraphDefs up to 64 KiB, as <graph name>/frozen_model.pb (one cp:
# there are over a thousand).
if [[ -d "$shared/frozen" ]]; then
  (cd "$shared/frozen" && find . -name '*.pb' -size -64k -print0 |
    xargs -0 -r cp --parents -t "$out/graph_def")
fi
for t in "$out"/*; do
  echo "make_seeds: $(basename "$t"): $(find "$t" -type f | wc -l) seeds"
done
