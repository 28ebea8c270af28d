#!/usr/bin/env bash
# Checks the systemd unit offline with `systemd-analyze verify` (no running
# systemd is needed: --man=no skips the man-page lookups, and the unit is
# verified on a copy whose ExecStart names the binary just built, since
# verify insists the executables exist). Usage: verify_unit.sh UNIT BINARY
set -euo pipefail
unit="$1"
binary="$2"
if ! command -v systemd-analyze >/dev/null; then
  echo "verify_unit: systemd-analyze is missing (scripts/deps.sh installs systemd)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s#/usr/local/bin/sertibot#${binary}#g" "$unit" > "$work/sertibot.service"
out="$(systemd-analyze verify --man=no "$work/sertibot.service" 2>&1)" || {
  echo "$out" >&2
  exit 1
}
# verify exits 0 on some warnings: any line about our unit is a failure.
if grep -q "sertibot.service" <<<"$out"; then
  echo "$out" >&2
  exit 1
fi
echo "verify_unit: $(basename "$unit") verified"
