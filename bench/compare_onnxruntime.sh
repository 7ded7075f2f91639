#!/usr/bin/env bash
# compare_onnxruntime.sh: our runtime (model_tool benchmark) against
# onnxruntime on the bench models (bench/models/bench_models.h), in process on
# both sides, and writes bench/results/onnxruntime_comparison.md.
#
# Usage:
#   bench/compare_onnxruntime.sh [BUILD_DIR] [--models="mlp cnn mobilenet lstm"]
#       [--batches="1 16 64"] [--threads="1 2"] [--rounds=3] [--min_time=1]
#       [--out=bench/results/onnxruntime_comparison.md] [--no_build]
#       [--baseline=PATH_TO_ANOTHER_BUILDS_model_tool]
#
# 1. builds model_tool and write_bench_models in BUILD_DIR (default build/;
#    --no_build uses them as they are) and writes every model as a SavedModel and as ONNX with the same weights;
# 2. installs onnxruntime-node from npm into bench/onnxruntime/node_modules if
#    it is not there (--ignore-scripts: its install script only fetches GPU
#    libraries; the CPU libonnxruntime.so ships in the package);
# 3. checks that both runtimes agree on a random batch of 2
#    (|ours - ort| <= 1e-5 * (1 + |ort|)) before timing anything, and stops
#    if they do not;
# 4. times every (model, threads, batch) cell --rounds times, ours then
#    onnxruntime for each cell in turn (interleaved, so drifting machine load
#    hits both), each a fresh process with 10 warm-up runs and then at least
#    50 runs and --min_time seconds; the table has the medians of the
#    rounds' p50 latencies and CPU time per run, and the ratios
#    ours / onnxruntime;
# 5. records `uptime` before and after: these 2-core machines are shared, so
#    only ratios taken side by side mean anything.
# With --baseline, another build's model_tool (a copy of main's, say) runs
# in the same rounds, right before ours, and the table gets its CPU time per
# run and ours / baseline: how before/after numbers of a kernel change are
# taken.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
build="$repo/build"
models="mlp cnn mobilenet lstm"
batches="1 16 64"
threads="1 2"
rounds=3
min_time=1
out="$repo/bench/results/onnxruntime_comparison.md"
no_build=false
baseline=""
for arg in "$@"; do
  case "$arg" in
    --models=*) models="${arg#*=}" ;;
    --batches=*) batches="${arg#*=}" ;;
    --threads=*) threads="${arg#*=}" ;;
    --rounds=*) rounds="${arg#*=}" ;;
    --min_time=*) min_time="${arg#*=}" ;;
    --out=*) out="${arg#*=}" ;;
    --no_build) no_build=true ;;
    --baseline=*) baseline="${arg#*=}" ;;
    --*) echo "unknown flag $arg" >&2; exit 2 ;;
    *) build="$arg" ;;
  esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! $no_build; then
  cmake --build "$build" -j2 --target model_tool write_bench_models >&2
fi
model_tool="$build/model_tool/model_tool"
"$build/bench/write_bench_models" "$work/models" $models >&2

ort_dir="$here/onnxruntime"
if [ ! -d "$ort_dir/node_modules/onnxruntime-node" ]; then
  (cd "$ort_dir" && npm install --ignore-scripts --no-audit --no-fund >&2)
fi
ort() { node "$ort_dir/ort_bench.js" "$@"; }

# The input shape of each model, in the SavedModel's layout, for batch $2;
# and in the ONNX model's.
tf_shape() {
  case "$1" in
    mlp) echo "$2,784" ;;
    cnn) echo "$2,28,28,1" ;;
    mobilenet) echo "$2,28,28,64" ;;
    lstm) echo "$2,16,64" ;;
  esac
}
onnx_shape() {
  case "$1" in
    cnn) echo "$2,1,28,28" ;;
    mobilenet) echo "$2,64,28,28" ;;
    *) tf_shape "$1" "$2" ;;
  esac
}

uptime_before="$(uptime)"
declare -A agreement
for model in $models; do
  dir="$work/models/$model"
  ort check --model "$dir/model.onnx" --shape "$(tf_shape "$model" 2)" --nchw \
    --x "$work/$model.x.npy" --y "$work/$model.ort.npy"
  "$model_tool" run --dir "$dir/saved_model/1" --signature_def serving_default \
    --inputs "x=$work/$model.x.npy" --outdir "$work/$model.ours" > /dev/null
  if ! agreement[$model]="$(ort compare "$work/$model.ours/y.npy" \
      "$work/$model.ort.npy" --tol 1e-5)"; then
    echo "$model: the runtimes disagree: ${agreement[$model]}" >&2
    exit 1
  fi
  echo "$model: ${agreement[$model]}" >&2
done

results="$work/results.tsv"
# CPU time per run of one `model_tool benchmark` cell: binary, dir, batch,
# threads; prints "p50<TAB>cpu".
time_ours() {
  "$1" benchmark --dir "$2/saved_model/1" --batch "$3" --threads "$4" \
    --min_time "$min_time" --json |
    jq -r '.results[0].rows[0] | "\(.p50_us)\t\(.cpu_us)"'
}
for round in $(seq "$rounds"); do
  for model in $models; do
    dir="$work/models/$model"
    for t in $threads; do
      for b in $batches; do
        base=$'-\t-'
        if [ -n "$baseline" ]; then
          base="$(time_ours "$baseline" "$dir" "$b" "$t")"
        fi
        ours="$(time_ours "$model_tool" "$dir" "$b" "$t")"
        theirs="$(ort time --model "$dir/model.onnx" \
          --shape "$(onnx_shape "$model" "$b")" --threads "$t" \
          --min_time "$min_time" | jq -r '"\(.p50_us)\t\(.cpu_us)"')"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$model" "$t" "$b" "$round" \
          "$ours" "$theirs" "$base" >> "$results"
        echo "round $round $model threads=$t batch=$b: ours (p50, cpu) $ours," \
          "onnxruntime $theirs, baseline $base" | tr '\t' ' ' >&2
      done
    done
  done
done
uptime_after="$(uptime)"

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
{
  echo "# Our runtime vs onnxruntime, in process"
  echo
  echo "Written by \`bench/compare_onnxruntime.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo "Ours: \`model_tool benchmark\` (one process per cell, intra-op pool of"
  echo "\`threads\`). onnxruntime: onnxruntime-node $(node -e "console.log(require('$ort_dir/node_modules/onnxruntime-node/package.json').version)"),"
  echo "intraOpNumThreads = \`threads\`, sequential execution, all graph optimizations."
  echo "Cells: medians over $rounds interleaved rounds of each side's p50 latency and of its"
  echo "process CPU time per run (every thread; 10 warm-up runs, then at least 50 runs and"
  echo "${min_time} s). Ratios = ours / onnxruntime (below 1: we are faster). On a loaded"
  echo "machine a run longer than a scheduler slice waits for the CPU, so its latency grows"
  echo "with the load while its CPU time does not: with 1 thread, CPU time per run is what"
  echo "the latency would be on an idle core."
  if [ -n "$baseline" ]; then
    echo "Baseline: \`$baseline\` (another build's model_tool), run in the same"
    echo "rounds right before ours; \"vs baseline\" = ours / baseline CPU time per run."
  fi
  echo
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
  echo "- load before: \`${uptime_before# }\`"
  echo "- load after: \`${uptime_after# }\`"
  echo
  echo "Outputs checked before timing (batch 2, |ours - ort| <= 1e-5 (1 + |ort|)):"
  echo
  for model in $models; do echo "- $model: ${agreement[$model]}"; done
  echo
  extra_head=""; extra_rule=""
  if [ -n "$baseline" ]; then
    extra_head=" baseline CPU/run (µs) | vs baseline |"; extra_rule="---|---|"
  fi
  echo "| model | threads | batch | ours p50 (µs) | onnxruntime p50 (µs) | p50 ratio | ours CPU/run (µs) | onnxruntime CPU/run (µs) | CPU ratio |$extra_head"
  echo "|---|---|---|---|---|---|---|---|---|$extra_rule"
  cell() {  # model threads batch column
    awk -F'\t' -v m="$1" -v t="$2" -v b="$3" -v c="$4" \
      '$1==m && $2==t && $3==b {print $c}' "$results" | median
  }
  for model in $models; do
    for t in $threads; do
      for b in $batches; do
        o="$(cell "$model" "$t" "$b" 5)"; oc="$(cell "$model" "$t" "$b" 6)"
        r="$(cell "$model" "$t" "$b" 7)"; rc="$(cell "$model" "$t" "$b" 8)"
        printf '| %s | %s | %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |' \
          "$model" "$t" "$b" "$o" "$r" "$(awk -v o="$o" -v r="$r" 'BEGIN {print o / r}')" \
          "$oc" "$rc" "$(awk -v o="$oc" -v r="$rc" 'BEGIN {print o / r}')"
        if [ -n "$baseline" ]; then
          bc="$(cell "$model" "$t" "$b" 10)"
          printf ' %.1f | %.2f |' "$bc" "$(awk -v o="$oc" -v r="$bc" 'BEGIN {print o / r}')"
        fi
        echo
      done
    done
  done
  echo
  echo "Every round (model, threads, batch, round, ours p50, ours CPU, onnxruntime p50, onnxruntime CPU, baseline p50, baseline CPU; µs):"
  echo
  echo '```'
  cat "$results"
  echo '```'
} > "$out"
echo "wrote $out" >&2
