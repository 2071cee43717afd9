#!/usr/bin/env bash
# Fetches every page of a course from `nbrun serve` into a folder, and checks
# that each is the page `nbrun build` wrote with the live script's tag added
# and nothing else changed. Run it after building the site.
#
#   scripts/served-site.sh PROJECT SITE_DIR OUT_DIR
#
# Starts `.build/debug/nbrun serve PROJECT` (or $NBRUN) on a free loopback
# port, through the same .nbrun cache as the build, and stops it at the end.
# OUT_DIR gets the served pages (with the tag) and SITE_DIR's _static, ready
# for scripts/validate-site.sh.
set -euo pipefail

if [[ $# -ne 3 ]]; then
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
project=${1%/} site=$2 out=$3
nbrun=${NBRUN:-.build/debug/nbrun}
port=$(( 21000 + $$ % 5000 ))
log=$(mktemp)
"$nbrun" serve "$project" --port "$port" > "$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 600); do
    grep -q "serving $project/ at" "$log" && break
    kill -0 $pid 2>/dev/null || { cat "$log"; echo "served-site.sh: nbrun serve stopped" >&2; exit 1; }
    sleep 0.5
done
grep -q "serving $project/ at" "$log" || { cat "$log"; echo "served-site.sh: nbrun serve did not start" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
cp -r "$site/_static" "$out/"
tag='<script src="/_nbrun/live.js" defer></script>'
pages=0
for page in "$site"/*.html; do
    name=$(basename "$page")
    curl -sf "http://127.0.0.1:$port/$name" > "$out/$name"
    if ! grep -qxF "$tag" "$out/$name"; then
        echo "served-site.sh: the served $name has no live script" >&2; exit 1
    fi
    if ! grep -vxF "$tag" "$out/$name" | cmp -s - "$page"; then
        echo "served-site.sh: the served $name differs from the built one beyond the live script:" >&2
        diff <(grep -vxF "$tag" "$out/$name") "$page" | head -20 >&2
        exit 1
    fi
    pages=$((pages + 1))
done
echo "served-site.sh: $pages served pages are the built pages plus the live script"
