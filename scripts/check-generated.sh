#!/usr/bin/env bash
# Fails when the committed templ output is stale: regenerates, then compares.
# (The regenerated files are left in place, so `git diff` shows what changed.)
set -euo pipefail
sums() { find . -name '*_templ.go' -not -path './.git/*' -print0 | sort -z | xargs -0 -r sha256sum; }
before=$(sums)
go tool templ generate -log-level error
after=$(sums)
if [[ "$before" != "$after" ]]; then
  echo "generated templ code was stale; it has been regenerated — review and commit:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
