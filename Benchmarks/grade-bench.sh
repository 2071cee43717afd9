#!/usr/bin/env bash
# Grading throughput: a class of generated submissions graded with
# `nbrun grade`, reported as submissions (files) per minute and seconds per check.
#
#   Benchmarks/grade-bench.sh [STUDENTS] [JOBS]        # defaults: 100 students, all cores
#
# The class works three exercises (a scalar function, an array function and a
# Tensor function, 7 checks in all, 2 hidden). Students are generated
# deterministically: 40% right, 30% wrong on the hidden checks only, 20% the
# starter code, 10% a compile error. NBRUN names the nbrun binary
# (default .build/release/nbrun; build it with swift build -c release --product nbrun).
set -euo pipefail
cd "$(dirname "$0")/.."
students=${1:-100}
jobs=${2:-$(nproc)}
nbrun=${NBRUN:-.build/release/nbrun}
[[ -x "$nbrun" ]] || { echo "no $nbrun; build it: swift build -c release --product nbrun" >&2; exit 1; }
export NBRUN_HOME=${NBRUN_HOME:-$PWD}
work=$(mktemp -d /tmp/grade-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/book"
printf 'version: 1\nproject:\n  title: Grading benchmark\n  toc:\n    - file: 01-exercises.md\n' > "$work/book/myst.yml"
cat > "$work/book/01-exercises.md" <<'MD'
# Exercises

::::{exercise} Squares
:label: ex-square

```{starter}
func square(_ x: Float) -> Float { 0 }
```

```{check} small numbers
:points: 2
expectClose(square(3), 9)
```

```{check} large numbers
:points: 2
:hidden:
expectClose(square(1000), 1_000_000)
```
::::

::::{solution} ex-square
```swift
func square(_ x: Float) -> Float { x * x }
```
::::

::::{exercise} Softplus
:label: ex-softplus

```{starter}
func softplus(_ xs: [Float]) -> [Float] { xs }
```

```{check} at zero
expectClose(softplus([0]), [log(2)])
```

```{check} a few values
:points: 2
expectClose(softplus([-1, 1, 3]), [-1, 1, 3].map { log(1 + exp($0)) })
```

```{check} large inputs do not overflow
:points: 2
:hidden:
expectClose(softplus([100]), [100])
```
::::

::::{solution} ex-softplus
```swift
func softplus(_ xs: [Float]) -> [Float] { xs.map { max($0, 0) + log1p(exp(-abs($0))) } }
```
::::

::::{exercise} Log-determinant of a diagonal scaling
:label: ex-logdet

```{starter}
func logDet(_ s: Tensor) -> Float { 0 }
```

```{check} ones
expectClose(logDet(Tensor([1, 1, 1])), 0)
```

```{check} against the product
:points: 2
expectClose(logDet(Tensor([2, 0.5, 3])), log(3))
```
::::

::::{solution} ex-logdet
```swift
func logDet(_ s: Tensor) -> Float { s.scalars.map { log(abs($0)) }.reduce(0, +) }
```
::::
MD
right_square='func square(_ x: Float) -> Float { x * x }'
wrong_square='func square(_ x: Float) -> Float { abs(x) < 100 ? x * x : 0 }'
right_soft='func softplus(_ xs: [Float]) -> [Float] { xs.map { max($0, 0) + log1p(exp(-abs($0))) } }'
wrong_soft='func softplus(_ xs: [Float]) -> [Float] { xs.map { log(1 + exp($0)) } }'
right_det='func logDet(_ s: Tensor) -> Float { s.scalars.map { log(abs($0)) }.reduce(0, +) }'
for i in $(seq -w 1 "$students"); do
    d="$work/class/student$i"; mkdir -p "$d"
    case $((10#$i % 10)) in
        0|1|2|3) sq=$right_square; so=$right_soft; de=$right_det ;;
        4|5|6)   sq=$wrong_square; so=$wrong_soft; de=$right_det ;;
        7|8)     sq='func square(_ x: Float) -> Float { 0 }'; so='func softplus(_ xs: [Float]) -> [Float] { xs }'; de='func logDet(_ s: Tensor) -> Float { 0 }' ;;
        9)       sq='func square(_ x: Float) -> Float { x * "x" }'; so=$right_soft; de=$right_det ;;
    esac
    printf 'import Foundation\nimport NotebookRuntime\n%s\n' "$sq" > "$d/ex-square.swift"
    printf 'import Foundation\nimport NotebookRuntime\n%s\n' "$so" > "$d/ex-softplus.swift"
    printf 'import Foundation\nimport NotebookRuntime\n%s\n' "$de" > "$d/ex-logdet.swift"
done
files=$((10#$students * 3))
echo "class: $students students x 3 exercises = $files files, 7 checks each set; jobs $jobs"
start=$(date +%s.%N)
"$nbrun" grade "$work/book" --submissions "$work/class" --out "$work/out/grades.csv" --jobs "$jobs"
end=$(date +%s.%N)
python3 - "$start" "$end" "$files" "$students" <<'PY'
import sys
start, end, files, students = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
s = end - start
checks = students * 7
print(f"wall {s:.1f} s: {files / s * 60:.0f} files a minute, {students / s * 60:.1f} students a minute, "
      f"{s / checks * 1000:.0f} ms of wall time per check (compiles included)")
PY
awk -F, 'NR > 1 { n[$2]++ } END { for (t in n) printf "total %s: %d students\n", t, n[t] }' "$work/out/grades.csv" | sort
