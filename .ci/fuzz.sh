#!/usr/bin/env bash
# Runs every fuzz target for a bounded time or number of inputs each ($1, e.g.
# 10s or 30000x). The targets are the ones `go test -list` reports, so none is
# missed however it is written.
set -euo pipefail
t=${1:-10s}
# go test -list prints each package's matching names, then "ok <package>".
targets=$(go test -list '^Fuzz' ./... | awk '
  /^Fuzz/ { names[++n] = $1; next }
  /^ok[ \t]/ { for (i = 1; i <= n; i++) print $2, names[i]; n = 0 }')
if [ -z "$targets" ]; then echo "fuzz: no fuzz targets found" >&2; exit 1; fi
while read -r pkg f; do
  echo "fuzz: $pkg $f ($t)"
  go test -run '^$' -fuzz "^$f\$" -fuzztime "$t" "$pkg"
done <<<"$targets"
