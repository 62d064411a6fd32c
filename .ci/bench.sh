#!/usr/bin/env bash
# Runs every benchmark, one package at a time so they do not compete for the
# cores, and writes the figures, with the targets they are held
# to, into the Markdown file named by $1.
set -euo pipefail
out=${1:-BENCHMARKS.md}
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
go test -p 1 -run '^$' -bench . -benchmem -count=1 -timeout 30m ./... | tee "$raw"
go run ./internal/benchreport < "$raw" > "$out"
echo "bench: wrote $out"
