#!/usr/bin/env bash
# Installs the system packages Rehearse needs to build and test. Idempotent.
set -euo pipefail

pkgs=(
  gcc g++ make cmake pkg-config git ca-certificates libssl-dev
  portaudio19-dev libasound2-dev alsa-utils
  libgl1-mesa-dev libx11-dev libxrandr-dev libxxf86vm-dev libxi-dev libxcursor-dev libxinerama-dev
  libgl1-mesa-dri xvfb xauth x11-utils imagemagick xdotool
  gnome-keyring dbus libsecret-tools
  espeak-ng sox util-linux strace desktop-file-utils
  speech-dispatcher speech-dispatcher-espeak-ng
)

if [ "$(uname)" = Darwin ]; then
  echo "macOS: run these, then 'make build':"
  echo "  brew install pkg-config portaudio sqlcipher whisper-cpp"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "This system has no apt-get. Install the equivalents of:"
  echo "  ${pkgs[*]} libsqlcipher-dev (SQLCipher 4.x)"
  echo "and Go 1.26 or newer, then run 'make build'."
  exit 0
fi

# debian_mirror SUITE FILE...: the first http(s) URI the given APT sources
# (one-line *.list or deb822 *.sources) use for SUITE, so that an added suite
# goes through the mirror this machine already uses; deb.debian.org otherwise.
debian_mirror() {
  local suite=$1 f uri=""
  shift
  for f in "$@"; do
    [ -f "$f" ] || continue
    case "$f" in
      *.sources)
        uri=$(awk -v suite="$suite" 'BEGIN { RS = ""; FS = "\n" }
          { types = uris = suites = ""; enabled = "yes"
            for (i = 1; i <= NF; i++) {
              if ($i ~ /^[ \t]*#/) continue
              key = tolower($i); sub(/:.*/, "", key); val = $i; sub(/^[^:]*:[ \t]*/, "", val)
              if (key == "types") types = " " val " "
              if (key == "uris") uris = val
              if (key == "suites") suites = " " val " "
              if (key == "enabled") enabled = tolower(val)
            }
            if (enabled != "no" && types ~ / deb / && suites ~ (" " suite " ")) {
              n = split(uris, u, /[ \t]+/)
              for (j = 1; j <= n; j++) if (u[j] ~ /^https?:\/\//) { print u[j]; exit }
            }
          }' "$f") ;;
      *)
        uri=$(awk -v suite="$suite" '$1 == "deb" { sub(/\[[^]]*\]/, ""); if ($3 == suite && $2 ~ /^https?:\/\//) { print $2; exit } }' "$f") ;;
    esac
    if [ -n "$uri" ]; then echo "${uri%/}"; return; fi
  done
  echo "http://deb.debian.org/debian"
}

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

. /etc/os-release
need_backports=no
if [ "${ID:-}" = debian ] && [ "${VERSION_CODENAME:-}" = bookworm ]; then need_backports=yes; fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sqlcipher_ok=no
if v=$(dpkg-query -W -f='${Version}' libsqlcipher-dev 2>/dev/null) && [ "${v%%.*}" -ge 4 ] 2>/dev/null; then
  sqlcipher_ok=yes
fi

if [ ${#missing[@]} -eq 0 ] && [ $sqlcipher_ok = yes ]; then
  echo "deps: all system packages are installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if [ $need_backports = yes ] && [ $sqlcipher_ok = no ]; then
  src=/etc/apt/sources.list.d/bookworm-backports.sources
  if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
    mirror=$(debian_mirror bookworm /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
    echo "deps: enabling bookworm-backports from $mirror for SQLCipher 4 ($src)"
    $SUDO tee "$src" >/dev/null <<SRC
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
fi
echo "deps: apt-get update"
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ $sqlcipher_ok = no ]; then
  if [ $need_backports = yes ]; then
    echo "deps: installing libsqlcipher-dev from bookworm-backports"
    $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports libsqlcipher-dev
  else
    echo "deps: installing libsqlcipher-dev"
    $SUDO apt-get install -y -qq --no-install-recommends libsqlcipher-dev
  fi
fi
if ! command -v go >/dev/null 2>&1; then
  echo "deps: Go is not installed: install Go 1.26 or newer (https://go.dev/doc/install)" >&2
  exit 1
fi
echo "deps: done"
