#!/usr/bin/env bash
# End to end with the real binary in a new home folder: practise, export
# twice (one export is then changed by the user), open the window, wipe
# with --exports, then list every file left under HOME. After the wipe only
# what the user kept may remain.
#   bash .ci/with-services.sh bash .ci/wipe-e2e.sh bin/rehearse
set -euo pipefail
BIN=$(realpath "${1:-bin/rehearse}")
H=$(mktemp -d "${TMPDIR:-/tmp}/rehearse-home.XXXXXX")
trap 'rm -rf "$H"' EXIT
export HOME=$H
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME REHEARSE_PASSPHRASE_FILE
mkdir -p "$H/Documents"
echo "my CV" >"$H/Documents/cv.txt"
echo "Last year I led the migration of our billing system. I planned it, wrote the runbook and we cut costs by 20 percent." |
  "$BIN" practice --text - --question "Tell me about a project you led." --title "E2E" >/dev/null
"$BIN" export -o "$H/Documents/rehearse-export.json"
"$BIN" export --format md -o "$H/Documents/rehearse-export.md"
echo "my notes" >>"$H/Documents/rehearse-export.md"
if [ -n "${DISPLAY:-}" ]; then
  "$BIN" >"$H/window.log" 2>&1 &
  pid=$!
  sleep 10
  kill "$pid"
  wait "$pid" || true
  rm "$H/window.log"
fi
echo "--- under HOME before the wipe:"
(cd "$H" && find . | sort)
"$BIN" wipe --yes --exports --models
left=$(cd "$H" && find . | sort | tr '\n' ' ')
echo "--- under HOME after the wipe: $left"
want=". ./Documents ./Documents/cv.txt ./Documents/rehearse-export.md "
if [ "$left" != "$want" ]; then
  echo "FAIL: after the wipe HOME holds: $left; want: $want" >&2
  exit 1
fi
echo "PASS: nothing of Rehearse's is left"
