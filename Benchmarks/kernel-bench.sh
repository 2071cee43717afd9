#!/usr/bin/env bash
# Times the execution stage: a 20-cell chapter of trivial cells end to end,
# and six 8-cell chapters executed and then fully cached. Medians of 5 runs.
#
#   Benchmarks/kernel-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product nbrun >/dev/null
nbrun=$PWD/.build/release/nbrun
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
python3 - <<'PY'
cells = ''.join(f'```{{code-cell}} swift\nlet v{i} = {i} * 2\nprint("cell {i}", v{i})\n```\n\nProse {i}.\n\n' for i in range(20))
open('twenty.md', 'w').write('# Twenty cells\n\n' + cells)
for c in range(6):
    open(f'ch{c}.md', 'w').write(f'# Chapter {c}\n\n' + ''.join(f'```{{code-cell}} swift\nlet a{i} = {i}\nprint(a{i})\n```\n\n' for i in range(8)))
PY
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
"$nbrun" run twenty.md >/dev/null 2>&1 || true   # builds the library if needed
echo "twenty trivial cells, end to end: $(for i in 1 2 3 4 5; do timed "$nbrun" run twenty.md --force; done | median) ms"
echo "six chapters, executed:           $(for i in 1 2 3 4 5; do timed "$nbrun" run ch0.md ch1.md ch2.md ch3.md ch4.md ch5.md --force; done | median) ms"
echo "six chapters, fully cached:       $(for i in 1 2 3 4 5; do timed "$nbrun" run ch0.md ch1.md ch2.md ch3.md ch4.md ch5.md; done | median) ms"
