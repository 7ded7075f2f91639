# bench_lib.sh: shell helpers shared by the bench scripts (sourced, not run).
#
#   source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
#   bench_init                       # $BENCH_TMP, cleanup of children on exit
#   port=$(free_port)
#   start_child LOG cmd args...      # background child, stopped on exit
#   wait_predict NAME PID TARGET LOG MODEL LOAD_GENERATOR
#   proc_kib PID VmRSS               # kB from /proc/PID/status
#   median 3 1 2                     # 2
#
# Everything listens and talks on 127.0.0.1 only.

BENCH_CHILDREN=()

bench_cleanup() {
  local pid
  for pid in "${BENCH_CHILDREN[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_CHILDREN[@]}"; do
    for _ in $(seq 50); do  # up to 5 s for a clean drain, then force
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "${BENCH_TMP:-}" ]]; then rm -rf "$BENCH_TMP"; fi
}

# Makes $BENCH_TMP and stops every child started by start_child on exit.
bench_init() {
  BENCH_TMP="$(mktemp -d /tmp/model_server_bench.XXXXXX)"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# start_child LOG CMD ARGS...: runs CMD in the background (output to LOG);
# its pid is in $CHILD_PID.
start_child() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  CHILD_PID=$!
  BENCH_CHILDREN+=("$CHILD_PID")
}

# stop_child PID: SIGTERM, wait up to 5 s, then SIGKILL.
stop_child() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# A port nobody listens on (IPv4 or IPv6), from /proc so no tool is needed.
free_port() {
  local port hex
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    hex=$(printf ':%04X' "$port")
    if ! awk -v h="$hex" 'FNR > 1 && $4 == "0A" &&
             substr($2, length($2) - 4) == h { found = 1 }
           END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

proc_kib() {  # proc_kib PID FIELD -> "12345" (kB) from /proc/PID/status
  awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || true
}

proc_cpu_ticks() {  # proc_cpu_ticks PID -> user + system CPU of all threads
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

json_field() {  # json_field JSON_LINE KEY -> value (numbers and strings)
  sed -n "s/.*\"$2\":\"\{0,1\}\([^,\"}]*\).*/\1/p" <<<"$1"
}

median() {  # median N... -> the median (mean of the middle two if even)
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
          else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# wait_predict NAME PID TARGET LOG MODEL LOAD_GENERATOR [SHAPE]: until one
# Predict of MODEL succeeds (60 s at most); exits the script if the process
# dies or never answers.
wait_predict() {
  local name=$1 pid=$2 target=$3 log=$4 model=$5 load=$6 shape=${7:-1}
  for _ in $(seq 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited early; its log:" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    if "$load" --target="$target" --model_name="$model" --seconds=0.01 \
         --warmup_seconds=0 --timeout_ms=2000 --shape="$shape" \
         >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  echo "$name at $target did not answer Predict in 60 s; log:" >&2
  tail -n 30 "$log" >&2
  exit 1
}

# The machine's load, for the results: "load average: 1.2, 0.9, 0.8".
load_average() { uptime | sed 's/.*\(load average.*\)/\1/'; }
