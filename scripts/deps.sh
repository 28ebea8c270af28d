#!/usr/bin/env bash
# Installs, from Debian's packages, whatever sertibot needs to build, run and
# test that this machine does not have yet. Needs root only if something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ca-certificates
  libuv1-dev libcurl4-openssl-dev libcjson-dev libsqlite3-dev
  libcmocka-dev python3 poppler-utils python3-icalendar
  libcairo2-dev libpango1.0-dev fonts-liberation2 fonts-dejavu-core
  dovecot-imapd openssl python3-aiosmtpd
  libssl-dev sqlite3 systemd
  clang libclang-rt-14-dev llvm-14
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "deps: these packages are missing; run as root to install them: ${missing[*]}" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
