#!/usr/bin/env bash
# `cmake --install` puts every file where docs/operations.md ("Install")
# says, under the prefix given at install time: the binary (which runs), the
# systemd unit with ExecStart and Documentation moved under that prefix (and
# `systemd-analyze verify` accepting it, which also checks that ExecStart's
# binary exists), the docs and the example flags file.
# Usage: check_install.sh <build dir>
set -euo pipefail
build=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" >"$scratch/install.log"

failed=0
fail() {
  echo "FAIL: $*"
  failed=1
}
for file in bin/model_server lib/systemd/system/model_server.service \
  share/doc/model_server/README.md share/doc/model_server/operations.md \
  share/doc/model_server/kubernetes.md \
  share/doc/model_server/model_server.default; do
  [[ -f $prefix/$file ]] || fail "$file was not installed"
done
[[ -x $prefix/bin/model_server ]] || fail "bin/model_server is not executable"
"$prefix/bin/model_server" --version >/dev/null ||
  fail "the installed bin/model_server --version did not exit 0"

unit=$prefix/lib/systemd/system/model_server.service
grep -qx "ExecStart=$prefix/bin/model_server \$MODEL_SERVER_FLAGS" "$unit" ||
  fail "the unit's ExecStart is not $prefix/bin/model_server: $(grep ExecStart= "$unit")"
grep -qx "Documentation=file://$prefix/share/doc/model_server/operations.md" "$unit" ||
  fail "the unit's Documentation does not point at the installed docs"
if grep -q "/usr/local/" "$unit"; then
  fail "the unit still names /usr/local/: $(grep -n /usr/local/ "$unit")"
fi
if command -v systemd-analyze >/dev/null; then
  if ! systemd-analyze verify "$unit" >"$scratch/verify.log" 2>&1 ||
    [[ -s $scratch/verify.log ]]; then
    cat "$scratch/verify.log"
    fail "systemd-analyze verify did not accept the installed unit silently"
  fi
else
  echo "systemd-analyze not installed: the installed unit is not verified"
fi

if [[ $failed -ne 0 ]]; then
  cat "$scratch/install.log"
  exit 1
fi
echo "PASS: cmake --install laid out binary, unit and docs under the prefix"
