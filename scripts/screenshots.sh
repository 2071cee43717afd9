#!/usr/bin/env bash
# Screenshots of a built site page with headless Chromium: light and dark
# theme, at desktop width (1280 px) and phone width (390 px), each as the
# first screen a reader sees and as the whole page.
#
#   scripts/screenshots.sh SITE_DIR [OUT_DIR]
#
# SITE_DIR is the output of `nbrun build`. OUT_DIR defaults to
# SITE_DIR/../screenshots. The page is the first chapter (the landing page's
# "next" link) unless PAGE=name.html is set. Prints the path of every PNG
# written.
#
# Dark theme: `--force-dark-mode` makes Chromium report
# `prefers-color-scheme: dark`, which is what the site's stylesheet follows
# (the page's own CSS, not Chromium's automatic darkening).
# The whole-page height is measured by loading the page in an iframe of the
# same width (`--allow-file-access-from-files` lets the wrapper read it).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || "$1" == -h || "$1" == --help ]]; then
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
site=$(cd "$1" && pwd)
out=${2:-$site/../screenshots}
mkdir -p "$out"
out=$(cd "$out" && pwd)

browser=${CHROMIUM:-}
if [[ -z "$browser" ]]; then
    for b in chromium chromium-browser google-chrome; do
        if command -v "$b" >/dev/null; then browser=$b; break; fi
    done
fi
if [[ -z "$browser" ]]; then
    echo "screenshots.sh: no Chromium found; install it (apt-get install chromium) or set CHROMIUM=path" >&2
    exit 1
fi

page=${PAGE:-}
if [[ -z "$page" ]]; then
    # The first chapter in reading order: the landing page's "next" link.
    page=$(grep -o '<a class="next" href="[^"#]*"' "$site/index.html" 2>/dev/null | head -n 1 | sed 's/.*href="//; s/"$//' || true)
    if [[ -z "$page" ]]; then
        page=$(find "$site" -maxdepth 1 -name '*.html' ! -name index.html -printf '%f\n' | sort | head -n 1)
    fi
    page=${page:-index.html}
fi
if [[ ! -f "$site/$page" ]]; then
    echo "screenshots.sh: $site/$page does not exist" >&2
    exit 1
fi
name=${page%.html}
url="file://$site/$page"

chrome() {
    # Chromium writes harmless noise (dbus, GPU) to stderr; keep it out of the way.
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --no-first-run --no-default-browser-check --disable-extensions "$@" 2>/dev/null
}

# Height of the whole page at width $1 (and theme flags in $2...).
page_height() {
    local width=$1; shift
    local wrapper="$out/.measure-$width.html"
    cat > "$wrapper" <<EOF
<!DOCTYPE html><html><body style="margin:0"><iframe id="f" style="width:${width}px;height:900px;border:0" src="$url"></iframe>
<script>document.getElementById("f").onload = function () {
  var d = this.contentDocument; document.body.setAttribute("data-height", d ? d.documentElement.scrollHeight : "");
};</script></body></html>
EOF
    local h
    h=$(chrome "$@" --allow-file-access-from-files --virtual-time-budget=3000 --window-size="$width,900" \
            --dump-dom "file://$wrapper" | grep -o 'data-height="[0-9]*"' | grep -o '[0-9]\+' || true)
    rm -f "$wrapper"
    echo "${h:-4000}"
}

for theme in light dark; do
    flags=()
    if [[ $theme == dark ]]; then flags=(--force-dark-mode --blink-settings=preferredColorScheme=0); fi
    for width in 1280 390; do
        screen=$([[ $width == 1280 ]] && echo 900 || echo 860)
        full=$(page_height "$width" "${flags[@]}")
        # Chromium refuses very tall windows; 16000 px is enough for a chapter.
        (( full > 16000 )) && full=16000
        for kind in screen full; do
            height=$([[ $kind == screen ]] && echo "$screen" || echo "$full")
            png="$out/$name-$theme-$width-$kind.png"
            rm -f "$png"
            chrome "${flags[@]}" --virtual-time-budget=2000 --run-all-compositor-stages-before-draw \
                --window-size="$width,$height" --screenshot="$png" "$url" >/dev/null || true
            if [[ ! -s "$png" ]]; then
                echo "screenshots.sh: Chromium wrote no $png" >&2
                exit 1
            fi
            echo "$png"
        done
    done
done
