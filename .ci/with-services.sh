#!/usr/bin/env bash
# Runs a command with a virtual display (Xvfb) and a private D-Bus session that
# has an unlocked Secret Service keyring (gnome-keyring), so GUI, screenshot and
# keyring tests use the real components, and a speech-dispatcher daemon whose
# sound output (there is no sound card) is appended to a file, named in
# REHEARSE_TEST_SPEECH_PLAYED, so that spoken questions can be checked.
# Everything lives in a temporary folder that is removed afterwards.
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
speechd_pid=""
if command -v speech-dispatcher >/dev/null && command -v spd-say >/dev/null; then
  # speech-dispatcher's own configuration with ALSA as its output, and an
  # ALSA default device that writes what is played into a file.
  mkdir -p "$tmp/speechd"
  cp -r /etc/speech-dispatcher/. "$tmp/speechd/" 2>/dev/null || true
  printf '\nAudioOutputMethod "alsa"\nAudioALSADevice "default"\n' >>"$tmp/speechd/speechd.conf"
  export REHEARSE_TEST_SPEECH_PLAYED="$tmp/speech-played.raw"
  cat >"$tmp/speechd/asound.conf" <<ALSA
pcm.played { type file; slave.pcm "null"; file "|cat >>'$REHEARSE_TEST_SPEECH_PLAYED'"; format "raw" }
pcm.!default { type asym; playback.pcm "played"; capture.pcm "null" }
ALSA
  # The C locale: the daemon exits at once when LANG names a locale that is
  # not installed.
  ALSA_CONFIG_PATH="/usr/share/alsa/alsa.conf:$tmp/speechd/asound.conf" LC_ALL=C setsid \
    speech-dispatcher --run-single --config-dir "$tmp/speechd" --timeout 0 --socket-path default \
    >"$tmp/speechd.log" 2>&1 &
  speechd_pid=$!
  for _ in $(seq 100); do [ -S "$XDG_RUNTIME_DIR/speech-dispatcher/speechd.sock" ] && break; sleep 0.1; done
  [ -S "$XDG_RUNTIME_DIR/speech-dispatcher/speechd.sock" ] || echo "note: speech-dispatcher did not start: $(tail -3 "$tmp/speechd.log")" >&2
else
  echo "note: speech-dispatcher is missing (make deps installs it): spoken-question tests will be skipped" >&2
fi
stop_speechd() { if [ -n "$speechd_pid" ]; then kill -TERM -- "-$speechd_pid" 2>/dev/null || true; fi; }
trap 'stop_speechd; rm -rf "$tmp"' EXIT
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
  trap 'kill $xpid 2>/dev/null || true; stop_speechd; rm -rf "$tmp"' EXIT
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
  export DISPLAY=":$n"
fi
run "$@"
