#!/usr/bin/env bash
# Runs a command with a virtual display (Xvfb) and a private D-Bus session that
# has an unlocked Secret Service keyring (gnome-keyring), so GUI, screenshot and
# keyring tests use the real components. Everything lives in a temporary folder
# that is removed afterwards.
set -euo pipefail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rehearse-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 700 "$tmp"
export XDG_RUNTIME_DIR="$tmp/run" REHEARSE_TEST_KEYRING_DATA="$tmp/keyring"
mkdir -p "$XDG_RUNTIME_DIR" "$REHEARSE_TEST_KEYRING_DATA"
chmod 700 "$XDG_RUNTIME_DIR"
export LANG=en_US.UTF-8
unset LC_ALL
inner='echo -n rehearse-test | XDG_DATA_HOME="$REHEARSE_TEST_KEYRING_DATA" gnome-keyring-daemon --unlock --components=secrets >/dev/null && export REHEARSE_TEST_SECRET_SERVICE=1; exec "$@"'
run() {
  if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    dbus-run-session -- bash -c "$inner" bash "$@"
  else
    echo "note: dbus-run-session/gnome-keyring-daemon missing: keyring tests against a real Secret Service will be skipped" >&2
    "$@"
  fi
}
if [ -z "${DISPLAY:-}" ] && command -v Xvfb >/dev/null; then
  for n in $(seq 90 140); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break; done
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
  xpid=$!
  trap 'kill $xpid 2>/dev/null || true; rm -rf "$tmp"' EXIT
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
  export DISPLAY=":$n"
fi
run "$@"
