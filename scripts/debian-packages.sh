#!/usr/bin/env bash
# The Debian packages some tests run for real (.ci/debian-packages: the original Python tomograph's libraries, a
# Graphite carbon-cache, a Redis server). Run before `npm test` and by .ci/run: installs the missing ones when it can
# (root with apt-get, as on a fresh CI or dev machine); otherwise names the command and fails, so that a test never
# fails later for a missing program with a less clear message.
set -uo pipefail
list="$(dirname "$0")/../.ci/debian-packages"
[ -f "$list" ] || exit 0
command -v dpkg >/dev/null 2>&1 || { echo "debian-packages: not a Debian system; the tests need the programs of $list" >&2; exit 0; }
mapfile -t packages < <(grep -v '^#' "$list" | grep -v '^[[:space:]]*$')
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these Debian packages: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing the Debian packages the tests run: ${missing[*]}"
apt-get update -qq || exit 1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" || exit 1
