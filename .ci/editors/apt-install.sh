#!/usr/bin/env bash
# Installs Debian packages that are missing, quietly, for the editor tests.
#
#   .ci/editors/apt-install.sh PACKAGE…
#
# Packages already installed are left alone (so a second run does nothing).
# As root, runs apt-get update once and installs the rest; otherwise names
# them and fails. A failure (no package archive, a missing package) ends with
# apt-get's own last lines and exit status 1.
set -euo pipefail

missing=()
for pkg in "$@"; do
  if [[ $(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null) != installed ]]; then
    missing+=("$pkg")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "apt-install.sh: missing Debian packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
  exit 2
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt_opts=(-o Acquire::Retries=2 -o Acquire::http::Timeout=30 -o Acquire::https::Timeout=30 -o DPkg::Lock::Timeout=120)
echo "apt-get install ${missing[*]}"
if ! apt-get "${apt_opts[@]}" update -qq >"$log" 2>&1 || grep -q '^[WE]: Failed to fetch' "$log"; then
  echo "apt-install.sh: apt-get update failed: is Debian's package archive reachable? Its output:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
if ! DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -qq "${missing[@]}" >"$log" 2>&1; then
  echo "apt-install.sh: apt-get install ${missing[*]} failed. Its output:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
