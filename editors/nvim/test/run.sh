#!/usr/bin/env bash
# Headless end-to-end test of the Neovim plugin (editors/nvim) against transcript-ls.
#
#   editors/nvim/test/run.sh
#
# TRANSCRIPT_LS: the server binary (default: <repo>/target/debug/transcript-ls);
#                its folder is put first on PATH, as a user would install it.
# NVIM:          the nvim binary (default: nvim).
# Runs the test three times: with automatic start; with g:transcript_autostart
# off and :TranscriptStart; and without transcript-ls on PATH (the user must be
# told). Exit status 0 when every check passed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
server=${TRANSCRIPT_LS:-$root/target/debug/transcript-ls}
nvim=${NVIM:-nvim}

if [[ ! -x $server ]]; then
  echo "run.sh: no server at $server (build it with 'cargo build', or set TRANSCRIPT_LS)" >&2
  exit 2
fi
command -v "$nvim" >/dev/null || { echo "run.sh: '$nvim' not found (apt-get install neovim)" >&2; exit 2; }

server_dir=$(cd "$(dirname "$server")" && pwd)
if [[ $(basename "$server") != transcript-ls ]]; then
  # The plugin runs `transcript-ls` from PATH: give the binary that name.
  link_dir=$(mktemp -d)
  trap 'rm -rf "$link_dir"' EXIT
  ln -s "$server_dir/$(basename "$server")" "$link_dir/transcript-ls"
  server_dir=$link_dir
fi
export PATH="$server_dir:$PATH"

"$nvim" --version | head -n 1
cd "$root"

status=0
run() { # mode, extra nvim args...
  local mode=$1; shift
  echo "== $mode"
  TRANSCRIPT_E2E_MODE=$mode timeout -k 5 90 \
    "$nvim" --headless --clean -u NONE --cmd 'set rtp+=editors/nvim' "$@" \
    -c 'luafile editors/nvim/test/e2e.lua' </dev/null || {
      rc=$?
      echo "== $mode: nvim exited with status $rc" >&2
      status=1
    }
}
run auto
run manual --cmd 'let g:transcript_autostart = v:false'
run missing
exit $status
