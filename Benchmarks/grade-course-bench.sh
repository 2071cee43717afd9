#!/usr/bin/env bash
# Grading throughput: a class of N students, each submitting the starter file
# of every exercise in the course, graded by `nbrun grade` (jailed where
# bubblewrap works). Prints the wall time and files a minute.
#   Benchmarks/grade-course-bench.sh [STUDENTS] [NBRUN]     # ROUNDS="cold" for one round
set -euo pipefail
cd "$(dirname "$0")/.."
students=${1:-10}
nbrun=$(realpath "${2:-.build/debug/nbrun}")
root=$(pwd)
work=$(mktemp -d /tmp/nbrun-grade-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$nbrun" exercises Notebooks --into "$work/starters" >/dev/null
for i in $(seq -w 1 "$students"); do
    mkdir -p "$work/class/student-$i"
    cp "$work"/starters/*.swift "$work/class/student-$i/"
done
files=$(( students * $(ls "$work"/starters/*.swift | wc -l) ))
# The reference runs (once per exercise) are part of every grading; a second
# run reuses the prepared exercises, as a re-grade does.
for round in ${ROUNDS:-cold warm}; do
    start=$(date +%s.%N)
    (cd "$work" && "$nbrun" grade "$root/Notebooks" --submissions class --out grades/grades.csv --jobs 2 >/dev/null)
    end=$(date +%s.%N)
    python3 -c "s=$end-$start; print(f'$round: $students students x $files files in {s:.1f} s: {$files/s*60:.0f} files a minute')"
done
