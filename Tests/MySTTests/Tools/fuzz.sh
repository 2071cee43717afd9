#!/bin/sh
# Builds and runs the libFuzzer target of the MyST parser.
#
#   Tests/MySTTests/Tools/fuzz.sh [seconds]     (default 600)
#
# Needs a debug build first (for Yams): swift build --scratch-path .build-myst
# The parser's sources are compiled with -sanitize=fuzzer,address into one
# module with the entry point; Yams and CYaml objects are linked uninstrumented.
set -eu
cd "$(dirname "$0")/../../.."
seconds=${1:-600}
scratch=${SCRATCH:-.build-myst}
out="$scratch/fuzz"
mkdir -p "$out/corpus"
cp Tests/MySTTests/Fixtures/*.md "$out/corpus/" 2>/dev/null || true
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name MyST \
  $(find Sources/MyST -name '*.swift') Tests/MySTTests/Tools/FuzzMyST.swift \
  -I "$scratch/debug/Modules" -I Sources/CCmark \
  "$scratch"/debug/Yams.build/*.o $(find "$scratch/debug/CYaml.build" -name "*.o") -lcmark \
  -o "$out/fuzz-myst"
cd "$out"
./fuzz-myst -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 corpus
