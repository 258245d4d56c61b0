#!/bin/sh
# Runs one fuzz target for a set time (default 600 s), seeding its corpus
# from the examples and the importer's fixtures the first time.
#
#   fuzz/run.sh parse 600        # parse | edits | import | format | write
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# One process (libFuzzer's default single job); crashes go to
# fuzz/artifacts/<target>/. Extra arguments go to libFuzzer, e.g.
# `-fork=1 -ignore_crashes=1` to keep going after a crash.
set -eu
target=${1:?usage: fuzz/run.sh TARGET [SECONDS] [LIBFUZZER-ARGS...]}
seconds=${2:-600}
[ $# -ge 2 ] && shift 2 || shift $#
cd "$(dirname "$0")"
corpus=corpus/$target
if [ ! -d "$corpus" ]; then
    mkdir -p "$corpus"
    cp ../examples/*.transcript ../tests/fixtures/import/*.txt "$corpus"/
    cp regressions/"$target"/* "$corpus"/ 2>/dev/null || true
fi
exec cargo +nightly fuzz run -s none -O "$target" "$corpus" -- \
    -max_total_time="$seconds" -dict=transcript.dict -timeout=10 \
    -max_len=16384 -print_final_stats=1 "$@"
