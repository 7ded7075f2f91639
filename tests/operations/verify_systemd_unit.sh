#!/usr/bin/env bash
# `systemd-analyze verify` must accept systemd/model_server.service without a
# single warning. The unit names /usr/local/bin/model_server, which need not
# exist here, so the check runs on a copy pointing at the built binary.
# Usage: verify_systemd_unit.sh <unit file> <model_server binary>
# Exit 77 (CTest: skipped) when systemd-analyze is not installed.
set -euo pipefail
unit=$1
binary=$2
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze not installed (Debian package systemd): skipped"
  exit 77
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
sed "s|/usr/local/bin/model_server|$binary|" "$unit" >"$scratch/model_server.service"
if ! systemd-analyze verify "$scratch/model_server.service" 2>"$scratch/log"; then
  cat "$scratch/log"
  echo "FAIL: systemd-analyze verify rejected the unit"
  exit 1
fi
if [[ -s $scratch/log ]]; then
  cat "$scratch/log"
  echo "FAIL: systemd-analyze verify warned about the unit"
  exit 1
fi
echo "PASS: systemd-analyze verify accepts $(basename "$unit") with no warnings"
