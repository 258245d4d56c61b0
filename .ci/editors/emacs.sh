#!/usr/bin/env bash
# CI for the Emacs mode: Debian's Emacs 28 and elpa-eglot, then the batch test
# (editors/emacs/test/run.sh). TRANSCRIPT_LS: the server to test with.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

"$root/.ci/editors/apt-install.sh" emacs-nox elpa-eglot
bash "$root/editors/emacs/test/run.sh"
