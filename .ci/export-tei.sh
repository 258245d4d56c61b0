#!/usr/bin/env bash
# CI: the TEI export is well-formed XML (xmllint --noout) for the examples
# and for every corpus page in ../shared imported (with the examples'
# registry, so that mentions point into the header). Installs Debian's
# libxml2-utils when xmllint is missing. Uses $TRANSCRIPT_LS, else the debug
# build.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v xmllint >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils >/dev/null
fi

bin="${TRANSCRIPT_LS:-$PWD/target/debug/transcript-ls}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$bin" export --to tei -o "$work/tei/examples" examples

corpus=../shared/corpus
if [ -d "$corpus" ]; then
  cp examples/transcripts.json "$work/transcripts.json"
  for site in kremlin whitehouse; do
    [ -d "$corpus/$site" ] || continue
    find "$corpus/$site" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.md' \) -print0 |
      xargs -0 -r "$bin" import --registry "$work/transcripts.json" -o "$work/imported/$site" 2>/dev/null
  done
  # Well-formed even where a page has errors: export them all.
  "$bin" export --to tei --allow-errors -o "$work/tei/corpus" "$work/imported"
else
  echo "skipped: no corpus at $corpus (only the examples are checked)"
fi

files=$(find "$work/tei" -name '*.xml' | wc -l)
find "$work/tei" -name '*.xml' -print0 | xargs -0 -n 200 xmllint --noout
echo "xmllint: $files TEI files well-formed"
