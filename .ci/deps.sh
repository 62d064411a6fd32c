#!/usr/bin/env bash
# Installs the system packages Rehearse needs to build and test. Idempotent.
set -euo pipefail

pkgs=(
  gcc g++ make pkg-config git ca-certificates libssl-dev
  portaudio19-dev libasound2-dev alsa-utils
  libgl1-mesa-dev libx11-dev libxrandr-dev libxxf86vm-dev libxi-dev libxcursor-dev libxinerama-dev
  libgl1-mesa-dri xvfb xauth x11-utils imagemagick xdotool
  gnome-keyring dbus libsecret-tools
  espeak-ng sox util-linux strace desktop-file-utils
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
    echo "deps: enabling bookworm-backports for SQLCipher 4 ($src)"
    $SUDO tee "$src" >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
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
