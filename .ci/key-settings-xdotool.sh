#!/usr/bin/env bash
# Drives the real binary with xdotool under Xvfb and a real Secret Service:
# a store kept in the OS keyring is moved to a passphrase from Settings ›
# Security (typed twice, confirmed); 'rehearse key status' then says the
# passphrase keeps the key, and the next start asks to unlock. Screenshots
# go to $SHOTS (default: a temporary folder, printed).
#   bash .ci/with-services.sh bash .ci/key-settings-xdotool.sh bin/rehearse
# The clicks are at the positions of the 1100×760 window as laid out today.
set -euo pipefail
BIN=$(realpath "${1:-bin/rehearse}")
SHOTS=${SHOTS:-$(mktemp -d "${TMPDIR:-/tmp}/rehearse-shots.XXXXXX")}
H=$(mktemp -d "${TMPDIR:-/tmp}/rehearse-home.XXXXXX")
trap 'rm -rf "$H"' EXIT
export HOME=$H
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME REHEARSE_PASSPHRASE_FILE
echo "I led the billing migration; I planned it and we cut costs by 20 percent." |
  "$BIN" practice --text - --question "Tell me about a project you led." --title "Keys" >/dev/null
"$BIN" key status | grep -q "kept by the OS keyring"
"$BIN" >/dev/null 2>&1 &
pid=$!
sleep 7
wid=$(xdotool search --name "Rehearse" | head -1)
click() { xdotool mousemove --window "$wid" "$1" "$2" click 1; sleep "${3:-1.2}"; }
shot() { import -window "$wid" "$SHOTS/$1.png"; }
click 810 735   # first run: Continue with typed answers
click 475 23    # Settings
click 457 130 2 # Security
shot security
click 147 381   # Use a passphrase instead…
click 500 400; xdotool type --delay 20 "paper lamp river quietly"
click 500 441; xdotool type --delay 20 "paper lamp river quietly"
sleep 1; shot form
xdotool key Return; sleep 1; shot confirm
click 644 473 2 # Use the passphrase
shot done
kill "$pid"; wait "$pid" || true
"$BIN" key status
"$BIN" key status | grep -q "kept by your passphrase"
"$BIN" >/dev/null 2>&1 &
pid=$!
sleep 6; shot restart
kill "$pid"; wait "$pid" || true
echo "PASS: the key moved from the OS keyring to the passphrase in the window; screenshots in $SHOTS"
