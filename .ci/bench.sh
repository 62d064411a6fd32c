#!/usr/bin/env bash
# Runs every benchmark and writes the figures, with the targets they are held
# to, into the Markdown file named by $1.
set -euo pipefail
out=${1:-BENCHMARKS.md}
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
go test -run '^$' -bench . -benchmem -count=1 -timeout 30m ./... | tee "$raw"
go run ./internal/benchreport < "$raw" > "$out"
echo "bench: wrote $out"
