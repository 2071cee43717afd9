#!/usr/bin/env bash
# The SHA-256 of every file of a built site, one "digest  path" line per file,
# sorted by path: two builds are byte-identical when their digests are.
#
#   scripts/site-digest.sh Site > site.sha256
#   scripts/site-digest.sh Site | diff Tests/NBRunCLITests/Recorded/course-site.sha256 -
set -euo pipefail
site="${1:?usage: scripts/site-digest.sh SITE_FOLDER}"
cd "$site"
find . -type f -printf '%P\n' | LC_ALL=C sort | while IFS= read -r f; do
    printf '%s  %s\n' "$(sha256sum < "$f" | cut -c1-64)" "$f"
done
