#!/usr/bin/env bash
# go vet, staticcheck, gofmt and govulncheck (when it can be installed).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/build/tools"
mkdir -p "$bin"
fail=0
echo "lint: gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './build/*'))
if [ -n "$unformatted" ]; then echo "gofmt: these files need formatting:"; echo "$unformatted"; fail=1; fi
echo "lint: go mod tidy"
GOFLAGS= go mod tidy -diff || { echo "go.mod/go.sum are not tidy: run 'go mod tidy'"; fail=1; }
echo "lint: go vet (GOFLAGS=${GOFLAGS:-})"
go vet ./... || fail=1
# Code behind the whisper build tag needs whisper.cpp's headers to be
# checked, so it is vetted where the build found whisper.cpp (the Makefile
# then adds the tag) and reported as skipped elsewhere. The stub used
# without whisper.cpp is vetted in both cases.
tags=$(sed -nE 's/.*-tags=([^ ]*).*/\1/p' <<<"${GOFLAGS:-}")
if [[ ",$tags," == *,whisper,* ]]; then
  echo "lint: go vet (without the whisper build tag)"
  notags=$(sed -E 's/(^|,)whisper(,|$)/\1/; s/,$//' <<<"$tags")
  GOFLAGS="${GOFLAGS/-tags=$tags/-tags=$notags}" go vet ./internal/whisper/... ./cmd/... || fail=1
else
  echo "lint: go vet (whisper build tag) skipped: whisper.cpp was not found ('make build' compiles it, or set WHISPER_PREFIX)"
fi
if [ ! -x "$bin/staticcheck" ]; then
  GOFLAGS= GOBIN="$bin" go install honnef.co/go/tools/cmd/staticcheck@v0.8.2 || { echo "lint: staticcheck could not be installed"; fail=1; }
fi
if [ -x "$bin/staticcheck" ]; then
  echo "lint: staticcheck"
  "$bin/staticcheck" ./... || fail=1
fi
if [ ! -x "$bin/govulncheck" ]; then
  GOFLAGS= GOBIN="$bin" go install golang.org/x/vuln/cmd/govulncheck@v1.9.0 >/dev/null 2>&1 || true
fi
if [ -x "$bin/govulncheck" ]; then
  echo "lint: govulncheck"
  if ! out=$("$bin/govulncheck" ./... 2>&1); then
    if grep -qiE 'fetching vulnerabilities|dial tcp|no such host|connection refused|network' <<<"$out"; then
      echo "lint: govulncheck skipped: its vulnerability database cannot be reached from here"
    else
      echo "$out"; fail=1
    fi
  else
    echo "$out" | tail -1
  fi
else
  echo "lint: govulncheck not installed; skipped"
fi
exit $fail
