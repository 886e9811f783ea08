#!/usr/bin/env bash
# axe.sh — make sure axe-core (the accessibility engine the browser tests run
# in every page) is in .cache/axe, and print the path of its axe.min.js on
# stdout (everything else goes to stderr). It is fetched once from the npm
# registry with npm; the folder is ignored by git.
set -euo pipefail
cd "$(dirname "$0")/.."
version=4.14.1
dir=.cache/axe
js=$dir/node_modules/axe-core/axe.min.js
say() { printf 'handoff: %s\n' "$*" >&2; }

have() { [[ -s $js ]] && grep -q "\"version\": \"$version\"" "$dir/node_modules/axe-core/package.json" 2>/dev/null; }

if ! have; then
  if ! command -v npm >/dev/null; then
    say "axe-core needs npm to install: apt-get install -y npm"
    exit 1
  fi
  say "installing axe-core@$version into $dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "axe-core@$version" >&2
  have || { say "axe-core@$version did not install into $dir"; exit 1; }
fi
echo "$PWD/$js"
