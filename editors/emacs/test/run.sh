#!/usr/bin/env bash
# Batch test of the Emacs mode (editors/emacs) with eglot against transcript-ls.
#
#   editors/emacs/test/run.sh
#
# TRANSCRIPT_LS: the server binary (default: <repo>/target/debug/transcript-ls);
#                its folder is put first on PATH, as a user would install it.
# EMACS:         the emacs binary (default: emacs). Needs eglot: built in from
#                Emacs 29, Debian's elpa-eglot on 28.
# Byte-compiles the mode (a warning fails), then runs the test twice: with the
# server, and without transcript-ls on PATH (the user must be told). Exit status 0 when every check passed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
server=${TRANSCRIPT_LS:-$root/target/debug/transcript-ls}
emacs=${EMACS:-emacs}

if [[ ! -x $server || $(basename "$server") != transcript-ls ]]; then
  echo "run.sh: no transcript-ls at $server (build it with 'cargo build', or set TRANSCRIPT_LS)" >&2
  exit 2
fi
command -v "$emacs" >/dev/null || { echo "run.sh: '$emacs' not found (apt-get install emacs-nox elpa-eglot)" >&2; exit 2; }

export PATH="$(cd "$(dirname "$server")" && pwd):$PATH"
"$emacs" --version | head -n 1
cd "$root"
# -q: no user init file, but the site's start files (which put Debian's
# elpa-eglot on the load path), as for a user. Eglot's messages go to stderr.
echo "== byte-compile (warnings are errors)"
compiled=$(mktemp -d)
trap 'rm -rf "$compiled"' EXIT
cp editors/emacs/transcript-mode.el "$compiled/"
"$emacs" --batch -q -L "$compiled" --eval '(setq byte-compile-error-on-warn t)' \
  -f batch-byte-compile "$compiled/transcript-mode.el"

status=0
for mode in server missing; do
  echo "== $mode"
  TRANSCRIPT_E2E_MODE=$mode timeout -k 5 120 \
    "$emacs" --batch -q -L editors/emacs -l editors/emacs/test/transcript-mode-test.el || status=1
done
exit $status
