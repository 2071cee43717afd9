#!/usr/bin/env bash
# Times a full render of the seed book to a static HTML site, without running
# any cell: `nbrun build --no-execute` against Jupyter Book 1.x
# (`jupyter-book build` with `execute_notebooks: 'off'`), rounds alternated
# (nbrun, JB, nbrun, JB, ...) after one untimed warm-up of each. Prints every
# round's wall-clock seconds, the medians and the ratio JB / nbrun.
#
#   Benchmarks/site-bench.sh [SEEDS_DIR] [ROUNDS]
#
#   SEEDS_DIR  folder of seed chapters (*.txt, copied byte for byte to .md);
#              default ../shared/seeds beside the repository
#   ROUNDS     timed rounds, default 5
#
# Environment:
#   NBRUN=path     the nbrun binary (default .build/release/nbrun; build it with
#                  `swift build -c release --product nbrun`); skipped with a note
#                  when it is missing or has no `build` subcommand
#   JB_VENV=dir    a Python venv holding `jupyter-book<2` (default /work/jb/venv);
#                  skipped with a note when missing. To make one:
#                    python3 -m venv /work/jb/venv && /work/jb/venv/bin/pip install "jupyter-book<2"
#   KEEP=1         keep the temporary book and both sites, and print where
#
# The book holds the seeds as NN-title-words.md, a mystmd-style myst.yml for
# nbrun, and _config.yml/_toc.yml for Jupyter Book (whose jb-book format needs
# a root page: the first seed is the root, the others its chapters). nbrun
# writes outside the book; JB writes BOOK/_build, removed before each JB round.
# These machines are shared and noisy: only the ratio from one run means much.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
seeds=${1:-$repo/../shared/seeds}
rounds=${2:-5}
nbrun=${NBRUN:-$repo/.build/release/nbrun}
jb_venv=${JB_VENV:-/work/jb/venv}

[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "site-bench: ROUNDS must be a positive integer, got '$rounds'" >&2; exit 2; }
[[ -d $seeds ]] || { echo "site-bench: no seeds folder at $seeds" >&2; exit 2; }
compgen -G "$seeds/*.txt" >/dev/null || { echo "site-bench: no *.txt in $seeds" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/site-bench.XXXXXX")
if [[ ${KEEP:-0} == 1 ]]; then
    trap 'echo "kept: book $tmp/book, nbrun site $tmp/nbrun-site, JB site $tmp/book/_build/html, logs $tmp/*.log"' EXIT
else
    trap 'rm -rf "$tmp"' EXIT
fi
book=$tmp/book
out=$tmp/nbrun-site
mkdir -p "$book"

# The book: byte-identical copies named from each seed's first "# " heading,
# myst.yml (nbrun, mystmd's format) and _config.yml/_toc.yml (Jupyter Book).
python3 - "$seeds" "$book" <<'PY'
import glob, os, re, shutil, sys
seeds, book = sys.argv[1], sys.argv[2]
names = []
for i, src in enumerate(sorted(glob.glob(os.path.join(seeds, '*.txt'))), 1):
    with open(src, encoding='utf-8', errors='replace') as f:
        title = next((l[2:] for l in f if l.startswith('# ')), '')
    words = re.findall(r'[a-z0-9]+', title.lower())[:5] or [os.path.splitext(os.path.basename(src))[0]]
    name = f'{i:02d}-' + '-'.join(words) + '.md'
    shutil.copyfile(src, os.path.join(book, name))
    names.append(name)
with open(os.path.join(book, 'myst.yml'), 'w') as f:
    f.write('version: 1\nproject:\n  title: Seeds\n  toc:\n')
    f.writelines(f'    - file: {n}\n' for n in names)
with open(os.path.join(book, '_config.yml'), 'w') as f:
    f.write("title: Seeds\nauthor: nbrun site benchmark\nonly_build_toc_files: true\n"
            "execute:\n  execute_notebooks: 'off'\n")
stem = lambda n: n[:-3]
with open(os.path.join(book, '_toc.yml'), 'w') as f:
    f.write(f'format: jb-book\nroot: {stem(names[0])}\n')
    if names[1:]:
        f.write('chapters:\n')
        f.writelines(f'  - file: {stem(n)}\n' for n in names[1:])
print(f'book: {len(names)} chapters from {seeds}')
PY

# Which sides run.
run_nbrun=1
if [[ ! -x $nbrun ]]; then
    echo "note: no nbrun binary at $nbrun; build it with: swift build -c release --product nbrun (skipping nbrun)"
    run_nbrun=0
elif ! "$nbrun" --help 2>/dev/null | grep -qE '^ +build( |$)'; then
    echo "note: $nbrun has no 'build' subcommand yet; rebuild it with: swift build -c release --product nbrun (skipping nbrun)"
    run_nbrun=0
fi
run_jb=1
jb=$jb_venv/bin/jupyter-book
if [[ ! -x $jb ]]; then
    echo "note: no Jupyter Book at $jb (set JB_VENV, or: python3 -m venv $jb_venv && $jb_venv/bin/pip install \"jupyter-book<2\"); skipping Jupyter Book"
    run_jb=0
fi
(( run_nbrun || run_jb )) || { echo "site-bench: nothing to time" >&2; exit 1; }
(( run_jb )) && echo "jupyter-book: $("$jb" --version 2>/dev/null | sed -n 's/^Jupyter Book *: *//p')"
(( run_nbrun )) && echo "nbrun: $("$nbrun" --version 2>/dev/null)"

now() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi
}
# timed LOG CMD...: runs CMD with its output in LOG, prints the seconds taken;
# on failure shows the end of LOG and stops the benchmark.
timed() {
    local log=$1; shift
    local s e
    s=$(now)
    if ! "$@" >"$log" 2>&1; then
        echo "site-bench: failed: $*" >&2
        tail -n 30 "$log" >&2
        exit 1
    fi
    e=$(now)
    awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f\n", e - s }'
}
nbrun_round() {
    timed "$tmp/nbrun.log" "$nbrun" build "$book" --no-execute --output "$out" --force
}
jb_round() {
    rm -rf "$book/_build"
    timed "$tmp/jb.log" "$jb" build "$book"
}
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# One untimed warm-up each (file cache, Python imports, first-run setup).
(( run_nbrun )) && nbrun_round >/dev/null
(( run_jb )) && jb_round >/dev/null
(( run_jb )) && echo "jupyter-book: $(sed 's/\x1b\[[0-9;]*m//g' "$tmp/jb.log" | grep -cE 'WARNING|ERROR' || true) warnings and errors in its log (KEEP=1 keeps $tmp/jb.log)"

nbrun_times=()
jb_times=()
for (( r = 1; r <= rounds; r++ )); do
    line="round $r:"
    if (( run_nbrun )); then t=$(nbrun_round); nbrun_times+=("$t"); line+="  nbrun $t s"; fi
    if (( run_jb )); then t=$(jb_round); jb_times+=("$t"); line+="  jupyter-book $t s"; fi
    echo "$line"
done

html_count() { find "$1" -name '*.html' -not -path '*/_static/*' 2>/dev/null | wc -l | tr -d ' '; }
if (( run_nbrun )); then
    m_nbrun=$(printf '%s\n' "${nbrun_times[@]}" | median)
    echo "nbrun median:        $m_nbrun s over $rounds rounds (${nbrun_times[*]}); $(html_count "$out") .html files in the site"
fi
if (( run_jb )); then
    m_jb=$(printf '%s\n' "${jb_times[@]}" | median)
    echo "jupyter-book median: $m_jb s over $rounds rounds (${jb_times[*]}); $(html_count "$book/_build/html") .html files in the site"
fi
if (( run_nbrun && run_jb )); then
    awk -v j="$m_jb" -v n="$m_nbrun" 'BEGIN { if (n > 0) printf "ratio JB / nbrun:    %.1fx\n", j / n }'
fi
